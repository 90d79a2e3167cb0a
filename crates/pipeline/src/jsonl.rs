//! One JSONL line in, one JSONL line out: the stateless per-line contract of
//! `pipeline-run extract` (usable from Spark `pipe`, Ray or any batch engine).
//!
//! A line that cannot be read as an input record becomes an error record
//! `{"id": <id or null>, "line": N, "error": "<kind>: <context>"}`; nothing
//! is dropped.

use crate::{ArticleInput, ArticleOutput, Error, ErrorKind, Pipeline};
use serde::Serialize;
use serde_json::value::RawValue;
use serde_json::Value;
use std::collections::HashMap;

/// An output line for an input line that could not be processed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErrorRecord {
    pub id: Option<String>,
    /// 1-based line number in the input.
    pub line: u64,
    pub error: String,
}

/// What one input line turns into.
#[derive(Debug, Clone, PartialEq)]
pub enum LineResult {
    Ok(Box<ArticleOutput>),
    Err(ErrorRecord),
}

impl LineResult {
    pub fn is_err(&self) -> bool {
        matches!(self, LineResult::Err(_))
    }
    /// The JSON text of the output line (no trailing newline).
    pub fn to_json(&self) -> String {
        let r = match self {
            LineResult::Ok(o) => serde_json::to_string(o),
            LineResult::Err(e) => serde_json::to_string(e),
        };
        r.expect("output records always serialise")
    }
}

/// The id of a JSON value as a string: strings as they are, other scalars as JSON text.
fn id_of(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other @ (Value::Number(_) | Value::Bool(_)) => Some(other.to_string()),
        _ => None,
    }
}

/// The text of a numeric `id` exactly as the line writes it (`serde_json`'s
/// `Value` turns numbers past `u64` into floats: 12345678901234567890123 ->
/// 1.2345678901234568e22). `None` when the line cannot be read that way.
fn raw_number_id(text: &str) -> Option<String> {
    let fields: HashMap<String, &RawValue> = serde_json::from_str(text).ok()?;
    let raw = fields.get("id")?.get().trim();
    raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()).then(|| raw.to_owned())
}

/// Parse one input line (without its line terminator) into an input record.
/// Strips a UTF-8 BOM and a trailing `\r`.
pub fn parse_line(bytes: &[u8]) -> ParseResult {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        (None, Error::new(ErrorKind::InvalidUtf8, format!("invalid UTF-8 at byte {}", e.valid_up_to())))
    })?;
    let value: Value = serde_json::from_str(text).map_err(|e| (None, Error::new(ErrorKind::InvalidJson, e.to_string())))?;
    let raw_id = match &value {
        Value::Object(map) if matches!(map.get("id"), Some(Value::Number(_))) => raw_number_id(text),
        _ => None,
    };
    parse_value(value, raw_id)
}

/// The result of reading one input record: the record, or the id (when one
/// could be read) and what is wrong.
pub type ParseResult = Result<ArticleInput, (Option<String>, Error)>;

/// Read an input record from a parsed JSON value, by the rules of
/// [`parse_line`] (which calls it): for callers that hold records as values
/// rather than lines, e.g. the Python package's dicts. `raw_id` is the text
/// of a numeric `id` as written, when known (otherwise a number past `u64`
/// is echoed as a float).
pub fn parse_value(value: Value, raw_id: Option<String>) -> ParseResult {
    let Value::Object(mut map) = value else {
        return Err((None, Error::new(ErrorKind::InvalidRecord, "the line is not a JSON object")));
    };
    let id = match map.get("id") {
        Some(Value::Number(_)) => raw_id.or_else(|| id_of(map.get("id"))),
        other => id_of(other),
    };
    let article = match map.remove("article") {
        Some(Value::String(s)) => s,
        Some(_) => return Err((id, Error::new(ErrorKind::InvalidRecord, "`article` is not a string"))),
        None => return Err((id, Error::new(ErrorKind::InvalidRecord, "no `article` field"))),
    };
    let posted_at = match map.get("posted_at") {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    };
    let strings = |key: &str| -> Vec<String> {
        match map.get(key) {
            Some(Value::Array(a)) => a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect(),
            _ => Vec::new(),
        }
    };
    Ok(ArticleInput { id, posted_at, article, person_hints: strings("person_hints"), company_hints: strings("company_hints") })
}

