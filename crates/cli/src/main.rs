//! `pipeline-run`: kiji's batch binary.
//!
//! * `pipeline-run extract [--input F] [--output F] [--threads N]`: JSONL in
//!   (stdin by default), JSONL out (stdout by default), one output line per
//!   input line in input order; bad lines become error records.
//! * `pipeline-run eval --gold G --pred P [--input I] [--json]`: the metrics
//!   of the guideline's Evaluation section.
//! * `pipeline-run ner-eval --data stockmark/test.json [--json] [--ner B]`: entity-level
//!   NER P/R/F1 (exact spans and types) of the recogniser.
//! * `pipeline-run train-ner --train T --dev D --out models/ner-tagger.bin.gz`:
//!   train the perceptron NER tagger on Stockmark-format data.
//!
//! `--ner lexicon|tagger|ensemble` picks the NER backend (default: lexicon for
//! `extract`, whose person rules need its suffix analysis; tagger for `ner-eval`).
//!
//! Exit status: 0 when the run completed (error records counted in the
//! summary), 2 on usage or I/O errors.

mod eval_cmd;
mod extract;
mod ner_eval;
mod train_ner;

use clap::{Parser, Subcommand};
use kiji_pipeline::NerBackend;
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
        /// Worker threads (default: one per core; at most 1024).
        #[arg(long, short = 'j')]
        threads: Option<usize>,
        /// Lines read and processed together (bounded memory; output order is kept).
        #[arg(long, default_value_t = 256)]
        chunk: usize,
        /// Never draw a progress line, even on a terminal.
        #[arg(long)]
        quiet: bool,
        /// NER backend: lexicon, tagger or ensemble.
        #[arg(long, default_value = "lexicon")]
        ner: NerBackend,
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
        /// NER backend: tagger (default: the model trained for these eight
        /// types), lexicon or ensemble.
        #[arg(long, default_value = "tagger")]
        ner: NerBackend,
    },
    /// Train the perceptron NER tagger (kiji-tagger) on Stockmark-format JSON.
    TrainNer {
        /// Training data (e.g. ../shared/data/ner/stockmark/train.json).
        #[arg(long)]
        train: PathBuf,
        /// Dev data for early stopping (e.g. ../shared/data/ner/stockmark/dev.json).
        #[arg(long)]
        dev: Option<PathBuf>,
        /// Where to write the model (gzip).
        #[arg(long)]
        out: PathBuf,
        /// Maximum epochs.
        #[arg(long, default_value_t = 15)]
        epochs: usize,
        /// Shuffling seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Stop after this many epochs without a better dev F1.
        #[arg(long, default_value_t = 3)]
        patience: usize,
        /// Drop averaged weights smaller than this in magnitude (smaller model).
        #[arg(long, default_value_t = 1.0)]
        prune: f32,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract { input, output, threads, chunk, quiet, ner } => {
            extract::run(extract::Options { input, output, threads, chunk, quiet, ner })
        }
        Command::Eval { gold, gold_csv, pred, input, json, diff } => {
            eval_cmd::run(eval_cmd::Options { gold, gold_csv, pred, input, json, diff })
        }
        Command::NerEval { data, json, ner } => ner_eval::run(ner_eval::Options { data, json, ner }),
        Command::TrainNer { train, dev, out, epochs, seed, patience, prune } => {
            train_ner::run(train_ner::Options { train, dev, out, epochs, seed, patience, prune })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("pipeline-run: {e}");
            ExitCode::from(2)
        }
    }
}
