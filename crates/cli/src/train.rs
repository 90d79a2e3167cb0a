//! `pipeline-run train`: the learned person stage (kiji-person) from
//! annotated articles, with K-fold cross-validation against the rule
//! baseline, and the model card.
//!
//! Everything the models learn comes from the training folds only: the
//! examples of an article depend on the article alone (candidates, features,
//! the rule stages' record), and each fold's models see only the other folds'
//! examples (plus the synthetic articles, which are never scored).
use kiji_core::{ArticleInput, Error, ErrorKind, Result};
use kiji_eval::{Gold, Record};
use kiji_person::{Example, LinearModel, PersonModels, TrainOptions};
use kiji_attr::fields::{Field, FieldExamples, FieldModels, FieldStage};
use kiji_pipeline::{AddressMode, AttrMode, Config, PersonMode, Pipeline};
use rayon::prelude::*;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

pub struct Options {
    pub train: PathBuf,
    pub synthetic: Option<PathBuf>,
    pub out: Option<PathBuf>,
    pub cv: Option<usize>,
    pub cv_only: bool,
    pub fraction: f64,
    pub seed: u64,
    pub epochs: usize,
    pub json: bool,
    /// Decision thresholds of the person and offender models.
    pub thresholds: (f32, f32),
    /// Write the held-out predictions of every fold here (JSONL, train order).
    pub cv_pred: Option<PathBuf>,
    /// L2 penalties of the person and offender models.
    pub l2: (f32, f32),
    /// Where the field models go (default: models/attr).
    pub attr_out: Option<PathBuf>,
    /// Decision threshold and L2 penalty of the field models.
    pub field_threshold: f32,
    pub field_l2: f32,
}

/// Where `train` writes by default: models/person and models/attr of this checkout.
const DEFAULT_OUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/person");
const DEFAULT_ATTR_OUT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../models/attr");

/// One annotated article.
pub(crate) struct Article {
    pub(crate) input: ArticleInput,
    pub(crate) gold: Record,
    pub(crate) fold: Option<usize>,
}

pub(crate) fn io(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorKind::Io, format!("{}: {e}", path.display()))
}

/// input.jsonl + gold.jsonl (+ folds.tsv when present) of a data directory.
pub(crate) fn load_dir(dir: &Path) -> Result<Vec<Article>> {
    let input_path = dir.join("input.jsonl");
    let text = std::fs::read(&input_path).map_err(|e| io(&input_path, e))?;
    let gold_path = dir.join("gold.jsonl");
    let gold = kiji_eval::load_gold_jsonl(&gold_path).map_err(Error::from)?;
    let mut gold_by_id: HashMap<String, Record> = gold.into_iter().filter_map(|r| Some((r.id.clone()?, r))).collect();
    let folds_path = dir.join("folds.tsv");
    let mut folds: HashMap<String, usize> = HashMap::new();
    if folds_path.exists() {
        let t = std::fs::read_to_string(&folds_path).map_err(|e| io(&folds_path, e))?;
        for (n, line) in t.lines().enumerate().skip(1) {
            let Some((id, f)) = line.split_once('\t') else { continue };
            let f = f.trim().parse().map_err(|_| io(&folds_path, format!("line {}: fold {f:?} is not a number", n + 1)))?;
            folds.insert(id.trim().to_owned(), f);
        }
    }
    let mut out = Vec::new();
    for (n, line) in text.split(|&b| b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let input = kiji_pipeline::jsonl::parse_line(line).map_err(|(_, e)| io(&input_path, format!("line {}: {e}", n + 1)))?;
        let id = input.id.clone().ok_or_else(|| io(&input_path, format!("line {}: no id", n + 1)))?;
        let gold = gold_by_id.remove(&id).ok_or_else(|| io(&gold_path, format!("no gold record for {id}")))?;
        out.push(Article { fold: folds.get(&id).copied(), input, gold });
    }
    if out.is_empty() {
        return Err(io(&input_path, "no articles"));
    }
    Ok(out)
}

