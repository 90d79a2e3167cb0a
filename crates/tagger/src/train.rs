//! Averaged structured perceptron training (Collins 2002) with the
//! constrained Viterbi of [`crate::model`], deterministic shuffling and early
//! stopping on a dev set.
use crate::features::{self, Scratch, N_TEMPLATES};
use crate::model::{self, viterbi, IdMap, Model, LABELS, N_TAGS};
use kiji_core::{Span, Text, Token};
use std::time::Instant;

/// One annotated sentence.
#[derive(Debug, Clone)]
pub struct Example {
    /// Width-folded chars (as [`Text::folded`]).
    pub chars: Vec<char>,
    /// Morphemes with char spans into the sentence.
    pub tokens: Vec<Token>,
    /// Entities: char span and Stockmark label.
    pub entities: Vec<(Span, String)>,
}

impl Example {
    pub fn new(text: &str, tokens: Vec<Token>, entities: Vec<(Span, String)>) -> Example {
        Example { chars: Text::new(text).folded_chars(), tokens, entities }
    }

    fn gold_spans(&self) -> Vec<(usize, usize, usize)> {
        self.entities
            .iter()
            .filter_map(|(s, l)| Some((s.start, s.end, LABELS.iter().position(|x| x == l)?)))
            .collect()
    }
}

/// Training options.
#[derive(Debug, Clone)]
pub struct TrainOptions {
    /// Maximum epochs.
    pub epochs: usize,
    /// Seed of the (deterministic) shuffling.
    pub seed: u64,
    /// Stop after this many epochs without a better dev F1.
    pub patience: usize,
    /// Drop averaged weights whose magnitude is below this.
    pub prune: f32,
    /// Print progress to stderr.
    pub verbose: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions { epochs: 15, seed: 1, patience: 3, prune: 1.0, verbose: true }
    }
}

/// What happened during training.
#[derive(Debug, Clone, Default)]
pub struct TrainReport {
    pub epochs_run: usize,
    pub best_epoch: usize,
    /// Dev micro F1 of the best epoch (averaged weights), if a dev set was given.
    pub best_dev_f1: Option<f64>,
    /// Training errors (wrong tags) per epoch.
    pub train_errors: Vec<usize>,
    pub dev_f1: Vec<f64>,
    pub features: usize,
    pub seconds: f64,
}

struct Prepared {
    /// `n * N_TEMPLATES` feature ids (`u32::MAX` = unseen).
    feats: Vec<u32>,
    gold: Vec<u8>,
    spans: Vec<(usize, usize, usize)>,
    n: usize,
}

fn prepare(ex: &[Example], map: &mut IdMap<u32>, keys: &mut Vec<u64>, grow: bool, scratch: &mut Scratch) -> Vec<Prepared> {
    let mut hashes = Vec::new();
    ex.iter()
        .map(|e| {
            hashes.clear();
            features::extract(&e.chars, &e.tokens, 0, scratch, &mut hashes);
            let feats = hashes
                .iter()
                .map(|h| match map.get(h) {
                    Some(&i) => i,
                    None if grow => {
                        let i = keys.len() as u32;
                        map.insert(*h, i);
                        keys.push(*h);
                        i
                    }
                    None => u32::MAX,
                })
                .collect();
            let spans = e.gold_spans();
            let gold = model::tags_of(e.chars.len(), &spans);
            // Keep only the spans the tags encode (overlaps were dropped).
            let spans = model::spans_of(&gold);
            Prepared { feats, gold, spans, n: e.chars.len() }
        })
        .collect()
}

/// splitmix64, for deterministic shuffling without a rand dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn shuffle<T>(&mut self, v: &mut [T]) {
        for i in (1..v.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            v.swap(i, j);
        }
    }
}

/// Perceptron state: current weights `w` and the running sums for averaging
/// (`avg = w - u / c`).
struct Weights {
    w: Vec<f32>,
    u: Vec<f64>,
    /// trans (N_TAGS^2), start (N_TAGS), end (N_TAGS)
    tw: Vec<f32>,
    tu: Vec<f64>,
    c: f64,
}

const TR: usize = N_TAGS * N_TAGS;

