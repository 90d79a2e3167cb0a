//! The learned act choice: which of the offence names the article writes
//! are this offender's act(s).
//!
//! Candidates are the offence names of the whole article as the act rules
//! read them (the dictionary's names and 「…法違反」 phrases, 同法 resolved, a
//! bracketed detail kept before a cue) whether or not a cue follows, the
//! charge phrases written right before 容疑/の疑い/の罪 that no dictionary names
//! (guessed: 「保護責任者遺棄致死の疑い」), and the pieces of the rules' act.
//! A binary model scores each; the chosen ones are joined in article order.
//! None chosen: the rules' act stays.
use super::candidates::key;
use crate::OffenceMention;
use kiji_core::linear::{bucket, FeatureBuf};
use kiji_core::Span;

/// One candidate act of one offender.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ActCandidate {
    pub text: String,
    /// Indices of its occurrences in the article's offence names (empty:
    /// only the rules' act has it).
    pub occurrences: Vec<usize>,
    /// Is it a piece of the rules' act?
    pub rule: bool,
}

/// The candidates of one offender, in article order of first occurrence
/// (the rules' pieces the article does not write last).
pub(crate) fn act_candidates(offences: &[OffenceMention], rule: Option<&str>) -> Vec<ActCandidate> {
    let mut out: Vec<ActCandidate> = Vec::new();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let mut order: Vec<usize> = (0..offences.len()).collect();
    order.sort_by_key(|&i| offences[i].span.start);
    for i in order {
        let k = key(&offences[i].text);
        match index.get(&k) {
            Some(&c) => out[c].occurrences.push(i),
            // A hostile article may name thousands: the first ones only (news names a few).
            None if out.len() < MAX_ACT_CANDIDATES => {
                index.insert(k, out.len());
                out.push(ActCandidate { text: offences[i].text.clone(), occurrences: vec![i], rule: false });
            }
            None => {}
        }
    }
    for piece in rule.into_iter().flat_map(|r| r.split(',')).filter(|p| !p.is_empty()) {
        match index.get(&key(piece)) {
            Some(&c) => out[c].rule = true,
            None => out.push(ActCandidate { text: piece.to_owned(), occurrences: Vec::new(), rule: true }),
        }
    }
    out
}

/// The most distinct offence names of an article read as candidates.
const MAX_ACT_CANDIDATES: usize = 100;

/// A charge switched to or added (「容疑を殺人に切り替え」) among the rules'
/// pieces: the rules' act, which keeps every charge (guideline `act`:
/// "殺人未遂,殺人"), is the act.
pub(crate) fn switched_charge(cands: &[ActCandidate], offences: &[OffenceMention]) -> bool {
    cands.iter().any(|c| c.rule && c.occurrences.iter().any(|&k| offences[k].switched))
}

/// Constraint: a charge chosen both bare and with its bracketed detail
/// (「大麻取締法違反」 and 「大麻取締法違反(所持)」) is one charge, written with
/// its detail (guideline `act`: the detail right after the legal name is
/// kept); a different charge that merely starts alike (「殺人」, 「殺人未遂」) stays.
pub(crate) fn without_bare_duplicates<'a>(chosen: &[&'a str]) -> Vec<&'a str> {
    let keys: Vec<String> = chosen.iter().map(|c| key(c)).collect();
    chosen
        .iter()
        .zip(&keys)
        .filter(|(_, k)| !keys.iter().any(|o| o.len() > k.len() && o.starts_with(k.as_str()) && o[k.len()..].starts_with('(')))
        .map(|(c, _)| *c)
        .collect()
}

fn distance(a: Span, b: Span) -> usize {
    if a.end <= b.start {
        b.start - a.end
    } else {
        a.start.saturating_sub(b.end)
    }
}

fn distance_bucket(d: usize) -> &'static str {
    match d {
        0..=15 => "15",
        16..=40 => "40",
        41..=100 => "100",
        101..=300 => "300",
        _ => "far",
    }
}

