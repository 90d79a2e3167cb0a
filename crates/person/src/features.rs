//! Features of a person candidate (is it a listed person?) and of a listed
//! person (is it an offender?), as hashed keys: `template \x1f value`.
//!
//! Bump [`FEATURE_VERSION`] whenever a template changes: model files carry
//! the version they were trained with and refuse to load into another.
use crate::candidates::SpanCandidate;
use kiji_core::lexicon::chars;
use kiji_core::{Document, Mention, MentionKind, Person, Span, SuffixClass};

/// The version of the feature templates below.
pub const FEATURE_VERSION: u32 = 6;

pub use kiji_core::linear::FeatureBuf;
use kiji_core::linear::{bucket, char_class, pos_name, shape};

fn class_name(c: Option<SuffixClass>) -> &'static str {
    match c {
        Some(SuffixClass::Suspect) => "suspect",
        Some(SuffixClass::SuspectHeadline) => "suspect_headline",
        Some(SuffixClass::Defendant) => "defendant",
        Some(SuffixClass::Honorific) => "honorific",
        Some(SuffixClass::Title) => "title",
        None => "none",
    }
}

/// Per-article view shared by the feature functions (built once per article).
pub struct ArticleView<'d> {
    pub doc: &'d Document<'d>,
    pub chars: Vec<char>,
}

impl<'d> ArticleView<'d> {
    pub fn new(doc: &'d Document<'d>) -> Self {
        ArticleView { doc, chars: doc.text.folded_chars() }
    }
    fn text(&self, span: Span) -> String {
        self.chars[span.start.min(self.chars.len())..span.end.min(self.chars.len())].iter().collect()
    }
    /// Index of the first token ending after `pos`.
    fn token_at(&self, pos: usize) -> usize {
        self.doc.tokens.partition_point(|t| t.span.end <= pos)
    }
    fn sentence_index(&self, pos: usize) -> usize {
        self.doc.text.sentences().partition_point(|s| s.end <= pos)
    }
    /// Which brackets are open at `pos` within its sentence: 『』, 「」, ().
    fn enclosing(&self, pos: usize) -> [bool; 3] {
        const PAIRS: [(char, char); 3] = [('『', '』'), ('「', '」'), ('(', ')')];
        let sent = self.doc.text.sentence_at(pos).unwrap_or(Span::new(0, pos));
        let mut depth = [0i32; 3];
        for &c in &self.chars[sent.start.min(pos)..pos] {
            for (d, (open, close)) in depth.iter_mut().zip(PAIRS) {
                if c == open {
                    *d += 1;
                } else if c == close {
                    *d -= 1;
                }
            }
        }
        depth.map(|d| d > 0)
    }
}

/// The span a mention covers with its suffix.
fn extent(m: &Mention) -> Span {
    m.suffix.map_or(m.span, |s| Span::new(m.span.start, s.end.max(m.span.end)))
}

const KATAKANA_NAME_PARTS: &str = include_str!("../../../dictionaries/person/katakana_name_parts.tsv");
const ENGLISH_WORDS: &str = include_str!("../../../dictionaries/person/english_words.tsv");

/// How a katakana word is used in the Stockmark NER train split
/// (`dictionaries/person/katakana_name_parts.tsv`): as the first or last part
/// of a person's dotted name, as a whole undotted person name, or as a part of
/// an entity of another type. Bits of [`NameParts::uses`].
pub mod part_use {
    pub const GIVEN: u8 = 1;
    pub const FAMILY: u8 = 2;
    pub const SINGLE: u8 = 4;
    pub const OTHER: u8 = 8;
}

/// The katakana name parts: what a foreign name written in katakana is made
/// of (「ウラジーミル」「セルゲイ」 start persons' names; 「タイムズ」「ユナイテッド」
/// are parts of other things); and the English words a Latin name is read
/// against (a name of common words only is none: 「HumanRightsWatch」).
pub struct NameParts {
    uses: std::collections::HashMap<&'static str, u8>,
    /// English words (`dictionaries/person/english_words.tsv`, lower case):
    /// written in lower case (a common word) and/or capitalised (a proper name).
    english: std::collections::HashMap<&'static str, (bool, bool)>,
}

