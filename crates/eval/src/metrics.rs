//! The metrics of the guideline's Evaluation section.
use crate::report::{
    ratio, AddressDiff, ArticleDiff, AttrDiff, AttrScore, Counts, ExactScore, FieldDiff,
    FieldScore, ListScore, Prf, ReasonScore, Report,
};
use crate::view::{normalize, CsvView, CSV_FIELDS};
use crate::{Gold, Record};
use kiji_core::{ArticleOutput, OwnedAddress, Person, Span};
use std::collections::{HashMap, HashSet};

/// Attributes compared over matched persons, in report order.
const ATTRS: [&str; 7] = [
    "is_offender",
    "category",
    "is_real",
    "age",
    "position",
    "affiliation",
    "act",
];

fn attr(p: &Person, i: usize) -> Option<String> {
    match ATTRS[i] {
        "is_offender" => Some(p.is_offender.to_string()),
        "category" => Some(p.category.as_str().to_owned()),
        "is_real" => Some(p.is_real.to_string()),
        "age" => p.age.clone(),
        "position" => p.position.clone(),
        "affiliation" => p.affiliation.clone(),
        _ => p.act.clone(),
    }
}

/// Normalised optional value; an empty string counts as null.
fn norm_opt(v: &Option<String>) -> Option<String> {
    v.as_deref().map(normalize).filter(|s| !s.is_empty())
}

const LISTS: [&str; 4] = [
    "headquarters_locations",
    "residences",
    "physical_crime_occured_locations",
    "police_departments",
];

/// The items of address list `i` as (comparison key, display string), deduplicated by key in order.
fn list_items(out: &ArticleOutput, i: usize) -> Vec<(String, String)> {
    let owned = |v: &[OwnedAddress]| -> Vec<(String, String)> {
        v.iter()
            .map(|a| {
                (
                    format!("{}\u{0}{}", normalize(&a.address), normalize(&a.owner)),
                    format!("{} ({})", a.address, a.owner),
                )
            })
            .collect()
    };
    let plain = |v: &[String]| -> Vec<(String, String)> {
        v.iter().map(|s| (normalize(s), s.clone())).collect()
    };
    let items = match i {
        0 => owned(&out.headquarters_locations),
        1 => owned(&out.residences),
        2 => plain(&out.physical_crime_occured_locations),
        _ => plain(&out.police_departments),
    };
    let mut seen = HashSet::new();
    items
        .into_iter()
        .filter(|(k, _)| seen.insert(k.clone()))
        .collect()
}

/// One-to-one matching by normalised name, greedily in list order:
/// `pairs[g] = Some(p)` when gold person `g` is matched to predicted person `p`.
fn match_persons(gold: &[&Person], pred: &[&Person]) -> Vec<Option<usize>> {
    let pred_names: Vec<String> = pred.iter().map(|p| normalize(&p.name)).collect();
    let mut used = vec![false; pred.len()];
    gold.iter()
        .map(|g| {
            let name = normalize(&g.name);
            let j = (0..pred.len()).find(|&j| !used[j] && pred_names[j] == name)?;
            used[j] = true;
            Some(j)
        })
        .collect()
}

/// Why a reason failed the check.
enum ReasonFail {
    NoReason,
    NotInArticle,
    NoOverlap,
}

/// Check one predicted offender's reason against the article text.
/// `Ok(true)` when checked against mentions, `Ok(false)` by the name fallback.
fn check_reason(p: &Person, text: &str) -> Result<bool, ReasonFail> {
    let reason = p.reason.as_deref().unwrap_or("");
    if reason.is_empty() {
        return Err(ReasonFail::NoReason);
    }
    let len = reason.chars().count();
    let mut occurrences = Vec::new();
    let mut from = 0;
    while let Some(b) = text[from..].find(reason) {
        let at = from + b;
        let start = text[..at].chars().count();
        occurrences.push(Span::new(start, start + len));
        from = at + text[at..].chars().next().map_or(1, char::len_utf8);
    }
    if occurrences.is_empty() {
        return Err(ReasonFail::NotInArticle);
    }
    if p.mentions.is_empty() {
        let name = normalize(&p.name);
        return if !name.is_empty() && normalize(reason).contains(&name) {
            Ok(false)
        } else {
            Err(ReasonFail::NoOverlap)
        };
    }
    if occurrences
        .iter()
        .any(|o| p.mentions.iter().any(|m| o.overlaps(*m)))
    {
        Ok(true)
    } else {
        Err(ReasonFail::NoOverlap)
    }
}

