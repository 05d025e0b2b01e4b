//! Tables: column widths from what the cells hold, rows that wrap.

use super::*;

impl Layout<'_> {
    pub(super) fn table(
        &self,
        rows: &[TableRow],
        style: &Resolved,
        head: &Resolved,
        width: f32,
    ) -> Vec<Chunk> {
        let ncols = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
        if ncols == 0 {
            return Vec::new();
        }
        let pad = style.size * 0.35;
        let mut min = vec![style.size * 2.0; ncols];
        let mut max = vec![style.size * 2.0; ncols];
        let mut shaped: Vec<Vec<Option<Shaped>>> = Vec::with_capacity(rows.len());
        for r in rows {
            let mut row = Vec::with_capacity(r.cells.len());
            for (c, cell) in r.cells.iter().enumerate() {
                let ((lo, hi), kept) = self.measure(cell);
                min[c] = min[c].max(lo + 2.0 * pad);
                max[c] = max[c].max(hi + 2.0 * pad);
                row.push(kept);
            }
            shaped.push(row);
        }
        let min = readable(&min, &max, style.size * 4.0 + 2.0 * pad, width);
        let widths = distribute(&min, &max, width);
        let border = style.border.unwrap_or(style.color);
        let mut header: Option<Arc<Chunk>> = None;
        let mut out = Vec::new();
        for (r, shaped) in rows.iter().zip(shaped) {
            let mut chunk = Chunk::default();
            let mut cells = Vec::with_capacity(widths.len());
            let mut x = 0.0;
            let mut h: f32 = 0.0;
            let mut shaped = shaped.into_iter();
            for (c, w) in widths.iter().enumerate() {
                let blocks = r.cells.get(c).map_or(&[][..], |b| &b[..]);
                let mut y = pad;
                let mut items = Vec::new();
                let laid = match (shaped.next().flatten(), blocks) {
                    // One paragraph (nearly every cell): set from its measured shape,
                    // spaced before as `blocks` would space it.
                    (Some((atoms, styles, table)), [Block::Para { style: ps, .. }]) => {
                        let mut chunks = self.set(&atoms, &styles, Some(&table), ps, w - 2.0 * pad);
                        if let Some(first) = chunks.first_mut() {
                            first.space_before = first.space_before.max(ps.space_before);
                        }
                        chunks
                    }
                    _ => self.blocks(blocks, w - 2.0 * pad),
                };
                for ch in laid {
                    let sb = if y > pad { ch.space_before } else { 0.0 };
                    for mut it in ch.items {
                        it.shift(x + pad, y + sb);
                        items.push(it);
                    }
                    y += sb + ch.height;
                }
                h = h.max(y + pad);
                cells.push((x, *w, items));
                x += w;
            }
            for (x, w, items) in cells {
                chunk.items.push(Item::Rect {
                    x,
                    y: 0.0,
                    w,
                    h,
                    fill: if r.header { head.background } else { None },
                    stroke: Some((border, 0.4)),
                });
                chunk.items.extend(items);
            }
            chunk.height = h;
            if r.header {
                chunk.keep_with_next = true;
                header = Some(Arc::new(Chunk {
                    keep_with_next: false,
                    ..chunk.clone()
                }));
            } else {
                chunk.repeat = header.clone();
            }
            out.push(chunk);
        }
        out
    }

    /// Narrowest and natural widths of a cell's content, and the cell's text shaped
    /// when it is one paragraph (set from that, not shaped again).
    fn measure(&self, blocks: &[Block]) -> ((f32, f32), Option<Shaped>) {
        let mut lo: f32 = 0.0;
        let mut hi: f32 = 0.0;
        let mut kept = None;
        for b in blocks {
            if let Block::Para { runs, .. } = b
                && let Ok((atoms, styles)) = linebreak::shape(self.fonts, runs)
            {
                let total: f32 = atoms.iter().map(|a| a.width).sum();
                let table = linebreak::break_table(&atoms);
                hi = hi.max(total);
                lo = lo.max(linebreak::min_width(&atoms, &table));
                if blocks.len() == 1 {
                    kept = Some((atoms, styles, table));
                }
            } else {
                lo = lo.max(40.0);
                hi = hi.max(80.0);
            }
        }
        ((lo, hi), kept)
    }
}

/// A paragraph's atoms, their run styles and their break table.
type Shaped = (Vec<Atom>, Vec<RunStyle>, Vec<Option<bool>>);

