//! kiji-attr: fills every field of each linked person from local syntax.
//!
//! * `is_offender`: a suspect/defendant suffix on any mention (容疑者, 被告),
//!   or an arrest/conviction word later in the clause of a mention
//!   (「鈴木博司(43)が逮捕された」); undone by an acquittal in the article.
//! * `age`: 「(44)」「(44歳、…」「・42歳」 right after a mention.
//! * `position` / `affiliation`: a position word written after the name
//!   (「仙石誠総務局長」) or before it (「社長・田中博之」「無職の…」), the
//!   organisation written next to it (「東京新聞の」「『ライスフィールド』(…)社長」).
//! * `act`: the legal name of the offence before 容疑/の疑い/罪 in the
//!   sentences that mention an offender.
//! * `category`: the guideline's first applicable rule.
//! * `reason`: the sentence of the mention that best supports the decision.
//! * `is_real`: false near fiction words (キャラクター, 役名, 偽名 ...).
//!
//! Word lists live in `dictionaries/person`.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use kiji_core::lexicon::{self, chars};
use kiji_core::{AttributeClassifier, Category, Document, Mention, MentionKind, Person, PersonEntity, Span};
use std::collections::HashSet;

const POSITIONS: &str = include_str!("../../../dictionaries/person/positions.txt");
const SUFFIXES: &str = include_str!("../../../dictionaries/person/suffixes.tsv");
const PEPS: &str = include_str!("../../../dictionaries/person/peps.txt");
const OFFENCES: &str = include_str!("../../../dictionaries/person/offences.txt");
const OFFENDER_CUES: &str = include_str!("../../../dictionaries/person/offender_cues.tsv");
const ACT_CUES: &str = include_str!("../../../dictionaries/person/act_cues.txt");
const BANKRUPTCY: &str = include_str!("../../../dictionaries/person/bankruptcy_cues.txt");
const FICTION: &str = include_str!("../../../dictionaries/person/fiction_cues.txt");
const NON_OFFENDER_TITLES: &str = include_str!("../../../dictionaries/person/non_offender_titles.txt");
const PEPS_AFFILIATIONS: &str = include_str!("../../../dictionaries/person/peps_affiliations.txt");
const GENERIC_ORGANISATIONS: &str = include_str!("../../../dictionaries/person/generic_organisations.txt");
const ORGANISATION_HEADS: &str = include_str!("../../../dictionaries/person/organisation_heads.txt");
const NOT_ORGANISATIONS: &str = include_str!("../../../dictionaries/person/not_organisations.txt");
const GAP_BLOCKERS: &str = include_str!("../../../dictionaries/person/gap_blockers.txt");
/// How far before a mention (chars) a 「逮捕されたのは」-style cue may stand.
const BEFORE_WINDOW: usize = 32;

/// How far after a mention (chars) an arrest word may stand and still be about it.
const CUE_WINDOW: usize = 60;
/// How far before a name a position word may start.
const POSITION_WINDOW: usize = 24;

fn automaton<'a>(words: impl IntoIterator<Item = &'a str>) -> AhoCorasick {
    AhoCorasickBuilder::new().match_kind(MatchKind::LeftmostLongest).build(words).expect("word lists are valid")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cue {
    Arrest,
    Convicted,
    Verdict,
    Suspicion,
    Acquitted,
    /// Written before the name (「逮捕された男性、…」).
    Before,
    /// A group suffix after several names (「両被告」「の3容疑者」).
    Group,
}

/// The rule-based attribute classifier. Immutable; share one across threads.
pub struct RuleAttributes {
    /// Position words, and the longest one's length in chars.
    positions: HashSet<String>,
    longest_position: usize,
    peps: AhoCorasick,
    offences: AhoCorasick,
    cues: AhoCorasick,
    cue_kinds: Vec<Cue>,
    act_cues: Vec<String>,
    bankruptcy: AhoCorasick,
    fiction: AhoCorasick,
    non_offender_titles: HashSet<String>,
    gap_blockers: Vec<String>,
    not_organisations: Vec<String>,
    peps_affiliations: Vec<String>,
    generic_organisations: HashSet<String>,
    organisation_heads: Vec<char>,
}

impl Default for RuleAttributes {
    fn default() -> Self {
        Self::new()
    }
}

/// Per-article state.
struct Ctx<'d> {
    doc: &'d Document<'d>,
    chars: Vec<char>,
    /// Every person-like mention (with its suffix), for reading the text between a mention and a cue.
    person_extents: Vec<Span>,
    /// The first act the article names, computed once when an offender needs it.
    first_act: std::cell::OnceCell<Option<String>>,
}

