//! Transformer NER: a fine-tuned BERT-family token classifier from a Hugging
//! Face-layout directory, run by one of two engines.
//!
//! A model directory holds `config.json` (with `model_type` and `id2label`),
//! `model.safetensors` (fp32 or fp16) and `tokenizer.json`. Inference cuts
//! each article into windows of subword pieces ([`pieces`]), scores the
//! windows, and decodes the label scores with the constrained Viterbi of
//! [`crate::decode`], so spans are always valid and in article char offsets.
//! That part ([`predict`]) is the same for both engines; they differ only in
//! how a window's label scores are computed ([`Scorer`]):
//!
//! - [`native::NativeModel`], always built: BERT in plain Rust (f32 on CPU,
//!   `matrixmultiply` for the products), no LibTorch. The default build's
//!   engine: `--ner transformer` runs anywhere.
//! - `NerModel` (feature `torch`): rust-bert's model structs on LibTorch
//!   (BERT, RoBERTa/XLM-R, ELECTRA, DeBERTa-v2), CPU or CUDA, fp16 on CUDA,
//!   windows of many articles batched by length; fine-tuning in `train`.
//!
//! [`TransformerRecognizer`] is the pipeline's `Recognizer` over whichever
//! engine the build has (LibTorch in a torch build).

pub mod native;
pub mod pieces;

#[cfg(feature = "torch")]
mod encoder;
#[cfg(feature = "torch")]
mod libtorch;
#[cfg(feature = "torch")]
pub mod train;
#[cfg(feature = "torch")]
pub use libtorch::{cuda_available, write_random_model, NerModel};

use crate::decode::{LabelSet, TokenSpan};
use kiji_core::{Document, Error, ErrorKind, Mention, MentionKind, Recognizer, Result, Span, Text, Token};
use pieces::{margin, windows, Piece, PieceTokenizer};
use serde_json::{json, Value};
use std::path::Path;

/// Where the model runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DeviceChoice {
    Cpu,
    Cuda,
    /// CUDA when LibTorch sees a GPU, else CPU.
    #[default]
    Auto,
}

impl std::str::FromStr for DeviceChoice {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "cpu" => Ok(DeviceChoice::Cpu),
            "cuda" | "gpu" => Ok(DeviceChoice::Cuda),
            "auto" => Ok(DeviceChoice::Auto),
            _ => Err(Error::new(ErrorKind::Config, format!("unknown device {s:?} (cpu, cuda, auto)"))),
        }
    }
}

/// Inference settings.
#[derive(Debug, Clone)]
pub struct InferenceOptions {
    pub device: DeviceChoice,
    /// Windows per forward pass; 0 = by device: 8 on CPU (larger batches
    /// are slower there: 72 sentences/s at 8, 49 at 32, 18 at 128), 64 on
    /// CUDA, 8 on the native engine (which stacks a call's windows).
    pub batch_size: usize,
    /// Pieces per window, [CLS]/[SEP] included.
    pub max_len: usize,
    /// Pieces shared by consecutive windows of a long article.
    pub overlap: usize,
    /// Run in fp16 on CUDA (never on CPU).
    pub half_on_cuda: bool,
}

impl Default for InferenceOptions {
    fn default() -> Self {
        InferenceOptions { device: DeviceChoice::Auto, batch_size: 0, max_len: 256, overlap: 64, half_on_cuda: true }
    }
}

fn resource(what: &str, path: &Path, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Resource, format!("{what} {}: {e}", path.display()))
}

/// The NER type of a model label: Stockmark's eight, plus common English names.
fn kind_of(label: &str) -> Option<MentionKind> {
    MentionKind::from_stockmark_label(label).or(match label {
        "PER" | "PERSON" => Some(MentionKind::Person),
        "ORG" | "ORGANIZATION" => Some(MentionKind::OtherOrg),
        "LOC" | "GPE" | "LOCATION" => Some(MentionKind::Location),
        "FAC" | "FACILITY" => Some(MentionKind::Facility),
        "PRODUCT" => Some(MentionKind::Product),
        "EVENT" => Some(MentionKind::Event),
        _ => None,
    })
}

/// Label names in id order from `config["id2label"]`.
fn labels_of(config: &Value) -> Result<Vec<String>> {
    let map = config
        .get("id2label")
        .and_then(|v| v.as_object())
        .ok_or_else(|| Error::new(ErrorKind::Resource, "config.json has no id2label: not a token-classification model"))?;
    let mut pairs = Vec::with_capacity(map.len());
    for (k, v) in map {
        let id: usize = k.parse().map_err(|_| Error::new(ErrorKind::Resource, format!("id2label key {k:?} is not an id")))?;
        pairs.push((id, v.as_str().unwrap_or_default().to_owned()));
    }
    pairs.sort();
    if pairs.iter().enumerate().any(|(i, p)| p.0 != i) {
        return Err(Error::new(ErrorKind::Resource, "id2label ids are not 0..n"));
    }
    Ok(pairs.into_iter().map(|p| p.1).collect())
}

