//! How the index is written: compact lists, base64, JavaScript string literals.

/// FNV-1a of the UTF-8 bytes: the same function in search.js picks the shard.
pub(crate) fn fnv(s: &str) -> u32 {
    let mut h: u32 = 0x811c9dc5;
    for b in s.bytes() {
        h ^= b as u32;
        h = h.wrapping_mul(0x01000193);
    }
    h
}

/// A sorted list of doc ids as text: "" when empty, "v" + base64 of delta varints, or
/// "b" + base64 of a bitmap (for lists holding many of the documents).
pub(super) fn encode(list: &[u32], n: usize) -> String {
    if list.is_empty() {
        return String::new();
    }
    let mut varints = Vec::with_capacity(list.len() * 2);
    let mut prev = 0u32;
    for (i, &d) in list.iter().enumerate() {
        let mut v = if i == 0 { d } else { d - prev };
        prev = d;
        loop {
            let byte = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                varints.push(byte);
                break;
            }
            varints.push(byte | 0x80);
        }
    }
    let bitmap_len = n.div_ceil(8);
    if bitmap_len < varints.len() {
        let mut bits = vec![0u8; bitmap_len];
        for &d in list {
            bits[d as usize / 8] |= 1 << (d % 8);
        }
        format!("b{}", base64(&bits))
    } else {
        format!("v{}", base64(&varints))
    }
}

/// The list [`encode`] made of a sorted list of `n` documents' ids; `None` when `s` is
/// not one it could have made (a damaged saved index).
pub(super) fn decode(s: &str, n: usize) -> Option<Vec<u32>> {
    let Some(kind) = s.bytes().next() else {
        return Some(Vec::new());
    };
    let bytes = unbase64(&s[1..])?;
    let mut list = Vec::new();
    match kind {
        b'b' => {
            for (i, &byte) in bytes.iter().enumerate() {
                for bit in 0..8 {
                    if byte & (1 << bit) != 0 {
                        let d = u32::try_from(i * 8 + bit).ok()?;
                        if d as usize >= n {
                            return None;
                        }
                        list.push(d);
                    }
                }
            }
        }
        b'v' => {
            let (mut v, mut shift, mut prev) = (0u64, 0u32, None::<u32>);
            for &byte in &bytes {
                v |= u64::from(byte & 0x7f).checked_shl(shift)?;
                shift += 7;
                if shift > 35 {
                    return None;
                }
                if byte & 0x80 == 0 {
                    let d = match prev {
                        None => u32::try_from(v).ok()?,
                        Some(p) => p.checked_add(u32::try_from(v).ok()?)?,
                    };
                    if (prev.is_some() && v == 0) || d as usize >= n {
                        return None;
                    }
                    list.push(d);
                    prev = Some(d);
                    (v, shift) = (0, 0);
                }
            }
            if shift != 0 {
                return None;
            }
        }
        _ => return None,
    }
    Some(list)
}

/// Which of `ids` (sorted, each below `n`) the list [`encode`] made as `s` holds,
/// reading only as far as the last of them: a bitmap's bytes where they are, a list's
/// varints until past the last id. After one edit the index looks in every token's
/// lists for the entry changed, and decoding them all was a fifth of the search
/// index's time. `None` when what it reads is not what `encode` makes.
pub(super) fn held(s: &str, n: usize, ids: &[u32]) -> Option<Vec<bool>> {
    let Some(kind) = s.bytes().next() else {
        return Some(vec![false; ids.len()]);
    };
    let text = &s.as_bytes()[1..];
    match kind {
        b'b' => {
            if text.len() != n.div_ceil(8).div_ceil(3) * 4 {
                return None;
            }
            let quads = text.len() / 4;
            ids.iter()
                .map(|&d| {
                    let byte = d as usize / 8;
                    let k = byte / 3;
                    let (bytes, len) = unquad(text.get(k * 4..k * 4 + 4)?, k + 1 == quads)?;
                    let b = bytes[..len].get(byte % 3)?;
                    Some(b & (1 << (d % 8)) != 0)
                })
                .collect()
        }
        b'v' => {
            let mut out = vec![false; ids.len()];
            let Some(&last) = ids.last() else {
                return Some(out);
            };
            let mut next = 0;
            let (mut v, mut shift, mut prev) = (0u64, 0u32, None::<u32>);
            if text.len() % 4 != 0 {
                return None;
            }
            let quads = text.len() / 4;
            // A quad at a time, as base64 groups them: 3 bytes each.
            for (k, quad) in text.chunks(4).enumerate() {
                let (bytes, len) = unquad(quad, k + 1 == quads)?;
                for &byte in &bytes[..len] {
                    v |= u64::from(byte & 0x7f).checked_shl(shift)?;
                    shift += 7;
                    if shift > 35 {
                        return None;
                    }
                    if byte & 0x80 != 0 {
                        continue;
                    }
                    let d = match prev {
                        None => u32::try_from(v).ok()?,
                        Some(p) => p.checked_add(u32::try_from(v).ok()?)?,
                    };
                    if (prev.is_some() && v == 0) || d as usize >= n {
                        return None;
                    }
                    while next < ids.len() && ids[next] < d {
                        next += 1;
                    }
                    if next < ids.len() && ids[next] == d {
                        out[next] = true;
                    }
                    if d >= last {
                        return Some(out);
                    }
                    prev = Some(d);
                    (v, shift) = (0, 0);
                }
            }
            (shift == 0).then_some(out)
        }
        _ => None,
    }
}

