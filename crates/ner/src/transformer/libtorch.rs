//! The LibTorch engine (feature `torch`): rust-bert's *ForTokenClassification
//! structs with tch, on CPU or CUDA; [`super::train`] fine-tunes it.
use super::encoder::Encoder;
use super::pieces::PieceTokenizer;
use super::{resource, with_labels, DeviceChoice, InferenceOptions, ModelSpec, Scorer, Scores};
use crate::decode::LabelSet;
use kiji_core::{Document, Error, ErrorKind, Mention, Result, Span, Text, Token};
use serde_json::json;
use std::path::Path;
use tch::{nn, Device, Kind, Tensor};

/// Whether LibTorch sees a CUDA device.
pub fn cuda_available() -> bool {
    tch::Cuda::is_available()
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

/// A token-classification encoder, its labels and its tokenizer.
pub struct NerModel {
    pub(super) vs: nn::VarStore,
    encoder: Encoder,
    spec: ModelSpec,
    device: Device,
    /// Weights held in fp16.
    is_half: bool,
}

impl NerModel {
    /// Load a fine-tuned model directory onto `device`.
    pub fn load(dir: &Path, device: Device) -> Result<Self> {
        let mut model = Self::build(ModelSpec::load(dir)?, device)?;
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
        let model = Self::build(ModelSpec::new(dir, ModelSpec::read_config(dir)?, labels)?, device)?;
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

    fn build(spec: ModelSpec, device: Device) -> Result<Self> {
        let vs = nn::VarStore::new(device);
        let encoder = Encoder::build(&vs.root(), &spec.config)?;
        Ok(NerModel { vs, encoder, spec, device, is_half: false })
    }

    /// Write `config.json`, `tokenizer.json` and `model.safetensors` (fp16
    /// when `half`, which also leaves the weights in memory rounded to fp16).
    pub fn save(&mut self, dir: &Path, half: bool) -> Result<()> {
        std::fs::create_dir_all(dir).map_err(|e| resource("cannot create", dir, e))?;
        let config = serde_json::to_string_pretty(&self.spec.config).map_err(|e| resource("config of", dir, e))?;
        std::fs::write(dir.join("config.json"), config).map_err(|e| resource("cannot write config.json in", dir, e))?;
        self.spec.tokenizer.tokenizer().save(dir.join("tokenizer.json"), false).map_err(|e| resource("cannot write tokenizer.json in", dir, e))?;
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
        &self.spec.labels
    }
    pub fn device(&self) -> Device {
        self.device
    }
    pub fn var_store(&self) -> &nn::VarStore {
        &self.vs
    }
    pub fn tokenizer(&self) -> &PieceTokenizer {
        &self.spec.tokenizer
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
        let mut ids = vec![self.spec.tokenizer.pad; rows.len() * t];
        let mut mask = vec![0i64; rows.len() * t];
        for (r, row) in rows.iter().enumerate() {
            let framed = self.spec.framed(row);
            let at = r * t;
            ids[at..at + framed.len()].copy_from_slice(&framed);
            mask[at..at + framed.len()].iter_mut().for_each(|m| *m = 1);
        }
        let shape = [rows.len() as i64, t as i64];
        (Tensor::from_slice(&ids).view(shape).to(self.device), Tensor::from_slice(&mask).view(shape).to(self.device))
    }

    /// Logits `[b, t, labels]` of padded rows of piece ids (no [CLS]/[SEP]).
    pub(crate) fn logits(&self, rows: &[&[i64]], train: bool) -> Result<Tensor> {
        let (ids, mask) = self.batch_tensors(rows);
        self.encoder.forward(&ids, &mask, train)
    }

    pub(crate) fn window_width(&self, max_len: usize) -> usize {
        self.spec.window_width(max_len)
    }

    /// Entity spans (article char offsets, type index, score) of each text.
    pub fn predict(&self, docs: &[(&Text, &[Token])], opts: &InferenceOptions) -> Result<Vec<Vec<(Span, usize, f32)>>> {
        super::predict(self, docs, opts)
    }

    /// Mentions of the NER types this model knows, for each document.
    pub fn mentions(&self, docs: &[&Document], opts: &InferenceOptions) -> Result<Vec<Vec<Mention>>> {
        super::mentions(self, docs, opts)
    }
}

impl Scorer for NerModel {
    fn spec(&self) -> &ModelSpec {
        &self.spec
    }

    fn log_probs(&self, rows: &[&[i64]]) -> Result<Scores> {
        let logp = tch::no_grad(|| -> Result<Tensor> { Ok(self.logits(rows, false)?.log_softmax(-1, Kind::Float).to_device(Device::Cpu)) })?;
        let t = logp.size()[1] as usize;
        let flat = Vec::<f32>::try_from(logp.flatten(0, -1)).map_err(|e| Error::new(ErrorKind::Resource, e.to_string()))?;
        Ok(Scores { flat, t })
    }

    fn default_batch_size(&self) -> usize {
        if self.device.is_cuda() {
            64
        } else {
            8
        }
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
