//! kiji-ner: named-entity recognition.
//!
//! [`LexiconRecognizer`] is the default backend: it needs no model, only the
//! IPADIC tags of the morphemes in [`Document::tokens`] and the word lists in
//! `dictionaries/person` and `dictionaries/ner`. It finds
//!
//! * full person names: a surname morpheme followed by a given-name part,
//!   confirmed by the dictionary (姓 + 名) or by what follows it (a suffix
//!   such as 容疑者/さん/社長, or an age in brackets);
//! * foreign names written in katakana (with ・) before such a suffix;
//! * partial names (surname + suffix, 「田中容疑者」) and back-references
//!   (「同容疑者」), which the linking stage resolves;
//! * person hints from the input that occur in the text;
//! * organisation and place names from the IPADIC tags (for the NER metrics
//!   and the address stage).
//!
//! Every span is a char span of the original article.

pub mod decode;
pub mod transformer;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, Anchored, Input, MatchKind, StartKind};
use kiji_core::lexicon::{self, chars};
use kiji_core::{Document, Mention, MentionKind, Pos, Recognizer, Span, SuffixClass};

const SUFFIXES: &str = include_str!("../../../dictionaries/person/suffixes.tsv");
const POSITIONS: &str = include_str!("../../../dictionaries/person/positions.txt");
const ANAPHORS: &str = include_str!("../../../dictionaries/person/anaphors.txt");
const NON_PERSON_HEADS: &str = include_str!("../../../dictionaries/ner/non_person_heads.txt");
const AFTER_SINGLE_SUFFIX: &str = include_str!("../../../dictionaries/ner/after_single_suffix.txt");
const NOT_NAME_PARTS: &str = include_str!("../../../dictionaries/ner/not_name_parts.txt");
const REAL_NAME_CUES: &str = include_str!("../../../dictionaries/ner/real_name_cues.txt");
const LATIN_NON_NAME_PARTS: &str = include_str!("../../../dictionaries/ner/latin_non_name_parts.txt");
/// Single kanji that follow a surname as part of the suffix or the next
/// word, never as a given name (「大久保両被告」「菊地元選手」「鳩山新政権」).
const NOT_GIVEN_KANJI: &[char] = &['両', '各', '元', '前', '同', '新', '旧', '故', '氏', '外', '副', '等', '側', '派', '家', '宅', '邸', '君', '様'];

/// Longest given-name part (chars) accepted after a surname.
const MAX_GIVEN_CHARS: usize = 4;
/// Longest kanji name accepted without dictionary tags.
const MAX_UNTAGGED_NAME_CHARS: usize = 5;

/// Builds an anchored, leftmost-longest automaton over a word list.
fn anchored_automaton<'a>(words: impl IntoIterator<Item = &'a str>) -> AhoCorasick {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Anchored)
        .build(words)
        .expect("word lists are small and valid")
}

/// The lexicon + IPADIC recogniser. Immutable; share one across threads.
pub struct LexiconRecognizer {
    suffixes: AhoCorasick,
    suffix_classes: Vec<SuffixClass>,
    anaphors: AhoCorasick,
    non_person_heads: AhoCorasick,
    latin_non_name_parts: Vec<String>,
    not_name_parts: Vec<String>,
    after_single_suffix: AhoCorasick,
    real_name_cues: Vec<String>,
}

impl Default for LexiconRecognizer {
    fn default() -> Self {
        Self::new()
    }
}

/// A suffix found right after a name.
#[derive(Debug, Clone, Copy)]
struct SuffixHit {
    span: Span,
    class: SuffixClass,
}

/// Per-article view used while recognising.
struct Ctx<'d> {
    chars: Vec<char>,
    folded: &'d str,
    doc: &'d Document<'d>,
}

impl Ctx<'_> {
    fn byte(&self, ch: usize) -> usize {
        self.doc.text.folded_byte_of_char(ch)
    }
    fn char_at(&self, i: usize) -> Option<char> {
        self.chars.get(i).copied()
    }
}

impl LexiconRecognizer {
    pub fn new() -> Self {
        let mut words = Vec::new();
        let mut suffix_classes = Vec::new();
        for (w, c) in lexicon::pairs(SUFFIXES) {
            if let Some(class) = SuffixClass::parse(c) {
                words.push(w);
                suffix_classes.push(class);
            }
        }
        // Every position word can also stand after a name as its title
        // (「菅直人代表代行」「村山保夫教育長」).
        for w in lexicon::words(POSITIONS) {
            if !words.contains(&w) {
                words.push(w);
                suffix_classes.push(SuffixClass::Title);
            }
        }
        LexiconRecognizer {
            suffixes: anchored_automaton(words),
            suffix_classes,
            anaphors: anchored_automaton(lexicon::words(ANAPHORS)),
            non_person_heads: anchored_automaton(lexicon::words(NON_PERSON_HEADS)),
            latin_non_name_parts: lexicon::words(LATIN_NON_NAME_PARTS).map(str::to_owned).collect(),
            not_name_parts: lexicon::words(NOT_NAME_PARTS).map(str::to_owned).collect(),
            after_single_suffix: anchored_automaton(lexicon::words(AFTER_SINGLE_SUFFIX)),
            real_name_cues: lexicon::words(REAL_NAME_CUES).map(str::to_owned).collect(),
        }
    }