impl Ctx<'_> {
    fn s(&self, span: Span) -> String {
        self.chars[span.start.min(self.chars.len())..span.end.min(self.chars.len())].iter().collect()
    }
    fn orig(&self, span: Span) -> &str {
        self.doc.text.slice(span)
    }
    /// Is char `i` inside a person-like mention? (`person_extents` is sorted.)
    fn in_person(&self, i: usize) -> bool {
        let k = self.person_extents.partition_point(|p| p.start <= i);
        k > 0 && i < self.person_extents[k - 1].end
    }
    /// Person extents that lie inside `range`.
    fn persons_within(&self, range: Span) -> &[Span] {
        let lo = self.person_extents.partition_point(|p| p.start < range.start);
        let hi = self.person_extents.partition_point(|p| p.start < range.end);
        &self.person_extents[lo..hi.max(lo)]
    }
    fn sentence(&self, pos: usize) -> Span {
        self.doc.text.sentence_at(pos).unwrap_or(Span::new(0, self.chars.len()))
    }
}

/// Full span of a mention including its suffix.
fn extent(m: &Mention) -> Span {
    Span::new(m.span.start, m.suffix.map_or(m.span.end, |s| s.end.max(m.span.end)))
}

impl RuleAttributes {
    pub fn new() -> Self {
        let mut positions: HashSet<String> = lexicon::words(POSITIONS).map(str::to_owned).collect();
        positions.extend(lexicon::pairs(SUFFIXES).filter(|(_, c)| *c == "title").map(|(w, _)| w.to_owned()));
        let longest_position = positions.iter().map(|p| p.chars().count()).max().unwrap_or(0);
        let mut cue_words = Vec::new();
        let mut cue_kinds = Vec::new();
        for (w, c) in lexicon::pairs(OFFENDER_CUES) {
            let kind = match c {
                "arrest" => Cue::Arrest,
                "convicted" => Cue::Convicted,
                "verdict" => Cue::Verdict,
                "suspicion" => Cue::Suspicion,
                "acquitted" => Cue::Acquitted,
                "before" => Cue::Before,
                "group" => Cue::Group,
                _ => continue,
            };
            cue_words.push(w);
            cue_kinds.push(kind);
        }
        RuleAttributes {
            positions,
            longest_position,
            peps: automaton(lexicon::words(PEPS)),
            offences: AhoCorasickBuilder::new()
                .match_kind(MatchKind::Standard)
                .build(lexicon::words(OFFENCES))
                .expect("word lists are valid"),
            cues: automaton(cue_words),
            cue_kinds,
            act_cues: lexicon::words(ACT_CUES).map(str::to_owned).collect(),
            bankruptcy: automaton(lexicon::words(BANKRUPTCY)),
            fiction: automaton(lexicon::words(FICTION)),
            non_offender_titles: lexicon::words(NON_OFFENDER_TITLES).map(str::to_owned).collect(),
            gap_blockers: lexicon::words(GAP_BLOCKERS).map(str::to_owned).collect(),
            not_organisations: lexicon::words(NOT_ORGANISATIONS).map(str::to_owned).collect(),
            peps_affiliations: lexicon::words(PEPS_AFFILIATIONS).map(str::to_owned).collect(),
            generic_organisations: lexicon::words(GENERIC_ORGANISATIONS).map(str::to_owned).collect(),
            organisation_heads: lexicon::words(ORGANISATION_HEADS).filter_map(|w| w.chars().next()).collect(),
        }
    }

