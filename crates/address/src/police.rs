//! Police and prosecution bodies: 警視庁, 〇〇県警/府警/道警 (+ 〇〇署, 課, 隊, 捜査本部),
//! 〇〇地検(特捜部), 〇〇警察署; 同県警 resolved; de-duplicated as the guideline says.
use crate::gazetteer::Gazetteer;
use crate::lexicon;
use crate::recognize::{is_kanji, is_katakana, Views};
use aho_corasick::{AhoCorasick, Input, MatchKind};
use kiji_core::{Pos, Span, Text, Token};

/// One police or prosecution body mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoliceBody {
    pub span: Span,
    /// As output: the article substring, or 「和歌山県」+「警和歌山西署」 for 「同県警和歌山西署」.
    pub text: String,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum HeadKind {
    Body,
    Pref,
    Place,
    Foreign,
}

pub(crate) struct PoliceLexicon {
    ac: AhoCorasick,
    kinds: Vec<HeadKind>,
    units: Vec<char>,
    stop: Vec<&'static str>,
    trim: Vec<&'static str>,
    countries: Vec<&'static str>,
}

impl PoliceLexicon {
    pub fn new() -> Result<Self, String> {
        let mut pats = Vec::new();
        let mut kinds = Vec::new();
        for (k, w) in lexicon::tagged(lexicon::POLICE_HEADS) {
            let kind = match k {
                "body" => HeadKind::Body,
                "pref" => HeadKind::Pref,
                "place" => HeadKind::Place,
                "foreign" => HeadKind::Foreign,
                _ => return Err(format!("police_heads.txt: unknown kind {k}")),
            };
            pats.push(w);
            kinds.push(kind);
        }
        let ac = AhoCorasick::builder().match_kind(MatchKind::LeftmostLongest).build(&pats).map_err(|e| e.to_string())?;
        let units = lexicon::words(lexicon::POLICE_UNITS).iter().filter_map(|w| w.chars().next()).collect();
        Ok(PoliceLexicon {
            ac,
            kinds,
            units,
            stop: lexicon::words(lexicon::POLICE_STOP),
            trim: lexicon::words(lexicon::POLICE_TRIM),
            countries: lexicon::words(lexicon::COUNTRIES),
        })
    }
}

/// Police ranks (「県警警部」「府警巡査部長」): written after a body or a unit, they are a
/// person's rank, no unit. (Two chars each: the unit run compares two.)
const RANKS: [&str; 3] = ["警部", "巡査", "警視"];

/// A char of a unit's name: kanji, digits, and katakana (「サイバー犯罪対策課」「ハイテク犯罪対策室」).
fn is_unit_char(c: char) -> bool {
    is_kanji(c) || c.is_ascii_digit() || is_katakana(c) || matches!(c, '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十')
}

