//! Evaluate a prediction file against a gold file and print the report:
//! `cargo run -p kiji-eval --example eval_dev -- GOLD PRED [--json] [--diff]`
//! (defaults: the dev gold against itself).
fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let dev = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/dev/gold.jsonl");
    let gold_path = files
        .first()
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| dev.clone());
    let pred_path = files.get(1).map(std::path::PathBuf::from).unwrap_or(dev);
    let gold = kiji_eval::load_gold(&gold_path)?;
    let pred = kiji_eval::load_predictions(&pred_path)?;
    let report = kiji_eval::evaluate(&gold, &pred, None);
    if args.iter().any(|a| a == "--json") {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print!("{report}");
    }
    if args.iter().any(|a| a == "--diff") {
        print!("{}", report.diff_text());
    }
    Ok(())
}
