//! Reading gold and prediction files.
use crate::view::{CsvView, CSV_FIELDS};
use crate::{EvalError, Gold, Record};
use kiji_core::{ArticleOutput, ErrorKind};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// The id of a record: a string as is, a number or boolean as its JSON text.
fn id_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        v @ (Value::Number(_) | Value::Bool(_)) => Some(v.to_string()),
        _ => None,
    }
}

/// Non-blank lines of a file as `(1-based line number, bytes)`, `\r` stripped.
fn read_lines(path: &Path) -> Result<Vec<(usize, Vec<u8>)>, EvalError> {
    let bytes = std::fs::read(path)
        .map_err(|e| EvalError::new(ErrorKind::Io, path, None, format!("cannot read: {e}")))?;
    let mut out = Vec::new();
    for (i, line) in bytes.split(|&b| b == b'\n').enumerate() {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        out.push((i + 1, line.to_vec()));
    }
    Ok(out)
}

/// Parse one JSONL line into a record, or say what is wrong with it
/// (the error kind, the message, and the id when one could be read).
fn parse_line(bytes: &[u8], line: usize) -> Result<Record, (ErrorKind, String, Option<String>)> {
    let text = std::str::from_utf8(bytes)
        .map_err(|e| (ErrorKind::InvalidUtf8, format!("invalid UTF-8: {e}"), None))?;
    let mut value: Value = serde_json::from_str(text)
        .map_err(|e| (ErrorKind::InvalidJson, format!("invalid JSON: {e}"), None))?;
    let Some(obj) = value.as_object_mut() else {
        return Err((ErrorKind::InvalidRecord, "not a JSON object".into(), None));
    };
    let id = id_of(obj.get("id"));
    let article = obj
        .get("article")
        .and_then(Value::as_str)
        .map(str::to_owned);
    if obj.contains_key("error") && !obj.contains_key("persons") {
        let msg = match &obj["error"] {
            Value::String(s) => s.clone(),
            v => v.to_string(),
        };
        return Ok(Record {
            id,
            line,
            output: ArticleOutput::default(),
            article,
            error: Some(msg),
        });
    }
    // The id is read above (any scalar); ArticleOutput wants a string or null.
    obj.remove("id");
    let mut output: ArticleOutput = serde_json::from_value(value).map_err(|e| {
        (
            ErrorKind::InvalidRecord,
            format!("not an output record: {e}"),
            id.clone(),
        )
    })?;
    output.id = id.clone();
    Ok(Record {
        id,
        line,
        output,
        article,
        error: None,
    })
}

/// Read a gold JSONL file (the output-record shape of the guideline; extra
/// fields such as `article`, `notes`, `source` are ignored, except that
/// `article` is kept for the reason check).
///
/// Strict: a line that is not valid JSON or not an output record, a record
/// without an id, an error record, or a repeated id is an error naming the
/// file and line. Blank lines are skipped.
pub fn load_gold_jsonl(path: &Path) -> Result<Vec<Record>, EvalError> {
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for (line, bytes) in read_lines(path)? {
        let rec = parse_line(&bytes, line)
            .map_err(|(kind, msg, _)| EvalError::new(kind, path, Some(line), msg))?;
        let bad = |msg: String| EvalError::new(ErrorKind::InvalidRecord, path, Some(line), msg);
        if let Some(err) = &rec.error {
            return Err(bad(format!("error record in a gold file: {err}")));
        }
        let Some(id) = rec.id.clone() else {
            return Err(bad("record without an id".into()));
        };
        if !seen.insert(id.clone()) {
            return Err(bad(format!("duplicate id {id:?}")));
        }
        out.push(rec);
    }
    Ok(out)
}

/// Read a prediction JSONL file (`pipeline-run` output).
///
/// Lenient: only an unreadable file is an error. An error record
/// (`{"id":..,"line":N,"error":".."}`) and a malformed line become records
/// with [`Record::error`] set and an empty output (the id is kept when it
/// could be read), so that they count as empty predictions.
pub fn load_predictions(path: &Path) -> Result<Vec<Record>, EvalError> {
    Ok(read_lines(path)?
        .into_iter()
        .map(|(line, bytes)| {
            parse_line(&bytes, line).unwrap_or_else(|(kind, msg, id)| Record {
                id,
                line,
                output: ArticleOutput::default(),
                article: None,
                error: Some(format!("malformed line ({}): {msg}", kind.as_str())),
            })
        })
        .collect())
}

/// Read the compliance team's gold CSV: a header row with an id column
/// (`id` or `article_id`) and the eight columns of [`CSV_FIELDS`] (any order;
/// other columns are ignored; a UTF-8 BOM is accepted).
///
/// Several rows for one id are concatenated, in file order: the six person
/// columns with "/" (a row whose six person cells are all empty adds
/// nothing), `occured_locations` and `police_departments` with "," (empty
/// cells skipped, items already present not repeated). Ids keep the order of
/// their first row.
pub fn load_gold_csv(path: &Path) -> Result<Vec<CsvView>, EvalError> {
    let file = std::fs::File::open(path)
        .map_err(|e| EvalError::new(ErrorKind::Io, path, None, format!("cannot read: {e}")))?;
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(file);
    let csv_err = |e: csv::Error| {
        let line = e.position().map(|p| p.line() as usize);
        let kind = match e.kind() {
            csv::ErrorKind::Io(_) => ErrorKind::Io,
            csv::ErrorKind::Utf8 { .. } => ErrorKind::InvalidUtf8,
            _ => ErrorKind::InvalidRecord,
        };
        EvalError::new(kind, path, line, format!("bad CSV: {e}"))
    };
    let header = reader.headers().map_err(csv_err)?.clone();
    let names: Vec<String> = header
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_owned())
        .collect();
    let col = |name: &str| names.iter().position(|h| h == name);
    let id_col = col("id").or_else(|| col("article_id")).ok_or_else(|| {
        EvalError::new(
            ErrorKind::InvalidRecord,
            path,
            Some(1),
            "no `id` or `article_id` column in the header",
        )
    })?;
    let mut cols = [0usize; 8];
    for (c, field) in cols.iter_mut().zip(CSV_FIELDS) {
        *c = col(field).ok_or_else(|| {
            EvalError::new(
                ErrorKind::InvalidRecord,
                path,
                Some(1),
                format!("no `{field}` column in the header"),
            )
        })?;
    }
    let mut views: Vec<CsvView> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for row in reader.records() {
        let row = row.map_err(csv_err)?;
        let line = row.position().map(|p| p.line() as usize);
        let cell = |i: usize| row.get(i).unwrap_or("").to_owned();
        let id = cell(id_col).trim().to_owned();
        if id.is_empty() {
            if row.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            return Err(EvalError::new(
                ErrorKind::InvalidRecord,
                path,
                line,
                "row without an id",
            ));
        }
        let fields: [String; 8] = std::array::from_fn(|i| cell(cols[i]));
        match index.get(&id) {
            None => {
                index.insert(id.clone(), views.len());
                views.push(CsvView { id, fields });
            }
            Some(&i) => views[i].append_row(&fields),
        }
    }
    Ok(views)
}

/// Read a gold file by its extension: `.csv` → [`Gold::Csv`], anything else → [`Gold::Jsonl`].
pub fn load_gold(path: &Path) -> Result<Gold, EvalError> {
    let is_csv = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    Ok(if is_csv {
        Gold::Csv(load_gold_csv(path)?)
    } else {
        Gold::Jsonl(load_gold_jsonl(path)?)
    })
}
