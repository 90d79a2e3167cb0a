//! End-to-end: the `pipeline-run` binary on real articles, checked against gold.
mod common;
use common::*;

#[test]
fn sample_output_is_one_valid_record_per_line_in_order() {
    let input = std::fs::read(repo().join("fixtures/sample/input.jsonl")).unwrap();
    let out = extract_stdin(&input, &["--threads", "2"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let inputs: Vec<serde_json::Value> = String::from_utf8(input).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let outputs = lines(&out);
    assert_eq!(outputs.len(), inputs.len());
    let mut persons = 0;
    for (i, o) in inputs.iter().zip(&outputs) {
        assert_eq!(i["id"], o["id"]);
        let article = i["article"].as_str().unwrap();
        let record: kiji_core::ArticleOutput = serde_json::from_value(o.clone()).expect("output matches the contract");
        for p in &record.persons {
            persons += 1;
            // The first mention is the name as written (spaces/readings aside).
            let first = p.mentions[0];
            let written = chars_slice(article, first.start, first.end);
            assert!(written.contains(p.name.chars().next().unwrap()), "{} vs {written}", p.name);
            for m in &p.mentions {
                assert!(m.start < m.end && m.end <= article.chars().count());
            }
            if let Some(r) = &p.reason {
                assert!(article.contains(r.as_str()), "reason is verbatim: {r}");
            }
        }
        for a in record.residences.iter().chain(&record.headquarters_locations) {
            assert!(a.address.is_empty() || article.contains(&a.address) || a.address.chars().all(|c| article.contains(c)), "{}", a.address);
        }
    }
    assert!(persons >= 30, "the sample names many persons, found {persons}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("20 records (20 ok, 0 errors)"), "{stderr}");
}

/// The dev set (101 real articles, 210 persons, 84 offenders) scored like the
/// hidden set: the floors sit just under what this version measures
/// (docs/EVALUATION.md), so a regression fails.
#[test]
fn dev_set_metrics_stay_above_their_floors() {
    let data = shared_data();
    let pred = std::env::temp_dir().join(format!("kiji-e2e-dev-{}.jsonl", std::process::id()));
    let out = bin()
        .args(["extract", "--input"])
        .arg(data.join("dev/input.jsonl"))
        .arg("--output")
        .arg(&pred)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let gold = kiji_eval::load_gold(&data.join("dev/gold.jsonl")).unwrap();
    let predictions = kiji_eval::load_predictions(&pred).unwrap();
    std::fs::remove_file(&pred).ok();
    let report = kiji_eval::evaluate(&gold, &predictions, None);
    let persons = report.persons.as_ref().unwrap();
    let offenders = report.offenders.as_ref().unwrap();
    let f1 = |p: &kiji_eval::Prf| p.f1.unwrap_or(0.0);
    // Measured 2026-12-07 (fourth landing) with the learned person stage and
    // fields against the adjudicated dev gold: persons .923, offenders .880,
    // CSV person_name .750, age .784, police .863, company .472, position
    // .717, law .695 (docs/EVALUATION.md; police .875 before foreign bodies
    // written with の: one plane-crash article now lists キプロスの警察当局;
    // 2026-12-06: offenders .887, name .767). Fifth 2026-12-07 landing (the
    // rule cascade the default address mode again): person_address .688,
    // occured_locations .688, all fields exact .574.
    assert!(f1(persons) >= 0.90, "persons F1 {:?}", persons.f1);
    assert!(f1(offenders) >= 0.86, "offenders F1 {:?}", offenders.f1);
    let field = |name: &str| report.fields.iter().find(|f| f.field == name).and_then(|f| f.accuracy).unwrap_or(0.0);
    assert!(field("person_name") >= 0.73, "csv person_name {}", field("person_name"));
    assert!(field("person_age_at_published") >= 0.76, "csv age {}", field("person_age_at_published"));
    assert!(field("police_departments") >= 0.86, "csv police {}", field("police_departments"));
    assert!(field("person_belongs_company") >= 0.44, "csv company {}", field("person_belongs_company"));
    assert!(field("person_position_name") >= 0.69, "csv position {}", field("person_position_name"));
    assert!(field("person_violated_law") >= 0.67, "csv law {}", field("person_violated_law"));
    assert!(field("person_address") >= 0.65, "csv address {}", field("person_address"));
    assert!(field("occured_locations") >= 0.66, "csv occured_locations {}", field("occured_locations"));
    assert!(report.all_fields_exact.rate.unwrap_or(0.0) >= 0.55, "all fields exact {:?}", report.all_fields_exact.rate);
    assert_eq!(report.reason.supported, report.reason.checked, "every reason is verbatim and overlaps a mention");
}

#[test]
fn threads_do_not_change_the_output() {
    let input = std::fs::read(repo().join("fixtures/sample/input.jsonl")).unwrap();
    let one = extract_stdin(&input, &["--threads", "1"]);
    let two = extract_stdin(&input, &["--threads", "2", "--chunk", "3"]);
    assert!(one.status.success() && two.status.success());
    assert_eq!(one.stdout, two.stdout);
}

#[test]
fn malformed_lines_become_error_records_and_the_run_goes_on() {
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"id\":\"a\",\"article\":\"\xe6\x9d\xb1\xe4\xba\xac\"}\n");
    input.extend_from_slice(b"{broken\n");
    input.extend_from_slice(b"{\"id\":\"c\",\"article\":\"\xff\xfe\"}\n");
    input.extend_from_slice(b"[1,2,3]\n");
    input.extend_from_slice(b"{\"id\":5}\n");
    input.extend_from_slice(b"{\"id\":\"f\",\"article\":\"\"}");
    let out = extract_stdin(&input, &[]);
    assert_eq!(out.status.code(), Some(0));
    let recs = lines(&out);
    assert_eq!(recs.len(), 6);
    assert!(recs[0].get("error").is_none() && recs[0]["id"] == "a");
    for (i, n) in [(1usize, 2u64), (2, 3), (3, 4), (4, 5)] {
        assert_eq!(recs[i]["line"], n, "{}", recs[i]);
        assert!(recs[i]["error"].is_string());
    }
    assert_eq!(recs[4]["id"], "5");
    assert!(recs[5].get("error").is_none() && recs[5]["persons"].as_array().unwrap().is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("6 records (2 ok, 4 errors)"), "{stderr}");
}

#[test]
fn usage_and_io_errors_exit_2() {
    let out = bin().args(["extract", "--input", "/nonexistent/kiji.jsonl"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open"));
    let out = bin().args(["extract", "--threads", "0"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

/// `ner-eval` on the Stockmark test split (our split, 520 sentences): by
/// default the shipped transformer (LibTorch in a torch build, the native
/// engine otherwise), and the tagger with `--ner tagger`; the floors sit just
/// under the measured scores (docs/EVALUATION.md, docs/TRANSFORMER.md).
#[test]
fn ner_eval_scores_the_stockmark_test_split() {
    let data = shared_data().join("ner/stockmark/test.json");
    for (backend, micro_floor, person_floor) in [(None, 0.80, 0.87), (Some("tagger"), 0.68, 0.78)] {
        let mut cmd = bin();
        cmd.arg("ner-eval").arg("--data").arg(&data).arg("--json");
        if let Some(b) = backend {
            cmd.args(["--ner", b]);
        }
        let out = cmd.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(report["sentences"], 520);
        assert_eq!(report["micro"]["gold"], 1354);
        let f1 = report["micro"]["f1"].as_f64().unwrap();
        let person = report["per_type"]["人名"]["f1"].as_f64().unwrap();
        eprintln!("ner-eval {backend:?}: micro F1 {f1:.4}, 人名 F1 {person:.4}");
        assert!(f1 >= micro_floor, "{backend:?}: micro F1 {f1}");
        assert!(person >= person_floor, "{backend:?}: 人名 F1 {person}");
    }
}

/// The default build runs the transformer on the native CPU engine: asking
/// for CUDA is a usage error that says what to build, and a missing model
/// directory is named.
#[cfg(not(feature = "torch"))]
#[test]
fn transformer_usage_errors_in_the_default_build() {
    let out = bin().args(["extract", "--ner", "transformer", "--device", "cuda"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("CUDA") && err.contains("torch"), "{err}");
    let out = bin().args(["extract", "--ner", "transformer", "--model", "/nonexistent/model"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/model"));
}

/// `explain` gives the same records as extract and says, for every person,
/// where it and its fields came from; `eval --diff --explain` prints it
/// under the articles that differ.
#[test]
fn explain_traces_every_person_and_eval_diff_prints_it() {
    let dir = std::env::temp_dir().join(format!("kiji-explain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let input = repo().join("fixtures/sample/input.jsonl");
    let (why, records, extracted) = (dir.join("why.jsonl"), dir.join("records.jsonl"), dir.join("extract.jsonl"));
    let o = bin().args(["explain", "--input"]).arg(&input).arg("--output").arg(&why).arg("--records").arg(&records).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let o = bin().args(["extract", "--quiet", "--input"]).arg(&input).arg("--output").arg(&extracted).output().unwrap();
    assert!(o.status.success());
    let read = |p: &std::path::Path| std::fs::read_to_string(p).unwrap().lines().map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()).collect::<Vec<_>>();
    let (whys, recs) = (read(&why), read(&records));
    assert_eq!(recs, read(&extracted), "explain's records are extract's");
    let (mut offenders, mut kept) = (0, 0);
    for (w, r) in whys.iter().zip(&recs) {
        assert_eq!(w["id"], r["id"]);
        let names: Vec<&str> = w["persons"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        let listed: Vec<&str> = r["persons"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
        assert_eq!(names, listed);
        for (p, rec) in w["persons"].as_array().unwrap().iter().zip(r["persons"].as_array().unwrap()) {
            assert!(p["listed"].as_str().unwrap().contains("p="), "{p}");
            let offender = p["offender"].as_str().unwrap();
            assert!(offender.starts_with("offender model p=") || offender.starts_with("kept: read with 容疑者; offender model p="), "{p}");
            kept += usize::from(offender.starts_with("kept"));
            assert!(!offender.starts_with("kept") || rec["is_offender"].as_bool().unwrap(), "{p}");
            if rec["is_offender"].as_bool().unwrap() {
                offenders += 1;
                // An offender's fields are the field stage's: a model's choice or the rules' value kept, and why.
                for f in ["position", "affiliation", "act"] {
                    assert_ne!(p[f].as_str().unwrap(), "rules", "{f} of {p}");
                }
            }
        }
    }
    assert!(offenders > 0);
    assert!(kept > 0, "the sample names suspects with 容疑者: the constraint keeps them");
    let o = bin().args(["eval", "--gold"]).arg(repo().join("fixtures/sample/gold.jsonl")).arg("--pred").arg(&records).arg("--diff").arg("--explain").arg(&why).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("  why "), "{}", String::from_utf8_lossy(&o.stdout));
    std::fs::remove_dir_all(&dir).ok();
}
