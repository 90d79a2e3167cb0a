//! `pipeline-run eval`: the guideline's Evaluation metrics.
use kiji_core::{Error, ErrorKind, Result};
use kiji_eval::{EvalError, Gold};
use std::collections::HashMap;
use std::path::PathBuf;

pub struct Options {
    pub gold: Option<PathBuf>,
    pub gold_csv: Option<PathBuf>,
    pub pred: PathBuf,
    pub input: Option<PathBuf>,
    pub json: bool,
    pub diff: bool,
}

fn err(e: EvalError) -> Error {
    Error::new(e.kind, e.to_string())
}

/// Articles by id from an input JSONL file (bad lines are skipped: the
/// article map only serves the reason check).
fn articles(path: &PathBuf) -> Result<HashMap<String, String>> {
    let text = std::fs::read(path).map_err(|e| Error::new(ErrorKind::Io, format!("cannot read {}: {e}", path.display())))?;
    let mut map = HashMap::new();
    for line in text.split(|&b| b == b'\n') {
        if let Ok(input) = kiji_pipeline::jsonl::parse_line(line) {
            if let Some(id) = input.id {
                map.insert(id, input.article);
            }
        }
    }
    Ok(map)
}

pub fn run(opts: Options) -> Result<()> {
    let gold = match (&opts.gold, &opts.gold_csv) {
        (Some(g), _) => Gold::Jsonl(kiji_eval::load_gold_jsonl(g).map_err(err)?),
        (None, Some(c)) => Gold::Csv(kiji_eval::load_gold_csv(c).map_err(err)?),
        (None, None) => return Err(Error::new(ErrorKind::Config, "give --gold or --gold-csv")),
    };
    let pred = kiji_eval::load_predictions(&opts.pred).map_err(err)?;
    let articles = match &opts.input {
        Some(p) => Some(articles(p)?),
        None => match &gold {
            Gold::Jsonl(records) => {
                let map: HashMap<String, String> = records
                    .iter()
                    .filter_map(|r| Some((r.id.clone()?, r.article.clone()?)))
                    .collect();
                (!map.is_empty()).then_some(map)
            }
            Gold::Csv(_) => None,
        },
    };
    let report = kiji_eval::evaluate(&gold, &pred, articles.as_ref());
    if opts.json {
        println!("{}", serde_json::to_string_pretty(&report).map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?);
    } else {
        print!("{}", report.to_text());
    }
    if opts.diff {
        print!("{}", report.diff_text());
    }
    Ok(())
}