/// Minimum widths raised toward `floor` (four characters) where a column wants that
/// much, as far as all of them still fit in `width`. A Han cell can break after any
/// character, so its own minimum is one: beside a column holding a long web address,
/// an address column was set one character a line, 青/禾/镇/人/民/路.
fn readable(min: &[f32], max: &[f32], floor: f32, width: f32) -> Vec<f32> {
    let raise = |f: f32| -> Vec<f32> {
        min.iter()
            .zip(max)
            .map(|(&lo, &hi)| lo.max(hi.min(f)))
            .collect()
    };
    let fits = |f: f32| raise(f).iter().sum::<f32>() <= width;
    if fits(floor) {
        return raise(floor);
    }
    // The highest floor that fits (the sum grows with it).
    let (mut lo, mut hi) = (0.0, floor);
    for _ in 0..24 {
        let mid = (lo + hi) / 2.0;
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    raise(lo)
}

/// Column widths: natural widths if they all fit (stretched to the full width).
/// Otherwise narrow columns (a phone number, an amount) get their natural width first,
/// as a browser does, and the wide ones share the rest: each its minimum plus a part of
/// what is left in proportion to how much more it wants.
fn distribute(min: &[f32], max: &[f32], width: f32) -> Vec<f32> {
    let sum_max: f32 = max.iter().sum();
    let sum_min: f32 = min.iter().sum();
    if sum_max <= width {
        return max.iter().map(|m| m * width / sum_max).collect();
    }
    if sum_min >= width {
        return min.iter().map(|m| m * width / sum_min).collect();
    }
    let n = min.len();
    let mut out = vec![0.0; n];
    let mut natural = vec![false; n];
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| max[a].total_cmp(&max[b]));
    let mut left = width;
    let mut rest_min: f32 = sum_min;
    for (k, &c) in order.iter().enumerate() {
        let share = left / (n - k) as f32;
        // Natural width if it is no more than a fair share and the others still fit.
        if max[c] <= share && left - max[c] >= rest_min - min[c] {
            out[c] = max[c];
            natural[c] = true;
            left -= max[c];
            rest_min -= min[c];
        } else {
            break;
        }
    }
    let wide: Vec<usize> = (0..n).filter(|&c| !natural[c]).collect();
    let want: f32 = wide.iter().map(|&c| max[c] - min[c]).sum();
    let extra = left - wide.iter().map(|&c| min[c]).sum::<f32>();
    for &c in &wide {
        out[c] = min[c]
            + if want > 0.0 {
                (max[c] - min[c]) / want * extra
            } else {
                extra / wide.len() as f32
            };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{distribute, readable};

    #[test]
    fn narrow_columns_keep_their_natural_width() {
        // A long text column, an amount, a phone number, in 300 pt.
        let w = distribute(&[20.0, 30.0, 60.0], &[900.0, 40.0, 60.0], 300.0);
        assert!(
            (w[1] - 40.0).abs() < 0.01 && (w[2] - 60.0).abs() < 0.01,
            "{w:?}"
        );
        assert!((w.iter().sum::<f32>() - 300.0).abs() < 0.01);
        // Everything fits: stretched in proportion.
        let w = distribute(&[10.0, 10.0], &[50.0, 100.0], 300.0);
        assert!((w[0] - 100.0).abs() < 0.01);
    }

    #[test]
    fn han_columns_keep_four_characters_beside_a_long_address() {
        // 10 pt type, 7 pt of padding, 482 pt of page: 乡镇, 经办机构 (15 characters),
        // 地址 (8), a phone number, 办公时间, 负责人, 备注, a 80-character web address
        // breaking at its slashes.
        let min = [20.0, 20.0, 20.0, 73.0, 67.0, 20.0, 20.0, 128.0];
        let max = [37.0, 157.0, 82.0, 73.0, 177.0, 37.0, 57.0, 447.0];
        let floor = 47.0;
        // Without a floor, the address column took one character (24 pt).
        assert!(distribute(&min, &max, 482.0)[2] < 27.0);
        let w = distribute(&readable(&min, &max, floor, 482.0), &max, 482.0);
        assert!(w[1] >= 44.0 && w[2] >= 44.0, "{w:?}");
        assert!((w.iter().sum::<f32>() - 482.0).abs() < 0.01);
        // Room for the whole floor: every column that wants it gets it; a short
        // column is not widened to it.
        let r = readable(&min, &max, floor, 600.0);
        assert_eq!(r, [37.0, 47.0, 47.0, 73.0, 67.0, 37.0, 47.0, 128.0]);
        // No room at all: the cells' own minimums.
        assert_eq!(readable(&min, &max, floor, 300.0), min);
    }
}
