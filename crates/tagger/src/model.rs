//! The tag set, constrained Viterbi decoding, and the compact model
//! (sparse i16 weights per feature, gzip-compressed on disk).
use crate::features::{self, Scratch, FEATURE_VERSION, N_TEMPLATES};
use kiji_core::{Error, ErrorKind, Result, Token};
use std::io::{Read, Write};

/// The eight Stockmark NER types, in tag order.
pub const LABELS: [&str; 8] = ["人名", "法人名", "政治的組織名", "その他の組織名", "地名", "施設名", "製品名", "イベント名"];

/// Number of types.
pub const N_TYPES: usize = LABELS.len();
/// BIOES: O plus B/I/E/S per type.
pub const N_TAGS: usize = 1 + 4 * N_TYPES;

/// Tag 0 is O; type `k` has B = 1+4k, I = 2+4k, E = 3+4k, S = 4+4k.
pub const O: u8 = 0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    O,
    B,
    I,
    E,
    S,
}

/// (part, type index) of a tag.
#[inline]
pub fn tag_parts(tag: u8) -> (Part, usize) {
    if tag == 0 {
        return (Part::O, 0);
    }
    let k = (tag as usize - 1) / 4;
    let p = match (tag - 1) % 4 {
        0 => Part::B,
        1 => Part::I,
        2 => Part::E,
        _ => Part::S,
    };
    (p, k)
}

#[inline]
pub fn make_tag(part: Part, ty: usize) -> u8 {
    match part {
        Part::O => 0,
        Part::B => (1 + 4 * ty) as u8,
        Part::I => (2 + 4 * ty) as u8,
        Part::E => (3 + 4 * ty) as u8,
        Part::S => (4 + 4 * ty) as u8,
    }
}

/// May `cur` follow `prev`? (`None` = sentence start.)
pub fn allowed(prev: Option<u8>, cur: u8) -> bool {
    let (cp, ck) = tag_parts(cur);
    let open = match prev {
        None => None,
        Some(p) => match tag_parts(p) {
            (Part::B | Part::I, k) => Some(k),
            _ => None,
        },
    };
    match open {
        Some(k) => matches!(cp, Part::I | Part::E) && ck == k,
        None => matches!(cp, Part::O | Part::B | Part::S),
    }
}

/// May a sentence end after `tag`?
pub fn allowed_end(tag: u8) -> bool {
    matches!(tag_parts(tag).0, Part::O | Part::E | Part::S)
}

/// Is the tag sequence well formed (every entity opened with B/S, continued
/// with I, closed with E)?
pub fn is_valid(tags: &[u8]) -> bool {
    let mut prev = None;
    for &t in tags {
        if t as usize >= N_TAGS || !allowed(prev, t) {
            return false;
        }
        prev = Some(t);
    }
    prev.is_none_or(allowed_end)
}

/// For each tag, the tags allowed before it.
fn allowed_prevs() -> &'static [Vec<u8>; N_TAGS] {
    static P: std::sync::OnceLock<[Vec<u8>; N_TAGS]> = std::sync::OnceLock::new();
    P.get_or_init(|| std::array::from_fn(|cur| (0..N_TAGS as u8).filter(|&p| allowed(Some(p), cur as u8)).collect()))
}

