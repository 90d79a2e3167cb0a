//! Subword pieces of an article with char spans, and the windows a long
//! article is cut into.
//!
//! The text is pre-split at morpheme boundaries (IPADIC tokens of the
//! [`Document`](kiji_core::Document)) before the model's own tokenizer runs,
//! so that no subword piece crosses a morpheme boundary: entity boundaries
//! fall inside a morpheme far less often than inside a SentencePiece piece of
//! the whole sentence. The bare `▁` pieces the Metaspace pre-tokenizer puts in
//! front of a word carry no character and are dropped (kept, they take the
//! next character's offsets and entities double).
use kiji_core::{Error, ErrorKind, Result, Span, Text, Token};
use std::path::Path;
use tokenizers::Tokenizer;

/// One subword piece: vocabulary id and char span in the article.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Piece {
    pub id: i64,
    pub span: Span,
}

pub struct PieceTokenizer {
    tokenizer: Tokenizer,
    pub cls: i64,
    pub sep: i64,
    pub pad: i64,
    bare_space: Option<u32>,
}

fn first_id(tokenizer: &Tokenizer, names: &[&str]) -> Option<i64> {
    names.iter().find_map(|n| tokenizer.token_to_id(n)).map(i64::from)
}

impl PieceTokenizer {
    pub fn from_file(path: &Path) -> Result<Self> {
        let tokenizer = Tokenizer::from_file(path)
            .map_err(|e| Error::new(ErrorKind::Resource, format!("cannot load tokenizer {}: {e}", path.display())))?;
        Self::new(tokenizer)
    }

    pub fn new(tokenizer: Tokenizer) -> Result<Self> {
        let missing = |what: &str| Error::new(ErrorKind::Resource, format!("tokenizer has no {what} token"));
        let cls = first_id(&tokenizer, &["<s>", "[CLS]"]).ok_or_else(|| missing("<s>/[CLS]"))?;
        let sep = first_id(&tokenizer, &["</s>", "[SEP]"]).ok_or_else(|| missing("</s>/[SEP]"))?;
        let pad = first_id(&tokenizer, &["<pad>", "[PAD]"]).ok_or_else(|| missing("<pad>/[PAD]"))?;
        let bare_space = tokenizer.token_to_id("▁");
        Ok(PieceTokenizer { tokenizer, cls, sep, pad, bare_space })
    }

    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// Pieces of `text`, pre-split at `tokens` (morphemes, in text order);
    /// with no morphemes, at sentence boundaries.
    pub fn pieces(&self, text: &Text, tokens: &[Token]) -> Result<Vec<Piece>> {
        let words: Vec<Span> = if tokens.is_empty() {
            text.sentences().to_vec()
        } else {
            tokens.iter().map(|t| t.span).collect()
        };
        let mut out = Vec::with_capacity(words.len() * 2);
        // Bounded calls keep the tokenizer's buffers small on huge articles.
        for chunk in words.chunks(4096) {
            let strs: Vec<&str> = chunk.iter().map(|&w| text.slice(w)).collect();
            let enc = self
                .tokenizer
                .encode_char_offsets(strs.as_slice(), false)
                .map_err(|e| Error::new(ErrorKind::Resource, format!("tokenizer: {e}")))?;
            for ((&id, word), &(s, e)) in enc.get_ids().iter().zip(enc.get_word_ids()).zip(enc.get_offsets()) {
                let Some(w) = word else { continue };
                if Some(id) == self.bare_space || s >= e {
                    continue;
                }
                let base = chunk[*w as usize].start;
                out.push(Piece { id: i64::from(id), span: Span::new(base + s, base + e) });
            }
        }
        Ok(out)
    }
}

/// `[start, end)` windows of at most `width` pieces over `n` pieces, each
/// overlapping the previous one by `overlap`.
pub fn windows(n: usize, width: usize, overlap: usize) -> Vec<(usize, usize)> {
    let width = width.max(1);
    let step = width.saturating_sub(overlap).max(1);
    let mut out = Vec::with_capacity(n / step + 1);
    let mut s = 0;
    while s < n {
        let e = (s + width).min(n);
        out.push((s, e));
        if e == n {
            break;
        }
        s += step;
    }
    out
}

/// Distance of position `i` from the nearer edge of window `(s, e)`: a piece
/// seen in two windows takes its scores from the one where it has more context.
pub fn margin(i: usize, (s, e): (usize, usize)) -> usize {
    (i - s).min(e - 1 - i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_everything_with_overlap() {
        assert!(windows(0, 8, 2).is_empty());
        assert_eq!(windows(5, 8, 2), vec![(0, 5)]);
        assert_eq!(windows(20, 8, 2), vec![(0, 8), (6, 14), (12, 20)]);
        for n in 1..60 {
            let w = windows(n, 7, 3);
            assert_eq!(w[0].0, 0);
            assert_eq!(w.last().unwrap().1, n);
            for p in w.windows(2) {
                assert!(p[1].0 < p[0].1, "windows must overlap or touch: {p:?}");
            }
        }
    }
}
