//! The evaluation report: serialisable numbers plus a text rendering.
use serde::Serialize;
use std::fmt::{self, Write as _};

/// Everything [`crate::evaluate`] measured. Rates are `None` (JSON `null`)
/// when their denominator is 0.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// "jsonl" or "csv".
    pub gold_format: &'static str,
    pub counts: Counts,
    /// One entry per [`crate::CSV_FIELDS`] column, in that order.
    pub fields: Vec<FieldScore>,
    /// Articles whose eight CSV fields all match, over all gold articles.
    pub all_fields_exact: ExactScore,
    /// Person P/R/F1 by normalised name (JSONL gold only).
    pub persons: Option<Prf>,
    /// The same over offenders on each side (JSONL gold only).
    pub offenders: Option<Prf>,
    /// Accuracy over matched persons of is_offender, category, is_real, age,
    /// position, affiliation, act (JSONL gold only; else empty).
    pub attributes: Vec<AttrScore>,
    /// P/R/F1 of the four address lists (JSONL gold only; else empty).
    pub addresses: Vec<ListScore>,
    /// The reason check of the predicted offenders.
    pub reason: ReasonScore,
    /// Metrics that could not be computed (with CSV gold: "persons",
    /// "offenders", "attributes", "addresses").
    pub not_available: Vec<&'static str>,
    /// Gold ids without any prediction record, in gold order.
    pub missing_ids: Vec<String>,
    /// Articles with any difference (or missing / error predictions), in gold order.
    pub per_article: Vec<ArticleDiff>,
}

/// Article, record and person counts.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    pub gold_articles: usize,
    /// Non-blank lines of the prediction file (records given to `evaluate`).
    pub pred_records: usize,
    /// Gold articles with a well-formed prediction.
    pub matched: usize,
    /// Gold articles with no prediction record at all (scored as empty).
    pub missing: usize,
    /// Prediction records that are error records or malformed lines.
    pub error_records: usize,
    /// Gold articles whose prediction is an error record (scored as empty).
    pub errors_on_gold: usize,
    /// Prediction records ignored: no id, or an id not in gold.
    pub ignored: usize,
    /// Prediction records ignored because an earlier record had the same id.
    pub duplicates: usize,
    /// Persons and offenders over the gold articles (JSONL gold only).
    pub gold_persons: Option<usize>,
    pub gold_offenders: Option<usize>,
    /// Persons and offenders in the predictions of gold articles.
    pub pred_persons: usize,
    pub pred_offenders: usize,
    /// Gold persons matched one-to-one to a predicted person (JSONL gold only).
    pub matched_persons: Option<usize>,
}

/// Accuracy and error buckets of one CSV column.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldScore {
    pub field: &'static str,
    /// `correct / n`.
    pub accuracy: Option<f64>,
    /// Articles where gold and prediction are equal and not both empty.
    pub correct: usize,
    /// Articles where gold or prediction is non-empty.
    pub n: usize,
    /// Differences with gold non-empty, prediction empty.
    pub miss: usize,
    /// Differences with both non-empty.
    pub mismatch: usize,
    /// Differences with gold empty, prediction non-empty.
    pub hallucination: usize,
}

/// A rate over a count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ExactScore {
    pub correct: usize,
    pub n: usize,
    pub rate: Option<f64>,
}

/// Micro precision / recall / F1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Prf {
    pub tp: usize,
    pub gold: usize,
    pub pred: usize,
    /// `tp / pred`.
    pub precision: Option<f64>,
    /// `tp / gold`.
    pub recall: Option<f64>,
    /// `2 tp / (gold + pred)`.
    pub f1: Option<f64>,
}

impl Prf {
    pub fn new(tp: usize, gold: usize, pred: usize) -> Self {
        Prf {
            tp,
            gold,
            pred,
            precision: ratio(tp, pred),
            recall: ratio(tp, gold),
            f1: ratio(2 * tp, gold + pred),
        }
    }
}

/// Accuracy of one person attribute over matched persons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttrScore {
    pub attr: &'static str,
    pub correct: usize,
    pub n: usize,
    pub accuracy: Option<f64>,
}

/// P/R/F1 of one address list.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ListScore {
    pub list: &'static str,
    #[serde(flatten)]
    pub prf: Prf,
}

