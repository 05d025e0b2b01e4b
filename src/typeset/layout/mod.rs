//! The layout engine: blocks (paragraphs, lists, tables, field boxes, QR codes, …) are
//! set into "chunks", slices of a column that pages may break between, and chunks are
//! paginated with keep-together rules (headings stay with what follows, no orphan or
//! widow lines). Coordinates are in pt, y downwards from the top of the column.

use std::sync::Arc;

use super::fonts::Fonts;
use super::linebreak::{self, Atom, RunStyle};
use super::style::Resolved;

mod chunk;
mod codec;
mod fields;
mod paginate;
mod table;
mod widgets;

pub(crate) use chunk::{Chunk, Deco, Item, Marker, Seam, TextRun};
pub(crate) use codec::{decode as decode_pages, encode as encode_pages};
pub(crate) use paginate::{Page, Paginator, paginate, paginate_faces};

/// A run of text with one style: what inline markup becomes.
pub(crate) type Runs = Vec<(String, RunStyle)>;

#[derive(Debug, Clone)]
pub(crate) enum Block {
    Para {
        runs: Runs,
        style: Resolved,
    },
    List {
        ordered: bool,
        start: u32,
        items: Vec<Vec<Block>>,
        style: Resolved,
    },
    Table {
        rows: Vec<TableRow>,
        style: Resolved,
        head: Resolved,
    },
    Fields {
        rows: Vec<(Runs, Vec<Block>)>,
        style: Resolved,
    },
    Boxed {
        children: Vec<Block>,
        style: Resolved,
    },
    Columns {
        cols: Vec<(f32, Vec<Block>)>,
        style: Resolved,
    },
    Qr {
        data: String,
        size: f32,
        style: Resolved,
    },
    Signature {
        labels: Vec<String>,
        style: Resolved,
    },
    Rule {
        style: Resolved,
    },
    Space(f32),
    PageBreak,
    Anchor(Marker),
    /// Set at the bottom of a card's front (flows normally elsewhere).
    Footer(Vec<Block>),
    /// Set at the top of a card's back, when it has one (left out elsewhere).
    Back(Vec<Block>),
    /// A table-of-contents line: text, a leader of dots, `right` flush right.
    Leader {
        runs: Runs,
        right: String,
        style: Resolved,
    },
    /// A picture with its caption ([`super::image`]).
    Image(super::image::Figure),
}

#[derive(Debug, Clone)]
pub(crate) struct TableRow {
    pub header: bool,
    pub cells: Vec<Vec<Block>>,
}

impl Block {
    /// Calls `f` on each list of blocks nested in this block: list items, table cells,
    /// field values, the contents of boxes, columns, footers and backs.
    pub(crate) fn for_each_child(&self, f: &mut dyn FnMut(&[Block])) {
        match self {
            Block::List { items, .. } => items.iter().for_each(|i| f(i)),
            Block::Table { rows, .. } => rows.iter().flat_map(|r| &r.cells).for_each(|c| f(c)),
            Block::Fields { rows, .. } => rows.iter().for_each(|(_, v)| f(v)),
            Block::Boxed { children, .. } | Block::Footer(children) | Block::Back(children) => {
                f(children)
            }
            Block::Columns { cols, .. } => cols.iter().for_each(|(_, c)| f(c)),
            _ => {}
        }
    }

    /// [`Block::for_each_child`], each list given to change.
    pub(crate) fn for_each_child_mut(&mut self, f: &mut dyn FnMut(&mut Vec<Block>)) {
        match self {
            Block::List { items, .. } => items.iter_mut().for_each(&mut *f),
            Block::Table { rows, .. } => {
                rows.iter_mut().flat_map(|r| &mut r.cells).for_each(&mut *f)
            }
            Block::Fields { rows, .. } => rows.iter_mut().for_each(|(_, v)| f(v)),
            Block::Boxed { children, .. } | Block::Footer(children) | Block::Back(children) => {
                f(children)
            }
            Block::Columns { cols, .. } => cols.iter_mut().for_each(|(_, c)| f(c)),
            _ => {}
        }
    }
}

/// Sets blocks with one font set. Characters the fonts lack are collected in `missing`
/// (the coverage check reports them before layout; this is the safety net).
pub(crate) struct Layout<'a> {
    pub fonts: &'a Fonts,
    next_box: std::cell::Cell<u32>,
    /// Inside a field's value: a paragraph's lines keep together (see `fields`).
    keep_lines: std::cell::Cell<bool>,
    pub missing: std::cell::RefCell<Vec<char>>,
}

