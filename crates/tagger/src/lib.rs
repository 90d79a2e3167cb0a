//! kiji-tagger: a trained, model-based NER backend that runs on CPU.
//!
//! An averaged structured perceptron over the chars of a sentence, BIOES tags
//! for the eight Stockmark types (人名 法人名 政治的組織名 その他の組織名 地名
//! 施設名 製品名 イベント名), first-order transitions and a constrained Viterbi
//! that never emits an ill-formed sequence. Features per char: the char and
//! its ±2 neighbours, char bigrams/trigrams, char types and type patterns,
//! and the IPADIC morpheme facts from [`Document::tokens`] (POS of the token
//! holding the char and of its neighbours, the char's place in the token,
//! short token surfaces). See [`features`].
//!
//! The model (`models/ner-tagger.bin.gz`, trained on Stockmark Wikipedia NER
//! v2.0, CC BY-SA 3.0, see `models/README.md`) is embedded with
//! `include_bytes!` and decoded once, lazily, on first use.
//!
//! * [`TaggerRecognizer`]: the [`Recognizer`] over the embedded (or any) model.
//! * [`EnsembleRecognizer`]: lexicon person mentions (with their suffixes)
//!   plus a model's (this tagger's, or the transformer's) other types and the
//!   model's persons the lexicon missed.
//! * [`train()`]: the trainer (`pipeline-run train-ner`).
//!
//! ```
//! use kiji_core::{ArticleInput, Document, Recognizer};
//! let tagger = kiji_tagger::TaggerRecognizer::new().unwrap();
//! let input = ArticleInput::new("x", "東京都に住む田中博之さん");
//! let doc = Document::new(&input, Vec::new()); // no morphemes: char features only
//! let _mentions = tagger.recognize(&doc);
//! ```

pub mod features;
pub mod model;
pub mod train;

use kiji_core::{Document, Mention, MentionKind, Recognizer, Result, Span};
use std::sync::{Arc, OnceLock};

pub use model::{Model, Tagged, LABELS};
pub use train::{evaluate, train, Example, TrainOptions, TrainReport};

/// The shipped model file, gzip-compressed.
pub static EMBEDDED_MODEL: &[u8] = include_bytes!("../../../models/ner-tagger.bin.gz");

/// The embedded model, decoded on first use (a few hundred ms) and shared.
pub fn embedded_model() -> Result<Arc<Model>> {
    static MODEL: OnceLock<std::result::Result<Arc<Model>, kiji_core::Error>> = OnceLock::new();
    MODEL.get_or_init(|| Model::from_bytes(EMBEDDED_MODEL).map(Arc::new)).clone()
}

/// The model-based recogniser: decodes each sentence of the document.
#[derive(Clone)]
pub struct TaggerRecognizer {
    model: Arc<Model>,
}

impl TaggerRecognizer {
    /// Over the embedded model (decoded once per process).
    pub fn new() -> Result<Self> {
        Ok(TaggerRecognizer { model: embedded_model()? })
    }
    /// Over another model.
    pub fn with_model(model: Arc<Model>) -> Self {
        TaggerRecognizer { model }
    }
    pub fn model(&self) -> &Model {
        &self.model
    }
}

/// Mention confidence from the mean emission margin (model units).
fn score_of(margin: f32) -> f32 {
    let s = 1.0 / (1.0 + (-margin / 4.0).exp());
    if s.is_finite() {
        s.clamp(0.5, 0.99)
    } else {
        0.8
    }
}

impl Recognizer for TaggerRecognizer {
    fn recognize(&self, doc: &Document) -> Vec<Mention> {
        let chars = doc.text.folded_chars();
        let mut scratch = model::TagScratch::default();
        let mut out = Vec::new();
        let tokens = &doc.tokens;
        let mut tok_at = 0usize;
        for &sent in doc.text.sentences() {
            if sent.end > chars.len() || sent.is_empty() {
                continue;
            }
            // Tokens are in text order: advance to this sentence's first token.
            while tok_at < tokens.len() && tokens[tok_at].span.start < sent.start {
                tok_at += 1;
            }
            let mut tok_end = tok_at;
            while tok_end < tokens.len() && tokens[tok_end].span.end <= sent.end {
                tok_end += 1;
            }
            let sent_tokens = &tokens[tok_at..tok_end];
            for t in self.model.tag(&chars[sent.start..sent.end], sent_tokens, sent.start, &mut scratch) {
                let Some(kind) = MentionKind::from_stockmark_label(t.label()) else { continue };
                let span = Span::new(sent.start + t.start, sent.start + t.end);
                out.push(Mention {
                    span,
                    kind,
                    name: doc.text.slice(span).to_owned(),
                    suffix: None,
                    suffix_class: None,
                    score: score_of(t.margin),
                });
            }
            tok_at = tok_end;
        }
        out
    }
}

