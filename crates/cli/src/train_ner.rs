//! `pipeline-run train-ner`: train kiji-tagger's perceptron on Stockmark-format
//! JSON (`[{"curid", "text", "entities": [{"name", "span": [s, e], "type"}]}]`),
//! with IPADIC morphemes from the pipeline's analyser, and write the model.
use kiji_core::{Error, ErrorKind, Result, Span, Text, Token};
use kiji_pipeline::{Config, Pipeline};
use kiji_tagger::{Example, TrainOptions};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub struct Options {
    pub train: PathBuf,
    pub dev: Option<PathBuf>,
    pub out: PathBuf,
    pub epochs: usize,
    pub seed: u64,
    pub patience: usize,
    pub prune: f32,
}

/// Stockmark JSON -> examples, with morphemes from `tokenize`.
fn load(path: &Path, tokenize: &(dyn Fn(&Text) -> Vec<Token> + Sync)) -> Result<Vec<Example>> {
    let data = kiji_eval::load_stockmark(path).map_err(Error::from)?;
    Ok(data
        .par_iter()
        .map(|s| {
            let tokens = tokenize(&Text::new(&s.text));
            let entities = s.entities.iter().map(|e| (Span::new(e.span.0, e.span.1.max(e.span.0)), e.label.clone())).collect();
            Example::new(&s.text, tokens, entities)
        })
        .collect())
}

pub fn run(opts: Options) -> Result<()> {
    let started = Instant::now();
    let pipeline = Pipeline::new(&Config::default())?;
    let analyzer = pipeline.stages().analyzer;
    let tokenize = |t: &Text| analyzer.tokenize(t);
    let train = load(&opts.train, &tokenize)?;
    let dev = match &opts.dev {
        Some(p) => load(p, &tokenize)?,
        None => Vec::new(),
    };
    eprintln!("train-ner: read and tokenised {} + {} sentences in {:.1} s", train.len(), dev.len(), started.elapsed().as_secs_f64());
    let topts = TrainOptions { epochs: opts.epochs, seed: opts.seed, patience: opts.patience, prune: opts.prune, verbose: true };
    let (model, report) = kiji_tagger::train(&train, &dev, &topts);
    if !dev.is_empty() {
        let (tp, g, p) = kiji_tagger::evaluate(&model, &dev);
        eprintln!("train-ner: quantised model on dev: tp {tp} gold {g} pred {p}, F1 {:.4}", 2.0 * tp as f64 / (g + p).max(1) as f64);
    }
    let bytes = model.to_bytes();
    std::fs::write(&opts.out, &bytes).map_err(|e| Error::new(ErrorKind::Io, format!("cannot write {}: {e}", opts.out.display())))?;
    eprintln!(
        "train-ner: wrote {} ({:.2} MB, {} features, {} weights); {} epochs, best {}, training {:.1} s, total {:.1} s",
        opts.out.display(),
        bytes.len() as f64 / 1e6,
        model.n_features(),
        model.n_weights(),
        report.epochs_run,
        report.best_epoch,
        report.seconds,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}
