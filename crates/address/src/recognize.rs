//! The address-span recogniser: prefecture? + municipality + (town, 丁目, 番地, 号)?, bare
//! prefectures, municipalities and foreign countries, and 同市/同県/同区/同町 back-references.
use crate::gazetteer::{is_dash, is_kanji_digit, parse_number, Form, Gazetteer, KeyKind};
use crate::lexicon;
use aho_corasick::{Anchored, Input};
use kiji_core::{Span, Text};

/// The finest administrative unit an address span names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Country,
    Prefecture,
    Municipality,
    Town,
}

/// An address found in the article.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddressSpan {
    /// Char span in the article (for a 同-reference: the 「同市…」 text itself).
    pub span: Span,
    /// The address as output: the article substring, or for a 同-reference the unit it names
    /// (as written earlier) followed by what is written after 「同市」.
    pub text: String,
    pub level: Level,
    /// Canonical prefecture, when known.
    pub prefecture: Option<String>,
    /// Canonical municipality (郡+町村 or 市+区), when known.
    pub municipality: Option<String>,
    /// A resolved 同市/同県/同区/同町 reference.
    pub resolved: bool,
    /// Followed by 立/長/議/警/役所…: names an office or institution rather than a place.
    pub attributive: bool,
    pub(crate) pref_text: Option<String>,
    pub(crate) city_text: Option<String>,
    pub(crate) ward_text: Option<String>,
    pub(crate) muni: Option<usize>,
}

impl AddressSpan {
    /// A span of `level` with nothing resolved or attached yet.
    fn bare(span: Span, text: String, level: Level) -> Self {
        AddressSpan {
            span,
            text,
            level,
            prefecture: None,
            municipality: None,
            resolved: false,
            attributive: false,
            pref_text: None,
            city_text: None,
            ward_text: None,
            muni: None,
        }
    }
}

pub(crate) struct Views {
    /// Width-folded chars (1:1 with the article).
    pub wf: Vec<char>,
    /// Width- and variant-folded chars.
    pub vf: Vec<char>,
    pub vs: String,
    pub byte_of: Vec<usize>,
}

impl Views {
    pub fn new(g: &Gazetteer, text: &Text) -> Views {
        let wf = text.folded_chars();
        let vf: Vec<char> = wf.iter().map(|&c| g.fold(c)).collect();
        let vs: String = vf.iter().collect();
        let mut byte_of = Vec::with_capacity(vf.len() + 1);
        let mut b = 0;
        for c in &vf {
            byte_of.push(b);
            b += c.len_utf8();
        }
        byte_of.push(b);
        Views { wf, vf, vs, byte_of }
    }
    pub fn char_of(&self, byte: usize) -> usize {
        self.byte_of.partition_point(|&x| x < byte)
    }
    pub fn starts_with(&self, pos: usize, w: &str) -> bool {
        w.chars().enumerate().all(|(k, c)| self.wf.get(pos + k) == Some(&c))
    }
    pub fn ends_with_at(&self, end: usize, w: &str) -> bool {
        let n = w.chars().count();
        end >= n && self.starts_with(end - n, w)
    }
}

pub(crate) fn is_kanji(c: char) -> bool {
    matches!(c as u32, 0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF) || c == '々' || c == 'ヶ' || c == 'ケ'
}
pub(crate) fn is_katakana(c: char) -> bool {
    matches!(c as u32, 0x30A1..=0x30FA) || c == 'ー'
}

/// Chars that end a place name (a town cannot start with them, and a partial town must be
/// followed by one).
fn is_boundary(c: Option<char>) -> bool {
    match c {
        None => true,
        Some(c) => {
            matches!(
                c,
                'の' | 'に' | 'で' | 'を' | 'が' | 'は' | 'へ' | 'と' | 'や' | 'も' | '在' | '内' | '、' | '。' | ',' | '(' | ')' | '「' | '」' | '『' | '』' | '・' | ' ' | '\n' | '付' | '周' | '近' | '一' | '全' | '方' | '出'
            ) || c.is_ascii_punctuation()
        }
    }
}

pub(crate) fn find_with(g: &Gazetteer, text: &Text) -> Vec<AddressSpan> {
    let v = Views::new(g, text);
    find_in_views(g, text, &v)
}

struct Hit {
    start: usize,
    end: usize,
    key: Option<usize>,
    /// 同X reference: the unit char (市/区/町/村/県/府/道/都)
    same: Option<char>,
}

