//! Loading the word lists under `dictionaries/`: one entry a line, `#` starts
//! a comment line, blank lines are skipped; `.tsv` lists carry a second
//! column after a tab.

/// The entries of a one-column word list.
pub fn words(src: &str) -> impl Iterator<Item = &str> {
    src.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The (key, value) rows of a two-column tab-separated list; a row without a
/// tab has an empty value.
pub fn pairs(src: &str) -> impl Iterator<Item = (&str, &str)> {
    words(src).map(|l| match l.split_once('\t') {
        Some((k, v)) => (k.trim(), v.trim()),
        None => (l, ""),
    })
}

/// Char classes used by the rule stages.
pub mod chars {
    /// CJK ideographs plus the marks that stand inside kanji names (々 〆 ヶ).
    pub fn is_kanji(c: char) -> bool {
        matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '々' | '〆' | 'ヶ' | '\u{20000}'..='\u{2FFFF}')
    }
    pub fn is_hiragana(c: char) -> bool {
        matches!(c, '\u{3041}'..='\u{309F}')
    }
    /// Katakana letters and the long-vowel mark (not the middle dot).
    pub fn is_katakana(c: char) -> bool {
        matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー' | '\u{31F0}'..='\u{31FF}')
    }
    pub fn is_kana(c: char) -> bool {
        is_hiragana(c) || is_katakana(c)
    }
    /// Chars that may form part of a Japanese name.
    pub fn is_name_char(c: char) -> bool {
        is_kanji(c) || is_kana(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn comments_and_blanks_are_skipped() {
        let src = "# head\n\n容疑者\tsuspect\n 氏 \n";
        assert_eq!(pairs(src).collect::<Vec<_>>(), vec![("容疑者", "suspect"), ("氏", "")]);
        assert_eq!(words(src).count(), 2);
    }
}
