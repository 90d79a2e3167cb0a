//! Robustness: `pipeline-run extract` on bad and extreme input
//! (fixtures/hostile, written by scripts/make-hostile.py; the big cases are
//! generated here at run time). For every input line exactly one output line,
//! an error record exactly where the line is bad, no panic, exit status 0;
//! spans of the good records inside their article.
mod common;
use common::*;
use kiji_pipeline::jsonl::parse_line;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;

fn hostile_dir() -> PathBuf {
    repo().join("fixtures/hostile")
}

/// The input lines as `pipeline-run` reads them: split at `\n`, a last line
/// without a newline counts, a trailing newline does not open a new line.
fn input_lines(data: &[u8]) -> Vec<&[u8]> {
    let mut lines: Vec<&[u8]> = data.split(|&b| b == b'\n').collect();
    if data.is_empty() || data.ends_with(b"\n") {
        lines.pop();
    }
    lines
}

/// `(kind, id)` per input line from NAME.expect.
fn expectations(name: &str) -> Vec<(String, Option<String>)> {
    let text = std::fs::read_to_string(hostile_dir().join(format!("{name}.expect"))).unwrap();
    text.lines()
        .map(|l| {
            let (kind, id) = l.split_once('\t').expect("kind<TAB>id");
            (kind.to_owned(), serde_json::from_str::<Option<String>>(id).expect("id is JSON"))
        })
        .collect()
}

fn case_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(hostile_dir())
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().to_str()?.strip_suffix(".expect").map(str::to_owned))
        .collect();
    names.sort();
    names
}

fn no_panic(stderr: &[u8]) {
    let s = String::from_utf8_lossy(stderr);
    assert!(!s.contains("panicked"), "{s}");
}

/// A good output record is a contract record whose spans lie inside the
/// article and whose strings come from it.
fn check_record(article: &str, out: &Value, what: &str) {
    let rec: kiji_core::ArticleOutput =
        serde_json::from_value(out.clone()).unwrap_or_else(|e| panic!("{what}: not an output record ({e}): {out}"));
    let n = article.chars().count();
    for p in &rec.persons {
        assert!(!p.mentions.is_empty(), "{what}: {} has no mention", p.name);
        for m in &p.mentions {
            assert!(m.start < m.end && m.end <= n, "{what}: mention {m:?} of {} outside 0..{n}", p.name);
        }
        assert!(!chars_slice(article, p.mentions[0].start, p.mentions[0].end).is_empty());
        if let Some(r) = &p.reason {
            assert!(article.contains(r.as_str()), "{what}: reason not verbatim: {r}");
        }
    }
    let from_article = |s: &str| s.is_empty() || article.contains(s) || s.chars().all(|c| article.contains(c));
    for a in rec.residences.iter().chain(&rec.headquarters_locations) {
        assert!(from_article(&a.address), "{what}: address {} not from the article", a.address);
    }
    for s in rec.physical_crime_occured_locations.iter().chain(&rec.police_departments) {
        assert!(from_article(s), "{what}: {s} not from the article");
    }
}

fn all_lists_empty(out: &Value) -> bool {
    ["persons", "headquarters_locations", "residences", "physical_crime_occured_locations", "police_departments"]
        .iter()
        .all(|k| out[k].as_array().is_some_and(|a| a.is_empty()))
}

