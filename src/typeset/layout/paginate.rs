//! Pagination: chunks into pages, keeping headings with what follows and avoiding
//! orphan and widow lines.

use super::*;

/// A laid-out page: items relative to the top-left of the content box.
#[derive(Debug, Clone, Default)]
pub struct Page {
    pub items: Vec<Item>,
    pub markers: Vec<(Marker, f32)>,
    /// Height filled, from the top.
    pub used: f32,
}

/// Pages one pagination may make, whatever the input.
const MAX_PAGES: usize = 100_000;

/// Breaks chunks into pages of `height` pt. Returns the pages and whether any chunk
/// was taller than a page (and so overflows it).
pub fn paginate(chunks: &[Chunk], height: f32) -> (Vec<Page>, bool) {
    paginate_faces(chunks, &[height])
}

/// [`paginate`] that moves the chunks' items onto the pages instead of copying them:
/// a chapter of the handbook is not held twice.
pub fn paginate_owned(chunks: Vec<Chunk>, height: f32) -> (Vec<Page>, bool) {
    paginate_into(chunks, &[height])
}

/// [`paginate`] with a height per page: page `n` is `heights[n]` pt tall, and pages
/// past the list as tall as its last (a card's front holds less than its back: the
/// footer is there).
pub fn paginate_faces(chunks: &[Chunk], heights: &[f32]) -> (Vec<Page>, bool) {
    paginate_into(chunks.to_vec(), heights)
}

fn paginate_into(mut chunks: Vec<Chunk>, heights: &[f32]) -> (Vec<Page>, bool) {
    let mut pages = Vec::new();
    let mut page = PageBuilder::default();
    let mut overflow = false;
    let mut i = 0;
    // What the page held before its first chunk (a repeated table header): a page
    // holding no more than that never moves a chunk on, or a chunk that does not fit
    // below the header would start new pages for ever.
    let mut base = 0;
    // Chunks before this index belong to a keep-together chain taller than a page,
    // already begun: they fill each page as they come (the rest of a long field does
    // not move on to a page of its own).
    let mut split_until = 0;
    while i < chunks.len() {
        if pages.len() >= MAX_PAGES {
            // A safety net: no handbook has this many pages.
            overflow = true;
            break;
        }
        let height = heights
            .get(pages.len())
            .or(heights.last())
            .copied()
            .unwrap_or(0.0);
        let c = &chunks[i];
        if c.page_break_before && !page.is_empty() {
            pages.push(page.finish());
            page = PageBuilder::default();
            base = 0;
        }
        if c.page_break_before && c.height == 0.0 && c.items.is_empty() && c.markers.is_empty() {
            // A bare page break has done its work.
            i += 1;
            continue;
        }
        if page.y == 0.0
            && let Some(h) = &c.repeat
            && !pages.is_empty()
        {
            page.place(h, 0.0);
            base = page.placed;
        }
        let sb = if page.y == 0.0 { 0.0 } else { c.space_before };
        // A chain of chunks that keep with the next one moves to a new page together.
        let mut chain = sb + c.height;
        let mut j = i;
        while chunks[j].keep_with_next && j + 1 < chunks.len() && chain <= height {
            j += 1;
            chain += chunks[j].space_before + chunks[j].height;
        }
        if chain > height && split_until <= i {
            let mut end = j;
            while chunks[end].keep_with_next && end + 1 < chunks.len() {
                end += 1;
            }
            split_until = end + 1;
        }
        let fits_chain = page.y + chain <= height + 0.01 || i < split_until;
        let fits = page.y + sb + c.height <= height + 0.01;
        if page.placed > base && (!fits || !fits_chain) {
            pages.push(page.finish());
            page = PageBuilder::default();
            base = 0;
            continue;
        }
        if c.height > height + 0.01 {
            overflow = true;
        }
        page.place_taking(&mut chunks[i], sb);
        i += 1;
    }
    if !page.is_empty() || pages.is_empty() {
        pages.push(page.finish());
    }
    (pages, overflow)
}

#[derive(Default)]
struct PageBuilder {
    y: f32,
    items: Vec<Item>,
    markers: Vec<(Marker, f32)>,
    /// Box extents on this page: decoration, nesting depth, top, bottom.
    boxes: Vec<(Deco, usize, f32, f32)>,
    /// Chunks placed that take room or draw something (markers alone do not count).
    placed: usize,
}

impl PageBuilder {
    fn is_empty(&self) -> bool {
        self.placed == 0
    }

    /// Places `c`, moving its items onto the page (each chunk is placed once).
    fn place_taking(&mut self, c: &mut Chunk, space_before: f32) {
        let items = std::mem::take(&mut c.items);
        let counts = c.height > 0.0 || !items.is_empty();
        let top = self.place_frame(c, space_before);
        self.items.extend(items.into_iter().map(|mut it| {
            it.shift(0.0, top);
            it
        }));
        if counts {
            self.placed += 1;
        }
    }

    /// Places `c` (a repeated table header), copying its items.
    fn place(&mut self, c: &Chunk, space_before: f32) {
        let top = self.place_frame(c, space_before);
        for it in &c.items {
            let mut it = it.clone();
            it.shift(0.0, top);
            self.items.push(it);
        }
        if c.height > 0.0 || !c.items.is_empty() {
            self.placed += 1;
        }
    }

    /// Markers and boxes of `c` at its place; returns its top.
    fn place_frame(&mut self, c: &Chunk, space_before: f32) -> f32 {
        let top = self.y + space_before;
        for m in &c.markers {
            self.markers.push((m.clone(), top));
        }
        for (depth, d) in c.boxes.iter().enumerate() {
            match self.boxes.iter_mut().find(|b| b.0.id == d.id) {
                Some(b) => b.3 = top + c.height,
                None => self.boxes.push((d.clone(), depth, top, top + c.height)),
            }
        }
        self.y = top + c.height;
        top
    }

    fn finish(mut self) -> Page {
        self.boxes.sort_by_key(|b| b.1);
        let mut items: Vec<Item> = self
            .boxes
            .iter()
            .map(|(d, _, top, bottom)| Item::Rect {
                x: d.x,
                y: *top,
                w: d.w,
                h: bottom - top,
                fill: d.fill,
                stroke: d.stroke,
            })
            .collect();
        items.append(&mut self.items);
        Page {
            items,
            markers: self.markers,
            used: self.y,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_that_does_not_fit_below_its_repeated_header_still_ends() {
        // A table whose header and one row are taller than a page together (huge type):
        // this started new pages for ever.
        let header = Arc::new(Chunk {
            height: 60.0,
            ..Default::default()
        });
        let row = |h| Chunk {
            height: h,
            repeat: Some(header.clone()),
            ..Default::default()
        };
        let chunks = vec![row(60.0), row(80.0), row(80.0)];
        let (pages, _) = paginate(&chunks, 100.0);
        assert!(pages.len() <= 3, "{} pages", pages.len());
    }

    #[test]
    fn each_face_has_its_own_height() {
        let line = Chunk {
            height: 10.0,
            ..Default::default()
        };
        // A front of 30 pt holds three lines, the backs of 50 pt five each.
        let (pages, overflow) = paginate_faces(&vec![line; 13], &[30.0, 50.0]);
        assert!(!overflow);
        let per: Vec<usize> = pages.iter().map(|p| p.items.len()).collect();
        assert_eq!(pages.len(), 3);
        assert_eq!(
            pages.iter().map(|p| p.used).collect::<Vec<_>>(),
            [30.0, 50.0, 50.0],
            "{per:?}"
        );
    }
}
