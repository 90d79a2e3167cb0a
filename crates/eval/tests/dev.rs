//! Metrics on the annotated dev set (../shared/data/dev), with predictions
//! derived from the gold records by controlled edits.
use kiji_eval::{
    evaluate, load_gold, load_gold_csv, load_gold_jsonl, load_predictions, normalize, CsvView,
    Gold, Record, Report, CSV_FIELDS,
};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn dev(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/dev")
        .join(name)
}

fn gold_records() -> Vec<Record> {
    load_gold_jsonl(&dev("gold.jsonl")).expect("dev gold loads")
}

/// A unique temp file path for this test process.
fn temp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("kiji-eval-test-{}-{name}", std::process::id()))
}

fn field<'a>(r: &'a Report, name: &str) -> &'a kiji_eval::FieldScore {
    r.fields.iter().find(|f| f.field == name).unwrap()
}

fn attr_acc(r: &Report, name: &str) -> Option<f64> {
    r.attributes
        .iter()
        .find(|a| a.attr == name)
        .unwrap()
        .accuracy
}

fn frac(a: usize, b: usize) -> Option<f64> {
    Some(a as f64 / b as f64)
}

/// Every CSV field, every P/R/F1 and every attribute is 1.0 except the named ones.
fn assert_perfect_except(r: &Report, fields: &[&str], attrs: &[&str], lists: &[&str]) {
    for f in &r.fields {
        if !fields.contains(&f.field) {
            assert_eq!(f.accuracy, Some(1.0), "field {}", f.field);
            assert_eq!(
                f.miss + f.mismatch + f.hallucination,
                0,
                "field {}",
                f.field
            );
        }
    }
    for a in &r.attributes {
        if !attrs.contains(&a.attr) {
            assert_eq!(a.accuracy, Some(1.0), "attribute {}", a.attr);
        }
    }
    for l in &r.addresses {
        if !lists.contains(&l.list) {
            assert_eq!(l.prf.f1, Some(1.0), "list {}", l.list);
        }
    }
}

fn offenders(r: &Record) -> usize {
    r.output.persons.iter().filter(|p| p.is_offender).count()
}

#[test]
fn dev_gold_against_itself_is_perfect() {
    let gold = gold_records();
    assert_eq!(gold.len(), 101);
    let r = evaluate(&Gold::Jsonl(gold.clone()), &gold, None);
    assert_perfect_except(&r, &[], &[], &[]);
    assert_eq!(r.all_fields_exact.rate, Some(1.0));
    assert_eq!(r.all_fields_exact.n, 101);
    for prf in [r.persons.unwrap(), r.offenders.unwrap()] {
        assert_eq!(
            (prf.precision, prf.recall, prf.f1),
            (Some(1.0), Some(1.0), Some(1.0))
        );
    }
    assert_eq!(r.persons.unwrap().gold, 210);
    assert_eq!(r.offenders.unwrap().gold, 84);
    assert_eq!(r.counts.matched, 101);
    assert_eq!(r.counts.matched_persons, Some(210));
    assert_eq!(
        (
            r.counts.missing,
            r.counts.error_records,
            r.counts.ignored,
            r.counts.duplicates
        ),
        (0, 0, 0, 0)
    );
    assert_eq!(r.attributes.len(), 7);
    assert!(r.attributes.iter().all(|a| a.n == 210));
    assert_eq!(r.addresses.len(), 4);
    // The person_name field is non-empty exactly in articles with an offender.
    assert_eq!(
        field(&r, "person_name").n,
        gold.iter().filter(|g| offenders(g) > 0).count()
    );
    // Gold reasons come from the article; without mentions the name must be in them.
    assert_eq!(r.reason.pred_offenders, 84);
    assert_eq!(r.reason.checked, 84);
    assert_eq!(r.reason.not_in_article, 0);
    assert_eq!(r.reason.no_reason, 0);
    assert_eq!(r.reason.supported + r.reason.no_overlap, 84);
    assert!(r.reason.supported >= 70, "{:?}", r.reason);
    // Only reason-check notes are left in the per-article list.
    assert!(r
        .per_article
        .iter()
        .all(|a| a.fields.is_empty() && a.attributes.is_empty() && a.addresses.is_empty()));
    assert_eq!(
        r.per_article.len(),
        r.per_article
            .iter()
            .filter(|a| !a.reasons.is_empty())
            .count()
    );
}

