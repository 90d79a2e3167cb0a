//! Person-name candidates: every span that may be a full name.
//!
//! Sources (a span found by several keeps them all, as features):
//! * `lex`: the recogniser's full-name mentions (the lexicon's, with suffixes);
//! * boundary variants of those (`l1` `l2`: one or two chars more on the
//!   left, `r1` `r2` on the right, `t1` `t2` one or two fewer on the right,
//!   `kr`: the katakana run completed, `kd`: a katakana name cut at its last
//!   dot, `ks`: a katakana name cut where another script starts): names cut or
//!   run on by the morphology (天王寺谷亮 read as 寺谷亮, 西村康稔 as 西村康);
//! * `sei`: an IPADIC surname morpheme and the one to four name chars after it
//!   (names written bare: 伊吹文明);
//! * `kata`: a run of katakana with its dots and middle initials (ディエゴコスタ,
//!   ネルソン・マンデラ, ジョージ・W・ブッシュ);
//! * `latin`: two or more capitalised Latin words, or one all-capital word of
//!   six letters or more (bylines: LisaMcAdams, MEGUMIFUJIKAWA);
//! * `title`: the first two to five kanji of a kanji run that a title or
//!   position word ends (「日本大学の岩井奉信教授は」, 「大阪府の橋下徹知事は」):
//!   names the morphology does not know, written with their title;
//! * `kc`: a katakana span that ends with a country's name
//!   (`dictionaries/address/countries.txt`), without it
//!   (「ジャック・ストローイギリス外相」 → ジャック・ストロー);
//! * `byline`: the names before the title of a cited source (「反田昌平、坂本昌信
//!   『山形特急転覆…』」, 「毎日jp(上鵜瀬浄・武内亮)『…』」): each piece of two
//!   to six kanji or kana between the separators.
//!
//! The model scores each span; [`select`] keeps the best non-overlapping
//! ones, which become the full-name mentions that the linker groups.
use kiji_core::lexicon::chars;
use kiji_core::{Document, Mention, MentionKind, Pos, Span};

/// One candidate span.
#[derive(Debug, Clone, PartialEq)]
pub struct SpanCandidate {
    pub span: Span,
    /// The name as output: the span's text without spaces.
    pub name: String,
    /// The sources that proposed it (see the module docs).
    pub origins: Vec<&'static str>,
    /// The recogniser's full-name mention with exactly this span, if any.
    pub mention: Option<usize>,
    /// A katakana span that ends with a country's name (「エミール・ラフード・レバノン」
    /// of 「…レバノン大統領」, 「ケルソ・アモリムブラジル外相」).
    pub country_tail: bool,
}

/// Longest name accepted (chars).
const MAX_NAME_CHARS: usize = 24;

fn is_kata(c: char) -> bool {
    chars::is_katakana(c) || c == '・' || c == '='
}

const COUNTRIES: &str = include_str!("../../../dictionaries/address/countries.txt");

/// Country names written in katakana, longest first.
fn katakana_countries() -> Vec<Vec<char>> {
    let mut v: Vec<Vec<char>> = kiji_core::lexicon::words(COUNTRIES).filter(|w| w.chars().all(chars::is_katakana)).map(|w| w.chars().collect()).collect();
    v.sort_by_key(|w| std::cmp::Reverse(w.len()));
    v
}

/// The word lists of the candidate sources: title and position words written
/// after names (`title`: the `title` suffixes of
/// `dictionaries/person/suffixes.tsv` and `dictionaries/person/positions.txt`),
/// katakana country names (`kc`).
pub struct CandidateWords {
    automaton: aho_corasick::AhoCorasick,
    /// Katakana country names (for `kc` and [`SpanCandidate::country_tail`]).
    countries: Vec<Vec<char>>,
    /// Chars a name never ends with / never holds after its first char (not_in_names.tsv).
    not_at_end: Vec<char>,
    not_inside: Vec<char>,
}

