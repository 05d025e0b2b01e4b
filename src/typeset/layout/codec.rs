//! Laid-out pages as bytes and back, exactly: the card cache ([`crate::print`]) keeps
//! the faces of cards it need not lay out again. Every number keeps its bits, so a card
//! drawn from decoded faces is byte for byte the card drawn from the layout. Decoding
//! trusts nothing (the bytes come from a file anyone may have changed): a short, long
//! or malformed input is `None`, never a panic or an unbounded allocation.

use std::sync::Arc;

use super::{Item, Marker, Page, TextRun};

/// Whatever a page holds, more than this many items, glyphs or bytes of a string is
/// not a card's: such input is refused before anything is allocated for it.
const MAX_COUNT: usize = 1 << 20;

/// The pages as bytes; `None` when a page draws a picture (a picture's file may change
/// without its card's markup changing, so such cards are always laid out again).
pub(crate) fn encode(pages: &[Page]) -> Option<Vec<u8>> {
    let mut w = Vec::with_capacity(4096);
    put_len(&mut w, pages.len());
    for p in pages {
        put_f32(&mut w, p.used);
        put_len(&mut w, p.markers.len());
        for (m, y) in &p.markers {
            w.push(m.level);
            put_str(&mut w, &m.title);
            put_str(&mut w, &m.key);
            put_f32(&mut w, *y);
        }
        put_len(&mut w, p.items.len());
        for it in &p.items {
            encode_item(&mut w, it)?;
        }
    }
    Some(w)
}

fn encode_item(w: &mut Vec<u8>, it: &Item) -> Option<()> {
    match it {
        Item::Text(t) => {
            w.push(0);
            for v in [t.x, t.y, t.size] {
                put_f32(w, v);
            }
            w.extend_from_slice(&t.face.to_le_bytes());
            put_color(w, t.color);
            put_len(w, t.glyphs.len());
            for &(gid, ch, x, adv) in &t.glyphs {
                w.extend_from_slice(&gid.to_le_bytes());
                w.extend_from_slice(&u32::from(ch).to_le_bytes());
                put_f32(w, x);
                put_f32(w, adv);
            }
            Some(())
        }
        Item::Rect {
            x,
            y,
            w: width,
            h,
            fill,
            stroke,
        } => {
            w.push(1);
            for v in [*x, *y, *width, *h] {
                put_f32(w, v);
            }
            match fill {
                Some(c) => {
                    w.push(1);
                    put_color(w, *c);
                }
                None => w.push(0),
            }
            match stroke {
                Some((c, width)) => {
                    w.push(1);
                    put_color(w, *c);
                    put_f32(w, *width);
                }
                None => w.push(0),
            }
            Some(())
        }
        Item::Line {
            x1,
            y1,
            x2,
            y2,
            color,
            width,
            dash,
        } => {
            w.push(2);
            for v in [*x1, *y1, *x2, *y2] {
                put_f32(w, v);
            }
            put_color(w, *color);
            put_f32(w, *width);
            w.push(u8::from(*dash));
            Some(())
        }
        Item::Qr {
            x,
            y,
            module,
            n,
            dark,
        } => {
            w.push(3);
            for v in [*x, *y, *module] {
                put_f32(w, v);
            }
            put_len(w, *n);
            put_len(w, dark.len());
            // Eight modules a byte.
            for chunk in dark.chunks(8) {
                w.push(
                    chunk
                        .iter()
                        .enumerate()
                        .fold(0u8, |b, (i, &d)| b | (u8::from(d) << i)),
                );
            }
            Some(())
        }
        Item::Image { .. } => None,
    }
}

/// The pages [`encode`] wrote; `None` for anything else.
pub(crate) fn decode(bytes: &[u8]) -> Option<Vec<Page>> {
    let mut r = Reader { bytes, at: 0 };
    let n = r.len()?;
    let mut pages = Vec::with_capacity(n.min(16));
    for _ in 0..n {
        let used = r.f32()?;
        let count = r.len()?;
        let mut markers = Vec::with_capacity(count.min(64));
        for _ in 0..count {
            let level = r.u8()?;
            let title = r.str()?;
            let key = r.str()?;
            markers.push((Marker { level, title, key }, r.f32()?));
        }
        let count = r.len()?;
        let mut items = Vec::with_capacity(count.min(4096));
        for _ in 0..count {
            items.push(r.item()?);
        }
        pages.push(Page {
            items,
            markers,
            used,
        });
    }
    (r.at == bytes.len()).then_some(pages)
}

fn put_f32(w: &mut Vec<u8>, v: f32) {
    w.extend_from_slice(&v.to_bits().to_le_bytes());
}

fn put_len(w: &mut Vec<u8>, n: usize) {
    w.extend_from_slice(&(n.min(u32::MAX as usize) as u32).to_le_bytes());
}

fn put_str(w: &mut Vec<u8>, s: &str) {
    put_len(w, s.len());
    w.extend_from_slice(s.as_bytes());
}