#[test]
fn removing_one_age_lowers_only_age_accuracy() {
    let gold = gold_records();
    let base = evaluate(&Gold::Jsonl(gold.clone()), &gold, None);
    let n_age = field(&base, "person_age_at_published").n;

    // A single-offender article: the field becomes empty, a miss.
    let mut pred = gold.clone();
    let i = pred
        .iter()
        .position(|g| {
            offenders(g) == 1
                && g.output
                    .persons
                    .iter()
                    .any(|p| p.is_offender && p.age.is_some())
        })
        .unwrap();
    let p = pred[i]
        .output
        .persons
        .iter_mut()
        .find(|p| p.is_offender)
        .unwrap();
    p.age = None;
    let r = evaluate(&Gold::Jsonl(gold.clone()), &pred, None);
    let age = field(&r, "person_age_at_published");
    assert_eq!(age.n, n_age);
    assert_eq!(age.correct, n_age - 1);
    assert_eq!(age.accuracy, frac(n_age - 1, n_age));
    assert_eq!((age.miss, age.mismatch, age.hallucination), (1, 0, 0));
    assert_eq!(attr_acc(&r, "age"), frac(209, 210));
    assert_perfect_except(&r, &["person_age_at_published"], &["age"], &[]);
    assert_eq!(r.all_fields_exact.correct, 100);
    assert_eq!(r.persons.unwrap().f1, Some(1.0));
    let diffs: Vec<_> = r
        .per_article
        .iter()
        .filter(|a| !a.fields.is_empty() || !a.attributes.is_empty())
        .collect();
    assert_eq!(diffs.len(), 1);
    assert_eq!(diffs[0].id, gold[i].id.clone().unwrap());
    assert_eq!(diffs[0].fields.len(), 1);
    assert_eq!(diffs[0].fields[0].pred, "");
    assert_eq!(diffs[0].attributes[0].attr, "age");
    assert_eq!(diffs[0].attributes[0].pred, None);

    // ld-kaden-channel-6217634 has two offenders, ages null and 43: "/43" becomes "/", a mismatch.
    let mut pred = gold.clone();
    let i = pred
        .iter()
        .position(|g| g.id.as_deref() == Some("ld-kaden-channel-6217634"))
        .unwrap();
    pred[i].output.persons[1].age = None;
    let r = evaluate(&Gold::Jsonl(gold.clone()), &pred, None);
    let age = field(&r, "person_age_at_published");
    assert_eq!((age.n, age.correct), (n_age, n_age - 1));
    assert_eq!((age.miss, age.mismatch, age.hallucination), (0, 1, 0));
    let d = r.per_article.iter().find(|a| !a.fields.is_empty()).unwrap();
    assert_eq!(
        (d.fields[0].gold.as_str(), d.fields[0].pred.as_str()),
        ("/43", "/")
    );
}

#[test]
fn removing_a_person_lowers_recall_exactly() {
    let gold = gold_records();
    // A non-offender: persons recall drops, the CSV view does not change.
    let mut pred = gold.clone();
    let i = pred
        .iter()
        .position(|g| g.output.persons.iter().any(|p| !p.is_offender))
        .unwrap();
    let j = pred[i]
        .output
        .persons
        .iter()
        .position(|p| !p.is_offender)
        .unwrap();
    let removed = pred[i].output.persons.remove(j).name;
    let r = evaluate(&Gold::Jsonl(gold.clone()), &pred, None);
    let p = r.persons.unwrap();
    assert_eq!((p.tp, p.gold, p.pred), (209, 210, 209));
    assert_eq!((p.precision, p.recall), (Some(1.0), frac(209, 210)));
    assert_eq!(p.f1, frac(2 * 209, 210 + 209));
    assert_eq!(r.offenders.unwrap().f1, Some(1.0));
    assert_perfect_except(&r, &[], &[], &[]);
    assert!(r.attributes.iter().all(|a| a.n == 209));
    assert_eq!(
        r.per_article
            .iter()
            .find(|a| !a.persons_missed.is_empty())
            .unwrap()
            .persons_missed,
        vec![removed]
    );

    // An offender: offender recall drops by one of 84, person_name is wrong in one article.
    let mut pred = gold.clone();
    let i = pred.iter().position(|g| offenders(g) == 1).unwrap();
    pred[i].output.persons.retain(|p| !p.is_offender);
    let r = evaluate(&Gold::Jsonl(gold.clone()), &pred, None);
    let o = r.offenders.unwrap();
    assert_eq!((o.tp, o.gold, o.pred), (83, 84, 83));
    assert_eq!((o.precision, o.recall), (Some(1.0), frac(83, 84)));
    assert_eq!(r.persons.unwrap().recall, frac(209, 210));
    let name = field(&r, "person_name");
    assert_eq!((name.correct + 1, name.miss), (name.n, 1));
}

