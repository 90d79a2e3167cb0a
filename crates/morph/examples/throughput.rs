//! Measures `Analyzer::new()` time, resident memory and tokens/s on the first
//! N articles of a JSONL file (field `article`).
//!
//! `cargo run --release -p kiji-morph --example throughput -- ../shared/data/pool/wikinews.jsonl 200`
use std::io::BufRead;
use std::time::Instant;

fn rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .unwrap_or_else(|| "../shared/data/pool/wikinews.jsonl".to_owned());
    let limit: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(200);
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let articles: Vec<String> = std::io::BufReader::new(file)
        .lines()
        .map_while(Result::ok)
        .take(limit)
        .filter_map(|l| {
            let v: serde_json::Value = serde_json::from_str(&l).ok()?;
            Some(v.get("article")?.as_str()?.to_owned())
        })
        .collect();
    let chars: usize = articles.iter().map(|a| a.chars().count()).sum();

    let rss0 = rss_kb();
    let t = Instant::now();
    let analyzer = kiji_morph::Analyzer::new().expect("embedded IPADIC loads");
    let new_time = t.elapsed();
    let rss1 = rss_kb();

    // Warm-up pass (page in the dictionary), then the timed pass.
    let texts: Vec<kiji_core::Text> = articles.iter().map(|a| kiji_core::Text::new(a)).collect();
    for text in &texts {
        std::hint::black_box(analyzer.tokenize(text));
    }
    let rss2 = rss_kb();
    let mut tokens = 0usize;
    let mut unknown = 0usize;
    let t = Instant::now();
    for text in &texts {
        let toks = analyzer.tokenize(text);
        tokens += toks.len();
        unknown += toks.iter().filter(|t| t.unknown).count();
    }
    let secs = t.elapsed().as_secs_f64();
    let info = kiji_morph::dictionary_info();
    println!("dictionary: {info:?}");
    println!("Analyzer::new(): {:.2} ms", new_time.as_secs_f64() * 1e3);
    println!("RSS kB: before new {rss0:?}, after new {rss1:?}, after warm-up pass {rss2:?}");
    println!(
        "{} articles, {chars} chars, {tokens} tokens ({unknown} unknown) in {:.3} s: {:.0} tokens/s, {:.0} chars/s, {:.2} ms/article",
        texts.len(),
        secs,
        tokens as f64 / secs,
        chars as f64 / secs,
        secs * 1e3 / texts.len() as f64
    );
}
