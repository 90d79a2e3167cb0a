//! `pipeline-run extract`: streaming JSONL in, JSONL (or CSV) out.
use kiji_core::{Error, ErrorKind, Result};
use kiji_pipeline::jsonl::{peak_rss_kb, LineResult, StreamError};
use kiji_pipeline::{Config, Pipeline};
use std::fs::File;
use std::io::{self, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// What `extract` writes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One output record per line (the guideline's JSON).
    #[default]
    Jsonl,
    /// The compliance gold-CSV view: a header, then one row per article
    /// (`id`, the eight CSV columns, `error`), RFC 4180, UTF-8.
    Csv,
}

pub struct Options {
    pub input: Option<PathBuf>,
    pub output: Option<PathBuf>,
    pub chunk: usize,
    pub quiet: bool,
    pub format: Format,
    /// CSV only: start with a UTF-8 BOM (for Excel).
    pub excel: bool,
    /// Threads and the NER backend.
    pub config: Config,
}

fn io_err(what: &str, path: &Option<PathBuf>, e: io::Error) -> Error {
    let name = path.as_ref().map_or("-".to_owned(), |p| p.display().to_string());
    Error::new(ErrorKind::Io, format!("{what} {name}: {e}"))
}

/// More worker threads than this is a usage error (each costs a stack and
/// rayon spins them; 100,000 took the machine down rather than failing).
pub const MAX_THREADS: usize = 1024;

/// The CSV row of one output line (see [`kiji_eval::CSV_OUTPUT_COLUMNS`]).
fn csv_row(out: &LineResult) -> String {
    let row = match out {
        LineResult::Ok(o) => kiji_eval::CsvView::from_output(o.id.clone().unwrap_or_default(), o).output_row(),
        LineResult::Err(e) => kiji_eval::csv_error_row(e.id.as_deref(), e.line, &e.error),
    };
    kiji_eval::csv_record(&row)
}

pub fn run(opts: Options) -> Result<()> {
    if opts.config.threads == Some(0) || opts.chunk == 0 {
        return Err(Error::new(ErrorKind::Config, "--threads and --chunk must be at least 1"));
    }
    if opts.config.threads.is_some_and(|t| t > MAX_THREADS) {
        return Err(Error::new(ErrorKind::Config, format!("--threads must be at most {MAX_THREADS}")));
    }
    if opts.excel && opts.format != Format::Csv {
        return Err(Error::new(ErrorKind::Config, "--excel needs --format csv"));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.config.threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::new(ErrorKind::Config, e.to_string()))?;
    let reader: Box<dyn Read> = match &opts.input {
        Some(p) => Box::new(File::open(p).map_err(|e| io_err("cannot open", &opts.input, e))?),
        None => Box::new(io::stdin().lock()),
    };
    let reader = BufReader::with_capacity(1 << 20, reader);
    // Models first: a missing or corrupt model file is an error before any output exists.
    let pipeline = Pipeline::new(&opts.config)?;
    let writer: Box<dyn Write> = match &opts.output {
        Some(p) => Box::new(File::create(p).map_err(|e| io_err("cannot create", &opts.output, e))?),
        None => Box::new(io::stdout().lock()),
    };
    let mut writer = BufWriter::with_capacity(1 << 20, writer);

    if opts.format == Format::Csv {
        let bom = if opts.excel { "\u{feff}" } else { "" };
        let header = kiji_eval::csv_record(&kiji_eval::CSV_OUTPUT_COLUMNS);
        writer.write_all(format!("{bom}{header}").as_bytes()).map_err(|e| io_err("cannot write", &opts.output, e))?;
    }
    let emit = |out: &LineResult| -> io::Result<()> {
        match opts.format {
            Format::Jsonl => {
                writer.write_all(out.to_json().as_bytes())?;
                writer.write_all(b"\n")
            }
            Format::Csv => writer.write_all(csv_row(out).as_bytes()),
        }
    };
    let progress = !opts.quiet && io::stderr().is_terminal();
    let mut last_progress = Instant::now();
    let draw = |s: &kiji_pipeline::jsonl::Summary| {
        if progress && last_progress.elapsed() > Duration::from_millis(250) {
            last_progress = Instant::now();
            eprint!("\r{} records, {} errors, {:.0} articles/s", s.records, s.errors, s.articles_per_second());
        }
    };
    let summary = pipeline.process_stream(reader, opts.chunk, &pool, emit, draw).map_err(|e| match e {
        StreamError::Read(e) => io_err("cannot read", &opts.input, e),
        StreamError::Write(e) => io_err("cannot write", &opts.output, e),
    })?;
    writer.flush().map_err(|e| io_err("cannot write", &opts.output, e))?;
    if progress {
        eprintln!();
    }
    eprintln!(
        "pipeline-run extract: {} records ({} ok, {} errors), {:.1} MB in, {:.2} s, {:.1} articles/s, threads {}, peak RSS {} MB",
        summary.records,
        summary.ok(),
        summary.errors,
        summary.bytes_in as f64 / 1e6,
        summary.seconds,
        summary.articles_per_second(),
        summary.threads,
        peak_rss_kb().map_or("?".to_owned(), |kb| format!("{:.1}", kb as f64 / 1024.0)),
    );
    Ok(())
}
