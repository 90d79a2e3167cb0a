//! Cold load time of the embedded gazetteer and the embedded data size.
fn main() {
    let t = std::time::Instant::now();
    let _s = kiji_address::AddressStage::new().expect("gazetteer");
    println!("AddressStage::new (cold): {:?}; embedded data: {} bytes", t.elapsed(), kiji_address::embedded_bytes());
}
