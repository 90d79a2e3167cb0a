//! `pipeline-run ner-eval`: entity-level NER metrics of a recogniser on the
//! Stockmark format (exact char spans and types).
use kiji_core::{ArticleInput, Document, Error, ErrorKind, MentionKind, Result};
use kiji_eval::NerEntity;
use kiji_pipeline::{Config, Pipeline};
use rayon::prelude::*;
use std::path::PathBuf;
use std::time::Instant;

pub struct Options {
    pub data: PathBuf,
    pub json: bool,
    pub config: Config,
}

/// Sentences handed to a batching recogniser at once.
const BATCH: usize = 512;

pub fn run(opts: Options) -> Result<()> {
    let gold = kiji_eval::load_stockmark(&opts.data).map_err(Error::from)?;
    let pipeline = Pipeline::new(&opts.config)?;
    let started = Instant::now();
    let inputs: Vec<ArticleInput> = gold.iter().map(|s| ArticleInput::new("", s.text.clone())).collect();
    let mut pred: Vec<Vec<NerEntity>> = Vec::with_capacity(gold.len());
    for chunk in inputs.chunks(BATCH) {
        let docs: Vec<Document> = chunk.par_iter().map(|i| pipeline.document(i)).collect();
        pred.extend(pipeline.mentions(&docs).into_iter().map(|ms| {
            ms.into_iter()
                .filter_map(|m| {
                    // A surname or given name alone is a person name in this scheme.
                    let kind = if m.kind == MentionKind::PartialName { MentionKind::Person } else { m.kind };
                    Some(NerEntity { name: m.name, span: (m.span.start, m.span.end), label: kind.stockmark_label()?.to_owned() })
                })
                .collect()
        }));
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "ner-eval: {} sentences with {} in {secs:.2} s ({:.1} sentences/s)",
        gold.len(),
        opts.config.ner.name(),
        gold.len() as f64 / secs.max(1e-9)
    );
    let report = kiji_eval::ner_scores(&gold, &pred);
    if opts.json {
        println!("{}", serde_json::to_string_pretty(&report).map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?);
    } else {
        print!("{}", report.to_text());
    }
    Ok(())
}
