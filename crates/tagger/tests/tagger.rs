//! kiji-tagger tests. Sentences come from the Stockmark Wikipedia NER
//! dataset v2.0 (../shared/data/ner/stockmark, CC BY-SA 3.0, text from
//! Japanese Wikipedia).
use kiji_core::{ArticleInput, Document, Mention, MentionKind, Recognizer, Span, Text};
use kiji_tagger::model::{is_valid, viterbi, N_TAGS};
use kiji_tagger::{EnsembleRecognizer, Example, Model, TaggerRecognizer, TrainOptions};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

fn analyzer() -> &'static kiji_morph::Analyzer {
    static A: OnceLock<kiji_morph::Analyzer> = OnceLock::new();
    A.get_or_init(|| kiji_morph::Analyzer::new().expect("embedded IPADIC"))
}

/// The first `n` sentences of a Stockmark split, tokenised.
fn stockmark(split: &str, n: usize) -> Vec<Example> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../../../shared/data/ner/stockmark/{split}.json"));
    let text = std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let v: serde_json::Value = serde_json::from_str(&text).expect("Stockmark JSON");
    v.as_array()
        .expect("array")
        .iter()
        .take(n)
        .map(|s| {
            let t = s["text"].as_str().unwrap();
            let entities = s["entities"]
                .as_array()
                .unwrap()
                .iter()
                .map(|e| {
                    let sp = e["span"].as_array().unwrap();
                    (Span::new(sp[0].as_u64().unwrap() as usize, sp[1].as_u64().unwrap() as usize), e["type"].as_str().unwrap().to_owned())
                })
                .collect();
            Example::new(t, analyzer().tokenize(&Text::new(t)), entities)
        })
        .collect()
}

fn quiet(epochs: usize) -> TrainOptions {
    TrainOptions { epochs, seed: 7, patience: 3, prune: 0.0, verbose: false }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Whatever the scores, Viterbi returns a well-formed BIOES sequence.
    #[test]
    fn viterbi_never_emits_invalid_sequences(
        n in 1usize..24,
        seed in proptest::collection::vec(-50.0f32..50.0, 24 * N_TAGS + N_TAGS * N_TAGS + 2 * N_TAGS),
    ) {
        let em = &seed[..n * N_TAGS];
        let trans = &seed[24 * N_TAGS..24 * N_TAGS + N_TAGS * N_TAGS];
        let start = &seed[24 * N_TAGS + N_TAGS * N_TAGS..24 * N_TAGS + N_TAGS * N_TAGS + N_TAGS];
        let end = &seed[24 * N_TAGS + N_TAGS * N_TAGS + N_TAGS..];
        let mut out = Vec::new();
        viterbi(em, n, trans, start, end, &mut out);
        prop_assert_eq!(out.len(), n);
        prop_assert!(is_valid(&out), "{:?}", out);
    }
}

#[test]
fn viterbi_survives_non_finite_scores() {
    let mut em = vec![0.0f32; 3 * N_TAGS];
    em[5] = f32::NAN;
    em[N_TAGS + 2] = f32::INFINITY;
    let mut out = Vec::new();
    viterbi(&em, 3, &vec![f32::NEG_INFINITY; N_TAGS * N_TAGS], &[0.0; N_TAGS], &[0.0; N_TAGS], &mut out);
    assert_eq!(out.len(), 3);
    assert!(is_valid(&out));
}

#[test]
fn training_lowers_training_errors_and_round_trips() {
    let train = stockmark("train", 200);
    let (model, report) = kiji_tagger::train(&train, &[], &quiet(4));
    assert_eq!(report.epochs_run, 4);
    let e = &report.train_errors;
    assert!(e[3] < e[0] / 2, "training errors per epoch: {e:?}");
    // The trained model fits its training data well.
    let (tp, gold, pred) = kiji_tagger::evaluate(&model, &train);
    assert!(2.0 * tp as f64 / (gold + pred) as f64 > 0.8, "tp {tp} gold {gold} pred {pred}");
    // Deterministic.
    let (again, _) = kiji_tagger::train(&train, &[], &quiet(4));
    let bytes = model.to_bytes();
    assert_eq!(bytes, again.to_bytes());
    // Save / load round trip: same bytes, same predictions.
    let loaded = Model::from_bytes(&bytes).expect("round trip");
    assert_eq!(loaded.n_features(), model.n_features());
    assert_eq!(loaded.n_weights(), model.n_weights());
    assert_eq!(loaded.to_bytes(), bytes);
    assert_eq!(kiji_tagger::evaluate(&loaded, &train), (tp, gold, pred));
}

