//! The embedded gazetteer: 47 prefectures, municipalities (with 郡 and 政令市 wards) and the
//! 町丁目 lists of ../shared/data/address, compiled by `tools/build_gazetteer.py` into
//! `dictionaries/address/`.
use crate::lexicon;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind, StartKind};
use std::collections::HashMap;
use std::io::Read;

/// One municipality row (a city, town, village, designated city or designated-city ward).
#[derive(Debug, Clone)]
pub(crate) struct Muni {
    pub pref: usize,
    pub gun: String,
    pub city: String,
    pub ward: String,
    /// Index into `Gazetteer::town_lines`.
    pub towns: Option<usize>,
}

impl Muni {
    /// Canonical municipality as in the test sets: 郡 + 町村, or 市 + 区.
    pub fn canonical(&self) -> String {
        format!("{}{}{}", self.gun, self.city, self.ward)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyKind {
    Prefecture(usize),
    /// A municipality form; `form` tells which parts the key spells.
    Municipality,
    Country,
}

/// Which parts of a municipality a key spells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    City,
    GunCity,
    CityWard,
    Ward,
}

#[derive(Debug, Clone)]
pub(crate) struct Key {
    pub kind: KeyKind,
    /// (municipality, form) pairs this key can mean.
    pub munis: Vec<(usize, Form)>,
}

pub(crate) struct Gazetteer {
    pub prefs: Vec<String>,
    pub munis: Vec<Muni>,
    town_lines: Vec<String>,
    variants: HashMap<char, char>,
    /// Leftmost-longest automaton over folded keys (prefectures, municipality forms, countries).
    pub ac: AhoCorasick,
    pub keys: Vec<Key>,
    /// Prefecture names without 都/府/県 (北海道 -> 北海道), folded, for 「山口・光市」 and 大阪地検.
    pub pref_short: Vec<String>,
}

/// Is this char a kanji numeral used in 丁目 names?
pub(crate) fn is_kanji_digit(c: char) -> bool {
    matches!(c, '〇' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' | '千')
}

/// Parse a number at the start of `s`: ASCII digits or kanji numerals (up to 9999).
/// Returns (value, chars consumed).
pub(crate) fn parse_number(s: &[char]) -> Option<(u32, usize)> {
    let first = *s.first()?;
    if first.is_ascii_digit() {
        let mut v: u32 = 0;
        let mut n = 0;
        while n < s.len() && s[n].is_ascii_digit() && n < 6 {
            v = v * 10 + (s[n] as u32 - '0' as u32);
            n += 1;
        }
        return Some((v, n));
    }
    if !is_kanji_digit(first) {
        return None;
    }
    let digit = |c: char| -> Option<u32> {
        Some(match c {
            '〇' => 0,
            '一' => 1,
            '二' => 2,
            '三' => 3,
            '四' => 4,
            '五' => 5,
            '六' => 6,
            '七' => 7,
            '八' => 8,
            '九' => 9,
            _ => return None,
        })
    };
    let mut total = 0u32;
    let mut cur = 0u32;
    let mut n = 0;
    let mut positional = true; // 二〇 style
    while n < s.len() && n < 8 {
        let c = s[n];
        if let Some(d) = digit(c) {
            cur = if positional && cur > 0 { cur * 10 + d } else { d };
        } else {
            let mult = match c {
                '十' => 10,
                '百' => 100,
                '千' => 1000,
                _ => break,
            };
            positional = false;
            total += if cur == 0 { 1 } else { cur } * mult;
            cur = 0;
        }
        n += 1;
    }
    if n == 0 {
        return None;
    }
    Some((total + cur, n))
}

/// Kanji numeral for 1..=99 (丁目 numbers).
pub(crate) fn kanji_number(v: u32) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if v == 0 || v >= 100 {
        return v.to_string();
    }
    let (t, o) = (v / 10, v % 10);
    let mut s = String::new();
    if t > 1 {
        s.push_str(D[t as usize]);
    }
    if t >= 1 {
        s.push('十');
    }
    s.push_str(D[o as usize]);
    s
}

pub(crate) fn is_dash(c: char) -> bool {
    matches!(c, '-' | '－' | '−' | '‐' | '―' | 'ー' | '‑' | '–' | '—')
}

/// A town match: chars of input consumed and the canonical town name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TownMatch {
    pub consumed: usize,
    pub canonical: String,
}

