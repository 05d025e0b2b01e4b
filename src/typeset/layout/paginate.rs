//! Pagination: chunks into pages, keeping headings with what follows and avoiding
//! orphan and widow lines.

use super::*;

/// A laid-out page: items relative to the top-left of the content box.
#[derive(Debug, Clone, Default)]
pub(crate) struct Page {
    pub items: Vec<Item>,
    pub markers: Vec<(Marker, f32)>,
    /// Height filled, from the top.
    pub used: f32,
}

/// Pages one pagination may make, whatever the input.
const MAX_PAGES: usize = 100_000;

/// Breaks chunks into pages of `height` pt. Returns the pages and whether any chunk
/// was taller than a page (and so overflows it).
pub(crate) fn paginate(chunks: &[Chunk], height: f32) -> (Vec<Page>, bool) {
    paginate_faces(chunks, &[height])
}

/// Pages from a stream of chunks that arrive a batch at a time (the handbook's entries):
/// each [`Paginator::feed`] returns the pages that later chunks cannot change, moving
/// their chunks' items onto them; the last two pages wait for more. The pages are those
/// one [`paginate`] of all the chunks would make.
pub(crate) struct Paginator {
    height: f32,
    /// Chunks not yet on a finished page.
    waiting: Vec<Chunk>,
    /// Pages already given out (a repeated table header goes on later pages only).
    given: bool,
    pub overflow: bool,
}

impl Paginator {
    pub(crate) fn new(height: f32) -> Paginator {
        Paginator {
            height,
            waiting: Vec::new(),
            given: false,
            overflow: false,
        }
    }

    /// A paginator that goes on where another stood: `waiting` the chunks not yet on a
    /// finished page, `given` whether it had given out pages. Fed the same chunks after,
    /// it makes the pages the other would have.
    pub(crate) fn resume(height: f32, waiting: Vec<Chunk>, given: bool) -> Paginator {
        Paginator {
            height,
            waiting,
            given,
            overflow: false,
        }
    }

    /// How many of the chunks fed are not yet on a finished page (the last ones).
    pub(crate) fn waiting(&self) -> usize {
        self.waiting.len()
    }

    /// Adds `chunks`; returns the pages now finished.
    pub(crate) fn feed(&mut self, chunks: Vec<Chunk>) -> Vec<Page> {
        self.waiting.extend(chunks);
        let heights = [self.height];
        // Where the pages would start, without touching the chunks.
        let plan = run(&mut self.waiting, &heights, self.given, Mode::Plan);
        // Pages decide their end by looking at most a page ahead (a chain that keeps
        // together), so all but the last two are final.
        let Some(&cut) = plan
            .starts
            .len()
            .checked_sub(2)
            .and_then(|k| plan.starts.get(k))
        else {
            return Vec::new();
        };
        if cut == 0 {
            return Vec::new();
        }
        let done = run(&mut self.waiting, &heights, self.given, Mode::Until(cut));
        if done.starts.last() == Some(&cut) {
            self.waiting.drain(..cut);
        } else {
            // The plan said a page starts at `cut` and the run passed it: it placed
            // everything (no item may be placed twice), so everything is given out.
            self.waiting.clear();
        }
        self.overflow |= done.overflow;
        self.given |= !done.pages.is_empty();
        done.pages
    }

    /// The pages of the chunks still waiting (none when nothing waits).
    pub(crate) fn finish(mut self) -> (Vec<Page>, bool) {
        if self.waiting.is_empty() {
            return (Vec::new(), self.overflow);
        }
        let done = run(&mut self.waiting, &[self.height], self.given, Mode::All);
        (done.pages, self.overflow || done.overflow)
    }
}

/// [`paginate`] with a height per page: page `n` is `heights[n]` pt tall, and pages
/// past the list as tall as its last (a card's front holds less than its back: the
/// footer is there).
pub(crate) fn paginate_faces(chunks: &[Chunk], heights: &[f32]) -> (Vec<Page>, bool) {
    let done = run(&mut chunks.to_vec(), heights, false, Mode::All);
    (done.pages, done.overflow)
}

#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// Every page, the chunks' items moved onto them.
    All,
    /// Only where pages start; the chunks stay as they are.
    Plan,
    /// The pages before chunk `n` (which starts a page), items moved.
    Until(usize),
}

struct Paginated {
    pages: Vec<Page>,
    /// The index of each page's first chunk.
    starts: Vec<usize>,
    overflow: bool,
}

