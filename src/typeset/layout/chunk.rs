//! What layout makes: chunks, the slices of a column a page may break between, each
//! holding the items drawn in it (text runs, rules, boxes, QR codes, pictures) and the
//! places later stages look for (bookmarks, contents entries); and the seam where a
//! piece laid out alone meets the one before it.

use std::sync::Arc;

use crate::typeset::fonts::FaceId;
use crate::typeset::linebreak;
use crate::typeset::style::Color;

/// A place later stages want to find: a bookmark, a table-of-contents entry.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Marker {
    pub level: u8,
    pub title: String,
    pub key: String,
}

#[derive(Debug, Clone)]
pub(crate) struct TextRun {
    pub x: f32,
    /// Baseline.
    pub y: f32,
    pub face: FaceId,
    pub size: f32,
    pub color: Color,
    /// Glyph id, the text it stands for, x from the run's start, and its advance in
    /// pt (to place the next one exactly). One list: two were two allocations a line
    /// laid out, a tenth of all a build makes.
    pub glyphs: Vec<(u16, char, f32, f32)>,
}

#[derive(Debug, Clone)]
pub(crate) enum Item {
    Text(TextRun),
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Color>,
        stroke: Option<(Color, f32)>,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        color: Color,
        width: f32,
        dash: bool,
    },
    Qr {
        x: f32,
        y: f32,
        module: f32,
        n: usize,
        dark: Arc<Vec<bool>>,
    },
    /// A picture drawn into the box `w` × `h` at (`x`, `y`), its top-left corner.
    Image {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        picture: Arc<crate::typeset::image::Picture>,
    },
}

impl Item {
    pub(crate) fn shift(&mut self, dx: f32, dy: f32) {
        match self {
            Item::Text(t) => {
                t.x += dx;
                t.y += dy;
            }
            Item::Rect { x, y, .. } | Item::Qr { x, y, .. } | Item::Image { x, y, .. } => {
                *x += dx;
                *y += dy;
            }
            Item::Line { x1, y1, x2, y2, .. } => {
                *x1 += dx;
                *x2 += dx;
                *y1 += dy;
                *y2 += dy;
            }
        }
    }

    /// Horizontal extent, for checking that nothing leaves its box.
    pub(crate) fn x_extent(&self) -> (f32, f32) {
        match self {
            Item::Text(t) => {
                // A compressed mark's blank half may lie outside the box: it has no ink.
                let (mut start, mut end) = (f32::MAX, 0.0f32);
                for g in &t.glyphs {
                    let a = g.3;
                    let (l, r) = linebreak::blank_halves(g.1);
                    start = start.min(g.2 + l * a);
                    end = end.max(g.2 + a - r * a);
                }
                if t.glyphs.is_empty() {
                    start = 0.0;
                }
                (t.x + start, t.x + end)
            }
            Item::Rect { x, w, .. } | Item::Image { x, w, .. } => (*x, x + w),
            Item::Line { x1, x2, .. } => (x1.min(*x2), x1.max(*x2)),
            Item::Qr { x, module, n, .. } => (*x, x + module * *n as f32),
        }
    }
}

/// Background or border of a box, drawn on every page the box reaches.
#[derive(Debug, Clone)]
pub(crate) struct Deco {
    pub id: u32,
    pub x: f32,
    pub w: f32,
    pub fill: Option<Color>,
    pub stroke: Option<(Color, f32)>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Chunk {
    pub height: f32,
    pub space_before: f32,
    pub items: Vec<Item>,
    pub keep_with_next: bool,
    pub page_break_before: bool,
    /// Boxes this chunk is inside, outermost first.
    pub boxes: Vec<Deco>,
    /// Drawn again at the top of a page that begins with this chunk (table headers).
    pub repeat: Option<Arc<Chunk>>,
    pub markers: Vec<Marker>,
    /// Baseline of the chunk's first line, for list markers and labels.
    pub baseline: Option<f32>,
}

impl Chunk {
    pub(super) fn shift(&mut self, dx: f32) {
        for i in &mut self.items {
            i.shift(dx, 0.0);
        }
        for d in &mut self.boxes {
            d.x += dx;
        }
    }
}

/// Where a piece laid out alone meets the piece before it: the space still pending at
/// the end of one piece adds to the first block of the next, as in one long call.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Seam {
    /// The chunk that takes the incoming space (none when a page break comes first).
    pub(super) lead: Option<usize>,
    /// Blank space before that chunk.
    pub(super) lead_space: f32,
    /// Neither a block nor a page break: the incoming space passes through.
    pub(super) through: bool,
    /// Space pending at the end (with none coming in).
    pub(super) trail: f32,
}

impl Seam {
    /// Applies the space pending before this piece (`incoming`) to its `chunks`;
    /// returns the space pending after it.
    pub(crate) fn join(&self, chunks: &mut [Chunk], incoming: f32) -> f32 {
        if let Some(c) = self.lead.and_then(|i| chunks.get_mut(i)) {
            c.space_before = c.space_before.max(incoming + self.lead_space);
        }
        if self.through {
            incoming + self.trail
        } else {
            self.trail
        }
    }
}