/// The (person, offender) examples of every article, in article order.
pub(crate) fn examples(pipeline: &Pipeline, articles: &[Article]) -> Vec<(Vec<Example>, Vec<Example>)> {
    articles.par_iter().map(|a| pipeline.person_examples(&a.input, &a.gold.output.persons)).collect()
}

pub(crate) fn train_models(examples: &[&(Vec<Example>, Vec<Example>)], opts: &Options) -> PersonModels {
    let person: Vec<Example> = examples.iter().flat_map(|e| e.0.iter().cloned()).collect();
    let offender: Vec<Example> = examples.iter().flat_map(|e| e.1.iter().cloned()).collect();
    let to = |threshold, l2| TrainOptions { epochs: opts.epochs, seed: opts.seed, threshold, l2, ..TrainOptions::default() };
    PersonModels {
        person: LinearModel::train("person", kiji_person::features::FEATURE_VERSION, &person, &to(opts.thresholds.0, opts.l2.0)),
        offender: LinearModel::train("offender", kiji_person::features::FEATURE_VERSION, &offender, &to(opts.thresholds.1, opts.l2.1)),
    }
}

pub(crate) fn rules_pipeline() -> Result<Pipeline> {
    // The rule address cascade: the shipped address models saw every training article.
    Pipeline::new(&Config { persons: PersonMode::Rules, attributes: AttrMode::Rules, addresses: AddressMode::Rules, ..Config::default() })
}

/// The field examples of some articles, read by a pipeline with the person
/// stage the fields will run after.
fn field_examples(pipeline: &Pipeline, articles: &[&Article]) -> Vec<FieldExamples> {
    // Candidates and features need the stage's word lists, not its weights.
    let stage = FieldStage::new(FieldModels::untrained());
    articles.par_iter().map(|a| pipeline.field_examples(&stage, &a.input, &a.gold.output.persons)).collect()
}

fn train_fields(examples: &[FieldExamples], opts: &Options) -> FieldModels {
    let refs: Vec<&FieldExamples> = examples.iter().collect();
    FieldModels::train(&refs, &TrainOptions { epochs: opts.epochs, seed: opts.seed, threshold: opts.field_threshold, l2: opts.field_l2, average: true, ..TrainOptions::default() })
}

/// "position 180/200, affiliation ..., acts ..." over some examples: the gold values among the candidates.
fn located(examples: &[FieldExamples]) -> String {
    Field::ALL
        .iter()
        .map(|f| f.name())
        .chain(["acts"])
        .enumerate()
        .map(|(i, name)| {
            let (l, g) = examples.iter().fold((0, 0), |(l, g), e| (l + e.located[i], g + e.gold_values[i]));
            format!("{name} {l}/{g}")
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A deterministic order of the articles for --fraction (by a seeded hash of the id).
pub(crate) fn subsample<'a>(mut items: Vec<(&'a Article, usize)>, fraction: f64, seed: u64) -> Vec<usize> {
    let h = |s: &str| s.bytes().fold(0xcbf2_9ce4_8422_2325u64 ^ seed, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3));
    items.sort_by_key(|(a, _)| h(a.input.id.as_deref().unwrap_or("")));
    let n = ((items.len() as f64) * fraction).ceil() as usize;
    let mut idx: Vec<usize> = items.into_iter().take(n.max(1)).map(|(_, i)| i).collect();
    idx.sort_unstable();
    idx
}

