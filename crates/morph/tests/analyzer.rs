//! kiji-morph on real text.
use std::sync::{Arc, OnceLock};

use kiji_core::{Pos, Span, Text, Token};
use kiji_morph::Analyzer;

// Japanese Wikinews wn-1841 (CC BY 2.5), one sentence.
const WN_1841: &str = "大阪府警生安特捜隊は、著作権法違反(頒布目的所持)容疑で、雑貨卸売会社・『ライスフィールド』(大阪市東淀川区)社長・田中博之容疑者(44歳、大阪府箕面市在住)や同社社員ら12人を逮捕した";

fn analyzer() -> &'static Analyzer {
    static A: OnceLock<Analyzer> = OnceLock::new();
    A.get_or_init(|| Analyzer::new().expect("embedded IPADIC loads"))
}

/// Char offset of the first occurrence of `needle` in `hay`.
fn char_pos(hay: &str, needle: &str) -> usize {
    let b = hay
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in text"));
    hay[..b].chars().count()
}

fn token_at<'a>(tokens: &'a [Token], text: &Text, start: usize, surface: &str) -> &'a Token {
    tokens
        .iter()
        .find(|t| t.span.start == start && text.slice(t.span) == surface)
        .unwrap_or_else(|| {
            let dump: Vec<_> = tokens.iter().map(|t| (text.slice(t.span), t.pos)).collect();
            panic!("no token {surface} at {start}: {dump:?}")
        })
}

/// Spans are in order, non-empty, non-overlapping, inside the text, and
/// between two tokens there is only whitespace.
fn assert_well_formed(text: &Text, tokens: &[Token]) {
    let chars: Vec<char> = text.original().chars().collect();
    let mut prev = 0usize;
    for t in tokens {
        assert!(!t.span.is_empty(), "empty span {:?}", t.span);
        assert!(t.span.start >= prev, "overlap or disorder at {:?}", t.span);
        assert!(
            t.span.end <= text.len_chars(),
            "span {:?} outside text",
            t.span
        );
        assert!(
            chars[prev..t.span.start].iter().all(|c| c.is_whitespace()),
            "non-whitespace gap {:?} before {:?}",
            &chars[prev..t.span.start],
            t.span
        );
        prev = t.span.end;
    }
    assert!(
        chars[prev..].iter().all(|c| c.is_whitespace()),
        "untokenised tail from {prev}"
    );
}

#[test]
fn wikinews_sentence_names_places_and_offsets() {
    let text = Text::new(WN_1841);
    let tokens = analyzer().tokenize(&text);
    assert_well_formed(&text, &tokens);

    // Spans slice back to the original and concatenate to it (no whitespace here).
    let joined: String = tokens.iter().map(|t| text.slice(t.span)).collect();
    assert_eq!(joined, WN_1841);

    let tanaka = char_pos(WN_1841, "田中");
    assert_eq!(tanaka, 58);
    // A char offset, not a byte offset (every char here is 3 bytes or 1).
    assert_ne!(tanaka, WN_1841.find("田中").unwrap());
    assert_eq!(token_at(&tokens, &text, tanaka, "田中").pos, Pos::Surname);
    let hiroyuki = token_at(&tokens, &text, tanaka + 2, "博之");
    assert_eq!(hiroyuki.pos, Pos::GivenName);
    assert!(!hiroyuki.unknown);

    assert_eq!(tokens[0].span, Span::new(0, 2));
    assert_eq!(tokens[0].pos, Pos::Place, "大阪");
    assert_eq!(
        token_at(&tokens, &text, char_pos(WN_1841, "箕面"), "箕面").pos,
        Pos::Place
    );
    assert_eq!(
        token_at(&tokens, &text, char_pos(WN_1841, "東淀川"), "東淀川").pos,
        Pos::Place
    );

    // ASCII brackets are analysed as IPADIC's full-width symbols, each alone.
    for (i, c) in WN_1841.chars().enumerate() {
        if matches!(c, '(' | ')' | '『' | '』' | '、' | '・') {
            let t = token_at(&tokens, &text, i, &c.to_string());
            assert_eq!(t.pos, Pos::Symbol, "{c}");
            assert!(!t.unknown, "{c}");
        }
    }
    // ASCII digits group into one (unknown) number; the counter is a suffix.
    let age = token_at(&tokens, &text, char_pos(WN_1841, "44歳"), "44");
    assert_eq!((age.pos, age.unknown), (Pos::Number, true));
    assert_eq!(
        token_at(&tokens, &text, char_pos(WN_1841, "44歳") + 2, "歳").pos,
        Pos::NounSuffix
    );
    let arrest = token_at(&tokens, &text, char_pos(WN_1841, "逮捕"), "逮捕");
    assert_eq!(arrest.pos, Pos::Noun);
    let last = tokens.last().unwrap();
    assert_eq!((text.slice(last.span), last.pos), ("た", Pos::Predicate));
    assert!(tokens.iter().any(|t| t.pos == Pos::Particle));
    assert!(tokens.iter().any(|t| t.pos == Pos::NounSuffix));
}

