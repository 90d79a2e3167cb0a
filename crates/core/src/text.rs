//! The article text: original chars, a width-folded view with the same char
//! offsets, and sentence boundaries.
use crate::Span;

/// Fold one char to its canonical width form, 1:1 so that char offsets in
/// the folded view are the offsets of the original:
/// full-width ASCII (Ａ, ４, （) -> ASCII, ideographic space -> space,
/// half-width katakana -> full-width katakana (a following half-width voicing
/// mark stays a separate char), ・ variants -> ・.
pub fn fold_char(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        '\u{FF65}' | '\u{30FB}' => '・',
        '\u{FF61}' => '。',
        '\u{FF62}' => '「',
        '\u{FF63}' => '」',
        '\u{FF64}' => '、',
        '\u{FF66}'..='\u{FF9D}' => HALF_KANA[(c as u32 - 0xFF66) as usize],
        '\u{FF9E}' => '゛',
        '\u{FF9F}' => '゜',
        '\u{2212}' => '-',
        _ => c,
    }
}

const HALF_KANA: [char; 56] = [
    'ヲ', 'ァ', 'ィ', 'ゥ', 'ェ', 'ォ', 'ャ', 'ュ', 'ョ', 'ッ', 'ー', 'ア', 'イ', 'ウ', 'エ', 'オ', 'カ',
    'キ', 'ク', 'ケ', 'コ', 'サ', 'シ', 'ス', 'セ', 'ソ', 'タ', 'チ', 'ツ', 'テ', 'ト', 'ナ', 'ニ', 'ヌ',
    'ネ', 'ノ', 'ハ', 'ヒ', 'フ', 'ヘ', 'ホ', 'マ', 'ミ', 'ム', 'メ', 'モ', 'ヤ', 'ユ', 'ヨ', 'ラ', 'リ',
    'ル', 'レ', 'ロ', 'ワ', 'ン',
];

/// Longest sentence (in chars) handed to later stages in one piece; longer
/// runs without a sentence end are cut at a comma or space, else hard.
pub const MAX_SENTENCE_CHARS: usize = 400;

/// An article's text with char-offset helpers.
#[derive(Debug, Clone)]
pub struct Text {
    original: String,
    /// Byte offset of each original char, plus the total length.
    orig_bytes: Vec<usize>,
    folded: String,
    /// Byte offset of each folded char, plus the total length.
    fold_bytes: Vec<usize>,
    sentences: Vec<Span>,
}

impl Text {
    pub fn new(original: &str) -> Self {
        let mut orig_bytes = Vec::with_capacity(original.len() / 2 + 1);
        let mut folded = String::with_capacity(original.len());
        let mut fold_bytes = Vec::with_capacity(original.len() / 2 + 1);
        for (b, c) in original.char_indices() {
            orig_bytes.push(b);
            fold_bytes.push(folded.len());
            folded.push(fold_char(c));
        }
        orig_bytes.push(original.len());
        fold_bytes.push(folded.len());
        let mut text = Text {
            original: original.to_owned(),
            orig_bytes,
            folded,
            fold_bytes,
            sentences: Vec::new(),
        };
        text.sentences = split_sentences(&text.folded_chars());
        text
    }

