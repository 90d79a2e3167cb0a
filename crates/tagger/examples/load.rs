//! Prints how long the embedded model takes to decode and how much memory it holds.
fn main() {
    let t = std::time::Instant::now();
    let m = kiji_tagger::embedded_model().expect("embedded model");
    println!(
        "embedded model: {:.2} MB gzip, decoded in {:.0} ms, {} features, {} weights, {:.1} MB in memory",
        kiji_tagger::EMBEDDED_MODEL.len() as f64 / 1e6,
        t.elapsed().as_secs_f64() * 1e3,
        m.n_features(),
        m.n_weights(),
        m.heap_bytes() as f64 / 1e6
    );
}
