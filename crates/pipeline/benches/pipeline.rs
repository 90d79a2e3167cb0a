//! Each stage of the default pipeline, and the whole pipeline, on real
//! articles: the first 200 of `../shared/data/pool/wikinews.jsonl`
//! (Japanese Wikinews, CC BY 2.5). Every stage is timed on inputs that the
//! earlier stages produced once, outside the timed loop, so the numbers add
//! up to (about) the `pipeline/process` figure.
//!
//! ```bash
//! CARGO_TARGET_DIR=... cargo bench -p kiji-pipeline --bench pipeline
//! KIJI_BENCH_ARTICLES=1000 cargo bench -p kiji-pipeline --bench pipeline -- stage/
//! ```
//!
//! Throughput is reported in bytes (of article text) for every stage and in
//! both bytes and articles (elements) for the whole pipeline. The address
//! crate has its own bench of the address stage alone (without NER input):
//! `cargo bench -p kiji-address`.
use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use kiji_core::{Document, Mention, PersonEntity};
use kiji_pipeline::{ArticleInput, Config, Person, Pipeline};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

fn articles() -> Vec<ArticleInput> {
    let n: usize = std::env::var("KIJI_BENCH_ARTICLES").ok().and_then(|s| s.parse().ok()).unwrap_or(200);
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/pool/wikinews.jsonl");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the bench needs ../shared/data beside the checkout)", path.display()));
    text.lines().filter_map(|l| serde_json::from_str::<ArticleInput>(l).ok()).take(n).collect()
}

fn quick<M: criterion::measurement::Measurement>(g: &mut BenchmarkGroup<'_, M>) {
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(3));
}

fn bench(c: &mut Criterion) {
    let pipeline = Pipeline::new(&Config::default()).expect("pipeline");
    let st = pipeline.stages();
    let arts = articles();
    let bytes: u64 = arts.iter().map(|a| a.article.len() as u64).sum();
    let n = arts.len() as u64;

    // Each stage's inputs, computed once.
    let docs: Vec<Document> = arts.iter().map(|a| pipeline.document(a)).collect();
    let mentions: Vec<Vec<Mention>> = docs.iter().map(|d| st.recognizer.recognize(d)).collect();
    let entities: Vec<Vec<PersonEntity>> = docs.iter().zip(&mentions).map(|(d, m)| st.linker.link(d, m)).collect();
    let persons: Vec<Vec<Person>> =
        docs.iter().zip(&mentions).zip(&entities).map(|((d, m), e)| st.attributes.classify(d, m, e)).collect();

    let mut g = c.benchmark_group("stage");
    quick(&mut g);
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("text_view", |b| b.iter(|| arts.iter().map(|a| black_box(kiji_core::Text::new(&a.article)).len_chars()).sum::<usize>()));
    g.bench_function("tokenize", |b| b.iter(|| docs.iter().map(|d| black_box(st.analyzer.tokenize(&d.text)).len()).sum::<usize>()));
    g.bench_function("recognize", |b| b.iter(|| docs.iter().map(|d| black_box(st.recognizer.recognize(d)).len()).sum::<usize>()));
    g.bench_function("link", |b| {
        b.iter(|| docs.iter().zip(&mentions).map(|(d, m)| black_box(st.linker.link(d, m)).len()).sum::<usize>())
    });
    g.bench_function("attributes", |b| {
        b.iter(|| {
            docs.iter()
                .zip(&mentions)
                .zip(&entities)
                .map(|((d, m), e)| black_box(st.attributes.classify(d, m, e)).len())
                .sum::<usize>()
        })
    });
    g.bench_function("addresses", |b| {
        b.iter(|| {
            docs.iter()
                .zip(&mentions)
                .zip(&persons)
                .map(|((d, m), p)| black_box(st.addresses.extract(d, m, p)).police_departments.len())
                .sum::<usize>()
        })
    });
    g.finish();

    let mut g = c.benchmark_group("pipeline");
    quick(&mut g);
    g.throughput(Throughput::Bytes(bytes));
    g.bench_function("process/bytes", |b| b.iter(|| arts.iter().map(|a| black_box(pipeline.process(a)).persons.len()).sum::<usize>()));
    g.throughput(Throughput::Elements(n));
    g.bench_function("process/articles", |b| b.iter(|| arts.iter().map(|a| black_box(pipeline.process(a)).persons.len()).sum::<usize>()));
    // One JSONL line in, one out: parse + process + serialise, as `pipeline-run extract` does per line.
    let lines: Vec<String> = arts.iter().map(|a| serde_json::to_string(a).unwrap()).collect();
    g.bench_function("process_line/articles", |b| {
        b.iter(|| lines.iter().enumerate().map(|(i, l)| black_box(pipeline.process_line(l.as_bytes(), i as u64 + 1).to_json()).len()).sum::<usize>())
    });
    g.finish();

    let mut g = c.benchmark_group("setup");
    g.sample_size(10);
    g.bench_function("pipeline_new", |b| b.iter(|| black_box(Pipeline::new(&Config::default()).is_ok())));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
