//! `pipeline-run train --address`: the learned address roles (kiji-address's `crime`,
//! `residence` and `head_office` models) and the police role (`police`) from annotated articles, with K-fold
//! cross-validation against the rule cascade, and the model card.
//!
//! Cross-validation is honest end to end: in each fold the person models are trained as
//! `pipeline-run train` trains them (the other folds + the synthetic articles), the address
//! examples of the training articles are read with that fold's persons, and the address models
//! see only those examples. The rule cascade is scored with the same fold's persons, so the
//! columns differ in the address roles alone: one column per `--addresses` mode, the models
//! trained on the training folds alone (as the shipped models are), and with `--synthetic`
//! every role learned by models of the training folds + the synthetic articles.
use crate::train::{self, Article, Options};
use kiji_pipeline::address::{self as kiji_address, AddressExamples, AddressModels, AddressStage};
use kiji_core::linear::{Example, LinearModel, TrainOptions};
use kiji_core::{Error, ErrorKind, Result};
use kiji_person::PersonModels;
use kiji_pipeline::{AddressMode, Config, Pipeline};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

/// Where `train --address` writes by default: models/address of this checkout.
const DEFAULT_OUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/address");

/// The metrics the address table shows (prefixes of `train::metrics` names).
const SHOWN: [&str; 11] = [
    "residences.f1",
    "headquarters_locations.f1",
    "physical_crime_occured_locations.f1",
    "police_departments.f1",
    "csv.person_address",
    "csv.occured_locations",
    "csv.police_departments",
    "persons.f1",
    "offenders.f1",
    "all_fields_exact",
    "offender_articles.all_fields_exact",
];

/// The address examples of these articles, read with `persons`' persons.
fn examples(persons: &Pipeline, stage: &AddressStage, articles: &[&Article]) -> Vec<AddressExamples> {
    articles.par_iter().map(|a| persons.address_examples(stage, &a.input, &a.gold.output)).collect()
}

/// The four models from these examples (deterministic for the seed).
fn train_models(ex: &[&AddressExamples], opts: &Options, threshold: f32) -> AddressModels {
    let to = TrainOptions { epochs: opts.epochs, seed: opts.seed, threshold, ..TrainOptions::default() };
    let collect = |f: fn(&AddressExamples) -> &Vec<Example>| -> Vec<Example> { ex.iter().flat_map(|e| f(e).iter().cloned()).collect() };
    let v = kiji_address::learned::FEATURE_VERSION;
    AddressModels {
        crime: LinearModel::train("crime", v, &collect(|e| &e.crime), &to),
        residence: LinearModel::train("residence", v, &collect(|e| &e.residence), &to),
        head_office: LinearModel::train("head_office", v, &collect(|e| &e.head_office), &to),
        police: LinearModel::train("police", v, &collect(|e| &e.police), &to),
    }
}

/// (examples, positives) per model.
fn counts(ex: &[AddressExamples]) -> [(usize, usize); 4] {
    let c = |f: fn(&AddressExamples) -> &Vec<Example>| {
        let v: Vec<&Example> = ex.iter().flat_map(|e| f(e).iter()).collect();
        (v.len(), v.iter().filter(|e| e.label).count())
    };
    [c(|e| &e.crime), c(|e| &e.residence), c(|e| &e.head_office), c(|e| &e.police)]
}

/// The cross-validation table: one column per system, mean ± sd [min, max] per metric.
fn table(cols: &[(&str, &BTreeMap<String, Vec<f64>>)], k: usize) -> String {
    let mut s = String::new();
    let _ = write!(s, "| metric ({k}-fold CV, mean ± sd [min, max]) |");
    for (name, _) in cols {
        let _ = write!(s, " {name} |");
    }
    let _ = writeln!(s, "\n|---|{}", "---|".repeat(cols.len()));
    for metric in SHOWN {
        let _ = write!(s, "| {metric} |");
        for (_, m) in cols {
            match m.get(metric) {
                Some(v) if !v.is_empty() => {
                    let (mean, sd, lo, hi) = train::mean_sd(v);
                    let _ = write!(s, " {mean:.3} ± {sd:.3} [{lo:.3}, {hi:.3}] |");
                }
                _ => s.push_str(" - |"),
            }
        }
        s.push('\n');
    }
    s
}

fn last(m: &BTreeMap<String, Vec<f64>>, k: &str) -> f64 {
    m.get(k).and_then(|v| v.last().copied()).unwrap_or(0.0)
}