const NOT_IN_NAMES: &str = include_str!("../../../dictionaries/person/not_in_names.tsv");

const SUFFIXES: &str = include_str!("../../../dictionaries/person/suffixes.tsv");
const POSITIONS: &str = include_str!("../../../dictionaries/person/positions.txt");
/// At most this many `title` candidates per article (a hostile article of
/// nothing but titles stays cheap; a news article has a few dozen).
const MAX_TITLE_CANDIDATES: usize = 2_000;

impl CandidateWords {
    pub fn new() -> Self {
        let mut words: Vec<&str> = kiji_core::lexicon::pairs(SUFFIXES).filter(|(_, c)| *c == "title").map(|(w, _)| w).collect();
        words.extend(kiji_core::lexicon::words(POSITIONS));
        words.retain(|w| w.chars().all(chars::is_kanji));
        words.sort_unstable();
        words.dedup();
        let stops = |class: &str| -> Vec<char> { kiji_core::lexicon::pairs(NOT_IN_NAMES).filter(|(_, c)| *c == class).filter_map(|(w, _)| w.chars().next()).collect() };
        CandidateWords {
            automaton: aho_corasick::AhoCorasick::new(words).expect("the title lists are small and valid"),
            countries: katakana_countries(),
            not_at_end: stops("end"),
            not_inside: stops("inside"),
        }
    }

    /// The `title` candidate spans of an article.
    fn spans(&self, doc: &Document, chars: &[char], recognised: &[Mention], mut add: impl FnMut(Span)) {
        // Only where the recogniser read no name: elsewhere its spans and their variants stand.
        let mut named = vec![false; chars.len() + 1];
        for m in recognised.iter().filter(|m| m.kind.is_person_like()) {
            named[m.span.start.min(chars.len())..m.span.end.min(chars.len())].iter_mut().for_each(|x| *x = true);
        }
        let kanji = |c: char| chars::is_kanji(c) || c == '々';
        let mut n = 0;
        let mut last = usize::MAX;
        for m in self.automaton.find_overlapping_iter(doc.text.folded()) {
            let p = doc.text.span_of_folded_bytes(m.start(), m.end()).start;
            if p == last || p == 0 || !kanji(chars[p - 1]) {
                continue;
            }
            last = p;
            let mut s = p;
            while s > 0 && p - s < 12 && kanji(chars[s - 1]) {
                s -= 1;
            }
            if s > 0 && kanji(chars[s - 1]) || chars[s] == '同' || named[s..p].iter().any(|&x| x) {
                continue;
            }
            for k in 2..=5 {
                if s + k <= p {
                    add(Span::new(s, s + k));
                    n += 1;
                }
            }
            if n >= MAX_TITLE_CANDIDATES {
                break;
            }
        }
    }
}

impl Default for CandidateWords {
    fn default() -> Self {
        Self::new()
    }
}

