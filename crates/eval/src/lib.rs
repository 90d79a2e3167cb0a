//! kiji-eval: scores kiji output against gold annotations, as the
//! Evaluation section of the annotation guideline defines it.
//!
//! * [`load_gold`] / [`load_gold_jsonl`] / [`load_gold_csv`]: gold files
//!   (guideline output records, or the compliance team's 8-column CSV).
//! * [`load_predictions`]: `pipeline-run` output; error records and malformed
//!   lines become empty predictions that are counted separately.
//! * [`evaluate`]: the [`Report`]: CSV-view field accuracies with
//!   miss / mismatch / hallucination buckets, all-fields exact match,
//!   person and offender P/R/F1, attribute accuracies over matched persons,
//!   address P/R/F1 per list, the `reason` check, and per-article diffs.
//!   [`Report`] serialises to JSON and prints as a text table
//!   ([`Report::to_text`], [`Report::diff_text`]).
//!
//! All compared values are normalised with [`normalize`] (NFKC, whitespace
//! removed). With CSV gold only the CSV-view metrics (and the reason check,
//! which needs no gold) are computed; the rest are listed in
//! [`Report::not_available`].
//!
//! ```no_run
//! use std::path::Path;
//! let gold = kiji_eval::load_gold(Path::new("gold.jsonl"))?;
//! let pred = kiji_eval::load_predictions(Path::new("pred.jsonl"))?;
//! let report = kiji_eval::evaluate(&gold, &pred, None);
//! println!("{report}");
//! # Ok::<(), kiji_eval::EvalError>(())
//! ```

mod load;
mod metrics;
mod ner;
mod report;
mod view;

pub use load::{load_gold, load_gold_csv, load_gold_jsonl, load_predictions};
pub use metrics::evaluate;
pub use ner::{load_bio, load_ner_data, load_stockmark, ner_scores, NerEntity, NerReport, NerSentence};
pub use report::{
    AddressDiff, ArticleDiff, AttrDiff, AttrScore, Counts, ExactScore, FieldDiff, FieldScore,
    ListScore, Prf, ReasonScore, Report,
};
pub use view::{csv_error_row, csv_record, normalize, CsvView, CSV_FIELDS, CSV_OUTPUT_COLUMNS};

use kiji_core::{ArticleOutput, ErrorKind};
use std::fmt;
use std::path::{Path, PathBuf};

/// One line of a JSONL gold or prediction file.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    /// The record's id (a non-string scalar id as its JSON text); `None` when
    /// a prediction line had none or could not be parsed.
    pub id: Option<String>,
    /// 1-based line number in the file.
    pub line: usize,
    /// The extracted fields (empty for error records).
    pub output: ArticleOutput,
    /// The record's `article` text, when it carries one (gold files do).
    pub article: Option<String>,
    /// Set for an error record (its `error` message) or a malformed
    /// prediction line (what is wrong with it).
    pub error: Option<String>,
}

impl Record {
    /// A well-formed record (for building predictions in code).
    pub fn new(output: ArticleOutput) -> Self {
        Record {
            id: output.id.clone(),
            line: 0,
            output,
            article: None,
            error: None,
        }
    }
}

/// The gold side of an evaluation.
#[derive(Debug, Clone, PartialEq)]
pub enum Gold {
    /// Guideline output records: every metric.
    Jsonl(Vec<Record>),
    /// The compliance CSV: CSV-view metrics only.
    Csv(Vec<CsvView>),
}

impl Gold {
    /// Number of gold articles.
    pub fn len(&self) -> usize {
        match self {
            Gold::Jsonl(r) => r.len(),
            Gold::Csv(v) => v.len(),
        }
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A loading error with its file and line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    pub kind: ErrorKind,
    pub path: PathBuf,
    /// 1-based line (for CSV: the line the row starts on), when known.
    pub line: Option<usize>,
    pub message: String,
}

impl EvalError {
    pub fn new(
        kind: ErrorKind,
        path: &Path,
        line: Option<usize>,
        message: impl Into<String>,
    ) -> Self {
        EvalError {
            kind,
            path: path.to_owned(),
            line,
            message: message.into(),
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(l) => write!(f, "{}:{}: {}", self.path.display(), l, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for EvalError {}

impl From<EvalError> for kiji_core::Error {
    fn from(e: EvalError) -> Self {
        kiji_core::Error::new(e.kind, e.to_string())
    }
}
