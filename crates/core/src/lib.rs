//! kiji-core: the types every stage of kiji speaks.
//!
//! * [`ArticleInput`] / [`ArticleOutput`]: the input and output records of
//!   `docs/annotation-guideline.md` (serde, field names as in the contract).
//! * [`Span`]: a half-open range of **char** offsets (Unicode scalar values)
//!   into the original article text.
//! * [`Text`]: the original article plus a width-folded view with an offset
//!   map back to the original, and sentence boundaries.
//! * [`Mention`], [`PersonEntity`]: what NER produces and what linking
//!   produces; the attribute and address stages consume them.
//! * The stage traits [`Recognizer`], [`Linker`], [`AttributeClassifier`],
//!   [`AddressExtractor`], composed by the pipeline crate.
//! * [`Error`]: an error kind plus context, as lindera does it.

pub mod bytes;
mod error;
pub mod lexicon;
pub mod linear;
mod record;
mod span;
mod stage;
mod text;

pub use error::{Error, ErrorKind, Result};
pub use record::{ArticleInput, ArticleOutput, Category, OwnedAddress, Person};
pub use span::Span;
pub use stage::{
    AddressExtractor, Addresses, AttributeClassifier, Document, Linker, Mention, MentionKind,
    PersonEntity, Pos, Recognizer, SuffixClass, Token,
};
pub use text::{fold_char, heads_and_tails, Text, MAX_SENTENCE_CHARS};