/// Best tag sequence under the constraints. `em` is `n * N_TAGS` emission
/// scores, `trans` `N_TAGS * N_TAGS` (row = previous tag), `start`/`end`
/// `N_TAGS` each. Always returns a valid sequence of length `n`.
pub fn viterbi(em: &[f32], n: usize, trans: &[f32], start: &[f32], end: &[f32], out: &mut Vec<u8>) {
    out.clear();
    if n == 0 {
        return;
    }
    let prevs = allowed_prevs();
    let mut score = vec![f32::NEG_INFINITY; N_TAGS];
    let mut next = vec![f32::NEG_INFINITY; N_TAGS];
    let mut back = vec![0u8; n * N_TAGS];
    for t in 0..N_TAGS {
        if allowed(None, t as u8) {
            score[t] = start[t] + em[t];
        }
    }
    for i in 1..n {
        let e = &em[i * N_TAGS..(i + 1) * N_TAGS];
        for cur in 0..N_TAGS {
            let mut best = f32::NEG_INFINITY;
            let mut arg = O;
            for &p in &prevs[cur] {
                let s = score[p as usize] + trans[p as usize * N_TAGS + cur];
                if s > best {
                    best = s;
                    arg = p;
                }
            }
            next[cur] = best + e[cur];
            back[i * N_TAGS + cur] = arg;
        }
        std::mem::swap(&mut score, &mut next);
    }
    let mut best = f32::NEG_INFINITY;
    let mut arg = None;
    for t in 0..N_TAGS {
        if allowed_end(t as u8) {
            let s = score[t] + end[t];
            if s > best || (arg.is_none() && s == best) {
                best = s;
                arg = Some(t as u8);
            }
        }
    }
    // Non-finite scores (cannot happen with finite weights): all O is valid.
    let Some(mut cur) = arg.filter(|_| best.is_finite()) else {
        out.resize(n, O);
        return;
    };
    out.resize(n, O);
    for i in (0..n).rev() {
        out[i] = cur;
        if i > 0 {
            cur = back[i * N_TAGS + cur as usize];
        }
    }
    if !is_valid(out) {
        out.iter_mut().for_each(|t| *t = O);
    }
}

/// Entity spans `(start, end, type)` of a valid tag sequence (sentence-relative).
pub fn spans_of(tags: &[u8]) -> Vec<(usize, usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, usize)> = None;
    for (i, &t) in tags.iter().enumerate() {
        let (p, k) = tag_parts(t);
        match p {
            Part::O => open = None,
            Part::S => {
                out.push((i, i + 1, k));
                open = None;
            }
            Part::B => open = Some((i, k)),
            Part::I => {
                if open.map(|o| o.1) != Some(k) {
                    open = None;
                }
            }
            Part::E => {
                if let Some((s, ok)) = open {
                    if ok == k {
                        out.push((s, i + 1, k));
                    }
                }
                open = None;
            }
        }
    }
    out
}

/// BIOES tags of entity spans (sentence-relative, non-overlapping; an
/// overlapping or out-of-range span is skipped).
pub fn tags_of(n: usize, spans: &[(usize, usize, usize)]) -> Vec<u8> {
    let mut tags = vec![O; n];
    let mut sorted: Vec<_> = spans.to_vec();
    sorted.sort();
    for (s, e, k) in sorted {
        if s >= e || e > n || tags[s..e].iter().any(|&t| t != O) {
            continue;
        }
        if e - s == 1 {
            tags[s] = make_tag(Part::S, k);
        } else {
            tags[s] = make_tag(Part::B, k);
            for t in &mut tags[s + 1..e - 1] {
                *t = make_tag(Part::I, k);
            }
            tags[e - 1] = make_tag(Part::E, k);
        }
    }
    tags
}

/// Feature-hash keyed maps (shared with the learned stages).
pub use kiji_core::linear::{IdHasher, IdMap};

/// One recognised entity in a sentence (sentence-relative char offsets).
#[derive(Debug, Clone, PartialEq)]
pub struct Tagged {
    pub start: usize,
    pub end: usize,
    /// Index into [`LABELS`].
    pub ty: usize,
    /// Mean emission margin of the chosen tags over the span (model units).
    pub margin: f32,
}

impl Tagged {
    pub fn label(&self) -> &'static str {
        LABELS[self.ty]
    }
}

const MAGIC: &[u8; 8] = b"KIJITAG1";

/// One slot of the feature table (open addressing, linear probing; key 0 = empty).
#[derive(Debug, Clone, Copy, Default)]
#[repr(C)]
struct Slot {
    key: u64,
    start: u32,
    len: u32,
}

/// One non-zero weight of a feature.
#[derive(Debug, Clone, Copy)]
#[repr(C)]
struct Entry {
    tag: u8,
    w: i16,
}

/// A trained tagger: sparse quantised weights per feature, transitions.
#[derive(Debug, Clone)]
pub struct Model {
    /// Feature hash -> run of `entries`.
    table: Vec<Slot>,
    n_features: usize,
    entries: Vec<Entry>,
    /// Weight = i16 * scale.
    scale: f32,
    trans: Vec<f32>,
    start: Vec<f32>,
    end: Vec<f32>,
}

