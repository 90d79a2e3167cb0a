//! Debug aid: print the tagger's 人名 mentions of a JSONL input with the IPADIC
//! POS of the morphemes inside, one TSV line each (id, name, score, pos...).
use kiji_core::{ArticleInput, Document, MentionKind, Recognizer};
use std::io::BufRead;

fn main() {
    let path = std::env::args().nth(1).expect("usage: dump_persons input.jsonl");
    let analyzer = kiji_morph::Analyzer::new().unwrap();
    let tagger = kiji_tagger::TaggerRecognizer::new().unwrap();
    for line in std::io::BufReader::new(std::fs::File::open(path).unwrap()).lines() {
        let v: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
        let input = ArticleInput::new(v["id"].as_str().unwrap_or(""), v["article"].as_str().unwrap_or(""));
        let mut doc = Document::new(&input, Vec::new());
        doc.tokens = analyzer.tokenize(&doc.text);
        for m in tagger.recognize(&doc).into_iter().filter(|m| m.kind == MentionKind::Person) {
            let pos: Vec<String> = doc.tokens.iter().filter(|t| t.span.overlaps(m.span)).map(|t| format!("{}:{:?}{}", doc.text.slice(t.span), t.pos, if t.unknown { "?" } else { "" })).collect();
            let after: String = doc.text.slice(kiji_core::Span::new(m.span.end, (m.span.end + 4).min(doc.text.len_chars()))).to_owned();
            println!("{}\t{}\t{:.3}\t{}\t{}", input.id.as_deref().unwrap_or(""), m.name, m.score, pos.join(" "), after);
        }
    }
}
