//! Throughput of the transformer NER stage (feature `torch`) on CPU:
//! sentences/s over 64 Stockmark test sentences, batch sizes 1, 8 and 32.
//! Model: $KIJI_NER_MODEL or models/ner-transformer (the shipped model).
//!   cargo bench -p kiji-ner --features torch --bench transformer
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use kiji_core::{Text, Token};
use kiji_ner::transformer::{DeviceChoice, InferenceOptions, NerModel};
use std::path::PathBuf;

fn sentences() -> Vec<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/ner/stockmark/test.json");
    kiji_eval::load_stockmark(&path).expect("stockmark test split").into_iter().take(64).map(|s| s.text).collect()
}

fn bench(c: &mut Criterion) {
    let dir = std::env::var_os("KIJI_NER_MODEL")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../models/ner-transformer"));
    let model = NerModel::load(&dir, tch::Device::Cpu).expect("model directory");
    let analyzer = kiji_morph::Analyzer::new().unwrap();
    let texts: Vec<Text> = sentences().iter().map(|s| Text::new(s)).collect();
    let tokens: Vec<Vec<Token>> = texts.iter().map(|t| analyzer.tokenize(t)).collect();
    let inputs: Vec<(&Text, &[Token])> = texts.iter().zip(&tokens).map(|(t, k)| (t, k.as_slice())).collect();
    let mut g = c.benchmark_group("transformer_cpu");
    g.sample_size(10);
    g.throughput(Throughput::Elements(inputs.len() as u64));
    for batch in [1usize, 8, 32] {
        let opts = InferenceOptions { device: DeviceChoice::Cpu, batch_size: batch, ..InferenceOptions::default() };
        g.bench_with_input(BenchmarkId::new("sentences", batch), &opts, |b, opts| {
            b.iter(|| {
                if batch == 1 {
                    inputs.iter().map(|i| model.predict(std::slice::from_ref(i), opts).unwrap().len()).sum::<usize>()
                } else {
                    model.predict(&inputs, opts).unwrap().len()
                }
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