#[test]
fn corrupt_model_bytes_are_an_error() {
    assert!(Model::from_bytes(b"").is_err());
    assert!(Model::from_bytes(b"not a model").is_err());
    let bytes = Model::empty().to_bytes();
    assert!(Model::from_bytes(&bytes).is_ok());
    assert!(Model::from_bytes(&bytes[..bytes.len() / 2]).is_err());
}

fn document(input: &ArticleInput) -> Document<'_> {
    let mut doc = Document::new(input, Vec::new());
    doc.tokens = analyzer().tokenize(&doc.text);
    doc
}

#[test]
fn shipped_model_finds_a_person_and_a_place() {
    let tagger = TaggerRecognizer::new().expect("embedded model loads");
    assert!(tagger.model().n_features() > 10_000);
    // Stockmark test sentence, curid 390953 (Japanese Wikipedia, CC BY-SA 3.0).
    let input = ArticleInput::new("390953", "高祖父は吉田松陰の教え子でありサンフランシスコ領事を務めた河北義次郎。");
    let doc = document(&input);
    let ms = tagger.recognize(&doc);
    let has = |s: usize, e: usize, k: MentionKind, name: &str| ms.iter().any(|m| m.span == Span::new(s, e) && m.kind == k && m.name == name);
    assert!(has(4, 8, MentionKind::Person, "吉田松陰"), "{ms:?}");
    assert!(has(15, 23, MentionKind::Location, "サンフランシスコ"), "{ms:?}");
    assert!(ms.iter().all(|m| (0.0..=1.0).contains(&m.score)));
    // Offsets are article offsets also when the sentence is not the first.
    let input2 = ArticleInput::new("x", format!("前置き。{}", input.article));
    let ms2 = tagger.recognize(&document(&input2));
    assert!(ms2.iter().any(|m| m.span == Span::new(8, 12) && m.name == "吉田松陰"), "{ms2:?}");
}

#[test]
fn tagger_handles_odd_input() {
    let tagger = TaggerRecognizer::new().unwrap();
    for text in ["", " ", "\n\n", "。", "ａ", &"あ".repeat(2000), "（（（（「「「", "😀𠮷"] {
        let input = ArticleInput::new("x", text);
        for m in tagger.recognize(&document(&input)) {
            assert!(m.span.end <= input.article.chars().count());
        }
        // No tokens at all: char features only.
        let _ = tagger.recognize(&Document::new(&input, Vec::new()));
    }
}

/// A stand-in lexicon backend returning fixed mentions.
struct Fixed(Vec<Mention>);

impl Recognizer for Fixed {
    fn recognize(&self, _doc: &Document) -> Vec<Mention> {
        self.0.clone()
    }
}

fn mention(s: usize, e: usize, kind: MentionKind, name: &str) -> Mention {
    Mention { span: Span::new(s, e), kind, name: name.into(), suffix: None, suffix_class: None, score: 1.0 }
}

#[test]
fn ensemble_keeps_lexicon_persons_and_tagger_other_types() {
    let input = ArticleInput::new("390953", "高祖父は吉田松陰の教え子でありサンフランシスコ領事を務めた河北義次郎。");
    let doc = document(&input);
    let lexicon = Fixed(vec![
        mention(4, 6, MentionKind::PartialName, "吉田"),
        mention(15, 23, MentionKind::OtherOrg, "サンフランシスコ"),
    ]);
    let tagger = TaggerRecognizer::with_model(kiji_tagger::embedded_model().unwrap());
    let ms = EnsembleRecognizer::new(Box::new(lexicon), Box::new(tagger)).recognize(&doc);
    // The lexicon person wins over the overlapping tagger person.
    assert!(ms.iter().any(|m| m.span == Span::new(4, 6) && m.kind == MentionKind::PartialName));
    assert!(!ms.iter().any(|m| m.span == Span::new(4, 8)), "{ms:?}");
    // Non-person types come from the tagger only.
    assert!(ms.iter().any(|m| m.span == Span::new(15, 23) && m.kind == MentionKind::Location), "{ms:?}");
    assert!(!ms.iter().any(|m| m.kind == MentionKind::OtherOrg && m.span == Span::new(15, 23)));
    // Sorted by position.
    assert!(ms.windows(2).all(|w| w[0].span.start <= w[1].span.start));
}

#[test]
fn full_name_filter() {
    let check = |text: &str, s: usize, e: usize| {
        let input = ArticleInput::new("x", text);
        kiji_tagger::looks_like_full_name(&document(&input), Span::new(s, e))
    };
    assert!(check("在日ペルー大使館のルイス・マキャベロ参事官", 9, 18));
    assert!(!check("ジオスが破産した", 0, 3));
    assert!(!check("金川容疑者は", 0, 2));
    assert!(!check("神谷教諭が集めた", 0, 4));
    assert!(!check("新宿署は発表した", 0, 3));
}
