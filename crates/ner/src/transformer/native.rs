//! The native engine: BERT token classification in plain Rust, f32 on the
//! CPU, no LibTorch. It reads the same model directories as the LibTorch
//! engine (weights fp32 or fp16, held as f32) and computes the same function
//! (rust-bert's / transformers' `BertForTokenClassification` in eval mode):
//! embeddings (word + position + token type 0) and LayerNorm, then per
//! layer self-attention, residual + LayerNorm, feed-forward with GELU,
//! residual + LayerNorm; a linear classifier; log-softmax.
//!
//! The model is immutable and shared by the pipeline's threads; each call
//! has its own buffers. The windows of one call (up to the batch size, 8 by
//! default) are stacked for every matrix product but attention, done by
//! `matrixmultiply`: with one window of a few dozen pieces, packing the
//! weight matrices costs as much as multiplying by them.
use super::{resource, ModelSpec, Scorer, Scores};
use kiji_core::{Error, ErrorKind, Result};
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// `y = x W^T + b` with `W` stored `[out, in]` (PyTorch's layout).
struct Linear {
    w: Vec<f32>,
    b: Vec<f32>,
    n_in: usize,
    n_out: usize,
}

impl Linear {
    /// `x` is `[t, n_in]`; returns `[t, n_out]`.
    fn forward(&self, x: &[f32], t: usize) -> Vec<f32> {
        let mut y: Vec<f32> = Vec::with_capacity(t * self.n_out);
        for _ in 0..t {
            y.extend_from_slice(&self.b);
        }
        // SAFETY: the strides describe x as [t, n_in] row-major, W^T as
        // [n_in, n_out] (W row-major [n_out, n_in]) and y as [t, n_out]
        // row-major; all three slices have exactly those sizes.
        unsafe {
            matrixmultiply::sgemm(
                t,
                self.n_in,
                self.n_out,
                1.0,
                x.as_ptr(),
                self.n_in as isize,
                1,
                self.w.as_ptr(),
                1,
                self.n_in as isize,
                1.0,
                y.as_mut_ptr(),
                self.n_out as isize,
                1,
            );
        }
        y
    }
}

struct LayerNorm {
    g: Vec<f32>,
    b: Vec<f32>,
    eps: f32,
}

impl LayerNorm {
    fn forward(&self, x: &mut [f32]) {
        let n = self.g.len();
        for row in x.chunks_mut(n) {
            let mean = row.iter().sum::<f32>() / n as f32;
            let var = row.iter().map(|v| (v - mean) * (v - mean)).sum::<f32>() / n as f32;
            let inv = 1.0 / (var + self.eps).sqrt();
            for ((v, g), b) in row.iter_mut().zip(&self.g).zip(&self.b) {
                *v = (*v - mean) * inv * g + b;
            }
        }
    }
}

struct Layer {
    query: Linear,
    key: Linear,
    value: Linear,
    attn_out: Linear,
    attn_norm: LayerNorm,
    up: Linear,
    down: Linear,
    out_norm: LayerNorm,
}

#[derive(Clone, Copy)]
enum Activation {
    /// Exact GELU, `x Φ(x)` (BERT's "gelu").
    Gelu,
    /// The tanh approximation ("gelu_new", "gelu_pytorch_tanh").
    GeluTanh,
    Relu,
}

impl Activation {
    fn parse(name: &str) -> Option<Self> {
        match name {
            "gelu" => Some(Activation::Gelu),
            "gelu_new" | "gelu_pytorch_tanh" | "gelu_fast" => Some(Activation::GeluTanh),
            "relu" => Some(Activation::Relu),
            _ => None,
        }
    }

    fn apply(self, x: &mut [f32]) {
        match self {
            Activation::Gelu => x.iter_mut().for_each(|v| *v = 0.5 * *v * (1.0 + erf(*v / std::f32::consts::SQRT_2))),
            Activation::GeluTanh => {
                let c = (2.0 / std::f32::consts::PI).sqrt();
                x.iter_mut().for_each(|v| *v = 0.5 * *v * (1.0 + (c * (*v + 0.044715 * *v * *v * *v)).tanh()))
            }
            Activation::Relu => x.iter_mut().for_each(|v| *v = v.max(0.0)),
        }
    }
}

