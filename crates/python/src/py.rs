//! The PyO3 glue (see the crate docs and `kiji.pyi`).
use kiji_core::{Error, ErrorKind};
use kiji_pipeline::jsonl::{self, LineResult, ParseResult, StreamError};
use kiji_pipeline::{ArticleInput, ArticleOutput, Config, NerBackend};
use pyo3::exceptions::{PyFileNotFoundError, PyOSError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use rayon::prelude::*;
use serde_json::{Map, Value};
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

/// More worker threads than this is a `ValueError` (as `pipeline-run`'s
/// `--threads` limit).
const MAX_THREADS: usize = 1024;

/// Lines read and processed together by `extract_jsonl` (`--chunk`'s default).
const CHUNK: usize = 256;

/// The name of an object's type, for error messages.
fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type().name().map(|n| n.to_string()).unwrap_or_else(|_| "?".to_owned())
}

/// `TypeError: <arg> must be <expected>, not <type>`.
fn type_error(arg: &str, expected: &str, got: &Bound<'_, PyAny>) -> PyErr {
    PyTypeError::new_err(format!("{arg} must be {expected}, not {}", type_name(got)))
}

/// A kiji error as the Python exception of its kind.
fn kiji_err(e: Error) -> PyErr {
    match e.kind {
        ErrorKind::Config | ErrorKind::InvalidJson | ErrorKind::InvalidRecord | ErrorKind::InvalidUtf8 => {
            PyValueError::new_err(e.to_string())
        }
        ErrorKind::Io | ErrorKind::Resource => PyOSError::new_err(e.to_string()),
    }
}

/// An I/O error on `path` as Python's `OSError` subclass of its errno
/// (`FileNotFoundError`, `PermissionError` ...), with `filename` set.
fn os_err(e: &std::io::Error, path: &Path) -> PyErr {
    let name = path.display().to_string();
    match e.raw_os_error() {
        Some(code) => {
            let text = e.to_string();
            let text = text.split(" (os error").next().unwrap_or(&text).to_owned();
            PyOSError::new_err((code, text, name))
        }
        None => PyOSError::new_err(format!("{name}: {e}")),
    }
}

/// A missing file or directory as `FileNotFoundError` naming it.
fn not_found(what: &str, path: &Path) -> PyErr {
    PyFileNotFoundError::new_err((2, format!("{what} not found"), path.display().to_string()))
}

/// Python's `json.loads`: output records become dicts with the key order of
/// the JSON text (which is the Rust struct order `pipeline-run` writes).
fn json_loads<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let loads = LOADS.get_or_try_init(py, || py.import("json")?.getattr("loads").map(Bound::unbind))?;
    loads.bind(py).call1((text,))
}

/// Python's `json.dumps(obj, ensure_ascii=False)`.
fn json_dumps(py: Python<'_>, obj: &Bound<'_, PyAny>) -> PyResult<String> {
    static DUMPS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let dumps = DUMPS.get_or_try_init(py, || py.import("json")?.getattr("dumps").map(Bound::unbind))?;
    let kwargs = PyDict::new(py);
    kwargs.set_item("ensure_ascii", false)?;
    Ok(dumps.bind(py).call((obj,), Some(&kwargs))?.cast::<PyString>()?.to_cow()?.into_owned())
}

/// A `str` argument (`TypeError` naming `arg` otherwise).
fn str_arg(arg: &str, v: &Bound<'_, PyAny>) -> PyResult<String> {
    let s = v.cast::<PyString>().map_err(|_| type_error(arg, "a str", v))?;
    Ok(s.to_cow()?.into_owned())
}

/// An optional `str` argument (`None` for `None`).
fn opt_str_arg(arg: &str, v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    match v {
        Some(v) if !v.is_none() => {
            let s = v.cast::<PyString>().map_err(|_| type_error(arg, "a str or None", v))?;
            Ok(Some(s.to_cow()?.into_owned()))
        }
        _ => Ok(None),
    }
}

