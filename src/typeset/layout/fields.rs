//! The field box (`<fields>`): labels in a column beside their values. A field is
//! never split between pages unless it alone is taller than one, and only between its
//! list items or lines then; where it continues, the next page repeats its label with
//! （续）.

use super::*;

/// What a continued field's label says on the page it continues on.
pub(crate) const CONTINUED: &str = "（续）";

impl Layout<'_> {
    pub(super) fn fields(
        &self,
        rows: &[(Runs, Vec<Block>)],
        style: &Resolved,
        width: f32,
    ) -> Vec<Chunk> {
        let pad = style.padding;
        let inner = width - 2.0 * pad;
        let gap = style.size * 0.6;
        // Wide enough for the longest label on one line (补助对象), at least the style's.
        let longest = rows
            .iter()
            .filter_map(|(label, _)| linebreak::shape(self.fonts, label).ok())
            .map(|(atoms, _)| atoms.iter().map(|a| a.width).sum::<f32>())
            .fold(0.0, f32::max);
        let label_w = (longest + gap).max(style.label_width).min(inner * 0.4);
        let label_style = Resolved {
            align: linebreak::Align::Left,
            indent: 0.0,
            keep_with_next: false,
            ..*style
        };
        let mut all = Vec::new();
        // Each row's chunks in `all`, and the line that heads the row where it continues.
        let mut spans: Vec<(std::ops::Range<usize>, Option<Chunk>)> = Vec::new();
        for (k, (label, value)) in rows.iter().enumerate() {
            let mut lab = self.para(label, &label_style, label_w - gap);
            // A value's paragraphs keep their lines together: a field breaks between
            // list items only.
            let outer = self.keep_lines.replace(true);
            let mut val = self.blocks(value, inner - label_w);
            self.keep_lines.set(outer);
            for c in &mut val {
                c.shift(label_w);
            }
            if val.is_empty() {
                val.push(Chunk {
                    height: style.size * style.line_height,
                    ..Chunk::default()
                });
            }
            // The label's lines go beside the value's first lines.
            let lab_h: f32 = lab.iter().map(|c| c.height).sum();
            let mut y = 0.0;
            let first = &mut val[0];
            let shift = match (first.baseline, lab.first().and_then(|c| c.baseline)) {
                (Some(vb), Some(lb)) => vb - lb,
                _ => 0.0,
            };
            for c in lab.drain(..) {
                for mut it in c.items {
                    it.shift(0.0, y + shift.max(0.0));
                    first.items.push(it);
                }
                y += c.height;
            }
            first.height = first.height.max(lab_h + shift.max(0.0));
            first.keep_with_next = true;
            let row_pad = style.size * 0.35;
            first.space_before = row_pad;
            if k > 0 {
                // The separator belongs to the row, so a row that starts a page keeps it
                // inside the page.
                for it in &mut first.items {
                    it.shift(0.0, row_pad);
                }
                first.baseline = first.baseline.map(|b| b + row_pad);
                first.height += row_pad;
                first.items.push(Item::Line {
                    x1: 0.0,
                    y1: 0.0,
                    x2: inner,
                    y2: 0.0,
                    color: style.border.unwrap_or(style.label_color),
                    width: 0.4,
                    dash: true,
                });
            }
            if let Some(last) = val.last_mut() {
                last.keep_with_next = false;
            }
            let head = (val.len() > 1).then(|| self.continued_head(label, &label_style, inner));
            spans.push((all.len()..all.len() + val.len(), head));
            all.extend(val);
        }
        for c in &mut all {
            c.shift(pad);
        }
        let box_style = Resolved {
            padding: pad * 0.6,
            ..*style
        };
        let boxed = self.wrap_box(all, &box_style, width);
        // The padding chunk `wrap_box` puts first, when it does.
        let off = usize::from(boxed.len() > spans.last().map_or(0, |s| s.0.end));
        attach_continued(boxed, spans, off, pad)
    }

    /// 「label（续）」on a line of its own, in the label's style.
    fn continued_head(&self, label: &Runs, style: &Resolved, width: f32) -> Chunk {
        let mut runs = label.clone();
        if let Some((_, st)) = label.last() {
            runs.push((CONTINUED.to_string(), *st));
        }
        let mut head = Chunk::default();
        for c in self.para(&runs, style, width) {
            for mut it in c.items {
                it.shift(0.0, head.height);
                head.items.push(it);
            }
            head.height += c.height;
        }
        head.height += style.size * 0.2;
        head
    }
}