/// Lexicon for persons, a model (the tagger or the transformer) for the rest.
///
/// Keeps every person-like mention of the lexicon backend (full names,
/// partial names, anaphors: they carry the suffix the later stages read),
/// adds the model's mentions of the other seven types and the model's
/// 人名 spans that look like full names; a model mention that overlaps a
/// lexicon person-like mention is dropped (the lexicon wins).
pub struct EnsembleRecognizer {
    lexicon: Box<dyn Recognizer>,
    model: Box<dyn Recognizer>,
    /// Model persons below this score are not added.
    pub min_person_score: f32,
}

impl EnsembleRecognizer {
    pub fn new(lexicon: Box<dyn Recognizer>, model: Box<dyn Recognizer>) -> Self {
        EnsembleRecognizer { lexicon, model, min_person_score: 0.0 }
    }

    fn merge(&self, doc: &Document, lexicon: Vec<Mention>, model: Vec<Mention>) -> Vec<Mention> {
        let mut out: Vec<Mention> = lexicon.into_iter().filter(|m| m.kind.is_person_like()).collect();
        // Lexicon person spans by start, with the running maximum end, so
        // that an overlap test is a binary search.
        let mut persons: Vec<Span> = out.iter().map(|m| m.span).collect();
        persons.sort();
        let max_end: Vec<usize> = persons.iter().scan(0, |e, s| {
            *e = s.end.max(*e);
            Some(*e)
        }).collect();
        let overlaps_person = |span: Span| {
            let j = persons.partition_point(|s| s.start < span.end);
            j > 0 && max_end[j - 1] > span.start
        };
        for m in model {
            if m.kind == MentionKind::Person && (m.score < self.min_person_score || !looks_like_full_name(doc, m.span)) {
                continue;
            }
            if overlaps_person(m.span) {
                continue;
            }
            out.push(m);
        }
        out.sort_by_key(|m| (m.span.start, m.span.end));
        out
    }
}

impl Recognizer for EnsembleRecognizer {
    fn recognize(&self, doc: &Document) -> Vec<Mention> {
        self.merge(doc, self.lexicon.recognize(doc), self.model.recognize(doc))
    }

    fn recognize_batch(&self, docs: &[&Document]) -> Vec<Vec<Mention>> {
        let model = self.model.recognize_batch(docs);
        docs.iter().zip(model).map(|(d, m)| self.merge(d, self.lexicon.recognize(d), m)).collect()
    }

    fn batched(&self) -> bool {
        self.model.batched()
    }
}

/// Does a tagger 人名 span look like a full name the lexicon missed?
///
/// The tagger (trained on Wikipedia) also tags surnames alone (「金川容疑者」),
/// names with their title (「神谷教諭」) and brands; the person pipeline wants
/// full names only. Accepted: katakana names with a separator (「ルイス・マキャベロ」,
/// every part at least two chars), or 3 to 6 kanji that start and end on morpheme
/// boundaries, span at least two morphemes, contain no number and do not end in
/// a suffix, prefix, place or organisation morpheme or a common two-char noun.
pub fn looks_like_full_name(doc: &Document, span: Span) -> bool {
    use features::{char_type, CharType};
    use kiji_core::Pos;
    let name: Vec<char> = doc.text.folded_slice(span).chars().collect();
    if name.iter().any(|&c| matches!(char_type(c), CharType::Katakana | CharType::Choon)) {
        let parts: Vec<&[char]> = name.split(|&c| char_type(c) == CharType::MiddleDot).collect();
        return parts.len() >= 2
            && parts.iter().all(|p| p.len() >= 2 && p.iter().all(|&c| matches!(char_type(c), CharType::Katakana | CharType::Choon)));
    }
    if !(3..=6).contains(&name.len()) || !name.iter().all(|&c| char_type(c) == CharType::Kanji) {
        return false;
    }
    let i = doc.tokens.partition_point(|t| t.span.end <= span.start);
    let inside: Vec<_> = doc.tokens[i..].iter().take_while(|t| t.span.start < span.end).collect();
    let (Some(first), Some(last)) = (inside.first(), inside.last()) else { return false };
    if first.span.start != span.start || last.span.end != span.end || inside.len() < 2 {
        return false;
    }
    if inside.iter().any(|t| t.pos == Pos::Number) {
        return false;
    }
    let last_common_noun = last.pos == Pos::Noun && !last.unknown && last.span.len() >= 2;
    !(matches!(last.pos, Pos::NounSuffix | Pos::Prefix | Pos::Place | Pos::Organization) || last_common_noun)
}
