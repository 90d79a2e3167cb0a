//! The encoder architectures rust-bert implements for token classification,
//! behind one forward function.
use kiji_core::{Error, ErrorKind, Result};
use rust_bert::bert::{BertConfig, BertForTokenClassification};
use rust_bert::deberta_v2::{DebertaV2Config, DebertaV2ForTokenClassification};
use rust_bert::electra::{ElectraConfig, ElectraForTokenClassification};
use rust_bert::roberta::RobertaForTokenClassification;
use tch::{nn, Tensor};

pub(crate) enum Encoder {
    Bert(BertForTokenClassification),
    Roberta(RobertaForTokenClassification),
    Electra(ElectraForTokenClassification),
    DebertaV2(DebertaV2ForTokenClassification),
}

fn config_error(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Resource, format!("model config.json: {e}"))
}

impl Encoder {
    /// The `model_type` values of Hugging Face configs this backend loads.
    pub const MODEL_TYPES: &'static [&'static str] = &["bert", "roberta", "xlm-roberta", "electra", "deberta-v2"];

    /// Build the architecture `config["model_type"]` names, with its
    /// variables under `p` (weights are loaded afterwards).
    pub fn build(p: &nn::Path, config: &serde_json::Value) -> Result<Self> {
        let model_type = config.get("model_type").and_then(|v| v.as_str()).unwrap_or("bert");
        Ok(match model_type {
            "bert" => {
                let c: BertConfig = serde_json::from_value(config.clone()).map_err(config_error)?;
                Encoder::Bert(BertForTokenClassification::new(p, &c).map_err(config_error)?)
            }
            "roberta" | "xlm-roberta" => {
                let c: BertConfig = serde_json::from_value(config.clone()).map_err(config_error)?;
                Encoder::Roberta(RobertaForTokenClassification::new(p, &c).map_err(config_error)?)
            }
            "electra" => {
                let c: ElectraConfig = serde_json::from_value(config.clone()).map_err(config_error)?;
                Encoder::Electra(ElectraForTokenClassification::new(p, &c).map_err(config_error)?)
            }
            "deberta-v2" => {
                let c: DebertaV2Config = serde_json::from_value(config.clone()).map_err(config_error)?;
                Encoder::DebertaV2(DebertaV2ForTokenClassification::new(p, &c).map_err(config_error)?)
            }
            other => {
                return Err(config_error(format!(
                    "model_type {other:?} is not supported (supported: {})",
                    Self::MODEL_TYPES.join(", ")
                )))
            }
        })
    }

    /// Logits `[batch, seq, labels]` for `ids`/`mask` `[batch, seq]`.
    pub fn forward(&self, ids: &Tensor, mask: &Tensor, train: bool) -> Result<Tensor> {
        let (ids, mask) = (Some(ids), Some(mask));
        Ok(match self {
            Encoder::Bert(m) => m.forward_t(ids, mask, None, None, None, train).logits,
            Encoder::Roberta(m) => m.forward_t(ids, mask, None, None, None, train).logits,
            Encoder::Electra(m) => m.forward_t(ids, mask, None, None, None, train).logits,
            Encoder::DebertaV2(m) => {
                m.forward_t(ids, mask, None, None, None, train).map_err(|e| Error::new(ErrorKind::Resource, e.to_string()))?.logits
            }
        })
    }
}