impl Gazetteer {
    pub fn load() -> Result<Gazetteer, String> {
        let mut variants = HashMap::new();
        for (canon, vars) in lexicon::tagged(lexicon::VARIANTS) {
            let Some(c) = canon.chars().next() else { continue };
            for v in vars.chars() {
                variants.insert(v, c);
            }
        }
        let mut prefs: Vec<String> = Vec::new();
        let mut munis: Vec<Muni> = Vec::new();
        for line in lexicon::lines(lexicon::MUNICIPALITIES) {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 5 {
                return Err(format!("municipalities.tsv: bad line {line:?}"));
            }
            let pref = match prefs.iter().position(|p| p == f[1]) {
                Some(i) => i,
                None => {
                    prefs.push(f[1].to_string());
                    prefs.len() - 1
                }
            };
            if f[3].is_empty() {
                continue; // the prefecture row itself
            }
            munis.push(Muni {
                pref,
                gun: f[2].to_string(),
                city: f[3].to_string(),
                ward: f[4].to_string(),
                towns: None,
            });
        }
        if prefs.len() != 47 {
            return Err(format!("expected 47 prefectures, found {}", prefs.len()));
        }
        let mut g = Gazetteer {
            prefs,
            munis,
            town_lines: Vec::new(),
            variants,
            ac: AhoCorasick::new(["\u{0}"]).map_err(|e| e.to_string())?,
            keys: Vec::new(),
            pref_short: Vec::new(),
        };
        g.pref_short = g
            .prefs
            .iter()
            .map(|p| {
                let s: String = if p == "北海道" { p.clone() } else { p.chars().take(p.chars().count() - 1).collect() };
                g.fold_str(&s)
            })
            .collect();
        // Towns.
        let mut raw = String::new();
        flate2::read::GzDecoder::new(lexicon::TOWNS_GZ)
            .read_to_string(&mut raw)
            .map_err(|e| format!("towns.tsv.gz: {e}"))?;
        let mut by_name: HashMap<(usize, String), usize> = HashMap::new();
        for (i, m) in g.munis.iter().enumerate() {
            by_name.insert((m.pref, g.fold_str(&m.canonical())), i);
        }
        for line in raw.lines() {
            let mut it = line.splitn(3, '\t');
            let (Some(p), Some(c), Some(list)) = (it.next(), it.next(), it.next()) else { continue };
            let Some(pi) = g.prefs.iter().position(|x| x == p) else { continue };
            if let Some(&mi) = by_name.get(&(pi, g.fold_str(c))) {
                g.munis[mi].towns = Some(g.town_lines.len());
                g.town_lines.push(list.to_string());
            }
        }
        // Keys.
        let mut key_index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut keys: Vec<Key> = Vec::new();
        let mut add = |pat: String, kind: KeyKind, m: Option<(usize, Form)>| {
            if pat.is_empty() {
                return;
            }
            let idx = *key_index.entry(pat.clone()).or_insert_with(|| {
                patterns.push(pat);
                keys.push(Key { kind, munis: Vec::new() });
                keys.len() - 1
            });
            if let Some(m) = m {
                if !keys[idx].munis.contains(&m) {
                    keys[idx].munis.push(m);
                }
            }
        };
        for (i, p) in g.prefs.iter().enumerate() {
            add(g.fold_str(p), KeyKind::Prefecture(i), None);
        }
        for (i, m) in g.munis.iter().enumerate() {
            if m.ward.is_empty() {
                add(g.fold_str(&m.city), KeyKind::Municipality, Some((i, Form::City)));
                if !m.gun.is_empty() {
                    add(g.fold_str(&format!("{}{}", m.gun, m.city)), KeyKind::Municipality, Some((i, Form::GunCity)));
                }
            } else {
                add(g.fold_str(&format!("{}{}", m.city, m.ward)), KeyKind::Municipality, Some((i, Form::CityWard)));
                add(g.fold_str(&m.ward), KeyKind::Municipality, Some((i, Form::Ward)));
            }
        }
        for c in lexicon::words(lexicon::COUNTRIES) {
            add(g.fold_str(c), KeyKind::Country, None);
        }
        g.ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::LeftmostLongest)
            .start_kind(StartKind::Both)
            .build(&patterns)
            .map_err(|e| e.to_string())?;
        g.keys = keys;
        Ok(g)
    }

    /// Fold one char for matching: width folding, then 旧字/異体字/ヶケが/ノの之 variants.
    pub fn fold(&self, c: char) -> char {
        let c = kiji_core::fold_char(c);
        *self.variants.get(&c).unwrap_or(&c)
    }

    pub fn fold_str(&self, s: &str) -> String {
        s.chars().map(|c| self.fold(c)).collect()
    }

    /// Entries of a municipality's town list (canonical spelling; `X#一,二` = X一丁目, X二丁目).
    pub fn town_entries(&self, muni: usize) -> impl Iterator<Item = &str> {
        self.munis
            .get(muni)
            .and_then(|m| m.towns)
            .and_then(|i| self.town_lines.get(i))
            .map(|s| s.as_str())
            .unwrap_or("")
            .split('|')
            .filter(|s| !s.is_empty())
    }

    /// Match `entry` (canonical chars) against folded `input` from its start, number-aware
    /// (「北三条西」 matches 「北3条西」). Returns chars of input consumed.
    fn match_chars(&self, entry: &[char], input: &[char]) -> Option<usize> {
        let (mut i, mut j) = (0usize, 0usize);
        while i < entry.len() {
            let e = entry[i];
            let x = *input.get(j)?;
            if is_kanji_digit(e) && x.is_ascii_digit() {
                let (ve, ne) = parse_number(&entry[i..])?;
                let (vx, nx) = parse_number(&input[j..])?;
                if ve != vx {
                    return None;
                }
                i += ne;
                j += nx;
                continue;
            }
            if self.fold(e) != x {
                return None;
            }
            i += 1;
            j += 1;
        }
        Some(j)
    }

    /// Length of the common prefix of `entry` and `input` (plain char comparison after folding).
    fn common_prefix(&self, entry: &[char], input: &[char]) -> usize {
        entry.iter().zip(input).take_while(|(e, x)| self.fold(**e) == **x).count()
    }

    /// The longest town of `muni` spelled at the start of `input` (folded chars), allowing an
    /// omitted 大字/字 and Arabic or kanji 丁目 numbers, and the 住居表示 short form 「平田1-8-20」.
    pub fn match_town(&self, muni: usize, input: &[char]) -> Option<TownMatch> {
        let mut best: Option<TownMatch> = None;
        let input_skip = if input.starts_with(&['大', '字']) {
            2
        } else if input.first() == Some(&'字') {
            1
        } else {
            0
        };
        for entry in self.town_entries(muni) {
            let (base, nums) = match entry.split_once('#') {
                Some((b, n)) => (b, Some(n)),
                None => (entry, None),
            };
            let bc: Vec<char> = base.chars().collect();
            let mut starts: Vec<usize> = vec![0];
            if bc.starts_with(&['大', '字']) {
                starts.push(2);
            } else if bc.first() == Some(&'字') {
                starts.push(1);
            }
            for &s in &starts {
                for &skip in &[0usize, input_skip] {
                    if skip > 0 && s > 0 {
                        continue;
                    }
                    let inp = &input[skip.min(input.len())..];
                    let Some(k) = self.match_chars(&bc[s..], inp) else { continue };
                    let cand = match nums {
                        None => Some(TownMatch { consumed: skip + k, canonical: base.to_string() }),
                        Some(nums) => {
                            let rest = &inp[k..];
                            parse_number(rest).and_then(|(v, l)| {
                                let ok = nums.split(',').any(|n| {
                                    let nc: Vec<char> = n.chars().collect();
                                    parse_number(&nc).map(|(x, _)| x) == Some(v)
                                });
                                if !ok {
                                    return None;
                                }
                                let after = &rest[l..];
                                let extra = if after.starts_with(&['丁', '目']) {
                                    2
                                } else if after.first().is_some_and(|&c| is_dash(c))
                                    && after.get(1).is_some_and(|c| c.is_ascii_digit() || is_kanji_digit(*c))
                                {
                                    1
                                } else if after.is_empty() && rest.first().is_some_and(|c| is_kanji_digit(*c)) {
                                    0
                                } else {
                                    return None;
                                };
                                Some(TownMatch {
                                    consumed: skip + k + l + extra,
                                    canonical: format!("{base}{}丁目", kanji_number(v)),
                                })
                            })
                        }
                    };
                    if let Some(c) = cand {
                        if best.as_ref().is_none_or(|b| c.consumed > b.consumed) {
                            best = Some(c);
                        }
                    }
                }
            }
        }
        best
    }

    /// The longest prefix of `input` that starts a town name of `muni` (for 「西宮市苦楽園在住」,
    /// where the article gives only the start of 苦楽園一番町). Counts chars of input.
    pub fn town_prefix(&self, muni: usize, input: &[char]) -> usize {
        let mut best = 0;
        for entry in self.town_entries(muni) {
            let base = entry.split('#').next().unwrap_or("");
            let bc: Vec<char> = base.chars().collect();
            let mut n = self.common_prefix(&bc, input);
            if n == 0 {
                if let Some(rest) = bc.strip_prefix(&['大', '字']).or_else(|| bc.strip_prefix(&['字'])) {
                    n = self.common_prefix(rest, input);
                }
            }
            best = best.max(n);
        }
        best
    }
}
