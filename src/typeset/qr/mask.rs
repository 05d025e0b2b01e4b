//! A QR code's mask, chosen as qrcodegen chooses it, on rows of bits.
//!
//! The encoder draws the symbol with each of the eight masks and keeps the one its
//! penalty rules score lowest (ISO/IEC 18004 §7.8.3): runs of one colour (N1), 2 × 2
//! blocks (N2), finder-like patterns (N3), the balance of dark and light (N4).
//! qrcodegen scores each mask module by module, nine tenths of its time for a card's
//! code. Here the symbol qrcodegen drew with mask 0 is turned into the other seven by
//! flipping its data modules a row (and a column) of bits at a time, and each is scored
//! on those bits by qrcodegen's rules as it applies them: the tests hold the choice to
//! qrcodegen's own. Codes up to 64 modules a side (version 11) are scored here; a card's
//! address needs version 2 to 4, and a wider code is left to qrcodegen.

use std::sync::OnceLock;

use qrcodegen::{QrCode, QrCodeEcc};

/// The highest version scored here: the last whose rows of modules fit a `u64`.
const MAX_VERSION: u8 = 11;

/// qrcodegen's penalty weights.
const N1: i32 = 3;
const N2: i32 = 3;
const N3: i32 = 40;
const N4: i32 = 10;

/// Rows of modules, bit `x` of row `y` the module at column `x` (dark is 1).
type Rows = Vec<u64>;

/// What every code of a version shares.
struct Tables {
    /// For each mask, the data modules it flips: by rows and by columns (bit `y` of
    /// column `x`).
    flips: [(Rows, Rows); 8],
    /// Where the format information goes: (x, y, its bit), bit 15 for the module that
    /// is always dark.
    format: Vec<(u8, u8, u8)>,
}

/// The symbol qrcodegen would print for the data of `code`, drawn with mask 0: its rows
/// of modules with the mask qrcodegen's rules score lowest. `None` for a code of a
/// version above [`MAX_VERSION`].
pub(super) fn best(code: &QrCode) -> Option<Rows> {
    let base = Base::of(code)?;
    let mut best = (i32::MAX, 0);
    let (mut rows, mut cols) = (vec![0; base.n], vec![0; base.n]);
    for mask in 0..8 {
        base.draw(mask, &mut rows, &mut cols);
        let p = penalty(&rows, &cols, base.n);
        // The first of equal scores, as qrcodegen keeps it.
        if p < best.0 {
            best = (p, mask);
        }
    }
    base.draw(best.1, &mut rows, &mut cols);
    Some(rows)
}

/// A code with neither mask nor format bits: what each mask is drawn over.
struct Base {
    n: usize,
    rows: Rows,
    cols: Rows,
    ecl: u32,
    tables: &'static Tables,
}

impl Base {
    fn of(code: &QrCode) -> Option<Base> {
        if code.mask().value() != 0 {
            return None;
        }
        // None past MAX_VERSION.
        let tables = tables(code.version().value())?;
        let n = usize::try_from(code.size()).ok()?;
        let (mut rows, mut cols) = (vec![0u64; n], vec![0u64; n]);
        for (y, row) in rows.iter_mut().enumerate() {
            for (x, col) in cols.iter_mut().enumerate() {
                if code.get_module(x as i32, y as i32) {
                    *row |= 1 << x;
                    *col |= 1 << y;
                }
            }
        }
        // Mask 0 taken off: the data modules as encoded.
        let (fr, fc) = &tables.flips[0];
        for i in 0..n {
            rows[i] ^= fr[i];
            cols[i] ^= fc[i];
        }
        for &(x, y, _) in &tables.format {
            rows[usize::from(y)] &= !(1 << x);
            cols[usize::from(x)] &= !(1 << y);
        }
        let ecl = match code.error_correction_level() {
            QrCodeEcc::Low => 1,
            QrCodeEcc::Medium => 0,
            QrCodeEcc::Quartile => 3,
            QrCodeEcc::High => 2,
        };
        Some(Base {
            n,
            rows,
            cols,
            ecl,
            tables,
        })
    }