    /// Cues (kind, char span) in a char range of the folded text.
    fn cues_in(&self, cx: &Ctx, range: Span) -> Vec<(Cue, Span)> {
        let text = cx.s(range);
        let mut out = Vec::new();
        for m in self.cues.find_iter(&text) {
            let s = range.start + text[..m.start()].chars().count();
            let e = s + text[m.start()..m.end()].chars().count();
            out.push((self.cue_kinds[m.pattern().as_usize()], Span::new(s, e)));
        }
        out
    }

    fn is_offender(&self, cx: &Ctx, ms: &[&Mention], position: Option<&str>, acquitted: bool) -> (bool, Option<usize>) {
        if acquitted {
            return (false, None);
        }
        for (i, m) in ms.iter().enumerate() {
            if m.suffix_class.is_some_and(|c| c.marks_offender()) {
                return (true, Some(i));
            }
        }
        if position.is_some_and(|p| self.non_offender_titles.contains(p)) {
            return (false, None);
        }
        for (i, m) in ms.iter().enumerate() {
            let ext = extent(m);
            let sent = cx.sentence(m.span.start);
            // After the mention: an arrest/conviction word or a group suffix,
            // with nothing in between that makes it about someone else.
            let window = Span::new(ext.end, (ext.end + CUE_WINDOW).min(sent.end).max(ext.end));
            for (kind, span) in self.cues_in(cx, window) {
                if !matches!(kind, Cue::Arrest | Cue::Convicted | Cue::Group | Cue::Before) {
                    continue;
                }
                let gap = cx.s(Span::new(ext.end, span.start));
                if self.gap_blockers.iter().any(|b| gap.contains(b.as_str())) {
                    break;
                }
                let residue = residue(cx, Span::new(ext.end, span.start));
                if kind == Cue::Group {
                    // The suffix of another person's mention (「美香容疑者」) is not a group word.
                    if cx.in_person(span.start) && !ext.contains(span) {
                        continue;
                    }
                    // 「A(58歳)、元副部長・B(51歳)両被告」「…(32歳)の3容疑者」: only
                    // group words after the last person listed before the cue.
                    let from = cx
                        .persons_within(Span::new(ext.end, span.start))
                        .iter()
                        .filter(|p| p.end <= span.start)
                        .map(|p| p.end)
                        .max()
                        .unwrap_or(ext.end);
                    if is_group_filler(&self::residue(cx, Span::new(from, span.start))) {
                        return (true, Some(i));
                    }
                    continue;
                }
                // 「秋山耿太郎氏の長男の…容疑者が逮捕」: a name that only qualifies
                // the next word is not what the arrest is about.
                if cx.chars.get(ext.end) == Some(&'の') {
                    break;
                }
                // 「…と確認、近所の47歳男を逮捕」: someone else is the object.
                if let Some(o) = residue.find('を') {
                    if !is_group_filler(&residue[..o]) {
                        break;
                    }
                }
                if m.suffix_class == Some(kiji_core::SuffixClass::Honorific) && kind == Cue::Convicted {
                    continue;
                }
                return (true, Some(i));
            }
            // Before the mention: 「逮捕されたのは…」「逮捕された男性、…」,
            // unless the mention only qualifies the next word (「諒介君の母親」).
            if cx.chars.get(ext.end) == Some(&'の') {
                continue;
            }
            let before = Span::new(m.span.start.saturating_sub(BEFORE_WINDOW).max(sent.start), m.span.start);
            for (kind, span) in self.cues_in(cx, before) {
                let gap = cx.s(Span::new(span.end, m.span.start));
                if kind == Cue::Before && !self.gap_blockers.iter().any(|b| gap.contains(b.as_str())) {
                    return (true, Some(i));
                }
            }
        }
        (false, None)
    }

