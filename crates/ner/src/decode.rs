//! Tag schemes of token-classification models (BIO, BIOES, BILOU) and the
//! constrained Viterbi decoder that turns per-token label scores into entity
//! spans without ever producing an invalid tag sequence (an `I-X` after `O`,
//! an `E-X` after `B-Y`, an open `B-X` at the end in BIOES...).
//!
//! Needs no LibTorch: both transformer engines (native and LibTorch) feed
//! it log-probabilities, and so can any other model.

/// The position part of a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    Outside,
    Begin,
    Inside,
    /// `E-` (BIOES) or `L-` (BILOU).
    End,
    /// `S-` (BIOES) or `U-` (BILOU).
    Single,
}

/// A label set read from a model's `id2label`.
#[derive(Debug, Clone)]
pub struct LabelSet {
    names: Vec<String>,
    tags: Vec<(Tag, usize)>,
    types: Vec<String>,
    /// `true` when the scheme has end/single tags: an entity must be closed.
    closed: bool,
}

/// A decoded entity over token indices `[start, end)`.
#[derive(Debug, Clone, PartialEq)]
pub struct TokenSpan {
    pub start: usize,
    pub end: usize,
    /// Index into [`LabelSet::types`].
    pub ty: usize,
    /// Mean probability of the chosen labels over the span, in [0, 1].
    pub score: f32,
}

impl LabelSet {
    /// Parse label names in id order (`O`, `B-人名`, `I-人名`, ...). Types keep
    /// their order of first appearance.
    pub fn parse<S: AsRef<str>>(names: &[S]) -> Result<Self, String> {
        let mut types: Vec<String> = Vec::new();
        let mut tags = Vec::with_capacity(names.len());
        let mut closed = false;
        for name in names {
            let name = name.as_ref();
            if name == "O" {
                tags.push((Tag::Outside, usize::MAX));
                continue;
            }
            let (prefix, ty) = name.split_once('-').ok_or_else(|| format!("label {name:?} is neither O nor PREFIX-TYPE"))?;
            let tag = match prefix {
                "B" => Tag::Begin,
                "I" => Tag::Inside,
                "E" | "L" => Tag::End,
                "S" | "U" => Tag::Single,
                _ => return Err(format!("label {name:?}: unknown prefix {prefix:?} (B, I, E/L, S/U)")),
            };
            closed |= matches!(tag, Tag::End | Tag::Single);
            let t = match types.iter().position(|t| t == ty) {
                Some(t) => t,
                None => {
                    types.push(ty.to_owned());
                    types.len() - 1
                }
            };
            tags.push((tag, t));
        }
        if !tags.iter().any(|t| t.0 == Tag::Outside) {
            return Err("label set has no O label".into());
        }
        Ok(LabelSet { names: names.iter().map(|n| n.as_ref().to_owned()).collect(), tags, types, closed })
    }