    /// The symbol with `mask`, into `rows` and `cols`.
    fn draw(&self, mask: usize, rows: &mut [u64], cols: &mut [u64]) {
        let (fr, fc) = &self.tables.flips[mask];
        for i in 0..self.n {
            rows[i] = self.rows[i] ^ fr[i];
            cols[i] = self.cols[i] ^ fc[i];
        }
        let bits = format_bits(self.ecl, mask as u32) | 1 << 15;
        for &(x, y, bit) in &self.tables.format {
            if bits >> bit & 1 == 1 {
                rows[usize::from(y)] |= 1 << x;
                cols[usize::from(x)] |= 1 << y;
            }
        }
    }
}

/// The 15 format bits of error correction level `ecl` (as the symbol writes it) and
/// `mask`, with their BCH code (as qrcodegen's `draw_format_bits`).
fn format_bits(ecl: u32, mask: u32) -> u32 {
    let data = ecl << 3 | mask;
    let mut rem = data;
    for _ in 0..10 {
        rem = (rem << 1) ^ ((rem >> 9) * 0x537);
    }
    (data << 10 | rem) ^ 0x5412
}

/// The tables of `version` (1 to [`MAX_VERSION`]), made on first use.
fn tables(version: u8) -> Option<&'static Tables> {
    static ALL: [OnceLock<Tables>; MAX_VERSION as usize] =
        [const { OnceLock::new() }; MAX_VERSION as usize];
    let slot = ALL.get(usize::from(version).checked_sub(1)?)?;
    Some(slot.get_or_init(|| Tables::new(version)))
}

impl Tables {
    /// Where a code of `version` has its function modules (finders, separators, timing,
    /// alignment, format and version information), as qrcodegen draws them; which
    /// modules each mask flips (the others); where the format bits go.
    fn new(version: u8) -> Tables {
        let n = 17 + 4 * usize::from(version);
        let mut function = vec![false; n * n];
        let mut mark = |x: usize, y: usize| function[y * n + x] = true;
        for i in 0..n {
            mark(6, i);
            mark(i, 6);
        }
        // Finders with their separators: 9 × 9 around each centre, clipped.
        for (cx, cy) in [(3, 3), (n - 4, 3), (3, n - 4)] {
            for y in cy.saturating_sub(4)..(cy + 5).min(n) {
                for x in cx.saturating_sub(4)..(cx + 5).min(n) {
                    mark(x, y);
                }
            }
        }
        let align = alignment_positions(version, n);
        let last = align.len().saturating_sub(1);
        for (i, &ax) in align.iter().enumerate() {
            for (j, &ay) in align.iter().enumerate() {
                if (i, j) == (0, 0) || (i, j) == (0, last) || (i, j) == (last, 0) {
                    continue;
                }
                for y in ay - 2..=ay + 2 {
                    for x in ax - 2..=ax + 2 {
                        mark(x, y);
                    }
                }
            }
        }
        let mut format = Vec::with_capacity(31);
        for i in 0..6 {
            format.push((8, i, i));
        }
        format.extend([(8, 7, 6), (8, 8, 7), (7, 8, 8)]);
        for i in 9..15 {
            format.push((14 - i, 8, i));
        }
        for i in 0..8 {
            format.push((n - 1 - i, 8, i));
        }
        for i in 8..15 {
            format.push((8, n - 15 + i, i));
        }
        format.push((8, n - 8, 15));
        for &(x, y, _) in &format {
            mark(x, y);
        }
        if version >= 7 {
            for i in 0..18 {
                let (a, b) = (n - 11 + i % 3, i / 3);
                mark(a, b);
                mark(b, a);
            }
        }
        let flips = std::array::from_fn(|mask| {
            let (mut rows, mut cols) = (vec![0u64; n], vec![0u64; n]);
            for y in 0..n {
                for x in 0..n {
                    if !function[y * n + x] && flips(mask, x, y) {
                        rows[y] |= 1 << x;
                        cols[x] |= 1 << y;
                    }
                }
            }
            (rows, cols)
        });
        let format = format
            .into_iter()
            .map(|(x, y, bit)| (x as u8, y as u8, bit as u8))
            .collect();
        Tables { flips, format }
    }
}