/// Scratch buffers for tagging one sentence.
#[derive(Default)]
pub struct TagScratch {
    feats: Scratch,
    hashes: Vec<u64>,
    em: Vec<f32>,
    emit: Emit,
    tags: Vec<u8>,
}

/// Buffers of [`Model::emissions`].
struct Emit {
    locs: Vec<(u32, u32)>,
    acc: [i32; N_TAGS],
}

impl Default for Emit {
    fn default() -> Self {
        Emit { locs: Vec::new(), acc: [0; N_TAGS] }
    }
}

/// Hint the CPU to load `p` into the cache (no-op off x86_64).
#[inline(always)]
fn prefetch<T>(p: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: prefetching is a hint; it never faults, whatever the address.
    #[allow(unused_unsafe)]
    unsafe {
        core::arch::x86_64::_mm_prefetch(p as *const T as *const i8, core::arch::x86_64::_MM_HINT_T0)
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = p;
}

impl Model {
    /// A model that recognises nothing.
    pub fn empty() -> Model {
        Model {
            table: vec![Slot::default(); 16],
            n_features: 0,
            entries: Vec::new(),
            scale: 1.0,
            trans: vec![0.0; N_TAGS * N_TAGS],
            start: vec![0.0; N_TAGS],
            end: vec![0.0; N_TAGS],
        }
    }

    /// Number of features with at least one non-zero weight.
    pub fn n_features(&self) -> usize {
        self.n_features
    }
    /// Number of non-zero (feature, tag) weights.
    pub fn n_weights(&self) -> usize {
        self.entries.len()
    }
    /// Heap size in bytes.
    pub fn heap_bytes(&self) -> usize {
        self.table.len() * std::mem::size_of::<Slot>() + self.entries.len() * std::mem::size_of::<Entry>()
    }

    /// Fill the table from rows `(key, start, len)` into `self.entries`.
    fn build_table(&mut self, rows: &[(u64, u32, u32)]) {
        let cap = (rows.len() * 2).next_power_of_two().max(16);
        self.table = vec![Slot::default(); cap];
        self.n_features = 0;
        let mask = cap - 1;
        for &(key, start, len) in rows {
            if key == 0 || len == 0 {
                continue;
            }
            let mut i = key as usize & mask;
            while self.table[i].key != 0 && self.table[i].key != key {
                i = (i + 1) & mask;
            }
            if self.table[i].key == 0 {
                self.n_features += 1;
            }
            self.table[i] = Slot { key, start, len };
        }
    }

    #[inline]
    fn lookup(&self, key: u64) -> Option<&Slot> {
        let mask = self.table.len() - 1;
        let mut i = key as usize & mask;
        loop {
            let s = &self.table[i];
            if s.key == key {
                return Some(s);
            }
            if s.key == 0 {
                return None;
            }
            i = (i + 1) & mask;
        }
    }

    /// Rows `(key, start, len)` in key order.
    fn rows(&self) -> Vec<(u64, u32, u32)> {
        let mut rows: Vec<_> = self.table.iter().filter(|s| s.key != 0).map(|s| (s.key, s.start, s.len)).collect();
        rows.sort_unstable();
        rows
    }

    /// Build from dense weights: `weights[f * N_TAGS + t]` for feature `keys[f]`.
    /// Weights whose magnitude is below `prune` are dropped; the rest are
    /// quantised to i16.
    pub fn from_dense(keys: &[u64], weights: &[f32], trans: &[f32], start: &[f32], end: &[f32], prune: f32) -> Model {
        let max = weights.iter().fold(0f32, |m, w| m.max(w.abs()));
        let scale = if max > 0.0 { max / 32767.0 } else { 1.0 };
        let mut order: Vec<usize> = (0..keys.len()).collect();
        order.sort_unstable_by_key(|&i| keys[i]);
        let mut m = Model::empty();
        m.scale = scale;
        m.trans = trans.to_vec();
        m.start = start.to_vec();
        m.end = end.to_vec();
        let mut rows = Vec::new();
        for f in order {
            if keys[f] == 0 {
                continue;
            }
            let row = &weights[f * N_TAGS..(f + 1) * N_TAGS];
            let before = m.entries.len();
            for (t, &w) in row.iter().enumerate() {
                let q = (w / scale).round().clamp(-32767.0, 32767.0) as i16;
                if w.abs() >= prune && q != 0 {
                    m.entries.push(Entry { tag: t as u8, w: q });
                }
            }
            if m.entries.len() > before {
                rows.push((keys[f], before as u32, (m.entries.len() - before) as u32));
            }
        }
        m.build_table(&rows);
        m
    }

    /// Emission scores (`n * N_TAGS`) of a sentence's feature hashes.
    ///
    /// Memory-bound (a table lookup per feature): all lookups of the sentence
    /// are resolved first, with the table slots prefetched two chars ahead,
    /// then the weights are summed.
    fn emissions(&self, hashes: &[u64], n: usize, scratch: &mut Emit, em: &mut Vec<f32>) {
        const AHEAD: usize = 2 * N_TEMPLATES;
        let mask = self.table.len() - 1;
        let locs = &mut scratch.locs;
        locs.clear();
        for &h in hashes.iter().take(AHEAD) {
            prefetch(&self.table[h as usize & mask]);
        }
        for (k, &h) in hashes.iter().enumerate() {
            if let Some(&a) = hashes.get(k + AHEAD) {
                prefetch(&self.table[a as usize & mask]);
            }
            match self.lookup(h) {
                Some(s) => {
                    if let Some(e) = self.entries.get(s.start as usize) {
                        prefetch(e);
                    }
                    locs.push((s.start, s.len));
                }
                None => locs.push((0, 0)),
            }
        }
        em.clear();
        em.resize(n * N_TAGS, 0.0);
        let acc = &mut scratch.acc;
        for i in 0..n {
            *acc = [0; N_TAGS];
            for &(start, len) in &locs[i * N_TEMPLATES..(i + 1) * N_TEMPLATES] {
                for e in &self.entries[start as usize..(start + len) as usize] {
                    acc[e.tag as usize] += e.w as i32;
                }
            }
            for t in 0..N_TAGS {
                em[i * N_TAGS + t] = acc[t] as f32 * self.scale;
            }
        }
    }

    /// Tag one sentence: `chars` (width-folded), `tokens` with document
    /// offsets, `base` = the sentence's first char offset in the document.
    pub fn tag(&self, chars: &[char], tokens: &[Token], base: usize, scratch: &mut TagScratch) -> Vec<Tagged> {
        let n = chars.len();
        if n == 0 {
            return Vec::new();
        }
        scratch.hashes.clear();
        features::extract(chars, tokens, base, &mut scratch.feats, &mut scratch.hashes);
        self.emissions(&scratch.hashes, n, &mut scratch.emit, &mut scratch.em);
        viterbi(&scratch.em, n, &self.trans, &self.start, &self.end, &mut scratch.tags);
        let em = &scratch.em;
        spans_of(&scratch.tags)
            .into_iter()
            .map(|(s, e, ty)| {
                let mut m = 0f32;
                for i in s..e {
                    let row = &em[i * N_TAGS..(i + 1) * N_TAGS];
                    let chosen = scratch.tags[i] as usize;
                    let other = row.iter().enumerate().filter(|&(t, _)| t != chosen).fold(f32::NEG_INFINITY, |a, (_, &v)| a.max(v));
                    m += row[chosen] - other;
                }
                Tagged { start: s, end: e, ty, margin: m / (e - s) as f32 }
            })
            .collect()
    }

    /// Serialise (gzip-compressed).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut raw = Vec::new();
        raw.extend_from_slice(MAGIC);
        put_u32(&mut raw, FEATURE_VERSION);
        put_u32(&mut raw, N_TYPES as u32);
        for l in LABELS {
            put_u32(&mut raw, l.len() as u32);
            raw.extend_from_slice(l.as_bytes());
        }
        raw.extend_from_slice(&self.scale.to_le_bytes());
        for v in self.trans.iter().chain(&self.start).chain(&self.end) {
            raw.extend_from_slice(&v.to_le_bytes());
        }
        // Rows in key order; keys delta-encoded as varints.
        let rows = self.rows();
        put_u32(&mut raw, rows.len() as u32);
        let mut prev = 0u64;
        for &(k, _, _) in &rows {
            put_varint(&mut raw, k - prev);
            prev = k;
        }
        // Columns: row lengths, tags, weights (low bytes, then high bytes).
        for &(_, _, len) in &rows {
            raw.push(len as u8);
        }
        let all = || rows.iter().flat_map(|&(_, s, l)| &self.entries[s as usize..(s + l) as usize]);
        raw.extend(all().map(|e| e.tag));
        raw.extend(all().map(|e| e.w as u16 as u8));
        raw.extend(all().map(|e| (e.w as u16 >> 8) as u8));
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        enc.write_all(&raw).expect("writing to a Vec");
        enc.finish().expect("writing to a Vec")
    }

    /// Read a model written by [`Model::to_bytes`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Model> {
        let bad = |what: &str| Error::new(ErrorKind::Resource, format!("NER tagger model: {what}"));
        let mut raw = Vec::new();
        flate2::read::GzDecoder::new(bytes).read_to_end(&mut raw).map_err(|e| bad(&format!("not gzip data: {e}")))?;
        let mut r = kiji_core::bytes::Reader::new(&raw);
        if r.take(8).ok_or_else(|| bad("truncated"))? != MAGIC {
            return Err(bad("bad magic"));
        }
        let version = r.u32().ok_or_else(|| bad("truncated"))?;
        if version != FEATURE_VERSION {
            return Err(bad(&format!("feature version {version}, this build extracts version {FEATURE_VERSION}")));
        }
        let n_types = r.u32().ok_or_else(|| bad("truncated"))? as usize;
        if n_types != N_TYPES {
            return Err(bad("wrong number of types"));
        }
        for l in LABELS {
            let len = r.u32().ok_or_else(|| bad("truncated"))? as usize;
            if r.take(len).ok_or_else(|| bad("truncated"))? != l.as_bytes() {
                return Err(bad("labels differ"));
            }
        }
        let scale = r.f32().ok_or_else(|| bad("truncated"))?;
        let mut m = Model::empty();
        m.scale = scale;
        for v in m.trans.iter_mut().chain(m.start.iter_mut()).chain(m.end.iter_mut()) {
            *v = r.f32().ok_or_else(|| bad("truncated"))?;
        }
        let n = r.u32().ok_or_else(|| bad("truncated"))? as usize;
        if n > raw.len() {
            return Err(bad("feature count exceeds data"));
        }
        let mut keys = Vec::with_capacity(n);
        let mut prev = 0u64;
        for _ in 0..n {
            prev = prev.wrapping_add(r.varint().ok_or_else(|| bad("truncated"))?);
            keys.push(prev);
        }
        let lens = r.take(n).ok_or_else(|| bad("truncated"))?;
        let total: usize = lens.iter().map(|&l| l as usize).sum();
        let tags = r.take(total).ok_or_else(|| bad("truncated"))?;
        let lo = r.take(total).ok_or_else(|| bad("truncated"))?;
        let hi = r.take(total).ok_or_else(|| bad("truncated"))?;
        if tags.iter().any(|&t| t as usize >= N_TAGS) {
            return Err(bad("tag out of range"));
        }
        m.entries = tags.iter().zip(lo.iter().zip(hi)).map(|(&tag, (&l, &h))| Entry { tag, w: (l as u16 | (h as u16) << 8) as i16 }).collect();
        let mut rows = Vec::with_capacity(n);
        let mut at = 0u32;
        for (i, &k) in keys.iter().enumerate() {
            rows.push((k, at, lens[i] as u32));
            at += lens[i] as u32;
        }
        m.build_table(&rows);
        Ok(m)
    }
}

fn put_u32(v: &mut Vec<u8>, x: u32) {
    v.extend_from_slice(&x.to_le_bytes());
}

fn put_varint(v: &mut Vec<u8>, mut x: u64) {
    while x >= 0x80 {
        v.push((x as u8) | 0x80);
        x >>= 7;
    }
    v.push(x as u8);
}