/// The reason check: a predicted offender's `reason` must occur verbatim in
/// the article and overlap one of the person's mentions (or, when the
/// prediction gives no mentions, contain the person's name after
/// normalisation).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ReasonScore {
    /// Offenders in the predictions of gold articles.
    pub pred_offenders: usize,
    /// Of those, the ones whose article text was available.
    pub checked: usize,
    pub supported: usize,
    /// `supported / checked`.
    pub rate: Option<f64>,
    /// Failures: reason null or empty.
    pub no_reason: usize,
    /// Failures: reason not a substring of the article.
    pub not_in_article: usize,
    /// Failures: no occurrence overlaps a mention (or, without mentions, the name is not in it).
    pub no_overlap: usize,
    /// Checked against mentions / by the name fallback.
    pub by_mentions: usize,
    pub by_name: usize,
    /// Offenders not checked because no article text was available.
    pub no_article: usize,
}

/// What differs in one article.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ArticleDiff {
    pub id: String,
    /// "ok", "missing" (no prediction) or "error" (an error record).
    pub status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// CSV columns that differ.
    pub fields: Vec<FieldDiff>,
    /// Gold persons with no predicted person of the same name (JSONL gold only).
    pub persons_missed: Vec<String>,
    /// Predicted persons with no gold person of the same name (JSONL gold only).
    pub persons_spurious: Vec<String>,
    /// Attribute differences of matched persons.
    pub attributes: Vec<AttrDiff>,
    /// Address lists that differ.
    pub addresses: Vec<AddressDiff>,
    /// Predicted offenders whose reason failed the check: "name: cause".
    pub reasons: Vec<String>,
}

impl ArticleDiff {
    pub fn is_clean(&self) -> bool {
        self.status == "ok"
            && self.fields.is_empty()
            && self.persons_missed.is_empty()
            && self.persons_spurious.is_empty()
            && self.attributes.is_empty()
            && self.addresses.is_empty()
            && self.reasons.is_empty()
    }
}

/// One CSV column that differs (raw, unnormalised strings).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldDiff {
    pub field: &'static str,
    /// "miss", "mismatch" or "hallucination".
    pub bucket: &'static str,
    pub gold: String,
    pub pred: String,
}

/// One attribute of a matched person that differs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AttrDiff {
    pub person: String,
    pub attr: &'static str,
    pub gold: Option<String>,
    pub pred: Option<String>,
}

/// Items of one address list missing from / extra in the prediction
/// ("address (owner)" for owned lists).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AddressDiff {
    pub list: &'static str,
    pub missed: Vec<String>,
    pub spurious: Vec<String>,
}

pub(crate) fn ratio(a: usize, b: usize) -> Option<f64> {
    (b > 0).then(|| a as f64 / b as f64)
}

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "-".to_owned(), |x| format!("{x:.4}"))
}

fn prf_line(out: &mut String, label: &str, p: &Prf) {
    let _ = writeln!(
        out,
        "{label:<32} {:>8} {:>8} {:>8} {:>6} {:>6} {:>6}",
        num(p.precision),
        num(p.recall),
        num(p.f1),
        p.tp,
        p.gold,
        p.pred
    );
}

fn quote(s: &Option<String>) -> String {
    s.as_ref()
        .map_or_else(|| "null".to_owned(), |s| format!("{s:?}"))
}

