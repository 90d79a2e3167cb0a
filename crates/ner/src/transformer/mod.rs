//! Transformer NER on LibTorch (feature `torch`): BERT-family encoders
//! (BERT, RoBERTa/XLM-R, ELECTRA, DeBERTa-v2) from a Hugging Face-layout
//! directory, run through rust-bert's model structs with tch.
//!
//! A model directory holds `config.json` (with `model_type` and `id2label`),
//! `model.safetensors` (fp32 or fp16) and `tokenizer.json`. Inference cuts
//! each article into windows of subword pieces ([`pieces`]), runs the windows
//! of many articles in batches sorted by length, and decodes the label scores
//! with the constrained Viterbi of [`crate::decode`], so spans are always
//! valid and in article char offsets.
//!
//! [`NerModel`] is the model; [`TransformerRecognizer`] is the pipeline's
//! `Recognizer`; [`train`] fine-tunes a base encoder.

mod encoder;
pub mod pieces;
pub mod train;

use crate::decode::{LabelSet, TokenSpan};
use encoder::Encoder;
use kiji_core::{Document, Error, ErrorKind, Mention, MentionKind, Recognizer, Result, Span, Text, Token};
use pieces::{margin, windows, Piece, PieceTokenizer};
use serde_json::{json, Value};
use std::path::Path;
use std::sync::Mutex;
use tch::{nn, Device, Kind, Tensor};

/// Whether LibTorch sees a CUDA device.
pub fn cuda_available() -> bool {
    tch::Cuda::is_available()
}

/// Where the model runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DeviceChoice {
    Cpu,
    Cuda,
    /// CUDA when LibTorch sees a GPU, else CPU.
    #[default]
    Auto,
}

impl DeviceChoice {
    pub fn resolve(self) -> Result<Device> {
        match self {
            DeviceChoice::Cpu => Ok(Device::Cpu),
            DeviceChoice::Auto => Ok(Device::cuda_if_available()),
            DeviceChoice::Cuda if tch::Cuda::is_available() => Ok(Device::Cuda(0)),
            DeviceChoice::Cuda => Err(Error::new(
                ErrorKind::Config,
                "--device cuda: LibTorch sees no CUDA device (CPU-only libtorch, or no GPU); use --device cpu or auto",
            )),
        }
    }
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
    /// are slower there: 72 sentences/s at 8, 49 at 32, 18 at 128), 64 on CUDA.
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

/// A token-classification encoder, its labels and its tokenizer.
pub struct NerModel {
    vs: nn::VarStore,
    encoder: Encoder,
    labels: LabelSet,
    kinds: Vec<Option<MentionKind>>,
    tokenizer: PieceTokenizer,
    config: Value,
    device: Device,
    /// Weights held in fp16.
    is_half: bool,
}

impl NerModel {
    /// Load a fine-tuned model directory onto `device`.
    pub fn load(dir: &Path, device: Device) -> Result<Self> {
        let config = Self::read_config(dir)?;
        let labels = LabelSet::parse(&labels_of(&config)?).map_err(|e| resource("labels of", dir, e))?;
        let mut model = Self::build(dir, config, labels, device)?;
        let weights = dir.join("model.safetensors");
        model.vs.load(&weights).map_err(|e| resource("cannot load weights", &weights, e))?;
        // Loading takes the file's precision (fp16 for the shipped model):
        // compute in fp32 unless asked otherwise (NerModel::half).
        model.vs.float();
        Ok(model)
    }

