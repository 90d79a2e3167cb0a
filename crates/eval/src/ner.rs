//! Entity-level NER metrics on the Stockmark Wikipedia NER format
//! (`[{"curid", "text", "entities": [{"name", "span": [s, e], "type"}]}]`,
//! char spans, 8 types): exact span + type matches, micro P/R/F1 and per type
//! (seqeval-style: an entity counts only when both boundaries and the type agree).

use crate::{EvalError, Prf};
use kiji_core::ErrorKind;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;

/// One annotated sentence.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct NerSentence {
    #[serde(default)]
    pub curid: Option<String>,
    pub text: String,
    pub entities: Vec<NerEntity>,
}

/// One gold or predicted entity: char span `[start, end)` and type label.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Deserialize, Serialize)]
pub struct NerEntity {
    #[serde(default)]
    pub name: String,
    pub span: (usize, usize),
    #[serde(rename = "type")]
    pub label: String,
}

/// Load a Stockmark-format JSON file.
pub fn load_stockmark(path: &Path) -> Result<Vec<NerSentence>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|e| EvalError::new(ErrorKind::Io, path, None, e.to_string()))?;
    serde_json::from_str(&text).map_err(|e| EvalError::new(ErrorKind::InvalidJson, path, Some(e.line()), e.to_string()))
}

/// Load token-per-line BIO (`token<TAB>label`, a blank line between
/// sentences; `B-X`/`I-X`/`O`, with `E-`/`L-` read as inside and `S-`/`U-`
/// as begin) as sentences with char spans over the concatenated tokens.
pub fn load_bio(path: &Path) -> Result<Vec<NerSentence>, EvalError> {
    let text = std::fs::read_to_string(path).map_err(|e| EvalError::new(ErrorKind::Io, path, None, e.to_string()))?;
    let mut out = Vec::new();
    let mut sent = NerSentence { curid: None, text: String::new(), entities: Vec::new() };
    let mut len = 0usize; // chars in sent.text
    let mut open: Option<(usize, String)> = None;
    let close = |sent: &mut NerSentence, open: &mut Option<(usize, String)>, end: usize| {
        if let Some((start, label)) = open.take() {
            let name: String = sent.text.chars().skip(start).take(end - start).collect();
            sent.entities.push(NerEntity { name, span: (start, end), label });
        }
    };
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            close(&mut sent, &mut open, len);
            if !sent.text.is_empty() {
                out.push(std::mem::replace(&mut sent, NerSentence { curid: None, text: String::new(), entities: Vec::new() }));
            }
            len = 0;
            continue;
        }
        let (token, label) = line
            .rsplit_once('\t')
            .ok_or_else(|| EvalError::new(ErrorKind::InvalidRecord, path, Some(i + 1), "expected token<TAB>label"))?;
        let n = token.chars().count();
        let (prefix, ty) = label.split_once('-').unwrap_or((label, ""));
        match prefix {
            "B" | "S" | "U" => {
                close(&mut sent, &mut open, len);
                open = Some((len, ty.to_owned()));
            }
            "I" | "E" | "L" if open.as_ref().is_some_and(|o| o.1 == ty) => {}
            "I" | "E" | "L" => {
                close(&mut sent, &mut open, len);
                open = Some((len, ty.to_owned()));
            }
            _ => close(&mut sent, &mut open, len),
        }
        sent.text.push_str(token);
        len += n;
    }
    close(&mut sent, &mut open, len);
    if !sent.text.is_empty() {
        out.push(sent);
    }
    Ok(out)
}

/// Stockmark JSON or, for `.bio` files, token BIO.
pub fn load_ner_data(path: &Path) -> Result<Vec<NerSentence>, EvalError> {
    if path.extension().is_some_and(|e| e == "bio") {
        load_bio(path)
    } else {
        load_stockmark(path)
    }
}

/// Scores of one NER run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NerReport {
    pub sentences: usize,
    pub micro: Prf,
    /// Per type label, in label order.
    pub per_type: BTreeMap<String, Prf>,
}

/// Compare predicted entities (one list per sentence, same order) with the gold.
pub fn ner_scores(gold: &[NerSentence], pred: &[Vec<NerEntity>]) -> NerReport {
    let mut counts: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new(); // tp, gold, pred
    for (g, p) in gold.iter().zip(pred) {
        let gs: HashSet<(usize, usize, &str)> = g.entities.iter().map(|e| (e.span.0, e.span.1, e.label.as_str())).collect();
        let ps: HashSet<(usize, usize, &str)> = p.iter().map(|e| (e.span.0, e.span.1, e.label.as_str())).collect();
        for &(_, _, l) in &gs {
            counts.entry(l.to_owned()).or_default().1 += 1;
        }
        for &(s, e, l) in &ps {
            let c = counts.entry(l.to_owned()).or_default();
            c.2 += 1;
            if gs.contains(&(s, e, l)) {
                c.0 += 1;
            }
        }
    }
    let (tp, ng, np) = counts.values().fold((0, 0, 0), |a, c| (a.0 + c.0, a.1 + c.1, a.2 + c.2));
    NerReport {
        sentences: gold.len(),
        micro: Prf::new(tp, ng, np),
        per_type: counts.into_iter().map(|(l, (t, g, p))| (l, Prf::new(t, g, p))).collect(),
    }
}

impl NerReport {
    pub fn to_text(&self) -> String {
        let f = |x: Option<f64>| x.map_or("-".to_owned(), |v| format!("{v:.4}"));
        let mut out = format!("NER over {} sentences (exact span + type)\n", self.sentences);
        out.push_str(&format!("{:<24}{:>9}{:>9}{:>9}{:>7}{:>7}{:>7}\n", "type", "P", "R", "F1", "tp", "gold", "pred"));
        let mut row = |name: &str, p: &Prf| {
            out.push_str(&format!(
                "{:<24}{:>9}{:>9}{:>9}{:>7}{:>7}{:>7}\n",
                name,
                f(p.precision),
                f(p.recall),
                f(p.f1),
                p.tp,
                p.gold,
                p.pred
            ));
        };
        row("micro", &self.micro);
        for (l, p) in &self.per_type {
            row(l, p);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_span_and_type_are_required() {
        let gold = vec![NerSentence {
            curid: None,
            text: "田中博之は大阪府に住む".into(),
            entities: vec![
                NerEntity { name: "田中博之".into(), span: (0, 4), label: "人名".into() },
                NerEntity { name: "大阪府".into(), span: (5, 8), label: "地名".into() },
            ],
        }];
        let pred = vec![vec![
            NerEntity { name: String::new(), span: (0, 4), label: "人名".into() },
            NerEntity { name: String::new(), span: (5, 7), label: "地名".into() },
        ]];
        let r = ner_scores(&gold, &pred);
        assert_eq!((r.micro.tp, r.micro.gold, r.micro.pred), (1, 2, 2));
        assert_eq!(r.per_type["人名"].f1, Some(1.0));
        assert_eq!(r.per_type["地名"].f1, Some(0.0));
    }

    #[test]
    fn stockmark_test_split_loads() {
        let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ner/stockmark/test.json");
        let s = load_stockmark(&p).unwrap();
        assert_eq!(s.len(), 520);
        let r = ner_scores(&s, &s.iter().map(|x| x.entities.clone()).collect::<Vec<_>>());
        assert_eq!(r.micro.f1, Some(1.0));
        assert_eq!(r.micro.gold, 1354);
    }
}
