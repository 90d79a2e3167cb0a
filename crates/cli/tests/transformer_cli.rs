//! `pipeline-run` with the transformer backends (feature `torch`): a small
//! random model trained for a few steps by `train-ner --base`, then used by
//! `ner-eval --model` and `extract --ner transformer|transformer-ensemble`.
//! The shipped model's scores on the Stockmark test split are checked by
//! tests/e2e.rs in every build.
#![cfg(feature = "torch")]

mod common;
use common::*;
use kiji_ner::decode::LabelSet;
use std::path::{Path, PathBuf};

const TYPES: [&str; 8] = ["人名", "法人名", "政治的組織名", "その他の組織名", "地名", "施設名", "製品名", "イベント名"];

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kiji-transformer-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Texts of the Stockmark files and the sample articles: the random model's
/// vocabulary (its tokenizer knows every char of them).
fn vocabulary_texts() -> Vec<String> {
    let mut texts = Vec::new();
    for split in ["train", "test"] {
        let data = kiji_eval::load_stockmark(&shared_data().join(format!("ner/stockmark/{split}.json"))).unwrap();
        texts.extend(data.into_iter().take(300).map(|s| s.text));
    }
    let sample = std::fs::read_to_string(repo().join("fixtures/sample/input.jsonl")).unwrap();
    texts.extend(sample.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["article"].as_str().unwrap().to_owned()));
    texts
}

fn run_ok(args: &[&str]) -> (String, String) {
    let out = bin().args(args).output().unwrap();
    let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned());
    assert!(out.status.success(), "pipeline-run {args:?} failed:\n{stderr}");
    (stdout, stderr)
}

/// A random BERT whose vocabulary covers [`vocabulary_texts`].
fn random_base(name: &str, hidden: i64, layers: i64) -> PathBuf {
    let base = tmp(name);
    let texts = vocabulary_texts();
    let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
    kiji_ner::transformer::write_random_model(&base, &refs, &LabelSet::bio(&TYPES), hidden, layers, 3).unwrap();
    base
}

/// `train-ner --base` on CPU with files of ../shared/data/ner; returns stderr.
fn train(base: &Path, out: &Path, train: &str, dev: &str, extra: &[&str]) -> String {
    let (train, dev) = (shared_data().join("ner").join(train), shared_data().join("ner").join(dev));
    let mut args = vec!["train-ner", "--train", train.to_str().unwrap(), "--dev", dev.to_str().unwrap()];
    args.extend(["--base", base.to_str().unwrap(), "--out", out.to_str().unwrap(), "--device", "cpu"]);
    args.extend(extra);
    run_ok(&args).1
}

#[test]
fn train_then_evaluate_then_extract_with_a_small_model() {
    let base = random_base("base", 32, 2);
    let model = tmp("model");
    let test = shared_data().join("ner/stockmark/test.json");
    let log = train(&base, &model, "stockmark/train.json", "stockmark/test.json", &["--limit", "64", "--epochs", "2", "--lr", "3e-3", "--half"]);
    assert!(log.contains("epoch 2 done"), "{log}");
    for f in ["config.json", "model.safetensors", "tokenizer.json"] {
        assert!(model.join(f).exists(), "{f} missing in the trained model");
    }
    // ner-eval --model: the transformer backend by default.
    let (report, log) = run_ok(&["ner-eval", "--data", test.to_str().unwrap(), "--model", model.to_str().unwrap(), "--device", "cpu", "--json"]);
    assert!(log.contains("with transformer"), "{log}");
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    assert_eq!(report["sentences"], 520);
    // extract: one record per line with both transformer backends.
    let input = repo().join("fixtures/sample/input.jsonl");
    let n = std::fs::read_to_string(&input).unwrap().lines().count();
    for ner in ["transformer", "transformer-ensemble"] {
        let out = bin()
            .args(["extract", "--input", input.to_str().unwrap(), "--ner", ner, "--model", model.to_str().unwrap(), "--device", "cpu", "--quiet"])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let recs = lines(&out);
        assert_eq!(recs.len(), n);
        for r in &recs {
            assert!(r["persons"].is_array(), "{r}");
        }
    }
    let _ = std::fs::remove_dir_all(&base);
    let _ = std::fs::remove_dir_all(&model);
}

#[test]
fn train_ner_reads_ud_gsd_bio_with_its_own_labels() {
    let base = random_base("bio-base", 16, 1);
    let model = tmp("bio-model");
    let log = train(&base, &model, "ud_gsd_ne/train.bio", "ud_gsd_ne/dev.bio", &["--limit", "200", "--epochs", "1"]);
    assert!(log.contains("epoch 1 done"), "{log}");
    // The label set is BIO over the BIO file's own types (OntoNotes-style).
    let config: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(model.join("config.json")).unwrap()).unwrap();
    let labels: Vec<&str> = config["id2label"].as_object().unwrap().values().map(|v| v.as_str().unwrap()).collect();
    for l in ["O", "B-PERSON", "I-PERSON", "B-ORG", "B-GPE"] {
        assert!(labels.contains(&l), "{l} not in {labels:?}");
    }
    let _ = std::fs::remove_dir_all(&base);
    let _ = std::fs::remove_dir_all(&model);
}

#[test]
fn missing_model_and_missing_gpu_are_usage_errors() {
    let out = bin().args(["extract", "--ner", "transformer", "--model", "/nonexistent/model", "--device", "cpu"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("/nonexistent/model"), "{err}");
    if !kiji_ner::transformer::cuda_available() {
        let out = bin().args(["extract", "--ner", "transformer", "--device", "cuda"]).output().unwrap();
        assert_eq!(out.status.code(), Some(2));
        assert!(String::from_utf8_lossy(&out.stderr).contains("CUDA"));
    }
}