    /// A pre-trained encoder from `dir` (any head in it is ignored) with a
    /// new, randomly initialised classifier for `labels`: the start of
    /// fine-tuning.
    pub fn from_base(dir: &Path, labels: LabelSet, device: Device) -> Result<Self> {
        let config = with_labels(Self::read_config(dir)?, &labels);
        let model = Self::build(dir, config, labels, device)?;
        let weights = dir.join("model.safetensors");
        let named: std::collections::HashMap<String, Tensor> =
            Tensor::read_safetensors(&weights).map_err(|e| resource("cannot load weights", &weights, e))?.into_iter().collect();
        let mut missing = Vec::new();
        for (name, mut var) in model.vs.variables() {
            if name.starts_with("classifier") {
                continue;
            }
            match named.get(&name) {
                Some(src) if src.size() == var.size() => {
                    tch::no_grad(|| var.f_copy_(src)).map_err(|e| resource("cannot load weights", &weights, format!("{name}: {e}")))?
                }
                Some(src) => {
                    return Err(resource(
                        "base weights",
                        &weights,
                        format!("{name} has shape {:?}, the config asks for {:?}", src.size(), var.size()),
                    ))
                }
                None => missing.push(name),
            }
        }
        if !missing.is_empty() {
            missing.sort();
            return Err(resource(
                "base weights",
                &weights,
                format!("{} encoder tensors missing, e.g. {:?}", missing.len(), &missing[..missing.len().min(3)]),
            ));
        }
        Ok(model)
    }

    fn read_config(dir: &Path) -> Result<Value> {
        let path = dir.join("config.json");
        let text = std::fs::read_to_string(&path).map_err(|e| resource("cannot read", &path, e))?;
        serde_json::from_str(&text).map_err(|e| resource("cannot parse", &path, e))
    }

    fn build(dir: &Path, config: Value, labels: LabelSet, device: Device) -> Result<Self> {
        let tokenizer = PieceTokenizer::from_file(&dir.join("tokenizer.json"))?;
        let vs = nn::VarStore::new(device);
        let encoder = Encoder::build(&vs.root(), &config)?;
        let kinds = labels.types().iter().map(|t| kind_of(t)).collect();
        Ok(NerModel { vs, encoder, labels, kinds, tokenizer, config, device, is_half: false })
    }

