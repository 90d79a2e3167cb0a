// Temporary: print tokens of argv[1].
fn main() {
    let a = kiji_morph::Analyzer::new().unwrap();
    let s = std::env::args().nth(1).unwrap();
    let t = kiji_core::Text::new(&s);
    for tok in a.tokenize(&t) { print!("{}/{:?}{} ", t.slice(tok.span), tok.pos, if tok.unknown {"?"} else {""}); }
    println!();
}