#[test]
fn full_width_digits_and_long_unbroken_runs() {
    let mut article =
        String::from("ＡＢＣ社の山田　太郎社長（４５）は１２日、東京都千代田区で会見した。\n");
    article.push_str(&"あ".repeat(2000));
    article.push_str(&"漢".repeat(2000));
    article.push_str(&"カ".repeat(2000));
    article.push_str(&"1".repeat(2000));
    article.push_str(&"ｶﾞ".repeat(500));
    article.push_str("。最後に佐藤花子さんが話した。");
    let text = Text::new(&article);
    let tokens = analyzer().tokenize(&text);
    assert_well_formed(&text, &tokens);

    // Full-width digits: the number's span slices back to the original chars.
    let age = token_at(&tokens, &text, char_pos(&article, "４５"), "４５");
    assert_eq!(age.pos, Pos::Number);
    assert_eq!(
        token_at(&tokens, &text, char_pos(&article, "（"), "（").pos,
        Pos::Symbol
    );
    assert_eq!(
        token_at(&tokens, &text, char_pos(&article, "山田"), "山田").pos,
        Pos::Surname
    );
    // The ideographic space separates 山田 and 太郎 and is not a token.
    assert!(tokens.iter().all(|t| text.slice(t.span) != "　"));
    // Tokens never cross a sentence boundary (sentences are capped at 400 chars).
    for t in &tokens {
        let s = text.sentence_at(t.span.start).unwrap();
        assert!(s.contains(t.span), "{:?} crosses {:?}", t.span, s);
    }
    let sato = char_pos(&article, "佐藤");
    assert_eq!(token_at(&tokens, &text, sato, "佐藤").pos, Pos::Surname);
    assert_eq!(
        token_at(&tokens, &text, sato + 2, "花子").pos,
        Pos::GivenName
    );
}

#[test]
fn empty_and_whitespace_input() {
    let a = analyzer();
    assert!(a.tokenize(&Text::new("")).is_empty());
    assert!(a.tokenize(&Text::new(" \n\t　\r\n ")).is_empty());
    assert!(a.tokenize_str("").is_empty());
    assert!(a.tokenize_str("　 \n").is_empty());
    // Lone odd chars do not panic.
    for s in [
        "\u{0}",
        "\u{FEFF}",
        "゛",
        "ﾞ",
        "🇯🇵",
        "\u{10FFFF}",
        "a\u{301}",
        "。",
        "、、、",
    ] {
        let toks = a.tokenize_str(s);
        assert!(
            toks.iter().all(|(sp, _, _)| sp.end <= s.chars().count()),
            "{s:?}"
        );
    }
}

#[test]
fn tokenize_str_uses_char_offsets_into_the_string() {
    let s = "😀 田中さんは ｶﾀｶﾅ社の社長。";
    let toks = analyzer().tokenize_str(s);
    let chars: Vec<char> = s.chars().collect();
    let surf = |sp: Span| chars[sp.start..sp.end].iter().collect::<String>();
    let (sp, pos, unknown) = toks
        .iter()
        .copied()
        .find(|(sp, _, _)| surf(*sp) == "田中")
        .unwrap();
    assert_eq!(sp, Span::new(2, 4));
    assert_eq!((pos, unknown), (Pos::Surname, false));
    assert!(
        toks.iter().any(|(sp, _, _)| surf(*sp) == "ｶﾀｶﾅ"),
        "{:?}",
        toks
    );
    // Same analysis as tokenize() on a Text.
    let text = Text::new(s);
    let via_text: Vec<_> = analyzer()
        .tokenize(&text)
        .into_iter()
        .map(|t| (t.span, t.pos, t.unknown))
        .collect();
    assert_eq!(toks, via_text);
}

#[test]
fn shared_across_threads() {
    let a = Arc::new(Analyzer::new().unwrap());
    let text = Text::new(WN_1841);
    let expected = a.tokenize(&text);
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let a = Arc::clone(&a);
            std::thread::spawn(move || a.tokenize(&Text::new(WN_1841)))
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), expected);
    }
}

#[test]
fn dictionary_info_reports_the_build() {
    let info = kiji_morph::dictionary_info();
    assert!(info.embedded_bytes > 10_000_000, "{info:?}");
    assert!(!info.source_dir.is_empty());
    assert!(
        matches!(info.source_encoding, "EUC-JP" | "UTF-8"),
        "{info:?}"
    );
}