#[test]
fn hallucinated_police_department_is_bucketed() {
    let gold = gold_records();
    let base = evaluate(&Gold::Jsonl(gold.clone()), &gold, None);
    let n_police = field(&base, "police_departments").n;
    let total_police: usize = gold.iter().map(|g| g.output.police_departments.len()).sum();

    let mut pred = gold.clone();
    let empty = pred
        .iter()
        .position(|g| g.output.police_departments.is_empty())
        .unwrap();
    let full = pred
        .iter()
        .position(|g| !g.output.police_departments.is_empty())
        .unwrap();
    pred[empty]
        .output
        .police_departments
        .push("架空県警".into());
    pred[full].output.police_departments.push("架空県警".into());
    let r = evaluate(&Gold::Jsonl(gold.clone()), &pred, None);
    let f = field(&r, "police_departments");
    assert_eq!((f.n, f.correct), (n_police + 1, n_police - 1));
    assert_eq!((f.miss, f.mismatch, f.hallucination), (0, 1, 1));
    let list = r
        .addresses
        .iter()
        .find(|l| l.list == "police_departments")
        .unwrap()
        .prf;
    assert_eq!(
        (list.tp, list.gold, list.pred),
        (total_police, total_police, total_police + 2)
    );
    assert_eq!(list.recall, Some(1.0));
    assert_eq!(list.precision, frac(total_police, total_police + 2));
    assert_perfect_except(&r, &["police_departments"], &[], &["police_departments"]);
    let d = r
        .per_article
        .iter()
        .find(|a| a.id == gold[empty].id.clone().unwrap())
        .unwrap();
    assert_eq!(d.fields[0].bucket, "hallucination");
    assert_eq!(d.addresses[0].spurious, vec!["架空県警".to_owned()]);
}

#[test]
fn nfkc_and_whitespace_do_not_count() {
    assert_eq!(normalize("（４３）"), normalize("(43)"));
    let gold = gold_records();
    let mut pred = gold.clone();
    let i = pred
        .iter()
        .position(|g| g.id.as_deref() == Some("ld-kaden-channel-6217634"))
        .unwrap();
    let p = &mut pred[i].output.persons[1];
    assert_eq!(p.name, "鈴木博司");
    p.name = "鈴木　博司".into(); // ideographic space
    p.age = Some("４３".into()); // full-width digits
    pred[i].output.residences[1].owner = "鈴木 博司".into();
    pred[i].output.residences[1].address = "台東区 ".into();
    let j = pred
        .iter()
        .position(|g| {
            g.output
                .persons
                .iter()
                .any(|p| p.act.as_deref().is_some_and(|a| a.contains('(')))
        })
        .unwrap();
    for p in &mut pred[j].output.persons {
        p.act = p
            .act
            .as_ref()
            .map(|a| a.replace('(', "（").replace(')', "）"));
    }
    let r = evaluate(&Gold::Jsonl(gold.clone()), &pred, None);
    assert_perfect_except(&r, &[], &[], &[]);
    assert_eq!(r.persons.unwrap().f1, Some(1.0));
    assert_eq!(r.all_fields_exact.rate, Some(1.0));
}

/// Three dev articles with two, one and no offenders.
fn three_ids(gold: &[Record]) -> Vec<String> {
    let by = |n: usize| {
        gold.iter()
            .find(|g| offenders(g) == n && (n == 0 || !g.output.police_departments.is_empty()))
            .unwrap()
            .id
            .clone()
            .unwrap()
    };
    vec![by(2), by(1), by(0)]
}

