//! `pipeline-run ner-eval`: entity-level NER metrics of a recogniser on the
//! Stockmark format (exact char spans and types).
use kiji_core::{ArticleInput, Error, ErrorKind, Result};
use kiji_eval::NerEntity;
use kiji_pipeline::{Config, NerBackend, Pipeline};
use rayon::prelude::*;
use std::path::PathBuf;

pub struct Options {
    pub data: PathBuf,
    pub json: bool,
    pub ner: NerBackend,
}

pub fn run(opts: Options) -> Result<()> {
    let gold = kiji_eval::load_stockmark(&opts.data).map_err(Error::from)?;
    let pipeline = Pipeline::new(&Config { ner: opts.ner, ..Config::default() })?;
    let stages = pipeline.stages();
    let pred: Vec<Vec<NerEntity>> = gold
        .par_iter()
        .map(|s| {
            let input = ArticleInput::new("", s.text.clone());
            let doc = pipeline.document(&input);
            stages
                .recognizer
                .recognize(&doc)
                .into_iter()
                .filter_map(|m| {
                    // A surname or given name alone is a person name in this scheme.
                    let kind = if m.kind == kiji_core::MentionKind::PartialName { kiji_core::MentionKind::Person } else { m.kind };
                    Some(NerEntity { name: m.name, span: (m.span.start, m.span.end), label: kind.stockmark_label()?.to_owned() })
                })
                .collect()
        })
        .collect();
    let report = kiji_eval::ner_scores(&gold, &pred);
    if opts.json {
        println!("{}", serde_json::to_string_pretty(&report).map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?);
    } else {
        print!("{}", report.to_text());
    }
    Ok(())
}