/// How the parts of a Latin name stand in the English word list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LatinParts {
    /// Words (split at capitals after a small letter, spaces, dots and hyphens; two letters at least).
    pub parts: usize,
    /// Of them: common words only (「Times」「Online」), proper names only (「Carla」), unknown.
    pub common: usize,
    pub proper: usize,
    pub unknown: usize,
}

impl NameParts {
    pub fn new() -> Self {
        let mut uses: std::collections::HashMap<&'static str, u8> = std::collections::HashMap::new();
        for (w, u) in kiji_core::lexicon::pairs(KATAKANA_NAME_PARTS) {
            let bit = match u {
                "given" => part_use::GIVEN,
                "family" => part_use::FAMILY,
                "single" => part_use::SINGLE,
                "other" => part_use::OTHER,
                _ => 0,
            };
            *uses.entry(w).or_default() |= bit;
        }
        let english = kiji_core::lexicon::pairs(ENGLISH_WORDS).map(|(w, k)| (w, (k != "proper", k != "common"))).collect();
        NameParts { uses, english }
    }

    /// The parts of a Latin name (ASCII letters, spaces, dots, hyphens) and how
    /// the English word list writes them; `None` for any other name.
    pub fn of_latin(&self, name: &str) -> Option<LatinParts> {
        if !name.chars().any(|c| c.is_ascii_alphabetic()) || !name.chars().all(|c| c.is_ascii_alphabetic() || matches!(c, ' ' | '.' | '-')) {
            return None;
        }
        let chars: Vec<char> = name.chars().collect();
        let mut words: Vec<String> = Vec::new();
        let mut cur = String::new();
        for (k, &c) in chars.iter().enumerate() {
            let split = !c.is_ascii_alphabetic() || (c.is_ascii_uppercase() && k > 0 && chars[k - 1].is_ascii_lowercase());
            if split && !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            if c.is_ascii_alphabetic() {
                cur.push(c.to_ascii_lowercase());
            }
        }
        words.push(cur);
        let mut out = LatinParts::default();
        for w in words.iter().filter(|w| w.len() >= 2) {
            out.parts += 1;
            match self.english.get(w.as_str()) {
                Some((true, false)) => out.common += 1,
                Some((false, true)) => out.proper += 1,
                Some(_) => {}
                None => out.unknown += 1,
            }
        }
        Some(out)
    }

    /// The uses of one word (0: unknown).
    pub fn uses(&self, word: &str) -> u8 {
        self.uses.get(word).copied().unwrap_or(0)
    }

    /// The uses of a katakana name's first part, its last part, and of all its
    /// parts together (parts: split at ・ and =, two chars at least); `None` for
    /// a name not all katakana.
    pub fn of_name(&self, name: &str) -> Option<(u8, u8, u8)> {
        if name.is_empty() || !name.chars().all(|c| chars::is_katakana(c) || matches!(c, '・' | '=' | '\u{FF1D}')) {
            return None;
        }
        let parts: Vec<&str> = name.split(['・', '=', '\u{FF1D}']).filter(|p| p.chars().count() >= 2).collect();
        let (first, last) = (parts.first()?, parts.last()?);
        let all = parts.iter().fold(0, |a, p| a | self.uses(p));
        Some((self.uses(first), if parts.len() > 1 { self.uses(last) } else { 0 }, all))
    }
}

impl Default for NameParts {
    fn default() -> Self {
        Self::new()
    }
}

fn uses_name(u: u8) -> String {
    let names = [(part_use::GIVEN, "g"), (part_use::FAMILY, "f"), (part_use::SINGLE, "s"), (part_use::OTHER, "o")];
    let s: String = names.iter().filter(|(b, _)| u & b != 0).map(|(_, n)| *n).collect();
    if s.is_empty() {
        "-".to_owned()
    } else {
        s
    }
}

