//! `pipeline-run eval` from the command line: JSONL gold and the compliance
//! team's CSV gold give the same CSV-view scores for the same predictions.
mod common;
use common::*;
use serde_json::Value;

fn csv_escape(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// The gold CSV layout, written from gold JSONL records (offenders only).
fn gold_csv(gold_jsonl: &str) -> String {
    let mut out = String::from("id,person_name,person_age_at_published,person_address,person_belongs_company,person_position_name,person_violated_law,occured_locations,police_departments\n");
    for line in gold_jsonl.lines() {
        let r: Value = serde_json::from_str(line).unwrap();
        let offenders: Vec<&Value> = r["persons"].as_array().unwrap().iter().filter(|p| p["is_offender"] == true).collect();
        let join = |f: &dyn Fn(&Value) -> String| offenders.iter().map(|p| f(p)).collect::<Vec<_>>().join("/");
        let s = |v: &Value| v.as_str().unwrap_or("").to_owned();
        let residence = |p: &Value| {
            r["residences"].as_array().unwrap().iter().find(|a| a["owner"] == p["name"]).map(|a| s(&a["address"])).unwrap_or_default()
        };
        let list = |k: &str| r[k].as_array().unwrap().iter().map(s).collect::<Vec<_>>().join(",");
        let row = [
            s(&r["id"]),
            join(&|p| s(&p["name"])),
            join(&|p| s(&p["age"])),
            join(&residence),
            join(&|p| s(&p["affiliation"])),
            join(&|p| s(&p["position"])),
            join(&|p| s(&p["act"])),
            list("physical_crime_occured_locations"),
            list("police_departments"),
        ];
        out.push_str(&row.iter().map(|c| csv_escape(c)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

#[test]
fn jsonl_and_csv_gold_agree_on_the_csv_view() {
    let dir = std::env::temp_dir().join(format!("kiji-eval-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pred = dir.join("pred.jsonl");
    let input = repo().join("fixtures/sample/input.jsonl");
    let gold = repo().join("fixtures/sample/gold.jsonl");
    let out = bin().args(["extract", "--quiet", "--input"]).arg(&input).arg("--output").arg(&pred).output().unwrap();
    assert!(out.status.success());
    let csv = dir.join("gold.csv");
    std::fs::write(&csv, gold_csv(&std::fs::read_to_string(&gold).unwrap())).unwrap();

    let run = |args: &[&str]| -> Value {
        let out = bin().arg("eval").args(args).arg("--pred").arg(&pred).arg("--json").output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let from_jsonl = run(&["--gold", gold.to_str().unwrap()]);
    let from_csv = run(&["--gold-csv", csv.to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).ok();

    assert_eq!(from_jsonl["gold_format"], "jsonl");
    assert_eq!(from_csv["gold_format"], "csv");
    assert_eq!(from_jsonl["counts"]["gold_articles"], 20);
    assert_eq!(from_jsonl["fields"], from_csv["fields"], "the 8 CSV fields score the same from both gold layouts");
    assert!(from_csv["persons"].is_null(), "person-level metrics need JSONL gold");
    let f1 = from_jsonl["persons"]["f1"].as_f64().unwrap();
    assert!(f1 > 0.8 && f1 <= 1.0, "persons F1 on the sample: {f1}");
}

#[test]
fn text_report_names_every_section() {
    let gold = repo().join("fixtures/sample/gold.jsonl");
    let out = bin().args(["eval", "--gold"]).arg(&gold).arg("--pred").arg(&gold).output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for needle in ["person_name", "occured_locations", "police_departments", "all_fields_exact", "persons", "offenders", "residences", "is_offender"] {
        assert!(text.contains(needle), "missing {needle} in\n{text}");
    }
}