impl Pipeline {
    /// Process one raw input line (1-based `line_no`), never panicking on bad input.
    pub fn process_line(&self, bytes: &[u8], line_no: u64) -> LineResult {
        match parse_line(bytes) {
            Ok(input) => LineResult::Ok(Box::new(self.process(&input))),
            Err((id, e)) => LineResult::Err(ErrorRecord { id, line: line_no, error: e.to_string() }),
        }
    }

    /// [`Pipeline::process_line`] over numbered lines, in order, with the
    /// valid records going through [`Pipeline::process_batch`] together.
    pub fn process_lines(&self, lines: &[(u64, Vec<u8>)]) -> Vec<LineResult> {
        use rayon::prelude::*;
        if !self.recognizer.batched() {
            // One pass, one line per task: nothing to gain from batching.
            return lines.par_iter().map(|(n, l)| self.process_line(l, *n)).collect();
        }
        let parsed: Vec<_> = lines.par_iter().map(|(n, l)| (*n, parse_line(l))).collect();
        self.process_parsed(parsed)
    }

    /// Process records already read (numbered as [`Pipeline::process_lines`]
    /// numbers lines): each error becomes its error record, the valid
    /// records go through [`Pipeline::process_batch`] together. In order.
    pub fn process_parsed(&self, parsed: Vec<(u64, ParseResult)>) -> Vec<LineResult> {
        use rayon::prelude::*;
        let error_record = |line: u64, (id, e): (Option<String>, Error)| ErrorRecord { id, line, error: e.to_string() };
        if !self.recognizer.batched() {
            return parsed
                .into_par_iter()
                .map(|(line, r)| match r {
                    Ok(input) => LineResult::Ok(Box::new(self.process(&input))),
                    Err(e) => LineResult::Err(error_record(line, e)),
                })
                .collect();
        }
        let mut inputs = Vec::with_capacity(parsed.len());
        let mut errors: Vec<Option<ErrorRecord>> = Vec::with_capacity(parsed.len());
        for (line, r) in parsed {
            match r {
                Ok(input) => {
                    inputs.push(input);
                    errors.push(None);
                }
                Err(e) => errors.push(Some(error_record(line, e))),
            }
        }
        let mut outputs = self.process_batch(&inputs).into_iter();
        errors
            .into_iter()
            .map(|e| match e {
                Some(e) => LineResult::Err(e),
                None => LineResult::Ok(Box::new(outputs.next().expect("one output per valid input"))),
            })
            .collect()
    }
}

/// Totals of a streamed run ([`Pipeline::process_stream`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Output records (one per input line).
    pub records: u64,
    /// Of those, error records.
    pub errors: u64,
    /// Bytes read.
    pub bytes_in: u64,
    /// Wall time of the run so far.
    pub seconds: f64,
    /// Worker threads.
    pub threads: usize,
}

impl Summary {
    /// Records that are not error records.
    pub fn ok(&self) -> u64 {
        self.records - self.errors
    }
    /// Records per second of wall time.
    pub fn articles_per_second(&self) -> f64 {
        self.records as f64 / self.seconds.max(1e-9)
    }
}

/// Why [`Pipeline::process_stream`] stopped.
#[derive(Debug)]
pub enum StreamError {
    /// Reading the input failed.
    Read(std::io::Error),
    /// `emit` failed (writing the output).
    Write(std::io::Error),
}

/// Peak resident set size of this process in kB (Linux), if known.
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