/// The centres of the alignment patterns along a side, as qrcodegen places them.
fn alignment_positions(version: u8, n: usize) -> Vec<usize> {
    if version == 1 {
        return Vec::new();
    }
    let v = usize::from(version);
    let count = v / 7 + 2;
    let step = if v == 32 {
        26
    } else {
        (v * 4 + count * 2 + 1) / (count * 2 - 2) * 2
    };
    let mut out: Vec<usize> = (0..count - 1).map(|i| n - 7 - i * step).collect();
    out.push(6);
    out.reverse();
    out
}

/// Whether `mask` flips the module at column `x`, row `y` (ISO/IEC 18004 table 10).
fn flips(mask: usize, x: usize, y: usize) -> bool {
    match mask {
        0 => (x + y) % 2 == 0,
        1 => y % 2 == 0,
        2 => x % 3 == 0,
        3 => (x + y) % 3 == 0,
        4 => (x / 3 + y / 2) % 2 == 0,
        5 => x * y % 2 + x * y % 3 == 0,
        6 => (x * y % 2 + x * y % 3) % 2 == 0,
        _ => ((x + y) % 2 + x * y % 3) % 2 == 0,
    }
}

/// qrcodegen's penalty of a symbol of side `n`, given by rows and by columns.
fn penalty(rows: &[u64], cols: &[u64], n: usize) -> i32 {
    let mut p: i32 = rows.iter().chain(cols).map(|&l| line_penalty(l, n)).sum();
    // 2 × 2 blocks of one colour: bit x set where modules x and x + 1 of two rows match.
    let inner = (1u64 << (n - 1)) - 1;
    for pair in rows.windows(2) {
        let across = !(pair[0] ^ pair[1]);
        let along = !(pair[0] ^ (pair[0] >> 1));
        p += N2 * (across & (across >> 1) & along & inner).count_ones() as i32;
    }
    let dark: i32 = rows.iter().map(|r| r.count_ones() as i32).sum();
    let total = (n * n) as i32;
    // The smallest k >= 0 with (45 - 5k) % <= dark / total <= (55 + 5k) %.
    let k = ((dark * 20 - total * 10).abs() + total - 1) / total - 1;
    p + k * N4
}

/// N1 and N3 of one row or column of `n` modules. On the bits where they allow it:
/// runs of five or more by counting windows of five, finder-like patterns by matching
/// the one-module pattern, which is the only one possible without a dark run of six
/// or more (a pattern `k` modules to the unit has a dark run of `3k`). Such a line is
/// walked run by run ([`walked_penalty`]), as qrcodegen walks every line.
fn line_penalty(line: u64, n: usize) -> i32 {
    let all = u64::MAX >> (64 - n);
    let dark_six = line & line >> 1 & line >> 2 & line >> 3 & line >> 4 & line >> 5;
    if dark_six != 0 {
        return walked_penalty(line, n);
    }
    long_runs(line, all) + long_runs(!line & all, all) + finders_of_one(line) * N3
}

/// N1 of the runs of set bits of `bits`: a run of `len` >= 5 scores `N1 + len - 5`,
/// which is its windows of five (`len - 4`) plus two.
fn long_runs(bits: u64, all: u64) -> i32 {
    let fives = bits & bits >> 1 & bits >> 2 & bits >> 3 & bits >> 4 & all;
    let starts = fives & !(fives << 1);
    fives.count_ones() as i32 + (N1 - 1) * starts.count_ones() as i32
}