/// The pagination itself. `continued`: pages came before these chunks (a table header
/// repeats on a page that starts with a row).
fn run(chunks: &mut [Chunk], heights: &[f32], continued: bool, mode: Mode) -> Paginated {
    let mut pages = Vec::new();
    let mut starts = vec![0];
    let mut page = PageBuilder::like(None);
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
            page = PageBuilder::like(pages.last());
            base = 0;
            starts.push(i);
            if mode == Mode::Until(i) {
                break;
            }
        }
        if c.page_break_before && c.height == 0.0 && c.items.is_empty() && c.markers.is_empty() {
            // A bare page break has done its work.
            i += 1;
            continue;
        }
        if page.y == 0.0
            && let Some(h) = &c.repeat
            && (!pages.is_empty() || continued)
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
            page = PageBuilder::like(pages.last());
            base = 0;
            starts.push(i);
            if mode == Mode::Until(i) {
                break;
            }
            continue;
        }
        if c.height > height + 0.01 {
            overflow = true;
        }
        page.place_taking(&mut chunks[i], sb, mode != Mode::Plan);
        i += 1;
    }
    let stopped = matches!(mode, Mode::Until(n) if n == i);
    if !stopped && (!page.is_empty() || (pages.is_empty() && !continued)) {
        pages.push(page.finish());
    } else if !stopped {
        // The last start was of a page that stays empty.
        starts.pop();
    }
    Paginated {
        pages,
        starts,
        overflow,
    }
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
    /// An empty page with room for as many items as `before` holds: pages of a run are
    /// alike, and the list grown from empty item by item was copied five or six
    /// times a page.
    fn like(before: Option<&Page>) -> PageBuilder {
        PageBuilder {
            items: Vec::with_capacity(before.map_or(64, |p| p.items.len())),
            ..PageBuilder::default()
        }
    }

    fn is_empty(&self) -> bool {
        self.placed == 0
    }

    /// Places `c`, moving its items onto the page (each chunk is placed once), or
    /// only taking its room when not `take` (planning).
    fn place_taking(&mut self, c: &mut Chunk, space_before: f32, take: bool) {
        let counts = c.height > 0.0 || !c.items.is_empty();
        let items = if take {
            std::mem::take(&mut c.items)
        } else {
            Vec::new()
        };
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

    /// Random chunks like a handbook's: lines, headings kept with what follows, long
    /// kept-together runs, page breaks, table rows with a repeated header, markers.
    fn random_chunks(seed: u64, n: usize) -> Vec<Chunk> {
        let mut numbers = crate::testing::xorshift(seed | 1);
        let mut next = move |m: u64| numbers() % m;
        // A line whose width names the chunk that drew it.
        let line = |width: f32| Item::Line {
            x1: 0.0,
            y1: 0.0,
            x2: 1.0,
            y2: 0.0,
            color: Default::default(),
            width,
            dash: false,
        };
        let header = Arc::new(Chunk {
            height: 12.0,
            items: vec![line(-1.0)],
            ..Default::default()
        });
        (0..n)
            .map(|i| {
                let kind = next(20);
                Chunk {
                    height: [0.0, 10.0, 14.0, 30.0, 95.0][next(5) as usize],
                    space_before: [0.0, 3.0, 8.0][next(3) as usize],
                    items: vec![line(i as f32)],
                    keep_with_next: kind < 6,
                    page_break_before: kind == 6,
                    repeat: (kind == 7 || kind == 8).then(|| header.clone()),
                    markers: if kind == 9 {
                        vec![Marker {
                            level: 2,
                            title: format!("m{i}"),
                            key: String::new(),
                        }]
                    } else {
                        Vec::new()
                    },
                    ..Default::default()
                }
            })
            .collect()
    }

    #[test]
    fn a_paginator_resumed_from_its_waiting_chunks_makes_the_same_pages() {
        for seed in 1..40u64 {
            let chunks = random_chunks(seed * 104_729, 300);
            let (whole, _) = paginate(&chunks, 100.0);
            // Fed in batches of 25; after batch `stop`, a new paginator takes over from
            // the chunks the first still holds (fresh copies of them, as a later build
            // lays them out again).
            let stop = 1 + seed as usize % 8;
            let mut p = Paginator::new(100.0);
            let mut fed = Vec::new();
            let batches: Vec<&[Chunk]> = chunks.chunks(25).collect();
            for b in &batches[..stop] {
                fed.extend(p.feed(b.to_vec()));
            }
            let consumed = stop * 25 - p.waiting();
            let given = !fed.is_empty();
            let mut p = Paginator::resume(100.0, chunks[consumed..stop * 25].to_vec(), given);
            for b in &batches[stop..] {
                fed.extend(p.feed(b.to_vec()));
            }
            fed.extend(p.finish().0);
            assert_eq!(format!("{fed:?}"), format!("{whole:?}"), "seed {seed}");
        }
    }

    #[test]
    fn pages_fed_in_batches_are_the_pages_of_one_pagination() {
        for seed in 1..60u64 {
            let chunks = random_chunks(seed * 7919, 400);
            let (whole, overflow) = paginate(&chunks, 100.0);
            let mut p = Paginator::new(100.0);
            let mut fed = Vec::new();
            let mut rest = chunks.as_slice();
            let mut k = 0;
            while !rest.is_empty() {
                // Batches of 1 to 40 chunks.
                let take = (1 + (seed as usize * 31 + k * 17) % 40).min(rest.len());
                fed.extend(p.feed(rest[..take].to_vec()));
                rest = &rest[take..];
                k += 1;
            }
            let (last, last_overflow) = p.finish();
            fed.extend(last);
            assert_eq!(overflow, last_overflow);
            assert_eq!(
                format!("{fed:?}"),
                format!("{whole:?}"),
                "seed {seed}: {} pages fed, {} in one",
                fed.len(),
                whole.len()
            );
        }
    }

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