/// The vertical position of a baseline in a line box: CJK glyphs sit in an em box
/// from -0.12 to 0.88 em, centred in the line.
fn baseline(line_height: f32, size: f32) -> f32 {
    (line_height - size) / 2.0 + size * 0.88
}

impl<'a> Layout<'a> {
    pub(crate) fn new(fonts: &'a Fonts) -> Layout<'a> {
        Layout {
            fonts,
            next_box: std::cell::Cell::new(1),
            keep_lines: std::cell::Cell::new(false),
            missing: std::cell::RefCell::new(Vec::new()),
        }
    }

    /// A layout whose decorated boxes are numbered from `first`: pieces of one document
    /// laid out in parallel keep their boxes apart.
    pub(crate) fn numbering_boxes_from(self, first: u32) -> Layout<'a> {
        self.next_box.set(first);
        self
    }

    pub(crate) fn blocks(&self, blocks: &[Block], width: f32) -> Vec<Chunk> {
        self.blocks_seamed(blocks, width).0
    }

    /// [`Layout::blocks`] for one piece of a longer sequence, with the [`Seam`] that
    /// lets [`Seam::join`] give the space between pieces as one call would have.
    pub(crate) fn blocks_seamed(&self, blocks: &[Block], width: f32) -> (Vec<Chunk>, Seam) {
        let mut out: Vec<Chunk> = Vec::new();
        let mut pending_space = 0.0f32;
        let mut seam = Seam::default();
        let mut started = false;
        for b in blocks {
            let (before, after) = match b {
                Block::Para { style, .. }
                | Block::List { style, .. }
                | Block::Table { style, .. }
                | Block::Fields { style, .. }
                | Block::Boxed { style, .. }
                | Block::Columns { style, .. }
                | Block::Qr { style, .. }
                | Block::Signature { style, .. }
                | Block::Leader { style, .. }
                | Block::Rule { style } => (style.space_before, style.space_after),
                Block::Image(f) => (f.style.space_before, f.style.space_after),
                Block::Space(h) => {
                    pending_space += h;
                    if !started {
                        seam.lead_space += h;
                    }
                    continue;
                }
                Block::PageBreak => {
                    out.push(Chunk {
                        page_break_before: true,
                        ..Chunk::default()
                    });
                    pending_space = 0.0;
                    started = true;
                    continue;
                }
                Block::Anchor(m) => {
                    out.push(Chunk {
                        markers: vec![m.clone()],
                        keep_with_next: true,
                        ..Chunk::default()
                    });
                    continue;
                }
                Block::Footer(children) => {
                    out.extend(self.blocks(children, width));
                    continue;
                }
                Block::Back(_) => continue,
            };
            let mut chunks = self.block(b, width);
            if let Some(first) = chunks.first_mut() {
                first.space_before = first.space_before.max(before).max(pending_space);
                pending_space = after;
                if !started {
                    seam.lead = Some(out.len());
                    started = true;
                }
            }
            out.append(&mut chunks);
        }
        seam.through = !started;
        seam.trail = pending_space;
        (out, seam)
    }

    fn block(&self, b: &Block, width: f32) -> Vec<Chunk> {
        match b {
            Block::Para { runs, style } => self.para(runs, style, width),
            Block::List {
                ordered,
                start,
                items,
                style,
            } => self.list(*ordered, *start, items, style, width),
            Block::Table { rows, style, head } => self.table(rows, style, head, width),
            Block::Fields { rows, style } => self.fields(rows, style, width),
            Block::Boxed { children, style } => self.boxed(children, style, width),
            Block::Columns { cols, style } => self.columns(cols, style, width),
            Block::Qr { data, size, style } => self.qr(data, *size, style),
            Block::Signature { labels, style } => self.signature(labels, style, width),
            Block::Leader { runs, right, style } => self.leader(runs, right, style, width),
            Block::Image(f) => self.figure(f, width),
            Block::Rule { style } => vec![Chunk {
                height: style.border_width.max(0.3),
                items: vec![Item::Line {
                    x1: 0.0,
                    y1: style.border_width / 2.0,
                    x2: width,
                    y2: style.border_width / 2.0,
                    color: style.border.unwrap_or(style.color),
                    width: style.border_width,
                    dash: false,
                }],
                ..Chunk::default()
            }],
            Block::Space(_)
            | Block::PageBreak
            | Block::Anchor(_)
            | Block::Footer(_)
            | Block::Back(_) => Vec::new(),
        }
    }