/// An optional list of `str` (any iterable of `str` but a `str` itself).
fn str_list_arg(arg: &str, v: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<String>> {
    let Some(v) = v.filter(|v| !v.is_none()) else { return Ok(Vec::new()) };
    if v.is_instance_of::<PyString>() || v.is_instance_of::<PyBytes>() {
        return Err(type_error(arg, "a list of str", v));
    }
    let items = v.try_iter().map_err(|_| type_error(arg, "a list of str", v))?;
    let mut out = Vec::new();
    for (i, item) in items.enumerate() {
        out.push(str_arg(&format!("{arg}[{i}]"), &item?)?);
    }
    Ok(out)
}

/// The `id` argument: a str, an int (kept as its decimal text, as
/// `pipeline-run` keeps a numeric id) or None.
fn id_arg(v: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    match v {
        Some(v) if !v.is_none() => {
            if let Ok(s) = v.cast::<PyString>() {
                Ok(Some(s.to_cow()?.into_owned()))
            } else if v.is_instance_of::<PyInt>() && !v.is_instance_of::<PyBool>() {
                Ok(Some(v.str()?.to_cow()?.into_owned()))
            } else {
                Err(type_error("id", "a str, an int or None", v))
            }
        }
        _ => Ok(None),
    }
}

/// The `threads` argument as a rayon pool: `None` = one thread per core.
fn thread_pool(threads: Option<&Bound<'_, PyAny>>) -> PyResult<rayon::ThreadPool> {
    let n = match threads {
        Some(t) if !t.is_none() => {
            if t.is_instance_of::<PyBool>() || !t.is_instance_of::<PyInt>() {
                return Err(type_error("threads", "an int or None", t));
            }
            let n: i64 = t.extract().unwrap_or(i64::MAX);
            if !(1..=MAX_THREADS as i64).contains(&n) {
                return Err(PyValueError::new_err(format!("threads must be between 1 and {MAX_THREADS}, got {t}")));
            }
            n as usize
        }
        _ => 0,
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(n)
        .build()
        .map_err(|e| PyRuntimeError::new_err(format!("cannot start {n} worker threads: {e}")))
}

/// A path argument (`str` or `os.PathLike`).
fn path_arg(arg: &str, v: &Bound<'_, PyAny>) -> PyResult<PathBuf> {
    v.extract::<PathBuf>().map_err(|_| type_error(arg, "a str or os.PathLike", v))
}

/// A text value of a record, or the record's `invalid_utf8` error (a `str`
/// with lone surrogates has no UTF-8 form).
fn record_text(field: &str, s: &Bound<'_, PyString>) -> Result<String, Error> {
    s.to_cow()
        .map(|c| c.into_owned())
        .map_err(|_| Error::new(ErrorKind::InvalidUtf8, format!("`{field}` is not valid Unicode (lone surrogates)")))
}

/// One record of `extract_batch`, read under the GIL.
enum Item {
    /// A JSON line (a `str` or `bytes` record), parsed later in parallel.
    Line(Vec<u8>),
    /// A dict (or anything else) already read.
    Parsed(ParseResult),
}

/// Read one `extract_batch` record. A dict is read as `pipeline-run` reads
/// the JSON object it would be written as (`jsonl::parse_value`): only
/// `id`, `article`, `posted_at`, `person_hints` and `company_hints` are
/// looked at; a `str` or `bytes` record is a JSON line; anything else is
/// not a JSON object.
fn read_item(rec: &Bound<'_, PyAny>) -> PyResult<Item> {
    if let Ok(s) = rec.cast::<PyString>() {
        return Ok(match s.to_cow() {
            Ok(text) => Item::Line(text.into_owned().into_bytes()),
            Err(_) => Item::Parsed(Err((None, Error::new(ErrorKind::InvalidUtf8, "the line is not valid Unicode (lone surrogates)")))),
        });
    }
    if let Ok(b) = rec.cast::<PyBytes>() {
        return Ok(Item::Line(b.as_bytes().to_vec()));
    }
    if let Ok(b) = rec.cast::<PyByteArray>() {
        return Ok(Item::Line(b.to_vec()));
    }
    let Ok(dict) = rec.cast::<PyDict>() else {
        return Ok(Item::Parsed(jsonl::parse_value(Value::Null, None)));
    };
    let mut map = Map::new();
    let mut raw_id = None;
    if let Some(v) = dict.get_item("id")? {
        let value = if v.is_none() {
            Value::Null
        } else if let Ok(b) = v.cast::<PyBool>() {
            Value::Bool(b.is_true())
        } else if v.is_instance_of::<PyInt>() {
            // The decimal text is the id (as a JSON line writes the number).
            raw_id = Some(v.str()?.to_cow()?.into_owned());
            Value::from(0)
        } else if let Ok(f) = v.cast::<PyFloat>() {
            // repr(), as json.dumps writes a float; NaN and infinities are no JSON.
            let x = f.value();
            if x.is_finite() {
                raw_id = Some(v.repr()?.to_cow()?.into_owned());
                Value::from(x)
            } else {
                Value::Null
            }
        } else if let Ok(s) = v.cast::<PyString>() {
            match record_text("id", s) {
                Ok(s) => Value::String(s),
                Err(e) => return Ok(Item::Parsed(Err((None, e)))),
            }
        } else {
            Value::Null
        };
        map.insert("id".to_owned(), value);
    }
    // The id an error record of this dict would carry.
    let id_text = match map.get("id") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Bool(b)) => Some(b.to_string()),
        Some(Value::Number(_)) => raw_id.clone(),
        _ => None,
    };
    let err = |e: Error| Ok(Item::Parsed(Err((id_text.clone(), e))));
    if let Some(v) = dict.get_item("article")? {
        let value = if let Ok(s) = v.cast::<PyString>() {
            match record_text("article", s) {
                Ok(s) => Value::String(s),
                Err(e) => return err(e),
            }
        } else if v.is_none() {
            Value::Null
        } else {
            // Only "not a string" matters from here on.
            Value::Bool(false)
        };
        map.insert("article".to_owned(), value);
    }
    if let Some(v) = dict.get_item("posted_at")? {
        if let Ok(s) = v.cast::<PyString>() {
            match record_text("posted_at", s) {
                Ok(s) => drop(map.insert("posted_at".to_owned(), Value::String(s))),
                Err(e) => return err(e),
            }
        }
    }
    for key in ["person_hints", "company_hints"] {
        let Some(v) = dict.get_item(key)? else { continue };
        if !(v.is_instance_of::<PyList>() || v.is_instance_of::<PyTuple>()) {
            continue;
        }
        let mut items = Vec::new();
        for item in v.try_iter()? {
            if let Ok(s) = item?.cast::<PyString>() {
                match record_text(key, s) {
                    Ok(s) => items.push(Value::String(s)),
                    Err(e) => return err(e),
                }
            }
        }
        map.insert(key.to_owned(), Value::Array(items));
    }
    Ok(Item::Parsed(jsonl::parse_value(Value::Object(map), raw_id)))
}