    /// `O` followed by `B-t`, `I-t` for each type: the scheme kiji trains.
    pub fn bio<S: AsRef<str>>(types: &[S]) -> Self {
        let mut names = vec!["O".to_owned()];
        for t in types {
            names.push(format!("B-{}", t.as_ref()));
            names.push(format!("I-{}", t.as_ref()));
        }
        LabelSet::parse(&names).expect("generated BIO labels are valid")
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
    pub fn names(&self) -> &[String] {
        &self.names
    }
    pub fn types(&self) -> &[String] {
        &self.types
    }

    fn find(&self, tag: Tag, ty: usize) -> Option<usize> {
        self.tags.iter().position(|&(g, t)| g == tag && (tag == Tag::Outside || t == ty))
    }

    /// Gold label ids for `n` tokens carrying the given entities
    /// (`[start, end)` token ranges, type index). Overlapping entities: the
    /// earlier one wins. Types the label set lacks are left `O`.
    pub fn encode(&self, n: usize, entities: &[(usize, usize, usize)]) -> Vec<i64> {
        let o = self.find(Tag::Outside, 0).unwrap_or(0) as i64;
        let mut out = vec![o; n];
        let mut taken = vec![false; n];
        for &(s, e, ty) in entities {
            let e = e.min(n);
            if s >= e || taken[s..e].iter().any(|&t| t) {
                continue;
            }
            let id = |tag: Tag| self.find(tag, ty).map(|i| i as i64);
            let (Some(b), Some(i)) = (id(Tag::Begin), id(Tag::Inside)) else { continue };
            for (k, slot) in out[s..e].iter_mut().enumerate() {
                *slot = if k == 0 { b } else { i };
            }
            if self.closed {
                if e - s == 1 {
                    out[s] = id(Tag::Single).unwrap_or(b);
                } else {
                    out[e - 1] = id(Tag::End).unwrap_or(i);
                }
            }
            taken[s..e].iter_mut().for_each(|t| *t = true);
        }
        out
    }

    /// Whether label `next` may follow label `prev` (`None`: sequence start).
    pub fn allowed(&self, prev: Option<usize>, next: usize) -> bool {
        let (nt, nty) = self.tags[next];
        let open = |p: Option<usize>| p.map(|p| self.tags[p]).filter(|&(g, _)| matches!(g, Tag::Begin | Tag::Inside));
        match nt {
            Tag::Inside | Tag::End => matches!(open(prev), Some((_, t)) if t == nty),
            _ => !self.closed || open(prev).is_none(),
        }
    }

    fn may_end(&self, last: usize) -> bool {
        !self.closed || !matches!(self.tags[last].0, Tag::Begin | Tag::Inside)
    }

    /// The best valid label sequence for `n` tokens given row-major
    /// log-probabilities `scores[i * len + l]`, as entity spans.
    pub fn decode(&self, scores: &[f32], n: usize) -> Vec<TokenSpan> {
        let l = self.len();
        assert_eq!(scores.len(), n * l, "scores must be n x labels");
        if n == 0 {
            return Vec::new();
        }
        let neg = f32::NEG_INFINITY;
        let mut best = vec![neg; l];
        for (j, b) in best.iter_mut().enumerate() {
            if self.allowed(None, j) {
                *b = scores[j];
            }
        }
        let mut back = vec![0u32; n * l];
        let mut next = vec![neg; l];
        for i in 1..n {
            for j in 0..l {
                let mut arg = usize::MAX;
                let mut top = neg;
                for (p, &s) in best.iter().enumerate() {
                    if s > top && self.allowed(Some(p), j) {
                        top = s;
                        arg = p;
                    }
                }
                next[j] = if arg == usize::MAX { neg } else { top + scores[i * l + j] };
                back[i * l + j] = arg.min(u32::MAX as usize) as u32;
            }
            std::mem::swap(&mut best, &mut next);
        }
        // The O label always has a finite path, so some final label is valid.
        let mut last = (0..l).filter(|&j| self.may_end(j) && best[j] > neg).max_by(|&a, &b| best[a].total_cmp(&best[b]).then(b.cmp(&a))).unwrap_or(0);
        let mut path = vec![0usize; n];
        for i in (0..n).rev() {
            path[i] = last;
            if i > 0 {
                last = back[i * l + last] as usize;
            }
        }
        self.spans(&path, |i, j| scores[i * l + j].exp())
    }

    /// Entity spans of a (valid) label path.
    fn spans(&self, path: &[usize], prob: impl Fn(usize, usize) -> f32) -> Vec<TokenSpan> {
        let mut out = Vec::new();
        let mut open: Option<(usize, usize, f32)> = None;
        let close = |open: &mut Option<(usize, usize, f32)>, end: usize, out: &mut Vec<TokenSpan>| {
            if let Some((s, ty, sum)) = open.take() {
                out.push(TokenSpan { start: s, end, ty, score: sum / (end - s) as f32 });
            }
        };
        for (i, &j) in path.iter().enumerate() {
            let (tag, ty) = self.tags[j];
            let p = prob(i, j);
            match tag {
                Tag::Outside => close(&mut open, i, &mut out),
                Tag::Begin | Tag::Single => {
                    close(&mut open, i, &mut out);
                    open = Some((i, ty, p));
                    if tag == Tag::Single {
                        close(&mut open, i + 1, &mut out);
                    }
                }
                Tag::Inside | Tag::End => {
                    match &mut open {
                        Some((_, t, sum)) if *t == ty => *sum += p,
                        _ => {
                            // Unreachable on decoded paths; tolerate hand-made ones.
                            close(&mut open, i, &mut out);
                            open = Some((i, ty, p));
                        }
                    }
                    if tag == Tag::End {
                        close(&mut open, i + 1, &mut out);
                    }
                }
            }
        }
        close(&mut open, path.len(), &mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn logp(rows: &[&[f32]]) -> Vec<f32> {
        rows.iter().flat_map(|r| r.iter().map(|p| p.max(1e-9).ln())).collect()
    }

    #[test]
    fn bio_never_starts_with_inside() {
        // O B-人名 I-人名 B-地名 I-地名: the argmax path is I-人名 I-人名 O,
        // which is invalid; Viterbi must open the entity with B.
        let ls = LabelSet::bio(&["人名", "地名"]);
        let s = logp(&[&[0.1, 0.35, 0.45, 0.05, 0.05], &[0.1, 0.1, 0.7, 0.05, 0.05], &[0.8, 0.05, 0.05, 0.05, 0.05]]);
        let spans = ls.decode(&s, 3);
        assert_eq!(spans.len(), 1);
        assert_eq!((spans[0].start, spans[0].end, ls.types()[spans[0].ty].as_str()), (0, 2, "人名"));
        assert!(spans[0].score > 0.3 && spans[0].score < 0.7, "{}", spans[0].score);
    }

    #[test]
    fn bio_does_not_continue_across_types() {
        let ls = LabelSet::bio(&["人名", "地名"]);
        // B-人名 then I-地名 (argmax) is invalid: either B-地名 or I-人名.
        let s = logp(&[&[0.0, 0.9, 0.0, 0.1, 0.0], &[0.0, 0.0, 0.3, 0.2, 0.5]]);
        let spans = ls.decode(&s, 2);
        for w in spans.windows(2) {
            assert!(w[0].end <= w[1].start);
        }
        assert!(spans.iter().all(|sp| sp.end > sp.start));
        assert_eq!(spans[0].start, 0);
    }

    #[test]
    fn bioes_closes_every_entity() {
        let names = ["O", "B-人名", "I-人名", "E-人名", "S-人名"];
        let ls = LabelSet::parse(&names).unwrap();
        // Argmax B O: an unclosed entity. Valid alternatives: S O or B E.
        let s = logp(&[&[0.1, 0.6, 0.1, 0.1, 0.1], &[0.5, 0.1, 0.1, 0.2, 0.1]]);
        let spans = ls.decode(&s, 2);
        assert_eq!(spans.len(), 1);
        assert!(spans[0].end == 1 || spans[0].end == 2);
        // encode/decode round trip in BIOES.
        let gold = ls.encode(5, &[(0, 1, 0), (2, 5, 0)]);
        assert_eq!(gold, vec![4, 0, 1, 2, 3]);
        let l = ls.len();
        let mut one_hot = vec![(1e-6f32).ln(); 5 * l];
        for (i, &g) in gold.iter().enumerate() {
            one_hot[i * l + g as usize] = 0.0;
        }
        let spans: Vec<(usize, usize)> = ls.decode(&one_hot, 5).iter().map(|s| (s.start, s.end)).collect();
        assert_eq!(spans, vec![(0, 1), (2, 5)]);
    }

    #[test]
    fn parse_rejects_unknown_prefixes_and_missing_o() {
        assert!(LabelSet::parse(&["O", "X-人名"]).is_err());
        assert!(LabelSet::parse(&["B-人名", "I-人名"]).is_err());
        let ls = LabelSet::parse(&["O", "B-PER", "I-PER", "L-PER", "U-PER"]).unwrap();
        assert_eq!(ls.types(), &["PER".to_owned()]);
    }

    #[test]
    fn overlapping_gold_keeps_the_first() {
        let ls = LabelSet::bio(&["人名", "地名"]);
        assert_eq!(ls.encode(4, &[(0, 2, 0), (1, 3, 1), (3, 4, 1)]), vec![1, 2, 0, 3]);
    }
}