/// The candidates of an article from the recogniser's mentions.
pub fn span_candidates(doc: &Document, chars: &[char], recognised: &[Mention], words: &CandidateWords) -> Vec<SpanCandidate> {
    let mut out: Vec<SpanCandidate> = Vec::new();
    let n = chars.len();
    // Partial names and back-references stay as they are: no full name cuts into them.
    let mut blocked = vec![false; n + 1];
    let mut starts = vec![false; n + 1];
    let mut ends = vec![false; n + 1];
    for m in recognised.iter().filter(|m| matches!(m.kind, MentionKind::PartialName | MentionKind::Anaphor)) {
        for i in m.span.start..m.span.end.min(n) {
            blocked[i] = true;
        }
        starts[m.span.start.min(n)] = true;
        ends[m.span.end.min(n)] = true;
    }
    // A span may hold a blocked mention whole, never part of one.
    let cuts_blocked = |span: Span| (span.start > 0 && blocked[span.start] && blocked[span.start - 1] && !starts[span.start]) || (blocked[span.end - 1] && blocked[span.end] && !ends[span.end]);
    let mut index: std::collections::HashMap<(usize, usize), usize> = std::collections::HashMap::new();
    let mut add = |out: &mut Vec<SpanCandidate>, span: Span, origin: &'static str, mention: Option<usize>| {
        if span.start >= span.end || span.end > n || span.len() > MAX_NAME_CHARS || cuts_blocked(span) {
            return;
        }
        let text = &chars[span.start..span.end];
        // (The recogniser's own names may hold a bracketed reading: 「大月(旧姓・福田)孝行」.)
        let brackets_ok = mention.is_some();
        if text.iter().any(|&c| matches!(c, '。' | '、' | '\n' | '「' | '」' | '『' | '』') || (!brackets_ok && matches!(c, '(' | ')'))) || !text.iter().any(|c| c.is_alphabetic()) {
            return;
        }
        if let Some(c) = index.get(&(span.start, span.end)).map(|&k| &mut out[k]) {
            if !c.origins.contains(&origin) {
                c.origins.push(origin);
            }
            c.mention = c.mention.or(mention);
            return;
        }
        let name = doc.text.slice(span).chars().filter(|c| !c.is_whitespace()).collect();
        index.insert((span.start, span.end), out.len());
        out.push(SpanCandidate { span, name, origins: vec![origin], mention, country_tail: false });
    };
    let mut bases: Vec<Span> = Vec::new();
    for (i, m) in recognised.iter().enumerate() {
        if m.kind == MentionKind::Person {
            add(&mut out, m.span, "lex", Some(i));
            bases.push(m.span);
        }
    }
    for b in bases {
        let text = &chars[b.start..b.end];
        let katakana = text.iter().any(|&c| chars::is_katakana(c));
        if katakana {
            // Complete the katakana run; cut at the last dot; cut where another script starts.
            let mut e = b.end;
            while e < n && is_kata(chars[e]) {
                e += 1;
            }
            if e > b.end && e <= n && chars[e - 1] != '・' {
                add(&mut out, Span::new(b.start, e), "kr", None);
            }
            if let Some(d) = text.iter().rposition(|&c| c == '・') {
                if d >= 2 {
                    add(&mut out, Span::new(b.start, b.start + d), "kd", None);
                }
            }
            if let Some(k) = text.iter().position(|&c| !is_kata(c)) {
                if k >= 2 {
                    add(&mut out, Span::new(b.start, b.start + k), "ks", None);
                }
            }
            continue;
        }
        let namey = |c: char| chars::is_kanji(c) || chars::is_hiragana(c) || c == 'ノ';
        for (k, origin) in [(1, "l1"), (2, "l2")] {
            if b.start >= k && chars[b.start - k..b.start].iter().all(|&c| chars::is_kanji(c) || c == 'ノ') {
                add(&mut out, Span::new(b.start - k, b.end), origin, None);
            }
        }
        for (k, origin) in [(1, "r1"), (2, "r2")] {
            if b.end + k <= n && chars[b.end..b.end + k].iter().all(|&c| namey(c)) {
                add(&mut out, Span::new(b.start, b.end + k), origin, None);
            }
        }
        for (k, origin) in [(1, "t1"), (2, "t2")] {
            if b.len() >= k + 2 {
                add(&mut out, Span::new(b.start, b.end - k), origin, None);
            }
        }
    }
    // Surname morphemes and the name chars after them.
    for t in &doc.tokens {
        if t.pos != Pos::Surname || !chars[t.span.start..t.span.end].iter().all(|&c| chars::is_kanji(c)) {
            continue;
        }
        for g in 1..=4 {
            let e = t.span.end + g;
            if e > n || !chars::is_name_char(chars[e - 1]) || chars[e - 1] == '・' {
                break;
            }
            add(&mut out, Span::new(t.span.start, e), "sei", None);
        }
    }
    // Katakana runs.
    let mut i = 0;
    while i < n {
        if !chars::is_katakana(chars[i]) {
            i += 1;
            continue;
        }
        let s = i;
        while i < n {
            if is_kata(chars[i]) {
                i += 1;
                continue;
            }
            // A middle initial between dots: 「ジョージ・W・ブッシュ」「ジョン・G・ロバーツ」.
            if chars[i - 1] == '・' && chars[i].is_ascii_uppercase() {
                let j = if chars.get(i + 1) == Some(&'.') { i + 2 } else { i + 1 };
                if chars.get(j) == Some(&'・') && chars.get(j + 1).is_some_and(|&c| chars::is_katakana(c)) {
                    i = j;
                    continue;
                }
            }
            break;
        }
        let mut e = i;
        while e > s && chars[e - 1] == '・' {
            e -= 1;
        }
        if e - s >= 3 {
            add(&mut out, Span::new(s, e), "kata", None);
        }
    }
    latin_candidates(chars, |span| add(&mut out, span, "latin", None));
    words.spans(doc, chars, recognised, |span| add(&mut out, span, "title", None));
    // A katakana name run on into a country's name: the name without it.
    let tails: Vec<Span> = out
        .iter()
        .filter(|c| c.name.chars().all(is_kata))
        .filter_map(|c| {
            let text = &chars[c.span.start..c.span.end];
            let country = words.countries.iter().find(|w| text.len() >= w.len() + 3 && text.ends_with(w))?;
            let mut e = c.span.end - country.len();
            while e > c.span.start && chars[e - 1] == '・' {
                e -= 1;
            }
            (e - c.span.start >= 3).then(|| Span::new(c.span.start, e))
        })
        .collect();
    for span in tails {
        add(&mut out, span, "kc", None);
    }
    for c in out.iter_mut() {
        let text = &chars[c.span.start..c.span.end];
        c.country_tail = c.name.chars().all(is_kata) && words.countries.iter().any(|w| text.len() > w.len() && text.ends_with(w));
    }
    byline_candidates(chars, |span| add(&mut out, span, "byline", None));
    out.sort_by_key(|c| (c.span.start, c.span.end));
    out
}