/// kiji's pipeline: persons, offenders and addresses from Japanese news
/// articles, as the output records of `pipeline-run extract`.
///
/// Build it once (it loads the embedded dictionaries, ~0.1 s) and share it:
/// it is immutable and every method releases the GIL, so threads can call
/// it at once.
///
/// Args:
///     ner: the NER backend: "lexicon" (default: no files needed),
///         "tagger", "ensemble", "transformer" or "transformer-ensemble".
///     model_dir: the transformer backends' model directory (config.json,
///         model.safetensors, tokenizer.json); default: the checkout's
///         models/ner-transformer when the package was built from one.
///
/// Raises:
///     ValueError: an unknown backend.
///     FileNotFoundError: the model directory (or a file in it) is missing.
#[pyclass(module = "kiji", name = "Pipeline", frozen)]
struct Pipeline {
    inner: kiji_pipeline::Pipeline,
    ner: NerBackend,
    model_dir: Option<PathBuf>,
}

#[pymethods]
impl Pipeline {
    #[new]
    #[pyo3(signature = (ner = None, model_dir = None), text_signature = "(ner='lexicon', model_dir=None)")]
    fn new(py: Python<'_>, ner: Option<&Bound<'_, PyAny>>, model_dir: Option<&Bound<'_, PyAny>>) -> PyResult<Self> {
        let ner: NerBackend = match opt_str_arg("ner", ner)? {
            None => NerBackend::Lexicon,
            Some(name) => name.parse().map_err(|e: Error| PyValueError::new_err(format!("ner: {}", e.context)))?,
        };
        let model_dir = match model_dir.filter(|d| !d.is_none()) {
            Some(d) => {
                let dir = path_arg("model_dir", d)?;
                if !dir.is_dir() {
                    return Err(not_found("model directory (model_dir)", &dir));
                }
                Some(dir)
            }
            None => None,
        };
        if matches!(ner, NerBackend::Transformer | NerBackend::TransformerEnsemble) {
            let dir = model_dir.clone().unwrap_or_else(|| kiji_pipeline::DEFAULT_TRANSFORMER_MODEL.into());
            if !dir.is_dir() {
                return Err(not_found("model directory (pass model_dir=)", &dir));
            }
            for file in ["config.json", "model.safetensors", "tokenizer.json"] {
                if !dir.join(file).is_file() {
                    return Err(not_found("model file", &dir.join(file)));
                }
            }
        }
        let config = Config { ner, model: model_dir.clone(), ..Config::default() };
        let inner = py.detach(|| kiji_pipeline::Pipeline::new(&config)).map_err(kiji_err)?;
        Ok(Pipeline { inner, ner, model_dir })
    }