impl Pipeline {
    /// Stream JSONL, as `pipeline-run extract` does: read `reader` `chunk`
    /// lines at a time (bounded memory), process each chunk on `pool`
    /// ([`Pipeline::process_lines`]) and hand every result to `emit` in input
    /// order; `progress` sees the running totals after each chunk. Every
    /// line, a last one without `\n` included, gives one result.
    pub fn process_stream<R: std::io::BufRead>(
        &self,
        mut reader: R,
        chunk: usize,
        pool: &rayon::ThreadPool,
        mut emit: impl FnMut(&LineResult) -> std::io::Result<()>,
        mut progress: impl FnMut(&Summary),
    ) -> Result<Summary, StreamError> {
        let chunk = chunk.max(1);
        let started = std::time::Instant::now();
        let mut summary = Summary { threads: pool.current_num_threads(), ..Summary::default() };
        let mut line_no = 0u64;
        // Grows to `chunk` lines as they come: a huge chunk must not allocate up front.
        let mut lines: Vec<(u64, Vec<u8>)> = Vec::with_capacity(chunk.min(1024));
        let mut eof = false;
        while !eof {
            lines.clear();
            while lines.len() < chunk {
                let mut buf = Vec::new();
                let n = reader.read_until(b'\n', &mut buf).map_err(StreamError::Read)?;
                if n == 0 {
                    eof = true;
                    break;
                }
                line_no += 1;
                summary.bytes_in += n as u64;
                if buf.last() == Some(&b'\n') {
                    buf.pop();
                }
                lines.push((line_no, buf));
            }
            let outputs = pool.install(|| self.process_lines(&lines));
            for out in &outputs {
                summary.records += 1;
                summary.errors += u64::from(out.is_err());
                emit(out).map_err(StreamError::Write)?;
            }
            summary.seconds = started.elapsed().as_secs_f64();
            progress(&summary);
        }
        Ok(summary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_lines_become_errors_with_their_kind() {
        let kind = |b: &[u8]| parse_line(b).unwrap_err().1.kind;
        assert_eq!(kind(b"{not json"), ErrorKind::InvalidJson);
        assert_eq!(kind(b"[1,2]"), ErrorKind::InvalidRecord);
        assert_eq!(kind(b"{\"id\":1}"), ErrorKind::InvalidRecord);
        assert_eq!(kind(b"{\"id\":1,\"article\":5}"), ErrorKind::InvalidRecord);
        assert_eq!(kind(b"{\"article\":\"\xff\"}"), ErrorKind::InvalidUtf8);
        assert_eq!(parse_line(b"{\"id\":7}").unwrap_err().0.as_deref(), Some("7"));
    }

    #[test]
    fn numeric_ids_are_echoed_as_written() {
        let id = |b: &[u8]| parse_line(b).unwrap().id;
        assert_eq!(id(b"{\"id\":12345678901234567890123,\"article\":\"\"}").as_deref(), Some("12345678901234567890123"));
        assert_eq!(id(b"{\"id\": 1.5e300 ,\"article\":\"\"}").as_deref(), Some("1.5e300"));
        assert_eq!(id(b"{\"id\":-0.10,\"article\":\"\"}").as_deref(), Some("-0.10"));
        // The last of duplicate keys wins, as for every other field.
        assert_eq!(id(b"{\"id\":1,\"id\":2,\"article\":\"\"}").as_deref(), Some("2"));
        assert_eq!(id(b"{\"id\":true,\"article\":\"\"}").as_deref(), Some("true"));
        assert_eq!(parse_line(b"{\"id\":99999999999999999999999}").unwrap_err().0.as_deref(), Some("99999999999999999999999"));
    }

    #[test]
    fn bom_and_crlf_are_accepted() {
        let a = parse_line(b"\xEF\xBB\xBF{\"id\":\"x\",\"article\":\"\xE6\x9C\xAC\"}\r").unwrap();
        assert_eq!(a.article, "本");
        assert_eq!(a.id.as_deref(), Some("x"));
    }
}