/// The longest stretch before a 『 read as a byline (chars).
const MAX_BYLINE: usize = 60;

/// The pieces of the byline before each cited title 『…』: the text since the
/// sentence's start, split at separators, pieces of 2-6 kanji or kana.
fn byline_candidates(chars: &[char], mut add: impl FnMut(Span)) {
    let sep = |c: char| matches!(c, '、' | '・' | '(' | ')' | '=' | '—' | ':' | '/' | ' ' | '&' | ',');
    let namey = |c: char| chars::is_kanji(c) || chars::is_hiragana(c) || chars::is_katakana(c) || c == '々';
    for (q, _) in chars.iter().enumerate().filter(|(_, &c)| c == '『') {
        let mut s = q;
        while s > 0 && q - s < MAX_BYLINE && !matches!(chars[s - 1], '。' | '\n' | '』' | '」') {
            s -= 1;
        }
        if s > 0 && q - s >= MAX_BYLINE {
            continue;
        }
        let mut i = s;
        while i < q {
            let start = i;
            while i < q && !sep(chars[i]) {
                i += 1;
            }
            if (2..=6).contains(&(i - start)) && chars[start..i].iter().all(|&c| namey(c)) {
                add(Span::new(start, i));
            }
            i += 1;
        }
    }
}

/// Capitalised Latin word sequences (spaces inside words are tolerated:
/// the pool's text lost and gained spaces upstream).
fn latin_candidates(chars: &[char], mut add: impl FnMut(Span)) {
    let n = chars.len();
    let mut i = 0;
    while i < n {
        if !chars[i].is_ascii_alphabetic() {
            i += 1;
            continue;
        }
        let s = i;
        while i < n && (chars[i].is_ascii_alphabetic() || (matches!(chars[i], '.' | ' ' | '-') && i + 1 < n && chars[i + 1].is_ascii_alphabetic())) {
            i += 1;
        }
        // Words: an upper-case letter starts one; lower-case-only words (and, of) separate.
        let mut words: Vec<(usize, usize, bool)> = Vec::new();
        let mut j = s;
        while j < i {
            if !chars[j].is_ascii_alphabetic() {
                j += 1;
                continue;
            }
            let ws = j;
            let cap = chars[j].is_ascii_uppercase();
            j += 1;
            while j < i && !(chars[j].is_ascii_uppercase() && chars[j - 1].is_ascii_lowercase()) && !(cap && chars[j].is_ascii_uppercase() && chars[j - 1] == '.') {
                if !cap && chars[j].is_ascii_uppercase() {
                    break;
                }
                j += 1;
            }
            while j > ws + 1 && matches!(chars[j - 1], ' ' | '-') {
                j -= 1;
            }
            words.push((ws, j, cap));
        }
        let mut k = 0;
        while k < words.len() {
            if !words[k].2 {
                k += 1;
                continue;
            }
            let start = k;
            // A glued 「and」 (「JonesandJeremy」) ends the sequence.
            let mut glued = None;
            while k < words.len() && words[k].2 {
                let (ws, we, _) = words[k];
                k += 1;
                if we - ws > 4 && chars[we - 3..we] == ['a', 'n', 'd'] && words.get(k).is_some_and(|w| w.2) {
                    glued = Some(we - 3);
                    break;
                }
            }
            let (ws, we) = (words[start].0, glued.unwrap_or(words[k - 1].1));
            let letters = chars[ws..we].iter().filter(|c| c.is_ascii_alphabetic()).count();
            let all_caps = chars[ws..we].iter().all(|c| !c.is_ascii_lowercase());
            if (k - start >= 2 && letters >= 5) || (all_caps && letters >= 6) {
                add(Span::new(ws, we));
            }
        }
    }
}