/// The metrics of one evaluation, flattened: `persons.f1`, `csv.person_age_at_published`, ...
pub(crate) fn metrics(gold: &[&Article], outs: &[kiji_core::ArticleOutput], into: &mut BTreeMap<String, Vec<f64>>) {
    let gold_records: Vec<Record> = gold.iter().map(|a| a.gold.clone()).collect();
    let articles: HashMap<String, String> = gold.iter().filter_map(|a| Some((a.input.id.clone()?, a.input.article.clone()))).collect();
    let pred: Vec<Record> = outs.iter().cloned().map(Record::new).collect();
    let mut put = |k: String, v: Option<f64>| {
        if let Some(v) = v {
            into.entry(k).or_default().push(v);
        }
    };
    let report = serde_json::to_value(kiji_eval::evaluate(&Gold::Jsonl(gold_records.clone()), &pred, Some(&articles))).unwrap_or(Value::Null);
    let f = |v: &Value| v.as_f64();
    for which in ["persons", "offenders"] {
        for m in ["f1", "precision", "recall"] {
            put(format!("{which}.{m}"), f(&report[which][m]));
        }
    }
    put("all_fields_exact".into(), f(&report["all_fields_exact"]["rate"]));
    for field in report["fields"].as_array().into_iter().flatten() {
        put(format!("csv.{}", field["field"].as_str().unwrap_or("?")), f(&field["accuracy"]));
    }
    for list in report["addresses"].as_array().into_iter().flatten() {
        put(format!("{}.f1", list["list"].as_str().unwrap_or("?")), f(&list["f1"]));
    }
    for attr in report["attributes"].as_array().into_iter().flatten() {
        put(format!("attr.{}", attr["attr"].as_str().unwrap_or("?")), f(&attr["accuracy"]));
    }
    // All fields exact over the articles with a gold offender.
    let with_offender: Vec<usize> = (0..gold.len()).filter(|&i| gold_records[i].output.persons.iter().any(|p| p.is_offender)).collect();
    if !with_offender.is_empty() {
        let g: Vec<Record> = with_offender.iter().map(|&i| gold_records[i].clone()).collect();
        let p: Vec<Record> = with_offender.iter().map(|&i| pred[i].clone()).collect();
        let r = serde_json::to_value(kiji_eval::evaluate(&Gold::Jsonl(g), &p, Some(&articles))).unwrap_or(Value::Null);
        put("offender_articles.all_fields_exact".into(), f(&r["all_fields_exact"]["rate"]));
    }
}

pub(crate) fn mean_sd(v: &[f64]) -> (f64, f64, f64, f64) {
    let n = v.len() as f64;
    let mean = v.iter().sum::<f64>() / n;
    let sd = if v.len() > 1 { (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0)).sqrt() } else { 0.0 };
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    (mean, sd, min, max)
}

/// The cross-validation table: rules, learned persons (rule fields), learned
/// persons and fields; mean ± sd [min, max] per metric.
fn cv_table(rules: &BTreeMap<String, Vec<f64>>, persons: &BTreeMap<String, Vec<f64>>, learned: &BTreeMap<String, Vec<f64>>, k: usize) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "| metric ({k}-fold CV, mean ± sd [min, max]) | rules | learned persons, rule fields | learned persons and fields |");
    let _ = writeln!(s, "|---|---|---|---|");
    for (name, l) in learned {
        let cell = |v: Option<&Vec<f64>>| match v {
            Some(v) if !v.is_empty() => {
                let (m, sd, lo, hi) = mean_sd(v);
                format!("{m:.3} ± {sd:.3} [{lo:.3}, {hi:.3}]")
            }
            _ => "-".into(),
        };
        let _ = writeln!(s, "| {name} | {} | {} | {} |", cell(rules.get(name)), cell(persons.get(name)), cell(Some(l)));
    }
    s
}

