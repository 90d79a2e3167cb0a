//! kiji-morph: morphological analysis with lindera and an embedded IPADIC.
//!
//! The dictionary is compiled at build time (see `build.rs`) from the
//! EUC-JP sources of Debian's `mecab-ipadic` package
//! (`/usr/share/mecab/dic/ipadic`, or `$KIJI_IPADIC_DIR`) and baked into the
//! binary with `include_bytes!`; nothing is downloaded and nothing is read
//! from disk at run time.
//!
//! [`Analyzer`] is the immutable shared model (vibrato style): build it once
//! per process and share it by reference or `Arc` across threads; every call
//! allocates its own lattice.
//!
//! ```
//! let analyzer = kiji_morph::Analyzer::new().unwrap();
//! let text = kiji_core::Text::new("田中博之容疑者を逮捕した。");
//! let tokens = analyzer.tokenize(&text);
//! assert_eq!(text.slice(tokens[0].span), "田中");
//! assert_eq!(tokens[0].pos, kiji_core::Pos::Surname);
//! ```

use std::borrow::Cow;
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;

use kiji_core::{Error, ErrorKind, Pos, Span, Text, Token};
use lindera::dictionary::{Dictionary, Lattice};
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;

#[allow(dead_code)]
mod embedded {
    // `LINDERA_WORKDIR` is set by build.rs to OUT_DIR; the compiled
    // dictionary lies in OUT_DIR/ipadic.
    lindera_dictionary::embedded_dictionary!("/ipadic", EmbeddedIpadicLoader);
}

/// Facts about the embedded dictionary, for logs and `--version` output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DictionaryInfo {
    /// Directory the IPADIC sources were read from at build time.
    pub source_dir: &'static str,
    /// Encoding of those sources (`EUC-JP` for Debian's package).
    pub source_encoding: &'static str,
    /// Total size of the compiled dictionary files embedded in the binary.
    pub embedded_bytes: u64,
    /// How long build.rs took to compile the dictionary, in milliseconds.
    pub build_ms: u64,
}

/// The embedded dictionary's [`DictionaryInfo`].
pub fn dictionary_info() -> DictionaryInfo {
    DictionaryInfo {
        source_dir: env!("KIJI_IPADIC_SOURCE"),
        source_encoding: env!("KIJI_IPADIC_ENCODING"),
        embedded_bytes: parse_u64(env!("KIJI_IPADIC_BYTES")),
        build_ms: parse_u64(env!("KIJI_IPADIC_BUILD_MS")),
    }
}

fn parse_u64(s: &str) -> u64 {
    s.parse().unwrap_or(0)
}

/// Morphological analyser: lindera's Viterbi segmenter over the embedded
/// IPADIC. Immutable after construction; `Send + Sync`.
#[derive(Clone)]
pub struct Analyzer {
    segmenter: Segmenter,
    /// Variant symbols mapped to the form the dictionary knows (see
    /// [`SYMBOL_VARIANTS`]); a handful of pairs.
    variants: Vec<(char, char)>,
    /// The [`Pos`] of every system-dictionary word id, filled on first
    /// sight ([`pos_code`]; 0 = not looked up yet), shared by clones and
    /// threads. Decoding a word's detail fields (a UTF-8 check and a split
    /// of ~60 bytes) for every token was ~12% of the whole pipeline; one
    /// byte per word id (~400 kB for IPADIC) makes it a load.
    pos_cache: Arc<[AtomicU8]>,
}

impl std::fmt::Debug for Analyzer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Analyzer")
            .field("dictionary", &"ipadic (embedded)")
            .finish()
    }
}

impl Analyzer {
    /// Loads the embedded dictionary. Zero-copy over the static bytes (a few
    /// milliseconds); call it once per process and share the result.
    pub fn new() -> kiji_core::Result<Analyzer> {
        let dictionary: Dictionary = embedded::load().map_err(|e| {
            Error::new(
                ErrorKind::Resource,
                format!("loading the embedded IPADIC: {e}"),
            )
        })?;
        // Plain MeCab-compatible Viterbi: whitespace is dropped, unknown
        // words are grouped per char.def (lindera 6 defaults).
        let segmenter = Segmenter::new(Mode::Normal, dictionary, None);
        let variants = symbol_variants(&segmenter);
        let words = segmenter.dictionary.prefix_dictionary.words_idx_data.len() / 4;
        let pos_cache = (0..words).map(|_| AtomicU8::new(0)).collect();
        Ok(Analyzer {
            segmenter,
            variants,
            pos_cache,
        })
    }

