//! `pipeline-run train --address` and the learned address roles, end to end on the
//! annotated articles of ../shared/data/train (real Wikinews and livedoor news, annotated to
//! the guideline).
mod common;
use common::*;
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    tmp_dir("train-address", name)
}

/// A data directory with the train articles of the folds `keep` accepts.
fn slice(dir: &Path, keep: impl Fn(usize) -> bool) {
    train_slice(dir, |_, f| keep(f));
}

/// Residences, head offices and crime locations F1 of `extract` with `args` on a data
/// directory.
fn score(data: &Path, name: &str, args: &[&std::ffi::OsStr]) -> [f64; 3] {
    let pred = data.join(format!("pred-{name}.jsonl"));
    let o = bin().args(["extract", "--quiet", "--input"]).arg(data.join("input.jsonl")).arg("--output").arg(&pred).args(args).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let gold = kiji_eval::load_gold(&data.join("gold.jsonl")).unwrap();
    let report = serde_json::to_value(kiji_eval::evaluate(&gold, &kiji_eval::load_predictions(&pred).unwrap(), None)).unwrap();
    let f1 = |list: &str| report["addresses"].as_array().unwrap().iter().find(|l| l["list"] == list).and_then(|l| l["f1"].as_f64()).unwrap_or(0.0);
    [f1("residences"), f1("headquarters_locations"), f1("physical_crime_occured_locations")]
}

/// Fold 0 of train/folds.tsv held out, the address models trained on folds 1-4: the learned
/// residences beat the rule cascade's, and both stay above floors just under what this
/// version measures (fold 0 with the shipped person models, fifth 2026-12-07 landing: learned
/// residences .757, head offices .400, crime locations .514; rules .732, .462, .537: since
/// that landing the cascade reads more crime places and is the default), so a regression
/// fails. Fold 0 holds few head offices: one more or fewer moves that F1 by ~.15.
#[test]
fn fold0_address_f1_stays_above_the_rules_and_the_floors() {
    let root = tmp("fold0");
    let (train_dir, held_dir) = (root.join("train"), root.join("held"));
    std::fs::create_dir_all(&train_dir).unwrap();
    std::fs::create_dir_all(&held_dir).unwrap();
    slice(&train_dir, |f| f != 0);
    slice(&held_dir, |f| f == 0);
    let models = root.join("models");
    let o = bin().args(["train", "--address", "--train"]).arg(&train_dir).arg("--out").arg(&models).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(std::fs::read_to_string(models.join("README.md")).unwrap().contains("residence.kpm"));
    let learned = score(&held_dir, "learned", &["--addresses".as_ref(), "learned".as_ref(), "--address-models".as_ref(), models.as_os_str()]);
    let rules = score(&held_dir, "rules", &["--addresses".as_ref(), "rules".as_ref()]);
    println!("fold 0 residences / head offices / crime locations F1: learned {learned:.3?}, rules {rules:.3?}");
    assert!(learned[0] > rules[0], "learned {learned:?}, rules {rules:?}");
    assert!(learned[0] >= FOLD0_RESIDENCES, "residences F1 {:.3}", learned[0]);
    assert!(learned[1] >= FOLD0_HEAD_OFFICES, "head offices F1 {:.3}", learned[1]);
    assert!(learned[2] >= FOLD0_CRIME, "crime locations F1 {:.3}", learned[2]);
    assert!(rules[0] >= FOLD0_RULES_RESIDENCES && rules[1] >= FOLD0_RULES_HEAD_OFFICES && rules[2] >= FOLD0_RULES_CRIME, "rules {rules:?}");
    std::fs::remove_dir_all(&root).ok();
}
const FOLD0_RESIDENCES: f64 = 0.72;
const FOLD0_HEAD_OFFICES: f64 = 0.15;
const FOLD0_CRIME: f64 = 0.45;
const FOLD0_RULES_RESIDENCES: f64 = 0.70;
const FOLD0_RULES_HEAD_OFFICES: f64 = 0.30;
const FOLD0_RULES_CRIME: f64 = 0.50;

/// A missing or corrupt address model file: exit status 2, the file named, no output file.
#[test]
fn missing_or_corrupt_address_models_are_clear_errors_without_output() {
    let root = tmp("bad");
    let out = root.join("out.jsonl");
    let input = repo().join("fixtures/sample/input.jsonl");
    let missing = root.join("no-such-address-models");
    let o = bin().args(["extract", "--addresses", "learned", "--input"]).arg(&input).arg("--output").arg(&out).arg("--address-models").arg(&missing).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-address-models"), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.exists(), "no partial output");
    let corrupt = root.join("corrupt");
    std::fs::create_dir_all(&corrupt).unwrap();
    for f in ["crime.kpm", "residence.kpm", "head_office.kpm"] {
        std::fs::copy(repo().join("models/address").join(f), corrupt.join(f)).unwrap();
    }
    std::fs::write(corrupt.join("residence.kpm"), b"KIJIPLM1 not a model").unwrap();
    let o = bin().args(["extract", "--addresses", "learned", "--input"]).arg(&input).arg("--output").arg(&out).arg("--address-models").arg(&corrupt).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("residence.kpm"), "{err}");
    assert!(!out.exists(), "no partial output");
    // the rule cascade needs no model file
    let o = bin().args(["extract", "--quiet", "--addresses", "rules", "--input"]).arg(&input).arg("--output").arg(&out).arg("--address-models").arg(&missing).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    std::fs::remove_dir_all(&root).ok();
}