/// Score predictions against gold.
///
/// Predictions are matched to gold articles by id. A gold article without a
/// prediction, or whose prediction is an error record, is scored as an empty
/// prediction. Predictions without an id or with an id not in gold are
/// ignored (counted); of several predictions with one id the first is used.
///
/// `articles` (id → article text, e.g. from the input JSONL) is used by the
/// reason check; without an entry the prediction record's own `article`,
/// then the gold record's `article` is used; offenders of articles with no
/// text are counted as unchecked.
pub fn evaluate(
    gold: &Gold,
    pred: &[Record],
    articles: Option<&HashMap<String, String>>,
) -> Report {
    let gold_items: Vec<(&str, Option<&Record>, CsvView)> = match gold {
        Gold::Jsonl(recs) => recs
            .iter()
            .map(|r| {
                let id = r.id.as_deref().unwrap_or("");
                (id, Some(r), CsvView::from_output(id, &r.output))
            })
            .collect(),
        Gold::Csv(views) => views
            .iter()
            .map(|v| (v.id.as_str(), None, v.clone()))
            .collect(),
    };
    let jsonl = matches!(gold, Gold::Jsonl(_));
    let gold_ids: HashSet<&str> = gold_items.iter().map(|(id, _, _)| *id).collect();

    let mut counts = Counts {
        gold_articles: gold_items.len(),
        pred_records: pred.len(),
        ..Counts::default()
    };
    let mut by_id: HashMap<&str, &Record> = HashMap::new();
    for r in pred {
        if r.error.is_some() {
            counts.error_records += 1;
        }
        match r.id.as_deref() {
            Some(id) if gold_ids.contains(id) => {
                if by_id.contains_key(id) {
                    counts.duplicates += 1;
                } else {
                    by_id.insert(id, r);
                }
            }
            _ => counts.ignored += 1,
        }
    }

    let empty = ArticleOutput::default();
    let mut fields: Vec<FieldScore> = CSV_FIELDS
        .iter()
        .map(|&field| FieldScore {
            field,
            accuracy: None,
            correct: 0,
            n: 0,
            miss: 0,
            mismatch: 0,
            hallucination: 0,
        })
        .collect();
    let mut exact = 0usize;
    let (mut persons, mut offenders) = ((0, 0, 0), (0, 0, 0));
    let mut attrs = [(0usize, 0usize); ATTRS.len()];
    let mut lists = [(0usize, 0usize, 0usize); LISTS.len()];
    let mut reason = ReasonScore::default();
    let mut missing_ids = Vec::new();
    let mut per_article = Vec::new();

    for (id, gold_rec, gold_view) in &gold_items {
        let mut diff = ArticleDiff {
            id: id.to_string(),
            status: "ok",
            ..ArticleDiff::default()
        };
        let pred_rec = by_id.get(id).copied();
        let out = match pred_rec {
            None => {
                counts.missing += 1;
                missing_ids.push(id.to_string());
                diff.status = "missing";
                &empty
            }
            Some(r) if r.error.is_some() => {
                counts.errors_on_gold += 1;
                diff.status = "error";
                diff.error = r.error.clone();
                &empty
            }
            Some(r) => {
                counts.matched += 1;
                &r.output
            }
        };

        // The CSV view.
        let pred_view = CsvView::from_output(*id, out);
        let mut all_equal = true;
        for (i, score) in fields.iter_mut().enumerate() {
            let (g, p) = (
                normalize(&gold_view.fields[i]),
                normalize(&pred_view.fields[i]),
            );
            if g.is_empty() && p.is_empty() {
                continue;
            }
            score.n += 1;
            if g == p {
                score.correct += 1;
                continue;
            }
            all_equal = false;
            let bucket = if p.is_empty() {
                score.miss += 1;
                "miss"
            } else if g.is_empty() {
                score.hallucination += 1;
                "hallucination"
            } else {
                score.mismatch += 1;
                "mismatch"
            };
            diff.fields.push(FieldDiff {
                field: CSV_FIELDS[i],
                bucket,
                gold: gold_view.fields[i].clone(),
                pred: pred_view.fields[i].clone(),
            });
        }
        exact += usize::from(all_equal);

        let pred_persons: Vec<&Person> = out.persons.iter().collect();
        let pred_offenders: Vec<&Person> = out.persons.iter().filter(|p| p.is_offender).collect();
        counts.pred_persons += pred_persons.len();
        counts.pred_offenders += pred_offenders.len();

        // Person level, attributes and addresses need the gold records.
        if let Some(g) = gold_rec {
            let gold_persons: Vec<&Person> = g.output.persons.iter().collect();
            let pairs = match_persons(&gold_persons, &pred_persons);
            let mut pred_used = vec![false; pred_persons.len()];
            for (gi, pj) in pairs.iter().enumerate() {
                match pj {
                    Some(j) => pred_used[*j] = true,
                    None => diff.persons_missed.push(gold_persons[gi].name.clone()),
                }
            }
            diff.persons_spurious = pred_persons
                .iter()
                .zip(&pred_used)
                .filter(|(_, u)| !**u)
                .map(|(p, _)| p.name.clone())
                .collect();
            let tp = pairs.iter().flatten().count();
            persons.0 += tp;
            persons.1 += gold_persons.len();
            persons.2 += pred_persons.len();

            let gold_offenders: Vec<&Person> = gold_persons
                .iter()
                .copied()
                .filter(|p| p.is_offender)
                .collect();
            offenders.0 += match_persons(&gold_offenders, &pred_offenders)
                .iter()
                .flatten()
                .count();
            offenders.1 += gold_offenders.len();
            offenders.2 += pred_offenders.len();

            for (gi, pj) in pairs.iter().enumerate() {
                let Some(j) = pj else { continue };
                let (gp, pp) = (gold_persons[gi], pred_persons[*j]);
                for (k, acc) in attrs.iter_mut().enumerate() {
                    let (gv, pv) = (attr(gp, k), attr(pp, k));
                    acc.1 += 1;
                    if norm_opt(&gv) == norm_opt(&pv) {
                        acc.0 += 1;
                    } else {
                        diff.attributes.push(AttrDiff {
                            person: gp.name.clone(),
                            attr: ATTRS[k],
                            gold: gv,
                            pred: pv,
                        });
                    }
                }
            }

            for (k, acc) in lists.iter_mut().enumerate() {
                let (gi, pi) = (list_items(&g.output, k), list_items(out, k));
                let pred_keys: HashSet<&str> = pi.iter().map(|(key, _)| key.as_str()).collect();
                let gold_keys: HashSet<&str> = gi.iter().map(|(key, _)| key.as_str()).collect();
                let missed: Vec<String> = gi
                    .iter()
                    .filter(|(key, _)| !pred_keys.contains(key.as_str()))
                    .map(|(_, s)| s.clone())
                    .collect();
                let spurious: Vec<String> = pi
                    .iter()
                    .filter(|(key, _)| !gold_keys.contains(key.as_str()))
                    .map(|(_, s)| s.clone())
                    .collect();
                acc.0 += gi.len() - missed.len();
                acc.1 += gi.len();
                acc.2 += pi.len();
                if !missed.is_empty() || !spurious.is_empty() {
                    diff.addresses.push(AddressDiff {
                        list: LISTS[k],
                        missed,
                        spurious,
                    });
                }
            }
        }

        // The reason check.
        let text = articles
            .and_then(|m| m.get(*id))
            .or_else(|| pred_rec.and_then(|r| r.article.as_ref()))
            .or_else(|| gold_rec.and_then(|r| r.article.as_ref()));
        for p in &pred_offenders {
            reason.pred_offenders += 1;
            let Some(text) = text else {
                reason.no_article += 1;
                continue;
            };
            reason.checked += 1;
            let fail = match check_reason(p, text) {
                Ok(by_mentions) => {
                    reason.supported += 1;
                    if by_mentions {
                        reason.by_mentions += 1;
                    } else {
                        reason.by_name += 1;
                    }
                    continue;
                }
                Err(ReasonFail::NoReason) => {
                    reason.no_reason += 1;
                    "no reason"
                }
                Err(ReasonFail::NotInArticle) => {
                    reason.not_in_article += 1;
                    "not in the article"
                }
                Err(ReasonFail::NoOverlap) => {
                    reason.no_overlap += 1;
                    if p.mentions.is_empty() {
                        "does not contain the name"
                    } else {
                        "overlaps no mention"
                    }
                }
            };
            diff.reasons.push(format!("{}: {fail}", p.name));
        }

        if !diff.is_clean() {
            per_article.push(diff);
        }
    }

    for f in &mut fields {
        f.accuracy = ratio(f.correct, f.n);
    }
    reason.rate = ratio(reason.supported, reason.checked);
    let n = gold_items.len();
    let mut report = Report {
        gold_format: if jsonl { "jsonl" } else { "csv" },
        counts,
        fields,
        all_fields_exact: ExactScore {
            correct: exact,
            n,
            rate: ratio(exact, n),
        },
        persons: None,
        offenders: None,
        attributes: Vec::new(),
        addresses: Vec::new(),
        reason,
        not_available: Vec::new(),
        missing_ids,
        per_article,
    };
    if jsonl {
        report.persons = Some(Prf::new(persons.0, persons.1, persons.2));
        report.offenders = Some(Prf::new(offenders.0, offenders.1, offenders.2));
        report.counts.gold_persons = Some(persons.1);
        report.counts.gold_offenders = Some(offenders.1);
        report.counts.matched_persons = Some(persons.0);
        report.attributes = ATTRS
            .iter()
            .zip(attrs)
            .map(|(&attr, (correct, n))| AttrScore {
                attr,
                correct,
                n,
                accuracy: ratio(correct, n),
            })
            .collect();
        report.addresses = LISTS
            .iter()
            .zip(lists)
            .map(|(&list, (tp, g, p))| ListScore {
                list,
                prf: Prf::new(tp, g, p),
            })
            .collect();
    } else {
        report.not_available = vec!["persons", "offenders", "attributes", "addresses"];
    }
    report
}
