//! The learned police role: is a police or prosecution body the recogniser finds one that
//! investigates the article's case (guideline `police_departments`), or only named (the
//! national agency's statistics, another case, a cited headline)?
//!
//! * candidates: the bodies of the article, one per body (「長田署」 = 「長田警察署」, as the
//!   guideline's de-duplication keys them), with all their mentions;
//! * features: what the body is (its last chars, its length), how often and where it is
//!   named (its rank among the bodies, how far into the article), what is written right
//!   around each mention, the investigation cue words of its sentences
//!   (dictionaries/address/police_cues.txt), whether an offender is named in them, whether
//!   it sits inside a cited title 『…』, whether another body contains it or it another;
//! * model: a logistic regression (`police.kpm`);
//! * constraints: the bodies kept stay in order of first appearance, and the guideline's
//!   de-duplication runs over them (a body is dropped under a kept more specific unit).
use crate::police::{same_body_key, PoliceBody};
use crate::roles::Ctx;
use kiji_core::linear::{bucket, FeatureBuf};
use kiji_core::Span;

/// Mentions of one body read (the first ones).
const MAX_MENTIONS: usize = 8;
/// How far into its sentence (chars either side) a mention's cue words are read.
const SENTENCE_WINDOW: usize = 200;
/// Bodies of one article decided (past them, a hostile article's bodies stay as found).
pub(crate) const MAX_BODIES: usize = 256;

/// One body of the article and its mentions.
pub(crate) struct PoliceCand {
    /// Index of its first mention in the bodies.
    pub first: usize,
    /// Its first mention's text, width-folded, without whitespace.
    pub text: String,
    /// Indices of all its mentions in the bodies.
    pub members: Vec<usize>,
}

/// The bodies grouped by the guideline's "same body" key, in order of first appearance.
pub(crate) fn candidates(bodies: &[PoliceBody]) -> Vec<PoliceCand> {
    let mut keys: Vec<String> = Vec::new();
    let mut out: Vec<PoliceCand> = Vec::new();
    for (i, b) in bodies.iter().enumerate() {
        let k = same_body_key(&b.text);
        match keys.iter().position(|x| *x == k) {
            Some(j) => out[j].members.push(i),
            None => {
                if out.len() >= MAX_BODIES {
                    continue;
                }
                keys.push(k);
                let text = b.text.chars().map(kiji_core::fold_char).filter(|c| !c.is_whitespace()).collect();
                out.push(PoliceCand { first: i, text, members: vec![i] });
            }
        }
    }
    out
}

/// The investigation cue words (one per line).
pub(crate) struct PoliceCues(Vec<&'static str>);

impl PoliceCues {
    pub fn new() -> Self {
        PoliceCues(crate::lexicon::words(crate::lexicon::POLICE_CUES))
    }
}

/// The features of body `i` of `cands`.
pub(crate) fn features(ctx: &Ctx, cues: &PoliceCues, bodies: &[PoliceBody], cands: &[PoliceCand], i: usize, f: &mut FeatureBuf) {
    f.clear();
    f.add("bias", "");
    let c = &cands[i];
    let text: Vec<char> = c.text.chars().collect();
    let n = text.len();
    let last = |k: usize| -> String { text[n.saturating_sub(k)..].iter().collect() };
    f.add("last1", &last(1));
    f.add("last2", &last(2));
    f.add("len", &bucket(n, 10));
    let any_offender = ctx.persons.iter().any(|p| p.is_offender);
    f.add("any_offender", if any_offender { "1" } else { "0" });
    f.add("mentions", &bucket(c.members.len(), 4));
    f.add("rank", &bucket(i, 4));
    f.add("n_bodies", &bucket(cands.len(), 5));
    let wf = &ctx.v.wf;
    let total = wf.len().max(1);
    let first = bodies[c.first].span;
    f.add("where", &bucket(first.start * 10 / total, 10));
    // Another body contains this one's text, or this one another's.
    let (mut inside, mut holds) = (false, false);
    for (_, o) in cands.iter().enumerate().filter(|&(j, _)| j != i) {
        inside |= o.text.contains(&c.text);
        holds |= c.text.contains(&o.text);
    }
    f.add("inside_other", if inside { "1" } else { "0" });
    f.add("holds_other", if holds { "1" } else { "0" });
    let at = |k: usize| wf.get(k).copied();
    let mut offender_sentence = false;
    let mut in_title = false;
    for &m in c.members.iter().take(MAX_MENTIONS) {
        let s = bodies[m].span;
        f.add("after1", &at(s.end).map_or(String::new(), String::from));
        // Its sentence, at most SENTENCE_WINDOW chars either side (a hostile sentence may be
        // megabytes long).
        let sent = ctx.text.sentence_at(s.start).unwrap_or(Span::new(0, wf.len()));
        let sent = Span::new(sent.start.max(s.start.saturating_sub(SENTENCE_WINDOW)), sent.end.min(s.end + SENTENCE_WINDOW).max(s.end));
        let sent_text: String = wf[sent.start.min(wf.len())..sent.end.min(wf.len())].iter().collect();
        for cue in &cues.0 {
            if sent_text.contains(cue) {
                f.add("cue", cue);
            }
        }
        // Inside 『…』 (a cited headline): an opening before it in the sentence, not closed.
        let head: String = wf[sent.start.min(s.start)..s.start.min(wf.len())].iter().collect();
        in_title |= head.rfind('『').is_some_and(|o| !head[o..].contains('』'));
        offender_sentence |= ctx.pm.iter().any(|pm| sent.contains(pm.span) && ctx.persons.get(pm.person).is_some_and(|p| p.is_offender));
    }
    f.add("in_title", if in_title { "1" } else { "0" });
    f.add("offender_sentence", &format!("{offender_sentence}:{any_offender}"));
}

/// The bodies kept: those of the candidates `keep` says yes to, in text order.
pub(crate) fn kept(bodies: &[PoliceBody], cands: &[PoliceCand], keep: impl Fn(usize) -> bool) -> Vec<PoliceBody> {
    let mut idx: Vec<usize> = Vec::new();
    for (i, c) in cands.iter().enumerate() {
        if keep(i) {
            idx.extend(&c.members);
        }
    }
    // Bodies past the decided ones stay as found.
    let decided: usize = cands.iter().map(|c| c.members.len()).sum();
    if decided < bodies.len() {
        let seen: std::collections::HashSet<usize> = cands.iter().flat_map(|c| c.members.iter().copied()).collect();
        idx.extend((0..bodies.len()).filter(|k| !seen.contains(k)));
    }
    idx.sort_unstable();
    idx.into_iter().map(|k| bodies[k].clone()).collect()
}
