//! The learned stages' model: a binary logistic regression over hashed
//! sparse features, its versioned file format and its deterministic trainer
//! (the person stage's `person`/`offender` models, the attribute stage's
//! field models).
//!
//! File (little-endian): `KIJIPLM1`, feature version (u32), name (u32 length
//! + UTF-8), threshold (f32), bias (f32), weight count (u32), then the
//! (key u64, weight f32) pairs sorted by key. The same model always writes
//! the same bytes. The feature version is the extracting stage's: a file
//! made by other feature templates is refused, naming the file.
use crate::lexicon::chars;
use crate::{Error, ErrorKind, Pos, Result};
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::Path;

const MAGIC: &[u8; 8] = b"KIJIPLM1";

/// Hasher for keys that are already well-mixed 64-bit hashes.
#[derive(Default)]
pub struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u64(&mut self, x: u64) {
        self.0 = x;
    }
}

/// A map keyed by feature hashes (no second hashing).
pub type IdMap<V> = HashMap<u64, V, BuildHasherDefault<IdHasher>>;

type Weights = IdMap<f32>;

// ---- Features: hashed keys `template \x1f value` and the helpers the stages share.

/// FNV-1a over the template and the value.
pub fn key(template: &str, value: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in template.bytes().chain(std::iter::once(0x1f)).chain(value.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Collects the hashed features of one example (reused across examples).
#[derive(Debug, Default)]
pub struct FeatureBuf {
    pub keys: Vec<u64>,
    /// The readable features, kept only when `explain` is set (for tests and diagnostics).
    pub names: Vec<String>,
    pub explain: bool,
}

impl FeatureBuf {
    pub fn clear(&mut self) {
        self.keys.clear();
        self.names.clear();
    }
    pub fn add(&mut self, template: &str, value: &str) {
        self.keys.push(key(template, value));
        if self.explain {
            self.names.push(format!("{template}={value}"));
        }
    }
    /// The keys, sorted and de-duplicated (a set of binary features).
    pub fn finish(&mut self) -> &[u64] {
        self.keys.sort_unstable();
        self.keys.dedup();
        &self.keys
    }
}

/// A coarse char class: K kanji, H hiragana, k katakana, L Latin, D digit,
/// ・ a name separator, o other.
pub fn char_class(c: char) -> char {
    match c {
        c if chars::is_kanji(c) => 'K',
        c if chars::is_hiragana(c) => 'H',
        c if chars::is_katakana(c) => 'k',
        c if c.is_ascii_alphabetic() => 'L',
        c if c.is_ascii_digit() => 'D',
        '・' | '=' | '.' => '・',
        _ => 'o',
    }
}

/// The char classes of a string with runs collapsed (「風見しんご」→ "KH").
pub fn shape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().map(char_class) {
        if !out.ends_with(c) {
            out.push(c);
        }
    }
    out
}

pub fn bucket(n: usize, cap: usize) -> String {
    if n >= cap { format!("{cap}+") } else { n.to_string() }
}

pub fn pos_name(p: Pos) -> &'static str {
    match p {
        Pos::Surname => "sei",
        Pos::GivenName => "mei",
        Pos::PersonName => "jinmei",
        Pos::Organization => "org",
        Pos::Place => "place",
        Pos::ProperNoun => "proper",
        Pos::Number => "num",
        Pos::NounSuffix => "suffix",
        Pos::Noun => "noun",
        Pos::Predicate => "pred",
        Pos::Particle => "part",
        Pos::Symbol => "sym",
        Pos::Prefix => "prefix",
        Pos::Other => "other",
    }
}

// ---- The model.

/// A trained binary classifier: `p = sigmoid(bias + Σ w[f])`, positive when
/// `p >= threshold`.
#[derive(Debug, Clone, PartialEq)]
pub struct LinearModel {
    /// What the model decides (`person`, `offender`), written into the file.
    pub name: String,
    /// The feature templates' version the weights belong to.
    pub feature_version: u32,
    pub threshold: f32,
    bias: f32,
    weights: Weights,
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// How to train a [`LinearModel`].
#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    /// AdaGrad base learning rate.
    pub learning_rate: f32,
    /// L2 penalty applied to the active features of each example.
    pub l2: f32,
    /// Shuffling seed (training is deterministic for a seed).
    pub seed: u64,
    pub threshold: f32,
    /// Average the weights over the second half of the epochs (less
    /// dependent on the order of the last examples seen).
    pub average: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions { epochs: 30, learning_rate: 0.1, l2: 1e-4, seed: 1, threshold: 0.5, average: false }
    }
}