/// What the article says around the candidates, computed once per article.
pub struct SpanContext {
    /// The lexicon suffix right after each candidate (parallel to the candidates).
    pub suffixes: Vec<Option<(Span, SuffixClass)>>,
    /// Partial names of the recogniser (「田中容疑者」): the suffix class of each
    /// mention, by its text.
    partials: std::collections::HashMap<String, Vec<Option<SuffixClass>>>,
    /// How often each candidate's text occurs in the article.
    occurrences: Vec<usize>,
    /// The katakana name-part uses of each candidate ([`NameParts::of_name`]).
    kata_parts: Vec<Option<(u8, u8, u8)>>,
}

impl SpanContext {
    pub fn new(doc: &Document, cands: &[SpanCandidate], recognised: &[Mention], suffixes: Vec<Option<(Span, SuffixClass)>>, parts: &NameParts) -> Self {
        let mut partials: std::collections::HashMap<String, Vec<Option<SuffixClass>>> = std::collections::HashMap::new();
        for m in recognised.iter().filter(|m| m.kind == MentionKind::PartialName && !m.name.is_empty()) {
            partials.entry(m.name.clone()).or_default().push(m.suffix_class);
        }
        // One pass over the article for every distinct candidate text.
        let texts: Vec<&str> = cands.iter().map(|c| doc.text.slice(c.span)).collect();
        let mut distinct: Vec<&str> = texts.clone();
        distinct.sort_unstable();
        distinct.dedup();
        let mut counts = vec![0usize; distinct.len()];
        if let Ok(ac) = aho_corasick::AhoCorasick::new(&distinct) {
            for m in ac.find_overlapping_iter(doc.text.original()) {
                counts[m.pattern().as_usize()] += 1;
            }
        }
        let occurrences = texts.iter().map(|t| distinct.binary_search(t).map_or(0, |k| counts[k])).collect();
        let kata_parts = cands.iter().map(|c| parts.of_name(&c.name)).collect();
        SpanContext { suffixes, partials, occurrences, kata_parts }
    }
}

