//! Fine-tuning a token-classification model with tch: AdamW, linear warmup
//! then linear decay, gradient-norm clipping, early stopping on dev F1
//! (exact char spans and types), a fixed seed.
use super::pieces::{windows, Piece};
use super::{InferenceOptions, NerModel};
use kiji_core::{Error, ErrorKind, Result, Span, Text, Token};
use std::collections::HashSet;
use std::path::Path;
use std::time::Instant;
use tch::nn::OptimizerConfig;
use tch::{nn, Reduction, Tensor};

/// One training or dev sentence: text, morphemes, gold entities (char
/// spans, type names as in the model's labels).
#[derive(Debug, Clone)]
pub struct Sentence {
    pub text: String,
    pub tokens: Vec<Token>,
    pub entities: Vec<(Span, String)>,
}

#[derive(Debug, Clone)]
pub struct TrainOptions {
    pub epochs: usize,
    pub batch_size: usize,
    pub lr: f64,
    /// Fraction of all steps spent warming the learning rate up from 0.
    pub warmup: f64,
    pub weight_decay: f64,
    /// Max global gradient norm.
    pub clip: f64,
    pub seed: u64,
    /// Stop after this many epochs without a better dev F1.
    pub patience: usize,
    /// Pieces per training window, [CLS]/[SEP] included.
    pub max_len: usize,
    /// Stop after this many optimiser steps (0: no limit).
    pub max_steps: usize,
    /// Print progress to stderr.
    pub verbose: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 6,
            batch_size: 16,
            lr: 1e-4,
            warmup: 0.1,
            weight_decay: 0.01,
            clip: 1.0,
            seed: 42,
            patience: 2,
            max_len: 256,
            max_steps: 0,
            verbose: true,
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct TrainReport {
    /// Mean training loss of each epoch.
    pub epoch_loss: Vec<f64>,
    /// Dev F1 after each epoch (empty without dev data).
    pub dev_f1: Vec<f64>,
    pub best_epoch: usize,
    pub steps: usize,
    pub seconds: f64,
}

/// Piece ids and gold label ids of one training window.
struct Example {
    ids: Vec<i64>,
    labels: Vec<i64>,
}

/// `[first, last]` pieces overlapping the char span, as a half-open range.
fn piece_range(pieces: &[Piece], span: Span) -> Option<(usize, usize)> {
    let s = pieces.partition_point(|p| p.span.end <= span.start);
    let e = pieces.partition_point(|p| p.span.start < span.end);
    (s < e).then_some((s, e))
}

fn examples(model: &NerModel, data: &[Sentence], max_len: usize) -> Result<Vec<Example>> {
    let types = model.labels().types();
    let mut out = Vec::with_capacity(data.len());
    for s in data {
        let text = Text::new(&s.text);
        let pieces = model.tokenizer().pieces(&text, &s.tokens)?;
        let mut ents: Vec<(usize, usize, usize)> = s
            .entities
            .iter()
            .filter_map(|(span, ty)| {
                let t = types.iter().position(|x| x == ty)?;
                let (a, b) = piece_range(&pieces, *span)?;
                Some((a, b, t))
            })
            .collect();
        ents.sort();
        let labels = model.labels().encode(pieces.len(), &ents);
        for (a, b) in windows(pieces.len(), model.window_width(max_len), 0) {
            out.push(Example { ids: pieces[a..b].iter().map(|p| p.id).collect(), labels: labels[a..b].to_vec() });
        }
    }
    Ok(out)
}

/// The training windows of `data` as (piece ids, gold label ids), without
/// [CLS]/[SEP]: the exact inputs [`train`] uses, for training the same
/// recipe in another framework (`models/train_gpu.py`).
pub fn windows_of(model: &NerModel, data: &[Sentence], max_len: usize) -> Result<Vec<(Vec<i64>, Vec<i64>)>> {
    Ok(examples(model, data, max_len)?.into_iter().map(|e| (e.ids, e.labels)).collect())
}

/// Deterministic shuffling without a rand dependency (splitmix64).
fn shuffle<T>(v: &mut [T], seed: &mut u64) {
    for i in (1..v.len()).rev() {
        *seed = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = *seed;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        v.swap(i, (z % (i as u64 + 1)) as usize);
    }
}

/// Exact-match entity F1 of the model on `data`.
pub fn evaluate(model: &NerModel, data: &[Sentence], opts: &InferenceOptions) -> Result<(usize, usize, usize)> {
    let texts: Vec<Text> = data.iter().map(|s| Text::new(&s.text)).collect();
    let inputs: Vec<(&Text, &[Token])> = texts.iter().zip(data).map(|(t, s)| (t, s.tokens.as_slice())).collect();
    let types = model.labels().types();
    let (mut tp, mut gold, mut pred) = (0, 0, 0);
    for (chunk_in, chunk_data) in inputs.chunks(256).zip(data.chunks(256)) {
        let predicted = model.predict(chunk_in, opts)?;
        for (p, s) in predicted.iter().zip(chunk_data) {
            let g: HashSet<(Span, &str)> = s.entities.iter().map(|(sp, t)| (*sp, t.as_str())).collect();
            let p: HashSet<(Span, &str)> = p.iter().map(|(sp, t, _)| (*sp, types[*t].as_str())).collect();
            tp += g.intersection(&p).count();
            gold += g.len();
            pred += p.len();
        }
    }
    Ok((tp, gold, pred))
}

fn f1((tp, gold, pred): (usize, usize, usize)) -> f64 {
    2.0 * tp as f64 / (gold + pred).max(1) as f64
}

/// Fine-tune `model` on `train`; after each epoch score `dev` and, when it
/// improves (or with no dev data, every epoch), save the model to `out`.
/// On return the model holds the best weights.
pub fn train(model: &mut NerModel, train: &[Sentence], dev: &[Sentence], opts: &TrainOptions, out: &Path) -> Result<TrainReport> {
    let started = Instant::now();
    tch::manual_seed(opts.seed as i64);
    let mut seed = opts.seed;
    let mut data = examples(model, train, opts.max_len)?;
    if data.is_empty() {
        return Err(Error::new(ErrorKind::Config, "train-ner: no training sentences"));
    }
    let steps_per_epoch = data.len().div_ceil(opts.batch_size.max(1));
    let mut total_steps = steps_per_epoch * opts.epochs.max(1);
    if opts.max_steps > 0 {
        total_steps = total_steps.min(opts.max_steps);
    }
    let warmup = ((total_steps as f64) * opts.warmup).round() as usize;
    let lr_at = |step: usize| {
        if step < warmup {
            opts.lr * (step + 1) as f64 / warmup as f64
        } else {
            opts.lr * (total_steps - step) as f64 / (total_steps - warmup).max(1) as f64
        }
    };
    let mut opt = nn::AdamW { beta1: 0.9, beta2: 0.999, wd: opts.weight_decay, eps: 1e-8, amsgrad: false }
        .build(model.var_store(), opts.lr)
        .map_err(|e| Error::new(ErrorKind::Resource, format!("optimiser: {e}")))?;
    let infer = InferenceOptions { max_len: opts.max_len, ..InferenceOptions::default() };
    let nl = model.labels().len() as i64;
    let mut report = TrainReport::default();
    let mut best = f64::NEG_INFINITY;
    let mut since_best = 0;
    if opts.verbose {
        eprintln!(
            "train-ner: {} windows from {} sentences, {} labels, {} parameters, {} steps/epoch, device {:?}",
            data.len(),
            train.len(),
            nl,
            model.n_parameters(),
            steps_per_epoch,
            model.device()
        );
    }
    'epochs: for epoch in 1..=opts.epochs.max(1) {
        shuffle(&mut data, &mut seed);
        let (mut sum, mut count) = (0.0, 0usize);
        let epoch_start = Instant::now();
        for batch in data.chunks(opts.batch_size.max(1)) {
            if report.steps >= total_steps {
                break;
            }
            let rows: Vec<&[i64]> = batch.iter().map(|e| e.ids.as_slice()).collect();
            let t = rows.iter().map(|r| r.len()).max().unwrap_or(0) + 2;
            // -100 (ignored) at [CLS], [SEP] and padding.
            let mut gold = vec![-100i64; batch.len() * t];
            for (r, e) in batch.iter().enumerate() {
                gold[r * t + 1..r * t + 1 + e.labels.len()].copy_from_slice(&e.labels);
            }
            let gold = Tensor::from_slice(&gold).to(model.device());
            let logits = model.logits(&rows, true)?;
            let loss = logits.view([-1, nl]).cross_entropy_loss::<Tensor>(&gold, None, Reduction::Mean, -100, 0.0);
            opt.set_lr(lr_at(report.steps));
            opt.backward_step_clip_norm(&loss, opts.clip);
            let l = loss.double_value(&[]);
            sum += l;
            count += 1;
            report.steps += 1;
            if opts.verbose && (report.steps % 50 == 0 || report.steps == 1) {
                eprintln!(
                    "train-ner: epoch {epoch} step {}/{} loss {:.4} (epoch mean {:.4}) lr {:.2e} {:.1} s",
                    report.steps,
                    total_steps,
                    l,
                    sum / count as f64,
                    lr_at(report.steps.saturating_sub(1)),
                    started.elapsed().as_secs_f64()
                );
            }
        }
        if count == 0 {
            break;
        }
        report.epoch_loss.push(sum / count as f64);
        let score = if dev.is_empty() {
            -(sum / count as f64)
        } else {
            let counts = evaluate(model, dev, &infer)?;
            report.dev_f1.push(f1(counts));
            f1(counts)
        };
        if opts.verbose {
            eprintln!(
                "train-ner: epoch {epoch} done: mean loss {:.4}{} ({:.1} s)",
                sum / count as f64,
                report.dev_f1.last().map(|f| format!(", dev F1 {f:.4}")).unwrap_or_default(),
                epoch_start.elapsed().as_secs_f64()
            );
        }
        if score > best {
            best = score;
            since_best = 0;
            report.best_epoch = epoch;
            model.save(out, false)?;
        } else {
            since_best += 1;
            if since_best >= opts.patience.max(1) {
                if opts.verbose {
                    eprintln!("train-ner: no better dev F1 for {since_best} epochs: stopping");
                }
                break 'epochs;
            }
        }
        if report.steps >= total_steps {
            break;
        }
    }
    // Back to the best weights saved.
    let weights = out.join("model.safetensors");
    model.vs.load(&weights).map_err(|e| Error::new(ErrorKind::Resource, format!("cannot reload {}: {e}", weights.display())))?;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn piece_range_covers_partial_overlaps() {
        let p = |s, e| Piece { id: 0, span: Span::new(s, e) };
        let pieces = [p(0, 2), p(2, 3), p(3, 6), p(6, 7)];
        assert_eq!(piece_range(&pieces, Span::new(2, 3)), Some((1, 2)));
        // An entity boundary inside a piece takes the whole piece.
        assert_eq!(piece_range(&pieces, Span::new(1, 4)), Some((0, 3)));
        assert_eq!(piece_range(&pieces, Span::new(7, 9)), None);
    }

    #[test]
    fn shuffle_is_a_seeded_permutation() {
        let mut a: Vec<u32> = (0..100).collect();
        let mut b = a.clone();
        let (mut s1, mut s2) = (7, 7);
        shuffle(&mut a, &mut s1);
        shuffle(&mut b, &mut s2);
        assert_eq!(a, b);
        assert_ne!(a, (0..100).collect::<Vec<_>>());
        a.sort();
        assert_eq!(a, (0..100).collect::<Vec<_>>());
    }
}