fn with_labels(mut config: Value, labels: &LabelSet) -> Value {
    let id2label: serde_json::Map<String, Value> = labels.names().iter().enumerate().map(|(i, n)| (i.to_string(), json!(n))).collect();
    let label2id: serde_json::Map<String, Value> = labels.names().iter().enumerate().map(|(i, n)| (n.clone(), json!(i))).collect();
    config["id2label"] = Value::Object(id2label);
    config["label2id"] = Value::Object(label2id);
    config
}

/// What both engines read from a model directory besides the weights: the
/// config, the labels and their NER types, the tokenizer.
pub struct ModelSpec {
    pub config: Value,
    pub labels: LabelSet,
    kinds: Vec<Option<MentionKind>>,
    pub tokenizer: PieceTokenizer,
}

impl ModelSpec {
    /// The spec of a fine-tuned model directory (labels from its config).
    pub fn load(dir: &Path) -> Result<Self> {
        let config = Self::read_config(dir)?;
        let labels = LabelSet::parse(&labels_of(&config)?).map_err(|e| resource("labels of", dir, e))?;
        Self::new(dir, config, labels)
    }

    /// A spec with `labels` written into `config`.
    pub fn new(dir: &Path, config: Value, labels: LabelSet) -> Result<Self> {
        let tokenizer = PieceTokenizer::from_file(&dir.join("tokenizer.json"))?;
        let kinds = labels.types().iter().map(|t| kind_of(t)).collect();
        Ok(ModelSpec { config: with_labels(config, &labels), labels, kinds, tokenizer })
    }

    pub fn read_config(dir: &Path) -> Result<Value> {
        let path = dir.join("config.json");
        let text = std::fs::read_to_string(&path).map_err(|e| resource("cannot read", &path, e))?;
        serde_json::from_str(&text).map_err(|e| resource("cannot parse", &path, e))
    }

    /// Pieces per window (without [CLS]/[SEP]) for a requested `max_len`,
    /// within the model's position embeddings (RoBERTa-style models start
    /// positions after the padding id, hence the margin).
    pub fn window_width(&self, max_len: usize) -> usize {
        let positions = self.config.get("max_position_embeddings").and_then(Value::as_u64).unwrap_or(512) as usize;
        max_len.min(positions.saturating_sub(2)).saturating_sub(2).max(1)
    }

    /// `[CLS] row [SEP]`.
    fn framed(&self, row: &[i64]) -> Vec<i64> {
        let mut ids = Vec::with_capacity(row.len() + 2);
        ids.push(self.tokenizer.cls);
        ids.extend_from_slice(row);
        ids.push(self.tokenizer.sep);
        ids
    }
}

/// Label log-probabilities of a batch of windows: `flat[(r * t + p) * labels
/// + l]` for row `r`, position `p` of `[CLS] row [SEP]` (0 is [CLS]), with
/// `t` the longest row + 2.
pub struct Scores {
    pub flat: Vec<f32>,
    pub t: usize,
}

/// An engine: label log-probabilities of windows of piece ids.
pub trait Scorer {
    fn spec(&self) -> &ModelSpec;
    /// Scores of `rows` (piece ids without [CLS]/[SEP]).
    fn log_probs(&self, rows: &[&[i64]]) -> Result<Scores>;
    /// Windows per call when the options leave it to the engine.
    fn default_batch_size(&self) -> usize;
}

/// Entity spans (article char offsets, type index, score) of each text:
/// pieces, windows (longest first, so that similar lengths share a batch),
/// scores from the window where a piece is most central, Viterbi.
pub fn predict(scorer: &dyn Scorer, docs: &[(&Text, &[Token])], opts: &InferenceOptions) -> Result<Vec<Vec<(Span, usize, f32)>>> {
    let spec = scorer.spec();
    let pieces: Vec<Vec<Piece>> = docs.iter().map(|(text, tokens)| spec.tokenizer.pieces(text, tokens)).collect::<Result<_>>()?;
    let ids: Vec<Vec<i64>> = pieces.iter().map(|p| p.iter().map(|p| p.id).collect()).collect();
    let width = spec.window_width(opts.max_len);
    let overlap = opts.overlap.min(width / 2);
    let mut wins: Vec<(usize, usize, usize)> = Vec::new();
    for (d, p) in pieces.iter().enumerate() {
        wins.extend(windows(p.len(), width, overlap).into_iter().map(|(s, e)| (d, s, e)));
    }
    wins.sort_by_key(|&(d, s, e)| (std::cmp::Reverse(e - s), d, s));
    let nl = spec.labels.len();
    let mut scores: Vec<Vec<f32>> = pieces.iter().map(|p| vec![0f32; p.len() * nl]).collect();
    let mut best_margin: Vec<Vec<usize>> = pieces.iter().map(|p| vec![usize::MAX; p.len()]).collect();
    let batch_size = match opts.batch_size {
        0 => scorer.default_batch_size(),
        n => n,
    };
    for batch in wins.chunks(batch_size) {
        let rows: Vec<&[i64]> = batch.iter().map(|&(d, s, e)| &ids[d][s..e]).collect();
        let Scores { flat, t } = scorer.log_probs(&rows)?;
        for (r, &(d, s, e)) in batch.iter().enumerate() {
            for i in s..e {
                let m = margin(i, (s, e));
                let bm = &mut best_margin[d][i];
                if *bm != usize::MAX && *bm >= m {
                    continue;
                }
                *bm = m;
                let at = (r * t + 1 + (i - s)) * nl;
                scores[d][i * nl..(i + 1) * nl].copy_from_slice(&flat[at..at + nl]);
            }
        }
    }
    Ok(pieces
        .iter()
        .zip(&scores)
        .map(|(p, sc)| {
            spec.labels
                .decode(sc, p.len())
                .into_iter()
                .map(|TokenSpan { start, end, ty, score }| (Span::new(p[start].span.start, p[end - 1].span.end), ty, score))
                .collect()
        })
        .collect())
}