/// Features of span candidate `i`: is it the full name of a listed person?
pub fn span_features(view: &ArticleView, cands: &[SpanCandidate], i: usize, cx: &SpanContext, recognised: &[Mention], f: &mut FeatureBuf) {
    let c = &cands[i];
    let doc = view.doc;
    let span = c.span;
    f.clear();
    f.add("bias", "");
    let mut origins = c.origins.clone();
    origins.sort_unstable();
    let src = origins.join("+");
    f.add("src", &src);
    for o in &origins {
        f.add("origin", o);
    }
    let name = &c.name;
    let len = name.chars().count();
    let sh = shape(name);
    f.add("len", &bucket(len, 9));
    f.add("shape", &sh);
    f.add("shape_len", &format!("{sh}:{}", bucket(len, 9)));
    f.add("src_shape", &format!("{src}:{sh}"));
    if doc.input.person_hints.iter().any(|h| h.chars().filter(|c| !c.is_whitespace()).collect::<String>() == *name) {
        f.add("hint", "");
    }
    if let Some(m) = c.mention.and_then(|k| recognised.get(k)) {
        f.add("lex_class", class_name(m.suffix_class));
        f.add("lex_score", &format!("{:.1}", m.score));
    }
    match cx.suffixes.get(i).copied().flatten() {
        Some((s, class)) => {
            f.add("suffix_class", class_name(Some(class)));
            f.add("suffix", &view.text(s));
            f.add("src_suffix_class", &format!("{src}:{}", class_name(Some(class))));
        }
        None => f.add("suffix_class", "none"),
    }
    // The same name elsewhere, and partial names that fit it.
    f.add("occurrences", &bucket(cx.occurrences.get(i).copied().unwrap_or(0), 3));
    // (Looked up by the name's heads and tails: an article may hold thousands of partial names.)
    for (head, tail) in kiji_core::heads_and_tails(name, 1) {
        for part in std::iter::once(head).chain((tail != head).then_some(tail)) {
            for class in cx.partials.get(part).into_iter().flatten() {
                f.add("partial_fits", class_name(*class));
            }
        }
    }
    // Other candidates over it: is it inside a longer one, or does it hold a shorter one?
    f.add("sentence", &bucket(view.sentence_index(span.start), 3));
    if c.country_tail {
        f.add("country_tail", "");
    }
    // A katakana name: how its parts are used in Stockmark's train split.
    if let Some((first, last, all)) = cx.kata_parts.get(i).copied().flatten() {
        let dotted = name.contains(['・', '=', '\u{FF1D}']);
        f.add("kata_first", &format!("{dotted}:{}", uses_name(first)));
        if dotted {
            f.add("kata_last", &uses_name(last));
            f.add("kata_first_last", &format!("{}:{}", uses_name(first & (part_use::GIVEN | part_use::OTHER)), uses_name(last & (part_use::FAMILY | part_use::OTHER))));
        }
        f.add("kata_other", &format!("{dotted}:{}", all & part_use::OTHER != 0));
    }
    if kiji_tagger::looks_like_full_name(doc, span) {
        f.add("looks_full", "");
    }
    // Morphemes: alignment of the ends, the POS inside, before and after.
    let ti = view.token_at(span.start);
    let inside: Vec<_> = doc.tokens[ti..].iter().take_while(|t| t.span.start < span.end).collect();
    if let (Some(a), Some(b)) = (inside.first(), inside.last()) {
        let aligned = (a.span.start == span.start, b.span.end == span.end);
        f.add("aligned", &format!("{}{}", aligned.0, aligned.1));
        f.add("pos_first", pos_name(a.pos));
        f.add("pos_last", pos_name(b.pos));
        if inside.len() <= 4 {
            let seq: Vec<&str> = inside.iter().map(|t| pos_name(t.pos)).collect();
            f.add("pos_seq", &seq.join("|"));
        }
        f.add("unknown", &inside.iter().any(|t| t.unknown).to_string());
    }
    if ti > 0 {
        if let Some(t) = doc.tokens.get(ti - 1) {
            f.add("prev_pos", pos_name(t.pos));
            if t.span.len() <= 4 {
                f.add("prev_tok", &view.text(t.span));
            }
        }
    }
    let after = view.token_at(span.end);
    if let Some(t) = doc.tokens.get(after) {
        if t.span.start >= span.end {
            f.add("next_pos", pos_name(t.pos));
            if t.span.len() <= 4 {
                f.add("next_tok", &view.text(t.span));
            }
        }
    }
    // Chars around it.
    let prev = span.start.checked_sub(1).map(|p| view.chars[p]);
    let prev2 = span.start.checked_sub(2).map(|p| view.chars[p]);
    f.add("prev_char", &prev.map_or("^".to_owned(), |c| c.to_string()));
    f.add("prev_class", &prev.map_or('^', char_class).to_string());
    f.add("prev2", &format!("{}{}", prev2.unwrap_or('^'), prev.unwrap_or('^')));
    let next = view.chars.get(span.end).copied();
    let next2 = view.chars.get(span.end + 1).copied();
    f.add("next_char", &next.map_or("$".to_owned(), |c| c.to_string()));
    f.add("next_class", &next.map_or('$', char_class).to_string());
    f.add("next2", &format!("{}{}", next.unwrap_or('$'), next2.unwrap_or('$')));
    f.add("src_next_class", &format!("{src}:{}", next.map_or('$', char_class)));
    f.add("src_prev_class", &format!("{src}:{}", prev.map_or('^', char_class)));
    if next == Some('(') && next2.is_some_and(|c| chars::is_hiragana(c)) {
        f.add("reading_after", "");
    }
    if next == Some('(') && next2.is_some_and(|c| c.is_ascii_digit()) {
        f.add("age_after", "");
    }
    let first = name.chars().next().unwrap_or(' ');
    let last = name.chars().last().unwrap_or(' ');
    f.add("first_char", &first.to_string());
    f.add("last_char", &last.to_string());
    let [title_quote, quote, bracket] = view.enclosing(span.start);
    if title_quote {
        f.add("in_quote", "『");
    }
    if quote {
        f.add("in_quote", "「");
    }
    if bracket {
        f.add("in_bracket", "");
    }
}