/// Every police/prosecution body mention in text order (before de-duplication).
///
/// `tokens` (IPADIC morphemes, may be empty) place the start of a station's
/// place name: leading common nouns are not part of it (「事件名古屋地検」→
/// 名古屋地検, 「早朝多摩警察署」→ 多摩警察署) and a name the analyser reads as
/// one word is not cut (「前橋署」).
pub(crate) fn find_bodies(g: &Gazetteer, lx: &PoliceLexicon, text: &Text, v: &Views, tokens: &[Token]) -> Vec<PoliceBody> {
    let wf = &v.wf;
    let n = wf.len();
    let ws: String = wf.iter().collect();
    let mut byte_of = Vec::with_capacity(n + 1);
    let mut b = 0;
    for c in wf {
        byte_of.push(b);
        b += c.len_utf8();
    }
    byte_of.push(b);
    let char_of = |byte: usize| byte_of.partition_point(|&x| x < byte);
    let slice = |s: usize, e: usize| text.slice(Span::new(s, e.max(s))).to_string();
    let mut out: Vec<PoliceBody> = Vec::new();
    let mut last_end = 0usize;
    // Prefecture prefix written before the last pref-qualified body (for 同県警, 県警).
    let mut last_pref: Option<(String, char)> = None;
    // Matches are tried at every start (not only non-overlapping ones), so a head rejected
    // here does not hide one starting inside it (「鉄道警察隊」: 道警察 rejected, 警察隊 kept).
    let mut from_byte = 0usize;
    while let Some(m) = lx.ac.find(Input::new(&ws).range(from_byte..)) {
        from_byte = m.start() + ws[m.start()..].chars().next().map_or(1, char::len_utf8);
        let (hs, he) = (char_of(m.start()), char_of(m.end()));
        if hs < last_end {
            continue;
        }
        let kind = lx.kinds[m.pattern().as_usize()];
        let head: String = wf[hs..he].iter().collect();
        let mut start = hs;
        let mut prefix_text: Option<String> = None;
        match kind {
            HeadKind::Body => {
                // A foreign city or country written before it: 「ロンドン警視庁」, 「ロシア連邦最高検」.
                let mut k = hs;
                while k > 0 && hs - k < 3 && is_kanji(wf[k - 1]) && matches!(wf[k - 1], '連' | '邦' | '州' | '市') {
                    k -= 1;
                }
                let mut s = k;
                while s > 0 && k - s < 12 && is_katakana(wf[s - 1]) {
                    s -= 1;
                }
                if k - s >= 2 {
                    start = s;
                }
            }
            HeadKind::Pref => {
                // 大阪 + 府警, 北海 + 道警察, 同 + 県警, or bare.
                let unit = head.chars().next().unwrap_or('県');
                let mut found = false;
                for (pi, sp) in g.pref_short.iter().enumerate() {
                    let full = &g.prefs[pi];
                    if !(full.ends_with(unit) || (pi == 0 && unit == '道')) {
                        continue;
                    }
                    let stem: Vec<char> = if pi == 0 { "北海".chars().collect() } else { sp.chars().collect() };
                    let l = stem.len();
                    if hs >= l && v.vf[hs - l..hs].iter().copied().eq(stem.iter().map(|&c| g.fold(c))) {
                        start = hs - l;
                        found = true;
                        last_pref = Some((slice(start, hs + 1), unit));
                        break;
                    }
                }
                if !found {
                    if hs > 0 && wf[hs - 1] == '同' {
                        start = hs - 1;
                        match &last_pref {
                            Some((p, u)) if *u == unit => prefix_text = Some(p.clone()),
                            _ => {}
                        }
                    } else if hs > 0 && is_kanji(wf[hs - 1]) {
                        continue; // 「…県警」 inside another word we do not know
                    } else if let Some((p, u)) = &last_pref {
                        if *u == unit {
                            prefix_text = Some(p.clone());
                        }
                    }
                }
                // 「府警察官」 is an officer
                if wf.get(he) == Some(&'官') {
                    continue;
                }
            }
            HeadKind::Place | HeadKind::Foreign => {
                // A head inside a common word the analyser knows (「新部署」), or starting one
                // (「代理署名」: 署名; not 「署長」「署員」, the station's chief and staff), names no body.
                let inside_word = tokens.get(tokens.partition_point(|t| t.span.end <= hs)).is_some_and(|t| {
                    let word = (t.span.start < hs && t.span.end >= he) || (t.span.start <= hs && t.span.end > he && !matches!(wf.get(he), Some('長' | '員')));
                    word && !t.unknown && matches!(t.pos, Pos::Noun | Pos::NounSuffix | Pos::Predicate)
                });
                if inside_word {
                    continue;
                }
                // 「ロシアの検察当局」「中国の警察」: a foreign body written with の after a
                // listed country (checked below; 「日本の警察」 is no body).
                let no = kind == HeadKind::Foreign && hs > 2 && wf[hs - 1] == 'の' && (is_katakana(wf[hs - 2]) || is_kanji(wf[hs - 2])) && !(wf[hs - 3] == '日' && wf[hs - 2] == '本');
                let hs = if no { hs - 1 } else { hs };
                let mut s = hs;
                let katakana = hs > 0 && is_katakana(wf[hs - 1]);
                while s > 0 && hs - s < 8 {
                    let c = wf[s - 1];
                    let ok = if katakana { is_katakana(c) || c == '・' } else { is_kanji(c) };
                    if !ok {
                        break;
                    }
                    s -= 1;
                }
                if kind == HeadKind::Foreign {
                    let place: String = wf[s..hs].iter().collect();
                    match lx.countries.iter().find(|c| place.ends_with(**c)) {
                        Some(c) => s = hs - c.chars().count(),
                        None => {
                            // A foreign city or state in katakana, with its qualifier
                            // (「ロンドン首都警察」「オンタリオ州警察」「エクアドル警察」).
                            let mut k = hs;
                            while k > 0 && hs - k < 2 && matches!(wf[k - 1], '州' | '市' | '都' | '首') {
                                k -= 1;
                            }
                            let mut p = k;
                            while p > 0 && k - p < 12 && (is_katakana(wf[p - 1]) || (p < k && wf[p - 1] == '・')) {
                                p -= 1;
                            }
                            if k - p < 2 || no {
                                continue;
                            }
                            // 「アメリカ・ハワイ州保安局」: the country written before the state is not part of the body.
                            if let Some(dot) = wf[p..k].iter().position(|&c| c == '・') {
                                let country: String = wf[p..p + dot].iter().collect();
                                if k - (p + dot + 1) >= 2 && lx.countries.iter().any(|c| *c == country) {
                                    p += dot + 1;
                                }
                            }
                            s = p;
                        }
                    }
                } else {
                    // Trim leading 年/月/日/同 etc.: keep the run after the last such char
                    // (unless the analyser reads it as the start of a longer word: 前橋).
                    let token_at = |i: usize| tokens.get(tokens.partition_point(|t| t.span.end <= i)).filter(|t| t.span.start <= i);
                    while s < hs
                        && matches!(wf[s], '年' | '月' | '日' | '時' | '同' | '各' | '当' | '本' | '両' | '元' | '前' | '旧' | '現' | '及' | '並' | '等')
                        && token_at(s).is_none_or(|t| t.span.len() == 1 || t.span.start < s)
                    {
                        s += 1;
                    }
                    // Leading common nouns, verbs and particles are not the place
                    // (「解雇神戸地検」「断定海田署」); the last word before the head stays.
                    while let Some(t) = token_at(s) {
                        let common = matches!(t.pos, Pos::Noun | Pos::Predicate | Pos::Particle | Pos::Prefix | Pos::NounSuffix | Pos::Number | Pos::Symbol) && !t.unknown;
                        if !common || t.span.start != s || t.span.end >= hs {
                            break;
                        }
                        s = t.span.end;
                    }
                    // 「不起訴横浜地検」: the place starts after a procedure word
                    let run: Vec<char> = wf[s..hs].to_vec();
                    for w in &lx.trim {
                        let wc: Vec<char> = w.chars().collect();
                        if let Some(i) = (0..run.len().saturating_sub(wc.len() - 1)).rev().find(|&i| run[i..].starts_with(&wc)) {
                            s = s.max(hs - run.len() + i + wc.len());
                        }
                    }
                    // A place name the analyser reads as one word with kana inside
                    // (「丸の内警察署」) is not cut at its kana.
                    if let Some(t) = token_at(s).filter(|t| t.span.start < s && matches!(t.pos, Pos::Place | Pos::ProperNoun)) {
                        s = t.span.start;
                    }
                    // 「第3管区海上保安本部」: a numbered coast-guard region is its place.
                    if wf[s..hs].starts_with(&['管', '区']) {
                        let mut d = s;
                        while d > 0 && s - d < 3 && wf[d - 1].is_ascii_digit() {
                            d -= 1;
                        }
                        if d < s && d > 0 && wf[d - 1] == '第' {
                            s = d - 1;
                        }
                    }
                    let place: String = wf[s..hs].iter().collect();
                    if place.is_empty() || lx.stop.iter().any(|w| place.contains(w)) {
                        continue;
                    }
                    // the run may begin with a prefecture: 「兵庫県警」 is handled above; 「大阪府」+「警察署」 no
                    if place.ends_with('県') || place.ends_with('府') {
                        continue;
                    }
                }
                start = s;
            }
        }
        // Sub-units: 生安特捜隊, 刑事部捜査第一課, 川端署, ・新宿署, 捜査本部.
        let mut end = he;
        if kind != HeadKind::Foreign {
            loop {
                let mut j = end;
                // 「警視庁・新宿署」「長崎地検・佐世保支部」「警視庁の交通執行課」「釧路地方検察庁の帯広支部」: a unit
                // joined by ・ or の is part of the body as written.
                let joiner = wf.get(j).copied().filter(|c| matches!(c, '・' | 'の'));
                if joiner.is_some() {
                    j += 1;
                }
                let mut k = j;
                while k < n && k - j < 14 && is_unit_char(wf[k]) {
                    k += 1;
                }
                // A rank ends the unit (「泉南署交通課警部補」 → 交通課); one right after the
                // body (「県警警部」「府警巡査部長」) leaves no unit.
                if let Some(r) = (j..k).find(|&r| RANKS.iter().any(|w| w.chars().eq(wf[r..k].iter().copied().take(2)))) {
                    k = r;
                }
                // cut at the last unit suffix in the run
                let mut cut = None;
                for t in (j + 1..=k).rev() {
                    if lx.units.contains(&wf[t - 1]) {
                        cut = Some(t);
                        break;
                    }
                }
                let Some(t) = cut else { break };
                let unit: String = wf[j..t].iter().collect();
                if joiner == Some('・') && !(unit.ends_with('署') || unit.ends_with("支部")) {
                    break;
                }
                // Joined by の, a unit is a section (課) or a branch office (支部), the kinds
                // train gold writes so; other words after の (「…の捜査本部」「…の男性警部」
                // 「…の捜査関係者」) are a case's team, a rank or no unit at all.
                if joiner == Some('の') && (unit.chars().count() < 3 || !(unit.ends_with('課') || unit.ends_with("支部")) || wf.get(t).is_some_and(|c| matches!(c, '長' | '員'))) {
                    break;
                }
                // 「…警察署署長」 is the station's chief; 「鶴見警察署署員」: staff of the station.
                let repeated = unit.chars().count() == 1 && wf.get(end.wrapping_sub(1)).is_some_and(|c| unit.starts_with(*c));
                if repeated || (unit.chars().count() == 1 && wf.get(t) == Some(&'長')) {
                    break;
                }
                if unit.starts_with('幹') || unit.starts_with('全') || unit.starts_with("一部") || unit.starts_with('同') || unit.starts_with('各') {
                    break;
                }
                // 「県警本部で記者会見」「警視庁本部北側」: 本部 right after 県警/府警/警視庁 is its
                // headquarters (the building), no unit; the body stands.
                if joiner.is_none() && unit == "本部" && j > 0 && matches!(wf[j - 1], '警' | '庁') {
                    break;
                }
                // 「県警察本部長」: the chief, but the body stands
                end = t;
            }
        }
        // 「和歌山地検の庁舎1階で」: the building, not a body at work
        if (wf.get(end) == Some(&'庁') && wf.get(end + 1) == Some(&'舎')) || (wf.get(end) == Some(&'の') && wf.get(end + 1) == Some(&'庁') && wf.get(end + 2) == Some(&'舎')) {
            last_end = end;
            continue;
        }
        // 「元最高検察庁公判部長」: a former post of a person, not a body at work
        if wf.get(end) == Some(&'長') && start > 0 && matches!(wf[start - 1], '元' | '前') {
            last_end = end;
            continue;
        }
        // a bare 県警/府警 with no unit and no antecedent names nothing we can write out
        if kind == HeadKind::Pref && start == hs && prefix_text.is_none() && end == he {
            continue;
        }
        let text_out = match (&prefix_text, start < hs && wf[start] == '同') {
            (Some(p), true) => format!("{p}{}", slice(hs + 1, end)),
            (Some(p), false) if end == he => format!("{p}{}", slice(hs + 1, end)),
            (None, true) => {
                last_end = end;
                continue; // unresolved 同県警
            }
            _ => slice(start, end),
        };
        last_end = end;
        out.push(PoliceBody { span: Span::new(start, end), text: text_out });
    }
    out
}

