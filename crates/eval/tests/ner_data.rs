//! The NER data loaders on the real files of ../shared/data/ner.
use kiji_eval::{load_bio, load_ner_data, load_stockmark};
use std::path::PathBuf;

fn ner(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ner").join(path)
}

#[test]
fn ud_gsd_bio_becomes_sentences_with_char_spans() {
    let data = load_bio(&ner("ud_gsd_ne/dev.bio")).unwrap();
    // Sentences are separated by blank lines: as many as blank-line runs.
    let text = std::fs::read_to_string(ner("ud_gsd_ne/dev.bio")).unwrap();
    let blocks = text.split("\n\n").filter(|b| !b.trim().is_empty()).count();
    assert_eq!(data.len(), blocks);
    let mut labels = std::collections::BTreeSet::new();
    for s in &data {
        let chars: Vec<char> = s.text.chars().collect();
        for e in &s.entities {
            assert!(e.span.0 < e.span.1 && e.span.1 <= chars.len());
            assert_eq!(e.name, chars[e.span.0..e.span.1].iter().collect::<String>());
            labels.insert(e.label.clone());
        }
    }
    for l in ["PERSON", "ORG", "GPE", "DATE", "TITLE_AFFIX"] {
        assert!(labels.contains(l), "{l} missing from {labels:?}");
    }
    // 「セントラル・リーグ審判員水落朋大」: B-ORG I-ORG I-ORG, B-TITLE_AFFIX I-TITLE_AFFIX, B-PERSON ...
    let s = data.iter().find(|s| s.text.contains("セントラル・リーグ審判")).unwrap();
    let names: Vec<(&str, &str)> = s.entities.iter().map(|e| (e.name.as_str(), e.label.as_str())).collect();
    assert!(names.contains(&("セントラル・リーグ", "ORG")), "{names:?}");
    assert!(names.contains(&("審判員", "TITLE_AFFIX")), "{names:?}");
    assert!(names.contains(&("水落朋大", "PERSON")), "{names:?}");
}

#[test]
fn load_ner_data_picks_the_format_by_extension() {
    assert_eq!(load_ner_data(&ner("stockmark/test.json")).unwrap(), load_stockmark(&ner("stockmark/test.json")).unwrap());
    assert_eq!(load_ner_data(&ner("ud_gsd_ne/test.bio")).unwrap(), load_bio(&ner("ud_gsd_ne/test.bio")).unwrap());
    let err = load_bio(&ner("stockmark/test.json")).unwrap_err();
    assert!(err.to_string().contains("token<TAB>label"), "{err}");
}