/// One training example: its feature keys and its label.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    pub features: Vec<u64>,
    pub label: bool,
}

/// A small deterministic generator for shuffling (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

impl LinearModel {
    /// A model that knows nothing: every probability is 0.5.
    pub fn untrained(name: &str, feature_version: u32) -> Self {
        LinearModel { name: name.to_owned(), feature_version, threshold: 0.5, bias: 0.0, weights: Weights::default() }
    }

    /// Logistic regression by AdaGrad over the examples in a seeded order.
    pub fn train(name: &str, feature_version: u32, examples: &[Example], opts: &TrainOptions) -> Self {
        let mut w = Weights::default();
        let mut g2 = Weights::default();
        let (mut bias, mut bias_g2) = (0.0f32, 1e-6f32);
        let mut order: Vec<usize> = (0..examples.len()).collect();
        let mut rng = Rng(opts.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let (mut sum, mut bias_sum, mut n_sum) = (Weights::default(), 0.0f32, 0usize);
        for epoch in 0..opts.epochs {
            rng.shuffle(&mut order);
            for &i in &order {
                let ex = &examples[i];
                let z = bias + ex.features.iter().map(|k| w.get(k).copied().unwrap_or(0.0)).sum::<f32>();
                let g = sigmoid(z) - if ex.label { 1.0 } else { 0.0 };
                bias_g2 += g * g;
                bias -= opts.learning_rate * g / bias_g2.sqrt();
                for &k in &ex.features {
                    let wk = w.entry(k).or_insert(0.0);
                    let gk = g + opts.l2 * *wk;
                    let acc = g2.entry(k).or_insert(1e-6);
                    *acc += gk * gk;
                    *wk -= opts.learning_rate * gk / acc.sqrt();
                }
            }
            if opts.average && epoch >= opts.epochs / 2 {
                for (&k, &v) in &w {
                    *sum.entry(k).or_insert(0.0) += v;
                }
                bias_sum += bias;
                n_sum += 1;
            }
        }
        if n_sum > 0 {
            w = sum.into_iter().map(|(k, v)| (k, v / n_sum as f32)).collect();
            bias = bias_sum / n_sum as f32;
        }
        w.retain(|_, v| v.abs() > 1e-6);
        LinearModel { name: name.to_owned(), feature_version, threshold: opts.threshold, bias, weights: w }
    }

    /// The probability of the positive class.
    pub fn probability(&self, features: &[u64]) -> f32 {
        sigmoid(self.bias + features.iter().map(|k| self.weights.get(k).copied().unwrap_or(0.0)).sum::<f32>())
    }

    /// The decision and its probability.
    pub fn decide(&self, features: &[u64]) -> (bool, f32) {
        let p = self.probability(features);
        (p >= self.threshold, p)
    }

    pub fn n_weights(&self) -> usize {
        self.weights.len()
    }

    /// The versioned bytes of the model (deterministic: keys sorted).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(32 + self.name.len() + self.weights.len() * 12);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.feature_version.to_le_bytes());
        out.extend_from_slice(&(self.name.len() as u32).to_le_bytes());
        out.extend_from_slice(self.name.as_bytes());
        out.extend_from_slice(&self.threshold.to_le_bytes());
        out.extend_from_slice(&self.bias.to_le_bytes());
        let mut pairs: Vec<(u64, f32)> = self.weights.iter().map(|(&k, &v)| (k, v)).collect();
        pairs.sort_unstable_by_key(|p| p.0);
        out.extend_from_slice(&(pairs.len() as u32).to_le_bytes());
        for (k, v) in pairs {
            out.extend_from_slice(&k.to_le_bytes());
            out.extend_from_slice(&v.to_le_bytes());
        }
        out
    }