/// Finder-like patterns of one module to the unit (light, dark, light, 3 dark, light,
/// dark, light), each counted once for four light modules after it and once for four
/// before it (qrcodegen's `count_patterns`; the light border counts as light).
fn finders_of_one(line: u64) -> i32 {
    // Eight light modules of border on either side.
    let d = u128::from(line) << 8;
    let l = !d;
    // Bit p: the pattern's light module before it is p.
    let at = l & d >> 1 & l >> 2 & d >> 3 & d >> 4 & d >> 5 & l >> 6 & d >> 7 & l >> 8;
    let before = l & l << 1 & l << 2 & l << 3;
    let after = l >> 8 & l >> 9 & l >> 10 & l >> 11;
    ((at & before).count_ones() + (at & after).count_ones()) as i32
}

/// N1 and N3 of one line, run by run in the order qrcodegen walks the modules.
fn walked_penalty(line: u64, n: usize) -> i32 {
    let n1 = |len: i32| if len >= 5 { N1 + len - 5 } else { 0 };
    let mut history = History::new(n as i32);
    let mut p = 0;
    // qrcodegen starts with a light run of none: a line that starts dark ends it at once.
    let mut dark = line & 1 == 1;
    if dark {
        history.add(0);
        p += history.count() * N3;
    }
    let mut start = 0;
    // Bit x set where modules x and x + 1 differ: where a run ends.
    let mut edges = (line ^ (line >> 1)) & ((1u64 << (n - 1)) - 1);
    while edges != 0 {
        let end = edges.trailing_zeros() as i32 + 1;
        let len = end - start;
        p += n1(len);
        history.add(len);
        if !dark {
            p += history.count() * N3;
        }
        dark = !dark;
        start = end;
        edges &= edges - 1;
    }
    let len = n as i32 - start;
    p + n1(len) + history.finish(dark, len) * N3
}

/// The last seven runs of a line, for finder-like patterns (qrcodegen's
/// `FinderPenalty`, to the letter: the light border counts as part of the end runs).
struct History {
    n: i32,
    runs: [i32; 7],
}

impl History {
    fn new(n: i32) -> History {
        History { n, runs: [0; 7] }
    }

    fn add(&mut self, mut len: i32) {
        if self.runs[0] == 0 {
            len += self.n;
        }
        self.runs.copy_within(0..6, 1);
        self.runs[0] = len;
    }

    /// Right after a light run was added: 0, 1 or 2 finder-like patterns end there.
    fn count(&self) -> i32 {
        let r = &self.runs;
        let n = r[1];
        let core = n > 0 && r[2] == n && r[3] == n * 3 && r[4] == n && r[5] == n;
        i32::from(core && r[0] >= n * 4 && r[6] >= n)
            + i32::from(core && r[6] >= n * 4 && r[0] >= n)
    }

