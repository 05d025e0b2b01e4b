//! The handbook's record in the cache as bytes: what [`Book`] holds, written and read
//! back field by field, every count checked against the bytes left.

use super::{Book, Chapter, Resume, Stored, Text};
use crate::print::cache::{Fields, put_glyphs};
use crate::typeset::layout::{Page, decode_pages, encode_pages};

impl Book {
    pub(crate) fn encode(&self, w: &mut Vec<u8>) {
        let (len, hash) = self.file.parts();
        w.extend_from_slice(&len.to_le_bytes());
        w.extend_from_slice(&hash.to_le_bytes());
        w.extend_from_slice(&self.setup.to_le_bytes());
        w.extend_from_slice(&self.whole.to_le_bytes());
        w.extend_from_slice(&self.pages.to_le_bytes());
        w.extend_from_slice(&self.fresh.to_le_bytes());
        put_glyphs(w, &self.glyphs);
        w.extend_from_slice(&(self.chapters.len() as u32).to_le_bytes());
        for c in &self.chapters {
            w.extend_from_slice(&c.key.to_le_bytes());
            w.extend_from_slice(&c.sum.to_le_bytes());
            let pages: Vec<Page> = c
                .pages
                .iter()
                .map(|p| Page {
                    markers: p.markers.clone(),
                    ..Page::default()
                })
                .collect();
            // Markers hold no pictures: this always encodes.
            let markers = encode_pages(&pages).unwrap_or_default();
            w.extend_from_slice(&(markers.len() as u64).to_le_bytes());
            w.extend_from_slice(&markers);
            for p in &c.pages {
                w.push(u8::from(p.shows) | (u8::from(p.deflated) << 1));
                w.extend_from_slice(&p.at.to_le_bytes());
                w.extend_from_slice(&p.len.to_le_bytes());
            }
            w.extend_from_slice(&(c.windows.len() as u32).to_le_bytes());
            for r in &c.windows {
                w.extend_from_slice(&r.chain.to_le_bytes());
                w.extend_from_slice(&r.suffix.to_le_bytes());
                for n in [r.pages, r.from, r.skip, r.pending.to_bits()] {
                    w.extend_from_slice(&n.to_le_bytes());
                }
            }
            match &c.text {
                Some(t) => {
                    w.push(1);
                    w.extend_from_slice(&t.key.to_le_bytes());
                    w.extend_from_slice(&(t.windows.len() as u32).to_le_bytes());
                    for (k, entries) in &t.windows {
                        w.extend_from_slice(&k.to_le_bytes());
                        w.extend_from_slice(&(entries.len() as u32).to_le_bytes());
                        for i in entries {
                            w.extend_from_slice(&i.to_le_bytes());
                        }
                    }
                }
                None => w.push(0),
            }
        }
        match &self.markup {
            Some((key, markup)) => {
                w.push(1);
                w.extend_from_slice(&key.to_le_bytes());
                w.extend_from_slice(&(markup.len() as u64).to_le_bytes());
                w.extend_from_slice(markup.as_bytes());
            }
            None => w.push(0),
        }
    }

    /// A record [`Book::encode`] wrote, read from the front of `r` (which is moved past
    /// it); `None` when it does not decode.
    pub(crate) fn decode(r: &mut &[u8]) -> Option<Book> {
        let mut f = Fields(r);
        let file = f.digest()?;
        let setup = f.u128()?;
        let whole = f.u128()?;
        let pages = f.u32()?;
        let fresh = f.u32()?;
        let glyphs = f.glyphs()?;
        let n = f.u32()?;
        let mut chapters = Vec::new();
        for _ in 0..n {
            let key = f.u128()?;
            let sum = f.u128()?;
            let len = usize::try_from(f.u64()?).ok()?;
            let markers = decode_pages(f.take(len)?)?;
            let mut pages = Vec::new();
            for page in markers {
                let flags = f.u8()?;
                if flags > 3 {
                    return None;
                }
                pages.push(Stored {
                    markers: page.markers,
                    shows: flags & 1 == 1,
                    deflated: flags & 2 == 2,
                    at: f.u64()?,
                    len: f.u64()?,
                });
            }
            let n = f.u32()? as usize;
            let mut windows = Vec::with_capacity(n.min(f.0.len() / 48));
            for _ in 0..n {
                windows.push(Resume {
                    chain: f.u128()?,
                    suffix: f.u128()?,
                    pages: f.u32()?,
                    from: f.u32()?,
                    skip: f.u32()?,
                    pending: f32::from_bits(f.u32()?),
                });
            }
            let text = match f.u8()? {
                0 => None,
                1 => {
                    let key = f.u128()?;
                    let n = f.u32()? as usize;
                    let mut windows = Vec::with_capacity(n.min(f.0.len() / 20));
                    for _ in 0..n {
                        let k = f.u128()?;
                        let m = f.u32()? as usize;
                        let mut entries = Vec::with_capacity(m.min(f.0.len() / 4));
                        for _ in 0..m {
                            entries.push(f.u32()?);
                        }
                        windows.push((k, entries));
                    }
                    Some(Text { key, windows })
                }
                _ => return None,
            };
            chapters.push(Chapter {
                key,
                sum,
                pages,
                windows,
                text,
            });
        }
        let markup = match f.u8()? {
            0 => None,
            1 => {
                let key = f.u128()?;
                let len = usize::try_from(f.u64()?).ok()?;
                let text = std::str::from_utf8(f.take(len)?).ok()?;
                Some((key, text.to_string()))
            }
            _ => return None,
        };
        *r = f.0;
        Some(Book {
            file,
            setup,
            whole,
            pages,
            fresh,
            glyphs,
            chapters,
            markup,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::print::handbook::reuse::tests::book;

    #[test]
    fn a_record_reads_back_and_a_cut_one_does_not() {
        let mut w = Vec::new();
        book().encode(&mut w);
        let mut r = &w[..];
        assert_eq!(Book::decode(&mut r), Some(book()));
        assert!(r.is_empty());
        for cut in 0..w.len() {
            assert!(Book::decode(&mut &w[..cut]).is_none(), "cut at {cut}");
        }
    }

    /// The cache fuzz target's seed is a record of this format (a format change
    /// without a new seed would leave the decoder unfuzzed past its first fields).
    #[test]
    fn the_fuzz_corpus_holds_a_record_of_this_format() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fuzz/corpus/cache/handbook-record.bin"
        );
        let bytes = std::fs::read(path).unwrap();
        let body = crate::print::cache::unseal(&bytes).unwrap();
        let line = body.iter().position(|&b| b == b'\n').unwrap();
        let mut r = &body[line + 1..];
        assert!(Book::decode(&mut r).is_some());
        assert!(r.is_empty());
    }
}
