//! kiji's Python package: the Rust pipeline as `import kiji` (PyO3, an abi3
//! wheel for CPython >= 3.9 built by maturin; the dictionaries and models are
//! embedded in the module, so the default `ner="lexicon"` needs no files).
//!
//! ```text
//! pip install ./crates/python
//! python -c "import kiji; print(kiji.Pipeline().extract('山田太郎容疑者(45)が逮捕された。'))"
//! ```
//!
//! * `kiji.Pipeline(ner="lexicon", model_dir=None)`: built once, shared by
//!   threads (every call releases the GIL).
//! * `Pipeline.extract(article, id=None, posted_at=None, person_hints=None,
//!   company_hints=None)`: one output record as a dict, the very JSON
//!   `pipeline-run extract` writes (key order included).
//! * `Pipeline.extract_batch(records, threads=None)`: many records in
//!   parallel in Rust, in input order; a bad record becomes the error record
//!   `pipeline-run` writes for that line, never an exception.
//! * `Pipeline.extract_jsonl(in_path, out_path, threads=None)`: a file, as
//!   `pipeline-run extract` streams it; returns the run summary.
//! * `kiji.csv_row(record)`: the compliance gold-CSV view of a record, the
//!   row `pipeline-run extract --format csv` writes.
//!
//! All of it is behind the crate's `python` feature (which maturin turns on),
//! so that `cargo test --workspace` builds this crate without Python.

#[cfg(feature = "python")]
mod py;