/// The error function, to f32 precision (W. J. Cody's rational
/// approximations as in Sun's fdlibm `erf`, evaluated in f64).
fn erf(x: f32) -> f32 {
    let x = x as f64;
    let a = x.abs();
    let y = if a < 0.84375 {
        const P: [f64; 5] = [1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02, -5.77027029648944159157e-03, -2.37630166566501626084e-05];
        const Q: [f64; 5] = [3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03, 1.32494738004321644526e-04, -3.96022827877536812320e-06];
        let z = a * a;
        let r = P[0] + z * (P[1] + z * (P[2] + z * (P[3] + z * P[4])));
        let s = 1.0 + z * (Q[0] + z * (Q[1] + z * (Q[2] + z * (Q[3] + z * Q[4]))));
        a + a * (r / s)
    } else if a < 1.25 {
        const P: [f64; 7] = [-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01, 3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02, -2.16637559486879084300e-03];
        const Q: [f64; 6] = [1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02, 1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02];
        let s = a - 1.0;
        let p = P[0] + s * (P[1] + s * (P[2] + s * (P[3] + s * (P[4] + s * (P[5] + s * P[6])))));
        let q = 1.0 + s * (Q[0] + s * (Q[1] + s * (Q[2] + s * (Q[3] + s * (Q[4] + s * Q[5])))));
        8.45062911510467529297e-01 + p / q
    } else if a < 6.0 {
        // erfc(a) = exp(-a^2 - 0.5625 + R/S) / a
        let s = 1.0 / (a * a);
        let (r, q) = if a < 1.0 / 0.35 {
            const R: [f64; 8] = [-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01, -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02, -8.12874355063065934246e+01, -9.81432934416914548592e+00];
            const S: [f64; 8] = [1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02, 6.45387271733267880336e+02, 4.29008140027567833386e+02, 1.08635005541779435134e+02, 6.57024977031928170135e+00, -6.04244152148580987438e-02];
            (
                R[0] + s * (R[1] + s * (R[2] + s * (R[3] + s * (R[4] + s * (R[5] + s * (R[6] + s * R[7])))))),
                1.0 + s * (S[0] + s * (S[1] + s * (S[2] + s * (S[3] + s * (S[4] + s * (S[5] + s * (S[6] + s * S[7]))))))),
            )
        } else {
            const R: [f64; 7] = [-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01, -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03, -4.83519191608651397019e+02];
            const S: [f64; 7] = [3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03, 3.19985821950859553908e+03, 2.55305040643316442583e+03, 4.74528541206955367215e+02, -2.24409524465858183362e+01];
            (
                R[0] + s * (R[1] + s * (R[2] + s * (R[3] + s * (R[4] + s * (R[5] + s * R[6]))))),
                1.0 + s * (S[0] + s * (S[1] + s * (S[2] + s * (S[3] + s * (S[4] + s * (S[5] + s * S[6])))))),
            )
        };
        1.0 - (-a * a - 0.5625 + r / q).exp() / a
    } else {
        1.0
    };
    (if x < 0.0 { -y } else { y }) as f32
}

/// Tensors of a safetensors file, as f32.
struct Weights {
    tensors: HashMap<String, (Vec<usize>, Vec<f32>)>,
    path: std::path::PathBuf,
}

