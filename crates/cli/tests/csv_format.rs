//! `pipeline-run extract --format csv`: the compliance gold-CSV view, read
//! back by `eval --gold-csv` (round trip), quoting, BOM and error rows.
mod common;
use common::*;

/// extract dev -> CSV and JSONL; `eval --gold-csv` of that CSV against the
/// JSONL scores every field perfectly.
#[test]
fn eval_gold_csv_reads_what_format_csv_writes() {
    let data = shared_data();
    let dir = std::env::temp_dir().join(format!("kiji-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (csv, jsonl) = (dir.join("dev.csv"), dir.join("dev.jsonl"));
    for (format, path) in [("csv", &csv), ("jsonl", &jsonl)] {
        let out = bin()
            .args(["extract", "--quiet", "--format", format, "--input"])
            .arg(data.join("dev/input.jsonl"))
            .arg("--output")
            .arg(path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let out = bin().args(["eval", "--json", "--gold-csv"]).arg(&csv).arg("--pred").arg(&jsonl).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(report["counts"]["gold_articles"], 101);
    assert_eq!(report["counts"]["matched"], 101);
    let fields = report["fields"].as_array().unwrap();
    assert_eq!(fields.len(), 8);
    for f in fields {
        assert_eq!(f["accuracy"], 1.0, "{f}");
        assert!(f["n"].as_u64().unwrap() > 0, "{f}");
    }
    assert_eq!(report["all_fields_exact"]["rate"], 1.0);
}

#[test]
fn csv_rows_are_quoted_and_errors_have_their_own_column() {
    let input = "{\"id\":\"a,1\",\"article\":\"山田太郎容疑者(45)が大阪府警に逮捕された。\"}\n{\"id\":\"b\"}\nnot json\n";
    let out = extract_stdin(input.as_bytes(), &["--format", "csv", "--excel"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    let rows: Vec<&str> = text.split_terminator("\r\n").collect();
    assert_eq!(
        rows[0],
        "\u{feff}id,person_name,person_age_at_published,person_address,person_belongs_company,person_position_name,person_violated_law,occured_locations,police_departments,error"
    );
    assert!(rows[1].starts_with("\"a,1\",山田太郎,45,"), "{}", rows[1]);
    assert!(rows[1].ends_with(','), "an empty error cell: {}", rows[1]);
    assert_eq!(rows[2], "b,,,,,,,,,line 2: invalid_record: no `article` field");
    assert!(rows[3].starts_with(",,,,,,,,,line 3: invalid_json: "), "{}", rows[3]);
    assert_eq!(rows.len(), 4);
}

#[test]
fn excel_needs_csv() {
    let out = extract_stdin(b"", &["--excel"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--excel needs --format csv"));
}
