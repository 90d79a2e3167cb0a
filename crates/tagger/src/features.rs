//! Feature extraction: every char of a sentence gets exactly [`N_TEMPLATES`]
//! 64-bit feature hashes (char n-grams, char types, IPADIC morpheme
//! information). The hash function is part of the model format: change
//! anything here and bump [`FEATURE_VERSION`].
use kiji_core::{Pos, Token};

/// Version of the feature set; stored in the model file and checked at load.
pub const FEATURE_VERSION: u32 = 1;

/// Feature hashes per char.
pub const N_TEMPLATES: usize = 44;

/// Longest token (chars) whose surface becomes a feature.
const MAX_SURFACE_CHARS: usize = 6;

const BOS: u32 = 0x11_0001;
const EOS: u32 = 0x11_0002;
const NONE: u32 = 0x11_0003;
const LONG: u32 = 0x11_0004;

#[inline]
fn mix(h: u64, x: u32) -> u64 {
    (h.rotate_left(5) ^ x as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
}

#[inline]
fn finish(mut h: u64) -> u64 {
    // splitmix64 finaliser
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

#[inline]
fn feat(template: u32, parts: &[u32]) -> u64 {
    let mut h = mix(0x9e37_79b9_7f4a_7c15, template);
    for &p in parts {
        h = mix(h, p);
    }
    // 0 marks an empty slot in the model's table.
    finish(h).max(1)
}

/// Char classes used as features.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum CharType {
    Kanji = 1,
    Hiragana,
    Katakana,
    /// ー (prolonged sound mark)
    Choon,
    /// ・
    MiddleDot,
    LatinUpper,
    LatinLower,
    Digit,
    KanjiNumeral,
    Space,
    Open,
    Close,
    Symbol,
    Other,
}

pub fn char_type(c: char) -> CharType {
    match c {
        '〇' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十' | '百' | '千' | '万' | '億' => CharType::KanjiNumeral,
        '々' | '〆' | 'ヶ' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}' => CharType::Kanji,
        '\u{3041}'..='\u{309F}' => CharType::Hiragana,
        'ー' | '-' | '－' | '—' | '―' | '‐' => CharType::Choon,
        '・' | '･' | '=' | '＝' => CharType::MiddleDot,
        '\u{30A0}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' => CharType::Katakana,
        'A'..='Z' => CharType::LatinUpper,
        'a'..='z' | '\u{00C0}'..='\u{024F}' => CharType::LatinLower,
        '0'..='9' => CharType::Digit,
        c if c.is_whitespace() => CharType::Space,
        '「' | '『' | '(' | '（' | '【' | '〔' | '[' | '《' | '〈' | '“' | '"' => CharType::Open,
        '」' | '』' | ')' | '）' | '】' | '〕' | ']' | '》' | '〉' | '”' => CharType::Close,
        c if c.is_ascii_punctuation() || ('\u{3000}'..='\u{303F}').contains(&c) || ('\u{FF00}'..='\u{FFEF}').contains(&c) => {
            CharType::Symbol
        }
        _ => CharType::Other,
    }
}

#[inline]
fn norm(c: char) -> u32 {
    if c.is_ascii_digit() {
        '0' as u32
    } else {
        c as u32
    }
}

fn pos_code(p: Pos) -> u32 {
    match p {
        Pos::Surname => 1,
        Pos::GivenName => 2,
        Pos::PersonName => 3,
        Pos::Organization => 4,
        Pos::Place => 5,
        Pos::ProperNoun => 6,
        Pos::Number => 7,
        Pos::NounSuffix => 8,
        Pos::Noun => 9,
        Pos::Predicate => 10,
        Pos::Particle => 11,
        Pos::Symbol => 12,
        Pos::Prefix => 13,
        Pos::Other => 14,
    }
}

/// Per-token facts, relative to the sentence.
struct Tok {
    start: usize,
    end: usize,
    pos: u32,
    unknown: u32,
    surface: u32,
}

fn len_bucket(n: usize) -> u32 {
    n.min(6) as u32
}

/// Position of `i` in `[start, end)`: B=1, I=2, E=3, S=4.
#[inline]
fn bies(i: usize, start: usize, end: usize) -> u32 {
    if end - start == 1 {
        4
    } else if i == start {
        1
    } else if i + 1 == end {
        3
    } else {
        2
    }
}