#[test]
fn csv_gold_gives_the_same_csv_metrics_as_jsonl_gold() {
    let gold = gold_records();
    let ids = three_ids(&gold);
    let subset: Vec<Record> = gold
        .iter()
        .filter(|g| ids.contains(g.id.as_ref().unwrap()))
        .cloned()
        .collect();
    assert_eq!(subset.len(), 3);

    // Predictions with errors, for all 101 articles (the others are ignored with the subset as gold).
    let mut pred = gold.clone();
    for r in pred
        .iter_mut()
        .filter(|r| ids.contains(r.id.as_ref().unwrap()))
    {
        if let Some(p) = r.output.persons.iter_mut().find(|p| p.is_offender) {
            p.age = None;
            p.act = Some("詐欺".into());
        }
        r.output.police_departments.push("架空県警".into());
    }

    // Layout 1: one row per article, `id` header, canonical column order.
    let one = temp("one-row-per-article.csv");
    {
        let mut w = csv::Writer::from_path(&one).unwrap();
        let mut header = vec!["id"];
        header.extend(CSV_FIELDS);
        w.write_record(&header).unwrap();
        for g in &subset {
            let v = CsvView::from_output(g.id.clone().unwrap(), &g.output);
            let mut row = vec![v.id.clone()];
            row.extend(v.fields.iter().cloned());
            w.write_record(&row).unwrap();
        }
        w.flush().unwrap();
    }
    // Layout 2: one row per offender, `article_id` header, shuffled columns,
    // an extra column, lists repeated on every row.
    let per = temp("one-row-per-offender.csv");
    {
        let mut w = csv::Writer::from_path(&per).unwrap();
        let order = [7usize, 0, 2, 1, 5, 4, 3, 6];
        let mut header = vec!["note", "article_id"];
        header.extend(order.iter().map(|&k| CSV_FIELDS[k]));
        w.write_record(&header).unwrap();
        for g in &subset {
            let mut parts: Vec<kiji_core::ArticleOutput> = g
                .output
                .persons
                .iter()
                .filter(|p| p.is_offender)
                .map(|p| kiji_core::ArticleOutput {
                    persons: vec![p.clone()],
                    ..g.output.clone()
                })
                .collect();
            if parts.is_empty() {
                parts.push(kiji_core::ArticleOutput {
                    persons: vec![],
                    ..g.output.clone()
                });
            }
            for part in parts {
                let v = CsvView::from_output(g.id.clone().unwrap(), &part);
                let mut row = vec!["x, \"quoted\"".to_owned(), v.id.clone()];
                row.extend(order.iter().map(|&k| v.fields[k].clone()));
                w.write_record(&row).unwrap();
            }
        }
        w.flush().unwrap();
    }

    let by_jsonl = evaluate(&Gold::Jsonl(subset.clone()), &pred, None);
    for path in [&one, &per] {
        let views = load_gold_csv(path).unwrap();
        let expected: Vec<CsvView> = subset
            .iter()
            .map(|g| CsvView::from_output(g.id.clone().unwrap(), &g.output))
            .collect();
        assert_eq!(views, expected, "{}", path.display());
        let gold_csv = load_gold(path).unwrap();
        assert!(matches!(gold_csv, Gold::Csv(_)));
        let by_csv = evaluate(&gold_csv, &pred, None);
        assert_eq!(by_csv.fields, by_jsonl.fields);
        assert_eq!(by_csv.all_fields_exact, by_jsonl.all_fields_exact);
        assert_eq!(by_csv.counts.ignored, 98);
        assert_eq!(by_csv.gold_format, "csv");
        assert!(by_csv.persons.is_none() && by_csv.offenders.is_none());
        assert!(by_csv.attributes.is_empty() && by_csv.addresses.is_empty());
        assert_eq!(
            by_csv.not_available,
            vec!["persons", "offenders", "attributes", "addresses"]
        );
        let csv_diffs: Vec<_> = by_csv
            .per_article
            .iter()
            .map(|a| (&a.id, &a.fields))
            .collect();
        let jsonl_diffs: Vec<_> = by_jsonl
            .per_article
            .iter()
            .filter(|a| !a.fields.is_empty())
            .map(|a| (&a.id, &a.fields))
            .collect();
        assert_eq!(csv_diffs, jsonl_diffs);
        assert!(by_csv
            .to_text()
            .contains("not available with CSV gold: persons, offenders, attributes, addresses"));
        std::fs::remove_file(path).unwrap();
    }
    // The edits are visible: police is a hallucination on the no-offender
    // article only if it had no police, else a mismatch; act and age differ.
    let police = field(&by_jsonl, "police_departments");
    assert_eq!(police.correct, 0);
    assert!(
        field(&by_jsonl, "person_violated_law").correct < field(&by_jsonl, "person_violated_law").n
    );
}

