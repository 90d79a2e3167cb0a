//! Property tests of the whole default pipeline (tokenise, NER, linking,
//! attributes, addresses) on arbitrary text mixed with pieces of real
//! articles: it never panics, and everything it outputs points into the
//! article: every mention span lies inside it (char offsets, start < end <=
//! chars), every reason is a substring of it, names, addresses, owners and
//! police bodies are made of its chars. Also: the output is deterministic
//! and survives its own JSON serialisation.
//!
//! The default case count keeps the debug test fast; for a long run:
//! `PROPTEST_CASES=20000 cargo test -p kiji-pipeline --release --test props`
//! (results in docs/ROBUSTNESS.md). Failing inputs are kept in
//! `tests/props.proptest-regressions` and replayed first on every run.
use kiji_pipeline::{ArticleInput, ArticleOutput, Config, Pipeline};
use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;
use std::sync::OnceLock;

fn pipeline() -> &'static Pipeline {
    static P: OnceLock<Pipeline> = OnceLock::new();
    P.get_or_init(|| Pipeline::new(&Config::default()).expect("pipeline"))
}

/// Sentences of the committed sample (Japanese Wikinews, CC BY 2.5).
fn real_sentences() -> &'static [String] {
    static S: OnceLock<Vec<String>> = OnceLock::new();
    S.get_or_init(|| {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures/sample/input.jsonl");
        let text = std::fs::read_to_string(path).expect("fixtures/sample/input.jsonl");
        text.lines()
            .map(|l| serde_json::from_str::<ArticleInput>(l).unwrap().article)
            .flat_map(|a| a.split_inclusive('。').map(str::to_owned).collect::<Vec<_>>())
            .collect()
    })
}

/// Words the stages key on: name suffixes, offence and arrest words,
/// address units, police bodies, ages, brackets and breaks.
const CUES: &[&str] = &[
    "容疑者", "被告", "被告人", "氏", "さん", "社長", "元社長", "会長", "知事", "市長", "容疑", "の疑い", "罪", "違反", "法違反",
    "逮捕", "逮捕した。", "書類送検", "起訴", "同容疑者", "同被告", "同氏", "無罪判決", "(44)", "（４４）", "44歳", "(", ")", "（",
    "）", "「", "」", "『", "』", "・", "、", "。", "\n", " ", "\u{3000}", "東京都", "千代田区", "大阪市", "同市", "同県", "北区",
    "1丁目2番3号", "在住", "本社", "県警", "警視庁", "署", "地検", "田中博之", "山田太郎", "セグン・オデグバミ", "ｶﾀｶﾅ", "ﾀﾞ",
    "𠮷田", "👨‍👩‍👧", "\u{0}", "\u{200b}", "\u{feff}", "\r\n", "1970年生まれ", "２０１０年",
];

fn piece() -> impl Strategy<Value = String> {
    let real = (prop::sample::select(real_sentences()), any::<prop::sample::Index>(), any::<prop::sample::Index>())
        .prop_map(|(s, a, b)| {
            // A random char range of a real sentence.
            let n = s.chars().count();
            let (a, b) = (a.index(n + 1), b.index(n + 1));
            s.chars().skip(a.min(b)).take(a.max(b) - a.min(b)).collect::<String>()
        });
    prop_oneof![
        4 => real,
        2 => prop::sample::select(real_sentences()).prop_map(|s| s.clone()),
        4 => prop::sample::select(CUES).prop_map(str::to_owned),
        1 => any::<String>(),
        1 => "[あ-ん一-龥ァ-ヶ]{1,12}",
        1 => (prop::sample::select(CUES), 1usize..300).prop_map(|(c, n)| c.repeat(n)),
    ]
}

fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..24).prop_map(|v| v.concat())
}