    /// The [`Pos`] of system word `id`, from the cache or (first time) its
    /// detail fields. Racing threads compute and store the same value.
    fn system_pos(&self, id: usize) -> Pos {
        let lookup = || pos_of_fields(self.segmenter.dictionary.word_details_iter(id));
        let Some(slot) = self.pos_cache.get(id) else {
            return lookup();
        };
        match pos_from_code(slot.load(Ordering::Relaxed)) {
            Some(pos) => pos,
            None => {
                let pos = lookup();
                slot.store(pos_code(pos), Ordering::Relaxed);
                pos
            }
        }
    }

    /// Analyses `text.folded()` sentence by sentence (`text.sentences()`,
    /// each at most `MAX_SENTENCE_CHARS` long, so the cost is linear in the
    /// article) and returns the morphemes in text order with **char**
    /// offsets into the article. Whitespace is not tokenised; spans are
    /// non-empty, non-overlapping and never cross a sentence boundary.
    ///
    /// Before analysis, ASCII letters and symbols of the folded view are
    /// mapped 1:1 back to the full-width forms IPADIC's lexicon uses
    /// (「(」 -> 「（」, 「JR」 -> 「ＪＲ」; digits stay ASCII so that 「44」 is one
    /// number), see `widen_into`. Offsets are unaffected.
    pub fn tokenize(&self, text: &Text) -> Vec<Token> {
        let mut out = Vec::with_capacity(text.len_chars() / 2);
        let mut lattice = Lattice::default();
        let mut buf = String::new();
        for &sentence in text.sentences() {
            let s = text.folded_slice(sentence);
            widen_into(s, &self.variants, &mut buf);
            self.analyse(&buf, sentence.start, &mut lattice, &mut out);
        }
        out
    }

    /// Analyses a bare string: `(span, pos, unknown)` per morpheme, with char
    /// offsets into `s`. The string goes through the same width folding and
    /// sentence splitting as an article ([`Text::new`] then
    /// [`Analyzer::tokenize`]), so long input stays linear.
    pub fn tokenize_str(&self, s: &str) -> Vec<(Span, Pos, bool)> {
        if s.trim().is_empty() {
            return Vec::new();
        }
        let text = Text::new(s);
        self.tokenize(&text)
            .into_iter()
            .map(|t| (t.span, t.pos, t.unknown))
            .collect()
    }

    /// Segments one sentence `s` whose first char is char `char_base` of the
    /// article, appending tokens to `out`.
    fn analyse(&self, s: &str, char_base: usize, lattice: &mut Lattice, out: &mut Vec<Token>) {
        if s.trim().is_empty() {
            return;
        }
        let Ok(tokens) = self
            .segmenter
            .segment_with_lattice(Cow::Borrowed(s), lattice)
        else {
            // lindera only errs on internal inconsistencies; a sentence
            // without tokens is better than a failed article.
            return;
        };
        let dict = &self.segmenter.dictionary;
        // Byte -> char conversion by walking forward: tokens come in order,
        // so this is linear in the sentence.
        let mut byte = 0usize;
        let mut ch = 0usize;
        for t in &tokens {
            if t.byte_start < byte || t.byte_end > s.len() || t.byte_start >= t.byte_end {
                continue; // defensive: never emit overlapping or empty spans
            }
            ch += s[byte..t.byte_start].chars().count();
            let start = ch;
            ch += s[t.byte_start..t.byte_end].chars().count();
            byte = t.byte_end;
            let unknown = t.word_id.is_unknown();
            let id = t.word_id.id() as usize;
            let pos = if unknown {
                pos_of_fields(dict.unknown_word_details_iter(id))
            } else if t.word_id.is_system() {
                self.system_pos(id)
            } else {
                Pos::Other
            };
            out.push(Token {
                span: Span::new(char_base + start, char_base + ch),
                pos,
                unknown,
            });
        }
    }
}

/// Groups of interchangeable symbols. The EUC-JP sources of IPADIC hold one
/// code for each group, which decoders turn into different code points
/// (encoding_rs, i.e. WHATWG, reads 0xA1C1 as U+FF5E ～ where iconv gives
/// U+301C 〜). Whichever member the compiled dictionary knows is analysed in
/// place of the others; an unknown symbol would be an unknown 名詞,サ変接続
/// grouped with its neighbouring symbols.
const SYMBOL_VARIANTS: &[&[char]] = &[
    &['\u{FF5E}', '\u{301C}'], // ～ 〜 (and ASCII ~)
    &['\u{FF0D}', '\u{2212}'], // － − (and ASCII -)
    &['\u{2225}', '\u{2016}'], // ∥ ‖
    &['\u{2015}', '\u{2014}'], // ― —
    &['\u{FFE5}', '\u{00A5}'], // ￥ ¥
    &['\u{FFE1}', '\u{00A3}'], // ￡ £
];