fn unbase64(s: &str) -> Option<Vec<u8>> {
    let s = s.as_bytes();
    if s.len() % 4 != 0 {
        return None;
    }
    let mut out = Vec::with_capacity(s.len() / 4 * 3);
    for (k, quad) in s.chunks(4).enumerate() {
        let (bytes, len) = unquad(quad, k + 1 == s.len() / 4)?;
        out.extend_from_slice(&bytes[..len]);
    }
    Some(out)
}

/// The bytes of one base64 quad and how many of them there are (padding only in the
/// `last` quad).
fn unquad(quad: &[u8], last: bool) -> Option<([u8; 3], usize)> {
    let value = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    if quad.len() != 4 {
        return None;
    }
    let pad = quad.iter().rev().take_while(|&&c| c == b'=').count();
    if pad > 2 || (pad > 0 && !last) {
        return None;
    }
    let mut v = 0u32;
    for &c in &quad[..4 - pad] {
        v = v << 6 | value(c)?;
    }
    v <<= 6 * pad as u32;
    Some(([(v >> 16) as u8, (v >> 8) as u8, v as u8], 3 - pad))
}

fn base64(b: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(b.len().div_ceil(3) * 4);
    for c in b.chunks(3) {
        let n = (c[0] as u32) << 16
            | (*c.get(1).unwrap_or(&0) as u32) << 8
            | *c.get(2).unwrap_or(&0) as u32;
        for k in 0..4 {
            if k <= c.len() {
                out.push(T[(n >> (18 - 6 * k)) as usize & 63] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// A JavaScript string literal.
pub(super) fn js(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            '<' => out.push_str("\\u003c"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c if (c as u32) < 0x20 => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_pick_the_smaller_form_and_strings_escape() {
        assert!(encode(&[1, 5, 300], 1000).starts_with('v'));
        let dense: Vec<u32> = (0..1000).step_by(2).collect();
        assert!(encode(&dense, 1000).starts_with('b'));
        assert_eq!(base64(b"abc"), "YWJj");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(js("a\"<b>\n"), "\"a\\\"\\u003cb>\\n\"");
    }

    #[test]
    fn lists_decode_to_what_was_encoded_and_damage_is_refused() {
        let lists: [Vec<u32>; 6] = [
            vec![],
            vec![0],
            vec![1, 5, 300, 70_000],
            (0..1000).step_by(2).collect(),
            (0..1000).collect(),
            vec![999],
        ];
        for n in [1000, 100_000] {
            for list in lists.iter().filter(|l| l.iter().all(|&d| (d as usize) < n)) {
                assert_eq!(decode(&encode(list, n), n).as_ref(), Some(list));
            }
        }
        for bad in ["x", "vA", "v!!!!", "v/w==", "bAAAA=", "b//////", "b////"] {
            assert_eq!(decode(bad, 10), None, "{bad}");
        }
        // An id past the number of documents, a repeated id.
        assert_eq!(decode(&encode(&[12], 13), 12), None);
        assert_eq!(decode("vAQA=", 10), None);
    }

    #[test]
    fn which_ids_a_list_holds_is_read_without_decoding_it_all() {
        // Lists in both forms, of ids spread and bunched, against ids asked in and out.
        let mut seed = 7u64;
        let mut next = |m: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % m
        };
        for n in [1usize, 9, 1000, 30_000] {
            for density in [1, 3, 50, 1000] {
                let list: Vec<u32> = (0..n as u32).filter(|_| next(density) == 0).collect();
                let enc = encode(&list, n);
                for _ in 0..20 {
                    let mut ids: Vec<u32> =
                        (0..1 + next(4)).map(|_| next(n as u64) as u32).collect();
                    ids.sort_unstable();
                    ids.dedup();
                    let want: Vec<bool> =
                        ids.iter().map(|d| list.binary_search(d).is_ok()).collect();
                    assert_eq!(held(&enc, n, &ids), Some(want), "n {n}, {enc:.20}, {ids:?}");
                }
            }
        }
        assert_eq!(held("", 10, &[3]), Some(vec![false]));
        // Damage where it reads is refused: a bitmap of the wrong length, a bad
        // character, padding before the end, an id repeated or past the documents.
        for bad in [
            "x",
            "vA",
            "v!!!!",
            "v/w==AAAA",
            "bAAAA=",
            "b//////",
            "vAQA=",
        ] {
            assert_eq!(held(bad, 10, &[9]), None, "{bad}");
        }
        assert_eq!(held(&encode(&[12], 13), 12, &[11]), None);
    }
}