#[test]
fn prediction_file_with_errors_missing_and_unknown_ids() {
    let gold = gold_records();
    let gold_lines: Vec<String> = std::fs::read_to_string(dev("gold.jsonl"))
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    let path = temp("pred.jsonl");
    // Line 1: an error record for gold[0]; line 2: malformed; lines 3..: gold[2..] as is
    // (gold[1] missing); then an unknown id, a duplicate of gold[2] and a blank line.
    let mut text = format!(
        "{{\"id\":{:?},\"line\":1,\"error\":\"invalid_json: boom\"}}\n",
        gold[0].id.as_ref().unwrap()
    );
    text.push_str("{not json\n");
    for l in &gold_lines[2..] {
        text.push_str(l);
        text.push('\n');
    }
    text.push_str("{\"id\":\"nope\",\"persons\":[],\"headquarters_locations\":[],\"residences\":[],\"physical_crime_occured_locations\":[],\"police_departments\":[]}\n");
    text.push_str(&gold_lines[2]);
    text.push_str("\n\n");
    std::fs::write(&path, text).unwrap();
    let pred = load_predictions(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(pred.len(), 1 + 1 + 99 + 2);
    assert_eq!(pred[0].error.as_deref(), Some("invalid_json: boom"));
    assert!(pred[1]
        .error
        .as_deref()
        .unwrap()
        .starts_with("malformed line (invalid_json)"));
    assert_eq!((pred[1].id.clone(), pred[1].line), (None, 2));

    let r = evaluate(&Gold::Jsonl(gold.clone()), &pred, None);
    let c = &r.counts;
    assert_eq!((c.gold_articles, c.pred_records, c.matched), (101, 103, 99));
    assert_eq!(
        (
            c.missing,
            c.error_records,
            c.errors_on_gold,
            c.ignored,
            c.duplicates
        ),
        (1, 2, 1, 2, 1)
    );
    assert_eq!(r.missing_ids, vec![gold[1].id.clone().unwrap()]);
    assert_eq!(r.per_article[0].status, "error");
    assert_eq!(r.per_article[1].status, "missing");
    // Both empty predictions cost exactly their gold persons in recall.
    let lost = gold[0].output.persons.len() + gold[1].output.persons.len();
    assert_eq!(r.persons.unwrap().tp, 210 - lost);
    assert_eq!(r.persons.unwrap().precision, Some(1.0));
    let text = r.to_text();
    assert!(text.contains("predictions: 103 records; 99 matched, 1 missing, 2 error records (1 on gold articles), 2 ignored (id not in gold), 1 duplicate ids"), "{text}");
    assert!(
        text.contains(&format!("missing ids: {}", gold[1].id.as_ref().unwrap())),
        "{text}"
    );
    assert!(r.diff_text().contains(&format!(
        "== {} [error] invalid_json: boom",
        gold[0].id.as_ref().unwrap()
    )));
}

#[test]
fn malformed_gold_is_an_error_with_file_and_line() {
    let path = temp("bad-gold.jsonl");
    let good = std::fs::read_to_string(dev("gold.jsonl"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_owned();
    std::fs::write(
        &path,
        format!("{good}\n\n{{\"id\":\"x\",\"persons\":[{{\"name\":\"a\"}}]}}\n"),
    )
    .unwrap();
    let err = load_gold_jsonl(&path).unwrap_err();
    assert_eq!(err.line, Some(3));
    assert_eq!(err.kind, kiji_core::ErrorKind::InvalidRecord);
    assert!(
        err.to_string()
            .starts_with(&format!("{}:3: not an output record", path.display())),
        "{err}"
    );
    std::fs::write(&path, format!("{good}\n{good}\n")).unwrap();
    let err = load_gold_jsonl(&path).unwrap_err();
    assert!(
        err.to_string()
            .ends_with(":2: duplicate id \"ld-kaden-channel-6217634\""),
        "{err}"
    );
    std::fs::remove_file(&path).unwrap();
    assert!(load_gold_jsonl(&temp("does-not-exist.jsonl"))
        .unwrap_err()
        .to_string()
        .contains("cannot read"));

    let csv = temp("bad-gold.csv");
    std::fs::write(&csv, "article,person_name\nx,y\n").unwrap();
    let err = load_gold_csv(&csv).unwrap_err();
    assert!(
        err.to_string()
            .ends_with(":1: no `id` or `article_id` column in the header"),
        "{err}"
    );
    std::fs::remove_file(&csv).unwrap();
}

#[test]
fn reason_check_uses_mentions_then_names() {
    let gold = gold_records();
    let g = gold
        .iter()
        .find(|g| g.id.as_deref() == Some("ld-kaden-channel-6217634"))
        .unwrap()
        .clone();
    let article = g.article.clone().unwrap();
    let id = g.id.clone().unwrap();
    let mut pred = g.clone();
    pred.article = None;
    // 俵正 is at chars 37..39; 鈴木博司 at 46..50 (the reason is the first sentence, 0..63).
    let chars: Vec<char> = article.chars().collect();
    assert_eq!(chars[37..39].iter().collect::<String>(), "俵正");
    pred.output.persons[0].mentions = vec![kiji_core::Span::new(37, 39)];
    pred.output.persons[1].mentions = vec![kiji_core::Span::new(200, 204)]; // outside the reason
    let gold_only = Gold::Jsonl(vec![Record {
        article: None,
        ..g.clone()
    }]);
    let mut articles = HashMap::new();

    // No article text anywhere: unchecked.
    let r = evaluate(&gold_only, std::slice::from_ref(&pred), Some(&articles));
    assert_eq!(
        (r.reason.checked, r.reason.no_article, r.reason.rate),
        (0, 2, None)
    );

    articles.insert(id.clone(), article.clone());
    let r = evaluate(&gold_only, std::slice::from_ref(&pred), Some(&articles));
    assert_eq!(
        (
            r.reason.checked,
            r.reason.supported,
            r.reason.no_overlap,
            r.reason.by_mentions
        ),
        (2, 1, 1, 1)
    );
    assert_eq!(r.reason.rate, Some(0.5));
    assert_eq!(
        r.per_article[0].reasons,
        vec!["鈴木博司: overlaps no mention".to_owned()]
    );

    // Without mentions: the name must be in the reason; a reason not in the article fails.
    pred.output.persons[1].mentions.clear();
    pred.output.persons[0].reason = Some("覚せい剤を売った俵正".into());
    let r = evaluate(&gold_only, std::slice::from_ref(&pred), Some(&articles));
    assert_eq!(
        (
            r.reason.supported,
            r.reason.not_in_article,
            r.reason.by_name
        ),
        (1, 1, 1)
    );
    pred.output.persons[0].reason = None;
    let r = evaluate(&gold_only, std::slice::from_ref(&pred), Some(&articles));
    assert_eq!(r.reason.no_reason, 1);

    // The gold record's article is the fallback text.
    let r = evaluate(&Gold::Jsonl(vec![g]), std::slice::from_ref(&pred), None);
    assert_eq!(r.reason.checked, 2);
}

#[test]
fn text_and_json_report() {
    let gold = gold_records();
    let r = evaluate(&Gold::Jsonl(gold.clone()), &gold, None);
    let text = r.to_text();
    assert_eq!(format!("{r}"), text);
    for needle in [
        "gold: jsonl (101 articles)",
        "field                            accuracy correct      n   miss mismatch halluc",
        "person_name",
        "all_fields_exact                   1.0000     101    101",
        "persons                            1.0000   1.0000   1.0000    210    210    210",
        "offenders                          1.0000   1.0000   1.0000     84     84     84",
        "attributes over 210 matched persons",
        "is_offender                        1.0000     210    210",
        "police_departments",
        "reason: ",
    ] {
        assert!(text.contains(needle), "{needle:?} not in\n{text}");
    }
    let json: serde_json::Value = serde_json::to_value(&r).unwrap();
    assert_eq!(json["fields"][0]["field"], "person_name");
    assert_eq!(json["fields"][0]["accuracy"], 1.0);
    assert_eq!(json["persons"]["f1"], 1.0);
    assert_eq!(json["addresses"][0]["list"], "headquarters_locations");
    assert_eq!(json["addresses"][0]["f1"], 1.0);
    assert_eq!(json["counts"]["gold_articles"], 101);
    assert!(json["per_article"].is_array());
}