/// `(from, to)` pairs: every member of a [`SYMBOL_VARIANTS`] group to the
/// first member that is a dictionary word.
fn symbol_variants(segmenter: &Segmenter) -> Vec<(char, char)> {
    let known = |c: char| {
        let s = c.to_string();
        segmenter
            .segment(Cow::Owned(s))
            .map(|t| t.len() == 1 && !t[0].word_id.is_unknown())
            .unwrap_or(false)
    };
    let mut out = Vec::new();
    for group in SYMBOL_VARIANTS {
        if let Some(&to) = group.iter().find(|&&c| known(c)) {
            out.extend(group.iter().filter(|&&c| c != to).map(|&c| (c, to)));
        }
    }
    out
}

/// Writes `s` into `buf` with printable ASCII other than digits turned back
/// into the full-width form IPADIC knows, one char for one char (char
/// offsets are unchanged). IPADIC's lexicon is full-width: 「（」 is
/// 記号,括弧開 and 「ＪＲ東日本」「ｋｍ」 are entries, while an ASCII 「(」 is an
/// unknown 名詞,サ変接続 that char.def even groups with a neighbouring symbol
/// (「』(」 as one token). Digits stay ASCII: full-width digits are one-char
/// entries (「４４」 -> ４/４), ASCII ones group into one unknown 名詞,数.
/// `"` alternates “ ” and `'` is ’ (IPADIC has no ＂ ＇); symbol variants go
/// to the form the dictionary knows (`variants`, see [`SYMBOL_VARIANTS`]).
fn widen_into(s: &str, variants: &[(char, char)], buf: &mut String) {
    buf.clear();
    let mut open_quote = true;
    buf.extend(s.chars().map(|c| {
        let c = match c {
            '0'..='9' => return c,
            '"' => {
                open_quote = !open_quote;
                return if open_quote { '”' } else { '“' };
            }
            '\'' => return '’',
            '!'..='~' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            _ => c,
        };
        if c < '\u{A2}' {
            return c;
        }
        variants
            .iter()
            .find(|&&(from, _)| from == c)
            .map_or(c, |&(_, to)| to)
    }));
}

/// Every [`Pos`], in the order of [`pos_code`].
const POS_BY_CODE: [Pos; 14] = [
    Pos::Surname,
    Pos::GivenName,
    Pos::PersonName,
    Pos::Organization,
    Pos::Place,
    Pos::ProperNoun,
    Pos::Number,
    Pos::NounSuffix,
    Pos::Noun,
    Pos::Predicate,
    Pos::Particle,
    Pos::Symbol,
    Pos::Prefix,
    Pos::Other,
];

/// A non-zero byte for a [`Pos`] (the cache's encoding; 0 = empty slot).
fn pos_code(pos: Pos) -> u8 {
    POS_BY_CODE.iter().position(|&p| p == pos).map_or(0, |i| i as u8 + 1)
}

/// The [`Pos`] of a [`pos_code`], `None` for 0 (an empty slot).
fn pos_from_code(code: u8) -> Option<Pos> {
    POS_BY_CODE.get(usize::from(code).checked_sub(1)?).copied()
}

/// Maps the first four IPADIC feature fields (品詞, 品詞細分類1-3) to [`Pos`].
fn pos_of_fields<'a>(mut fields: impl Iterator<Item = &'a str>) -> Pos {
    let f0 = fields.next().unwrap_or("*");
    let f1 = fields.next().unwrap_or("*");
    let f2 = fields.next().unwrap_or("*");
    let f3 = fields.next().unwrap_or("*");
    pos_of(f0, f1, f2, f3)
}