pub fn run(opts: Options) -> Result<()> {
    if !(opts.fraction > 0.0 && opts.fraction <= 1.0) {
        return Err(Error::new(ErrorKind::Config, "--fraction must be in (0, 1]"));
    }
    let started = std::time::Instant::now();
    let train = load_dir(&opts.train)?;
    let synthetic = match &opts.synthetic {
        Some(d) => load_dir(d)?,
        None => Vec::new(),
    };
    eprintln!("train: {} articles from {}{}", train.len(), opts.train.display(), opts.synthetic.as_ref().map_or(String::new(), |d| format!(", {} training-only articles from {}", synthetic.len(), d.display())));
    // Candidates and features need the stage, not its weights.
    let base = rules_pipeline()?.with_person_models(PersonModels::untrained());
    let ex_train = examples(&base, &train);
    let ex_synth = examples(&base, &synthetic);
    let count = |ex: &[(Vec<Example>, Vec<Example>)]| {
        let p: Vec<&Example> = ex.iter().flat_map(|e| &e.0).collect();
        let o: Vec<&Example> = ex.iter().flat_map(|e| &e.1).collect();
        (p.len(), p.iter().filter(|e| e.label).count(), o.len(), o.iter().filter(|e| e.label).count())
    };
    let (pc, pp, oc, op) = count(&ex_train);
    eprintln!("train: {pc} name candidates ({pp} spans of a gold person's name), {oc} gold persons among them ({op} offenders); features in {:.1} s", started.elapsed().as_secs_f64());
    let mut cv_text = None;
    if let Some(k) = opts.cv {
        let n_folds = train.iter().filter_map(|a| a.fold).max().map_or(0, |m| m + 1);
        if n_folds != k || train.iter().any(|a| a.fold.is_none()) {
            return Err(Error::new(ErrorKind::Config, format!("--cv {k}: {} assigns {n_folds} folds (every article needs one)", opts.train.join("folds.tsv").display())));
        }
        let rules = rules_pipeline()?;
        let rules_out = rules.process_batch(&train.iter().map(|a| a.input.clone()).collect::<Vec<_>>());
        let (mut rm, mut lm, mut fm) = (BTreeMap::new(), BTreeMap::new(), BTreeMap::new());
        let synth_refs: Vec<&Article> = synthetic.iter().collect();
        let mut held_out: Vec<Option<kiji_core::ArticleOutput>> = vec![None; train.len()];
        for fold in 0..k {
            let in_train: Vec<(&Article, usize)> = train.iter().enumerate().filter(|(_, a)| a.fold != Some(fold)).map(|(i, a)| (a, i)).collect();
            let idx = subsample(in_train, opts.fraction, opts.seed);
            let mut ex: Vec<&(Vec<Example>, Vec<Example>)> = idx.iter().map(|&i| &ex_train[i]).collect();
            ex.extend(ex_synth.iter());
            let models = train_models(&ex, &opts);
            let learned = rules_pipeline()?.with_person_models(models);
            let held: Vec<usize> = (0..train.len()).filter(|&i| train[i].fold == Some(fold)).collect();
            let held_articles: Vec<&Article> = held.iter().map(|&i| &train[i]).collect();
            let held_inputs: Vec<ArticleInput> = held_articles.iter().map(|a| a.input.clone()).collect();
            let outs = learned.process_batch(&held_inputs);
            metrics(&held_articles, &outs, &mut lm);
            // The field models learn after this fold's person stage, on its training articles.
            let fold_train: Vec<&Article> = idx.iter().map(|&i| &train[i]).chain(synth_refs.iter().copied()).collect();
            let fex = field_examples(&learned, &fold_train);
            let with_fields = learned.with_field_models(train_fields(&fex, &opts));
            let outs = with_fields.process_batch(&held_inputs);
            metrics(&held_articles, &outs, &mut fm);
            if fold == 0 {
                eprintln!("train: fold 0: gold field values among the candidates (real articles and synthetic): {}", located(&fex));
            }
            for (&i, o) in held.iter().zip(&outs) {
                held_out[i] = Some(o.clone());
            }
            let routs: Vec<_> = held.iter().map(|&i| rules_out[i].clone()).collect();
            metrics(&held_articles, &routs, &mut rm);
            let last = |m: &BTreeMap<String, Vec<f64>>, k: &str| m.get(k).and_then(|v| v.last().copied()).unwrap_or(0.0);
            eprintln!(
                "train: fold {fold}: {} held-out articles, persons F1 {:.3} (rules {:.3}), offenders F1 {:.3} (rules {:.3}), CSV position {:.3} / company {:.3} (rule fields {:.3} / {:.3})",
                held.len(),
                last(&lm, "persons.f1"),
                last(&rm, "persons.f1"),
                last(&lm, "offenders.f1"),
                last(&rm, "offenders.f1"),
                last(&fm, "csv.person_position_name"),
                last(&fm, "csv.person_belongs_company"),
                last(&lm, "csv.person_position_name"),
                last(&lm, "csv.person_belongs_company"),
            );
        }
        if let Some(path) = &opts.cv_pred {
            let lines: Vec<String> = held_out.iter().flatten().map(|o| serde_json::to_string(o).unwrap_or_default()).collect();
            std::fs::write(path, lines.join("\n") + "\n").map_err(|e| io(path, e))?;
        }
        let table = cv_table(&rm, &lm, &fm, k);
        if opts.json {
            println!("{}", serde_json::json!({ "folds": k, "fraction": opts.fraction, "synthetic": opts.synthetic.is_some(), "rules": rm, "learned_persons": lm, "learned": fm }));
        } else {
            print!("{table}");
        }
        cv_text = Some(table);
    }
    if opts.cv_only {
        return Ok(());
    }
    let all: Vec<&(Vec<Example>, Vec<Example>)> = ex_train.iter().chain(ex_synth.iter()).collect();
    let models = train_models(&all, &opts);
    let out = opts.out.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_OUT));
    models.save(&out)?;
    let card = card(&opts, train.len(), synthetic.len(), count(&ex_train), &models, cv_text.as_deref());
    std::fs::write(out.join("README.md"), card).map_err(|e| io(&out.join("README.md"), e))?;
    eprintln!("train: wrote {} and {} ({} + {} weights) and README.md to {} in {:.1} s", kiji_person::PERSON_MODEL_FILE, kiji_person::OFFENDER_MODEL_FILE, models.person.n_weights(), models.offender.n_weights(), out.display(), started.elapsed().as_secs_f64());
    // The field models learn after the person stage just trained.
    let persons = rules_pipeline()?.with_person_models(models);
    let fex_train = field_examples(&persons, &train.iter().collect::<Vec<_>>());
    let fex_synth = field_examples(&persons, &synthetic.iter().collect::<Vec<_>>());
    let fields = train_fields(&fex_train.iter().chain(&fex_synth).cloned().collect::<Vec<_>>(), &opts);
    let attr_out = opts.attr_out.clone().unwrap_or_else(|| PathBuf::from(DEFAULT_ATTR_OUT));
    fields.save(&attr_out)?;
    let card = field_card(&opts, train.len(), synthetic.len(), &fex_train, &fields, cv_text.as_deref());
    std::fs::write(attr_out.join("README.md"), card).map_err(|e| io(&attr_out.join("README.md"), e))?;
    eprintln!(
        "train: wrote {}, {} and {} ({} + {} + {} weights) and README.md to {} in {:.1} s",
        Field::Position.file(),
        Field::Affiliation.file(),
        kiji_attr::fields::ACT_FILE,
        fields.position.n_weights(),
        fields.affiliation.n_weights(),
        fields.act.n_weights(),
        attr_out.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// The command that rebuilds the models, as the cards quote it.
fn command(opts: &Options) -> String {
    let mut cmd = format!("pipeline-run train --train {}", opts.train.display());
    if let Some(s) = &opts.synthetic {
        let _ = write!(cmd, " --synthetic {}", s.display());
    }
    if let Some(k) = opts.cv {
        let _ = write!(cmd, " --cv {k}");
    }
    let _ = write!(
        cmd,
        " --seed {} --epochs {} --person-threshold {} --offender-threshold {} --person-l2 {} --offender-l2 {} --field-threshold {} --field-l2 {}",
        opts.seed, opts.epochs, opts.thresholds.0, opts.thresholds.1, opts.l2.0, opts.l2.1, opts.field_threshold, opts.field_l2
    );
    cmd
}

/// The model card written beside the field models.
fn field_card(opts: &Options, n_train: usize, n_synth: usize, examples: &[FieldExamples], models: &FieldModels, cv: Option<&str>) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# models/attr: the learned span fields (kiji-attr `fields`)\n");
    let _ = writeln!(s, "Written by `pipeline-run train` (after the person models of models/person); do not edit by hand (rerun the command).\n");
    let _ = writeln!(s, "| | |\n|---|---|");
    let _ = writeln!(s, "| models | `position.kpm`, `affiliation.kpm`: is a chunk near an offender's mentions (or the rules' value) its position / affiliation? The most probable candidate from the threshold replaces the rules' value. `act.kpm`: is an offence name of the article (or a piece of the rules' act) one of the offender's acts? The chosen ones, in article order, replace the rules' act (none chosen, or a switched charge: the rules' act) |");
    let _ = writeln!(s, "| kind | logistic regression over hashed binary features (AdaGrad, L2; the weights averaged over the second half of the epochs), `KIJIPLM1` files, feature version {} |", kiji_attr::fields::features::FEATURE_VERSION);
    let _ = writeln!(s, "| weights | position {}, affiliation {}, act {} |", models.position.n_weights(), models.affiliation.n_weights(), models.act.n_weights());
    let _ = writeln!(s, "| data | {n_train} annotated real articles ({}){} |", opts.train.display(), if n_synth > 0 { format!(" + {n_synth} synthetic articles (training only)") } else { String::new() });
    let _ = writeln!(s, "| gold values among the candidates (real articles) | {} |", located(examples));
    let _ = writeln!(s, "| command | `{}` (deterministic: the same command writes the same bytes) |", command(opts));
    let _ = writeln!(s, "| licence | weights derived from the annotations (kiji's own) of Japanese Wikinews (CC BY 2.5) and livedoor news (CC BY-ND 2.1 JP) articles; see ../../../shared/data/README.md |");
    if let Some(cv) = cv {
        let _ = writeln!(s, "\n## Cross-validation (fixed folds of folds.tsv; the rule stages as the baseline)\n\n{cv}");
    }
    s
}