    fn acquitted(&self, cx: &Ctx, ms: &[&Mention]) -> bool {
        ms.iter().any(|m| {
            let sent = cx.sentence(m.span.start);
            self.cues_in(cx, sent).iter().any(|(k, _)| *k == Cue::Acquitted)
        })
    }

    /// The age written right after a mention: 「(44)」「(44歳、…)」「・42歳」
    /// 「42歳」, or inside the bracket after it 「(…院長、47歳)」「(事件当時16歳)」.
    fn age(&self, cx: &Ctx, ms: &[&Mention]) -> Option<String> {
        let digits_at = |i: usize| {
            let mut j = i;
            while j < cx.chars.len() && cx.chars[j].is_ascii_digit() {
                j += 1;
            }
            (j > i && j - i <= 3).then_some(j)
        };
        for m in ms {
            let mut i = extent(m).end;
            // Skip a reading in brackets 「(かながわ・まさひろ)」.
            if cx.chars.get(i) == Some(&'(') {
                if let Some(close) = cx.chars[i..].iter().take(20).position(|&c| c == ')') {
                    let inner = cx.s(Span::new(i + 1, i + close));
                    if inner.chars().all(|c| chars::is_hiragana(c) || matches!(c, '・' | ' ' | '=')) && !inner.is_empty() {
                        i += close + 1;
                    }
                }
            }
            match cx.chars.get(i) {
                Some('(') => {
                    // 「(44)」「(44、」 or an age anywhere in the bracket: 「(…、47歳)」.
                    if let Some(j) = digits_at(i + 1) {
                        if matches!(cx.chars.get(j), Some(')') | Some('、') | Some(',') | Some('・') | Some('歳')) {
                            return Some(cx.s(Span::new(i + 1, j)));
                        }
                    }
                    let close = cx.chars[i..].iter().take(40).position(|&c| c == ')').map_or(i, |c| i + c);
                    for k in i + 1..close {
                        if !cx.chars[k - 1].is_ascii_digit() {
                            if let Some(j) = digits_at(k) {
                                if cx.chars.get(j) == Some(&'歳') {
                                    return Some(cx.s(Span::new(k, j)));
                                }
                            }
                        }
                    }
                }
                Some('・') | Some('、') | Some(',') => {
                    if let Some(j) = digits_at(i + 1) {
                        if cx.chars.get(j) == Some(&'歳') {
                            return Some(cx.s(Span::new(i + 1, j)));
                        }
                    }
                }
                Some(c) if c.is_ascii_digit() => {
                    if let Some(j) = digits_at(i) {
                        if cx.chars.get(j) == Some(&'歳') {
                            return Some(cx.s(Span::new(i, j)));
                        }
                    }
                }
                _ => {}
            }
        }
        None
    }

    /// 「同地検」「同病院」: the organisation named earlier in the article
    /// whose name ends with the word after 同 (「和歌山地検」「陽和病院」).
    fn resolve_same(&self, cx: &Ctx, at: usize, word: &str) -> Option<String> {
        let head: Vec<char> = word.chars().collect();
        if head.is_empty() || head.len() > 4 {
            return None;
        }
        let mut i = at;
        while i >= head.len() {
            if cx.chars[i - head.len()..i] == head[..] {
                let mut s = i - head.len();
                while s > 0 && (chars::is_kanji(cx.chars[s - 1]) || chars::is_katakana(cx.chars[s - 1])) && i - s < 16 {
                    s -= 1;
                }
                if i - s > head.len() && cx.chars[s] != '同' {
                    return Some(cx.orig(Span::new(s, i)).to_owned());
                }
            }
            i -= 1;
        }
        None
    }

    /// Longest position word ending at char `end` (exclusive).
    fn position_ending_at(&self, cx: &Ctx, end: usize) -> Option<Span> {
        // The longest position word that ends here.
        let end = end.min(cx.chars.len());
        for n in (1..=self.longest_position.min(end)).rev() {
            let start = end - n;
            let word: String = cx.chars[start..end].iter().collect();
            if self.positions.contains(&word) {
                // A former title keeps its 元/前 (「元契約社員」).
                let former = start > 0 && matches!(cx.chars[start - 1], '元' | '前') && !word.starts_with(['元', '前']);
                return Some(Span::new(if former { start - 1 } else { start }, end));
            }
        }
        None
    }