impl Weights {
    fn read(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| resource("cannot read weights", path, e))?;
        let bad = |what: String| resource("bad safetensors file", path, what);
        let n = u64::from_le_bytes(bytes.get(..8).and_then(|b| b.try_into().ok()).ok_or_else(|| bad("shorter than its header".into()))?) as usize;
        let header: HashMap<String, Value> = bytes
            .get(8..8usize.saturating_add(n))
            .ok_or_else(|| bad(format!("header of {n} bytes past the end")))
            .and_then(|h| serde_json::from_slice(h).map_err(|e| bad(format!("header: {e}"))))?;
        let data = &bytes[8 + n..];
        let mut tensors = HashMap::with_capacity(header.len());
        for (name, info) in header {
            if name == "__metadata__" {
                continue;
            }
            let dtype = info.get("dtype").and_then(Value::as_str).unwrap_or_default();
            let shape: Vec<usize> = info
                .get("shape")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_u64).map(|d| d as usize).collect())
                .ok_or_else(|| bad(format!("{name}: no shape")))?;
            let offsets: Vec<usize> = info
                .get("data_offsets")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_u64).map(|d| d as usize).collect())
                .filter(|o: &Vec<usize>| o.len() == 2 && o[0] <= o[1])
                .ok_or_else(|| bad(format!("{name}: no data offsets")))?;
            let raw = data.get(offsets[0]..offsets[1]).ok_or_else(|| bad(format!("{name}: data past the end")))?;
            let values: Vec<f32> = match dtype {
                "F32" => raw.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect(),
                "F16" => raw.chunks_exact(2).map(|b| half::f16::from_le_bytes([b[0], b[1]]).to_f32()).collect(),
                "BF16" => raw.chunks_exact(2).map(|b| half::bf16::from_le_bytes([b[0], b[1]]).to_f32()).collect(),
                other => return Err(bad(format!("{name}: dtype {other} (F32, F16, BF16 are read)"))),
            };
            if values.len() != shape.iter().product::<usize>() {
                return Err(bad(format!("{name}: {} values for shape {shape:?}", values.len())));
            }
            tensors.insert(name, (shape, values));
        }
        Ok(Weights { tensors, path: path.to_owned() })
    }

    /// The tensor `name`, which must have `shape`.
    fn take(&mut self, name: &str, shape: &[usize]) -> Result<Vec<f32>> {
        match self.tensors.remove(name) {
            Some((s, v)) if s == shape => Ok(v),
            Some((s, _)) => Err(resource("weights", &self.path, format!("{name} has shape {s:?}, the config asks for {shape:?}"))),
            None => Err(resource("weights", &self.path, format!("no tensor {name}"))),
        }
    }

    fn linear(&mut self, prefix: &str, n_in: usize, n_out: usize) -> Result<Linear> {
        Ok(Linear { w: self.take(&format!("{prefix}.weight"), &[n_out, n_in])?, b: self.take(&format!("{prefix}.bias"), &[n_out])?, n_in, n_out })
    }

    fn norm(&mut self, prefix: &str, n: usize, eps: f32) -> Result<LayerNorm> {
        Ok(LayerNorm { g: self.take(&format!("{prefix}.weight"), &[n])?, b: self.take(&format!("{prefix}.bias"), &[n])?, eps })
    }
}

/// A BERT token classifier on the native engine.
pub struct NativeModel {
    spec: ModelSpec,
    word: Vec<f32>,
    position: Vec<f32>,
    token_type: Vec<f32>,
    embed_norm: LayerNorm,
    layers: Vec<Layer>,
    classifier: Linear,
    hidden: usize,
    heads: usize,
    vocab: usize,
    positions: usize,
    activation: Activation,
}

fn config_usize(config: &Value, key: &str, dir: &Path) -> Result<usize> {
    config.get(key).and_then(Value::as_u64).map(|v| v as usize).ok_or_else(|| resource("config.json in", dir, format!("no {key}")))
}

