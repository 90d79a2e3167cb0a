//! `pipeline-run eval`: the guideline's Evaluation metrics.
use kiji_core::{Error, ErrorKind, Result};
use kiji_eval::{EvalError, Gold};
use std::collections::HashMap;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

pub struct Options {
    pub gold: Option<PathBuf>,
    pub gold_csv: Option<PathBuf>,
    pub pred: PathBuf,
    pub input: Option<PathBuf>,
    pub json: bool,
    pub diff: bool,
    /// `pipeline-run explain` output to print under each article of the diff.
    pub explain: Option<PathBuf>,
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
        let why = match &opts.explain {
            Some(p) => explanations(p)?,
            None => HashMap::new(),
        };
        print!("{}", report.diff_text_explained(&why));
    }
    Ok(())
}

/// The lines of an explain file by article id.
fn explanations(path: &Path) -> Result<HashMap<String, Vec<String>>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::new(ErrorKind::Io, format!("cannot read {}: {e}", path.display())))?;
    let mut map = HashMap::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let why: kiji_pipeline::Explanation = match serde_json::from_str(line) {
            Ok(w) => w,
            // An error line of explain (a malformed input line) explains nothing.
            Err(_) if serde_json::from_str::<serde_json::Value>(line).is_ok_and(|v| v.get("error").is_some()) => continue,
            Err(e) => return Err(Error::new(ErrorKind::InvalidJson, format!("{} line {}: {e}", path.display(), n + 1))),
        };
        let Some(id) = why.id else { continue };
        map.insert(id, why.persons.iter().map(kiji_pipeline::PersonWhy::line).collect());
    }
    Ok(map)
}

/// `pipeline-run explain`: the output records and where each person and field
/// came from, one JSON line per input line (a malformed line: an error line
/// with its number, and the run goes on).
pub fn explain(input: &Path, output: &Path, records: Option<&Path>, config: &kiji_pipeline::Config) -> Result<()> {
    let text = std::fs::read(input).map_err(|e| Error::new(ErrorKind::Io, format!("cannot read {}: {e}", input.display())))?;
    let pipeline = kiji_pipeline::Pipeline::new(config)?;
    let lines: Vec<(usize, &[u8])> = text.split(|&b| b == b'\n').enumerate().filter(|(_, l)| !l.iter().all(u8::is_ascii_whitespace)).collect();
    let results: Vec<(String, Option<String>)> = lines
        .par_iter()
        .map(|&(n, line)| match kiji_pipeline::jsonl::parse_line(line) {
            Ok(article) => {
                let (out, why) = pipeline.explain(&article);
                (serde_json::to_string(&why).unwrap_or_default(), Some(serde_json::to_string(&out).unwrap_or_default()))
            }
            Err((id, e)) => (serde_json::json!({ "id": id, "line": n + 1, "error": e.to_string() }).to_string(), None),
        })
        .collect();
    let write = |path: &Path, body: String| std::fs::write(path, body).map_err(|e| Error::new(ErrorKind::Io, format!("cannot write {}: {e}", path.display())));
    write(output, results.iter().map(|r| r.0.clone() + "\n").collect())?;
    if let Some(path) = records {
        write(path, results.iter().filter_map(|r| r.1.clone()).map(|r| r + "\n").collect())?;
    }
    eprintln!("pipeline-run explain: {} articles", results.len());
    Ok(())
}
