//! The transformer backend (feature `torch`) with small randomly initialised
//! BERTs in Hugging Face layout, on real sentences of the Stockmark
//! Wikipedia NER data (CC BY-SA 3.0, ../shared/data/ner/stockmark): loading,
//! char offsets of subword pieces, windows, decoding, training, saving.
#![cfg(feature = "torch")]

use kiji_core::{ArticleInput, Document, Recognizer, Span, Text};
use kiji_ner::decode::LabelSet;
use kiji_ner::transformer::pieces::PieceTokenizer;
use kiji_ner::transformer::train::{self, Sentence, TrainOptions};
use kiji_ner::transformer::{write_random_model, DeviceChoice, InferenceOptions, NerModel, TransformerRecognizer};
use std::path::PathBuf;
use std::sync::OnceLock;

const TYPES: [&str; 8] = ["人名", "法人名", "政治的組織名", "その他の組織名", "地名", "施設名", "製品名", "イベント名"];

fn analyzer() -> &'static kiji_morph::Analyzer {
    static A: OnceLock<kiji_morph::Analyzer> = OnceLock::new();
    A.get_or_init(|| kiji_morph::Analyzer::new().unwrap())
}

/// The first `n` sentences of a Stockmark split, with IPADIC morphemes.
fn sentences(split: &str, n: usize) -> Vec<Sentence> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(format!("../../../shared/data/ner/stockmark/{split}.json"));
    kiji_eval::load_stockmark(&path)
        .unwrap()
        .into_iter()
        .take(n)
        .map(|s| Sentence {
            tokens: analyzer().tokenize(&Text::new(&s.text)),
            entities: s.entities.into_iter().map(|e| (Span::new(e.span.0, e.span.1), e.label)).collect(),
            text: s.text,
        })
        .collect()
}

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kiji-transformer-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// A random model whose vocabulary covers the first `n` train sentences.
fn random_model(name: &str, data: &[Sentence], hidden: i64) -> PathBuf {
    let dir = tmp(name);
    let texts: Vec<&str> = data.iter().map(|s| s.text.as_str()).collect();
    write_random_model(&dir, &texts, &LabelSet::bio(&TYPES), hidden, 2, 7).unwrap();
    dir
}

fn cpu() -> InferenceOptions {
    InferenceOptions { device: DeviceChoice::Cpu, ..InferenceOptions::default() }
}

#[test]
fn pieces_carry_char_offsets_of_the_original_text() {
    let data = sentences("test", 40);
    let dir = random_model("pieces", &data, 16);
    let tok = PieceTokenizer::from_file(&dir.join("tokenizer.json")).unwrap();
    for s in &data {
        let text = Text::new(&s.text);
        let pieces = tok.pieces(&text, &s.tokens).unwrap();
        let chars: Vec<char> = s.text.chars().collect();
        assert!(!pieces.is_empty());
        let mut covered = 0;
        for w in pieces.windows(2) {
            assert!(w[0].span.end <= w[1].span.start, "pieces overlap in {:?}", s.text);
        }
        for p in &pieces {
            assert!(p.span.start < p.span.end && p.span.end <= chars.len());
            // Char-level vocabulary: each piece is the char at its span.
            let piece = tok.tokenizer().id_to_token(p.id as u32).unwrap();
            let written: String = chars[p.span.start..p.span.end].iter().collect();
            assert_eq!(piece.trim_start_matches('▁'), written, "{:?}", s.text);
            covered += p.span.len();
        }
        // Every non-space char is in some piece: no bare ▁ pieces, no gaps.
        assert_eq!(covered, chars.iter().filter(|c| !c.is_whitespace()).count(), "{:?}", s.text);
    }
}

#[test]
fn random_model_loads_runs_and_decodes_valid_spans() {
    let data = sentences("test", 30);
    let dir = random_model("decode", &data, 32);
    let rec = TransformerRecognizer::load(&dir, cpu()).unwrap();
    // One long "article" of thirty sentences, with small windows so that it
    // is cut into many overlapping ones.
    let article: String = data.iter().map(|s| s.text.as_str()).collect();
    let input = ArticleInput::new("long", article.clone());
    let mut doc = Document::new(&input, Vec::new());
    doc.tokens = analyzer().tokenize(&doc.text);
    let chars: Vec<char> = article.chars().collect();
    let small = TransformerRecognizer::load(&dir, InferenceOptions { max_len: 24, overlap: 8, batch_size: 5, ..cpu() }).unwrap();
    for ms in [rec.recognize(&doc), small.recognize(&doc)] {
        assert!(!ms.is_empty(), "a random model tags something in 30 sentences");
        for w in ms.windows(2) {
            assert!(w[0].span.end <= w[1].span.start, "decoded spans never overlap");
        }
        for m in &ms {
            assert!(m.span.start < m.span.end && m.span.end <= chars.len());
            assert_eq!(m.name, chars[m.span.start..m.span.end].iter().collect::<String>());
            assert!((0.0..=1.0).contains(&m.score));
        }
    }
    // Batching across documents gives each document what it gets alone.
    let inputs: Vec<ArticleInput> = data.iter().map(|s| ArticleInput::new("s", s.text.clone())).collect();
    let docs: Vec<Document> = inputs
        .iter()
        .map(|i| {
            let mut d = Document::new(i, Vec::new());
            d.tokens = analyzer().tokenize(&d.text);
            d
        })
        .collect();
    let refs: Vec<&Document> = docs.iter().collect();
    let batched = rec.recognize_batch(&refs);
    for (d, b) in docs.iter().zip(&batched) {
        let alone: Vec<Span> = rec.recognize(d).iter().map(|m| m.span).collect();
        let together: Vec<Span> = b.iter().map(|m| m.span).collect();
        assert_eq!(alone, together);
    }
}

