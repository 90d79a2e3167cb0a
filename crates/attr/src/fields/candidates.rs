//! Candidates for a person's span fields: every chunk of content morphemes
//! near one of its mentions, and the rule stage's value.
//!
//! A chunk is 1-8 consecutive IPADIC tokens in the mention's sentence, at
//! most [`BEFORE`] chars before the name and [`AFTER`] chars after it
//! (suffix included), that holds no particle, predicate, bracket or
//! punctuation (a ・ inside is kept: 「オリックス・バファローズ」) and no
//! person's name. A chunk may be the mention's own suffix (「社長」 of
//! 「田中社長」). The same text near several mentions is one candidate, read
//! at its occurrence nearest a mention.
use kiji_core::{Document, Mention, MentionKind, Pos, Span, Token};

/// How far before a name (chars) a candidate may start.
pub const BEFORE: usize = 40;
/// How far after a name and its suffix (chars) a candidate may end.
pub const AFTER: usize = 30;
/// The longest candidate in tokens and in chars.
const MAX_TOKENS: usize = 8;
const MAX_CHARS: usize = 30;
/// Mentions of a person searched (the first ones, in text order).
const MAX_MENTIONS: usize = 6;
/// Organisation names anywhere in the article are read from its first chars
/// only, and at most this many: the work on a hostile article (megabytes of
/// unknown words) stays bounded; news articles are far shorter.
pub const ARTICLE_CHARS: usize = 50_000;
const MAX_FAR: usize = 1_000;

/// One candidate value of a field for one person.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldCandidate {
    /// The value as written in the article.
    pub text: String,
    /// Its occurrence nearest a mention (`None`: only the rules' value, not
    /// written near the person, e.g. a resolved 「同社」).
    pub span: Option<Span>,
    /// The mention (index into the person's mentions) it was read at.
    pub mention: usize,
    /// Its first and last token (indices into `doc.tokens`).
    pub tokens: (usize, usize),
    /// Is it the rule stage's value?
    pub rule: bool,
    /// Written as a 同-reference (「同社」「元同球団」) and resolved to the
    /// organisation it names (the text is then that organisation).
    pub same_ref: bool,
    /// How many of the person's mentions it stands near.
    pub near: usize,
}

/// The article as the field stage reads it (built once per article).
pub struct FieldView<'d> {
    pub doc: &'d Document<'d>,
    /// The width-folded chars.
    pub chars: Vec<char>,
    /// The name spans of every person-like mention (suffixes excluded), sorted.
    pub names: Vec<Span>,
    /// The folded text the occurrence counts search (its first [`ARTICLE_CHARS`] chars).
    counted: &'d str,
    /// Occurrence counts already computed (the same chunks recur for every offender).
    counts: std::cell::RefCell<std::collections::HashMap<String, usize>>,
}

impl<'d> FieldView<'d> {
    pub fn new(doc: &'d Document<'d>, mentions: &[Mention]) -> Self {
        let mut names: Vec<Span> = mentions.iter().filter(|m| m.kind.is_person_like() && m.kind != MentionKind::Anaphor).map(|m| m.span).collect();
        names.sort_unstable();
        let counted = doc.text.folded_slice(Span::new(0, ARTICLE_CHARS));
        FieldView { doc, chars: doc.text.folded_chars(), names, counted, counts: Default::default() }
    }

    /// How often the (folded) text occurs in the article's first [`ARTICLE_CHARS`] chars.
    pub fn count(&self, text: &str) -> usize {
        if let Some(&n) = self.counts.borrow().get(text) {
            return n;
        }
        let n = self.counted.matches(text).count();
        self.counts.borrow_mut().insert(text.to_owned(), n);
        n
    }

    /// The (folded) texts right before each occurrence of `word` in the
    /// article's first [`ARTICLE_CHARS`] chars, at most `width` chars each,
    /// without the joiners の ・ 元 前 at their end (「ノエビアの副社長」 →
    /// 「…ノエビア」 for 副社長); at most 64 occurrences.
    pub fn before_occurrences(&self, word: &str, width: usize) -> Vec<String> {
        if word.is_empty() {
            return Vec::new();
        }
        self.counted
            .match_indices(word)
            .take(64)
            .map(|(b, _)| {
                let before = &self.counted[..b];
                let from = before.char_indices().rev().nth(width.saturating_sub(1)).map_or(0, |(i, _)| i);
                before[from..].trim_end_matches(['の', '・', '元', '前']).to_owned()
            })
            .collect()
    }

    /// The folded text of a span.
    pub fn s(&self, span: Span) -> String {
        self.chars[span.start.min(self.chars.len())..span.end.min(self.chars.len())].iter().collect()
    }

    fn in_name(&self, span: Span) -> bool {
        let k = self.names.partition_point(|n| n.start < span.end);
        self.names[..k].iter().rev().take(4).any(|n| n.overlaps(span))
    }
}

/// The extent of a mention: its name and its suffix.
pub fn extent(m: &Mention) -> Span {
    Span::new(m.span.start, m.suffix.map_or(m.span.end, |s| s.end.max(m.span.end)))
}

/// How far a candidate stands from a mention (chars between; 0 inside the suffix).
pub fn gap(span: Span, m: &Mention) -> usize {
    let e = extent(m);
    if span.end <= m.span.start {
        m.span.start - span.end
    } else if span.start >= e.end {
        span.start - e.end
    } else {
        0
    }
}