pub(crate) fn find_in_views(g: &Gazetteer, text: &Text, v: &Views) -> Vec<AddressSpan> {
    let n = v.wf.len();
    let attributive_words = lexicon::words(lexicon::ATTRIBUTIVE);
    let mut hits: Vec<Hit> = g
        .ac
        .find_iter(&v.vs)
        .map(|m| Hit { start: v.char_of(m.start()), end: v.char_of(m.end()), key: Some(m.pattern().as_usize()), same: None })
        .collect();
    for i in 0..n.saturating_sub(1) {
        if v.wf[i] == '同' && matches!(v.wf[i + 1], '市' | '区' | '町' | '村' | '県' | '府' | '道' | '都') {
            hits.push(Hit { start: i, end: i + 2, key: None, same: Some(v.wf[i + 1]) });
        }
    }
    hits.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let anchored_key = |pos: usize| -> Option<(usize, usize)> {
        if pos >= n {
            return None;
        }
        let input = Input::new(&v.vs).range(v.byte_of[pos]..).anchored(Anchored::Yes);
        g.ac.find(input).map(|m| (m.pattern().as_usize(), v.char_of(m.end())))
    };
    let slice = |s: usize, e: usize| text.slice(Span::new(s, e.max(s))).to_string();
    let mut out: Vec<AddressSpan> = Vec::new();
    let mut last_end = 0usize;
    let mut idx = 0;
    while idx < hits.len() {
        let h = &hits[idx];
        idx += 1;
        if h.start < last_end {
            continue;
        }
        let (start, mut end) = (h.start, h.end);
        let mut a = AddressSpan::bare(Span::new(start, end), String::new(), Level::Municipality);
        let mut resolved_prefix: Option<String> = None;
        let mut muni_end: Option<usize> = None;
        let mut pref_idx: Option<usize> = None;
        if let Some(unit) = h.same {
            // 同X: the last compatible unit named before.
            let found = out.iter().rev().find_map(|p: &AddressSpan| match unit {
                '市' => p.city_text.as_ref().filter(|c| c.ends_with('市')).map(|c| (c.clone(), p.muni.map(|m| city_row(g, m)), p.prefecture.clone())),
                '区' => p.ward_text.as_ref().map(|c| (c.clone(), p.muni, p.prefecture.clone())),
                '町' | '村' => p.city_text.as_ref().filter(|c| c.ends_with(unit)).map(|c| (c.clone(), p.muni, p.prefecture.clone())),
                _ => p.pref_text.as_ref().filter(|c| c.ends_with(unit)).map(|c| (c.clone(), None, p.prefecture.clone())),
            });
            let Some((base, muni, pref)) = found else { continue };
            a.resolved = true;
            a.prefecture = pref;
            match unit {
                '県' | '府' | '道' | '都' => {
                    a.level = Level::Prefecture;
                    a.pref_text = Some(base.clone());
                    // 同県X市
                    if let Some((k, e2)) = anchored_key(end) {
                        if g.keys[k].kind == KeyKind::Municipality {
                            let pi = g.prefs.iter().position(|p| Some(p) == a.prefecture.as_ref());
                            if let Some(&(m, f)) = g.keys[k].munis.iter().find(|(m, _)| pi.is_none_or(|p| g.munis[*m].pref == p)) {
                                set_muni(g, &mut a, m, f, &slice(end, e2));
                                end = e2;
                                muni_end = Some(end);
                            }
                        }
                    }
                }
                _ => {
                    a.muni = muni;
                    a.level = Level::Municipality;
                    if unit == '区' {
                        a.ward_text = Some(base.clone());
                    } else {
                        a.city_text = Some(base.clone());
                    }
                    if let Some(m) = muni {
                        a.municipality = Some(g.munis[m].canonical());
                        // 同市北区
                        if unit == '市' {
                            if let Some((k, e2)) = anchored_key(end) {
                                if let Some(&(w, _)) = g.keys[k].munis.iter().find(|(w, f)| {
                                    *f == Form::Ward && g.munis[*w].city == g.munis[m].city && g.munis[*w].pref == g.munis[m].pref
                                }) {
                                    a.muni = Some(w);
                                    a.municipality = Some(g.munis[w].canonical());
                                    a.ward_text = Some(format!("{base}{}", slice(end, e2)));
                                    end = e2;
                                }
                            }
                        }
                    }
                    muni_end = Some(end);
                }
            }
            resolved_prefix = Some(base);
        } else {
            let Some(k) = h.key else { continue };
            let key = &g.keys[k];
            match key.kind {
                KeyKind::Country => {
                    let first = v.wf[start];
                    let prev = start.checked_sub(1).map(|i| v.wf[i]);
                    let next = v.wf.get(end).copied();
                    if is_katakana(first) {
                        if prev.is_some_and(is_katakana) || next.is_some_and(is_katakana) {
                            continue;
                        }
                    } else if next.is_some_and(|c| is_kanji(c) && c != '領') || prev.is_some_and(is_kanji) {
                        continue;
                    }
                    a.level = Level::Country;
                    // アメリカ領グァム島
                    if next == Some('領') {
                        let mut j = end + 1;
                        while j < n && is_katakana(v.wf[j]) {
                            j += 1;
                        }
                        if j > end + 1 && j < n && v.wf[j] == '島' {
                            end = j + 1;
                        } else if j + 1 < n && j > end + 1 && v.wf[j] == '諸' && v.wf[j + 1] == '島' {
                            end = j + 2;
                        }
                    }
                }
                KeyKind::Prefecture(p) => {
                    a.level = Level::Prefecture;
                    a.prefecture = Some(g.prefs[p].clone());
                    a.pref_text = Some(slice(start, end));
                    pref_idx = Some(p);
                    if let Some((k2, e2)) = anchored_key(end) {
                        if g.keys[k2].kind == KeyKind::Municipality {
                            if let Some(&(m, f)) = g.keys[k2].munis.iter().find(|(m, _)| g.munis[*m].pref == p) {
                                set_muni(g, &mut a, m, f, &slice(end, e2));
                                end = e2;
                                muni_end = Some(end);
                            }
                        }
                    }
                }
                KeyKind::Municipality => {
                    let prev = start.checked_sub(1).map(|i| v.wf[i]);
                    let mut s2 = start;
                    // 「山口・光市」: short prefecture + ・ + municipality.
                    let mut short_pref: Option<usize> = None;
                    if prev == Some('・') {
                        for (pi, sp) in g.pref_short.iter().enumerate() {
                            let l = sp.chars().count();
                            if start > l && v.vf[start - 1 - l..start - 1].iter().copied().eq(sp.chars())
                                && key.munis.iter().any(|(m, _)| g.munis[*m].pref == pi)
                                && (start - 1 - l == 0 || !is_kanji(v.wf[start - 2 - l]))
                            {
                                short_pref = Some(pi);
                                s2 = start - 1 - l;
                            }
                        }
                    }
                    if short_pref.is_none() && prev.is_some_and(|c| is_kanji(c) && !matches!(c, '旧' | '元' | '現')) {
                        continue;
                    }
                    // Pick the municipality: same prefecture as the short prefix, else a ward of the
                    // last city named, else the prefecture named last, else the first.
                    let last_city = out.iter().rev().find_map(|p| p.muni.map(|m| (g.munis[m].pref, g.munis[m].city.clone())));
                    let last_pref = out.iter().rev().find_map(|p| p.prefecture.clone());
                    let pick = key
                        .munis
                        .iter()
                        .max_by_key(|(m, f)| {
                            let mm = &g.munis[*m];
                            (
                                Some(mm.pref) == short_pref,
                                *f == Form::Ward && last_city.as_ref().is_some_and(|(p, c)| *p == mm.pref && *c == mm.city),
                                last_pref.as_deref() == Some(g.prefs[mm.pref].as_str()),
                                *f != Form::Ward || mm.city.ends_with('区'),
                                std::cmp::Reverse(*m),
                            )
                        })
                        .copied();
                    let Some((m, f)) = pick else { continue };
                    if let Some(pi) = short_pref {
                        a.prefecture = Some(g.prefs[pi].clone());
                    }
                    a.span.start = s2;
                    set_muni(g, &mut a, m, f, &slice(start, end));
                    muni_end = Some(end);
                }
            }
        }
        // Town, 丁目, 番地, 号 after the municipality.
        if let (Some(me), Some(m)) = (muni_end, a.muni) {
            let window_end = (me + 24).min(n);
            let first = v.wf.get(me).copied();
            // 「一番町」: a town may start with 一 (a boundary char for 「市一帯」) when a
            // whole town name of at least three chars is spelled there.
            let one_town = first == Some('一') && g.town_prefix(m, &v.vf[me..window_end]) >= 3;
            if (one_town || !is_boundary(first)) && first.is_some_and(|c| c != 'ノ' && c != 'ケ') {
                let inp = &v.vf[me..window_end];
                let valid = |x: usize| {
                    let c = v.wf.get(me + x).copied();
                    is_boundary(c) || c.is_some_and(|c| c.is_ascii_digit() || is_kanji_digit(c)) || v.starts_with(me + x, "在住")
                };
                let mut best = 0usize;
                if let Some(t) = g.match_town(m, inp) {
                    let mut c = t.consumed;
                    // a 住居表示 dash consumed by the matcher is not part of the written town
                    if c > 0 && is_dash(v.wf[me + c - 1]) {
                        c -= 1;
                    }
                    if t.canonical.ends_with("丁目") || valid(c) {
                        best = c;
                    }
                }
                let attributive_here = attributive_words.iter().any(|w| v.starts_with(me, w));
                {
                    let p = g.town_prefix(m, inp);
                    if p >= if attributive_here { 3 } else { 2 } && p > best && valid(p) {
                        best = p;
                    }
                }
                if best > 0 {
                    end = me + best;
                    a.level = Level::Town;
                }
            }
            if a.level == Level::Town || end == me {
                end = numbers_after(&v.wf, end);
                if end > me && a.level != Level::Town {
                    a.level = Level::Town;
                }
            }
        }
        let _ = pref_idx;
        a.span.end = end;
        a.attributive = attributive_words.iter().any(|w| v.starts_with(end, w));
        a.text = match &resolved_prefix {
            Some(base) => format!("{base}{}", slice(start + 2, end)),
            None => slice(a.span.start, end),
        };
        last_end = end;
        out.push(a);
    }
    // Foreign 「コネチカット州ニュータウン」: katakana + 州 + katakana.
    let mut i = 0;
    while i < n {
        if v.wf[i] == '州' && i > 1 && is_katakana(v.wf[i - 1]) {
            let mut s = i;
            while s > 0 && is_katakana(v.wf[s - 1]) {
                s -= 1;
            }
            let mut e = i + 1;
            while e < n && is_katakana(v.wf[e]) {
                e += 1;
            }
            if i - s >= 2 && !out.iter().any(|a| a.span.overlaps(Span::new(s, e))) {
                out.push(AddressSpan::bare(Span::new(s, e), slice(s, e), Level::Country));
            }
            i = e;
        } else {
            i += 1;
        }
    }
    out.sort_by_key(|a| a.span.start);
    out
}