/// The candidates kept. A name is as probable as its best occurrence (every
/// occurrence of a name is kept or none, so the one that carries the suffix
/// is not lost); by descending probability, each candidate at or above the
/// threshold that overlaps no span kept before it.
pub fn select(cands: &[SpanCandidate], probs: &[f32], threshold: f32) -> Vec<usize> {
    let mut best: std::collections::HashMap<&str, f32> = std::collections::HashMap::new();
    for (c, &p) in cands.iter().zip(probs) {
        let b = best.entry(c.name.as_str()).or_insert(p);
        *b = b.max(p);
    }
    let name_p: Vec<f32> = cands.iter().map(|c| best[c.name.as_str()]).collect();
    let mut order: Vec<usize> = (0..cands.len()).filter(|&i| name_p[i] >= threshold).collect();
    order.sort_by(|&a, &b| name_p[b].total_cmp(&name_p[a]).then(probs[b].total_cmp(&probs[a])).then(a.cmp(&b)));
    let mut kept: Vec<usize> = Vec::new();
    let len = cands.iter().map(|c| c.span.end).max().unwrap_or(0);
    let mut taken = vec![false; len];
    for i in order {
        let s = cands[i].span;
        if !taken[s.start..s.end].iter().any(|&t| t) {
            taken[s.start..s.end].iter_mut().for_each(|t| *t = true);
            kept.push(i);
        }
    }
    kept.sort_unstable();
    kept
}

/// The first candidate of the same start as `cands[i]` that `pick` accepts.
fn same_start(cands: &[SpanCandidate], i: usize, pick: impl Fn(&SpanCandidate) -> bool) -> Option<usize> {
    let start = cands[i].span.start;
    // Candidates are sorted by (start, end): those of the same start stand together.
    let first = cands.partition_point(|c| c.span.start < start);
    cands[first..].iter().take_while(|c| c.span.start == start).position(pick).map(|k| first + k)
}