/// The cue words of the offender features: `dictionaries/person/offender_cues.tsv`
/// (arrest, conviction, acquittal ... words of the rule stage) and
/// `dictionaries/person/offender_context.tsv` (victims, officials, other roles).
pub struct Cues {
    automaton: aho_corasick::AhoCorasick,
    classes: Vec<String>,
}

const OFFENDER_CUES: &str = include_str!("../../../dictionaries/person/offender_cues.tsv");
const OFFENDER_CONTEXT: &str = include_str!("../../../dictionaries/person/offender_context.tsv");

impl Cues {
    pub fn new() -> Self {
        let (words, classes): (Vec<&str>, Vec<String>) =
            kiji_core::lexicon::pairs(OFFENDER_CUES).chain(kiji_core::lexicon::pairs(OFFENDER_CONTEXT)).map(|(w, c)| (w, c.to_owned())).unzip();
        let automaton = aho_corasick::AhoCorasickBuilder::new().match_kind(aho_corasick::MatchKind::LeftmostLongest).build(words).expect("cue lists are small and valid");
        Cues { automaton, classes }
    }
}

impl Default for Cues {
    fn default() -> Self {
        Self::new()
    }
}

/// What the offender features read of the whole article: the cue classes
/// written anywhere in it (its first [`ARTICLE_CUE_CHARS`] chars), and each
/// person's rank by its number of mentions (0: the most mentioned).
pub struct ArticleCues {
    classes: Vec<String>,
    ranks: Vec<usize>,
}

/// How much of an article its cue classes are read from.
const ARTICLE_CUE_CHARS: usize = 50_000;

impl ArticleCues {
    /// `mentions_of[k]`: the mention indices of person `k`.
    pub fn new<'a>(view: &ArticleView, cues: &Cues, mentions_of: impl Iterator<Item = &'a [usize]>) -> Self {
        let text = view.text(Span::new(0, view.chars.len().min(ARTICLE_CUE_CHARS)));
        let mut classes: Vec<String> = cues.automaton.find_iter(&text).map(|h| cues.classes[h.pattern().as_usize()].clone()).collect();
        classes.sort_unstable();
        classes.dedup();
        let counts: Vec<usize> = mentions_of.map(<[usize]>::len).collect();
        let mut sorted = counts.clone();
        sorted.sort_unstable();
        let ranks = counts.iter().map(|&c| sorted.len() - sorted.partition_point(|&o| o <= c)).collect();
        ArticleCues { classes, ranks }
    }
}

/// Features of a listed person (its mentions `ms`, its rule-stage record
/// `rule`; `k`: its index among the article's persons): is it an offender?
#[allow(clippy::too_many_arguments)]
pub fn offender_features(view: &ArticleView, cues: &Cues, article: &ArticleCues, k: usize, mentions: &[Mention], ms: &[usize], rule: &Person, f: &mut FeatureBuf) {
    let doc = view.doc;
    f.clear();
    f.add("bias", "");
    let rank = bucket(article.ranks.get(k).copied().unwrap_or(0), 2);
    for class in &article.classes {
        f.add("article_cue", &format!("{class}:{rank}"));
    }
    f.add("rule", &rule.is_offender.to_string());
    f.add("rule_cat", rule.category.as_str());
    if let Some(p) = &rule.position {
        f.add("position", p);
    }
    f.add("has_aff", &rule.affiliation.is_some().to_string());
    f.add("has_age", &rule.age.is_some().to_string());
    // The act rules read an offence for this person (its pieces counted).
    f.add("has_act", &bucket(rule.act.as_deref().map_or(0, |a| a.split(',').count()), 3));
    f.add("n_mentions", &bucket(ms.len(), 5));
    for &i in ms {
        let Some(m) = mentions.get(i) else { continue };
        f.add("sfx_class", class_name(m.suffix_class));
        if let Some(s) = m.suffix {
            f.add("sfx", &view.text(s));
        }
        // Cue words in the mention's sentence, before and after it, near or far.
        let ext = extent(m);
        let sent = doc.text.sentence_at(m.span.start).unwrap_or(ext);
        let text = view.text(sent);
        let mut at_char = sent.start;
        let mut last_byte = 0;
        for hit in cues.automaton.find_iter(&text) {
            at_char += text[last_byte..hit.start()].chars().count();
            last_byte = hit.start();
            let class = &cues.classes[hit.pattern().as_usize()];
            let (side, dist) = if at_char >= ext.end {
                ("after", at_char - ext.end)
            } else if at_char < ext.start {
                ("before", ext.start - at_char)
            } else {
                continue;
            };
            let near = if dist <= 16 { "near" } else { "far" };
            f.add("cue", &format!("{class}:{side}:{near}"));
            if near == "near" {
                f.add("cue_word", &format!("{}:{side}", &text[hit.start()..hit.end()]));
            }
        }
        if m.span.start < doc.text.sentences().first().map_or(0, |s| s.end) {
            f.add("in_first_sentence", "");
        }
        let next = view.chars.get(ext.end).copied();
        f.add("after_mention", &next.map_or("$".to_owned(), |c| c.to_string()));
    }
}