fn put_color(w: &mut Vec<u8>, c: [f32; 3]) {
    for v in c {
        put_f32(w, v);
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let b = self.bytes.get(self.at..self.at.checked_add(N)?)?;
        self.at += N;
        b.try_into().ok()
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take::<1>()?[0])
    }
    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_le_bytes(self.take()?))
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take()?))
    }
    fn f32(&mut self) -> Option<f32> {
        Some(f32::from_bits(self.u32()?))
    }
    fn len(&mut self) -> Option<usize> {
        let n = self.u32()? as usize;
        (n <= MAX_COUNT).then_some(n)
    }
    fn str(&mut self) -> Option<String> {
        let n = self.len()?;
        let b = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        String::from_utf8(b.to_vec()).ok()
    }
    fn color(&mut self) -> Option<[f32; 3]> {
        Some([self.f32()?, self.f32()?, self.f32()?])
    }
    fn flag(&mut self) -> Option<bool> {
        match self.u8()? {
            0 => Some(false),
            1 => Some(true),
            _ => None,
        }
    }
    fn item(&mut self) -> Option<Item> {
        Some(match self.u8()? {
            0 => {
                let (x, y, size) = (self.f32()?, self.f32()?, self.f32()?);
                let face = self.u16()?;
                let color = self.color()?;
                let n = self.len()?;
                // 14 bytes a glyph: a count the input cannot hold is refused here.
                if n.checked_mul(14)? > self.bytes.len() - self.at {
                    return None;
                }
                let mut glyphs = Vec::with_capacity(n);
                for _ in 0..n {
                    let gid = self.u16()?;
                    let ch = char::from_u32(self.u32()?)?;
                    let (x, advance) = (self.f32()?, self.f32()?);
                    glyphs.push((gid, ch, x, advance));
                }
                Item::Text(TextRun {
                    x,
                    y,
                    face,
                    size,
                    color,
                    glyphs,
                })
            }
            1 => {
                let (x, y, w, h) = (self.f32()?, self.f32()?, self.f32()?, self.f32()?);
                let fill = match self.flag()? {
                    true => Some(self.color()?),
                    false => None,
                };
                let stroke = match self.flag()? {
                    true => Some((self.color()?, self.f32()?)),
                    false => None,
                };
                Item::Rect {
                    x,
                    y,
                    w,
                    h,
                    fill,
                    stroke,
                }
            }
            2 => Item::Line {
                x1: self.f32()?,
                y1: self.f32()?,
                x2: self.f32()?,
                y2: self.f32()?,
                color: self.color()?,
                width: self.f32()?,
                dash: self.flag()?,
            },
            3 => {
                let (x, y, module) = (self.f32()?, self.f32()?, self.f32()?);
                let n = self.len()?;
                let count = self.len()?;
                if count != n.checked_mul(n)? {
                    return None;
                }
                let packed = self
                    .bytes
                    .get(self.at..self.at.checked_add(count.div_ceil(8))?)?;
                self.at += packed.len();
                let dark = (0..count)
                    .map(|i| packed[i / 8] >> (i % 8) & 1 == 1)
                    .collect();
                Item::Qr {
                    x,
                    y,
                    module,
                    n,
                    dark: Arc::new(dark),
                }
            }
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<Page> {
        let text = Item::Text(TextRun {
            x: 1.5,
            y: 10.25,
            face: 2,
            size: 10.5,
            color: [0.1, 0.2, 0.3],
            glyphs: vec![
                (17, '明', 0.0, 10.5),
                (900, '𠮷', 10.5, 10.5),
                (3, '，', 21.0, 5.25),
            ],
        });
        let first = Page {
            items: vec![
                text,
                Item::Rect {
                    x: 0.0,
                    y: 1.0,
                    w: 100.0,
                    h: 20.0,
                    fill: Some([1.0, 0.9, 0.8]),
                    stroke: None,
                },
                Item::Rect {
                    x: 0.0,
                    y: 1.0,
                    w: 100.0,
                    h: 20.0,
                    fill: None,
                    stroke: Some(([0.5; 3], 0.3)),
                },
                Item::Line {
                    x1: 0.0,
                    y1: 1.0,
                    x2: 2.0,
                    y2: 3.0,
                    color: [0.0; 3],
                    width: 0.25,
                    dash: true,
                },
                Item::Qr {
                    x: 5.0,
                    y: 6.0,
                    module: 1.1,
                    n: 3,
                    dark: Arc::new(vec![
                        true, false, true, true, true, false, false, true, true,
                    ]),
                },
            ],
            markers: vec![(
                Marker {
                    level: 2,
                    title: "小额信贷".into(),
                    key: "xiaoe".into(),
                },
                12.0,
            )],
            used: 99.9,
        };
        vec![first, Page::default()]
    }

    #[test]
    fn pages_come_back_exactly() {
        let pages = sample();
        let bytes = encode(&pages).unwrap();
        let back = decode(&bytes).unwrap();
        // Debug shows every field and every float to the bit that matters.
        assert_eq!(format!("{pages:?}"), format!("{back:?}"));
        assert_eq!(encode(&back).unwrap(), bytes);
    }

    #[test]
    fn a_picture_is_not_stored() {
        let mut png = Vec::new();
        image::RgbImage::new(1, 1)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .unwrap();
        let picture = Item::Image {
            x: 0.0,
            y: 0.0,
            w: 1.0,
            h: 1.0,
            picture: Arc::new(crate::typeset::image::Picture::from_bytes(png).unwrap()),
        };
        let mut pages = sample();
        pages[1].items.push(picture);
        assert!(encode(&pages).is_none());
    }

    #[test]
    fn damaged_bytes_are_refused_never_a_panic() {
        let bytes = encode(&sample()).unwrap();
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut]).is_none(), "cut at {cut}");
        }
        let mut long = bytes.clone();
        long.push(0);
        assert!(decode(&long).is_none());
        // Every single byte changed: decoded or refused, never a panic.
        for i in 0..bytes.len() {
            for v in [0u8, 0x7f, 0xff] {
                let mut b = bytes.clone();
                b[i] = v;
                let _ = decode(&b);
            }
        }
        // A count that claims more than the input holds allocates nothing large.
        let mut huge = vec![1, 0, 0, 0];
        huge.extend_from_slice(&0f32.to_bits().to_le_bytes());
        huge.extend_from_slice(&0u32.to_le_bytes());
        huge.extend_from_slice(&(MAX_COUNT as u32).to_le_bytes());
        assert!(decode(&huge).is_none());
    }
}