/// The designated-city row of a ward (or the row itself).
fn city_row(g: &Gazetteer, m: usize) -> usize {
    let mm = &g.munis[m];
    if mm.ward.is_empty() {
        return m;
    }
    g.munis.iter().position(|x| x.pref == mm.pref && x.city == mm.city && x.ward.is_empty()).unwrap_or(m)
}

fn set_muni(g: &Gazetteer, a: &mut AddressSpan, m: usize, f: Form, written: &str) {
    let mm = &g.munis[m];
    a.muni = Some(m);
    a.level = Level::Municipality;
    a.municipality = Some(mm.canonical());
    a.prefecture = Some(g.prefs[mm.pref].clone());
    let city_len = mm.city.chars().count();
    let wc: Vec<char> = written.chars().collect();
    match f {
        Form::City => {
            a.city_text = Some(written.to_string());
            if mm.city.ends_with('区') {
                a.ward_text = Some(written.to_string());
            }
        }
        Form::GunCity => a.city_text = Some(wc[wc.len().saturating_sub(city_len)..].iter().collect()),
        Form::CityWard => {
            a.city_text = Some(wc[..city_len.min(wc.len())].iter().collect());
            a.ward_text = Some(written.to_string());
        }
        Form::Ward => a.ward_text = Some(written.to_string()),
    }
}

/// 「1丁目」「3番地」「5番2号」「1-2-3」 after a town.
fn numbers_after(wf: &[char], mut end: usize) -> usize {
    while let Some((_, l)) = parse_number(&wf[end.min(wf.len())..]) {
        let after = end + l;
        let w = |i: usize| wf.get(i).copied();
        if (w(after) == Some('丁') && w(after + 1) == Some('目')) || (w(after) == Some('番') && w(after + 1) == Some('地')) {
            end = after + 2;
        } else if matches!(w(after), Some('番') | Some('号')) && !w(after + 1).is_some_and(|c| is_kanji(c) && !is_kanji_digit(c)) {
            // 「3番」「5号」, not 「一番町」
            end = after + 1;
        } else if w(after).is_some_and(is_dash) && w(after + 1).is_some_and(|c| c.is_ascii_digit() || is_kanji_digit(c)) {
            end = after + 1;
            // the last number of 1-2-3
            if let Some((_, l2)) = parse_number(&wf[end..]) {
                if !w(end + l2).is_some_and(is_dash) {
                    end += l2;
                    break;
                }
            }
        } else {
            break;
        }
    }
    end
}
