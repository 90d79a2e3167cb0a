//! `pipeline-run`: kiji's batch binary.
//!
//! * `pipeline-run extract [--input F] [--output F] [--threads N] [--format jsonl|csv]`:
//!   JSONL in (stdin by default), JSONL out (stdout by default), one output
//!   line per input line in input order; bad lines become error records.
//!   `--format csv` writes the compliance gold-CSV view instead.
//! * `pipeline-run eval --gold G --pred P [--input I] [--json]`: the metrics
//!   of the guideline's Evaluation section.
//! * `pipeline-run ner-eval --data stockmark/test.json [--json] [--ner B] [--model DIR]`:
//!   entity-level NER P/R/F1 (exact spans and types) of the recogniser.
//! * `pipeline-run train-ner --train T --dev D --out models/ner-tagger.bin.gz`:
//!   train the perceptron NER tagger on Stockmark-format data; with
//!   `--base DIR` (feature `torch`), fine-tune a transformer encoder instead
//!   and write a model directory to `--out`.
//!
//! `--ner lexicon|tagger|ensemble|transformer|transformer-ensemble` picks the
//! NER backend (default: lexicon for `extract`, whose person rules need its
//! suffix analysis; for `ner-eval` the transformer when `--model` is given or
//! the shipped model is there, else the tagger). The transformer backends run
//! on LibTorch in a binary built with `--features torch` (CPU or CUDA), else
//! on kiji's native CPU engine (BERT models).
//!
//! Exit status: 0 when the run completed (error records counted in the
//! summary), 2 on usage or I/O errors.

mod eval_cmd;
mod extract;
mod ner_eval;
mod train;
mod train_address;
mod train_ner;

use clap::{Args, Parser, Subcommand};
use kiji_pipeline::{AddressMode, AttrMode, Config, NerBackend, PersonMode};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "pipeline-run", version, about = "kiji: persons, offenders and addresses from Japanese news articles (JSONL in, JSONL out)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// Settings of the transformer NER backends.
#[derive(Args, Clone, Debug, Default)]
struct ModelArgs {
    /// Transformer model directory (config.json, model.safetensors,
    /// tokenizer.json; default: models/ner-transformer of the checkout).
    #[arg(long)]
    model: Option<PathBuf>,
    /// Device for the transformer: cpu, cuda or auto (cuda needs the torch
    /// build; the default build runs the native CPU engine).
    #[arg(long, default_value = "auto")]
    device: String,
    /// Windows per forward pass of the transformer (default: 8 on CPU, 64 on
    /// CUDA).
    #[arg(long)]
    batch_size: Option<usize>,
    /// Who decides persons and offenders: learned (the trained person
    /// models) or rules (the rule stages alone, the baseline).
    #[arg(long, default_value = "learned")]
    persons: PersonMode,
    /// Directory with the person models (person.kpm, offender.kpm) written by
    /// `pipeline-run train` (default: the models embedded from models/person).
    #[arg(long)]
    person_models: Option<PathBuf>,
    /// Who chooses the offenders' positions, affiliations and acts: learned (the
    /// trained field models) or rules (the attribute rules alone, the baseline).
    #[arg(long, default_value = "learned")]
    attr: AttrMode,
    /// Directory with the field models (position.kpm, affiliation.kpm, act.kpm) written
    /// by `pipeline-run train` (default: the models embedded from models/attr).
    #[arg(long)]
    attr_models: Option<PathBuf>,
    /// Who assigns the address roles: rules (the rule cascade, every police
    /// body found: the default), residences (the trained residence model, the
    /// rest as the cascade), places (the trained residence and crime models,
    /// the rest as the cascade) or learned (the trained models for all three,
    /// and the police model keeping the police bodies that investigate).
    #[arg(long, default_value = "rules")]
    addresses: AddressMode,
    /// Directory with the address models (crime.kpm, residence.kpm,
    /// head_office.kpm, police.kpm) written by `pipeline-run train --address` (default:
    /// the models embedded from models/address).
    #[arg(long)]
    address_models: Option<PathBuf>,
}

impl ModelArgs {
    fn config(&self, ner: NerBackend, threads: Option<usize>) -> Config {
        Config {
            threads,
            ner,
            model: self.model.clone(),
            device: Some(self.device.clone()),
            batch_size: self.batch_size,
            persons: self.persons,
            person_models: self.person_models.clone(),
            attributes: self.attr,
            attr_models: self.attr_models.clone(),
            addresses: self.addresses,
            address_models: self.address_models.clone(),
        }
    }
}