impl Report {
    /// The human-readable summary table (what `Display` prints).
    pub fn to_text(&self) -> String {
        let c = &self.counts;
        let mut o = String::new();
        let _ = writeln!(
            o,
            "gold: {} ({} articles)",
            self.gold_format, c.gold_articles
        );
        let _ = writeln!(
            o,
            "predictions: {} records; {} matched, {} missing, {} error records ({} on gold articles), {} ignored (id not in gold), {} duplicate ids",
            c.pred_records, c.matched, c.missing, c.error_records, c.errors_on_gold, c.ignored, c.duplicates
        );
        let opt = |x: Option<usize>| x.map_or_else(|| "-".to_owned(), |x| x.to_string());
        let _ = writeln!(
            o,
            "persons: gold {} / pred {}; offenders: gold {} / pred {}",
            opt(c.gold_persons),
            c.pred_persons,
            opt(c.gold_offenders),
            c.pred_offenders
        );
        let _ = writeln!(o);
        let _ = writeln!(o, "CSV view (offenders only; NFKC, whitespace removed)");
        let _ = writeln!(
            o,
            "{:<32} {:>8} {:>6} {:>6} {:>6} {:>8} {:>6}",
            "field", "accuracy", "correct", "n", "miss", "mismatch", "halluc"
        );
        for f in &self.fields {
            let _ = writeln!(
                o,
                "{:<32} {:>8} {:>7} {:>6} {:>6} {:>8} {:>6}",
                f.field,
                num(f.accuracy),
                f.correct,
                f.n,
                f.miss,
                f.mismatch,
                f.hallucination
            );
        }
        let e = &self.all_fields_exact;
        let _ = writeln!(
            o,
            "{:<32} {:>8} {:>7} {:>6}",
            "all_fields_exact",
            num(e.rate),
            e.correct,
            e.n
        );
        if self.persons.is_some() || !self.addresses.is_empty() {
            let _ = writeln!(o);
            let _ = writeln!(
                o,
                "{:<32} {:>8} {:>8} {:>8} {:>6} {:>6} {:>6}",
                "P/R/F1", "P", "R", "F1", "tp", "gold", "pred"
            );
            if let Some(p) = &self.persons {
                prf_line(&mut o, "persons", p);
            }
            if let Some(p) = &self.offenders {
                prf_line(&mut o, "offenders", p);
            }
            for l in &self.addresses {
                prf_line(&mut o, l.list, &l.prf);
            }
        }
        if !self.attributes.is_empty() {
            let _ = writeln!(o);
            let _ = writeln!(
                o,
                "attributes over {} matched persons",
                opt(c.matched_persons)
            );
            let _ = writeln!(
                o,
                "{:<32} {:>8} {:>7} {:>6}",
                "attribute", "accuracy", "correct", "n"
            );
            for a in &self.attributes {
                let _ = writeln!(
                    o,
                    "{:<32} {:>8} {:>7} {:>6}",
                    a.attr,
                    num(a.accuracy),
                    a.correct,
                    a.n
                );
            }
        }
        let r = &self.reason;
        let _ = writeln!(o);
        let _ = writeln!(
            o,
            "reason: {}/{} supported ({}) of {} predicted offenders; failures: {} no reason, {} not in article, {} no mention/name overlap; {} by mentions, {} by name; {} without article text",
            r.supported,
            r.checked,
            num(r.rate),
            r.pred_offenders,
            r.no_reason,
            r.not_in_article,
            r.no_overlap,
            r.by_mentions,
            r.by_name,
            r.no_article
        );
        if !self.not_available.is_empty() {
            let _ = writeln!(
                o,
                "not available with CSV gold: {}",
                self.not_available.join(", ")
            );
        }
        if !self.missing_ids.is_empty() {
            let shown: Vec<&str> = self
                .missing_ids
                .iter()
                .take(10)
                .map(String::as_str)
                .collect();
            let more = self.missing_ids.len().saturating_sub(shown.len());
            let tail = if more > 0 {
                format!(" (+{more} more)")
            } else {
                String::new()
            };
            let _ = writeln!(o, "missing ids: {}{tail}", shown.join(", "));
        }
        let _ = writeln!(o, "articles with differences: {}", self.per_article.len());
        o
    }

    /// The per-article differences as text, one block per article.
    pub fn diff_text(&self) -> String {
        self.diff_text_explained(&std::collections::HashMap::new())
    }

    /// [`Report::diff_text`] with, under each article, the lines `why` holds
    /// for its id (where each value came from: `pipeline-run explain`).
    pub fn diff_text_explained(&self, why: &std::collections::HashMap<String, Vec<String>>) -> String {
        let mut o = String::new();
        for a in &self.per_article {
            let _ = write!(o, "== {}", a.id);
            if a.status != "ok" {
                let _ = write!(o, " [{}]", a.status);
            }
            if let Some(e) = &a.error {
                let _ = write!(o, " {e}");
            }
            let _ = writeln!(o);
            for f in &a.fields {
                let _ = writeln!(
                    o,
                    "  {} [{}]: gold {:?} | pred {:?}",
                    f.field, f.bucket, f.gold, f.pred
                );
            }
            if !a.persons_missed.is_empty() {
                let _ = writeln!(o, "  persons missed: {}", a.persons_missed.join(", "));
            }
            if !a.persons_spurious.is_empty() {
                let _ = writeln!(o, "  persons spurious: {}", a.persons_spurious.join(", "));
            }
            for d in &a.attributes {
                let _ = writeln!(
                    o,
                    "  {}.{}: gold {} | pred {}",
                    d.person,
                    d.attr,
                    quote(&d.gold),
                    quote(&d.pred)
                );
            }
            for d in &a.addresses {
                let _ = writeln!(
                    o,
                    "  {}: missed [{}] spurious [{}]",
                    d.list,
                    d.missed.join(", "),
                    d.spurious.join(", ")
                );
            }
            for r in &a.reasons {
                let _ = writeln!(o, "  reason {r}");
            }
            for line in why.get(&a.id).into_iter().flatten() {
                let _ = writeln!(o, "  why {line}");
            }
        }
        o
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}