impl NativeModel {
    /// Load a fine-tuned BERT directory (`model_type` "bert"; the other
    /// encoders run on the LibTorch engine).
    pub fn load(dir: &Path) -> Result<Self> {
        let spec = ModelSpec::load(dir)?;
        let config = &spec.config;
        let model_type = config.get("model_type").and_then(Value::as_str).unwrap_or("bert");
        if model_type != "bert" {
            return Err(Error::new(
                ErrorKind::Config,
                format!("{}: model_type {model_type:?}; the native engine runs BERT only (the others need the `torch` feature)", dir.display()),
            ));
        }
        let hidden = config_usize(config, "hidden_size", dir)?;
        let heads = config_usize(config, "num_attention_heads", dir)?;
        let n_layers = config_usize(config, "num_hidden_layers", dir)?;
        let inter = config_usize(config, "intermediate_size", dir)?;
        let vocab = config_usize(config, "vocab_size", dir)?;
        let positions = config_usize(config, "max_position_embeddings", dir)?;
        let types = config.get("type_vocab_size").and_then(Value::as_u64).unwrap_or(2) as usize;
        let eps = config.get("layer_norm_eps").and_then(Value::as_f64).unwrap_or(1e-12) as f32;
        let act_name = config.get("hidden_act").and_then(Value::as_str).unwrap_or("gelu");
        let activation =
            Activation::parse(act_name).ok_or_else(|| resource("config.json in", dir, format!("hidden_act {act_name:?} (gelu, gelu_new, relu)")))?;
        if heads == 0 || hidden % heads != 0 {
            return Err(resource("config.json in", dir, format!("hidden_size {hidden} is not a multiple of {heads} heads")));
        }
        let mut w = Weights::read(&dir.join("model.safetensors"))?;
        let nl = spec.labels.len();
        let e = "bert.embeddings";
        let word = w.take(&format!("{e}.word_embeddings.weight"), &[vocab, hidden])?;
        let position = w.take(&format!("{e}.position_embeddings.weight"), &[positions, hidden])?;
        let token_type = w.take(&format!("{e}.token_type_embeddings.weight"), &[types, hidden])?;
        let embed_norm = w.norm(&format!("{e}.LayerNorm"), hidden, eps)?;
        let layers = (0..n_layers)
            .map(|i| {
                let l = format!("bert.encoder.layer.{i}");
                Ok(Layer {
                    query: w.linear(&format!("{l}.attention.self.query"), hidden, hidden)?,
                    key: w.linear(&format!("{l}.attention.self.key"), hidden, hidden)?,
                    value: w.linear(&format!("{l}.attention.self.value"), hidden, hidden)?,
                    attn_out: w.linear(&format!("{l}.attention.output.dense"), hidden, hidden)?,
                    attn_norm: w.norm(&format!("{l}.attention.output.LayerNorm"), hidden, eps)?,
                    up: w.linear(&format!("{l}.intermediate.dense"), hidden, inter)?,
                    down: w.linear(&format!("{l}.output.dense"), inter, hidden)?,
                    out_norm: w.norm(&format!("{l}.output.LayerNorm"), hidden, eps)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let classifier = w.linear("classifier", hidden, nl)?;
        Ok(NativeModel { spec, word, position, token_type, embed_norm, layers, classifier, hidden, heads, vocab, positions, activation })
    }

    /// Label log-probabilities of framed windows, stacked: `[Σt, labels]`.
    /// The windows share every matrix product except attention, so a
    /// weight matrix is packed once per call rather than once per window.
    fn forward(&self, windows: &[Vec<i64>]) -> Result<Vec<f32>> {
        let h = self.hidden;
        let n: usize = windows.iter().map(Vec::len).sum();
        let mut x = Vec::with_capacity(n * h);
        for ids in windows {
            if ids.len() > self.positions {
                return Err(Error::new(ErrorKind::Resource, format!("window of {} pieces past {} positions", ids.len(), self.positions)));
            }
            for (p, &id) in ids.iter().enumerate() {
                let id = usize::try_from(id)
                    .ok()
                    .filter(|&i| i < self.vocab)
                    .ok_or_else(|| Error::new(ErrorKind::Resource, format!("piece id {id} outside the vocabulary")))?;
                let (wv, pv) = (&self.word[id * h..(id + 1) * h], &self.position[p * h..(p + 1) * h]);
                x.extend(wv.iter().zip(pv).zip(&self.token_type[..h]).map(|((a, b), c)| a + b + c));
            }
        }
        self.embed_norm.forward(&mut x);
        let longest = windows.iter().map(Vec::len).max().unwrap_or(0);
        let mut att = vec![0f32; longest * longest];
        let mut ctx = vec![0f32; n * h];
        for layer in &self.layers {
            let (q, k, v) = (layer.query.forward(&x, n), layer.key.forward(&x, n), layer.value.forward(&x, n));
            let mut row0 = 0;
            for ids in windows {
                let t = ids.len();
                self.attention(&q[row0 * h..(row0 + t) * h], &k[row0 * h..(row0 + t) * h], &v[row0 * h..(row0 + t) * h], &mut att[..t * t], &mut ctx[row0 * h..(row0 + t) * h]);
                row0 += t;
            }
            let mut a = layer.attn_out.forward(&ctx, n);
            a.iter_mut().zip(&x).for_each(|(a, x)| *a += x);
            layer.attn_norm.forward(&mut a);
            let mut up = layer.up.forward(&a, n);
            self.activation.apply(&mut up);
            let mut out = layer.down.forward(&up, n);
            out.iter_mut().zip(&a).for_each(|(o, a)| *o += a);
            layer.out_norm.forward(&mut out);
            x = out;
        }
        let mut logits = self.classifier.forward(&x, n);
        for row in logits.chunks_mut(self.classifier.n_out) {
            let max = row.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
            let lse = max + row.iter().map(|v| (v - max).exp()).sum::<f32>().ln();
            row.iter_mut().for_each(|v| *v -= lse);
        }
        Ok(logits)
    }

    /// Self-attention of one window: `q`, `k`, `v` and `ctx` are `[t, h]`,
    /// `att` is `[t, t]` scratch.
    fn attention(&self, q: &[f32], k: &[f32], v: &[f32], att: &mut [f32], ctx: &mut [f32]) {
        let h = self.hidden;
        let t = q.len() / h;
        let d = h / self.heads;
        let scale = 1.0 / (d as f32).sqrt();
        for head in 0..self.heads {
            let o = head * d;
            // SAFETY: q_h and k_h are [t, d] views of [t, h] buffers (offset
            // o + d <= h, row stride h), att is [t, t]: every index the
            // strides reach lies inside q, k and att.
            unsafe {
                matrixmultiply::sgemm(t, d, t, scale, q.as_ptr().add(o), h as isize, 1, k.as_ptr().add(o), 1, h as isize, 0.0, att.as_mut_ptr(), t as isize, 1);
            }
            for row in att.chunks_mut(t) {
                let max = row.iter().cloned().fold(f32::NEG_INFINITY, f32::max);
                let mut sum = 0.0;
                row.iter_mut().for_each(|a| {
                    *a = (*a - max).exp();
                    sum += *a;
                });
                row.iter_mut().for_each(|a| *a /= sum);
            }
            // SAFETY: att is [t, t]; v_h and ctx_h are [t, d] views of [t, h]
            // buffers at offset o, row stride h.
            unsafe {
                matrixmultiply::sgemm(t, t, d, 1.0, att.as_ptr(), t as isize, 1, v.as_ptr().add(o), h as isize, 1, 0.0, ctx.as_mut_ptr().add(o), h as isize, 1);
            }
        }
    }

    pub fn spec(&self) -> &ModelSpec {
        &self.spec
    }
}

impl Scorer for NativeModel {
    fn spec(&self) -> &ModelSpec {
        &self.spec
    }

    fn log_probs(&self, rows: &[&[i64]]) -> Result<Scores> {
        let t = rows.iter().map(|r| r.len()).max().unwrap_or(0) + 2;
        let nl = self.classifier.n_out;
        let framed: Vec<Vec<i64>> = rows.iter().map(|r| self.spec.framed(r)).collect();
        let stacked = self.forward(&framed)?;
        let mut flat = vec![0f32; rows.len() * t * nl];
        let mut at = 0;
        for (r, w) in framed.iter().enumerate() {
            let len = w.len() * nl;
            flat[r * t * nl..r * t * nl + len].copy_from_slice(&stacked[at..at + len]);
            at += len;
        }
        Ok(Scores { flat, t })
    }

    fn default_batch_size(&self) -> usize {
        8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erf_matches_known_values() {
        // Values of erf to 7 digits (Abramowitz & Stegun, table 7.1).
        for (x, want) in [(0.0, 0.0), (0.1, 0.1124629), (0.5, 0.5204999), (1.0, 0.8427008), (1.5, 0.9661051), (2.0, 0.9953223), (3.0, 0.9999779), (7.0, 1.0)] {
            assert!((erf(x) - want).abs() < 2e-7, "erf({x}) = {}, want {want}", erf(x));
            assert!((erf(-x) + want).abs() < 2e-7);
        }
    }

    #[test]
    fn layer_norm_normalises_rows() {
        let ln = LayerNorm { g: vec![1.0; 4], b: vec![0.0; 4], eps: 1e-12 };
        let mut x = vec![1.0, 2.0, 3.0, 4.0, -2.0, 0.0, 2.0, 4.0];
        ln.forward(&mut x);
        for row in x.chunks(4) {
            assert!(row.iter().sum::<f32>().abs() < 1e-5);
            assert!((row.iter().map(|v| v * v).sum::<f32>() / 4.0 - 1.0).abs() < 1e-4);
        }
    }

    #[test]
    fn linear_is_x_times_w_transposed_plus_b() {
        let lin = Linear { w: vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0], b: vec![0.5, -0.5], n_in: 3, n_out: 2 };
        let y = lin.forward(&[1.0, 0.0, -1.0, 2.0, 1.0, 0.0], 2);
        assert_eq!(y, vec![1.0 - 3.0 + 0.5, 4.0 - 6.0 - 0.5, 2.0 + 2.0 + 0.5, 8.0 + 5.0 - 0.5]);
    }
}
