//! How the index is written: compact lists, base64, JavaScript string literals.

/// FNV-1a of the UTF-8 bytes: the same function in search.js picks the shard.
pub fn fnv(s: &str) -> u32 {
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
}