/// Gives every chunk of a row but its first the row's 「label（续）」line, drawn above it
/// when a page begins with it (in the same boxes, so the box's background covers it).
fn attach_continued(
    mut chunks: Vec<Chunk>,
    spans: Vec<(std::ops::Range<usize>, Option<Chunk>)>,
    off: usize,
    pad: f32,
) -> Vec<Chunk> {
    for (range, head) in spans {
        let Some(mut head) = head else { continue };
        // Inside the box's padding, as the box's first row is.
        for it in &mut head.items {
            it.shift(pad, pad * 0.6);
        }
        head.height += pad * 0.6;
        let Some(boxes) = chunks.get(range.start + off).map(|c| c.boxes.clone()) else {
            continue;
        };
        head.boxes = boxes;
        let head = Arc::new(head);
        for c in chunks
            .iter_mut()
            .skip(range.start + off + 1)
            .take(range.len() - 1)
        {
            // A table's repeated header inside a field comes first.
            if c.repeat.is_none() {
                c.repeat = Some(head.clone());
            }
        }
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::SourceFile;
    use crate::typeset::fonts::tests::default_fonts;
    use crate::typeset::style::StyleSheet;

    fn text(pages: &[Page]) -> Vec<String> {
        pages
            .iter()
            .map(|p| {
                let mut runs: Vec<(f32, f32, String)> = p
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        Item::Text(t) => Some((t.y, t.x, t.glyphs.iter().map(|g| g.1).collect())),
                        _ => None,
                    })
                    .collect();
                runs.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
                runs.into_iter().map(|r| r.2).collect()
            })
            .collect()
    }

    /// A field box of a paragraph field and a list field, paginated at `height`.
    fn pages(height: f32, chars: usize) -> Vec<String> {
        let styles = StyleSheet::parse(&SourceFile::new("style.toml", String::new())).unwrap();
        let st = styles.resolve("p", &[]);
        let run = |s: &str| {
            vec![(
                s.to_string(),
                RunStyle {
                    size: st.size,
                    weight: st.weight,
                    color: st.color,
                },
            )]
        };
        let para = |s: &str| Block::Para {
            runs: run(s),
            style: st,
        };
        let long: String = "一二三四五六七八九十".chars().cycle().take(chars).collect();
        let rows = vec![
            (run("补助标准"), vec![para(&long)]),
            (
                run("所需材料"),
                vec![Block::List {
                    ordered: false,
                    start: 1,
                    items: (0..6).map(|k| vec![para(&format!("材料{k}号"))]).collect(),
                    style: st,
                }],
            ),
        ];
        let layout = Layout::new(default_fonts());
        let chunks = layout.blocks(
            &[Block::Fields {
                rows,
                style: styles.resolve("fields", &[]),
            }],
            200.0,
        );
        text(&paginate(&chunks, height).0)
    }

    #[test]
    fn a_field_breaks_between_list_items_and_says_it_continues() {
        // Tall enough for the paragraph field and a few list items.
        let faces = pages(100.0, 40);
        assert!(faces.len() >= 2, "{faces:?}");
        // The paragraph is whole on the first face.
        let para_lines = |f: &str| f.matches("一二三").count();
        assert_eq!(para_lines(&faces[1]), 0, "{faces:?}");
        // The list continues with its label repeated, and items are whole.
        assert!(faces[1].starts_with("所需材料（续）"), "{faces:?}");
        for k in 0..6 {
            let item = format!("材料{k}号");
            assert_eq!(
                faces.iter().filter(|f| f.contains(&item)).count(),
                1,
                "{item}: {faces:?}"
            );
        }
        // A paragraph taller than a page fills each page it needs, then the next field.
        let faces = pages(150.0, 400);
        let lines = |f: &str| f.matches("九十").count();
        assert!(lines(&faces[1]) >= 5, "{faces:?}");
    }
}
