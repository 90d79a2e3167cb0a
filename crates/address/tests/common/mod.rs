//! Shared helpers for the address tests, the dev-set evaluation and the bench.
//! Data: ../shared/data (Japanese Wikinews CC BY 2.5; livedoor news CC BY-ND 2.1 JP, verbatim).
#![allow(dead_code)]
use kiji_address::AddressStage;
use kiji_core::{AddressExtractor, Addresses, ArticleInput, Category, Document, Person, Span};
use serde_json::Value;
use std::collections::HashSet;
use std::path::PathBuf;
use unicode_normalization::UnicodeNormalization;

pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data")
}

pub fn read_jsonl(path: &PathBuf) -> Vec<Value> {
    let s = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    s.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("json")).collect()
}

pub fn norm(s: &str) -> String {
    s.nfkc().filter(|c| !c.is_whitespace()).collect()
}

const SUFFIXES: &[&str] = &["容疑者", "被告人", "被告", "受刑者", "さん", "氏", "君", "元", "社長", "会長", "容疑", "死刑囚"];

/// Mentions of a gold person computed from the article: full-name occurrences and
/// surname + suffix (「田中容疑者」).
pub fn compute_mentions(article: &str, name: &str) -> Vec<Span> {
    let chars: Vec<char> = article.chars().collect();
    let find = |needle: &[char], out: &mut Vec<Span>, need_suffix: bool| {
        if needle.is_empty() || needle.len() > chars.len() {
            return;
        }
        for i in 0..=chars.len() - needle.len() {
            if chars[i..i + needle.len()] == *needle {
                let e = i + needle.len();
                if need_suffix {
                    let rest: String = chars[e..(e + 3).min(chars.len())].iter().collect();
                    if !SUFFIXES.iter().any(|s| rest.starts_with(s)) {
                        continue;
                    }
                }
                out.push(Span::new(i, e));
            }
        }
    };
    let mut out = Vec::new();
    let nc: Vec<char> = name.chars().collect();
    find(&nc, &mut out, false);
    if !name.contains('・') && nc.len() >= 3 {
        for l in [2usize, 1, 3] {
            if l < nc.len() {
                find(&nc[..l], &mut out, true);
            }
        }
    }
    out.sort();
    out.dedup();
    // drop surname mentions inside full-name mentions
    let full: Vec<Span> = out.iter().filter(|s| s.len() == nc.len()).copied().collect();
    out.retain(|s| s.len() == nc.len() || !full.iter().any(|f| f.contains(*s)));
    out
}

pub fn gold_persons(rec: &Value, article: &str) -> Vec<Person> {
    rec["persons"]
        .as_array()
        .map(|ps| {
            ps.iter()
                .map(|p| {
                    let name = p["name"].as_str().unwrap_or("").to_string();
                    let mut mentions: Vec<Span> = p["mentions"]
                        .as_array()
                        .map(|m| m.iter().filter_map(|x| Some(Span::new(x[0].as_u64()? as usize, x[1].as_u64()? as usize))).collect())
                        .unwrap_or_default();
                    if mentions.is_empty() {
                        mentions = compute_mentions(article, &name);
                    }
                    Person {
                        name,
                        is_real: true,
                        is_offender: p["is_offender"].as_bool().unwrap_or(false),
                        age: None,
                        position: None,
                        affiliation: None,
                        category: Category::Other,
                        act: None,
                        reason: None,
                        mentions,
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

#[derive(Default, Clone, Copy, Debug)]
pub struct Prf {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Prf {
    pub fn add(&mut self, gold: &HashSet<String>, pred: &HashSet<String>) {
        self.tp += gold.intersection(pred).count();
        self.fp += pred.difference(gold).count();
        self.fn_ += gold.difference(pred).count();
    }
    pub fn p(&self) -> f64 {
        if self.tp + self.fp == 0 { 1.0 } else { self.tp as f64 / (self.tp + self.fp) as f64 }
    }
    pub fn r(&self) -> f64 {
        if self.tp + self.fn_ == 0 { 1.0 } else { self.tp as f64 / (self.tp + self.fn_) as f64 }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.p(), self.r());
        if p + r == 0.0 { 0.0 } else { 2.0 * p * r / (p + r) }
    }
}

pub struct DevScores {
    pub hq: Prf,
    pub res: Prf,
    pub crime: Prf,
    pub police: Prf,
    pub report: String,
}

fn owned(v: &Value) -> HashSet<String> {
    v.as_array()
        .map(|a| a.iter().map(|x| format!("{}|{}", norm(x["address"].as_str().unwrap_or("")), norm(x["owner"].as_str().unwrap_or("")))).collect())
        .unwrap_or_default()
}
fn plain(v: &Value) -> HashSet<String> {
    v.as_array().map(|a| a.iter().map(|x| norm(x.as_str().unwrap_or(""))).collect()).unwrap_or_default()
}

/// Run the stage over ../shared/data/dev with gold persons and score the four lists.
pub fn eval_dev(stage: &AddressStage) -> DevScores {
    let gold = read_jsonl(&data_dir().join("dev/gold.jsonl"));
    let mut s = DevScores { hq: Prf::default(), res: Prf::default(), crime: Prf::default(), police: Prf::default(), report: String::new() };
    for rec in &gold {
        let article = rec["article"].as_str().unwrap_or("");
        let mut input = ArticleInput::new(rec["id"].as_str().unwrap_or(""), article);
        input.posted_at = rec["posted_at"].as_str().map(String::from);
        let persons = gold_persons(rec, article);
        let doc = Document::new(&input, Vec::new());
        let out: Addresses = stage.extract(&doc, &[], &persons);
        let pred_hq: HashSet<String> = out.headquarters_locations.iter().map(|o| format!("{}|{}", norm(&o.address), norm(&o.owner))).collect();
        let pred_res: HashSet<String> = out.residences.iter().map(|o| format!("{}|{}", norm(&o.address), norm(&o.owner))).collect();
        let pred_cr: HashSet<String> = out.physical_crime_occured_locations.iter().map(|x| norm(x)).collect();
        let pred_po: HashSet<String> = out.police_departments.iter().map(|x| norm(x)).collect();
        let (g_hq, g_res, g_cr, g_po) = (
            owned(&rec["headquarters_locations"]),
            owned(&rec["residences"]),
            plain(&rec["physical_crime_occured_locations"]),
            plain(&rec["police_departments"]),
        );
        s.hq.add(&g_hq, &pred_hq);
        s.res.add(&g_res, &pred_res);
        s.crime.add(&g_cr, &pred_cr);
        s.police.add(&g_po, &pred_po);
        let mut diff = String::new();
        for (name, g, p) in [("HQ", &g_hq, &pred_hq), ("RES", &g_res, &pred_res), ("CRIME", &g_cr, &pred_cr), ("POLICE", &g_po, &pred_po)] {
            let miss: Vec<_> = g.difference(p).collect();
            let extra: Vec<_> = p.difference(g).collect();
            if !miss.is_empty() || !extra.is_empty() {
                diff.push_str(&format!("  {name}: missing {miss:?} extra {extra:?}\n"));
            }
        }
        if !diff.is_empty() {
            s.report.push_str(&format!("{}\n{diff}", rec["id"].as_str().unwrap_or("")));
        }
    }
    s
}