/// Key for "the same body": width-folded, no spaces or ・, long forms shortened
/// (県警察本部 -> 県警, 警察署 -> 署, 地方検察庁 -> 地検).
pub(crate) fn same_body_key(s: &str) -> String {
    let mut k: String = s.chars().map(kiji_core::fold_char).filter(|c| !c.is_whitespace() && *c != '・').collect();
    for (a, b) in [
        ("北海道警察", "道警"),
        ("警察本部", "警"),
        ("県警察", "県警"),
        ("府警察", "府警"),
        ("道警察", "道警"),
        ("警察署", "署"),
        ("地方検察庁", "地検"),
        ("区検察庁", "区検"),
        ("高等検察庁", "高検"),
        ("最高検察庁", "最高検"),
    ] {
        k = k.replace(a, b);
    }
    k
}

fn literal_key(s: &str) -> String {
    s.chars().map(kiji_core::fold_char).filter(|c| !c.is_whitespace()).collect()
}

/// The guideline's list: order of first appearance, no duplicates, and a body dropped when a
/// more specific unit containing its name is listed (大阪地検 under 大阪地検特捜部; 長田署 =
/// 長田警察署; 西署 under 北海道警察西警察署).
pub(crate) fn dedupe(bodies: &[PoliceBody]) -> Vec<String> {
    let mut uniq: Vec<&PoliceBody> = Vec::new();
    for b in bodies {
        if !uniq.iter().any(|u| same_body_key(&u.text) == same_body_key(&b.text)) {
            uniq.push(b);
        }
    }
    let covered = |b: &PoliceBody| {
        let (lk, sk) = (literal_key(&b.text), same_body_key(&b.text));
        uniq.iter().any(|o| {
            let (olk, osk) = (literal_key(&o.text), same_body_key(&o.text));
            olk != lk && (olk.contains(&lk) || (sk.ends_with('署') && osk.ends_with(&sk) && osk != sk) || (osk.starts_with(&sk) && osk != sk))
        })
    };
    uniq.iter().filter(|b| !covered(b)).map(|b| b.text.clone()).collect()
}