#[cfg(test)]
mod tests {
    use super::*;
    use kiji_core::Linker;

    // Train article wn-3568 (Japanese Wikinews, CC BY 2.5), shortened: the
    // cue classes written anywhere in it, and the suspect named twice is its
    // most mentioned person.
    #[test]
    fn article_cues_hold_the_classes_written_and_the_persons_ranks() {
        let text = "デイリースポーツによると、Jリーグ・ジュビロ磐田のミッドフィルダー・菊地直哉容疑者(22歳)が女子高校生にわいせつ行為を働いたとして、静岡県警に逮捕された。監督の山本昌邦氏は謝罪した。菊地容疑者は容疑を認めている。";
        crate::analysed(text, |doc, recognised| {
            let entities = kiji_link::RuleLinker.link(doc, recognised);
            let view = ArticleView::new(doc);
            let article = ArticleCues::new(&view, &Cues::new(), entities.iter().map(|e| e.mentions.as_slice()));
            // 「…逮捕された」 (its subject before it), 「…容疑者」, 「監督」, 「容疑を認めている」.
            for class in ["before", "suspicion", "official", "admits"] {
                assert!(article.classes.iter().any(|c| c == class), "{class}: {:?}", article.classes);
            }
            assert!(article.classes.windows(2).all(|w| w[0] < w[1]), "sorted, once each");
            let rank = |name: &str| entities.iter().position(|e| e.name == name).map(|k| article.ranks[k]);
            assert_eq!(rank("菊地直哉"), Some(0), "{entities:?}");
            assert_eq!(rank("山本昌邦"), Some(1), "{entities:?}");
        });
    }

    // The parts are split at ・ and = (either width); only names written all in katakana are
    // looked up.
    #[test]
    fn katakana_name_parts_are_looked_up_by_position() {
        let parts = NameParts::new();
        let (first, _, _) = parts.of_name("ウラジーミル・プーチン").unwrap();
        assert_ne!(first & part_use::GIVEN, 0);
        let (first, _, _) = parts.of_name("ジョン＝ロバーツ").unwrap();
        assert_ne!(first & part_use::GIVEN, 0, "full-width = splits too");
        // Pool article names of a club and a paper: parts of other entities, no person's.
        for other in ["マンチェスター・ユナイテッド", "ニューヨーク・タイムズ"] {
            let (first, last, all) = parts.of_name(other).unwrap();
            assert_eq!((first | last) & (part_use::GIVEN | part_use::FAMILY), 0, "{other}");
            assert_ne!(all & part_use::OTHER, 0, "{other}");
        }
        // One part: no last part.
        assert_eq!(parts.of_name("ジョン").map(|u| u.1), Some(0));
        assert_eq!(parts.of_name("田中・太郎"), None);
        assert_eq!(parts.of_name(""), None);
    }
}