impl Weights {
    fn emissions(&self, p: &Prepared, averaged: bool, em: &mut Vec<f32>) {
        em.clear();
        em.resize(p.n * N_TAGS, 0.0);
        for i in 0..p.n {
            let row = &mut em[i * N_TAGS..(i + 1) * N_TAGS];
            for &f in &p.feats[i * N_TEMPLATES..(i + 1) * N_TEMPLATES] {
                if f == u32::MAX {
                    continue;
                }
                let base = f as usize * N_TAGS;
                let (w, u) = (&self.w[base..base + N_TAGS], &self.u[base..base + N_TAGS]);
                if averaged {
                    for ((r, &w), &u) in row.iter_mut().zip(w).zip(u) {
                        *r += (w as f64 - u / self.c) as f32;
                    }
                } else {
                    for (r, &w) in row.iter_mut().zip(w) {
                        *r += w;
                    }
                }
            }
        }
    }

    fn transitions(&self, averaged: bool) -> Vec<f32> {
        if averaged {
            self.tw.iter().zip(&self.tu).map(|(&w, &u)| (w as f64 - u / self.c) as f32).collect()
        } else {
            self.tw.clone()
        }
    }

    fn decode(&self, p: &Prepared, averaged: bool, em: &mut Vec<f32>, out: &mut Vec<u8>) {
        self.emissions(p, averaged, em);
        let t = self.transitions(averaged);
        viterbi(em, p.n, &t[..TR], &t[TR..TR + N_TAGS], &t[TR + N_TAGS..], out);
    }

    #[inline]
    fn bump_feature(&mut self, f: u32, tag: u8, d: f32) {
        let k = f as usize * N_TAGS + tag as usize;
        self.w[k] += d;
        self.u[k] += self.c * d as f64;
    }

    #[inline]
    fn bump_trans(&mut self, k: usize, d: f32) {
        self.tw[k] += d;
        self.tu[k] += self.c * d as f64;
    }

    /// Perceptron update towards `gold`, away from `pred`.
    fn update(&mut self, p: &Prepared, gold: &[u8], pred: &[u8]) {
        for i in 0..p.n {
            if gold[i] != pred[i] {
                for j in i * N_TEMPLATES..(i + 1) * N_TEMPLATES {
                    let f = p.feats[j];
                    if f != u32::MAX {
                        self.bump_feature(f, gold[i], 1.0);
                        self.bump_feature(f, pred[i], -1.0);
                    }
                }
            }
        }
        let idx = |seq: &[u8], i: usize| -> usize {
            if i == 0 {
                TR + seq[0] as usize
            } else {
                seq[i - 1] as usize * N_TAGS + seq[i] as usize
            }
        };
        for i in 0..p.n {
            let (g, q) = (idx(gold, i), idx(pred, i));
            if g != q {
                self.bump_trans(g, 1.0);
                self.bump_trans(q, -1.0);
            }
        }
        let (g, q) = (TR + N_TAGS + gold[p.n - 1] as usize, TR + N_TAGS + pred[p.n - 1] as usize);
        if g != q {
            self.bump_trans(g, 1.0);
            self.bump_trans(q, -1.0);
        }
    }
}

/// Entity-level micro (tp, gold, pred) of decoded sentences.
fn count_entities(gold: &[(usize, usize, usize)], pred: &[(usize, usize, usize)]) -> (usize, usize, usize) {
    let tp = pred.iter().filter(|p| gold.contains(p)).count();
    (tp, gold.len(), pred.len())
}

fn f1((tp, g, p): (usize, usize, usize)) -> f64 {
    if g + p == 0 {
        return 0.0;
    }
    2.0 * tp as f64 / (g + p) as f64
}