/// The features of candidate `i` for an offender whose mentions are `mine`;
/// `others`: the other offenders' mentions; `sentences`: the article's.
pub(crate) fn act_features(cands: &[ActCandidate], i: usize, offences: &[OffenceMention], mine: &[Span], others: &[Span], n_offenders: usize, sentences: &[Span], f: &mut FeatureBuf) {
    let c = &cands[i];
    f.clear();
    f.add("bias", "");
    f.add("rule", if c.rule { "1" } else { "0" });
    let n_off = bucket(n_offenders, 3);
    f.add("n_off", &n_off);
    let text: Vec<char> = c.text.chars().collect();
    let kind = if c.text.ends_with("違反") {
        "ihan"
    } else if c.text.ends_with(')') {
        "detail"
    } else if c.text.ends_with("未遂") {
        "misui"
    } else if c.text.ends_with('罪') {
        "zai"
    } else {
        "name"
    };
    f.add("kind", kind);
    if text.len() <= 8 {
        f.add("name", &c.text);
    }
    let contained = cands.iter().any(|o| o.text.len() > c.text.len() && o.text.contains(c.text.as_str()));
    let contains = cands.iter().any(|o| o.text.len() < c.text.len() && c.text.contains(o.text.as_str()));
    f.add("contained", if contained { "1" } else { "0" });
    f.add("contains", if contains { "1" } else { "0" });
    f.add("rank", &bucket(i, 4));
    f.add("rule_contained", &format!("{}:{contained}", c.rule));
    if c.occurrences.is_empty() {
        f.add("rule_only", "1");
        return;
    }
    let occ: Vec<&OffenceMention> = c.occurrences.iter().map(|&k| &offences[k]).collect();
    let any_cue = occ.iter().any(|o| o.cue);
    f.add("cue_any", if any_cue { "1" } else { "0" });
    f.add("switched_any", if occ.iter().any(|o| o.switched) { "1" } else { "0" });
    f.add("spec_all", if occ.iter().all(|o| o.speculation) { "1" } else { "0" });
    f.add("quoted_all", if occ.iter().all(|o| o.quoted) { "1" } else { "0" });
    f.add("count", &bucket(occ.len(), 4));
    let guessed = occ.iter().all(|o| o.guessed);
    f.add("guessed", &format!("{guessed}:{kind}"));
    // The occurrence nearest one of the offender's mentions.
    let near = |o: &OffenceMention, spans: &[Span]| spans.iter().map(|&m| distance(o.span, m)).min().unwrap_or(usize::MAX);
    let (best, d) = occ.iter().map(|o| (*o, near(o, mine))).min_by_key(|x| x.1).expect("occurrences");
    let d_other = near(best, others);
    let sent_of = |p: usize| sentences.partition_point(|s| s.end <= p);
    let same_sentence = mine.iter().any(|m| sent_of(m.start) == sent_of(best.span.start));
    let db = distance_bucket(d);
    f.add("dist", db);
    f.add("same_sentence", if same_sentence { "1" } else { "0" });
    f.add("closer_other", if d_other < d { "1" } else { "0" });
    f.add("near_cue", if best.cue { "1" } else { "0" });
    f.add("near_after", &best.after.chars().take(2).collect::<String>());
    f.add("lead", if sent_of(best.span.start) == 0 { "1" } else { "0" });
    f.add("dist_cue", &format!("{db}:{}:{}", best.cue, same_sentence));
    f.add("rule_cue", &format!("{}:{any_cue}", c.rule));
    f.add("noff_closer", &format!("{n_off}:{}", d_other < d));
    f.add("kind_cue", &format!("{kind}:{any_cue}"));
}

#[cfg(test)]
mod tests {
    use super::without_bare_duplicates;

    #[test]
    fn a_bare_charge_goes_when_its_detailed_form_is_chosen_and_a_different_charge_stays() {
        assert_eq!(without_bare_duplicates(&["大麻取締法違反(所持)", "大麻取締法違反"]), ["大麻取締法違反(所持)"]);
        assert_eq!(without_bare_duplicates(&["覚せい剤取締法違反", "覚せい剤取締法違反（所持、使用）"]), ["覚せい剤取締法違反（所持、使用）"]);
        assert_eq!(without_bare_duplicates(&["殺人未遂", "殺人"]), ["殺人未遂", "殺人"]);
        assert_eq!(without_bare_duplicates(&["詐欺", "詐欺未遂"]), ["詐欺", "詐欺未遂"]);
    }
}