    /// The person suffix (容疑者, 被告, 氏, 社長 ...) written right after each
    /// of these char positions (or after a reading in brackets there:
    /// 「草彅剛(くさなぎ・つよし)容疑者」), with its class: evidence for a name ending there.
    pub fn suffixes_after(&self, doc: &Document, positions: &[usize]) -> Vec<Option<(Span, SuffixClass)>> {
        let cx = Ctx { chars: doc.text.folded_chars(), folded: doc.text.folded(), doc };
        positions.iter().map(|&p| self.suffix_at(&cx, bracket_aside(&cx, p).unwrap_or(p)).map(|h| (h.span, h.class))).collect()
    }

    /// The longest person suffix starting at char `at`.
    fn suffix_at(&self, cx: &Ctx, at: usize) -> Option<SuffixHit> {
        if at >= cx.chars.len() {
            return None;
        }
        let input = Input::new(cx.folded).span(cx.byte(at)..cx.folded.len()).anchored(Anchored::Yes);
        let m = self.suffixes.find(input)?;
        let end = cx.doc.text.char_of_folded_byte(m.end());
        // A suffix must not run on into a longer word (「氏名」「さんま」).
        let class = self.suffix_classes[m.pattern().as_usize()];
        if let Some(next) = cx.char_at(end) {
            let single = end - at == 1;
            let allowed_follower = || {
                let input = Input::new(cx.folded).span(cx.byte(end)..cx.folded.len()).anchored(Anchored::Yes);
                self.after_single_suffix.find(input).is_some()
            };
            if single && (chars::is_kanji(next) && !allowed_follower() || (class == SuffixClass::Honorific && chars::is_hiragana(next) && !matches!(next, 'は' | 'が' | 'の' | 'を' | 'に' | 'と' | 'も' | 'へ' | 'や' | 'ら' | 'で'))) {
                return None;
            }
        }
        Some(SuffixHit { span: Span::new(at, end), class })
    }

