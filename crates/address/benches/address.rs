//! The address stage on real articles: the first 200 of ../shared/data/pool/wikinews.jsonl
//! (Japanese Wikinews, CC BY 2.5), throughput in bytes.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use kiji_address::AddressStage;
use kiji_core::{AddressExtractor, ArticleInput, Document};
use std::hint::black_box;
use std::path::PathBuf;

fn articles() -> Vec<ArticleInput> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/pool/wikinews.jsonl");
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    text.lines()
        .filter_map(|l| serde_json::from_str::<ArticleInput>(l).ok())
        .take(200)
        .collect()
}

fn bench(c: &mut Criterion) {
    let stage = AddressStage::new().expect("gazetteer");
    let arts = articles();
    let bytes: usize = arts.iter().map(|a| a.article.len()).sum();
    let docs: Vec<Document> = arts.iter().map(|a| Document::new(a, Vec::new())).collect();
    let mut g = c.benchmark_group("address");
    g.throughput(Throughput::Bytes(bytes as u64));
    g.sample_size(10);
    g.bench_function("extract_200_pool_articles", |b| {
        b.iter(|| {
            for d in &docs {
                black_box(stage.extract(d, &[], &[]));
            }
        })
    });
    g.finish();
    c.bench_function("address_stage_new", |b| b.iter(|| black_box(AddressStage::new().is_ok())));
}

criterion_group!(benches, bench);
criterion_main!(benches);
