// Temporary dev loop: person P/R on ../shared/data/dev with morph + ner + link.
use kiji_core::{ArticleInput, Document, Linker, Recognizer};
use std::collections::HashSet;
fn main() {
    let analyzer = kiji_morph::Analyzer::new().unwrap();
    let rec = kiji_ner::LexiconRecognizer::new();
    let gold = std::fs::read_to_string("../shared/data/dev/gold.jsonl").unwrap();
    let (mut tp, mut np, mut ng) = (0, 0, 0);
    for line in gold.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let input = ArticleInput::new(v["id"].as_str().unwrap(), v["article"].as_str().unwrap());
        let mut doc = Document::new(&input, vec![]);
        doc.tokens = analyzer.tokenize(&doc.text);
        let ms = rec.recognize(&doc);
        let ents = kiji_link::RuleLinker.link(&doc, &ms);
        let pred: HashSet<String> = ents.iter().map(|e| e.name.clone()).collect();
        let g: HashSet<String> = v["persons"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap().to_owned()).collect();
        tp += pred.intersection(&g).count(); np += pred.len(); ng += g.len();
        let fp: Vec<_> = pred.difference(&g).collect();
        let fnn: Vec<_> = g.difference(&pred).collect();
        if !fp.is_empty() || !fnn.is_empty() { println!("{} FP {:?} FN {:?}", input.id.as_deref().unwrap(), fp, fnn); }
    }
    let p = tp as f64 / np as f64; let r = tp as f64 / ng as f64;
    println!("P {p:.3} R {r:.3} F {:.3} (tp {tp} pred {np} gold {ng})", 2.0*p*r/(p+r));
}