    fn finish(mut self, dark: bool, mut len: i32) -> i32 {
        if dark {
            self.add(len);
            len = 0;
        }
        self.add(len + self.n);
        self.count()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use qrcodegen::{Mask, QrSegment, Version};

    fn code(data: &str, mask: Option<u8>) -> QrCode {
        let segs = QrSegment::make_segments(data);
        QrCode::encode_segments_advanced(
            &segs,
            QrCodeEcc::Medium,
            Version::MIN,
            Version::MAX,
            mask.map(Mask::new),
            true,
        )
        .unwrap()
    }

    fn rows_of(code: &QrCode) -> Rows {
        let n = code.size();
        (0..n)
            .map(|y| (0..n).fold(0, |r, x| r | u64::from(code.get_module(x, y)) << x))
            .collect()
    }

    /// The side of a code of [`MAX_VERSION`], in modules.
    const MAX_SIDE: usize = 17 + 4 * MAX_VERSION as usize;

    /// Data of every kind and length up to a version-12 code, from a fixed seed.
    fn samples() -> Vec<String> {
        let mut next = crate::testing::xorshift(0x2545_f491_4f6c_dd1d);
        let sets: [&[u8]; 3] = [
            b"0123456789",
            b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:",
            b"abcdefghijklmnopqrstuvwxyz0123456789/-._:?=&",
        ];
        let mut out = Vec::new();
        for i in 0..1500 {
            let set = sets[i % 3];
            let len = 1 + (next() % 420) as usize;
            out.push(
                (0..len)
                    .map(|_| set[(next() % set.len() as u64) as usize] as char)
                    .collect(),
            );
        }
        out.extend((1..=400).map(|i| format!("https://example.org/jiaoyu/p{i:04}/")));
        out
    }

    /// Each mask drawn over the base is, module for module, the code qrcodegen draws
    /// with that mask, at every version scored here: the function modules, the masks
    /// and the format bits are right.
    #[test]
    fn every_mask_is_drawn_as_qrcodegen_draws_it() {
        let mut versions = [false; MAX_VERSION as usize];
        for len in (1..=330).step_by(7) {
            let data = "x".repeat(len);
            let zero = code(&data, Some(0));
            let Some(base) = Base::of(&zero) else {
                assert!(zero.size() as usize > MAX_SIDE);
                continue;
            };
            versions[usize::from(zero.version().value()) - 1] = true;
            let (mut rows, mut cols) = (vec![0; base.n], vec![0; base.n]);
            for mask in 0..8u8 {
                base.draw(usize::from(mask), &mut rows, &mut cols);
                let theirs = rows_of(&code(&data, Some(mask)));
                assert_eq!(rows, theirs, "{len} bytes, mask {mask}");
                for (x, col) in cols.iter().enumerate() {
                    let t: u64 = (0..base.n).fold(0, |c, y| c | (theirs[y] >> x & 1) << y);
                    assert_eq!(*col, t, "{len} bytes, mask {mask}, column {x}");
                }
            }
        }
        assert!(versions.iter().all(|&v| v), "versions seen: {versions:?}");
    }

    /// The mask chosen is qrcodegen's own choice, for data of every kind, size and
    /// error correction level (boosted where it fits), and every mask gets chosen.
    #[test]
    fn the_mask_chosen_is_qrcodegens_choice() {
        let mut chosen = [0; 8];
        let mut wide = 0;
        for data in samples() {
            let theirs = code(&data, None);
            match best(&code(&data, Some(0))) {
                Some(rows) => {
                    assert_eq!(rows, rows_of(&theirs), "{data}");
                    chosen[usize::from(theirs.mask().value())] += 1;
                }
                None => wide += 1,
            }
        }
        assert!(chosen.iter().all(|&c| c > 20), "masks chosen: {chosen:?}");
        assert!(wide > 0, "no code wider than {MAX_SIDE} modules was tried");
    }

    /// The penalty on bits is the run-by-run walk's, on lines of every width scored
    /// here: random ones, and ones holding patterns of one to four modules a unit,
    /// near the ends or not, with four light modules on either side or fewer.
    #[test]
    fn a_line_scored_on_bits_scores_as_walked() {
        let mut next = crate::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        let mut patterns = 0;
        for i in 0..200_000 {
            let n = 21 + (i % 11) * 4;
            let mut line = next() & (u64::MAX >> (64 - n));
            if i % 3 == 0 {
                // A finder-like pattern, k modules to the unit, at a random place.
                let k = 1 + (next() % 4) as usize;
                let at = (next() % n as u64) as usize;
                for (j, dark) in [1, 0, 1, 1, 1, 0, 1].iter().enumerate() {
                    for m in 0..k {
                        let x = at + j * k + m;
                        if x < n {
                            line = line & !(1 << x) | (dark << x);
                        }
                    }
                }
                if i % 2 == 0 {
                    // Light on either side, four units or three.
                    let pad = k * (3 + (next() % 2) as usize);
                    for x in at.saturating_sub(pad)..at {
                        line &= !(1 << x);
                    }
                    for x in at + 7 * k..(at + 7 * k + pad).min(n) {
                        line &= !(1 << x);
                    }
                }
            }
            let walked = walked_penalty(line, n);
            patterns += i32::from(walked >= N3);
            assert_eq!(line_penalty(line, n), walked, "{line:#b}, {n} modules");
        }
        assert!(patterns > 10_000, "only {patterns} lines with a pattern");
    }

    #[test]
    fn a_code_drawn_with_another_mask_is_not_taken() {
        assert!(best(&code("https://example.org/", Some(3))).is_none());
    }
}
