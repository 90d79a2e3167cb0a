//! Features of a (person, candidate value) pair, as hashed keys.
//!
//! Bump [`FEATURE_VERSION`] whenever a template changes: model files carry
//! the version they were trained with and refuse to load into another.
use super::candidates::{extent, FieldCandidate, FieldView};
use kiji_core::linear::{bucket, char_class, pos_name, shape, FeatureBuf};
use kiji_core::{Mention, MentionKind, Person, Span, SuffixClass};
use std::collections::HashSet;

/// The version of the feature templates below.
pub const FEATURE_VERSION: u32 = 4;

/// The word lists the features read.
pub struct FieldLexicon {
    pub positions: HashSet<String>,
    longest: usize,
}

impl FieldLexicon {
    pub fn new(positions: HashSet<String>) -> Self {
        let longest = positions.iter().map(|p| p.chars().count()).max().unwrap_or(0);
        FieldLexicon { positions, longest }
    }
    /// The length (chars) of the longest position word the text ends with.
    fn ends_with_position(&self, text: &[char]) -> usize {
        (1..=self.longest.min(text.len())).rev().find(|&n| self.positions.contains(&text[text.len() - n..].iter().collect::<String>())).unwrap_or(0)
    }
}

fn class_name(c: Option<SuffixClass>) -> &'static str {
    match c {
        None => "none",
        Some(SuffixClass::Suspect) => "suspect",
        Some(SuffixClass::SuspectHeadline) => "headline",
        Some(SuffixClass::Defendant) => "defendant",
        Some(SuffixClass::Honorific) => "honorific",
        Some(SuffixClass::Title) => "title",
    }
}

fn kind_name(k: MentionKind) -> &'static str {
    match k {
        MentionKind::Person => "full",
        MentionKind::PartialName => "partial",
        MentionKind::Anaphor => "anaphor",
        _ => "other",
    }
}

/// The chars between two points, as a feature value: the text when short,
/// else its length bucket with its first and last chars.
fn between(view: &FieldView, span: Span) -> String {
    if span.len() <= 3 {
        view.s(span)
    } else {
        // Only its ends are read: a far candidate's gap may be the whole article.
        let at = |i: usize| view.chars.get(i).copied().unwrap_or(' ');
        format!("{}…{}:{}", at(span.start), at(span.end - 1), bucket(span.len() / 4, 8))
    }
}