/// The model card written beside the models.
fn card(opts: &Options, n_train: usize, n_synth: usize, counts: (usize, usize, usize, usize), models: &PersonModels, cv: Option<&str>) -> String {
    let cmd = command(opts);
    let mut s = String::new();
    let _ = writeln!(s, "# models/person: the learned person stage (kiji-person)\n");
    let _ = writeln!(s, "Written by `pipeline-run train`; do not edit by hand (rerun the command).\n");
    let _ = writeln!(s, "| | |\n|---|---|");
    let _ = writeln!(s, "| models | `person.kpm` (is a candidate a listed person?), `offender.kpm` (is a listed person an offender?) |");
    let _ = writeln!(s, "| kind | logistic regression over hashed binary features (AdaGrad, L2), `KIJIPLM1` files, feature version {} |", kiji_person::features::FEATURE_VERSION);
    let _ = writeln!(s, "| weights | person {}, offender {} |", models.person.n_weights(), models.offender.n_weights());
    let _ = writeln!(s, "| data | {n_train} annotated real articles ({}){} |", opts.train.display(), if n_synth > 0 { format!(" + {n_synth} synthetic articles (training only)") } else { String::new() });
    let _ = writeln!(s, "| examples (real articles) | {} name candidates ({} of them spans of a gold person's name), {} gold persons among the candidates ({} offenders) |", counts.0, counts.1, counts.2, counts.3);
    let _ = writeln!(s, "| command | `{cmd}` (deterministic: the same command writes the same bytes) |");
    let _ = writeln!(s, "| licence | weights derived from the annotations (kiji's own) of Japanese Wikinews (CC BY 2.5) and livedoor news (CC BY-ND 2.1 JP) articles; see ../../../shared/data/README.md. The person features read `dictionaries/person/katakana_name_parts.tsv`, built from the train split of Stockmark NER (CC BY-SA 3.0) |");
    if let Some(cv) = cv {
        let _ = writeln!(s, "\n## Cross-validation (fixed folds of folds.tsv; the rule stages as the baseline)\n\n{cv}");
    }
    s
}