/// Cross-validate (with `--cv`) and train the address-role models on every article.
pub fn run(opts: Options, threshold: f32) -> Result<()> {
    let started = std::time::Instant::now();
    let train_set = train::load_dir(&opts.train)?;
    let synthetic = match &opts.synthetic {
        Some(d) => train::load_dir(d)?,
        None => Vec::new(),
    };
    eprintln!("train --address: {} articles{}", train_set.len(), if synthetic.is_empty() { String::new() } else { format!(" + {} training-only articles", synthetic.len()) });
    let stage = AddressStage::new()?;
    let synth_refs: Vec<&Article> = synthetic.iter().collect();
    let mut cv_text = None;
    if let Some(k) = opts.cv {
        let n_folds = train_set.iter().filter_map(|a| a.fold).max().map_or(0, |m| m + 1);
        if n_folds != k || train_set.iter().any(|a| a.fold.is_none()) {
            return Err(Error::new(ErrorKind::Config, format!("--cv {k}: {} assigns {n_folds} folds (every article needs one)", opts.train.join("folds.tsv").display())));
        }
        // The person stage's examples depend on the article alone: read them once.
        let base = train::rules_pipeline()?.with_person_models(PersonModels::untrained());
        let px_train = train::examples(&base, &train_set);
        let px_synth = train::examples(&base, &synthetic);
        // One column per address mode (the models trained on the training folds, as shipped),
        // then every role learned by models that also saw the synthetic articles.
        let modes = AddressMode::ALL;
        let mut by_mode: Vec<BTreeMap<String, Vec<f64>>> = vec![BTreeMap::new(); modes.len()];
        let mut synth_m = BTreeMap::new();
        let default = AddressMode::default();
        for fold in 0..k {
            let idx: Vec<usize> = (0..train_set.len()).filter(|&i| train_set[i].fold != Some(fold)).collect();
            let mut pex: Vec<_> = idx.iter().map(|&i| &px_train[i]).collect();
            pex.extend(px_synth.iter());
            let person_models = train::train_models(&pex, &opts);
            let persons = train::rules_pipeline()?.with_person_models(person_models.clone());
            let fold_train: Vec<&Article> = idx.iter().map(|&i| &train_set[i]).collect();
            let ax_real = examples(&persons, &stage, &fold_train);
            let ax_synth = examples(&persons, &stage, &synth_refs);
            let real_refs: Vec<&AddressExamples> = ax_real.iter().collect();
            let all_refs: Vec<&AddressExamples> = ax_real.iter().chain(ax_synth.iter()).collect();
            let held: Vec<&Article> = train_set.iter().filter(|a| a.fold == Some(fold)).collect();
            let inputs: Vec<_> = held.iter().map(|a| a.input.clone()).collect();
            let models = train_models(&real_refs, &opts, threshold);
            for (mode, m) in modes.iter().zip(by_mode.iter_mut()) {
                let p = train::rules_pipeline()?.with_person_models(person_models.clone()).with_address_models(models.clone(), *mode)?;
                train::metrics(&held, &p.process_batch(&inputs), m);
            }
            if !synthetic.is_empty() {
                let with_synth = train::rules_pipeline()?.with_person_models(person_models).with_address_models(train_models(&all_refs, &opts, threshold), AddressMode::Learned)?;
                train::metrics(&held, &with_synth.process_batch(&inputs), &mut synth_m);
            }
            let column = |mode: AddressMode| &by_mode[modes.iter().position(|&m| m == mode).unwrap_or(0)];
            let (rules_m, learned_m) = (column(AddressMode::Rules), column(AddressMode::Learned));
            eprintln!(
                "train --address: fold {fold}: {} held-out articles; residences F1 {:.3} (rules {:.3}), head offices F1 {:.3} (rules {:.3}), crime locations F1 {:.3} (rules {:.3}), police F1 {:.3} (rules {:.3})",
                held.len(),
                last(learned_m, "residences.f1"),
                last(rules_m, "residences.f1"),
                last(learned_m, "headquarters_locations.f1"),
                last(rules_m, "headquarters_locations.f1"),
                last(learned_m, "physical_crime_occured_locations.f1"),
                last(rules_m, "physical_crime_occured_locations.f1"),
                last(learned_m, "police_departments.f1"),
                last(rules_m, "police_departments.f1"),
            );
        }
        let names: Vec<String> = modes.iter().map(|m| if *m == default { format!("--addresses {} (default)", m.name()) } else { format!("--addresses {}", m.name()) }).collect();
        let synth_name = "--addresses learned, models + synthetic";
        let mut cols: Vec<(&str, &BTreeMap<String, Vec<f64>>)> = names.iter().map(String::as_str).zip(by_mode.iter()).collect();
        if !synthetic.is_empty() {
            cols.push((synth_name, &synth_m));
        }
        let t = table(&cols, k);
        if opts.json {
            let per_mode: BTreeMap<&str, &BTreeMap<String, Vec<f64>>> = modes.iter().map(|m| m.name()).zip(by_mode.iter()).collect();
            println!("{}", serde_json::json!({ "folds": k, "threshold": threshold, "synthetic": !synthetic.is_empty(), "modes": per_mode, "learned_with_synthetic": synth_m }));
        } else {
            print!("{t}");
        }
        cv_text = Some(t);
    }
    if opts.cv_only {
        return Ok(());
    }
    // The shipped models read the articles with the shipped person models, and learn from the
    // real articles alone: in cross-validation the synthetic articles' examples lower every
    // address F1 (their column of the table), so they are read for that comparison only.
    let persons = Pipeline::new(&Config { addresses: AddressMode::Rules, ..Config::default() })?;
    let train_refs: Vec<&Article> = train_set.iter().collect();
    let ax = examples(&persons, &stage, &train_refs);
    let models = train_models(&ax.iter().collect::<Vec<_>>(), &opts, threshold);
    let out = opts.out.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
    models.save(&out)?;
    let card = card(&opts, threshold, train_set.len(), synthetic.len(), counts(&ax), &models, cv_text.as_deref());
    let card_path = out.join("README.md");
    std::fs::write(&card_path, card).map_err(|e| train::io(&card_path, e))?;
    eprintln!(
        "train --address: wrote {}, {}, {}, {} ({} + {} + {} + {} weights) and README.md to {} in {:.1} s",
        kiji_address::learned::CRIME_MODEL_FILE,
        kiji_address::learned::RESIDENCE_MODEL_FILE,
        kiji_address::learned::HEAD_OFFICE_MODEL_FILE,
        kiji_address::learned::POLICE_MODEL_FILE,
        models.crime.n_weights(),
        models.residence.n_weights(),
        models.head_office.n_weights(),
        models.police.n_weights(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The model card written beside the models.
fn card(opts: &Options, threshold: f32, n_train: usize, n_synth: usize, counts: [(usize, usize); 4], models: &AddressModels, cv: Option<&str>) -> String {
    let mut cmd = format!("pipeline-run train --address --train {}", opts.train.display());
    if let Some(s) = &opts.synthetic {
        let _ = write!(cmd, " --synthetic {}", s.display());
    }
    if let Some(k) = opts.cv {
        let _ = write!(cmd, " --cv {k}");
    }
    let _ = write!(cmd, " --seed {} --epochs {} --address-threshold {threshold}", opts.seed, opts.epochs);
    let mut s = String::new();
    let _ = writeln!(s, "# models/address: the learned address roles (kiji-address)\n");
    let _ = writeln!(s, "Written by `pipeline-run train --address`; do not edit by hand (rerun the command).\n");
    let _ = writeln!(s, "| | |\n|---|---|");
    let _ = writeln!(s, "| models | `crime.kpm` (is a recognised address span a crime location?), `residence.kpm` (is it this person's residence?), `head_office.kpm` (is it this company's head office?), `police.kpm` (does a police or prosecution body found investigate the case?) |");
    let _ = writeln!(s, "| kind | logistic regression over hashed binary features (AdaGrad, L2), `KIJIPLM1` files, feature version {} |", kiji_address::learned::FEATURE_VERSION);
    let _ = writeln!(s, "| weights | crime {}, residence {}, head office {}, police {} |", models.crime.n_weights(), models.residence.n_weights(), models.head_office.n_weights(), models.police.n_weights());
    let _ = writeln!(s, "| data | {n_train} annotated real articles ({}){} |", opts.train.display(), if n_synth > 0 { format!("; the {n_synth} synthetic articles are read for the cross-validation comparison only (training on them lowers every address F1)") } else { String::new() });
    let _ = writeln!(
        s,
        "| examples (real articles) | crime {} ({} positive), residence {} ({} positive), head office {} ({} positive), police {} ({} positive) |",
        counts[0].0, counts[0].1, counts[1].0, counts[1].1, counts[2].0, counts[2].1, counts[3].0, counts[3].1
    );
    let _ = writeln!(s, "| persons | the examples read the persons of the shipped person models (models/person) |");
    let _ = writeln!(s, "| command | `{cmd}` (deterministic: the same command writes the same bytes) |");
    let _ = writeln!(s, "| licence | weights derived from the annotations (kiji's own) of Japanese Wikinews (CC BY 2.5) and livedoor news (CC BY-ND 2.1 JP) articles; see ../../../shared/data/README.md |");
    if let Some(cv) = cv {
        let _ = writeln!(s, "\n## Cross-validation (fixed folds of folds.tsv; per fold the person models and the address models are trained on the other folds; the rule cascade as the baseline, with the same fold's persons)\n\n{cv}");
    }
    s
}
