//! Diagnostics for the person stage: the gold persons of annotated articles
//! that no candidate covers, and the candidates that are no gold person.
//!
//! `cargo run --release -p kiji-pipeline --example person_candidates -- ../shared/data/train`
use kiji_pipeline::{jsonl, Config, PersonMode, Pipeline};
use std::collections::{HashMap, HashSet};

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "../shared/data/train".into());
    let input = std::fs::read(format!("{dir}/input.jsonl")).expect("input.jsonl");
    let gold = std::fs::read_to_string(format!("{dir}/gold.jsonl")).expect("gold.jsonl");
    let mut gold_names: HashMap<String, Vec<String>> = HashMap::new();
    for line in gold.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("gold line");
        let names = v["persons"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect();
        gold_names.insert(v["id"].as_str().unwrap().to_owned(), names);
    }
    let models = kiji_person::PersonModels::embedded().expect("models");
    let p = Pipeline::new(&Config { persons: PersonMode::Rules, ..Config::default() }).unwrap().with_person_models(models);
    let stage = p.person_stage().unwrap();
    let (mut missed, mut total) = (0, 0);
    for line in input.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let a = jsonl::parse_line(line).unwrap();
        let doc = p.document(&a);
        let mentions = p.stages().recognizer.recognize(&doc);
        let scored = stage.candidates(&doc, &mentions);
        let names: HashSet<String> = scored.cands.iter().map(|c| c.name.clone()).collect();
        let id = a.id.clone().unwrap();
        for g in &gold_names[&id] {
            total += 1;
            if !names.contains(g) {
                missed += 1;
                let near: Vec<&String> = names.iter().filter(|n| g.contains(n.as_str()) || n.contains(g.as_str())).collect();
                let ctx = a.article.find(g.as_str()).map(|i| {
                    let before: String = a.article[..i].chars().rev().take(8).collect::<Vec<_>>().into_iter().rev().collect();
                    let after: String = a.article[i + g.len()..].chars().take(8).collect();
                    format!("{before}【{g}】{after}")
                });
                println!("MISS\t{id}\t{g}\tnear={near:?}\t{}", ctx.unwrap_or_else(|| "(not verbatim)".into()));
            }
        }
        if std::env::var("SPURIOUS").is_ok() {
            for n in &names {
                if !gold_names[&id].contains(n) {
                    println!("SPUR\t{id}\t{n}");
                }
            }
        }
    }
    eprintln!("{missed} of {total} gold persons have no candidate");
}