fn input() -> impl Strategy<Value = ArticleInput> {
    let posted = prop_oneof![
        Just(None),
        Just(Some("2010-05-01".to_owned())),
        prop::sample::select(&["", "x", "9", "２０１０-０５", "1999", "99999999999999999999-01-01", "2010-13-45T00:00"][..])
            .prop_map(|s| Some(s.to_owned())),
        any::<String>().prop_map(Some),
    ];
    let hints = prop::collection::vec(prop_oneof![piece(), Just(String::new())], 0..3);
    (article(), posted, hints.clone(), hints).prop_map(|(article, posted_at, person_hints, company_hints)| ArticleInput {
        id: Some("prop".to_owned()),
        posted_at,
        article,
        person_hints,
        company_hints,
    })
}

/// Every string of the output made of the article's chars.
fn from_article(article: &str, s: &str) -> bool {
    s.chars().all(|c| article.contains(c))
}

fn check(input: &ArticleInput, out: &ArticleOutput) -> Result<(), TestCaseError> {
    let article = input.article.as_str();
    let n = article.chars().count();
    prop_assert_eq!(&out.id, &input.id);
    for p in &out.persons {
        prop_assert!(!p.name.is_empty(), "empty name");
        prop_assert!(from_article(article, &p.name), "name {} not from the article", p.name);
        prop_assert!(!p.mentions.is_empty(), "{} has no mention", p.name);
        for m in &p.mentions {
            prop_assert!(m.start < m.end && m.end <= n, "mention {:?} of {} outside 0..{}", m, p.name, n);
        }
        if let Some(r) = &p.reason {
            prop_assert!(article.contains(r.as_str()), "reason not verbatim: {}", r);
        }
        if let Some(age) = &p.age {
            prop_assert!(!age.is_empty() && age.chars().all(|c| c.is_ascii_digit()), "age {} is not digits", age);
        }
        for s in [&p.position, &p.affiliation].into_iter().flatten() {
            prop_assert!(from_article(article, s), "position/affiliation {} not from the article", s);
        }
        prop_assert!(p.is_offender || p.act.is_none(), "{} has an act but is no offender", p.name);
    }
    for a in out.residences.iter().chain(&out.headquarters_locations) {
        prop_assert!(from_article(article, &a.address), "address {} not from the article", a.address);
        prop_assert!(from_article(article, &a.owner), "owner {} not from the article", a.owner);
    }
    for s in out.physical_crime_occured_locations.iter().chain(&out.police_departments) {
        prop_assert!(from_article(article, s), "{} not from the article", s);
    }
    Ok(())
}