    /// Write `config.json`, `tokenizer.json` and `model.safetensors` (fp16
    /// when `half`, which also leaves the weights in memory rounded to fp16).
    pub fn save(&mut self, dir: &Path, half: bool) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| resource("cannot create", dir, e))?;
        let config = serde_json::to_string_pretty(&self.config).map_err(|e| resource("config of", dir, e))?;
        std::fs::write(dir.join("config.json"), config).map_err(|e| resource("cannot write config.json in", dir, e))?;
        self.tokenizer.tokenizer().save(dir.join("tokenizer.json"), false).map_err(|e| resource("cannot write tokenizer.json in", dir, e))?;
        let weights = dir.join("model.safetensors");
        if half && !self.is_half {
            self.vs.half();
        }
        let saved = self.vs.save(&weights).map_err(|e| resource("cannot write", &weights, e));
        if half && !self.is_half {
            self.vs.float();
        }
        saved
    }

    pub fn labels(&self) -> &LabelSet {
        &self.labels
    }
    pub fn device(&self) -> Device {
        self.device
    }
    pub fn var_store(&self) -> &nn::VarStore {
        &self.vs
    }
    pub fn tokenizer(&self) -> &PieceTokenizer {
        &self.tokenizer
    }
    pub fn n_parameters(&self) -> i64 {
        self.vs.trainable_variables().iter().map(|t| t.numel() as i64).sum()
    }
    /// Run in fp16 (CUDA inference).
    pub fn half(&mut self) {
        self.vs.half();
        self.is_half = true;
    }

    /// `[CLS] ids [SEP]` rows padded to the longest: ids and mask `[b, t]`.
    fn batch_tensors(&self, rows: &[&[i64]]) -> (Tensor, Tensor) {
        let t = rows.iter().map(|r| r.len()).max().unwrap_or(0) + 2;
        let mut ids = vec![self.tokenizer.pad; rows.len() * t];
        let mut mask = vec![0i64; rows.len() * t];
        for (r, row) in rows.iter().enumerate() {
            let at = r * t;
            ids[at] = self.tokenizer.cls;
            ids[at + 1..at + 1 + row.len()].copy_from_slice(row);
            ids[at + 1 + row.len()] = self.tokenizer.sep;
            mask[at..at + row.len() + 2].iter_mut().for_each(|m| *m = 1);
        }
        let shape = [rows.len() as i64, t as i64];
        (Tensor::from_slice(&ids).view(shape).to(self.device), Tensor::from_slice(&mask).view(shape).to(self.device))
    }

    /// Logits `[b, t, labels]` of padded rows of piece ids (no [CLS]/[SEP]).
    pub(crate) fn logits(&self, rows: &[&[i64]], train: bool) -> Result<Tensor> {
        let (ids, mask) = self.batch_tensors(rows);
        self.encoder.forward(&ids, &mask, train)
    }

    /// Pieces per window (without [CLS]/[SEP]) for a requested `max_len`,
    /// within the model's position embeddings (RoBERTa-style models start
    /// positions after the padding id, hence the margin).
    pub(crate) fn window_width(&self, max_len: usize) -> usize {
        let positions = self.config.get("max_position_embeddings").and_then(Value::as_u64).unwrap_or(512) as usize;
        max_len.min(positions.saturating_sub(2)).saturating_sub(2).max(1)
    }

    /// Entity spans (article char offsets, type index, score) of each text.
    pub fn predict(&self, docs: &[(&Text, &[Token])], opts: &InferenceOptions) -> Result<Vec<Vec<(Span, usize, f32)>>> {
        let pieces: Vec<Vec<Piece>> = docs.iter().map(|(text, tokens)| self.tokenizer.pieces(text, tokens)).collect::<Result<_>>()?;
        let ids: Vec<Vec<i64>> = pieces.iter().map(|p| p.iter().map(|p| p.id).collect()).collect();
        let width = self.window_width(opts.max_len);
        let overlap = opts.overlap.min(width / 2);
        let mut wins: Vec<(usize, usize, usize)> = Vec::new();
        for (d, p) in pieces.iter().enumerate() {
            wins.extend(windows(p.len(), width, overlap).into_iter().map(|(s, e)| (d, s, e)));
        }
        // Longest first: similar lengths share a batch, little padding.
        wins.sort_by_key(|&(d, s, e)| (std::cmp::Reverse(e - s), d, s));
        let nl = self.labels.len();
        let mut scores: Vec<Vec<f32>> = pieces.iter().map(|p| vec![0f32; p.len() * nl]).collect();
        let mut best_margin: Vec<Vec<usize>> = pieces.iter().map(|p| vec![usize::MAX; p.len()]).collect();
        let batch_size = match opts.batch_size {
            0 if self.device.is_cuda() => 64,
            0 => 8,
            n => n,
        };
        for batch in wins.chunks(batch_size) {
            let rows: Vec<&[i64]> = batch.iter().map(|&(d, s, e)| &ids[d][s..e]).collect();
            let logp = tch::no_grad(|| -> Result<Tensor> {
                Ok(self.logits(&rows, false)?.log_softmax(-1, Kind::Float).to_device(Device::Cpu))
            })?;
            let t = logp.size()[1] as usize;
            let flat: Vec<f32> = Vec::<f32>::try_from(logp.flatten(0, -1)).map_err(|e| Error::new(ErrorKind::Resource, e.to_string()))?;
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
                self.labels
                    .decode(sc, p.len())
                    .into_iter()
                    .map(|TokenSpan { start, end, ty, score }| (Span::new(p[start].span.start, p[end - 1].span.end), ty, score))
                    .collect()
            })
            .collect())
    }

    /// Mentions of the NER types this model knows, for each document.
    pub fn mentions(&self, docs: &[&Document], opts: &InferenceOptions) -> Result<Vec<Vec<Mention>>> {
        let inputs: Vec<(&Text, &[Token])> = docs.iter().map(|d| (&d.text, d.tokens.as_slice())).collect();
        let spans = self.predict(&inputs, opts)?;
        Ok(docs
            .iter()
            .zip(spans)
            .map(|(doc, spans)| {
                spans
                    .into_iter()
                    .filter_map(|(span, ty, score)| {
                        Some(Mention {
                            span,
                            kind: self.kinds[ty]?,
                            name: doc.text.slice(span).to_owned(),
                            suffix: None,
                            suffix_class: None,
                            score,
                        })
                    })
                    .collect()
            })
            .collect())
    }
}

/// The pipeline's transformer backend: one model behind a lock (LibTorch
/// parallelises inside each forward pass), batched across articles.
pub struct TransformerRecognizer {
    model: Mutex<NerModel>,
    opts: InferenceOptions,
}