/// Runs `extract` on `input` (a file) and checks every line against `expect`.
fn run_case(name: &str, input: &Path, expect: &[(String, Option<String>)], args: &[&str]) -> Vec<u8> {
    let data = std::fs::read(input).unwrap();
    let lines = input_lines(&data);
    assert_eq!(lines.len(), expect.len(), "{name}: NAME.expect has one line per input line");
    let out = bin().arg("extract").arg("--input").arg(input).args(args).output().unwrap();
    no_panic(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    let outputs = self::lines(&out);
    assert_eq!(outputs.len(), lines.len(), "{name}: one output line per input line");
    let mut errors = 0;
    for (i, ((line, (kind, id)), o)) in lines.iter().zip(expect).zip(&outputs).enumerate() {
        let what = format!("{name}.jsonl line {}", i + 1);
        assert_eq!(o["id"].as_str(), id.as_deref(), "{what}: id of {o}");
        match kind.as_str() {
            "ok" | "empty" => {
                assert!(o.get("error").is_none(), "{what}: expected a record, got {o}");
                let input = parse_line(line).unwrap_or_else(|e| panic!("{what}: {e:?}"));
                check_record(&input.article, o, &what);
                if kind == "empty" {
                    assert!(all_lists_empty(o), "{what}: expected empty lists, got {o}");
                }
            }
            err => {
                errors += 1;
                assert_eq!(o["line"], i as u64 + 1, "{what}: {o}");
                let msg = o["error"].as_str().unwrap_or_else(|| panic!("{what}: expected an error record, got {o}"));
                assert!(msg.starts_with(&format!("{err}: ")), "{what}: expected {err}, got {msg}");
                assert_eq!(o.as_object().unwrap().len(), 3, "{what}: error records are {{id, line, error}}: {o}");
            }
        }
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let summary = format!("{} records ({} ok, {errors} errors)", lines.len(), lines.len() - errors);
    assert!(stderr.contains(&summary), "{name}: expected `{summary}` in {stderr}");
    out.stdout
}

#[test]
fn every_hostile_case_gives_one_record_per_line() {
    let names = case_names();
    assert!(names.len() >= 15, "fixtures/hostile has {} cases: run scripts/make-hostile.py", names.len());
    for name in &names {
        let input = hostile_dir().join(format!("{name}.jsonl"));
        run_case(name, &input, &expectations(name), &["--threads", "2"]);
    }
}

#[test]
fn stdin_and_file_input_agree() {
    for name in ["mixed", "invalid_utf8", "bom", "no_final_newline"] {
        let path = hostile_dir().join(format!("{name}.jsonl"));
        let from_file = run_case(name, &path, &expectations(name), &["--threads", "1"]);
        let data = std::fs::read(&path).unwrap();
        let from_stdin = extract_stdin(&data, &["--threads", "1"]);
        assert_eq!(from_stdin.status.code(), Some(0));
        assert_eq!(from_stdin.stdout, from_file, "{name}");
        // `-` names the standard streams (no file called "-" is written).
        let dashed = extract_stdin(&data, &["--threads", "1", "--input", "-", "--output", "-"]);
        assert_eq!(dashed.status.code(), Some(0));
        assert_eq!(dashed.stdout, from_file, "{name} with -");
    }
}

#[test]
fn crlf_line_ends_change_nothing() {
    let crlf = run_case("crlf", &hostile_dir().join("crlf.jsonl"), &expectations("crlf"), &[]);
    let lf = run_case("lf", &hostile_dir().join("lf.jsonl"), &expectations("lf"), &[]);
    assert_eq!(String::from_utf8(crlf).unwrap(), String::from_utf8(lf).unwrap());
}

#[test]
fn every_case_together_is_the_same_at_any_thread_count_and_chunk() {
    let mut all = Vec::new();
    for name in case_names() {
        let data = std::fs::read(hostile_dir().join(format!("{name}.jsonl"))).unwrap();
        all.extend_from_slice(&data);
        if !data.ends_with(b"\n") {
            all.push(b'\n');
        }
    }
    let one = extract_stdin(&all, &["--threads", "1"]);
    let two = extract_stdin(&all, &["--threads", "2", "--chunk", "7"]);
    let again = extract_stdin(&all, &["--threads", "2", "--chunk", "1"]);
    for o in [&one, &two, &again] {
        no_panic(&o.stderr);
        assert_eq!(o.status.code(), Some(0));
    }
    assert_eq!(lines(&one).len(), input_lines(&all).len());
    assert!(one.stdout == two.stdout && one.stdout == again.stdout, "output depends on threads or chunking");
}

/// Real text from the committed sample (Japanese Wikinews, CC BY 2.5).
fn sample_articles() -> Vec<String> {
    let text = std::fs::read_to_string(repo().join("fixtures/sample/input.jsonl")).unwrap();
    text.lines().map(|l| serde_json::from_str::<Value>(l).unwrap()["article"].as_str().unwrap().to_owned()).collect()
}

/// `unit` repeated up to `bytes` (whole chars).
fn repeat_to(unit: &str, bytes: usize) -> String {
    let mut s = String::with_capacity(bytes + unit.len());
    while s.len() + unit.len() <= bytes {
        s.push_str(unit);
    }
    for c in unit.chars() {
        if s.len() + c.len_utf8() > bytes {
            break;
        }
        s.push(c);
    }
    s
}

fn write_temp(name: &str, data: &[u8]) -> PathBuf {
    let p = std::env::temp_dir().join(format!("kiji-hostile-{}-{name}", std::process::id()));
    std::fs::write(&p, data).unwrap();
    p
}

/// One-line inputs of about 1 MB (generated, not committed): real text with
/// its punctuation, the same text with none, one repeated kana. Each must
/// come back as one good record; the time is not asserted here (see
/// docs/PERFORMANCE.md for the scaling measurements).
#[test]
fn one_megabyte_articles_come_back_as_one_record() {
    const MB: usize = 1 << 20;
    let real = sample_articles().join("\n");
    let unpunctuated: String =
        real.chars().filter(|c| !"。、．，！？!?,.「」『』()（）・\n\r \u{3000}".contains(*c)).collect();
    let cases = [
        ("punctuated", repeat_to(&real, MB)),
        ("unpunctuated", repeat_to(&unpunctuated, MB)),
        ("one_kana", repeat_to("あ", MB)),
    ];
    let mut data = Vec::new();
    for (id, article) in &cases {
        assert!(article.len() > MB - 8 && article.len() <= MB, "{id}: {}", article.len());
        data.extend_from_slice(serde_json::json!({"id": id, "article": article}).to_string().as_bytes());
        data.push(b'\n');
    }
    let path = write_temp("1mb.jsonl", &data);
    let out = bin().arg("extract").arg("--input").arg(&path).args(["--threads", "2", "--chunk", "1"]).output().unwrap();
    std::fs::remove_file(&path).ok();
    no_panic(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let outs = lines(&out);
    assert_eq!(outs.len(), cases.len());
    for ((id, article), o) in cases.iter().zip(&outs) {
        assert_eq!(o["id"], *id);
        check_record(article, o, id);
    }
    // The punctuated megabyte repeats real articles: it names persons.
    assert!(!outs[0]["persons"].as_array().unwrap().is_empty(), "no persons in the punctuated 1 MB article");
    assert!(outs[2]["persons"].as_array().unwrap().is_empty());
}

/// 10,000 lines (generated): short real sentences, empty articles and bad
/// lines interleaved. One output line each, errors exactly at the bad ones.
#[test]
fn ten_thousand_lines_give_ten_thousand_records() {
    let sentences: Vec<String> = sample_articles()
        .iter()
        .flat_map(|a| a.split('。').filter(|s| !s.trim().is_empty()).map(|s| format!("{s}。")).collect::<Vec<_>>())
        .collect();
    let mut data = Vec::new();
    let mut bad = Vec::new();
    for i in 0..10_000usize {
        let line: Vec<u8> = match i % 10 {
            3 => b"{broken".to_vec(),
            6 => b"{\"id\":\"x\",\"article\":\"\xff\"}".to_vec(),
            8 => format!("{{\"id\":\"n{i}\"}}").into_bytes(),
            9 => serde_json::json!({"id": format!("n{i}"), "article": ""}).to_string().into_bytes(),
            _ => serde_json::json!({"id": format!("n{i}"), "article": sentences[i % sentences.len()]}).to_string().into_bytes(),
        };
        if matches!(i % 10, 3 | 6 | 8) {
            bad.push(i);
        }
        data.extend_from_slice(&line);
        data.push(b'\n');
    }
    let path = write_temp("10k.jsonl", &data);
    let out = bin().arg("extract").arg("--input").arg(&path).args(["--threads", "2"]).output().unwrap();
    std::fs::remove_file(&path).ok();
    no_panic(&out.stderr);
    assert_eq!(out.status.code(), Some(0));
    let outs = lines(&out);
    assert_eq!(outs.len(), 10_000);
    let errs: Vec<usize> = outs.iter().enumerate().filter(|(_, o)| o.get("error").is_some()).map(|(i, _)| i).collect();
    assert_eq!(errs, bad);
    for &i in &bad {
        assert_eq!(outs[i]["line"], i as u64 + 1);
    }
    for (i, o) in outs.iter().enumerate().filter(|(i, _)| !bad.contains(i)) {
        assert_eq!(o["id"], format!("n{i}"));
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("10000 records (7000 ok, 3000 errors)"));
}

#[test]
fn io_errors_exit_2_without_panicking() {
    let input = hostile_dir().join("mixed.jsonl");
    // Unwritable output.
    let out = bin().arg("extract").arg("--input").arg(&input).args(["--output", "/nonexistent-dir/kiji/out.jsonl"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    no_panic(&out.stderr);
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot create"));
    // Input that is a directory.
    let out = bin().arg("extract").arg("--input").arg(hostile_dir()).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    no_panic(&out.stderr);
    // A reader that goes away (`pipeline-run extract | head -0`): a write
    // error, not a panic on a broken pipe.
    let big: Vec<u8> = std::fs::read(&input).unwrap().repeat(100);
    let path = write_temp("pipe.jsonl", &big);
    let mut child = bin()
        .arg("extract")
        .arg("--input")
        .arg(&path)
        .args(["--chunk", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    std::fs::remove_file(&path).ok();
    no_panic(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    // Usage errors (a huge --threads once spawned 100,000 threads).
    for args in [
        &["extract", "--chunk", "0"][..],
        &["extract", "--threads", "x"],
        &["extract", "--threads", "100000"],
        &["extract", "--threads", "-1"],
        &["extract", "--bogus"],
        &["nonsense"],
    ] {
        let out = bin().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        no_panic(&out.stderr);
    }
}

/// A huge --chunk once aborted on a 32 PB allocation; it only bounds how
/// many lines are held, so it is accepted and the input comes back whole.
#[test]
fn a_huge_chunk_is_not_allocated_up_front() {
    let input = std::fs::read(hostile_dir().join("mixed.jsonl")).unwrap();
    let out = extract_stdin(&input, &["--chunk", "999999999999999", "--threads", "1"]);
    no_panic(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(lines(&out).len(), input_lines(&input).len());
}

#[test]
fn the_fixtures_are_what_the_script_writes() {
    // Only when python3 is around (it is in CI); the script itself is stdlib only.
    let Ok(out) = std::process::Command::new("python3").arg(repo().join("scripts/make-hostile.py")).arg("--check").output() else {
        eprintln!("python3 not found: skipped");
        return;
    };
    assert!(out.status.success(), "{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
}

/// The model backends take the same hostile input with the same guarantees.
#[test]
fn every_hostile_case_holds_with_the_tagger_and_ensemble_backends() {
    for backend in ["tagger", "ensemble"] {
        for name in case_names() {
            let input = hostile_dir().join(format!("{name}.jsonl"));
            run_case(&name, &input, &expectations(&name), &["--ner", backend]);
        }
    }
}

/// And so do the transformer backends (shipped model, CPU; LibTorch in a
/// torch build, else the native engine): huge, empty, control-character and
/// non-Japanese articles go through the tokenizer, the windows and the decoder.
#[test]
fn every_hostile_case_holds_with_the_transformer_backends() {
    for backend in ["transformer", "transformer-ensemble"] {
        for name in case_names() {
            let input = hostile_dir().join(format!("{name}.jsonl"));
            run_case(&name, &input, &expectations(&name), &["--ner", backend, "--device", "cpu"]);
        }
    }
}
