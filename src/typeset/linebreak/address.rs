//! Where a web or mail address (a host written without `http://` too) may break. UAX #14 allows a break only after `/`, so an
//! address like `https://zwgk.qinghe.gov.cn/…` went whole to the next line and left the
//! Chinese before it spread a character apart (更 多 信 息 见). Inside an address the
//! breaks are those of the Chicago Manual (14.18): after `:`, `/` or `//` and `=`,
//! before `.` `?` `#` `%` `~` `_` `@` and `&`. A line that ends
//! inside an address never looks like a sentence's end, and the next starts with a mark
//! that shows it goes on. Tests in `tests.rs`.

use super::Atom;

/// Marks the break opportunities inside the addresses in `atoms` into `table` (one slot
/// per atom, `table[i]` is between `atoms[i - 1]` and `atoms[i]`), leaving every other
/// slot as it is.
pub(super) fn breaks(atoms: &[Atom], table: &mut [Option<bool>]) {
    let mut i = 0;
    while i < atoms.len() {
        // A run of printable ASCII, not started in the middle of a word.
        if !atoms[i].ch.is_ascii_graphic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < atoms.len() && atoms[i].ch.is_ascii_graphic() {
            i += 1;
        }
        let end = trim_end(atoms, start, i);
        if is_address(atoms, start, end) {
            mark(atoms, table, start, end);
        }
    }
}

/// The run without the sentence's punctuation after it (`见 https://a.cn/x。` has none,
/// `see https://a.cn/x.` has one).
fn trim_end(atoms: &[Atom], start: usize, mut end: usize) -> usize {
    while end > start
        && matches!(
            atoms[end - 1].ch,
            '.' | ',' | ';' | ':' | '!' | '?' | ')' | '"' | '\''
        )
    {
        end -= 1;
    }
    end
}

/// A web address (`http://`, `https://`, `www.`) or a mail address (`name@host.cn`).
fn is_address(atoms: &[Atom], start: usize, end: usize) -> bool {
    let text = |from: usize, pat: &str| {
        pat.chars()
            .enumerate()
            .all(|(k, p)| from + k < end && atoms[from + k].ch.eq_ignore_ascii_case(&p))
    };
    // From the run's first letter: `（网址：https://…` has `：` before it, outside the run.
    let first = (start..end).find(|&k| atoms[k].ch.is_ascii_alphanumeric());
    let Some(first) = first else {
        return false;
    };
    if text(first, "http://") || text(first, "https://") || text(first, "www.") {
        return true;
    }
    let at = (first..end).find(|&k| atoms[k].ch == '@');
    if at.is_some_and(|at| at > first && (at + 1..end).any(|k| atoms[k].ch == '.')) {
        return true;
    }
    // A host written without http:// (zwgk.qinghe.gov.cn/col/…), as handbooks often
    // do: a top-level domain that ends the run or is followed by / or :.
    (first + 1..end).any(|k| {
        atoms[k].ch == '.'
            && ["cn", "com", "gov", "org", "net", "edu"].iter().any(|tld| {
                text(k + 1, tld)
                    && (k + 1 + tld.len() == end
                        || matches!(atoms[k + 1 + tld.len()].ch, '/' | ':' | '.'))
            })
    })
}

/// The opportunities between the address's characters, in place of UAX #14's (which
/// also breaks after `?`, and a line ending in `?` reads as a question): none before
/// its first character nor before its last (a line does not end on `.c` with `n` on
/// the next).
fn mark(atoms: &[Atom], table: &mut [Option<bool>], start: usize, end: usize) {
    for j in start + 1..end {
        let (prev, next) = (atoms[j - 1].ch, atoms[j].ch);
        let after = matches!(prev, ':' | '/' | '=') && next != '/';
        let before = matches!(next, '.' | '?' | '#' | '%' | '~' | '_' | '@' | '&');
        table[j] = ((after || before) && j + 1 < end).then_some(false);
    }
}
