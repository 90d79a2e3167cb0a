//! Reading kiji's little-endian model files (the tagger's, the person
//! models'): a cursor over bytes whose reads return `None` past the end.

/// A cursor over a byte slice.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader { bytes, at: 0 }
    }
    /// Bytes not read yet.
    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.at
    }
    pub fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let s = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(s)
    }
    pub fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    pub fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    pub fn f32(&mut self) -> Option<f32> {
        Some(f32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    /// An unsigned LEB128 varint (at most 64 bits).
    pub fn varint(&mut self) -> Option<u64> {
        let mut x = 0u64;
        for shift in (0..70).step_by(7) {
            let b = *self.take(1)?.first()?;
            if shift == 63 && b > 1 {
                return None;
            }
            x |= ((b & 0x7f) as u64) << shift;
            if b & 0x80 == 0 {
                return Some(x);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::Reader;

    #[test]
    fn reads_stop_at_the_end() {
        let mut r = Reader::new(&[1, 0, 0, 0, 0xAC, 0x02, 7]);
        assert_eq!(r.u32(), Some(1));
        assert_eq!(r.varint(), Some(300));
        assert_eq!(r.remaining(), 1);
        assert_eq!(r.u32(), None);
        assert_eq!(r.take(1), Some(&[7u8][..]));
        assert_eq!(r.varint(), None);
    }
}