    /// The article as given.
    pub fn original(&self) -> &str {
        &self.original
    }
    /// The width-folded view; char `i` of it is char `i` of the original.
    pub fn folded(&self) -> &str {
        &self.folded
    }
    /// Number of chars.
    pub fn len_chars(&self) -> usize {
        self.orig_bytes.len() - 1
    }
    pub fn is_empty(&self) -> bool {
        self.original.is_empty()
    }
    pub fn folded_chars(&self) -> Vec<char> {
        self.folded.chars().collect()
    }
    /// Sentence spans (char offsets), covering the text without gaps except
    /// leading/trailing whitespace.
    pub fn sentences(&self) -> &[Span] {
        &self.sentences
    }
    /// The sentence that contains char `pos` (or the last one before it).
    pub fn sentence_at(&self, pos: usize) -> Option<Span> {
        let i = self.sentences.partition_point(|s| s.end <= pos);
        self.sentences.get(i).copied().filter(|s| s.start <= pos).or_else(|| i.checked_sub(1).map(|j| self.sentences[j]))
    }
    fn clamp(&self, span: Span) -> Span {
        let n = self.len_chars();
        let end = span.end.min(n);
        Span::new(span.start.min(end), end)
    }
    /// Original text of a char span (clamped to the text).
    pub fn slice(&self, span: Span) -> &str {
        let s = self.clamp(span);
        &self.original[self.orig_bytes[s.start]..self.orig_bytes[s.end]]
    }
    /// Folded text of a char span (clamped to the text).
    pub fn folded_slice(&self, span: Span) -> &str {
        let s = self.clamp(span);
        &self.folded[self.fold_bytes[s.start]..self.fold_bytes[s.end]]
    }
    /// Char offset of a byte offset into the folded view (must be a char boundary;
    /// otherwise the char containing it).
    pub fn char_of_folded_byte(&self, byte: usize) -> usize {
        match self.fold_bytes.binary_search(&byte) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
    /// Byte offset into the folded view of char offset `ch`.
    pub fn folded_byte_of_char(&self, ch: usize) -> usize {
        self.fold_bytes[ch.min(self.len_chars())]
    }
    /// Char span of a byte range of the folded view.
    pub fn span_of_folded_bytes(&self, start: usize, end: usize) -> Span {
        Span::new(self.char_of_folded_byte(start), self.char_of_folded_byte(end))
    }
}

fn is_open(c: char) -> bool {
    matches!(c, '「' | '『' | '(' | '（' | '【' | '〔' | '[' | '《' | '〈')
}
fn is_close(c: char) -> bool {
    matches!(c, '」' | '』' | ')' | '）' | '】' | '〕' | ']' | '》' | '〉')
}

/// Split into sentences at 。！？!? (outside brackets) and at line breaks.
/// Bracket depth is reset at every line break and capped so that an
/// unbalanced bracket cannot swallow the article; sentences longer than
/// [`MAX_SENTENCE_CHARS`] are cut at the last comma or space before the limit.
fn split_sentences(chars: &[char]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut depth = 0usize;
    let mut i = 0usize;
    let push = |out: &mut Vec<Span>, s: usize, e: usize| {
        let mut s = s;
        let mut e = e;
        while s < e && chars[s].is_whitespace() {
            s += 1;
        }
        while e > s && chars[e - 1].is_whitespace() {
            e -= 1;
        }
        if s < e {
            out.push(Span::new(s, e));
        }
    };
    while i < chars.len() {
        let c = chars[i];
        let mut cut = None;
        if c == '\n' || c == '\r' {
            depth = 0;
            cut = Some(i + 1);
        } else if is_open(c) {
            depth = (depth + 1).min(4);
        } else if is_close(c) {
            depth = depth.saturating_sub(1);
        } else if depth == 0 && matches!(c, '。' | '!' | '?' | '！' | '？') {
            let mut j = i + 1;
            // Closing marks stay with their sentence, up to the length cap
            // (a run of 「。。。…」 must not make one unbounded sentence).
            while j < chars.len() && j < start + MAX_SENTENCE_CHARS && matches!(chars[j], '。' | '!' | '?' | '」' | '』' | ')') {
                j += 1;
            }
            cut = Some(j);
        }
        if cut.is_none() && i + 1 - start >= MAX_SENTENCE_CHARS {
            // Cut long runs at the last comma/space, else here.
            let window = &chars[start..=i];
            let back = window.iter().rposition(|&c| matches!(c, '、' | ',' | ' ' | '，'));
            cut = Some(match back {
                Some(p) if p > MAX_SENTENCE_CHARS / 2 => start + p + 1,
                _ => i + 1,
            });
            depth = 0;
        }
        if let Some(e) = cut {
            push(&mut out, start, e);
            start = e;
            i = e;
        } else {
            i += 1;
        }
    }
    push(&mut out, start, chars.len());
    out
}

/// The proper heads and tails of a name, `min` chars and longer: for every
/// k in `min..len`, its first k chars and its last k chars. The person
/// stage looks partial names up by them, the linker names inside longer
/// names: a walk linear in the name, where comparing every pair of names
/// of a hostile article (thousands) would not be.
pub fn heads_and_tails(name: &str, min: usize) -> impl Iterator<Item = (&str, &str)> {
    let at: Vec<usize> = name.char_indices().map(|(b, _)| b).collect();
    let n = at.len();
    (min.max(1)..n).map(move |k| (&name[..at[k]], &name[at[n - k]..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heads_and_tails_of_a_name() {
        let parts: Vec<(&str, &str)> = heads_and_tails("武藤勇貴", 2).collect();
        assert_eq!(parts, [("武藤", "勇貴"), ("武藤勇", "藤勇貴")]);
        assert_eq!(heads_and_tails("武藤勇貴", 1).count(), 3);
        assert_eq!(heads_and_tails("武藤", 2).count(), 0);
        assert_eq!(heads_and_tails("", 1).count(), 0);
    }

    // From dev article ld-kaden-channel-6217634 (livedoor news, CC BY-ND 2.1 JP).
    const ARTICLE: &str = "人気SNS「ミクシィ」内で覚せい剤を売ったとして、東京都新宿区の元同区議、俵正と台東区の無職、鈴木博司（４３）が逮捕された。彼らはミクシィ内に「元祖！シャブコミュ」というコミュニティーを作っていた。\n\nミクシィといえば、日本最大級のコミュニティーサイトで";

    #[test]
    fn folding_keeps_char_offsets() {
        let t = Text::new(ARTICLE);
        assert_eq!(t.folded().chars().count(), t.len_chars());
        let at = t.folded().find("(43)").expect("full-width digits folded");
        let span = t.span_of_folded_bytes(at, at + "(43)".len());
        assert_eq!(t.slice(span), "（４３）");
    }

    #[test]
    fn sentences_do_not_split_inside_brackets() {
        let t = Text::new(ARTICLE);
        let s: Vec<&str> = t.sentences().iter().map(|&s| t.slice(s)).collect();
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s[0].ends_with("逮捕された。"));
        assert_eq!(s[1], "彼らはミクシィ内に「元祖！シャブコミュ」というコミュニティーを作っていた。");
        assert_eq!(t.sentence_at(s[0].chars().count() + 3), Some(t.sentences()[1]));
    }

    #[test]
    fn long_unbroken_text_is_cut() {
        let long = "あ".repeat(MAX_SENTENCE_CHARS * 3 + 5);
        let t = Text::new(&long);
        assert_eq!(t.sentences().len(), 4);
        assert!(t.sentences().iter().all(|s| s.len() <= MAX_SENTENCE_CHARS));
        assert_eq!(t.sentences().last().unwrap().end, t.len_chars());
    }

    #[test]
    fn a_run_of_sentence_ends_is_cut_too() {
        // Found by crates/core/tests/text_props.rs: 「。」 x 401 was one sentence.
        for s in ["。".repeat(1000), format!("あ。{}", "」".repeat(1000)), "あ!".repeat(10) + &"?".repeat(999)] {
            let t = Text::new(&s);
            assert!(t.sentences().iter().all(|s| s.len() <= MAX_SENTENCE_CHARS), "{:?}", t.sentences());
            assert_eq!(t.sentences().last().unwrap().end, t.len_chars());
        }
    }

    #[test]
    fn unbalanced_bracket_is_reset_at_newline() {
        let t = Text::new("「引用が閉じない。ここも。\n次の文。その次。");
        assert_eq!(t.sentences().len(), 3);
    }

    #[test]
    fn half_width_katakana_is_folded() {
        assert_eq!(Text::new("ｶﾀｶﾅ").folded(), "カタカナ");
    }
}