    /// The NER backend's name.
    #[getter]
    fn ner(&self) -> &'static str {
        self.ner.name()
    }

    /// The model directory given to the constructor, if any.
    #[getter]
    fn model_dir(&self) -> Option<String> {
        self.model_dir.as_ref().map(|d| d.display().to_string())
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let ner = PyString::new(py, self.ner.name()).repr()?;
        Ok(match &self.model_dir {
            Some(d) => format!("Pipeline(ner={ner}, model_dir={})", PyString::new(py, &d.display().to_string()).repr()?),
            None => format!("Pipeline(ner={ner})"),
        })
    }

    /// Read one article; return its output record as a dict.
    ///
    /// The record is the JSON `pipeline-run extract` writes for the same
    /// input: `json.dumps(record, ensure_ascii=False, separators=(",", ":"))`
    /// is the binary's line. Mention spans are char offsets into `article`.
    ///
    /// Args:
    ///     article: the article text.
    ///     id: echoed as the record's "id" (an int as its decimal text).
    ///     posted_at: publication date "YYYY-MM-DD" (turns birth years into ages).
    ///     person_hints: candidate person names (spelling help).
    ///     company_hints: candidate company names.
    ///
    /// Raises:
    ///     TypeError: an argument of the wrong type (the message names it).
    #[pyo3(signature = (article, id = None, posted_at = None, person_hints = None, company_hints = None))]
    fn extract<'py>(
        &self,
        py: Python<'py>,
        article: &Bound<'py, PyAny>,
        id: Option<&Bound<'py, PyAny>>,
        posted_at: Option<&Bound<'py, PyAny>>,
        person_hints: Option<&Bound<'py, PyAny>>,
        company_hints: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let input = ArticleInput {
            id: id_arg(id)?,
            posted_at: opt_str_arg("posted_at", posted_at)?,
            article: str_arg("article", article)?,
            person_hints: str_list_arg("person_hints", person_hints)?,
            company_hints: str_list_arg("company_hints", company_hints)?,
        };
        let inner = &self.inner;
        let json = py.detach(|| LineResult::Ok(Box::new(inner.process(&input))).to_json());
        json_loads(py, &json)
    }

    /// Read many records in parallel (in Rust, without the GIL); return
    /// their output records in input order.
    ///
    /// Each record is a dict of the input format ({"id", "article",
    /// "posted_at", "person_hints", "company_hints"}; other keys are
    /// ignored) or a JSON line (str or bytes). A record that cannot be read
    /// gives the error record `pipeline-run extract` writes for that line,
    /// {"id": ..., "line": N, "error": "<kind>: <what>"} with N its 1-based
    /// position; the batch never raises for a bad record.
    ///
    /// Args:
    ///     records: an iterable of records.
    ///     threads: worker threads (default: one per core).
    ///
    /// Raises:
    ///     TypeError: `records` is not iterable, `threads` not an int.
    ///     ValueError: `threads` outside 1..1024.
    #[pyo3(signature = (records, threads = None))]
    fn extract_batch<'py>(
        &self,
        py: Python<'py>,
        records: &Bound<'py, PyAny>,
        threads: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let pool = thread_pool(threads)?;
        if records.is_instance_of::<PyString>() || records.is_instance_of::<PyBytes>() || records.is_instance_of::<PyDict>() {
            return Err(type_error("records", "an iterable of records (dicts or JSON lines)", records));
        }
        let iter = records.try_iter().map_err(|_| type_error("records", "an iterable of records (dicts or JSON lines)", records))?;
        let mut items = Vec::new();
        for rec in iter {
            items.push(read_item(&rec?)?);
        }
        let inner = &self.inner;
        let lines: Vec<String> = py.detach(|| {
            pool.install(|| {
                let parsed: Vec<(u64, ParseResult)> = items
                    .into_par_iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let r = match item {
                            Item::Line(bytes) => jsonl::parse_line(&bytes),
                            Item::Parsed(r) => r,
                        };
                        (i as u64 + 1, r)
                    })
                    .collect();
                inner.process_parsed(parsed).par_iter().map(LineResult::to_json).collect()
            })
        });
        let out = PyList::empty(py);
        for line in &lines {
            out.append(json_loads(py, line)?)?;
        }
        Ok(out)
    }

    /// Read a JSONL file of input records and write one output line per
    /// input line, as `pipeline-run extract --input in_path --output
    /// out_path` does (streamed: bounded memory; bad lines become error
    /// records). Returns the run summary: {"records", "ok", "errors",
    /// "bytes_in", "seconds", "articles_per_s", "threads", "peak_rss_mb"}.
    ///
    /// Args:
    ///     in_path: the input JSONL (str or os.PathLike).
    ///     out_path: the output JSONL (created or truncated).
    ///     threads: worker threads (default: one per core).
    ///
    /// Raises:
    ///     FileNotFoundError: `in_path` (or `out_path`'s directory) is missing.
    ///     OSError: another read or write error (the message names the file).
    #[pyo3(signature = (in_path, out_path, threads = None))]
    fn extract_jsonl<'py>(
        &self,
        py: Python<'py>,
        in_path: &Bound<'py, PyAny>,
        out_path: &Bound<'py, PyAny>,
        threads: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let in_path = path_arg("in_path", in_path)?;
        let out_path = path_arg("out_path", out_path)?;
        let pool = thread_pool(threads)?;
        let input = File::open(&in_path).map_err(|e| os_err(&e, &in_path))?;
        let output = File::create(&out_path).map_err(|e| os_err(&e, &out_path))?;
        let inner = &self.inner;
        let result = py.detach(|| {
            let mut writer = BufWriter::with_capacity(1 << 20, output);
            let emit = |r: &LineResult| {
                writer.write_all(r.to_json().as_bytes())?;
                writer.write_all(b"\n")
            };
            let summary = inner.process_stream(BufReader::with_capacity(1 << 20, input), CHUNK, &pool, emit, |_| {})?;
            writer.flush().map_err(StreamError::Write)?;
            Ok::<_, StreamError>(summary)
        });
        let summary = result.map_err(|e| match e {
            StreamError::Read(e) => os_err(&e, &in_path),
            StreamError::Write(e) => os_err(&e, &out_path),
        })?;
        let d = PyDict::new(py);
        d.set_item("records", summary.records)?;
        d.set_item("ok", summary.ok())?;
        d.set_item("errors", summary.errors)?;
        d.set_item("bytes_in", summary.bytes_in)?;
        d.set_item("seconds", summary.seconds)?;
        d.set_item("articles_per_s", summary.articles_per_second())?;
        d.set_item("threads", summary.threads)?;
        d.set_item("peak_rss_mb", jsonl::peak_rss_kb().map(|kb| kb as f64 / 1024.0))?;
        Ok(d)
    }
}