    /// The organisation written right before char `end`: back to a separator,
    /// a trailing bracketed place and quote marks removed. Only a noun phrase
    /// qualifies: a chunk that ends in kana (a verb: 「住む」「勤務していた」)
    /// is not an organisation, and leading kana are cut (「なっていた神戸市立…」).
    fn organisation_before(&self, cx: &Ctx, end: usize) -> Option<String> {
        let mut e = end;
        // Drop a bracketed place right before: 「『ライスフィールド』(大阪市東淀川区)社長」.
        if e > 0 && cx.chars[e - 1] == ')' {
            let open = cx.chars[e.saturating_sub(20)..e].iter().rposition(|&c| c == '(')? + e.saturating_sub(20);
            e = open;
        }
        let mut s = e;
        while s > 0 && e - s < 30 {
            let c = cx.chars[s - 1];
            if chars::is_hiragana(c) || matches!(c, '、' | '。' | '「' | '」' | ' ' | ',' | '・' | '(' | ')' | '\n' | '『' | ':') {
                break;
            }
            s -= 1;
        }
        let mut org = cx.orig(Span::new(s, e)).trim_matches(|c| matches!(c, '『' | '』' | '"' | '“' | '”')).trim().to_owned();
        if org.starts_with("元同") || org.starts_with("前同") {
            org = org.chars().skip(1).collect();
        }
        if let Some(rest) = org.strip_prefix('同') {
            // 「同大学ラグビー部」: the organisation the head word (大学) refers back to.
            let head: Vec<char> = rest.chars().take_while(|&c| chars::is_kanji(c)).take(4).collect();
            org = (1..=head.len()).rev().find_map(|n| self.resolve_same(cx, s, &head[..n].iter().collect::<String>()))?;
        }
        let last = org.chars().last()?;
        let bad = org.chars().count() < 2
            || org.starts_with('同')
            || self.generic_organisations.contains(&org)
            || self.not_organisations.iter().any(|w| org.ends_with(w.as_str()))
            || chars::is_hiragana(last)
            || last == '人'
            || org.chars().all(|c| c.is_ascii_digit() || c == '年' || c == '月' || c == '日');
        (!bad).then_some(org)
    }

    /// A place rather than an organisation: ends with an administrative unit,
    /// or holds one and does not end like an organisation (「仙台市太白区郡山」).
    fn is_place_like(&self, org: &str) -> bool {
        const UNITS: [char; 10] = ['市', '町', '村', '区', '県', '都', '府', '道', '国', '州'];
        org.ends_with(UNITS) || (org.contains(&UNITS[..6]) && !org.ends_with(&self.organisation_heads[..]))
    }

    /// 「河村たかし名古屋市長」「小沢一郎元民主党代表」: an organisation and a
    /// position written right after the name, up to a separator.
    fn title_after(&self, cx: &Ctx, m: &Mention) -> Option<(String, Option<String>)> {
        // 「村木厚子・元厚生労働省局長」: a middle dot may stand between.
        let start = if cx.chars.get(m.span.end) == Some(&'・') { m.span.end + 1 } else { m.span.end };
        let mut end = start;
        while end < cx.chars.len() && end - start < 14 && (chars::is_kanji(cx.chars[end]) || chars::is_katakana(cx.chars[end])) {
            end += 1;
        }
        if end == start {
            return None;
        }
        let p = self.position_ending_at(cx, end)?;
        if p.start <= start {
            return None;
        }
        let mut aff = cx.orig(Span::new(start, p.start)).to_owned();
        let mut pos = cx.orig(p).to_owned();
        for former in ['元', '前'] {
            if let Some(rest) = aff.strip_prefix(former) {
                pos.insert(0, former);
                aff = rest.to_owned();
            }
        }
        // 「名古屋市長」: the municipality keeps its 市 (position 市長, affiliation 名古屋市).
        let unit = pos.trim_start_matches(['元', '前']).chars().next();
        if let Some(u) = unit.filter(|u| matches!(u, '市' | '町' | '村' | '区')) {
            if !aff.ends_with(u) && pos.trim_start_matches(['元', '前']).chars().count() == 2 {
                aff.push(u);
            }
        }
        if aff.chars().count() < 2 {
            return None;
        }
        Some((pos, Some(aff)))
    }

