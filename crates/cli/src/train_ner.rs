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
    pub epochs: Option<usize>,
    pub seed: u64,
    pub patience: Option<usize>,
    pub prune: f32,
}

/// The transformer fine-tune's own settings (read only by the torch build).
#[cfg_attr(not(feature = "torch"), allow(dead_code))]
pub struct TransformerArgs {
    pub base: PathBuf,
    pub lr: f64,
    pub batch_size: usize,
    pub max_len: usize,
    pub max_steps: usize,
    pub limit: usize,
    pub half: bool,
    pub device: String,
    pub export: Option<PathBuf>,
}

/// NER data (Stockmark JSON, or token BIO for `.bio` files) with morphemes
/// from `tokenize`: `make(text, tokens, entities)` for each sentence.
fn load<T: Send>(
    path: &Path,
    tokenize: &(dyn Fn(&Text) -> Vec<Token> + Sync),
    make: impl Fn(String, Vec<Token>, Vec<(Span, String)>) -> T + Sync + Send,
) -> Result<Vec<T>> {
    let data = kiji_eval::load_ner_data(path).map_err(Error::from)?;
    Ok(data
        .into_par_iter()
        .map(|s| {
            let tokens = tokenize(&Text::new(&s.text));
            let entities = s.entities.into_iter().map(|e| (Span::new(e.span.0, e.span.1.max(e.span.0)), e.label)).collect();
            make(s.text, tokens, entities)
        })
        .collect())
}

pub fn run(opts: Options) -> Result<()> {
    let started = Instant::now();
    let pipeline = Pipeline::new(&Config::default())?;
    let analyzer = pipeline.stages().analyzer;
    let tokenize = |t: &Text| analyzer.tokenize(t);
    let example = |text: String, tokens, entities| Example::new(&text, tokens, entities);
    let train = load(&opts.train, &tokenize, example)?;
    let dev = match &opts.dev {
        Some(p) => load(p, &tokenize, example)?,
        None => Vec::new(),
    };
    eprintln!("train-ner: read and tokenised {} + {} sentences in {:.1} s", train.len(), dev.len(), started.elapsed().as_secs_f64());
    let topts = TrainOptions {
        epochs: opts.epochs.unwrap_or(15),
        seed: opts.seed,
        patience: opts.patience.unwrap_or(3),
        prune: opts.prune,
        verbose: true,
    };
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

/// Fine-tune a transformer encoder (`--base`) on Stockmark JSON or token BIO,
/// with early stopping on the dev set, and write a model directory.
#[cfg(feature = "torch")]
pub fn run_transformer(opts: Options, t: TransformerArgs) -> Result<()> {
    use kiji_ner::decode::LabelSet;
    use kiji_ner::transformer::train::{self, Sentence};
    use kiji_ner::transformer::{DeviceChoice, InferenceOptions, NerModel};
    let started = Instant::now();
    let pipeline = Pipeline::new(&Config::default())?;
    let analyzer = pipeline.stages().analyzer;
    let tokenize = |t: &Text| analyzer.tokenize(t);
    let sentence = |text, tokens, entities| Sentence { text, tokens, entities };
    let mut train_data = load(&opts.train, &tokenize, sentence)?;
    if t.limit > 0 {
        train_data.truncate(t.limit);
    }
    let dev = match &opts.dev {
        Some(p) => load(p, &tokenize, sentence)?,
        None => Vec::new(),
    };
    // The label set: BIO over the entity types of the training data, sorted.
    let mut types: Vec<&str> = train_data.iter().flat_map(|s| s.entities.iter().map(|e| e.1.as_str())).collect();
    types.sort_unstable();
    types.dedup();
    let labels = LabelSet::bio(&types);
    let device = t.device.parse::<DeviceChoice>()?.resolve()?;
    let mut model = NerModel::from_base(&t.base, labels, device)?;
    eprintln!(
        "train-ner: {} train + {} dev sentences, {} types, base {} on {device:?} ({:.1} s)",
        train_data.len(),
        dev.len(),
        types.len(),
        t.base.display(),
        started.elapsed().as_secs_f64()
    );
    let max_len = t.max_len.max(8);
    if let Some(dir) = &t.export {
        return export(&model, &train_data, &dev, max_len, dir);
    }
    let topts = train::TrainOptions {
        epochs: opts.epochs.unwrap_or(6),
        batch_size: t.batch_size.max(1),
        lr: t.lr,
        seed: opts.seed,
        patience: opts.patience.unwrap_or(2),
        max_len,
        max_steps: t.max_steps,
        ..train::TrainOptions::default()
    };
    let report = train::train(&mut model, &train_data, &dev, &topts, &opts.out)?;
    if t.half {
        // The fp16 weights differ from the best epoch's: score what was written.
        model.save(&opts.out, true)?;
        if !dev.is_empty() {
            let counts = train::evaluate(&model, &dev, &InferenceOptions { max_len, ..InferenceOptions::default() })?;
            eprintln!("train-ner: fp16 model (epoch {}) on dev: tp {} gold {} pred {}", report.best_epoch, counts.0, counts.1, counts.2);
        }
    }
    eprintln!(
        "train-ner: wrote {} (epoch {}); {} steps, epoch losses {:?}, dev F1 {:?}, training {:.1} s, total {:.1} s",
        opts.out.display(),
        report.best_epoch,
        report.steps,
        report.epoch_loss.iter().map(|l| (l * 1e4).round() / 1e4).collect::<Vec<_>>(),
        report.dev_f1.iter().map(|f| (f * 1e4).round() / 1e4).collect::<Vec<_>>(),
        report.seconds,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `--export`: train.jsonl and dev.jsonl (`{"ids": [...], "labels": [...]}`
/// per window) and labels.json.
#[cfg(feature = "torch")]
fn export(
    model: &kiji_ner::transformer::NerModel,
    train: &[kiji_ner::transformer::train::Sentence],
    dev: &[kiji_ner::transformer::train::Sentence],
    max_len: usize,
    dir: &Path,
) -> Result<()> {
    use std::io::Write;
    let io = |e: std::io::Error| Error::new(ErrorKind::Io, format!("export to {}: {e}", dir.display()));
    std::fs::create_dir_all(dir).map_err(io)?;
    for (name, data) in [("train.jsonl", train), ("dev.jsonl", dev)] {
        let mut w = std::io::BufWriter::new(std::fs::File::create(dir.join(name)).map_err(io)?);
        for (ids, labels) in kiji_ner::transformer::train::windows_of(model, data, max_len)? {
            writeln!(w, "{}", serde_json::json!({ "ids": ids, "labels": labels })).map_err(io)?;
        }
        w.flush().map_err(io)?;
    }
    std::fs::write(dir.join("labels.json"), serde_json::json!(model.labels().names()).to_string()).map_err(io)?;
    eprintln!("train-ner: exported {} + {} sentences to {}", train.len(), dev.len(), dir.display());
    Ok(())
}

#[cfg(not(feature = "torch"))]
pub fn run_transformer(_opts: Options, _t: TransformerArgs) -> Result<()> {
    Err(Error::new(
        ErrorKind::Config,
        "train-ner --base needs a binary built with the `torch` feature: `bash scripts/build-torch.sh` (docs/TRANSFORMER.md)",
    ))
}