    /// Reads [`LinearModel::to_bytes`] of a model whose features are
    /// `feature_version`; `what` names the source in errors.
    pub fn from_bytes(bytes: &[u8], what: &str, feature_version: u32) -> Result<Self> {
        let bad = |why: &str| Error::new(ErrorKind::Resource, format!("{what}: not a kiji linear model ({why})"));
        let mut r = crate::bytes::Reader::new(bytes);
        if r.take(8).ok_or_else(|| bad("truncated header"))? != MAGIC {
            return Err(bad("bad magic"));
        }
        let version = r.u32().ok_or_else(|| bad("truncated header"))?;
        if version != feature_version {
            return Err(bad(&format!("feature version {version}, this build extracts version {feature_version}: retrain with `pipeline-run train`")));
        }
        let n = r.u32().ok_or_else(|| bad("truncated name"))? as usize;
        let name = std::str::from_utf8(r.take(n).ok_or_else(|| bad("truncated name"))?).map_err(|_| bad("name is not UTF-8"))?.to_owned();
        let threshold = r.f32().ok_or_else(|| bad("truncated threshold"))?;
        let bias = r.f32().ok_or_else(|| bad("truncated bias"))?;
        let count = r.u32().ok_or_else(|| bad("truncated weights"))? as usize;
        if r.remaining() != count * 12 {
            return Err(bad(&format!("{} weight bytes for {count} weights", r.remaining())));
        }
        let mut weights = Weights::with_capacity_and_hasher(count, Default::default());
        let mut last = None;
        for _ in 0..count {
            let k = r.u64().ok_or_else(|| bad("truncated weights"))?;
            let v = r.f32().ok_or_else(|| bad("truncated weights"))?;
            if last.is_some_and(|l| l >= k) || !v.is_finite() {
                return Err(bad("weights out of order or not finite"));
            }
            last = Some(k);
            weights.insert(k, v);
        }
        if !threshold.is_finite() || !bias.is_finite() {
            return Err(bad("threshold or bias not finite"));
        }
        Ok(LinearModel { name, feature_version, threshold, bias, weights })
    }

    /// Reads a model file; errors name the file.
    pub fn load(path: &Path, feature_version: u32) -> Result<Self> {
        let bytes = std::fs::read(path).map_err(|e| Error::new(ErrorKind::Resource, format!("cannot read model file {}: {e}", path.display())))?;
        Self::from_bytes(&bytes, &path.display().to_string(), feature_version)
    }

    /// Writes the model file.
    pub fn save(&self, path: &Path) -> Result<()> {
        std::fs::write(path, self.to_bytes()).map_err(|e| Error::new(ErrorKind::Io, format!("cannot write model file {}: {e}", path.display())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> Vec<Example> {
        // Feature 1 marks the positives, feature 2 the negatives, 3 is noise.
        (0..40).map(|i| Example { features: if i % 2 == 0 { vec![1, 3] } else { vec![2, 3] }, label: i % 2 == 0 }).collect()
    }

    #[test]
    fn learns_a_separable_problem() {
        let m = LinearModel::train("t", 1, &data(), &TrainOptions::default());
        assert!(m.decide(&[1, 3]).0);
        assert!(!m.decide(&[2, 3]).0);
        assert!(m.probability(&[1]) > 0.9 && m.probability(&[2]) < 0.1);
    }

    #[test]
    fn averaged_weights_learn_the_same_problem() {
        let avg = TrainOptions { average: true, ..TrainOptions::default() };
        let m = LinearModel::train("t", 1, &data(), &avg);
        assert!(m.decide(&[1, 3]).0 && !m.decide(&[2, 3]).0);
        assert!(m.probability(&[1]) > 0.9 && m.probability(&[2]) < 0.1);
        let last = LinearModel::train("t", 1, &data(), &TrainOptions::default());
        assert_ne!(m.to_bytes(), last.to_bytes(), "the averaged weights are other weights");
        assert_eq!(m.to_bytes(), LinearModel::train("t", 1, &data(), &avg).to_bytes(), "deterministic");
    }

    #[test]
    fn bytes_round_trip_and_training_is_deterministic() {
        let a = LinearModel::train("t", 1, &data(), &TrainOptions::default());
        let b = LinearModel::train("t", 1, &data(), &TrainOptions::default());
        assert_eq!(a.to_bytes(), b.to_bytes());
        let back = LinearModel::from_bytes(&a.to_bytes(), "mem", 1).unwrap();
        assert_eq!(back, a);
        assert_eq!(back.to_bytes(), a.to_bytes());
    }

    #[test]
    fn corrupt_bytes_are_errors_naming_the_source() {
        let bytes = LinearModel::train("t", 1, &data(), &TrainOptions::default()).to_bytes();
        for cut in [0, 7, 12, bytes.len() - 1] {
            let e = LinearModel::from_bytes(&bytes[..cut], "models/x.kpm", 1).unwrap_err();
            assert!(e.context.contains("models/x.kpm"), "{e}");
        }
        let mut wrong = bytes.clone();
        wrong[8] ^= 1;
        assert!(LinearModel::from_bytes(&wrong, "f", 1).unwrap_err().context.contains("feature version"));
    }
}