    /// Sets a paragraph into one chunk per line.
    pub(crate) fn para(&self, runs: &Runs, style: &Resolved, width: f32) -> Vec<Chunk> {
        let (atoms, styles) = match linebreak::shape(self.fonts, runs) {
            Ok(x) => x,
            Err(missing) => {
                self.missing.borrow_mut().extend(missing);
                return Vec::new();
            }
        };
        self.set(&atoms, &styles, None, style, width)
    }

    /// A paragraph already shaped into `atoms` (with their run `styles`, and their
    /// break table when it was made to measure them), set `width` pt wide.
    pub(super) fn set(
        &self,
        atoms: &[Atom],
        styles: &[RunStyle],
        table: Option<&[Option<bool>]>,
        style: &Resolved,
        width: f32,
    ) -> Vec<Chunk> {
        if atoms.iter().all(|a| a.space) {
            return Vec::new();
        }
        let (indent, align, typo) = (style.indent, style.align, &style.typography);
        let lines = match table {
            Some(t) => linebreak::break_lines_at(atoms, t, width, indent, align, typo),
            None => linebreak::break_lines(atoms, width, indent, align, typo),
        };
        let n = lines.len();
        let mut out = Vec::with_capacity(n);
        for (k, line) in lines.iter().enumerate() {
            let slice = &atoms[line.start..line.end];
            let size = slice
                .iter()
                .filter(|a| a.ch != '\n')
                .map(|a| styles[a.style as usize].size)
                .fold(0.0, f32::max);
            let size = if size > 0.0 { size } else { style.size };
            let lh = size * style.line_height;
            let base = baseline(lh, size);
            let items = runs_of_line(slice, &lines.x[line.start..line.end], styles, base);
            // Orphans and widows: at least two lines of a paragraph stay together at
            // the bottom and at the top of a page.
            let keep =
                style.keep_with_next || self.keep_lines.get() || (n >= 2 && (k == 0 || k + 2 == n));
            out.push(Chunk {
                height: lh,
                items,
                keep_with_next: keep,
                baseline: Some(base),
                ..Chunk::default()
            });
        }
        if let Some(last) = out.last_mut() {
            last.keep_with_next = style.keep_with_next;
        }
        if let Some(first) = out.first_mut() {
            first.page_break_before = style.page_break_before;
        }
        out
    }

    fn list(
        &self,
        ordered: bool,
        start: u32,
        items: &[Vec<Block>],
        style: &Resolved,
        width: f32,
    ) -> Vec<Chunk> {
        let marker_w = if ordered {
            style.size * 1.6
        } else {
            style.size * 1.2
        };
        let mut out = Vec::new();
        for (k, item) in items.iter().enumerate() {
            let mut chunks = self.blocks(item, width - marker_w);
            for c in &mut chunks {
                c.shift(marker_w);
            }
            let label = if ordered {
                format!("{}.", start as usize + k)
            } else {
                "•".to_string()
            };
            let mstyle = RunStyle {
                size: style.size,
                weight: style.weight,
                color: style.color,
            };
            if let Ok((atoms, styles)) = linebreak::shape(self.fonts, &[(label, mstyle)]) {
                if chunks.is_empty() {
                    chunks.push(Chunk {
                        height: style.size * style.line_height,
                        ..Chunk::default()
                    });
                }
                let first = &mut chunks[0];
                let base = first.baseline.unwrap_or(baseline(first.height, style.size));
                let xs: Vec<f32> = atoms
                    .iter()
                    .scan(0.0, |x, a| {
                        let p = *x;
                        *x += a.width;
                        Some(p)
                    })
                    .collect();
                first.items.extend(runs_of_line(&atoms, &xs, &styles, base));
            }
            if k > 0 {
                if let Some(c) = chunks.first_mut() {
                    c.space_before = c.space_before.max(style.size * 0.2);
                }
            }
            out.extend(chunks);
        }
        out
    }