fn breaks(t: &Token, view: &FieldView) -> bool {
    match t.pos {
        Pos::Particle | Pos::Predicate | Pos::Other => true,
        Pos::Symbol => !(t.span.len() == 1 && matches!(view.chars.get(t.span.start), Some('・' | '&' | '-'))),
        _ => false,
    }
}

/// Can a candidate start / end at this token?
fn edge(t: &Token, view: &FieldView, at_end: bool) -> bool {
    !breaks(t, view) && t.pos != Pos::Symbol && !(at_end && t.pos == Pos::Prefix)
}

/// The candidates of one person (`ms`: its mentions in text order).
/// With `far`, organisation names anywhere in the article too.
pub fn candidates(view: &FieldView, ms: &[&Mention], rule_value: Option<&str>, far: bool, out: &mut Vec<FieldCandidate>) {
    out.clear();
    let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    let tokens = &view.doc.tokens;
    let rule_key = rule_value.map(key);
    for (mi, m) in ms.iter().enumerate().take(MAX_MENTIONS) {
        if m.kind == MentionKind::Anaphor && m.suffix.is_none() {
            continue;
        }
        let e = extent(m);
        let sent = view.doc.text.sentence_at(m.span.start).unwrap_or(Span::new(0, view.chars.len()));
        let lo = m.span.start.saturating_sub(BEFORE).max(sent.start);
        let hi = (e.end + AFTER).min(sent.end.max(e.end));
        let first = tokens.partition_point(|t| t.span.start < lo);
        let mut i = first;
        while i < tokens.len() && tokens[i].span.end <= hi {
            if !edge(&tokens[i], view, false) || view.in_name(tokens[i].span) {
                i += 1;
                continue;
            }
            for j in i..(i + MAX_TOKENS).min(tokens.len()) {
                let t = &tokens[j];
                if t.span.end > hi || breaks(t, view) || view.in_name(t.span) {
                    break;
                }
                let span = Span::new(tokens[i].span.start, t.span.end);
                if span.len() > MAX_CHARS {
                    break;
                }
                if !edge(t, view, true) {
                    continue;
                }
                let text = view.doc.text.slice(span).to_owned();
                let d = gap(span, m);
                match index.get(&text).map(|&k| &mut out[k]) {
                    Some(c) => {
                        if c.mention != mi {
                            c.near += 1;
                        }
                        if c.span.is_some_and(|s| d < gap(s, ms[c.mention])) {
                            (c.span, c.mention, c.tokens) = (Some(span), mi, (i, j));
                        }
                    }
                    None => {
                        let rule = rule_key.as_deref() == Some(key(&text).as_str());
                        index.insert(text.clone(), out.len());
                        out.push(FieldCandidate { text, span: Some(span), mention: mi, tokens: (i, j), rule, near: 1, same_ref: false });
                    }
                }
            }
            i += 1;
        }
    }
    // Organisation names anywhere in the article (the company of the case,
    // named once in its opening): chunks around an IPADIC organisation or an
    // unknown word, read at their occurrence nearest a mention.
    if far {
        let near = out.len();
        for j in 0..tokens.len() {
            let t = &tokens[j];
            if t.span.start >= ARTICLE_CHARS || out.len() >= near + MAX_FAR {
                break;
            }
            if !(t.pos == Pos::Organization || (t.unknown && matches!(t.pos, Pos::Noun | Pos::ProperNoun))) || view.in_name(t.span) {
                continue;
            }
            for i in (j.saturating_sub(3)..=j).rev() {
                if breaks(&tokens[i], view) || view.in_name(tokens[i].span) {
                    break;
                }
                if !edge(&tokens[i], view, false) {
                    continue;
                }
                for k in j..(j + 3).min(tokens.len()) {
                    if k > j && (breaks(&tokens[k], view) || view.in_name(tokens[k].span)) {
                        break;
                    }
                    if !edge(&tokens[k], view, true) {
                        continue;
                    }
                    let span = Span::new(tokens[i].span.start, tokens[k].span.end);
                    let text = view.doc.text.slice(span).to_owned();
                    let (mi, d) = ms.iter().take(MAX_MENTIONS).enumerate().map(|(mi, m)| (mi, gap(span, m))).min_by_key(|x| x.1).unwrap_or((0, 0));
                    match index.get(&text).map(|&x| &mut out[x]) {
                        Some(c) => {
                            if c.span.is_some_and(|s| d < gap(s, ms[c.mention])) {
                                (c.span, c.mention, c.tokens) = (Some(span), mi, (i, k));
                            }
                        }
                        None => {
                            let rule = rule_key.as_deref() == Some(key(&text).as_str());
                            index.insert(text.clone(), out.len());
                            out.push(FieldCandidate { text, span: Some(span), mention: mi, tokens: (i, k), rule, near: 0, same_ref: false });
                        }
                    }
                }
            }
        }
    }
    if let Some(v) = rule_value {
        if !out.iter().any(|c| c.rule) {
            out.push(FieldCandidate { text: v.to_owned(), span: None, mention: 0, tokens: (0, 0), rule: true, near: 0, same_ref: false });
        }
    }
}

/// The comparison key of a value: width-folded, without whitespace.
pub fn key(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).map(kiji_core::fold_char).collect()
}
