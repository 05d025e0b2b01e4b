//! Blocks drawn rather than set as text: QR codes, signature lines, leader lines.

use super::*;

impl Layout<'_> {
    pub(super) fn qr(&self, data: &str, size: f32, style: &Resolved) -> Vec<Chunk> {
        // The markup checked that the data fits a code (see `typeset::qr`).
        let Some((n, dark)) = crate::typeset::qr::encode(data) else {
            return Vec::new();
        };
        let module = size / n as f32;
        let _ = style;
        vec![Chunk {
            height: size,
            items: vec![Item::Qr {
                x: 0.0,
                y: 0.0,
                module,
                n,
                dark: Arc::new(dark),
            }],
            ..Chunk::default()
        }]
    }

    pub(super) fn signature(&self, labels: &[String], style: &Resolved, width: f32) -> Vec<Chunk> {
        let per_row = if labels.len() > 2 && width < style.size * 30.0 {
            2
        } else {
            labels.len().max(1)
        };
        let cell = width / per_row as f32;
        let mut out = Vec::new();
        for row in labels.chunks(per_row) {
            let lh = style.size * style.line_height * 1.9;
            let base = lh - style.size * 0.4;
            let mut chunk = Chunk {
                height: lh,
                ..Chunk::default()
            };
            for (k, label) in row.iter().enumerate() {
                let x0 = k as f32 * cell;
                let runs = vec![(
                    format!("{label}："),
                    RunStyle {
                        size: style.size,
                        weight: style.weight,
                        color: style.color,
                    },
                )];
                let Ok((atoms, styles)) = linebreak::shape(self.fonts, &runs) else {
                    continue;
                };
                let xs: Vec<f32> = atoms
                    .iter()
                    .scan(x0, |x, a| {
                        let p = *x;
                        *x += a.width;
                        Some(p)
                    })
                    .collect();
                let text_end = xs.last().zip(atoms.last()).map_or(x0, |(x, a)| x + a.width);
                chunk.items.extend(runs_of_line(&atoms, &xs, &styles, base));
                chunk.items.push(Item::Line {
                    x1: text_end + 1.0,
                    y1: base + 1.5,
                    x2: x0 + cell - style.size * 0.8,
                    y2: base + 1.5,
                    color: style.border.unwrap_or(style.color),
                    width: 0.5,
                    dash: false,
                });
            }
            out.push(chunk);
        }
        let rows = out.len();
        if let Some(f) = out.first_mut() {
            f.keep_with_next = rows > 1;
        }
        out
    }

    pub(super) fn leader(
        &self,
        runs: &Runs,
        right: &str,
        style: &Resolved,
        width: f32,
    ) -> Vec<Chunk> {
        let rstyle = RunStyle {
            size: style.size,
            weight: style.weight,
            color: style.color,
        };
        let Ok((ratoms, rstyles)) = linebreak::shape(self.fonts, &[(right.to_string(), rstyle)])
        else {
            return Vec::new();
        };
        let rw: f32 = ratoms.iter().map(|a| a.width).sum();
        let gap = style.size * 1.5;
        let left = Resolved {
            align: linebreak::Align::Left,
            ..*style
        };
        let mut chunks = self.para(runs, &left, width - rw - gap);
        let Some(last) = chunks.last_mut() else {
            return chunks;
        };
        let base = last.baseline.unwrap_or(last.height * 0.8);
        let text_end = last
            .items
            .iter()
            .map(|i| i.x_extent().1)
            .fold(style.indent, f32::max);
        // A row of full-width ellipses between the text and the number.
        let dots_to = width - rw - style.size * 0.5;
        let n = ((dots_to - text_end - style.size * 0.5) / style.size)
            .floor()
            .max(0.0) as usize;
        let dot_style = RunStyle {
            color: [0.55, 0.55, 0.55],
            weight: crate::typeset::fonts::Weight::Regular,
            ..rstyle
        };
        if n > 0
            && let Ok((datoms, dstyles)) =
                linebreak::shape(self.fonts, &[("…".repeat(n), dot_style)])
        {
            let start = dots_to - n as f32 * style.size;
            let xs: Vec<f32> = (0..datoms.len())
                .map(|k| start + k as f32 * style.size)
                .collect();
            last.items
                .extend(runs_of_line(&datoms, &xs, &dstyles, base));
        }
        let xs: Vec<f32> = ratoms
            .iter()
            .scan(width - rw, |x, a| {
                let p = *x;
                *x += a.width;
                Some(p)
            })
            .collect();
        last.items
            .extend(runs_of_line(&ratoms, &xs, &rstyles, base));
        chunks
    }
}
