use serde::{Deserialize, Serialize};

/// Half-open range `[start, end)` of char offsets (Unicode scalar values)
/// into the original article. Serialised as `[start, end]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(from = "(usize, usize)", into = "(usize, usize)")]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        debug_assert!(start <= end, "span start {start} > end {end}");
        Span { start, end: end.max(start) }
    }
    pub fn len(&self) -> usize {
        self.end - self.start
    }
    pub fn is_empty(&self) -> bool {
        self.start == self.end
    }
    pub fn contains(&self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn overlaps(&self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }
}

impl From<(usize, usize)> for Span {
    fn from((s, e): (usize, usize)) -> Self {
        Span::new(s, e)
    }
}

impl From<Span> for (usize, usize) {
    fn from(s: Span) -> Self {
        (s.start, s.end)
    }
}