/// Reusable buffers for [`extract`].
#[derive(Default)]
pub struct Scratch {
    c: Vec<u32>,
    t: Vec<u32>,
    toks: Vec<Tok>,
    tok_of: Vec<u32>,
    run_start: Vec<u32>,
    run_end: Vec<u32>,
    prev_tok: Vec<u32>,
    next_tok: Vec<u32>,
    bracket: Vec<u32>,
}

/// Appends `chars.len() * N_TEMPLATES` feature hashes to `out`.
///
/// `chars` is the (width-folded) sentence; `tokens` are morphemes with char
/// spans relative to the document, `base` the sentence's first char offset.
/// Tokens outside the sentence are ignored.
pub fn extract(chars: &[char], tokens: &[Token], base: usize, scratch: &mut Scratch, out: &mut Vec<u64>) {
    let n = chars.len();
    let s = scratch;
    s.c.clear();
    s.t.clear();
    s.c.extend(chars.iter().map(|&c| norm(c)));
    s.t.extend(chars.iter().map(|&c| char_type(c) as u32));
    // Runs of the same char type.
    s.run_start.clear();
    s.run_end.clear();
    s.run_start.resize(n, 0);
    s.run_end.resize(n, 0);
    let mut i = 0;
    while i < n {
        let mut j = i + 1;
        while j < n && s.t[j] == s.t[i] {
            j += 1;
        }
        for k in i..j {
            s.run_start[k] = i as u32;
            s.run_end[k] = j as u32;
        }
        i = j;
    }
    // Tokens of this sentence.
    s.toks.clear();
    s.tok_of.clear();
    s.tok_of.resize(n, u32::MAX);
    for t in tokens {
        if t.span.start < base || t.span.end > base + n || t.span.is_empty() {
            continue;
        }
        let (st, en) = (t.span.start - base, t.span.end - base);
        let surface = if en - st <= MAX_SURFACE_CHARS {
            let mut h = 0xcbf2_9ce4_8422_2325u64;
            for &c in &s.c[st..en] {
                h = mix(h, c);
            }
            (h >> 32) as u32 ^ h as u32
        } else {
            LONG
        };
        let idx = s.toks.len() as u32;
        for k in st..en {
            s.tok_of[k] = idx;
        }
        s.toks.push(Tok { start: st, end: en, pos: pos_code(t.pos), unknown: t.unknown as u32, surface });
    }

    // For chars outside every token (spaces): the nearest token on each side.
    s.prev_tok.clear();
    s.next_tok.clear();
    s.prev_tok.resize(n, u32::MAX);
    s.next_tok.resize(n, u32::MAX);
    let mut last = u32::MAX;
    for k in 0..n {
        s.prev_tok[k] = last;
        if s.tok_of[k] != u32::MAX {
            last = s.tok_of[k];
        }
    }
    let mut last = u32::MAX;
    for k in (0..n).rev() {
        s.next_tok[k] = last;
        if s.tok_of[k] != u32::MAX {
            last = s.tok_of[k];
        }
    }
    // The innermost open bracket around each char (0 = none), depth capped.
    s.bracket.clear();
    let mut stack: Vec<u32> = Vec::new();
    for &ch in chars {
        match char_type(ch) {
            CharType::Open => {
                s.bracket.push(stack.last().copied().unwrap_or(0));
                if stack.len() < 4 {
                    stack.push(ch as u32);
                }
            }
            CharType::Close => {
                stack.pop();
                s.bracket.push(stack.last().copied().unwrap_or(0));
            }
            _ => s.bracket.push(stack.last().copied().unwrap_or(0)),
        }
    }
    let c = |k: isize| -> u32 {
        if k < 0 {
            BOS
        } else if k as usize >= n {
            EOS
        } else {
            s.c[k as usize]
        }
    };
    let t = |k: isize| -> u32 {
        if k < 0 {
            BOS
        } else if k as usize >= n {
            EOS
        } else {
            s.t[k as usize]
        }
    };
    out.reserve(n * N_TEMPLATES);
    for i in 0..n {
        let ii = i as isize;
        let (cm2, cm1, c0, c1, c2) = (c(ii - 2), c(ii - 1), c(ii), c(ii + 1), c(ii + 2));
        let (tm2, tm1, t0, t1, t2) = (t(ii - 2), t(ii - 1), t(ii), t(ii + 1), t(ii + 2));
        // Token context.
        let ti = s.tok_of[i];
        let (pos0, b0, surf0, unk0, tlen) = match s.toks.get(ti as usize) {
            Some(tk) => (tk.pos, bies(i, tk.start, tk.end), tk.surface, tk.unknown, len_bucket(tk.end - tk.start)),
            None => (NONE, 0, NONE, 0, 0),
        };
        // Previous/next token: the nearest token ending before / starting after this char's token.
        let (prev, next) = if ti != u32::MAX {
            let k = ti as usize;
            (k.checked_sub(1).and_then(|j| s.toks.get(j)), s.toks.get(k + 1))
        } else {
            (s.toks.get(s.prev_tok[i] as usize), s.toks.get(s.next_tok[i] as usize))
        };
        let (ppos, psurf) = prev.map_or((BOS, BOS), |tk| (tk.pos, tk.surface));
        let (npos, nsurf) = next.map_or((EOS, EOS), |tk| (tk.pos, tk.surface));
        let prev2 = if ti != u32::MAX { (ti as usize).checked_sub(2).and_then(|j| s.toks.get(j)) } else { None };
        let next2 = if ti != u32::MAX { s.toks.get(ti as usize + 2) } else { None };
        let ppos2 = prev2.map_or(BOS, |tk| tk.pos);
        let npos2 = next2.map_or(EOS, |tk| tk.pos);
        let (rs, re) = (s.run_start[i] as usize, s.run_end[i] as usize);
        let run_b = bies(i, rs, re);
        let run_len = len_bucket(re - rs);
        // Is the char the first/last of its token (for the next/prev token features)?
        let at_end = u32::from(b0 == 3 || b0 == 4);
        let at_start = u32::from(b0 == 1 || b0 == 4);

        let f: [u64; N_TEMPLATES] = [
            feat(0, &[]),
            feat(1, &[cm2]),
            feat(2, &[cm1]),
            feat(3, &[c0]),
            feat(4, &[c1]),
            feat(5, &[c2]),
            feat(6, &[cm1, c0]),
            feat(7, &[c0, c1]),
            feat(8, &[cm2, cm1]),
            feat(9, &[c1, c2]),
            feat(10, &[cm1, c0, c1]),
            feat(11, &[cm2, cm1, c0]),
            feat(12, &[c0, c1, c2]),
            feat(13, &[cm1, c1]),
            feat(14, &[tm2]),
            feat(15, &[tm1]),
            feat(16, &[t0]),
            feat(17, &[t1]),
            feat(18, &[t2]),
            feat(19, &[tm1, t0]),
            feat(20, &[t0, t1]),
            feat(21, &[tm1, t0, t1]),
            feat(22, &[tm2, tm1, t0, t1, t2]),
            feat(23, &[pos0, b0]),
            feat(24, &[pos0, b0, c0]),
            feat(25, &[surf0, b0]),
            feat(26, &[ppos, pos0, b0]),
            feat(27, &[pos0, npos, b0]),
            feat(28, &[psurf, at_start]),
            feat(29, &[nsurf, at_end]),
            feat(30, &[unk0, pos0, t0]),
            feat(31, &[tlen, b0, pos0]),
            feat(32, &[run_b, run_len, t0]),
            feat(33, &[ppos2, ppos, pos0, npos]),
            feat(34, &[pos0, npos, npos2]),
            feat(35, &[psurf, pos0, b0]),
            feat(36, &[nsurf, pos0, b0]),
            feat(37, &[cm1, c0, pos0]),
            feat(38, &[c0, c1, pos0]),
            feat(39, &[run_b, t0, pos0, b0]),
            feat(40, &[s.bracket[i], t0]),
            feat(41, &[c(ii - 3), cm2, cm1, c0]),
            feat(42, &[c0, c1, c2, c(ii + 3)]),
            feat(43, &[s.bracket[i], c(ii - 1), t1]),
        ];
        out.extend_from_slice(&f);
    }
}
