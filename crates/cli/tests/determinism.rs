//! Determinism on real articles: `pipeline-run extract` over the first 300
//! pool articles (../shared/data/pool, Japanese Wikinews, CC BY 2.5) gives
//! byte-identical output with 1 or 2 threads, any chunk size, and run after run.
mod common;
use common::*;

#[test]
fn pool_sample_output_is_identical_across_threads_chunks_and_runs() {
    let pool = std::fs::read_to_string(shared_data().join("pool/wikinews.jsonl")).unwrap();
    let sample: String = pool.lines().take(300).map(|l| format!("{l}\n")).collect();
    assert_eq!(sample.lines().count(), 300);
    let path = std::env::temp_dir().join(format!("kiji-determinism-{}.jsonl", std::process::id()));
    std::fs::write(&path, &sample).unwrap();
    let run = |args: &[&str]| {
        let out = bin().arg("extract").arg("--input").arg(&path).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    let one = run(&["--threads", "1"]);
    let two = run(&["--threads", "2"]);
    let chunked = run(&["--threads", "2", "--chunk", "7"]);
    let again = run(&["--threads", "1", "--chunk", "1000"]);
    std::fs::remove_file(&path).ok();
    let text = String::from_utf8(one.clone()).expect("UTF-8 output");
    assert_eq!(text.lines().count(), 300);
    let persons: usize =
        text.lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["persons"].as_array().unwrap().len()).sum();
    assert!(persons > 100, "the sample names persons ({persons})");
    assert!(one == two, "--threads 1 and --threads 2 differ");
    assert!(one == chunked, "--chunk 7 changes the output");
    assert!(one == again, "a second run differs");
}