#[derive(Subcommand)]
enum Command {
    /// Read articles (JSONL) and write one output record per line.
    Extract {
        /// Input JSONL file (default, or `-`: stdin).
        #[arg(long, short)]
        input: Option<PathBuf>,
        /// Output JSONL file (default, or `-`: stdout).
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
        /// Output format: jsonl (output records) or csv (the compliance
        /// gold-CSV view: id, the eight columns, error; one row per article).
        #[arg(long, value_enum, default_value = "jsonl")]
        format: extract::Format,
        /// With --format csv: start the file with a UTF-8 BOM (for Excel).
        #[arg(long)]
        excel: bool,
        /// NER backend: lexicon, tagger, ensemble, transformer or transformer-ensemble.
        #[arg(long, default_value = "lexicon")]
        ner: NerBackend,
        #[command(flatten)]
        model: ModelArgs,
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
        /// With --diff: the `pipeline-run explain` output of the same
        /// articles, printed under each article (which model or rule gave
        /// each person and field).
        #[arg(long, requires = "diff")]
        explain: Option<PathBuf>,
    },
    /// Like extract, and say where each person and field came from (which
    /// model and probability, or which rule or constraint): one JSON line
    /// per article, {"id", "persons": [{"name", "listed", "offender",
    /// "position", "affiliation", "act"}]}, for `eval --diff --explain`.
    Explain {
        /// Input JSONL file.
        #[arg(long, short)]
        input: PathBuf,
        /// The explanations (JSONL).
        #[arg(long, short)]
        output: PathBuf,
        /// Also write the output records here (the same as extract's).
        #[arg(long)]
        records: Option<PathBuf>,
        /// NER backend: lexicon, tagger, ensemble, transformer or transformer-ensemble.
        #[arg(long, default_value = "lexicon")]
        ner: NerBackend,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Score the NER stage on Stockmark-format data (exact char spans, 8 types).
    NerEval {
        /// Stockmark JSON (e.g. ../shared/data/ner/stockmark/test.json).
        #[arg(long)]
        data: PathBuf,
        /// Print the report as JSON.
        #[arg(long)]
        json: bool,
        /// NER backend (default: transformer with --model or with the
        /// shipped models/ner-transformer; else tagger, the model trained for
        /// these eight types).
        #[arg(long)]
        ner: Option<NerBackend>,
        #[command(flatten)]
        model: ModelArgs,
    },
    /// Train the learned stages on annotated articles: the person stage
    /// (person and offender models), then the field models (position,
    /// affiliation) after it; with --cv K, K-fold cross-validation first.
    Train {
        /// Annotated articles: a directory with input.jsonl, gold.jsonl and
        /// (for --cv) folds.tsv, e.g. ../shared/data/train.
        #[arg(long)]
        train: PathBuf,
        /// More annotated articles used for training only, never scored
        /// (e.g. ../shared/data/synthetic).
        #[arg(long)]
        synthetic: Option<PathBuf>,
        /// Where to write the person models and their card (default: models/person).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Where to write the field models and their card (default: models/attr).
        #[arg(long)]
        attr_out: Option<PathBuf>,
        /// Cross-validate over the folds of folds.tsv (K = its fold count,
        /// which must equal this number) before training on everything.
        #[arg(long)]
        cv: Option<usize>,
        /// Only cross-validate (write no model).
        #[arg(long)]
        cv_only: bool,
        /// Use this fraction of each training fold (a learning curve).
        #[arg(long, default_value_t = 1.0)]
        fraction: f64,
        /// Shuffling seed (training is deterministic for a seed).
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Training epochs of each model.
        #[arg(long, default_value_t = 30)]
        epochs: usize,
        /// Print the cross-validation report as JSON.
        #[arg(long)]
        json: bool,
        /// Probability from which a candidate is a person (0.4: in 5-fold CV
        /// persons F1 0.898 -> 0.902 over 0.5, seed 7 0.897 -> 0.901).
        #[arg(long, default_value_t = 0.4)]
        person_threshold: f32,
        /// Probability from which a person is an offender.
        #[arg(long, default_value_t = 0.5)]
        offender_threshold: f32,
        /// Write every fold's held-out predictions here (JSONL), for `eval --diff`.
        #[arg(long)]
        cv_pred: Option<PathBuf>,
        /// L2 penalty of the person model.
        #[arg(long, default_value_t = 1e-4)]
        person_l2: f32,
        /// L2 penalty of the offender model.
        #[arg(long, default_value_t = 1e-4)]
        offender_l2: f32,
        /// Probability from which a field candidate is the value.
        #[arg(long, default_value_t = 0.5)]
        field_threshold: f32,
        /// L2 penalty of the field models.
        #[arg(long, default_value_t = 1e-4)]
        field_l2: f32,
        /// Train the address-role models (models/address) instead of the
        /// person models; --cv compares them with the rule cascade.
        #[arg(long)]
        address: bool,
        /// Probability from which an address candidate takes its role.
        #[arg(long, default_value_t = 0.5)]
        address_threshold: f32,
    },
    /// Train NER: the perceptron tagger (kiji-tagger), or with --base a
    /// transformer fine-tune (feature `torch`). Data: Stockmark JSON or,
    /// for .bio files, token BIO (UD GSD NE).
    TrainNer {
        /// Training data (e.g. ../shared/data/ner/stockmark/train.json).
        #[arg(long)]
        train: PathBuf,
        /// Dev data for early stopping (e.g. ../shared/data/ner/stockmark/dev.json).
        #[arg(long)]
        dev: Option<PathBuf>,
        /// Where to write the model: a .bin.gz file for the tagger, a
        /// directory for a transformer.
        #[arg(long)]
        out: PathBuf,
        /// Fine-tune this pre-trained encoder directory (Hugging Face layout,
        /// e.g. models/base/e5-small-ja from models/convert_e5.py).
        #[arg(long)]
        base: Option<PathBuf>,
        /// Maximum epochs (default: 15 for the tagger, 6 for a transformer).
        #[arg(long)]
        epochs: Option<usize>,
        /// Shuffling seed.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Stop after this many epochs without a better dev F1 (default: 3
        /// for the tagger, 2 for a transformer).
        #[arg(long)]
        patience: Option<usize>,
        /// Tagger: drop averaged weights smaller than this in magnitude (smaller model).
        #[arg(long, default_value_t = 1.0)]
        prune: f32,
        /// Transformer: peak learning rate (AdamW, linear warmup and decay).
        #[arg(long, default_value_t = 1e-4)]
        lr: f64,
        /// Transformer: sentences per optimiser step.
        #[arg(long, default_value_t = 16)]
        batch_size: usize,
        /// Transformer: pieces per window, [CLS]/[SEP] included.
        #[arg(long, default_value_t = 256)]
        max_len: usize,
        /// Transformer: stop after this many optimiser steps (0: no limit).
        #[arg(long, default_value_t = 0)]
        max_steps: usize,
        /// Transformer: use only the first N training sentences (0: all).
        #[arg(long, default_value_t = 0)]
        limit: usize,
        /// Transformer: write the final model in fp16 (half the size).
        #[arg(long)]
        half: bool,
        /// Transformer: cpu, cuda or auto.
        #[arg(long, default_value = "auto")]
        device: String,
        /// Transformer: instead of training, write the training and dev
        /// windows (piece ids, label ids) and the labels as JSONL to this
        /// directory, for models/train_gpu.py.
        #[arg(long)]
        export: Option<PathBuf>,
    },
}

/// `ner-eval` without `--ner`: the transformer when a model is named or
/// the shipped model is there; else the tagger.
fn default_ner_eval_backend(model: &ModelArgs) -> NerBackend {
    let shipped = std::path::Path::new(kiji_pipeline::DEFAULT_TRANSFORMER_MODEL).join("model.safetensors");
    if model.model.is_some() || shipped.exists() {
        NerBackend::Transformer
    } else {
        NerBackend::Tagger
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Extract { input, output, threads, chunk, quiet, format, excel, ner, model } => {
            // `-` is the standard stream, as Unix tools read it.
            let std_stream = |p: Option<PathBuf>| p.filter(|p| p.as_os_str() != "-");
            let (input, output) = (std_stream(input), std_stream(output));
            extract::run(extract::Options { input, output, chunk, quiet, format, excel, config: model.config(ner, threads) })
        }
        Command::Eval { gold, gold_csv, pred, input, json, diff, explain } => {
            eval_cmd::run(eval_cmd::Options { gold, gold_csv, pred, input, json, diff, explain })
        }
        Command::Explain { input, output, records, ner, model } => eval_cmd::explain(&input, &output, records.as_deref(), &model.config(ner, None)),
        Command::NerEval { data, json, ner, model } => {
            let ner = ner.unwrap_or_else(|| default_ner_eval_backend(&model));
            ner_eval::run(ner_eval::Options { data, json, config: model.config(ner, None) })
        }
        Command::Train { train, synthetic, out, attr_out, cv, cv_only, fraction, seed, epochs, json, person_threshold, offender_threshold, cv_pred, person_l2, offender_l2, field_threshold, field_l2, address, address_threshold } => {
            let opts = train::Options {
                train,
                synthetic,
                out,
                cv,
                cv_only,
                fraction,
                seed,
                epochs,
                json,
                thresholds: (person_threshold, offender_threshold),
                cv_pred,
                l2: (person_l2, offender_l2),
                attr_out,
                field_threshold,
                field_l2,
            };
            if address { train_address::run(opts, address_threshold) } else { train::run(opts) }
        }
        Command::TrainNer { train, dev, out, base, epochs, seed, patience, prune, lr, batch_size, max_len, max_steps, limit, half, device, export } => {
            let opts = train_ner::Options { train, dev, out, epochs, seed, patience, prune };
            match base {
                None => train_ner::run(opts),
                Some(base) => train_ner::run_transformer(opts, train_ner::TransformerArgs { base, lr, batch_size, max_len, max_steps, limit, half, device, export }),
            }
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