#[test]
fn training_lowers_the_loss_and_the_saved_model_reloads() {
    let data = sentences("train", 48);
    let dev = sentences("dev", 16);
    let mut all = data.clone();
    all.extend(dev.iter().cloned());
    let base = random_model("base", &all, 32);
    let out = tmp("trained");
    let mut model = NerModel::from_base(&base, LabelSet::bio(&TYPES), tch::Device::Cpu).unwrap();
    let opts = TrainOptions { epochs: 6, batch_size: 8, lr: 3e-3, patience: 10, max_len: 64, verbose: false, ..TrainOptions::default() };
    let report = train::train(&mut model, &data, &dev, &opts, &out).unwrap();
    assert_eq!(report.epoch_loss.len(), 6);
    assert_eq!(report.dev_f1.len(), 6);
    let (first, last) = (report.epoch_loss[0], *report.epoch_loss.last().unwrap());
    assert!(last < 0.7 * first, "loss {first} -> {last}: {:?}", report.epoch_loss);
    // The saved directory is the best epoch's model; reloaded, it predicts
    // what the in-memory model predicts.
    let reloaded = NerModel::load(&out, tch::Device::Cpu).unwrap();
    let texts: Vec<Text> = dev.iter().map(|s| Text::new(&s.text)).collect();
    let inputs: Vec<(&Text, &[kiji_core::Token])> = texts.iter().zip(&dev).map(|(t, s)| (t, s.tokens.as_slice())).collect();
    assert_eq!(model.predict(&inputs, &cpu()).unwrap(), reloaded.predict(&inputs, &cpu()).unwrap());
    let _ = std::fs::remove_dir_all(&out);
    let _ = std::fs::remove_dir_all(&base);
}

#[test]
fn loading_errors_name_the_problem() {
    let dir = tmp("broken");
    let err = NerModel::load(&dir, tch::Device::Cpu).err().expect("no config.json");
    assert!(err.to_string().contains("config.json"), "{err}");
    let data = sentences("test", 5);
    let dir = random_model("nolabels", &data, 16);
    let config = std::fs::read_to_string(dir.join("config.json")).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&config).unwrap();
    v.as_object_mut().unwrap().remove("id2label");
    std::fs::write(dir.join("config.json"), v.to_string()).unwrap();
    let err = NerModel::load(&dir, tch::Device::Cpu).err().expect("no labels");
    assert!(err.to_string().contains("id2label"), "{err}");
    v["model_type"] = "gpt2".into();
    std::fs::write(dir.join("config.json"), v.to_string()).unwrap();
    let err = NerModel::from_base(&dir, LabelSet::bio(&TYPES), tch::Device::Cpu).err().expect("unsupported type");
    assert!(err.to_string().contains("gpt2"), "{err}");
}

/// Largest absolute difference between the two engines' label
/// log-probabilities over the windows of `data`, and whether they decode the
/// same spans.
fn engines_agree(dir: &std::path::Path, data: &[Sentence]) -> (f32, bool) {
    use kiji_ner::transformer::native::NativeModel;
    use kiji_ner::transformer::{predict, Scorer};
    let torch = NerModel::load(dir, tch::Device::Cpu).unwrap();
    let native = NativeModel::load(dir).unwrap();
    let mut worst = 0f32;
    for s in data {
        let text = Text::new(&s.text);
        let ids: Vec<i64> = torch.tokenizer().pieces(&text, &s.tokens).unwrap().iter().map(|p| p.id).collect();
        let (a, b) = (torch.log_probs(&[&ids]).unwrap(), native.log_probs(&[&ids]).unwrap());
        assert_eq!((a.t, a.flat.len()), (b.t, b.flat.len()));
        worst = a.flat.iter().zip(&b.flat).map(|(x, y)| (x - y).abs()).fold(worst, f32::max);
    }
    let texts: Vec<Text> = data.iter().map(|s| Text::new(&s.text)).collect();
    let inputs: Vec<(&Text, &[kiji_core::Token])> = texts.iter().zip(data).map(|(t, s)| (t, s.tokens.as_slice())).collect();
    let key = |v: Vec<Vec<(Span, usize, f32)>>| v.into_iter().map(|d| d.into_iter().map(|(s, t, _)| (s, t)).collect::<Vec<_>>()).collect::<Vec<_>>();
    let same = key(predict(&torch, &inputs, &cpu()).unwrap()) == key(predict(&native, &inputs, &cpu()).unwrap());
    (worst, same)
}

/// The native engine computes what LibTorch computes: on a random BERT
/// and on the shipped model, the label log-probabilities of real sentences
/// agree to float rounding and the decoded spans are the same.
#[test]
fn native_engine_matches_libtorch() {
    let data = sentences("test", 60);
    let random = random_model("parity", &data, 32);
    let (worst, same) = engines_agree(&random, &data);
    eprintln!("random model: max |log-prob difference| {worst:e}");
    assert!(worst < 1e-4 && same, "random model: max |diff| {worst}, same spans {same}");
    let shipped = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/ner-transformer");
    let (worst, same) = engines_agree(&shipped, &data);
    eprintln!("shipped model: max |log-prob difference| {worst:e}");
    assert!(worst < 2e-3 && same, "shipped model: max |diff| {worst}, same spans {same}");
    let _ = std::fs::remove_dir_all(&random);
}