    fn position_and_affiliation(&self, cx: &Ctx, ms: &[&Mention]) -> (Option<String>, Option<String>) {
        // A position written after the name: at a full-name mention first,
        // then at a surname mention (「高橋町議」) unless the full name has one before it.
        let mut ordered: Vec<&&Mention> = ms.iter().filter(|m| m.kind == MentionKind::Person).collect();
        if !ms.iter().any(|m| m.kind == MentionKind::Person && self.position_ending_at(cx, before_connector(cx, m.span.start)).is_some()) {
            ordered.extend(ms.iter().filter(|m| m.kind == MentionKind::PartialName));
        }
        for m in ordered {
            if let (Some(kiji_core::SuffixClass::Title), Some(suf)) = (m.suffix_class, m.suffix) {
                let pos = cx.orig(suf).to_owned();
                // The organisation may be written at any of the titled mentions.
                let aff = ms.iter().filter(|x| x.suffix_class == Some(kiji_core::SuffixClass::Title)).find_map(|x| {
                    let before = x.span.start;
                    (before > 0 && matches!(cx.chars[before - 1], 'の' | '・')).then(|| self.organisation_before(cx, before - 1)).flatten()
                });
                return (Some(pos), aff);
            }
        }
        for m in ms {
            if m.kind == MentionKind::Person && m.suffix.is_none() {
                if let Some((pos, aff)) = self.title_after(cx, m) {
                    return (Some(pos), aff);
                }
            }
        }
        // A position written before the name, right before it or (joined by
        // で/の) a little earlier in the clause: 「焼肉店店長で南区在住の…」.
        for m in ms {
            if m.kind != MentionKind::Person {
                continue;
            }
            if let Some(p) = self.position_ending_at(cx, before_connector(cx, m.span.start)) {
                let pos = cx.orig(p).to_owned();
                let aff = match p.start.checked_sub(1).map(|i| cx.chars[i]) {
                    // 「日本テレビのアナウンサー・炭谷宗佑」: the organisation before の,
                    // unless it is a place (「阿見町の会社員」).
                    Some('の') => self.organisation_before(cx, p.start - 1).filter(|a| !self.is_place_like(a)),
                    Some(c) if !matches!(c, '、' | '。' | ' ' | '・' | '\n' | 'で' | 'は' | 'が') => self.organisation_before(cx, p.start),
                    _ => None,
                };
                let aff = aff.filter(|a| !self.is_place_like(a) || pos.contains(['長', '議', '知']));
                return (Some(pos), aff);
            }
        }
        for m in ms {
            if m.kind != MentionKind::Person {
                continue;
            }
            let lo = m.span.start.saturating_sub(POSITION_WINDOW).max(cx.sentence(m.span.start).start);
            let mut best = None;
            for k in (lo + 1)..m.span.start {
                if matches!(cx.chars[k], 'で' | 'の') {
                    if let Some(p) = self.position_ending_at(cx, k) {
                        if p.start >= lo {
                            best = Some(p);
                        }
                    }
                }
                if matches!(cx.chars[k], '。' | '「' | '」' | '『' | '』') {
                    best = None;
                }
            }
            if let Some(p) = best {
                return (Some(cx.orig(p).to_owned()), None);
            }
        }
        // An organisation alone: 「新党大地の鈴木宗男氏」.
        for m in ms {
            if m.kind == MentionKind::Person && m.span.start > 1 && cx.chars[m.span.start - 1] == 'の' {
                if let Some(org) = self.organisation_before(cx, m.span.start - 1) {
                    if !self.is_place_like(&org) {
                        return (None, Some(org));
                    }
                }
            }
        }
        (None, None)
    }

