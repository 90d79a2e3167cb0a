//! `pipeline-run`: kiji's batch binary.
//!
//! * `pipeline-run extract [--input F] [--output F] [--threads N]`: JSONL in
//!   (stdin by default), JSONL out (stdout by default), one output line per
//!   input line in input order; bad lines become error records.
//! * `pipeline-run eval --gold G --pred P [--input I] [--json]`: the metrics
//!   of the guideline's Evaluation section.
//! * `pipeline-run ner-eval --data stockmark/test.json [--json]`: entity-level
//!   NER P/R/F1 (exact spans and types) of the recogniser.
//!
//! Exit status: 0 when the run completed (error records counted in the
//! summary), 2 on usage or I/O errors.

mod eval_cmd;
mod extract;
mod ner_eval;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "pipeline-run", version, about = "kiji: persons, offenders and addresses from Japanese news articles (JSONL in, JSONL out)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read articles (JSONL) and write one output record per line.
    Extract {
        /// Input JSONL file (default: stdin).
        #[arg(long, short)]
        input: Option<PathBuf>,
        /// Output JSONL file (default: stdout).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Worker threads (default: one per core).
        #[arg(long, short = 'j')]
        threads: Option<usize>,
        /// Lines read and processed together (bounded memory; output order is kept).
        #[arg(long, default_value_t = 256)]
        chunk: usize,
        /// Never draw a progress line, even on a terminal.
        #[arg(long)]
        quiet: bool,
    },
    /// Score predictions against gold annotations.
    Eval {
        /// Gold JSONL (guideline records) ...
        #[arg(long, required_unless_present = "gold_csv", conflicts_with = "gold_csv")]
        gold: Option<PathBuf>,
        /// ... or the compliance team's gold CSV (id, person_name, ..., police_departments).
        #[arg(long)]
        gold_csv: Option<PathBuf>,
        /// Predictions (pipeline-run extract output).
        #[arg(long)]
        pred: PathBuf,
        /// Input JSONL with the articles, to check that reasons are verbatim
        /// (default: the gold file's own `article` fields when present).
        #[arg(long)]
        input: Option<PathBuf>,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// Also print the per-article differences.
        #[arg(long)]
        diff: bool,
    },
    /// Score the NER stage on Stockmark-format data (exact char spans, 8 types).
    NerEval {
        /// Stockmark JSON (e.g. ../shared/data/ner/stockmark/test.json).
        #[arg(long)]
        data: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract { input, output, threads, chunk, quiet } => {
            extract::run(extract::Options { input, output, threads, chunk, quiet })
        }
        Command::Eval { gold, gold_csv, pred, input, json, diff } => {
            eval_cmd::run(eval_cmd::Options { gold, gold_csv, pred, input, json, diff })
        }
        Command::NerEval { data, json } => ner_eval::run(ner_eval::Options { data, json }),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pipeline-run: {e}");
            ExitCode::from(2)
        }
    }
}
