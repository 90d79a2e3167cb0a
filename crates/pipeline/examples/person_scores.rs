//! Diagnostics for the person stage: every name candidate of one article
//! with its sources and the shipped model's probability.
//!
//! `cargo run --release -p kiji-pipeline --example person_scores -- ../shared/data/train/input.jsonl wn-3027`
use kiji_pipeline::{jsonl, Config, Pipeline};

fn main() {
    let mut args = std::env::args().skip(1);
    let (path, id) = (args.next().expect("input.jsonl"), args.next().expect("article id"));
    let input = std::fs::read(&path).expect("input file");
    let p = Pipeline::new(&Config::default()).expect("pipeline");
    let stage = p.person_stage().expect("learned person stage");
    for line in input.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let Ok(a) = jsonl::parse_line(line) else { continue };
        if a.id.as_deref() != Some(id.as_str()) {
            continue;
        }
        let doc = p.document(&a);
        let mentions = p.stages().recognizer.recognize(&doc);
        let scored = stage.candidates(&doc, &mentions);
        for (c, f) in scored.cands.iter().zip(stage.features(&scored, &mentions)) {
            let prob = stage.models().person.probability(&f);
            if prob > 0.05 || c.origins.contains(&"lex") {
                println!("{:.3}\t{}\t{:?}\t{:?}", prob, c.name, c.origins, c.span);
            }
        }
    }
}