    /// Legal names of offences in the sentences of the offender's mentions,
    /// else in the whole article (the article's case).
    fn act(&self, cx: &Ctx, ms: &[&Mention]) -> Option<String> {
        let mut sentences: Vec<Span> = ms.iter().map(|m| cx.sentence(m.span.start)).collect();
        sentences.dedup();
        let mut acts = self.acts_in(cx, &sentences);
        if acts.is_empty() {
            let first = cx.first_act.get_or_init(|| self.acts_in(cx, cx.doc.text.sentences()).into_iter().next());
            acts.extend(first.clone());
        }
        (!acts.is_empty()).then(|| acts.join(","))
    }

    /// Offence names followed by an act cue (容疑, の疑い, 罪 ...) in these
    /// sentences, in text order, de-duplicated.
    fn acts_in(&self, cx: &Ctx, sentences: &[Span]) -> Vec<String> {
        let mut acts: Vec<(usize, String)> = Vec::new();
        for &sent in sentences {
            let text = cx.s(sent);
            let mut found: Vec<(usize, usize)> = Vec::new(); // byte ranges in `text`
            for m in self.offences.find_overlapping_iter(&text) {
                found.push((m.start(), m.end()));
            }
            // 「…法違反」「…条例違反」 phrases, with an optional bracketed detail.
            for (b, _) in text.match_indices("違反") {
                let end = b + "違反".len();
                let start = text[..b]
                    .char_indices()
                    .rev()
                    .take_while(|&(_, c)| chars::is_kanji(c) || chars::is_katakana(c) || c == '・')
                    .last()
                    .map_or(b, |(i, _)| i);
                if start < b {
                    let mut e = end;
                    if text[e..].starts_with('(') {
                        if let Some(close) = text[e..].find(')') {
                            if text[e..e + close].chars().count() <= 12 {
                                e += close + 1;
                            }
                        }
                    }
                    found.push((start, e));
                }
            }
            // Overlapping pieces are one name (「覚せい剤取締法違反」 + 「剤取締法違反(所持)」).
            found.sort_unstable();
            let mut merged: Vec<(usize, usize)> = Vec::new();
            for (s, e) in found {
                match merged.last_mut() {
                    Some(last) if s < last.1 => last.1 = last.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            for (s, e) in merged {
                let rest = &text[e..];
                let cue = self.act_cues.iter().any(|c| rest.starts_with(c.as_str()))
                    || (rest.starts_with('、') || rest.starts_with('・') || rest.starts_with('と') || rest.starts_with("など") || rest.starts_with(','))
                        && self.act_cues.iter().any(|c| rest.contains(c.as_str()));
                if !cue {
                    continue;
                }
                let start = sent.start + text[..s].chars().count();
                let span = Span::new(start, start + text[s..e].chars().count());
                acts.push((span.start, cx.orig(span).to_owned()));
            }
        }
        acts.sort_by_key(|a| a.0);
        let mut names: Vec<String> = Vec::new();
        for (_, a) in &acts {
            // Once only, and not when a longer name holds it (「放火」 beside 「非現住建造物等放火」).
            if !names.contains(a) && !acts.iter().any(|(_, b)| b.len() > a.len() && b.ends_with(a.as_str())) {
                names.push(a.clone());
            }
        }
        names
    }

    fn category(&self, cx: &Ctx, ms: &[&Mention], offender: bool, position: Option<&str>, affiliation: Option<&str>) -> Category {
        if offender {
            return Category::LawViolation;
        }
        let bankrupt = ms.iter().any(|m| {
            let sent = cx.sentence(m.span.start);
            self.bankruptcy.is_match(cx.s(sent).as_str())
        });
        if bankrupt {
            return Category::Bankruptcy;
        }
        if position.is_some_and(|p| self.peps.is_match(p)) {
            return Category::Peps;
        }
        // A titled member of a party, ministry, the cabinet or the supreme court.
        if let (Some(_), Some(a)) = (position, affiliation) {
            if self.peps_affiliations.iter().any(|w| a.ends_with(w.as_str()) || (w.starts_with("最高") && a.contains(w.as_str()))) {
                return Category::Peps;
            }
        }
        Category::Other
    }

    fn is_real(&self, cx: &Ctx, ms: &[&Mention]) -> bool {
        !ms.iter().any(|m| {
            let w = Span::new(m.span.start.saturating_sub(12), (m.span.end + 12).min(cx.chars.len()));
            self.fiction.is_match(cx.s(w).as_str())
        })
    }
}

/// Where a position word before a name would end: before one connector
/// (「社長・」「無職、」「無職の」).
fn before_connector(cx: &Ctx, start: usize) -> usize {
    if start > 0 && matches!(cx.chars[start - 1], '・' | '、' | 'の' | ' ' | ',') {
        start - 1
    } else {
        start
    }
}

/// The text of `span` without other persons' mentions, bracketed asides and
/// list connectors: what is left says whether a cue after a mention is about it.
fn residue(cx: &Ctx, span: Span) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    for i in span.start..span.end.min(cx.chars.len()) {
        let c = cx.chars[i];
        match c {
            '(' => depth += 1,
            ')' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            'と' | '、' | 'や' | '・' | ',' | ' ' => {}
            _ if cx.in_person(i) => {}
            _ => out.push(c),
        }
    }
    out
}

/// Only words that gather several persons: 「ら」「ほか」「の3」「両」「計5人」.
fn is_group_filler(s: &str) -> bool {
    s.replace("ほか", "").replace("など", "").chars().all(|c| c.is_ascii_digit() || matches!(c, 'の' | '両' | 'ら' | '計' | '人' | '名' | '各'))
}

impl AttributeClassifier for RuleAttributes {
    fn classify(&self, doc: &Document, mentions: &[Mention], entities: &[PersonEntity]) -> Vec<Person> {
        let mut person_extents: Vec<Span> = mentions.iter().filter(|m| m.kind.is_person_like()).map(extent).collect();
        person_extents.sort_unstable();
        let cx = Ctx { doc, chars: doc.text.folded_chars(), person_extents, first_act: Default::default() };
        let mut persons = Vec::with_capacity(entities.len());
        for ent in entities {
            let ms: Vec<&Mention> = ent.mentions.iter().filter_map(|&i| mentions.get(i)).collect();
            if ms.is_empty() {
                continue;
            }
            let (position, affiliation) = self.position_and_affiliation(&cx, &ms);
            let acquitted = self.acquitted(&cx, &ms);
            let (offender, evidence) = self.is_offender(&cx, &ms, position.as_deref(), acquitted);
            let act = if offender { self.act(&cx, &ms) } else { None };
            let category = self.category(&cx, &ms, offender, position.as_deref(), affiliation.as_deref());
            let first_full = ms.iter().find(|m| m.kind == MentionKind::Person).unwrap_or(&ms[0]);
            let reason_at = evidence.map(|i| ms[i].span.start).unwrap_or(first_full.span.start);
            let reason = doc.text.sentence_at(reason_at).map(|s| doc.text.slice(s).to_owned());
            let spans = ms
                .iter()
                .map(|m| if m.kind == MentionKind::Person { m.span } else { extent(m) })
                .collect();
            persons.push(Person {
                name: ent.name.clone(),
                is_real: self.is_real(&cx, &ms),
                is_offender: offender,
                age: self.age(&cx, &ms),
                position,
                affiliation,
                category,
                act,
                reason,
                mentions: spans,
            });
        }
        // With one offender, every act the article names is theirs.
        let offenders: Vec<usize> = (0..persons.len()).filter(|&i| persons[i].is_offender).collect();
        if let [only] = offenders[..] {
            let all = self.acts_in(&cx, doc.text.sentences());
            if !all.is_empty() {
                persons[only].act = Some(all.join(","));
            }
        }
        persons
    }
}