/// The compliance gold-CSV view of an output record: a dict of
/// `kiji.CSV_COLUMNS` (id, the eight columns of the gold CSV, error), the
/// row `pipeline-run extract --format csv` writes for it. Offenders only, in
/// order, joined with "/"; crime locations and police departments joined
/// with ","; an error record gives empty columns and
/// error = "line N: <kind>: <what>".
///
/// Raises:
///     TypeError: `record` is not a dict.
///     ValueError: `record` is not an output record.
#[pyfunction]
fn csv_row<'py>(py: Python<'py>, record: &Bound<'py, PyAny>) -> PyResult<Bound<'py, PyDict>> {
    if !record.is_instance_of::<PyDict>() {
        return Err(type_error("record", "a dict (an output record)", record));
    }
    let text = json_dumps(py, record)?;
    let value: Value = serde_json::from_str(&text).map_err(|e| PyValueError::new_err(format!("record: {e}")))?;
    let id = match value.get("id") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(v @ (Value::Number(_) | Value::Bool(_))) => Some(v.to_string()),
        _ => None,
    };
    let row = if value.get("error").is_some() && value.get("persons").is_none() {
        let error = match &value["error"] {
            Value::String(s) => s.clone(),
            v => v.to_string(),
        };
        let line = value.get("line").and_then(Value::as_u64).unwrap_or(0);
        kiji_eval::csv_error_row(id.as_deref(), line, &error)
    } else {
        let mut value = value;
        if let Some(obj) = value.as_object_mut() {
            obj.remove("id");
        }
        let out: ArticleOutput =
            serde_json::from_value(value).map_err(|e| PyValueError::new_err(format!("record is not an output record: {e}")))?;
        kiji_eval::CsvView::from_output(id.unwrap_or_default(), &out).output_row()
    };
    let d = PyDict::new(py);
    for (column, cell) in kiji_eval::CSV_OUTPUT_COLUMNS.iter().zip(row) {
        d.set_item(*column, cell)?;
    }
    Ok(d)
}

/// kiji: persons, offenders and addresses from Japanese news articles.
///
/// >>> import kiji
/// >>> p = kiji.Pipeline()
/// >>> p.extract("山田太郎容疑者(45)が逮捕された。")["persons"][0]["name"]
/// '山田太郎'
#[pymodule]
fn kiji(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Pipeline>()?;
    m.add_function(wrap_pyfunction!(csv_row, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("CSV_COLUMNS", PyTuple::new(m.py(), kiji_eval::CSV_OUTPUT_COLUMNS)?)?;
    m.add("__all__", vec!["Pipeline", "csv_row", "CSV_COLUMNS", "__version__"])?;
    Ok(())
}