fn pos_of(f0: &str, f1: &str, f2: &str, f3: &str) -> Pos {
    match f0 {
        "名詞" => match (f1, f2, f3) {
            ("固有名詞", "人名", "姓") => Pos::Surname,
            ("固有名詞", "人名", "名") => Pos::GivenName,
            ("固有名詞", "人名", _) => Pos::PersonName,
            ("固有名詞", "組織", _) => Pos::Organization,
            ("固有名詞", "地域", _) => Pos::Place,
            ("固有名詞", _, _) => Pos::ProperNoun,
            ("数", _, _) => Pos::Number,
            ("接尾", _, _) => Pos::NounSuffix,
            _ => Pos::Noun,
        },
        "動詞" | "形容詞" | "助動詞" => Pos::Predicate,
        "助詞" => Pos::Particle,
        "記号" => Pos::Symbol,
        "接頭詞" => Pos::Prefix,
        _ => Pos::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn analyzer_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Analyzer>();
    }

    #[test]
    fn pos_mapping_follows_ipadic_categories() {
        assert_eq!(pos_of("名詞", "固有名詞", "人名", "姓"), Pos::Surname);
        assert_eq!(pos_of("名詞", "固有名詞", "人名", "名"), Pos::GivenName);
        assert_eq!(pos_of("名詞", "固有名詞", "人名", "一般"), Pos::PersonName);
        assert_eq!(pos_of("名詞", "固有名詞", "組織", "*"), Pos::Organization);
        assert_eq!(pos_of("名詞", "固有名詞", "地域", "国"), Pos::Place);
        assert_eq!(pos_of("名詞", "固有名詞", "一般", "*"), Pos::ProperNoun);
        assert_eq!(pos_of("名詞", "数", "*", "*"), Pos::Number);
        assert_eq!(pos_of("名詞", "接尾", "人名", "*"), Pos::NounSuffix);
        assert_eq!(pos_of("名詞", "サ変接続", "*", "*"), Pos::Noun);
        assert_eq!(pos_of("動詞", "自立", "*", "*"), Pos::Predicate);
        assert_eq!(pos_of("形容詞", "自立", "*", "*"), Pos::Predicate);
        assert_eq!(pos_of("助動詞", "*", "*", "*"), Pos::Predicate);
        assert_eq!(pos_of("助詞", "格助詞", "一般", "*"), Pos::Particle);
        assert_eq!(pos_of("記号", "括弧開", "*", "*"), Pos::Symbol);
        assert_eq!(pos_of("接頭詞", "名詞接続", "*", "*"), Pos::Prefix);
        assert_eq!(pos_of("副詞", "一般", "*", "*"), Pos::Other);
        assert_eq!(pos_of_fields(["UNK"].into_iter()), Pos::Other);
    }

    #[test]
    fn widening_keeps_one_char_per_char() {
        let a = Analyzer::new().unwrap();
        let mut buf = String::new();
        widen_into("(44歳)\"A\" 'x' 。", &a.variants, &mut buf);
        assert_eq!(buf, "（44歳）“Ａ” ’ｘ’ 。");
        // Debian's EUC-JP IPADIC decoded by encoding_rs knows ～ － ―, an
        // iconv-converted one 〜 − ―: either way each pair becomes one char.
        widen_into("~〜-−—―‖∥", &a.variants, &mut buf);
        let w: Vec<char> = buf.chars().collect();
        assert_eq!(w.len(), 8);
        assert!(
            w[0] == w[1] && w[2] == w[3] && w[4] == w[5] && w[6] == w[7],
            "{buf}"
        );
        let all: String = (' '..='~').collect();
        widen_into(&all, &a.variants, &mut buf);
        assert_eq!(buf.chars().count(), all.chars().count());
        // Every symbol variant ends up as a dictionary word.
        for c in SYMBOL_VARIANTS.iter().flat_map(|g| g.iter()) {
            let toks = a.tokenize_str(&format!("あ{c}い"));
            assert_eq!(toks.len(), 3, "{c}: {toks:?}");
            assert_eq!((toks[1].1, toks[1].2), (Pos::Symbol, false), "{c}");
        }
    }

    #[test]
    fn pos_codes_round_trip_and_the_cache_agrees_with_the_details() {
        for p in POS_BY_CODE {
            assert_ne!(pos_code(p), 0);
            assert_eq!(pos_from_code(pos_code(p)), Some(p));
        }
        assert_eq!(pos_from_code(0), None);
        let a = Analyzer::new().unwrap();
        let dict = &a.segmenter.dictionary;
        assert_eq!(a.pos_cache.len(), dict.prefix_dictionary.words_idx_data.len() / 4);
        assert!(a.pos_cache.len() > 300_000, "{}", a.pos_cache.len());
        // Every word id, twice (cold then cached), and ids past the end:
        // tokens get the same Pos as without the cache.
        for id in 0..a.pos_cache.len() + 3 {
            let direct = pos_of_fields(dict.word_details_iter(id));
            assert_eq!(a.system_pos(id), direct, "word {id}");
            assert_eq!(a.system_pos(id), direct, "word {id} (cached)");
        }
    }

    #[test]
    fn embedded_dictionary_has_ipadic_details() {
        let a = Analyzer::new().unwrap();
        let tokens = a.segmenter.segment(Cow::Borrowed("田中")).unwrap();
        assert_eq!(tokens.len(), 1);
        let mut t = tokens[0].clone();
        let d: Vec<&str> = t.details();
        assert_eq!(&d[..4], ["名詞", "固有名詞", "人名", "姓"], "{d:?}");
        assert_eq!(d.last(), Some(&"タナカ"), "{d:?}");
        let info = dictionary_info();
        assert!(info.embedded_bytes > 10_000_000, "{info:?}");
    }
}