    /// An age in brackets right after `at`: 「(44)」「(44歳、…」「・42歳」.
    fn age_at(cx: &Ctx, at: usize) -> bool {
        let mut i = at;
        match cx.char_at(i) {
            Some('(') | Some('、') | Some('・') | Some(',') => i += 1,
            _ => return false,
        }
        let digits_start = i;
        while cx.char_at(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        let n = i - digits_start;
        if n == 0 || n > 3 {
            return false;
        }
        let opener = cx.chars[at];
        match cx.char_at(i) {
            Some('歳') => true,
            Some(')') | Some('、') | Some(',') | Some('・') => opener == '(',
            _ => false,
        }
    }

    fn non_person_head_at(&self, cx: &Ctx, at: usize) -> bool {
        if at >= cx.chars.len() {
            return false;
        }
        let input = Input::new(cx.folded).span(cx.byte(at)..cx.folded.len()).anchored(Anchored::Yes);
        self.non_person_heads.find(input).is_some()
    }

    fn all_chars(cx: &Ctx, span: Span, pred: impl Fn(char) -> bool) -> bool {
        cx.chars[span.start..span.end].iter().all(|&c| pred(c))
    }

    /// Japanese names anchored on a surname morpheme.
    fn japanese_names(&self, cx: &Ctx, out: &mut Vec<Mention>) {
        let toks = &cx.doc.tokens;
        let mut i = 0;
        while i < toks.len() {
            let t = toks[i];
            if t.pos != Pos::Surname || !Self::all_chars(cx, t.span, chars::is_name_char) {
                i += 1;
                continue;
            }
            // Optional reading or former name in brackets after the surname:
            // 「山野(やまの)一郎」「大月(旧姓・福田)孝行」.
            let mut j = i + 1;
            let mut skipped = None;
            if let Some(close) = bracket_aside(cx, t.span.end) {
                if let Some(k) = token_starting_at(toks, close) {
                    skipped = Some(Span::new(t.span.end, close));
                    j = k;
                }
            }
            // Optional space between family and given name.
            let mut space = None;
            if skipped.is_none() && cx.char_at(t.span.end) == Some(' ') {
                if let Some(k) = token_starting_at(toks, t.span.end + 1) {
                    space = Some(t.span.end);
                    j = k;
                }
            }
            // Collect given-name morphemes up to a suffix.
            let given_start = toks.get(j).map(|x| x.span.start).unwrap_or(t.span.end);
            let mut ends: Vec<(usize, bool)> = Vec::new(); // (token index after, all tagged)
            let mut all_tagged = true;
            let mut k = j;
            while k < toks.len() {
                let g = toks[k];
                if g.span.start != toks[k - 1].span.end && !(k == j && (skipped.is_some() || space.is_some())) {
                    break;
                }
                if self.suffix_at(cx, g.span.start).is_some() {
                    break;
                }
                if !Self::all_chars(cx, g.span, chars::is_name_char) || g.span.end - given_start > MAX_GIVEN_CHARS {
                    break;
                }
                let tagged = matches!(g.pos, Pos::GivenName | Pos::PersonName);
                let hiragana = Self::all_chars(cx, g.span, chars::is_hiragana);
                // Katakana given names (「横山ノック氏」) count only when a suffix
                // or age confirms the whole name (they are never "tagged").
                let katakana = k == j
                    && Self::all_chars(cx, t.span, chars::is_kanji)
                    && Self::all_chars(cx, g.span, chars::is_katakana)
                    && g.span.len() <= 4;
                let plausible = tagged
                    || katakana
                    || (g.unknown && !hiragana)
                    || (g.span.len() == 1
                        && chars::is_kanji(cx.chars[g.span.start])
                        && !NOT_GIVEN_KANJI.contains(&cx.chars[g.span.start])
                        && !matches!(g.pos, Pos::Particle | Pos::Symbol))
                    || (g.span.len() == 2 && !hiragana && matches!(g.pos, Pos::Surname | Pos::Noun | Pos::ProperNoun));
                if !plausible {
                    break;
                }
                all_tagged &= tagged;
                k += 1;
                ends.push((k, all_tagged));
            }
            // Pick the longest end that is confirmed: by a suffix or an age
            // after it, or (for dictionary given names) by a clear boundary.
            let mut chosen = None;
            let first_given_tagged = ends.first().is_some_and(|&(_, t)| t);
            // 「森本敏防衛大臣」: a title after an untagged word is the
            // organisation's title; the name ends at the dictionary given name.
            let mut title_after_noun = false;
            for &(k_end, tagged) in ends.iter().rev() {
                let end = toks[k_end - 1].span.end;
                // A reading in brackets may stand between the name and its suffix.
                let after = bracket_aside(cx, end).unwrap_or(end);
                let suffix = self.suffix_at(cx, after);
                let age = Self::age_at(cx, after);
                if suffix.is_some_and(|h| h.class == SuffixClass::Title) && !tagged && toks[k_end - 1].span.len() >= 2 {
                    title_after_noun = true;
                    continue;
                }
                if title_after_noun && tagged {
                    chosen = Some((end, None, 0.8));
                    break;
                }
                if suffix.is_some() || age {
                    chosen = Some((end, suffix, if tagged { 1.0 } else { 0.8 }));
                    break;
                }
                let next = toks.get(k_end);
                let org_follows = next.is_some_and(|n| n.span.start == end && matches!(n.pos, Pos::Organization | Pos::Place));
                let bounded = (org_follows || !self.non_person_head_at(cx, end))
                    && match next {
                        None => true,
                        Some(n) if n.span.start != end => true,
                        Some(n) => {
                            !chars::is_kanji(cx.chars[end])
                                || matches!(n.pos, Pos::Organization | Pos::Place | Pos::Prefix | Pos::Particle | Pos::Symbol)
                        }
                    };
                let listed = matches!(cx.char_at(end), Some(')') | Some('、') | Some(',') | Some('『'))
                    && (t.span.start == 0 || matches!(cx.chars[t.span.start - 1], '(' | '、' | ',' | ' ' | '。'))
                    && toks[j..k_end].iter().all(|g| matches!(g.pos, Pos::GivenName | Pos::PersonName) || g.span.len() == 1);
                let quoted = t.span.start > 0 && matches!(cx.chars[t.span.start - 1], '「' | '『' | '“');
                // Two-char names (「俵正」) only inside a list: 「、俵正と」.
                let long_enough = end - t.span.start >= 3
                    || (t.span.start > 0
                        && matches!(cx.chars[t.span.start - 1], '、' | '・' | ',')
                        && matches!(cx.char_at(end), Some('と') | Some('、') | Some('や')));
                if bounded && long_enough && !quoted && (tagged || (first_given_tagged && listed)) {
                    chosen = Some((end, None, if tagged { 0.7 } else { 0.6 }));
                    break;
                }
            }
            match chosen {
                Some((end, suffix, score)) => {
                    // The name without what stood between family and given name
                    // (a space, a reading or former name in brackets).
                    let mut m = person(cx, Span::new(t.span.start, end), suffix, score);
                    m.name = format!("{}{}", cx.doc.text.slice(t.span), cx.doc.text.slice(Span::new(given_start, end)));
                    out.push(m);
                    i = toks.partition_point(|x| x.span.start < end);
                }
                None => {
                    if let Some(s) = self.suffix_at(cx, t.span.end) {
                        out.push(partial(cx, t.span, s));
                    }
                    i += 1;
                }
            }
        }
    }

    /// Names found from a suffix backwards: katakana foreign names (with ・)
    /// and kanji names the dictionary does not tag.
    fn names_before_suffixes(&self, cx: &Ctx, out: &mut Vec<Mention>) {
        let n = cx.chars.len();
        let mut next = 1;
        while next < n {
            let suffix_at = next;
            // The name ends at the suffix, or before a reading in brackets
            // right before it (「坂口三之治(さかぐち・さのじ)容疑者」).
            let at = reading_before(cx, suffix_at).unwrap_or(suffix_at);
            let hit = match self.suffix_at(cx, suffix_at) {
                Some(h) if at > 0 && (h.class != SuffixClass::Title || matches!(cx.chars[at - 1], 'ー' | '\u{30A1}'..='\u{30FA}')) => h,
                _ => {
                    next += 1;
                    continue;
                }
            };
            if chars::is_katakana(cx.chars[at - 1]) {
                let mut s = at;
                while s > 0 && (chars::is_katakana(cx.chars[s - 1]) || cx.chars[s - 1] == '・' || cx.chars[s - 1] == '=') {
                    s -= 1;
                }
                while s < at && !chars::is_katakana(cx.chars[s]) {
                    s += 1;
                }
                // A leading country or organisation is not part of the name (「アメリカ・オバマ大統領」).
                if let Some(k) = token_starting_at(&cx.doc.tokens, s) {
                    let t = cx.doc.tokens[k];
                    if matches!(t.pos, Pos::Place | Pos::Organization) && cx.char_at(t.span.end) == Some('・') {
                        s = t.span.end + 1;
                    }
                }
                if let Some(dot) = cx.chars[s..at].iter().position(|&c| c == '・') {
                    let first: String = cx.chars[s..s + dot].iter().collect();
                    if self.not_name_parts.contains(&first) {
                        s += dot + 1;
                    }
                }
                let mut e = at;
                if let Some(dot) = cx.chars[s..e].iter().rposition(|&c| c == '・') {
                    let last: String = cx.chars[s + dot + 1..e].iter().collect();
                    if self.not_name_parts.contains(&last) {
                        e = s + dot;
                    }
                }
                let span = Span::new(s, e);
                if span.len() >= 2 {
                    let text = cx.doc.text.slice(span);
                    if text.contains('・') || text.contains('=') || text.contains('＝') {
                        out.push(person(cx, span, Some(hit), 0.9));
                    } else {
                        out.push(partial(cx, span, hit));
                    }
                }
            } else if chars::is_kanji(cx.chars[at - 1]) && matches!(hit.class, SuffixClass::Suspect | SuffixClass::Defendant | SuffixClass::Honorific) {
                if let Some((span, full)) = self.kanji_name_before(cx, at) {
                    if full {
                        out.push(person(cx, span, Some(hit), 0.5));
                    } else {
                        out.push(partial(cx, span, hit));
                    }
                } else if at < suffix_at && cx.chars[at..suffix_at].contains(&'・') {
                    // A family・given reading vouches for the kanji run before it,
                    // whatever IPADIC made of it (「平野力(ひらの・つとむ)容疑者」: 平野 a noun).
                    if let Some(s) = set_off_run(cx, at, 2..=5) {
                        out.push(person(cx, Span::new(s, at), Some(hit), 0.5));
                    }
                } else if matches!(hit.class, SuffixClass::Suspect | SuffixClass::Defendant) {
                    // Any 3-4 kanji run set off before 容疑者/被告 (「俳優・押尾学容疑者」: 押尾 is
                    // no IPADIC surname): a weak candidate the person model decides on.
                    if let Some(s) = set_off_run(cx, at, 3..=4).filter(|&s| s > 0 && matches!(cx.chars[s - 1], '・' | '、' | 'の' | '(' | '「' | '"' | ' ')) {
                        out.push(person(cx, Span::new(s, at), Some(hit), WEAK_NAME_SCORE));
                    }
                }
            }
            next = hit.span.end.max(suffix_at + 1);
        }
    }

    /// Names whose family part the dictionary does not tag as a surname
    /// (「角尾直美(37歳)」「紙屋春樹さん」「登石郁朗裁判長」): a dictionary given
    /// name after one to three kanji morphemes (2-3 chars, after a non-kanji
    /// char), confirmed by a suffix or an age right after.
    fn names_from_given(&self, cx: &Ctx, out: &mut Vec<Mention>) {
        let toks = &cx.doc.tokens;
        for (gi, g) in toks.iter().enumerate() {
            if g.pos != Pos::GivenName || gi == 0 || !Self::all_chars(cx, g.span, chars::is_kanji) {
                continue;
            }
            // Family part: contiguous kanji morphemes right before the given name.
            let mut fi = gi;
            while fi > 0
                && gi - fi < 3
                && toks[fi - 1].span.end == toks[fi].span.start
                && Self::all_chars(cx, toks[fi - 1].span, chars::is_kanji)
                && !matches!(toks[fi - 1].pos, Pos::Particle | Pos::Symbol | Pos::Predicate | Pos::Number)
                && g.span.start - toks[fi - 1].span.start <= 3
            {
                fi -= 1;
            }
            // A surname morpheme inside the family part starts the name (「声永井一郎」).
            if let Some(si) = (fi..gi).find(|&k| toks[k].pos == Pos::Surname) {
                fi = si;
            }
            let start = toks[fi].span.start;
            let family = g.span.start - start;
            if !(2..=3).contains(&family) || (start > 0 && chars::is_kanji(cx.chars[start - 1])) {
                continue;
            }
            if toks[fi..gi].iter().any(|t| t.span.len() == 1 && NOT_GIVEN_KANJI.contains(&cx.chars[t.span.start])) {
                continue;
            }
            let end = g.span.end;
            let after = bracket_aside(cx, end).unwrap_or(end);
            let suffix = self.suffix_at(cx, after);
            if suffix.is_none() && !Self::age_at(cx, after) {
                continue;
            }
            let span = Span::new(start, end);
            out.push(person(cx, span, suffix, 0.8));
        }
    }

    /// Kanji names before an age in brackets 「梅埜桂嗣(20歳)」 that no
    /// dictionary tag confirms.
    fn names_before_ages(&self, cx: &Ctx, out: &mut Vec<Mention>) {
        for at in 1..cx.chars.len() {
            // Skip when a suffix ends the run (「大口広司氏(58)」): the suffix pass has it.
            let suffix_ends_here = || (at.saturating_sub(4)..at).any(|p| self.suffix_at(cx, p).is_some_and(|h| h.span.end == at));
            if cx.chars[at] == '(' && chars::is_kanji(cx.chars[at - 1]) && !suffix_ends_here() && Self::age_at(cx, at) {
                if let Some((span, true)) = self.kanji_name_before(cx, at) {
                    out.push(person(cx, span, None, 0.5));
                } else if let Some(s) = set_off_run(cx, at, 3..=4) {
                    // 「元会長・梁大由(65)」: a kanji run set off before an age, a weak
                    // candidate the person model decides on.
                    out.push(person(cx, Span::new(s, at), None, WEAK_NAME_SCORE));
                }
            }
            // 「瀬貫将也(せぬき・まさや)(21歳)」: a family・given reading, then the age.
            if cx.chars[at] == '(' && chars::is_kanji(cx.chars[at - 1]) {
                let reading_then_age = bracket_aside(cx, at).is_some_and(|a| cx.chars[at..a].contains(&'・') && Self::age_at(cx, a));
                if let Some(s) = set_off_run(cx, at, 2..=5).filter(|_| reading_then_age) {
                    out.push(person(cx, Span::new(s, at), None, 0.5));
                }
            }
        }
    }

    /// A kanji name the dictionary does not tag, ending at `at` (before a
    /// suffix): the run of kanji back from `at`, starting at a surname
    /// morpheme inside it when there is one, made only of name-like morphemes.
    /// Returns the span and whether it looks like a full name (3+ chars).
    fn kanji_name_before(&self, cx: &Ctx, at: usize) -> Option<(Span, bool)> {
        let mut s = at;
        while s > 0 && at - s < 8 && chars::is_kanji(cx.chars[s - 1]) {
            s -= 1;
        }
        let mut end = at;
        // 「大久保、池田両被告」: 両/各 belong to the suffix, not the name.
        while end > s && matches!(cx.chars[end - 1], '両' | '各' | '元' | '前' | '現' | '同') {
            end -= 1;
        }
        let toks = &cx.doc.tokens;
        let lo = toks.partition_point(|t| t.span.end <= s);
        let hi = toks.partition_point(|t| t.span.start < end);
        let inside = &toks[lo..hi];
        // Start at the last surname morpheme that leaves a plausible name.
        if let Some(t) = inside.iter().rev().find(|t| t.pos == Pos::Surname && t.span.start >= s && end - t.span.start >= 2) {
            s = t.span.start;
        } else if s > 0 && chars::is_kanji(cx.chars[s - 1]) {
            return None;
        }
        let span = Span::new(s, end);
        if span.len() < 2 || span.len() > MAX_UNTAGGED_NAME_CHARS {
            return None;
        }
        // 「果菜子さん」: one char before a dictionary given name is a given name alone.
        let given_only = inside
            .iter()
            .rev()
            .find(|t| t.span.end == end)
            .is_some_and(|t| t.pos == Pos::GivenName && t.span.len() >= 2 && t.span.start <= s + 1 && inside.iter().all(|x| x.pos != Pos::Surname));
        if given_only {
            return Some((span, false));
        }
        // Every morpheme must be name-like: no common two-char nouns (「死体遺棄」).
        let namelike = inside.iter().filter(|t| t.span.start >= s && t.span.end <= end).all(|t| {
            t.unknown || matches!(t.pos, Pos::Surname | Pos::GivenName | Pos::PersonName) || t.span.len() == 1
        });
        if !namelike {
            return None;
        }
        Some((span, span.len() >= 3))
    }

    /// 「(本名・山田勇)」「(あきゆたか本名:木村正和24歳)」: a real name in the
    /// bracket after a stage or ring name. After a name already taken as a
    /// person's full name (「横山ノック氏(本名・山田勇)」「酒井法子(さかい・のりこ、
    /// 本名・高相法子=…)」) the real name is an alias, not a person of its own. A
    /// ring name written with its reading and not taken as a name (「怒涛(どとう
    /// 本名:伊塚雄一郎25歳)」) is not a family + given name: the real name is the
    /// person. Otherwise the real name stays what the other passes made of it
    /// (docs/DECISIONS.md).
    fn real_names(&self, cx: &Ctx, out: &mut Vec<Mention>) {
        for cue in &self.real_name_cues {
            for (b, _) in cx.folded.match_indices(cue.as_str()) {
                let cue_at = cx.doc.text.char_of_folded_byte(b);
                let Some(open) = (cue_at.saturating_sub(12)..cue_at).rev().find(|&k| matches!(cx.chars[k], '(' | ')' | '。')) else {
                    continue;
                };
                if cx.chars[open] != '(' {
                    continue;
                }
                let mut start = cue_at + cue.chars().count();
                if matches!(cx.char_at(start), Some(':' | '・' | '=')) {
                    start += 1;
                }
                let len = cx.chars[start.min(cx.chars.len())..]
                    .iter()
                    .take(7)
                    .take_while(|&&c| chars::is_kanji(c) || chars::is_katakana(c))
                    .count();
                if !(2..=6).contains(&len) {
                    continue;
                }
                let real = Span::new(start, start + len);
                let ends_at_open = |m: &Mention| m.kind == MentionKind::Person && m.suffix.map_or(m.span.end, |s| s.end) == open;
                let outside = |m: &Mention| m.span.end <= real.start || m.span.start >= real.end;
                if out.iter().any(ends_at_open) {
                    out.retain(outside);
                } else if (open + 1..cue_at).any(|k| chars::is_hiragana(cx.chars[k])) {
                    out.retain(outside);
                    out.push(person(cx, real, None, 0.9));
                }
            }
        }
    }

    /// Latin names in citations (bylines such as 「2005 BrianWilliams"…」,
    /// 「NicolaiHeyerdahl,TrondEide」): CamelCase words of two or three
    /// capitalised parts followed by a quote, comma, ampersand or 『.
    fn latin_bylines(&self, cx: &Ctx, out: &mut Vec<Mention>) {
        let n = cx.chars.len();
        let mut i = 0;
        while i < n {
            if !cx.chars[i].is_alphabetic() || !cx.chars[i].is_ascii_uppercase() || (i > 0 && cx.chars[i - 1].is_alphabetic()) {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < n && cx.chars[j].is_alphabetic() && !chars::is_name_char(cx.chars[j]) {
                j += 1;
            }
            let word = &cx.chars[i..j];
            let humps = word.iter().filter(|c| c.is_uppercase()).count();
            let lower_runs_ok = word.split(|c| c.is_uppercase()).skip(1).all(|run| run.len() >= 2 && run.iter().all(|c| c.is_lowercase()));
            let follows = matches!(cx.char_at(j), Some('"') | Some('“') | Some('『') | Some(',') | Some('&'));
            let parts: Vec<String> = word
                .split_inclusive(|c: &char| c.is_lowercase())
                .fold(Vec::<String>::new(), |mut acc, piece| {
                    let piece: String = piece.iter().collect();
                    if piece.starts_with(|c: char| c.is_uppercase()) || acc.is_empty() {
                        acc.push(piece);
                    } else if let Some(last) = acc.last_mut() {
                        last.push_str(&piece);
                    }
                    acc
                });
            let media = parts.iter().any(|p| self.latin_non_name_parts.iter().any(|w| w == p));
            if (2..=3).contains(&humps) && lower_runs_ok && follows && !media {
                let span = Span::new(i, j);
                out.push(person(cx, span, None, 0.5));
            }
            i = j.max(i + 1);
        }
    }

    /// Foreign names written without a suffix (「オサマ・ビンラディンを」) whose
    /// last part stands elsewhere in the article with one (「ビンラディン容疑者」).
    fn katakana_names_confirmed_elsewhere(&self, cx: &Ctx, out: &mut Vec<Mention>) {
        let partials: Vec<String> = out
            .iter()
            .filter(|m| {
                m.kind == MentionKind::PartialName
                    && m.suffix_class != Some(SuffixClass::Title)
                    && m.name.chars().all(chars::is_katakana)
            })
            .map(|m| m.name.clone())
            .collect();
        if partials.is_empty() {
            return;
        }
        let n = cx.chars.len();
        let mut i = 0;
        while i < n {
            if !chars::is_katakana(cx.chars[i]) || (i > 0 && (chars::is_katakana(cx.chars[i - 1]) || cx.chars[i - 1] == '・')) {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < n && (chars::is_katakana(cx.chars[j]) || (cx.chars[j] == '・' && j + 1 < n && chars::is_katakana(cx.chars[j + 1]))) {
                j += 1;
            }
            let run: String = cx.chars[i..j].iter().collect();
            if let Some((first, last)) = run.rsplit_once('・') {
                let first = first.split('・').next().unwrap_or(first);
                if partials.iter().any(|p| p == last) && !self.not_name_parts.iter().any(|c| c == first) {
                    let span = Span::new(i, j);
                    out.push(person(cx, span, None, 0.6));
                }
            }
            i = j.max(i + 1);
        }
    }

    /// 「同容疑者」「同被告」「同氏」.
    fn anaphors(&self, cx: &Ctx, out: &mut Vec<Mention>) {
        for (i, &c) in cx.chars.iter().enumerate() {
            if c != '同' || i + 1 >= cx.chars.len() {
                continue;
            }
            let input = Input::new(cx.folded).span(cx.byte(i + 1)..cx.folded.len()).anchored(Anchored::Yes);
            if let Some(m) = self.anaphors.find(input) {
                let end = cx.doc.text.char_of_folded_byte(m.end());
                if cx.char_at(end).is_some_and(chars::is_kanji) && end - i <= 2 {
                    continue; // 「同氏名」 and the like
                }
                let suffix = self.suffix_at(cx, i + 1);
                out.push(Mention {
                    span: Span::new(i, i + 1),
                    kind: MentionKind::Anaphor,
                    name: String::new(),
                    suffix: Some(Span::new(i + 1, end)),
                    suffix_class: suffix.map(|s| s.class),
                    score: 1.0,
                });
            }
        }
    }

    /// Person hints that occur in the text.
    fn hints(&self, cx: &Ctx, out: &mut Vec<Mention>) {
        let text = cx.doc.text.original();
        for hint in &cx.doc.input.person_hints {
            let hint = hint.trim();
            if hint.chars().count() < 2 {
                continue;
            }
            for (b, _) in text.match_indices(hint) {
                let start = text[..b].chars().count();
                let span = Span::new(start, start + hint.chars().count());
                let suffix = self.suffix_at(cx, span.end);
                out.push(Mention {
                    span,
                    kind: MentionKind::Person,
                    name: hint.to_owned(),
                    suffix: suffix.map(|s| s.span),
                    suffix_class: suffix.map(|s| s.class),
                    score: 1.0,
                });
            }
        }
    }

    /// Organisation and place names from the IPADIC tags (runs of tagged morphemes).
    fn tagged_entities(cx: &Ctx, out: &mut Vec<Mention>) {
        let toks = &cx.doc.tokens;
        let mut i = 0;
        while i < toks.len() {
            let kind = match toks[i].pos {
                Pos::Organization => MentionKind::OtherOrg,
                Pos::Place => MentionKind::Location,
                _ => {
                    i += 1;
                    continue;
                }
            };
            let start = toks[i].span.start;
            let mut j = i + 1;
            while j < toks.len() && toks[j].pos == toks[i].pos && toks[j].span.start == toks[j - 1].span.end {
                j += 1;
            }
            let span = Span::new(start, toks[j - 1].span.end);
            out.push(Mention {
                span,
                kind,
                name: cx.doc.text.slice(span).to_owned(),
                suffix: None,
                suffix_class: None,
                score: 0.5,
            });
            i = j;
        }
    }
}

/// Index of the token that starts at char `at` (tokens are in text order).
fn token_starting_at(toks: &[kiji_core::Token], at: usize) -> Option<usize> {
    let k = toks.partition_point(|x| x.span.start < at);
    (toks.get(k)?.span.start == at).then_some(k)
}

/// A full-name mention of the text at `span`, with the suffix that confirmed it.
fn person(cx: &Ctx, span: Span, suffix: Option<SuffixHit>, score: f32) -> Mention {
    Mention {
        span,
        kind: MentionKind::Person,
        name: cx.doc.text.slice(span).to_owned(),
        suffix: suffix.map(|s| s.span),
        suffix_class: suffix.map(|s| s.class),
        score,
    }
}

/// A partial (surname-only or single katakana) mention with its suffix.
fn partial(cx: &Ctx, span: Span, hit: SuffixHit) -> Mention {
    Mention {
        span,
        kind: MentionKind::PartialName,
        name: cx.doc.text.slice(span).to_owned(),
        suffix: Some(hit.span),
        suffix_class: Some(hit.class),
        score: 0.9,
    }
}

/// A bracketed aside right at `at` that holds a reading (kana only:
/// 「(さはし)」「(シン・グヮンス)」) or a former or real name (旧姓…, 本名…);
/// returns the char after the closing bracket.
fn bracket_aside(cx: &Ctx, at: usize) -> Option<usize> {
    if cx.char_at(at) != Some('(') {
        return None;
    }
    let mut i = at + 1;
    while i < cx.chars.len() && i - at <= 16 {
        match cx.chars[i] {
            ')' => {
                let inner: String = cx.chars[at + 1..i].iter().collect();
                let reading = inner.chars().any(chars::is_kana) && inner.chars().all(|c| chars::is_kana(c) || matches!(c, '・' | ' ' | '=' | '、'));
                let former = inner.starts_with("旧姓") || inner.starts_with("本名");
                return (reading || former).then_some(i + 1);
            }
            '(' | '\n' => return None,
            _ => i += 1,
        }
    }
    None
}

/// The score of a name only its suffix vouches for (no dictionary tag, no
/// reading): below 0.5, so that the person stage decides it.
pub const WEAK_NAME_SCORE: f32 = 0.4;

/// The start of the whole run of kanji that ends at `at`, when its length is
/// in `len` (a longer run is no name: 「同社社長山田太郎」).
fn set_off_run(cx: &Ctx, at: usize, len: std::ops::RangeInclusive<usize>) -> Option<usize> {
    let mut s = at;
    while s > 0 && at - s <= *len.end() && chars::is_kanji(cx.chars[s - 1]) {
        s -= 1;
    }
    (len.contains(&(at - s)) && (s == 0 || !chars::is_kanji(cx.chars[s - 1]))).then_some(s)
}

/// The start of a reading in brackets that ends right at `at`
/// (「…三之治(さかぐち・さのじ)」 before 容疑者).
fn reading_before(cx: &Ctx, at: usize) -> Option<usize> {
    if at == 0 || cx.chars[at - 1] != ')' {
        return None;
    }
    let open = (at.saturating_sub(17)..at - 1).rev().find(|&i| cx.chars[i] == '(')?;
    (open > 0 && bracket_aside(cx, open) == Some(at) && !cx.chars[open + 1..at - 1].iter().collect::<String>().starts_with("旧姓")).then_some(open)
}

/// A "full name" that is only the start of another full name in the article
/// (「井ヶ田さん」 beside 「井ヶ田治さん」), or a weakly supported one that is its
/// end, is a partial name.
fn demote_name_parts(ms: &mut [Mention]) {
    // Distinct names, sorted forwards and by their reversed text, so that
    // "is there a longer name starting/ending with this one" is a binary search.
    let mut names: Vec<String> = ms.iter().filter(|m| m.kind == MentionKind::Person).map(|m| m.name.clone()).collect();
    names.sort_unstable();
    names.dedup();
    let mut reversed: Vec<String> = names.iter().map(|n| n.chars().rev().collect()).collect();
    reversed.sort_unstable();
    let longer_with_prefix = |sorted: &[String], p: &str| {
        let i = sorted.partition_point(|n| n.as_str() <= p);
        sorted.get(i).is_some_and(|n| n.starts_with(p))
    };
    for m in ms.iter_mut().filter(|m| m.kind == MentionKind::Person) {
        let rev: String = m.name.chars().rev().collect();
        if longer_with_prefix(&names, &m.name) || (m.score <= 0.5 && longer_with_prefix(&reversed, &rev)) {
            m.kind = MentionKind::PartialName;
        }
    }
}

/// Keep the best of overlapping mentions: person-like over others, higher
/// score, then longer.
fn resolve_overlaps(mut ms: Vec<Mention>) -> Vec<Mention> {
    let rank = |m: &Mention| {
        let kind = match m.kind {
            MentionKind::Person => 3,
            MentionKind::PartialName | MentionKind::Anaphor => 2,
            _ => 1,
        };
        (kind, (m.score * 100.0) as i32, m.span.len())
    };
    ms.sort_by(|a, b| rank(b).cmp(&rank(a)).then(a.span.start.cmp(&b.span.start)));
    // Occupancy by char: any kept span, and kept person names with their suffixes.
    let len = ms.iter().map(|m| m.span.end.max(m.suffix.map_or(0, |s| s.end))).max().unwrap_or(0);
    let mut taken = vec![false; len];
    let mut person_taken = vec![false; len];
    let mut kept: Vec<Mention> = Vec::with_capacity(ms.len());
    for m in ms {
        let range = m.span.start..m.span.end;
        let free = !taken[range.clone()].iter().any(|&t| t) && !(m.kind.is_person_like() && person_taken[range.clone()].iter().any(|&t| t));
        if free {
            taken[range].iter_mut().for_each(|t| *t = true);
            if m.kind.is_person_like() {
                let full = m.span.start..m.suffix.map_or(m.span.end, |s| s.end.max(m.span.end));
                person_taken[full].iter_mut().for_each(|t| *t = true);
            }
            kept.push(m);
        }
    }
    kept.sort_by_key(|m| (m.span.start, m.span.end));
    kept
}

impl Recognizer for LexiconRecognizer {
    fn recognize(&self, doc: &Document) -> Vec<Mention> {
        let cx = Ctx { chars: doc.text.folded_chars(), folded: doc.text.folded(), doc };
        let mut out = Vec::new();
        self.hints(&cx, &mut out);
        self.japanese_names(&cx, &mut out);
        self.names_from_given(&cx, &mut out);
        self.names_before_suffixes(&cx, &mut out);
        self.names_before_ages(&cx, &mut out);
        self.katakana_names_confirmed_elsewhere(&cx, &mut out);
        self.anaphors(&cx, &mut out);
        self.latin_bylines(&cx, &mut out);
        Self::tagged_entities(&cx, &mut out);
        self.real_names(&cx, &mut out);
        demote_name_parts(&mut out);
        resolve_overlaps(out)
    }
}