/// The features of one candidate of a person's field.
///
/// `titled`: the texts before each occurrence of the person's position (see
/// [`FieldView::before_occurrences`]); a candidate one of them ends with is
/// written as the organisation of that position somewhere in the article
/// (「ノエビアの副社長」, 「日本赤軍のメンバー」), however far from the name.
#[allow(clippy::too_many_arguments)]
pub fn features(lex: &FieldLexicon, view: &FieldView, ms: &[&Mention], person: &Person, rule_value: Option<&str>, titled: &[String], c: &FieldCandidate, f: &mut FeatureBuf) {
    f.clear();
    f.add("bias", "");
    f.add("rule", if c.rule { "1" } else { "0" });
    if c.same_ref {
        f.add("same_ref", "");
    }
    f.add("rule_none", if rule_value.is_none() { "1" } else { "0" });
    f.add("offender", if person.is_offender { "1" } else { "0" });
    let text: Vec<char> = c.text.chars().map(kiji_core::fold_char).collect();
    let n = text.len();
    let last1 = text.last().copied().unwrap_or(' ');
    let last2: String = text[n.saturating_sub(2)..].iter().collect();
    f.add("last1", &last1.to_string());
    f.add("last2", &last2);
    f.add("first1", &text.first().copied().unwrap_or(' ').to_string());
    f.add("shape", &shape(&c.text));
    f.add("len", &bucket(n, 12));
    let folded: String = text.iter().collect();
    let known = lex.positions.contains(&folded);
    let ends = lex.ends_with_position(&text);
    f.add("known_pos", if known { "1" } else { "0" });
    f.add("ends_pos", &bucket(ends, 4));
    f.add("pos_rest", &bucket(n - ends, 8));
    f.add("former", if matches!(text.first(), Some('元' | '前')) { "1" } else { "0" });
    f.add("rule_known", &format!("{}:{}", c.rule, known));
    if !titled.is_empty() {
        f.add("of_position", if titled.iter().any(|w| w.ends_with(&folded)) { "1" } else { "0" });
    }
    let Some(span) = c.span else {
        f.add("rule_only", "1");
        return;
    };
    let m = ms[c.mention];
    let e = extent(m);
    let (dir, gap) = if span.end <= m.span.start {
        ("L", Span::new(span.end, m.span.start))
    } else if span.start >= e.end {
        ("R", Span::new(e.end, span.start))
    } else if m.suffix.is_some_and(|s| s.contains(span)) {
        ("S", Span::new(span.start, span.start))
    } else {
        ("X", Span::new(span.start, span.start))
    };
    let g = between(view, gap);
    f.add("dir", dir);
    f.add("gap", &format!("{dir}:{g}"));
    f.add("gap_len", &format!("{dir}:{}", bucket(gap.len(), 12)));
    f.add("dir_last1", &format!("{dir}:{last1}"));
    f.add("dir_last2", &format!("{dir}:{last2}"));
    f.add("dir_known", &format!("{dir}:{known}:{}", bucket(ends, 4)));
    f.add("dir_rule", &format!("{dir}:{}", c.rule));
    f.add("gap_last1", &format!("{dir}:{g}:{last1}"));
    f.add("mention", &format!("{}:{}", kind_name(m.kind), class_name(m.suffix_class)));
    f.add("mention_dir", &format!("{}:{}:{dir}", kind_name(m.kind), class_name(m.suffix_class)));
    f.add("near", &bucket(c.near, 4));
    let toks = &view.doc.tokens;
    let (i, j) = c.tokens;
    f.add("ntok", &bucket(j + 1 - i, 6));
    f.add("pos_first", pos_name(toks[i].pos));
    f.add("pos_last", pos_name(toks[j].pos));
    f.add("pos_prev", i.checked_sub(1).map_or("^", |k| pos_name(toks[k].pos)));
    f.add("pos_next", toks.get(j + 1).map_or("$", |t| pos_name(t.pos)));
    let prev = span.start.checked_sub(1).and_then(|k| view.chars.get(k)).copied();
    let next = view.chars.get(span.end).copied();
    f.add("prev_c", &prev.unwrap_or('^').to_string());
    f.add("next_c", &next.unwrap_or('$').to_string());
    f.add("prev_class", &prev.map_or('^', char_class).to_string());
    f.add("next_class", &next.map_or('$', char_class).to_string());
    f.add("unknown", if toks[i..=j].iter().any(|t| t.unknown) { "1" } else { "0" });
    f.add("pos_seq", &toks[i..=j].iter().map(|t| pos_name(t.pos)).collect::<Vec<_>>().join("+"));
    // Other persons' names between the candidate and the mention.
    let lo = span.end.min(m.span.start);
    let hi = span.start.max(e.end);
    let others = view.names.iter().filter(|s| s.start >= lo && s.end <= hi && **s != m.span).count();
    f.add("names_between", &bucket(others, 3));
    // Sentences between the candidate and the mention.
    let sents = view.doc.text.sentences();
    let si = |p: usize| sents.partition_point(|s| s.end <= p);
    let sd = si(span.start).abs_diff(si(m.span.start));
    f.add("sent_dist", &bucket(sd, 4));
    f.add("sent_dist_last1", &format!("{}:{last1}", bucket(sd, 2)));
    f.add("first_sentence", if si(span.start) == 0 { "1" } else { "0" });
    let count = view.count(&folded);
    f.add("count", &bucket(count, 5));
    f.add("count_far", &format!("{}:{}", bucket(count, 3), bucket(sd, 2)));
}
