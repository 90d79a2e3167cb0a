//! `cargo run -p kiji-address --example split -- ADDRESS...`
fn main() {
    for a in std::env::args().skip(1) {
        println!("{a} -> {:?}", kiji_address::split(&a));
    }
}
