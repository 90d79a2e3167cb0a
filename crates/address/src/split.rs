//! Splitting one address string into prefecture / municipality / town / rest.
use crate::gazetteer::{Form, Gazetteer, KeyKind};
use aho_corasick::{Anchored, Input};

/// An address split into its administrative parts. `prefecture`, `municipality` and `town` are
/// the gazetteer's canonical spellings (「龍ヶ崎市」 for 「竜ケ崎市」, 「与謝郡伊根町」 for 「伊根町」,
/// 「平田一丁目」 for 「平田1-」); `rest` is what follows the town in the input, as written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Split {
    pub prefecture: String,
    pub municipality: String,
    pub town: String,
    pub rest: String,
}

fn is_variation_selector(c: char) -> bool {
    matches!(c as u32, 0xFE00..=0xFE0F | 0xE0100..=0xE01EF)
}

pub(crate) fn split_with(g: &Gazetteer, addr: &str) -> Split {
    let orig: Vec<char> = addr.chars().filter(|c| !is_variation_selector(*c) && !c.is_whitespace()).collect();
    let folded: Vec<char> = orig.iter().map(|&c| g.fold(c)).collect();
    let fs: String = folded.iter().collect();
    // char index -> byte offset in fs
    let mut byte_of: Vec<usize> = Vec::with_capacity(folded.len() + 1);
    let mut b = 0;
    for c in &folded {
        byte_of.push(b);
        b += c.len_utf8();
    }
    byte_of.push(b);
    let char_of = |byte: usize| byte_of.partition_point(|&x| x < byte);
    let anchored = |pos: usize| -> Option<(usize, usize)> {
        let input = Input::new(&fs).range(byte_of[pos]..).anchored(Anchored::Yes);
        g.ac.find(input).map(|m| (m.pattern().as_usize(), char_of(m.end())))
    };
    let mut out = Split::default();
    let mut pos = 0;
    let mut pref: Option<usize> = None;
    if let Some((k, end)) = anchored(0) {
        if let KeyKind::Prefecture(p) = g.keys[k].kind {
            pref = Some(p);
            pos = end;
        }
    }
    // 「岩手花巻市」: a prefecture written without 県, when a municipality of it follows.
    if pref.is_none() {
        for (pi, sp) in g.pref_short.iter().enumerate() {
            let l = sp.chars().count();
            if folded.len() > l && folded[..l].iter().copied().eq(sp.chars()) {
                if let Some((k, _)) = anchored(l) {
                    if g.keys[k].munis.iter().any(|(m, _)| g.munis[*m].pref == pi) {
                        pref = Some(pi);
                        pos = l;
                        break;
                    }
                }
            }
        }
    }
    // Municipality: the longest key at pos that names a municipality of this prefecture.
    let mut muni: Option<usize> = None;
    if let Some((k, end)) = anchored(pos) {
        let key = &g.keys[k];
        if key.kind == KeyKind::Municipality {
            let rest = &folded[end.min(folded.len())..];
            let pick = key
                .munis
                .iter()
                .filter(|(m, _)| pref.is_none_or(|p| g.munis[*m].pref == p))
                .min_by_key(|(m, f)| (pref.is_none() && g.match_town(*m, rest).is_none(), *f == Form::Ward && !g.munis[*m].city.ends_with('区'), *m))
                .map(|(m, _)| *m);
            if let Some(m) = pick {
                muni = Some(m);
                pos = end;
            }
        }
    }
    if muni.is_none() && pref.is_some() {
        // 「大阪府大阪市」 style keys may be shadowed by a longer non-municipality key; try shorter.
        for len in (2..=8usize).rev() {
            if pos + len > folded.len() {
                continue;
            }
            let s: String = folded[pos..pos + len].iter().collect();
            if let Some(m) = g.munis.iter().position(|m| {
                Some(m.pref) == pref && m.ward.is_empty() && (g.fold_str(&m.city) == s || g.fold_str(&format!("{}{}", m.gun, m.city)) == s)
            }) {
                muni = Some(m);
                pos += len;
                break;
            }
        }
    }
    if let Some(m) = muni {
        let mm = &g.munis[m];
        // A designated city followed by one of its wards.
        let mut m = m;
        if mm.ward.is_empty() {
            if let Some((k, end)) = anchored(pos) {
                if let Some(&(w, _)) = g.keys[k].munis.iter().find(|(w, f)| *f == Form::Ward && g.munis[*w].city == mm.city && g.munis[*w].pref == mm.pref) {
                    m = w;
                    pos = end;
                }
            }
        }
        let mm = &g.munis[m];
        if pref.is_none() {
            pref = Some(mm.pref);
        }
        out.municipality = mm.canonical();
        if let Some(t) = g.match_town(m, &folded[pos..]) {
            out.town = t.canonical;
            pos += t.consumed;
        }
    }
    if let Some(p) = pref {
        out.prefecture = g.prefs[p].clone();
    }
    out.rest = orig[pos.min(orig.len())..].iter().collect();
    out
}