/// Train a model. Deterministic for a given input and `opts.seed`.
/// With a non-empty `dev`, keeps the epoch with the best dev micro F1 and
/// stops after `opts.patience` epochs without improvement.
pub fn train(train: &[Example], dev: &[Example], opts: &TrainOptions) -> (Model, TrainReport) {
    let started = Instant::now();
    let mut map = IdMap::default();
    let mut keys = Vec::new();
    let mut scratch = Scratch::default();
    let tr: Vec<Prepared> = prepare(train, &mut map, &mut keys, true, &mut scratch).into_iter().filter(|p| p.n > 0).collect();
    let dv: Vec<Prepared> = prepare(dev, &mut map, &mut keys, false, &mut scratch).into_iter().filter(|p| p.n > 0).collect();
    let nf = keys.len();
    if opts.verbose {
        eprintln!(
            "train-ner: {} train / {} dev sentences, {} features, {:.1} s to extract",
            tr.len(),
            dv.len(),
            nf,
            started.elapsed().as_secs_f64()
        );
    }
    let mut wt = Weights {
        w: vec![0.0; nf * N_TAGS],
        u: vec![0.0; nf * N_TAGS],
        tw: vec![0.0; TR + 2 * N_TAGS],
        tu: vec![0.0; TR + 2 * N_TAGS],
        c: 1.0,
    };
    let mut report = TrainReport { features: nf, ..Default::default() };
    let mut order: Vec<usize> = (0..tr.len()).collect();
    let mut rng = Rng(opts.seed);
    let mut em = Vec::new();
    let mut pred = Vec::new();
    let mut best: Option<(f64, Vec<f32>, Vec<f32>)> = None;
    let mut since_best = 0;
    for epoch in 1..=opts.epochs.max(1) {
        let t0 = Instant::now();
        rng.shuffle(&mut order);
        let mut errors = 0usize;
        let mut counts = (0, 0, 0);
        for &k in &order {
            let p = &tr[k];
            wt.decode(p, false, &mut em, &mut pred);
            let e = p.gold.iter().zip(&pred).filter(|(g, q)| g != q).count();
            if e > 0 {
                errors += e;
                wt.update(p, &p.gold, &pred);
            }
            let c = count_entities(&p.spans, &model::spans_of(&pred));
            counts = (counts.0 + c.0, counts.1 + c.1, counts.2 + c.2);
            wt.c += 1.0;
        }
        report.train_errors.push(errors);
        report.epochs_run = epoch;
        let mut line = format!("epoch {epoch:>2}: train tag errors {errors:>6}, online train F1 {:.4}", f1(counts));
        if dv.is_empty() {
            report.best_epoch = epoch;
        } else {
            let mut dc = (0, 0, 0);
            for p in &dv {
                wt.decode(p, true, &mut em, &mut pred);
                let c = count_entities(&p.spans, &model::spans_of(&pred));
                dc = (dc.0 + c.0, dc.1 + c.1, dc.2 + c.2);
            }
            let df = f1(dc);
            report.dev_f1.push(df);
            line.push_str(&format!(", dev F1 {df:.4} (tp {} gold {} pred {})", dc.0, dc.1, dc.2));
            if best.as_ref().is_none_or(|b| df > b.0) {
                best = Some((df, averaged(&wt), wt.transitions(true)));
                report.best_epoch = epoch;
                report.best_dev_f1 = Some(df);
                since_best = 0;
            } else {
                since_best += 1;
            }
        }
        if opts.verbose {
            eprintln!("train-ner: {line}, {:.1} s", t0.elapsed().as_secs_f64());
        }
        if !dv.is_empty() && since_best >= opts.patience {
            break;
        }
    }
    let (w, t) = match best {
        Some((_, w, t)) => (w, t),
        None => (averaged(&wt), wt.transitions(true)),
    };
    let model = Model::from_dense(&keys, &w, &t[..TR], &t[TR..TR + N_TAGS], &t[TR + N_TAGS..], opts.prune);
    report.seconds = started.elapsed().as_secs_f64();
    if opts.verbose {
        eprintln!(
            "train-ner: best epoch {} (dev F1 {}), {} features / {} weights kept, {:.1} s",
            report.best_epoch,
            report.best_dev_f1.map_or("-".to_owned(), |f| format!("{f:.4}")),
            model.n_features(),
            model.n_weights(),
            report.seconds
        );
    }
    (model, report)
}

fn averaged(wt: &Weights) -> Vec<f32> {
    wt.w.iter().zip(&wt.u).map(|(&w, &u)| (w as f64 - u / wt.c) as f32).collect()
}

/// Entity-level micro (tp, gold, pred) of a model over examples (spans + types exact).
pub fn evaluate(model: &Model, examples: &[Example]) -> (usize, usize, usize) {
    let mut scratch = crate::model::TagScratch::default();
    let mut c = (0, 0, 0);
    for e in examples {
        let gold = model::spans_of(&model::tags_of(e.chars.len(), &e.gold_spans()));
        let pred: Vec<_> = model.tag(&e.chars, &e.tokens, 0, &mut scratch).into_iter().map(|t| (t.start, t.end, t.ty)).collect();
        let x = count_entities(&gold, &pred);
        c = (c.0 + x.0, c.1 + x.1, c.2 + x.2);
    }
    c
}
