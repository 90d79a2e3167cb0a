//! Diagnostics for the learned address roles: the gold head offices, residences and crime
//! locations of annotated articles that no candidate of the learned roles covers.
//!
//! `cargo run --release -p kiji-pipeline --example address_candidates -- ../shared/data/train [role]`
use kiji_pipeline::{address::AddressStage, jsonl, Config, Pipeline};
use std::collections::HashMap;

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "../shared/data/train".into());
    let only = std::env::args().nth(2);
    let input = std::fs::read(format!("{dir}/input.jsonl")).expect("input.jsonl");
    let gold = std::fs::read_to_string(format!("{dir}/gold.jsonl")).expect("gold.jsonl");
    let mut golds: HashMap<String, serde_json::Value> = HashMap::new();
    for line in gold.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("gold line");
        golds.insert(v["id"].as_str().unwrap().to_owned(), v);
    }
    let p = Pipeline::new(&Config::default()).unwrap();
    let stage = AddressStage::new().unwrap();
    let (mut missed, mut total) = (HashMap::<&str, usize>::new(), HashMap::<&str, usize>::new());
    for line in input.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        let a = jsonl::parse_line(line).unwrap();
        let doc = p.document(&a);
        let recognised = p.stages().recognizer.recognize(&doc);
        let (mentions, _, persons) = p.persons(&doc, &recognised);
        let cands = stage.explain(&doc, &mentions, &persons);
        let id = a.id.clone().unwrap();
        let g = &golds[&id];
        for (role, list) in [("head_office", "headquarters_locations"), ("residence", "residences"), ("crime", "physical_crime_occured_locations")] {
            if only.as_deref().is_some_and(|o| o != role) {
                continue;
            }
            for item in g[list].as_array().into_iter().flatten() {
                let (addr, owner) = match item.as_str() {
                    Some(s) => (s.to_owned(), String::new()),
                    None => (item["address"].as_str().unwrap_or("").to_owned(), item["owner"].as_str().unwrap_or("").to_owned()),
                };
                if addr.is_empty() {
                    continue;
                }
                *total.entry(role).or_default() += 1;
                if cands.iter().any(|c| c.0 == role && c.1 == addr && (role == "crime" || c.2 == owner)) {
                    continue;
                }
                *missed.entry(role).or_default() += 1;
                let same_addr: Vec<&String> = cands.iter().filter(|c| c.0 == role && c.1 == addr).map(|c| &c.2).collect();
                let ctx = a.article.find(addr.as_str()).map(|i| {
                    let before: String = a.article[..i].chars().rev().take(20).collect::<Vec<_>>().into_iter().rev().collect();
                    let after: String = a.article[i + addr.len()..].chars().take(20).collect();
                    format!("{before}【{addr}】{after}")
                });
                let names: Vec<&String> = persons.iter().map(|p| &p.name).collect();
                println!("MISS\t{role}\t{id}\t{addr}\t{owner}\towners_of_addr={same_addr:?}\tpersons={names:?}\t{}", ctx.unwrap_or_else(|| "(not verbatim)".into()));
            }
        }
    }
    println!("missed {missed:?} of {total:?}");
}