    fn boxed(&self, children: &[Block], style: &Resolved, width: f32) -> Vec<Chunk> {
        let pad = style.padding;
        let mut chunks = self.blocks(children, width - 2.0 * pad);
        for c in &mut chunks {
            c.shift(pad);
        }
        self.wrap_box(chunks, style, width)
    }

    /// Puts chunks inside a decorated box: padding above and below, and the box's
    /// background and border on every page it reaches.
    fn wrap_box(&self, mut chunks: Vec<Chunk>, style: &Resolved, width: f32) -> Vec<Chunk> {
        if style.background.is_none() && style.border.is_none() && style.padding == 0.0 {
            return chunks;
        }
        let id = self.next_box.get();
        self.next_box.set(id + 1);
        let deco = Deco {
            id,
            x: 0.0,
            w: width,
            fill: style.background,
            stroke: style.border.map(|c| (c, style.border_width)),
        };
        let pad = Chunk {
            height: style.padding,
            keep_with_next: true,
            ..Chunk::default()
        };
        let mut out = Vec::with_capacity(chunks.len() + 2);
        out.push(pad.clone());
        if let Some(first) = chunks.first_mut() {
            // Space inside the box belongs to the padding.
            first.space_before = 0.0;
        }
        out.append(&mut chunks);
        out.push(Chunk {
            keep_with_next: false,
            ..pad
        });
        for c in &mut out {
            c.boxes.insert(0, deco.clone());
        }
        out
    }

    fn columns(&self, cols: &[(f32, Vec<Block>)], style: &Resolved, width: f32) -> Vec<Chunk> {
        let gap = style.size;
        let fixed: f32 = cols.iter().map(|c| c.0).sum();
        let flex = cols.iter().filter(|c| c.0 <= 0.0).count().max(1) as f32;
        let flex_w =
            ((width - fixed - gap * (cols.len().saturating_sub(1)) as f32) / flex).max(10.0);
        let mut chunk = Chunk::default();
        let mut x = 0.0;
        for (w, blocks) in cols {
            let w = if *w > 0.0 { *w } else { flex_w };
            let mut y = 0.0;
            for c in self.blocks(blocks, w) {
                let sb = if y > 0.0 { c.space_before } else { 0.0 };
                for mut it in c.items {
                    it.shift(x, y + sb);
                    chunk.items.push(it);
                }
                y += sb + c.height;
            }
            chunk.height = chunk.height.max(y);
            x += w + gap;
        }
        vec![chunk]
    }
}

/// Groups the glyphs of a set line into text runs of one face and style.
fn runs_of_line(atoms: &[Atom], xs: &[f32], styles: &[RunStyle], base: f32) -> Vec<Item> {
    // Spaces a line was broken at hang past its end and are not drawn.
    let visible = atoms
        .iter()
        .rposition(|a| !a.space)
        .map_or(0, |p| p + 1)
        .min(xs.len());
    let drawn = |a: &Atom| a.ch != '\n';
    let same = |a: &Atom, b: &Atom| {
        a.glyph.face == b.glyph.face
            && (a.style == b.style || {
                let (s, t) = (&styles[a.style as usize], &styles[b.style as usize]);
                s.size == t.size && s.color == t.color
            })
    };
    // A line is nearly always one run: each run's glyphs are counted before they are
    // copied, so its two lists are allocated once (grown a glyph at a time they were
    // a tenth of laying out a paragraph).
    let mut items = Vec::with_capacity(1);
    let mut i = 0;
    while i < visible {
        if !drawn(&atoms[i]) {
            i += 1;
            continue;
        }
        let first = &atoms[i];
        let mut end = i + 1;
        while end < visible && (!drawn(&atoms[end]) || same(first, &atoms[end])) {
            end += 1;
        }
        let n = atoms[i..end].iter().filter(|a| drawn(a)).count();
        let st = styles[first.style as usize];
        let x0 = xs[i];
        let mut run = TextRun {
            x: x0,
            y: base,
            face: first.glyph.face,
            size: st.size,
            color: st.color,
            glyphs: Vec::with_capacity(n),
        };
        for (a, &x) in atoms[i..end]
            .iter()
            .zip(&xs[i..end])
            .filter(|(a, _)| drawn(a))
        {
            run.glyphs.push((a.glyph.gid, a.ch, x - x0, a.width));
        }
        items.push(Item::Text(run));
        i = end;
    }
    items
}
