//! Throughput of the transformer NER stage on the native engine (every
//! build, one thread): sentences/s over 64 Stockmark test sentences, and
//! pieces/s over one long Wikinews article cut into windows.
//! Model: $KIJI_NER_MODEL or models/ner-transformer (the shipped model).
//!   cargo bench -p kiji-ner --bench native
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kiji_core::{Text, Token};
use kiji_ner::transformer::native::NativeModel;
use kiji_ner::transformer::{predict, InferenceOptions};
use std::path::PathBuf;

fn shared(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data").join(path)
}

fn bench(c: &mut Criterion) {
    let dir = std::env::var_os("KIJI_NER_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/ner-transformer"));
    let model = NativeModel::load(&dir).expect("model directory");
    let analyzer = kiji_morph::Analyzer::new().unwrap();
    let sentences: Vec<String> = kiji_eval::load_stockmark(&shared("ner/stockmark/test.json"))
        .expect("stockmark test split")
        .into_iter()
        .take(64)
        .map(|s| s.text)
        .collect();
    let pool = std::fs::read_to_string(shared("pool/wikinews.jsonl")).expect("pool");
    let article = pool
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["article"].as_str().map(str::to_owned))
        .find(|a| a.chars().count() > 1500)
        .expect("a long pool article");
    let opts = InferenceOptions::default();
    let mut g = c.benchmark_group("transformer_native");
    g.sample_size(10);
    let texts: Vec<Text> = sentences.iter().map(|s| Text::new(s)).collect();
    let tokens: Vec<Vec<Token>> = texts.iter().map(|t| analyzer.tokenize(t)).collect();
    let inputs: Vec<(&Text, &[Token])> = texts.iter().zip(&tokens).map(|(t, k)| (t, k.as_slice())).collect();
    g.throughput(Throughput::Elements(inputs.len() as u64));
    g.bench_function("sentences", |b| b.iter(|| predict(&model, &inputs, &opts).unwrap().len()));
    let text = Text::new(&article);
    let toks = analyzer.tokenize(&text);
    let pieces = model.spec().tokenizer.pieces(&text, &toks).unwrap().len();
    g.throughput(Throughput::Elements(pieces as u64));
    g.bench_function(format!("article_{}_chars_pieces", text.len_chars()), |b| {
        b.iter(|| predict(&model, &[(&text, toks.as_slice())], &opts).unwrap().len())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
