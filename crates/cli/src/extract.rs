//! `pipeline-run extract`: streaming JSONL in, JSONL out.
use kiji_core::{Error, ErrorKind, Result};
use kiji_pipeline::{Config, Pipeline};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::time::{Duration, Instant};

pub struct Options {
    pub input: Option<PathBuf>,
    pub output: Option<PathBuf>,
    pub chunk: usize,
    pub quiet: bool,
    /// Threads and the NER backend.
    pub config: Config,
}

fn io_err(what: &str, path: &Option<PathBuf>, e: io::Error) -> Error {
    let name = path.as_ref().map_or("-".to_owned(), |p| p.display().to_string());
    Error::new(ErrorKind::Io, format!("{what} {name}: {e}"))
}

/// Peak resident set size of this process in kB (Linux), if known.
pub fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// More worker threads than this is a usage error (each costs a stack and
/// rayon spins them; 100,000 took the machine down rather than failing).
pub const MAX_THREADS: usize = 1024;

pub fn run(opts: Options) -> Result<()> {
    if opts.config.threads == Some(0) || opts.chunk == 0 {
        return Err(Error::new(ErrorKind::Config, "--threads and --chunk must be at least 1"));
    }
    if opts.config.threads.is_some_and(|t| t > MAX_THREADS) {
        return Err(Error::new(ErrorKind::Config, format!("--threads must be at most {MAX_THREADS}")));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(opts.config.threads.unwrap_or(0))
        .build()
        .map_err(|e| Error::new(ErrorKind::Config, e.to_string()))?;
    let reader: Box<dyn Read> = match &opts.input {
        Some(p) => Box::new(File::open(p).map_err(|e| io_err("cannot open", &opts.input, e))?),
        None => Box::new(io::stdin().lock()),
    };
    let mut reader = BufReader::with_capacity(1 << 20, reader);
    // Models first: a missing or corrupt model file is an error before any output exists.
    let pipeline = Pipeline::new(&opts.config)?;
    let writer: Box<dyn Write> = match &opts.output {
        Some(p) => Box::new(File::create(p).map_err(|e| io_err("cannot create", &opts.output, e))?),
        None => Box::new(io::stdout().lock()),
    };
    let mut writer = BufWriter::with_capacity(1 << 20, writer);

    let progress = !opts.quiet && io::stderr().is_terminal();
    let started = Instant::now();
    let mut last_progress = Instant::now();
    let (mut records, mut errors, mut line_no, mut bytes_in) = (0u64, 0u64, 0u64, 0u64);
    // Grows to --chunk lines as they come: a huge --chunk must not allocate up front.
    let mut chunk: Vec<(u64, Vec<u8>)> = Vec::with_capacity(opts.chunk.min(1024));
    let mut eof = false;
    while !eof {
        chunk.clear();
        while chunk.len() < opts.chunk {
            let mut buf = Vec::new();
            let n = reader.read_until(b'\n', &mut buf).map_err(|e| io_err("cannot read", &opts.input, e))?;
            if n == 0 {
                eof = true;
                break;
            }
            line_no += 1;
            bytes_in += n as u64;
            if buf.last() == Some(&b'\n') {
                buf.pop();
            }
            chunk.push((line_no, buf));
        }
        let outputs: Vec<_> = pool.install(|| pipeline.process_lines(&chunk));
        for out in &outputs {
            records += 1;
            errors += u64::from(out.is_err());
            writer.write_all(out.to_json().as_bytes()).map_err(|e| io_err("cannot write", &opts.output, e))?;
            writer.write_all(b"\n").map_err(|e| io_err("cannot write", &opts.output, e))?;
        }
        if progress && last_progress.elapsed() > Duration::from_millis(250) {
            last_progress = Instant::now();
            let secs = started.elapsed().as_secs_f64();
            eprint!("\r{records} records, {errors} errors, {:.0} articles/s", records as f64 / secs.max(1e-9));
        }
    }
    writer.flush().map_err(|e| io_err("cannot write", &opts.output, e))?;
    let secs = started.elapsed().as_secs_f64();
    if progress {
        eprintln!();
    }
    eprintln!(
        "pipeline-run extract: {records} records ({} ok, {errors} errors), {:.1} MB in, {secs:.2} s, {:.1} articles/s, threads {}, peak RSS {} MB",
        records - errors,
        bytes_in as f64 / 1e6,
        records as f64 / secs.max(1e-9),
        pool.current_num_threads(),
        peak_rss_kb().map_or("?".to_owned(), |kb| format!("{:.1}", kb as f64 / 1024.0)),
    );
    Ok(())
}
