//! Print the address spans and police bodies of dev articles: `--example spans -- ID...`
#[path = "../tests/common/mod.rs"]
mod common;
use kiji_core::Text;

fn main() {
    let ids: Vec<String> = std::env::args().skip(1).collect();
    for rec in common::read_jsonl(&common::data_dir().join("dev/gold.jsonl")) {
        let id = rec["id"].as_str().unwrap_or("");
        if !ids.iter().any(|i| i == id) {
            continue;
        }
        let article = rec["article"].as_str().unwrap_or("");
        let t = Text::new(article);
        println!("== {id}");
        for a in kiji_address::find_addresses(&t) {
            println!("  {:?} {:?} {:?} attr={} res={} muni={:?}", a.span, a.text, a.level, a.attributive, a.resolved, a.municipality);
        }
        println!("  police: {:?}", kiji_address::find_police(&t));
        for p in common::gold_persons(&rec, article) {
            let ms: Vec<String> = p.mentions.iter().map(|s| t.slice(*s).to_string()).collect();
            println!("  person {} {:?}", p.name, ms);
        }
    }
}