/// Failing cases are kept beside this file (proptest-regressions/).
fn config() -> ProptestConfig {
    ProptestConfig { failure_persistence: Some(Box::new(FileFailurePersistence::WithSource("proptest-regressions"))), ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn pipeline_output_points_into_the_article(input in input()) {
        let p = pipeline();
        let out = p.process(&input);
        check(&input, &out)?;
        // Deterministic, and the record survives JSON.
        prop_assert_eq!(&p.process(&input), &out);
        let json = serde_json::to_string(&out).unwrap();
        prop_assert_eq!(serde_json::from_str::<ArticleOutput>(&json).unwrap(), out);
    }

    #[test]
    fn each_stage_keeps_its_spans_inside_the_article(input in input()) {
        let p = pipeline();
        let st = p.stages();
        let doc = p.document(&input);
        let n = doc.text.len_chars();
        let mut prev_end = 0;
        for t in &doc.tokens {
            prop_assert!(t.span.start < t.span.end && t.span.end <= n, "token {:?} outside 0..{}", t.span, n);
            prop_assert!(t.span.start >= prev_end, "tokens overlap at {:?}", t.span);
            prev_end = t.span.end;
        }
        let mentions = st.recognizer.recognize(&doc);
        for m in &mentions {
            prop_assert!(m.span.start < m.span.end && m.span.end <= n, "mention {:?} outside 0..{}", m.span, n);
            if let Some(s) = m.suffix {
                prop_assert!(s.start <= s.end && s.end <= n, "suffix {:?} outside 0..{}", s, n);
            }
            prop_assert!((0.0..=1.0).contains(&m.score), "score {}", m.score);
        }
        let entities = st.linker.link(&doc, &mentions);
        for e in &entities {
            prop_assert!(!e.mentions.is_empty());
            prop_assert!(e.mentions.iter().all(|&i| i < mentions.len()), "entity {} points past the mentions", e.name);
        }
        // The learned person stage (the default) re-decides the full names.
        let (mentions, entities, persons) = p.persons(&doc, &mentions);
        for m in &mentions {
            prop_assert!(m.span.start < m.span.end && m.span.end <= n, "decided mention {:?} outside 0..{}", m.span, n);
        }
        for e in &entities {
            prop_assert!(!e.mentions.is_empty() && e.mentions.iter().all(|&i| i < mentions.len()), "person {} points past the mentions", e.name);
        }
        let addresses = st.addresses.extract(&doc, &mentions, &persons);
        let out = ArticleOutput::assemble(input.id.clone(), persons, addresses);
        check(&input, &out)?;
        prop_assert_eq!(out, p.process(&input), "the stages one by one give what process gives");
    }
}

/// Inputs the property tests found or that once broke a stage, replayed
/// explicitly so that they stay fixed whatever the regressions file holds.
#[test]
fn known_hostile_articles() {
    let p = pipeline();
    let cases = [
        "。".repeat(1000),
        format!("田中博之容疑者{}", "」".repeat(900)),
        "田中博之容疑者(44)".repeat(200),
        "(".repeat(500) + "山田太郎氏",
        "同容疑者".repeat(100),
        "\u{0}".repeat(50),
        "ﾀﾅｶﾀﾛｳ容疑者(45)を逮捕した｡".to_owned(),
        "𠮷田太郎容疑者を東京都千代田区で逮捕した。".to_owned(),
    ];
    for article in cases {
        let input = ArticleInput { posted_at: Some("2010-05-01".into()), ..ArticleInput::new("k", article) };
        check(&input, &p.process(&input)).unwrap_or_else(|e| panic!("{}: {e}", input.article));
    }
}

/// Address-like pieces: units, numbers in every script, dashes, 同-references.
const ADDRESS_PIECES: &[&str] = &[
    "東京都", "千代田区", "大阪府", "大阪市", "東淀川区", "北海道", "札幌市", "中央区", "京都市", "兵庫県", "明石市", "与謝郡", "伊根町",
    "竜ケ崎市", "龍ヶ崎市", "霞が関", "霞ケ関", "1", "２", "三", "十", "丁目", "番地", "番", "号", "の", "-", "−", "‐", "ー", "－", "同市",
    "同県", "同区", "同町", "在住", "本社", "県警", "府警", "警察署", "署", "地検", "アメリカ", "ニューヨーク", "(", ")", "、", "。", " ",
    "\u{fe0f}", "\u{e0100}", "葛\u{e0100}飾区",
];

fn address_text() -> impl Strategy<Value = String> {
    let p = prop_oneof![
        6 => prop::sample::select(ADDRESS_PIECES).prop_map(str::to_owned),
        2 => piece(),
        1 => (prop::sample::select(ADDRESS_PIECES), 1usize..200).prop_map(|(c, n)| c.repeat(n)),
    ];
    prop::collection::vec(p, 0..30).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(config())]

    /// The address recogniser, the police finder and the splitter alone.
    #[test]
    fn address_spans_lie_inside_the_text(s in address_text()) {
        let text = kiji_core::Text::new(&s);
        let n = text.len_chars();
        let spans = kiji_address::find_addresses(&text);
        let mut prev = 0;
        for a in &spans {
            prop_assert!(a.span.start < a.span.end && a.span.end <= n, "address span {:?} outside 0..{}", a.span, n);
            prop_assert!(a.span.start >= prev, "address spans out of text order at {:?}", a.span);
            prev = a.span.start;
            prop_assert!(!a.text.is_empty() && from_article(&s, &a.text), "address {} not from the text", a.text);
            if !a.resolved {
                let written = text.slice(a.span);
                prop_assert!(a.text == written || a.text == text.folded_slice(a.span), "{} is not the text at {:?} ({})", a.text, a.span, written);
            }
        }
        for body in kiji_address::find_police(&text) {
            prop_assert!(from_article(&s, &body), "police body {} not from the text", body);
        }
        let split = kiji_address::split(&s);
        prop_assert!(from_article(&s, &split.rest), "rest {} not from the input", split.rest);
    }
}
