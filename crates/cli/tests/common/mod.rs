//! Helpers shared by the end-to-end tests: run the built `pipeline-run`.
#![allow(dead_code)]
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/data` beside the checkout (present in CI and on dev machines).
pub fn shared_data() -> PathBuf {
    let p = repo().join("../shared/data");
    assert!(p.join("dev/gold.jsonl").exists(), "{} is missing: tests need ../shared/data beside the checkout", p.display());
    p
}

pub fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_pipeline-run"))
}

/// Run `pipeline-run extract` with `stdin` as input and extra args.
pub fn extract_stdin(stdin: &[u8], args: &[&str]) -> Output {
    let mut child = bin()
        .arg("extract")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pipeline-run starts");
    let mut sin = child.stdin.take().unwrap();
    let data = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = sin.write_all(&data);
    });
    let out = child.wait_with_output().expect("pipeline-run finishes");
    writer.join().unwrap();
    out
}

pub fn lines(out: &Output) -> Vec<serde_json::Value> {
    String::from_utf8(out.stdout.clone())
        .expect("output is UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("each output line is JSON"))
        .collect()
}

/// The chars `[start, end)` of `s` (char offsets, as the output's spans are).
pub fn chars_slice(s: &str, start: usize, end: usize) -> String {
    s.chars().skip(start).take(end.saturating_sub(start)).collect()
}

/// A fresh temporary directory for one test of one test binary.
pub fn tmp_dir(prefix: &str, name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("kiji-{prefix}-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The ids of train/folds.tsv with their folds.
pub fn train_folds() -> Vec<(String, usize)> {
    let t = std::fs::read_to_string(shared_data().join("train/folds.tsv")).unwrap();
    t.lines().skip(1).map(|l| l.split_once('\t').unwrap()).map(|(id, f)| (id.to_owned(), f.trim().parse().unwrap())).collect()
}

/// A data directory with the train articles `keep` accepts (input.jsonl,
/// gold.jsonl, folds.tsv); the number of articles.
pub fn train_slice(dir: &std::path::Path, keep: impl Fn(&str, usize) -> bool) -> usize {
    let folds: std::collections::HashMap<String, usize> = train_folds().into_iter().collect();
    let mut n = 0;
    for file in ["input.jsonl", "gold.jsonl"] {
        let src = std::fs::read_to_string(shared_data().join("train").join(file)).unwrap();
        let lines: Vec<&str> = src
            .lines()
            .filter(|l| {
                let v: serde_json::Value = serde_json::from_str(l).unwrap();
                let id = v["id"].as_str().unwrap();
                keep(id, folds[id])
            })
            .collect();
        n = lines.len();
        std::fs::write(dir.join(file), lines.join("\n") + "\n").unwrap();
    }
    let tsv: Vec<String> = folds.iter().filter(|(id, &f)| keep(id, f)).map(|(id, f)| format!("{id}\t{f}")).collect();
    std::fs::write(dir.join("folds.tsv"), format!("id\tfold\n{}\n", tsv.join("\n"))).unwrap();
    n
}