/// Constraint: a name never ends with a country's name (no gold name of train,
/// dev or the synthetic articles does): a katakana span that does
/// (「ジャック・ストローイギリス」 of 「ジャック・ストローイギリス外相」, read as one
/// name by the recogniser) gives its probability to the span without the
/// country (the `kc` candidate of the same start) and keeps none of it.
pub fn without_country_tails(cands: &[SpanCandidate], probs: &mut [f32]) {
    for i in 0..cands.len().min(probs.len()) {
        if !cands[i].country_tail {
            continue;
        }
        let end = cands[i].span.end;
        if let Some(j) = same_start(cands, i, |c| c.span.end < end && !c.country_tail && c.origins.contains(&"kc")) {
            probs[j] = probs[j].max(probs[i]);
            probs[i] = 0.0;
        }
    }
}

/// Constraint: a name never ends with the first char of a title or an
/// honorific written after it, nor holds the honorific 氏 after its first
/// char (`dictionaries/person/not_in_names.tsv`; no gold name of train, dev
/// or synthetic does). A span ending so (「浜田知哉君」, 「金正日総」 of
/// 「金正日総書記」) gives its probability to the span of the same start one
/// char shorter; every such span keeps none.
pub fn without_title_heads(words: &CandidateWords, cands: &[SpanCandidate], probs: &mut [f32]) {
    for i in 0..cands.len().min(probs.len()) {
        let inside = cands[i].name.chars().skip(1).any(|c| words.not_inside.contains(&c));
        let at_end = cands[i].name.chars().last().is_some_and(|c| words.not_at_end.contains(&c));
        if !(inside || at_end) {
            continue;
        }
        let end = cands[i].span.end;
        if at_end && !inside {
            if let Some(j) = same_start(cands, i, |c| c.span.end + 1 == end) {
                probs[j] = probs[j].max(probs[i]);
            }
        }
        probs[i] = 0.0;
    }
}

