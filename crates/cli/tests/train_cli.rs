//! `pipeline-run train` and the learned person stage, end to end on the
//! annotated articles of ../shared/data/train (real Wikinews and livedoor
//! news, annotated to the guideline).
mod common;
use common::*;
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    tmp_dir("train", name)
}

fn folds() -> Vec<(String, usize)> {
    train_folds()
}

fn slice(dir: &Path, keep: impl Fn(&str, usize) -> bool) -> usize {
    train_slice(dir, keep)
}

/// Person models into `out`, field models into `out/attr` (never the repository's models/).
fn train(data: &Path, out: &Path, extra: &[&str]) {
    let o = bin().arg("train").arg("--train").arg(data).arg("--out").arg(out).arg("--attr-out").arg(out.join("attr")).args(extra).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
}

/// The report of `extract --person-models models --attr-models models/attr [extra]` on a data directory.
fn report(data: &Path, models: &Path, extra: &[&str]) -> kiji_eval::Report {
    let pred = data.join(format!("pred-{}{}.jsonl", models.file_name().unwrap().to_string_lossy(), extra.join("")));
    let o = bin().args(["extract", "--quiet", "--input"]).arg(data.join("input.jsonl")).arg("--output").arg(&pred).arg("--person-models").arg(models).arg("--attr-models").arg(models.join("attr")).args(extra).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let gold = kiji_eval::load_gold(&data.join("gold.jsonl")).unwrap();
    kiji_eval::evaluate(&gold, &kiji_eval::load_predictions(&pred).unwrap(), None)
}

/// Persons and offenders F1 of the models on a data directory.
fn score(data: &Path, models: &Path) -> (f64, f64) {
    let r = report(data, models, &[]);
    (r.persons.unwrap().f1.unwrap(), r.offenders.unwrap().f1.unwrap_or(0.0))
}

/// A CSV field's accuracy in a report.
fn field(r: &kiji_eval::Report, name: &str) -> f64 {
    r.fields.iter().find(|f| f.field == name).and_then(|f| f.accuracy).unwrap()
}

/// Trained on 80 articles, the person stage finds the persons of 60 other
/// articles far better than the same stage untrained (every candidate at
/// probability 0.5: `--epochs 0`).
#[test]
fn training_on_a_slice_beats_the_untrained_stage_on_held_out_articles() {
    let root = tmp("slice");
    let (train_dir, held_dir) = (root.join("train"), root.join("held"));
    std::fs::create_dir_all(&train_dir).unwrap();
    std::fs::create_dir_all(&held_dir).unwrap();
    let ids = folds();
    let train_ids: std::collections::HashSet<&str> = ids.iter().filter(|(_, f)| *f != 0).take(80).map(|(id, _)| id.as_str()).collect();
    let held_ids: std::collections::HashSet<&str> = ids.iter().filter(|(_, f)| *f == 0).take(60).map(|(id, _)| id.as_str()).collect();
    assert_eq!(slice(&train_dir, |id, _| train_ids.contains(id)), 80);
    assert_eq!(slice(&held_dir, |id, _| held_ids.contains(id)), 60);
    let (trained, untrained) = (root.join("trained"), root.join("untrained"));
    train(&train_dir, &trained, &[]);
    train(&train_dir, &untrained, &["--epochs", "0"]);
    let (t_persons, _) = score(&held_dir, &trained);
    let (u_persons, _) = score(&held_dir, &untrained);
    assert!(t_persons > u_persons + 0.2, "trained persons F1 {t_persons:.3}, untrained {u_persons:.3}");
    assert!(t_persons > 0.8, "trained persons F1 {t_persons:.3}");
    std::fs::remove_dir_all(&root).ok();
}