/// Mentions of the NER types the model knows, for each document.
pub fn mentions(scorer: &dyn Scorer, docs: &[&Document], opts: &InferenceOptions) -> Result<Vec<Vec<Mention>>> {
    let inputs: Vec<(&Text, &[Token])> = docs.iter().map(|d| (&d.text, d.tokens.as_slice())).collect();
    let spans = predict(scorer, &inputs, opts)?;
    let kinds = &scorer.spec().kinds;
    Ok(docs
        .iter()
        .zip(spans)
        .map(|(doc, spans)| {
            spans
                .into_iter()
                .filter_map(|(span, ty, score)| {
                    Some(Mention { span, kind: kinds[ty]?, name: doc.text.slice(span).to_owned(), suffix: None, suffix_class: None, score })
                })
                .collect()
        })
        .collect())
}

enum Engine {
    Native(native::NativeModel),
    /// One model behind a lock: LibTorch parallelises inside each forward
    /// pass, and batches across articles.
    #[cfg(feature = "torch")]
    Torch(std::sync::Mutex<NerModel>),
}

/// The pipeline's transformer backend: LibTorch in a torch build (CPU or
/// CUDA, batched across articles), else the native engine (one document
/// per call, documents in parallel on the pipeline's threads).
pub struct TransformerRecognizer {
    engine: Engine,
    opts: InferenceOptions,
}

impl TransformerRecognizer {
    /// Load `dir` with the engine of this build, on the device `opts` asks
    /// for (fp16 on CUDA if asked).
    pub fn load(dir: &Path, opts: InferenceOptions) -> Result<Self> {
        #[cfg(feature = "torch")]
        {
            let device = opts.device.resolve()?;
            let mut model = NerModel::load(dir, device)?;
            if device.is_cuda() && opts.half_on_cuda {
                model.half();
            }
            Ok(TransformerRecognizer { engine: Engine::Torch(std::sync::Mutex::new(model)), opts })
        }
        #[cfg(not(feature = "torch"))]
        {
            if opts.device == DeviceChoice::Cuda {
                return Err(Error::new(
                    ErrorKind::Config,
                    "--device cuda: this build runs the transformer on its native CPU engine; CUDA needs the `torch` feature (bash scripts/build-torch.sh)",
                ));
            }
            Self::native(dir, opts)
        }
    }

    /// Load `dir` on the native engine, whatever the build.
    pub fn native(dir: &Path, opts: InferenceOptions) -> Result<Self> {
        Ok(TransformerRecognizer { engine: Engine::Native(native::NativeModel::load(dir)?), opts })
    }

    /// Which engine runs the model: "native" or LibTorch's device ("cpu", "cuda").
    pub fn engine(&self) -> &'static str {
        match &self.engine {
            Engine::Native(_) => "native",
            #[cfg(feature = "torch")]
            Engine::Torch(m) => match m.lock().map(|m| m.device()) {
                Ok(tch::Device::Cuda(_)) => "cuda",
                _ => "cpu",
            },
        }
    }
}

impl Recognizer for TransformerRecognizer {
    fn recognize(&self, doc: &Document) -> Vec<Mention> {
        self.recognize_batch(&[doc]).pop().unwrap_or_default()
    }

    fn recognize_batch(&self, docs: &[&Document]) -> Vec<Vec<Mention>> {
        let found = match &self.engine {
            Engine::Native(model) => mentions(model, docs, &self.opts),
            #[cfg(feature = "torch")]
            Engine::Torch(model) => {
                let model = match model.lock() {
                    Ok(m) => m,
                    Err(poisoned) => poisoned.into_inner(),
                };
                // rust-bert calls LibTorch through tch's panicking methods: a
                // C++ error (out of memory, say) arrives as a panic. Either
                // way, report it and let the rule stages run on no model
                // mentions rather than lose the records.
                match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| mentions(&*model, docs, &self.opts))) {
                    Ok(found) => found,
                    Err(_) => Err(Error::new(ErrorKind::Resource, format!("LibTorch failed on a batch of {} documents", docs.len()))),
                }
            }
        };
        found.unwrap_or_else(|e| {
            eprintln!("kiji-ner transformer: {e}; {} documents get no model mentions", docs.len());
            vec![Vec::new(); docs.len()]
        })
    }

    fn batched(&self) -> bool {
        !matches!(self.engine, Engine::Native(_))
    }
}