/// Constraint: a name written as the real name in brackets right after a
/// kept name (「前川勝彦投手(本名:前川克彦、28歳)」, 「加勢大周容疑者(38歳。本名・川本伸博)」)
/// is an alias of that person, not a second person (docs/DECISIONS.md:
/// real names in brackets), and so is a name written before こと and a kept
/// name (「麻原彰晃こと松本智津夫被告」); the kept spans without those.
pub fn drop_aliases(chars: &[char], cands: &[SpanCandidate], kept: Vec<usize>) -> Vec<usize> {
    const CUE: [char; 2] = ['本', '名'];
    // The kept spans do not overlap: sorted by start, their ends are sorted too.
    let ends: Vec<usize> = kept.iter().map(|&k| cands[k].span.end).collect();
    let alias = |k: usize| -> bool {
        let s = cands[k].span.start;
        let mut c = s;
        if c > 0 && matches!(chars[c - 1], '・' | ':' | '=' | '、') {
            c -= 1;
        }
        if c < 2 || chars[c - 2..c] != CUE {
            return false;
        }
        // The bracket that holds the real name, and a kept name (with a suffix) just before it.
        let Some(open) = (c.saturating_sub(22)..c - 2).rev().take_while(|&i| chars[i] != ')').find(|&i| chars[i] == '(') else {
            return false;
        };
        let from = ends.partition_point(|&e| e + 8 < open);
        let to = ends.partition_point(|&e| e <= open);
        (from..to).any(|x| kept[x] != k && cands[kept[x]].name != cands[k].name)
    };
    // 「麻原彰晃こと松本智津夫被告」「ユウキこと後藤祐樹容疑者」: the name before こと is
    // the other's alias (train, dev and synthetic gold list the name after it, 4 of 4).
    let starts: Vec<usize> = kept.iter().map(|&k| cands[k].span.start).collect();
    // Wherever the alias is written again (「麻原彰晃被告、死刑が確定」 in a cited title).
    let called: std::collections::HashSet<&str> = kept
        .iter()
        .filter(|&&k| {
            let e = cands[k].span.end;
            chars.get(e..e + 2) == Some(&['こ', 'と'][..]) && starts.binary_search(&(e + 2)).is_ok()
        })
        .map(|&k| cands[k].name.as_str())
        .collect();
    kept.iter().copied().filter(|&k| !alias(k) && !called.contains(cands[k].name.as_str())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn latin(s: &str) -> Vec<String> {
        let chars: Vec<char> = s.chars().collect();
        let mut out = Vec::new();
        latin_candidates(&chars, |sp| out.push(chars[sp.start..sp.end].iter().collect()));
        out
    }

    // Train article wn-868 (Japanese Wikinews, CC BY 2.5): a name written before
    // こと and a kept name is that person's alias, here and wherever it is
    // written again (a cited title), whatever the model gives it.
    #[test]
    fn a_name_before_koto_is_the_next_name_s_alias() {
        let text = "産経新聞と東京放送によると、オウム真理教の代表・麻原彰晃こと松本智津夫被告(51歳)について、最高裁判所・第3小法廷は特別抗告を棄却した。SankeiWEB『オウム真理教・麻原彰晃被告、死刑が確定』。産経新聞、2006年9月15日。";
        crate::analysed(text, |doc, recognised| {
            let chars = doc.text.folded_chars();
            let cands = span_candidates(doc, &chars, recognised, &CandidateWords::new());
            let probs: Vec<f32> = cands.iter().map(|c| if matches!(c.name.as_str(), "麻原彰晃" | "松本智津夫") { 0.9 } else { 0.0 }).collect();
            let kept = select(&cands, &probs, 0.4);
            let names = |ks: &[usize]| -> Vec<String> { ks.iter().map(|&k| cands[k].name.clone()).collect() };
            assert_eq!(names(&kept), ["麻原彰晃", "松本智津夫", "麻原彰晃"], "the model's choice");
            assert_eq!(names(&drop_aliases(&chars, &cands, kept)), ["松本智津夫"]);
        });
    }

    // Train article wn-3531 (Japanese Wikinews, CC BY 2.5): a minister's country and title
    // written right after his name, which the recogniser reads as one katakana name. Whatever
    // the model gives the span with the country, the name without it gets it.
    #[test]
    fn a_country_after_a_katakana_name_gives_way_to_the_name() {
        let text = "ブラジル政府は「このような悲劇にいたった状況について、必要な説明をイギリス当局から受けることを望む」とし、またジャック・ストローイギリス外相から事情の説明を受けるため、ケルソ・アモリムブラジル外相をロンドンへ派遣した。";
        crate::analysed(text, |doc, recognised| {
            let chars = doc.text.folded_chars();
            let cands = span_candidates(doc, &chars, recognised, &CandidateWords::new());
            let at = |name: &str| cands.iter().position(|c| c.name == name).unwrap_or_else(|| panic!("no candidate {name}: {cands:?}"));
            for (tail, name) in [("ジャック・ストローイギリス", "ジャック・ストロー"), ("ケルソ・アモリムブラジル", "ケルソ・アモリム")] {
                let (tail, name) = (at(tail), at(name));
                assert!(cands[tail].country_tail && !cands[name].country_tail);
                let mut probs = vec![0.1; cands.len()];
                probs[tail] = 0.9;
                without_country_tails(&cands, &mut probs);
                assert_eq!((probs[tail], probs[name]), (0.0, 0.9));
                let kept = select(&cands, &probs, 0.4);
                assert_eq!(kept, vec![name]);
            }
        });
    }

    // Bylines of Wikinews sources as the pool writes them (spaces lost upstream).
    #[test]
    fn latin_names_are_split_at_lower_case_words() {
        assert_eq!(latin("MatthewJonesandJeremyLovell\"Brit"), vec!["MatthewJones", "JeremyLovell"]);
        assert_eq!(latin("、MEGUMIFUJIKAWA(東京)"), vec!["MEGUMIFUJIKAWA"]);
        assert_eq!(latin("AP通信"), Vec::<String>::new());
    }
}
