//! Prints the analysis of each argument (or stdin lines): surface, Pos, unknown.
//!
//! `cargo run -p kiji-morph --example dump -- 'テキスト'`
use std::io::BufRead;

fn main() {
    let analyzer = kiji_morph::Analyzer::new().expect("embedded IPADIC loads");
    let args: Vec<String> = std::env::args().skip(1).collect();
    let lines: Vec<String> = if args.is_empty() {
        std::io::stdin()
            .lock()
            .lines()
            .map_while(Result::ok)
            .collect()
    } else {
        args
    };
    for line in lines {
        let text = kiji_core::Text::new(&line);
        for t in analyzer.tokenize(&text) {
            let u = if t.unknown { " (unk)" } else { "" };
            println!(
                "{}\t{:?}\t{:?}{u}",
                text.slice(t.span),
                t.pos,
                (t.span.start, t.span.end)
            );
        }
        println!();
    }
}
