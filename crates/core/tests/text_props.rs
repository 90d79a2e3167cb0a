//! Property tests of the text view ([`Text`]): width folding keeps char
//! offsets, sentence spans are in bounds, ordered, non-overlapping, at most
//! [`MAX_SENTENCE_CHARS`] long and leave only whitespace between them, and
//! the offset maps round-trip. `PROPTEST_CASES=20000 cargo test -p kiji-core
//! --release --test text_props` for a long run (docs/ROBUSTNESS.md).
use kiji_core::{fold_char, Span, Text, MAX_SENTENCE_CHARS};
use proptest::prelude::*;

/// Pieces that exercise the folding and the splitter: sentence ends,
/// brackets (balanced or not), commas, line breaks, full-width and
/// half-width forms, astral and combining chars, whitespace of every kind.
const PIECES: &[&str] = &[
    "。", "！", "？", "!", "?", "、", ",", "，", " ", "\u{3000}", "\n", "\r", "\r\n", "\t", "「", "」", "『", "』", "(", ")",
    "（", "）", "【", "】", "〔", "〕", "[", "]", "《", "》", "〈", "〉", "田中博之容疑者(44)を逮捕した", "東京都千代田区", "ＡＢＣ１２３",
    "ｶﾀｶﾅﾞﾟ", "･", "・", "−", "～", "𠮷", "👨‍👩‍👧", "か\u{3099}", "\u{0}", "\u{200b}", "\u{2028}", "\u{feff}", "\u{85}", "ａ",
];

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(PIECES).prop_map(str::to_owned),
        2 => any::<String>(),
        1 => "[あ-ん一-龥ァ-ヶ]{1,30}",
        1 => (prop::sample::select(PIECES), 1usize..600).prop_map(|(p, n)| p.repeat(n)),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn folding_keeps_one_char_per_char(s in text()) {
        let t = Text::new(&s);
        let n = s.chars().count();
        prop_assert_eq!(t.len_chars(), n);
        prop_assert_eq!(t.folded().chars().count(), n);
        prop_assert_eq!(t.original(), s.as_str());
        prop_assert_eq!(t.is_empty(), s.is_empty());
        for (o, f) in s.chars().zip(t.folded().chars()) {
            prop_assert_eq!(fold_char(o), f);
        }
    }

    #[test]
    fn sentences_are_in_bounds_ordered_and_short(s in text()) {
        let t = Text::new(&s);
        let chars: Vec<char> = s.chars().collect();
        let n = chars.len();
        let mut prev_end = 0usize;
        for (i, &sp) in t.sentences().iter().enumerate() {
            prop_assert!(sp.start < sp.end && sp.end <= n, "sentence {i} {sp:?} of {n}");
            prop_assert!(sp.start >= prev_end, "sentence {i} {sp:?} overlaps the previous one (end {prev_end})");
            prop_assert!(sp.len() <= MAX_SENTENCE_CHARS, "sentence {i} has {} chars", sp.len());
            // Trimmed, and only whitespace in the gap before it.
            prop_assert!(!chars[sp.start].is_whitespace() && !chars[sp.end - 1].is_whitespace());
            prop_assert!(chars[prev_end..sp.start].iter().all(|c| c.is_whitespace()), "non-space dropped before {sp:?}");
            prop_assert_eq!(t.sentence_at(sp.start), Some(sp));
            prop_assert_eq!(t.sentence_at(sp.end - 1), Some(sp));
            prev_end = sp.end;
        }
        prop_assert!(chars[prev_end..].iter().all(|c| c.is_whitespace()), "non-space dropped at the end");
        if t.sentences().is_empty() {
            prop_assert!(chars.iter().all(|c| c.is_whitespace()));
        }
    }

    #[test]
    fn slices_round_trip(s in text(), a in any::<prop::sample::Index>(), b in any::<prop::sample::Index>()) {
        let t = Text::new(&s);
        let n = t.len_chars();
        let (a, b) = if n == 0 { (0, 0) } else { (a.index(n + 1), b.index(n + 1)) };
        let (lo, hi) = (a.min(b), a.max(b));
        let whole = Span::new(0, n);
        prop_assert_eq!(t.slice(whole), s.as_str());
        prop_assert_eq!(t.folded_slice(whole), t.folded());
        let parts = [Span::new(0, lo), Span::new(lo, hi), Span::new(hi, n)];
        prop_assert_eq!(parts.iter().map(|&p| t.slice(p)).collect::<String>(), s.clone());
        prop_assert_eq!(parts.iter().map(|&p| t.folded_slice(p)).collect::<String>(), t.folded().to_owned());
        let mid = t.slice(parts[1]);
        prop_assert_eq!(mid.chars().count(), hi - lo);
        prop_assert_eq!(mid, s.chars().skip(lo).take(hi - lo).collect::<String>());
        // Char <-> folded byte offsets.
        let (bl, bh) = (t.folded_byte_of_char(lo), t.folded_byte_of_char(hi));
        prop_assert!(t.folded().is_char_boundary(bl) && t.folded().is_char_boundary(bh));
        prop_assert_eq!(t.span_of_folded_bytes(bl, bh), parts[1]);
        prop_assert_eq!(t.char_of_folded_byte(bl), lo);
        // A byte inside a char maps to that char.
        if lo < n {
            let next = t.folded_byte_of_char(lo + 1);
            for byte in bl..next {
                prop_assert_eq!(t.char_of_folded_byte(byte), lo);
            }
        }
        // Out-of-range spans are clamped, never a panic.
        prop_assert_eq!(t.slice(Span::new(lo, n + 5)), t.slice(Span::new(lo, n)));
        prop_assert_eq!(t.slice(Span::new(n + 3, n + 9)), "");
        prop_assert_eq!(t.folded_byte_of_char(n + 7), t.folded().len());
        prop_assert_eq!(t.sentence_at(n + 100).is_some(), !t.sentences().is_empty());
    }
}

#[test]
fn a_long_run_without_breaks_is_cut_into_bounded_sentences() {
    for unit in ["あ", "、", "(", "ｶﾞ", "👨‍👩‍👧", "a b"] {
        let s = unit.repeat(10_000);
        let t = Text::new(&s);
        assert!(t.sentences().iter().all(|sp| sp.len() <= MAX_SENTENCE_CHARS), "{unit}");
        assert_eq!(t.len_chars(), s.chars().count());
    }
}