/// Fold 0 of train/folds.tsv held out, the stages trained on folds 1-4: the
/// floors sit just under what this version measures (persons .910,
/// offenders .840, CSV position .464 against .444 for the rules' fields,
/// company .211 on 2026-12-07, without the synthetic articles; position was
/// .519 before the offender model read the article's cue classes and .481
/// before the person threshold went from 0.5 to 0.4: one offender of 44
/// traded for another each time, while the 5-fold CV with synthetic
/// articles rose on both seeds), so a regression fails.
#[test]
fn cv_fold_metrics_stay_above_their_floors() {
    let root = tmp("fold0");
    let (train_dir, held_dir) = (root.join("train"), root.join("held"));
    std::fs::create_dir_all(&train_dir).unwrap();
    std::fs::create_dir_all(&held_dir).unwrap();
    slice(&train_dir, |_, f| f != 0);
    slice(&held_dir, |_, f| f == 0);
    let models = root.join("models");
    train(&train_dir, &models, &[]);
    let (persons, offenders) = score(&held_dir, &models);
    assert!(persons >= FOLD0_PERSONS, "persons F1 {persons:.3}");
    assert!(offenders >= FOLD0_OFFENDERS, "offenders F1 {offenders:.3}");
    // The field models: the offenders' CSV position and company, learned vs the rules' fields.
    let (learned, rules) = (report(&held_dir, &models, &[]), report(&held_dir, &models, &["--attr", "rules"]));
    let (lp, rp) = (field(&learned, "person_position_name"), field(&rules, "person_position_name"));
    let (lc, rc) = (field(&learned, "person_belongs_company"), field(&rules, "person_belongs_company"));
    eprintln!("fold 0: CSV position {lp:.3} (rules {rp:.3}), company {lc:.3} (rules {rc:.3})");
    assert!(lp >= FOLD0_POSITION && lp >= rp, "CSV position {lp:.3}, rule fields {rp:.3}");
    assert!(lc >= FOLD0_COMPANY, "CSV company {lc:.3}");
    std::fs::remove_dir_all(&root).ok();
}
const FOLD0_PERSONS: f64 = 0.87;
const FOLD0_OFFENDERS: f64 = 0.81;
const FOLD0_POSITION: f64 = 0.46;
const FOLD0_COMPANY: f64 = 0.19;

/// The same command writes the same model bytes, and `extract` reads them.
#[test]
fn training_is_deterministic() {
    let root = tmp("det");
    let data = root.join("data");
    std::fs::create_dir_all(&data).unwrap();
    slice(&data, |_, f| f == 3);
    let (a, b) = (root.join("a"), root.join("b"));
    train(&data, &a, &["--seed", "7"]);
    train(&data, &b, &["--seed", "7"]);
    for file in ["person.kpm", "offender.kpm", "README.md", "attr/position.kpm", "attr/affiliation.kpm", "attr/act.kpm", "attr/README.md"] {
        assert_eq!(std::fs::read(a.join(file)).unwrap(), std::fs::read(b.join(file)).unwrap(), "{file}");
    }
    std::fs::remove_dir_all(&root).ok();
}

/// A missing or corrupt model file: exit status 2, the file named, no output file.
#[test]
fn missing_or_corrupt_models_are_clear_errors_without_output() {
    let root = tmp("bad");
    let out = root.join("out.jsonl");
    let input = repo().join("fixtures/sample/input.jsonl");
    let missing = root.join("no-such-models");
    let o = bin().args(["extract", "--input"]).arg(&input).arg("--output").arg(&out).arg("--person-models").arg(&missing).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-models"), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.exists(), "no partial output");
    let corrupt = root.join("corrupt");
    std::fs::create_dir_all(&corrupt).unwrap();
    std::fs::write(corrupt.join("person.kpm"), b"KIJIPLM1 not a model").unwrap();
    std::fs::copy(repo().join("models/person/offender.kpm"), corrupt.join("offender.kpm")).unwrap();
    let o = bin().args(["extract", "--input"]).arg(&input).arg("--output").arg(&out).arg("--person-models").arg(&corrupt).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("person.kpm"), "{err}");
    assert!(!out.exists(), "no partial output");
    std::fs::remove_file(corrupt.join("offender.kpm")).unwrap();
    std::fs::copy(repo().join("models/person/person.kpm"), corrupt.join("person.kpm")).unwrap();
    let o = bin().args(["extract", "--input"]).arg(&input).arg("--output").arg(&out).arg("--person-models").arg(&corrupt).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("offender.kpm"));
    // The field models: a missing directory, a corrupt file.
    let o = bin().args(["extract", "--input"]).arg(&input).arg("--output").arg(&out).arg("--attr-models").arg(&missing).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no-such-models"), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.exists(), "no partial output");
    std::fs::copy(repo().join("models/attr/position.kpm"), corrupt.join("position.kpm")).unwrap();
    std::fs::write(corrupt.join("affiliation.kpm"), &std::fs::read(repo().join("models/attr/affiliation.kpm")).unwrap()[..40]).unwrap();
    let o = bin().args(["extract", "--input"]).arg(&input).arg("--output").arg(&out).arg("--attr-models").arg(&corrupt).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("affiliation.kpm"), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.exists(), "no partial output");
    std::fs::remove_dir_all(&root).ok();
}