impl TransformerRecognizer {
    /// Load `dir` on the device `opts` asks for (fp16 on CUDA if asked).
    pub fn load(dir: &Path, opts: InferenceOptions) -> Result<Self> {
        let device = opts.device.resolve()?;
        let mut model = NerModel::load(dir, device)?;
        if device.is_cuda() && opts.half_on_cuda {
            model.half();
        }
        Ok(TransformerRecognizer { model: Mutex::new(model), opts })
    }

    pub fn device(&self) -> Device {
        self.model.lock().map(|m| m.device()).unwrap_or(Device::Cpu)
    }
}

impl Recognizer for TransformerRecognizer {
    fn recognize(&self, doc: &Document) -> Vec<Mention> {
        self.recognize_batch(&[doc]).pop().unwrap_or_default()
    }

    fn recognize_batch(&self, docs: &[&Document]) -> Vec<Vec<Mention>> {
        let model = match self.model.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        // rust-bert calls LibTorch through tch's panicking methods: a C++
        // error (out of memory, say) arrives as a panic. Either way, report
        // it and let the rule stages run on no model mentions rather than
        // lose the records.
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| model.mentions(docs, &self.opts))) {
            Ok(Ok(m)) => m,
            Ok(Err(e)) => {
                eprintln!("kiji-ner transformer: {e}");
                vec![Vec::new(); docs.len()]
            }
            Err(_) => {
                eprintln!("kiji-ner transformer: LibTorch failed on a batch of {} documents; they get no model mentions", docs.len());
                vec![Vec::new(); docs.len()]
            }
        }
    }

    fn batched(&self) -> bool {
        true
    }
}

/// A small randomly initialised BERT in Hugging Face layout, with a Unigram
/// tokenizer over the characters of `texts`: for tests and smoke runs of the
/// loading, decoding and training code without a real checkpoint.
pub fn write_random_model(dir: &Path, texts: &[&str], labels: &LabelSet, hidden: i64, layers: i64, seed: i64) -> Result<()> {
    use tokenizers::models::unigram::Unigram;
    use tokenizers::pre_tokenizers::metaspace::{Metaspace, PrependScheme};
    let mut vocab: Vec<(String, f64)> = ["<s>", "<pad>", "</s>", "<unk>", "▁"].iter().map(|s| (s.to_string(), 0.0)).collect();
    let mut chars: Vec<char> = texts.iter().flat_map(|t| t.chars()).filter(|c| !c.is_whitespace()).collect();
    chars.sort_unstable();
    chars.dedup();
    vocab.extend(chars.iter().map(|c| (c.to_string(), -5.0)));
    let unigram = Unigram::from(vocab.clone(), Some(3), false).map_err(|e| Error::new(ErrorKind::Resource, e.to_string()))?;
    let mut tokenizer = tokenizers::Tokenizer::new(unigram);
    tokenizer.with_pre_tokenizer(Some(Metaspace::new('▁', PrependScheme::Always, true)));
    std::fs::create_dir_all(dir).map_err(|e| resource("cannot create", dir, e))?;
    tokenizer.save(dir.join("tokenizer.json"), false).map_err(|e| resource("cannot write tokenizer in", dir, e))?;
    let config = with_labels(
        json!({
            "model_type": "bert", "hidden_act": "gelu", "attention_probs_dropout_prob": 0.1, "hidden_dropout_prob": 0.1,
            "hidden_size": hidden, "initializer_range": 0.02, "intermediate_size": hidden * 2,
            "max_position_embeddings": 512, "num_attention_heads": 2, "num_hidden_layers": layers,
            "type_vocab_size": 2, "vocab_size": vocab.len(), "pad_token_id": 1
        }),
        labels,
    );
    std::fs::write(dir.join("config.json"), serde_json::to_string_pretty(&config).unwrap_or_default())
        .map_err(|e| resource("cannot write config in", dir, e))?;
    tch::manual_seed(seed);
    let vs = nn::VarStore::new(Device::Cpu);
    let _encoder = Encoder::build(&vs.root(), &config)?;
    let weights = dir.join("model.safetensors");
    vs.save(&weights).map_err(|e| resource("cannot write", &weights, e))
}
