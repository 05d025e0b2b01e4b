//! QR codes: how big a code some data needs, checked where the print markup asks for
//! one (so data that cannot be printed scannably stops the run at its place in the
//! template), and the code itself, made when it is laid out.

mod mask;

/// Error correction level M at least: a card on a wall may get a stain or a fold over a
/// seventh of it (a higher level where the data leaves room for it in the same size).
const ECL: qrcodegen::QrCodeEcc = qrcodegen::QrCodeEcc::Medium;

/// The smallest module a phone reads at arm's length off a printed card, in mm: the
/// usual guidance for print is 0.3 mm and up (the codes on the default cards are about
/// 0.6 mm a module).
const MIN_MODULE_MM: f32 = 0.3;

/// Data codewords of versions 1–40 at level M (ISO/IEC 18004, table 7).
const DATA_CODEWORDS_M: [u16; 40] = [
    16, 28, 44, 64, 86, 108, 124, 154, 182, 216, 254, 290, 334, 365, 415, 453, 507, 563, 627, 669,
    714, 782, 860, 914, 1000, 1062, 1128, 1193, 1267, 1373, 1455, 1541, 1631, 1725, 1812, 1914,
    1992, 2102, 2216, 2334,
];

/// The mode the encoder picks for `data` (the same rule as qrcodegen's: digits only,
/// then the 45-character alphanumeric set, else bytes): 0, 1 or 2.
fn mode(data: &[u8]) -> usize {
    if data.iter().all(u8::is_ascii_digit) {
        0
    } else if data
        .iter()
        .all(|&c| c.is_ascii_digit() || c.is_ascii_uppercase() || b" $%*+-./:".contains(&c))
    {
        1
    } else {
        2
    }
}

/// The bits `n` characters of `mode` take in `version` (mode, count and payload).
fn bits(n: usize, mode: usize, version: usize) -> usize {
    // Bits of the character count: per mode, for versions 1–9, 10–26 and 27–40.
    const COUNT: [[usize; 3]; 3] = [[10, 12, 14], [9, 11, 13], [8, 16, 16]];
    let band = match version {
        ..=9 => 0,
        10..=26 => 1,
        _ => 2,
    };
    let payload = match mode {
        0 => 10 * (n / 3) + [0, 4, 7][n % 3],
        1 => 11 * (n / 2) + 6 * (n % 2),
        _ => 8 * n,
    };
    4 + COUNT[mode][band] + payload
}

/// The version (1–40) a code of `data` needs, or `None` when no QR code holds it.
fn version_for(data: &[u8]) -> Option<usize> {
    let m = mode(data);
    (1..=40).find(|&v| bits(data.len(), m, v) <= usize::from(DATA_CODEWORDS_M[v - 1]) * 8)
}

/// The most bytes of data of this kind (digits, alphanumeric, any) one code holds.
fn max_len(data: &[u8]) -> usize {
    let m = mode(data);
    let room = usize::from(DATA_CODEWORDS_M[39]) * 8;
    // From above the answer (over 3 bits a character at best) down to it.
    let mut n = room / 3;
    while bits(n, m, 40) > room {
        n -= 1;
    }
    n
}

/// Modules along a side of a code of `version`.
fn modules(version: usize) -> usize {
    17 + 4 * version
}

/// Why a code of `data` printed `size` points square cannot be scanned, if it cannot:
/// more than any code holds, or modules too small for a phone to tell apart. Asked by
/// the markup at its `<qr>`: at layout it would be a card printed without its code.
pub(crate) fn unprintable(data: &str, size: f32) -> Option<String> {
    let len = data.len();
    // Which card it is, for a template that prints every entry's address.
    let shown = || match data.char_indices().nth(40) {
        Some((at, _)) => format!("{}…", &data[..at]),
        None => data.to_string(),
    };
    let Some(version) = version_for(data.as_bytes()) else {
        return Some(tr!(
            "markup-qr-too-long",
            data = shown(),
            len = len,
            max = max_len(data.as_bytes())
        ));
    };
    let n = modules(version) as f32;
    let size_mm = size / super::style::MM;
    let module = size_mm / n;
    (module < MIN_MODULE_MM).then(|| {
        tr!(
            "markup-qr-too-dense",
            data = shown(),
            len = len,
            size = format!("{size_mm:.0}"),
            module = format!("{module:.2}"),
            need = format!("{:.0}", (n * MIN_MODULE_MM).ceil())
        )
    })
}

/// The code of `data`: its side in modules and its modules row by row (dark is
/// `true`); `None` when it holds too much (the markup checks that first).
pub(crate) fn encode(data: &str) -> Option<(usize, Vec<bool>)> {
    use qrcodegen::{Mask, QrCode, QrSegment, Version};
    let segments = QrSegment::make_segments(data);
    let drawn = |mask| {
        QrCode::encode_segments_advanced(&segments, ECL, Version::MIN, Version::MAX, mask, true)
            .ok()
    };
    // Drawn with mask 0, then given the mask qrcodegen's rules choose ([`mask`]).
    let code = drawn(Some(Mask::new(0)))?;
    let n = usize::try_from(code.size()).ok()?;
    let dark = match mask::best(&code) {
        Some(rows) => rows
            .iter()
            .flat_map(|r| (0..n).map(move |x| r >> x & 1 == 1))
            .collect(),
        None => {
            let code = drawn(None)?;
            let at = |i: usize| code.get_module((i % n) as i32, (i / n) as i32);
            (0..n * n).map(at).collect()
        }
    };
    Some((n, dark))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(mode: usize, len: usize) -> Vec<u8> {
        let set: &[u8] = match mode {
            0 => b"0123456789",
            1 => b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:",
            _ => b"https://example.org/zhengce/p0001.html?a=b&c=d",
        };
        (0..len).map(|i| set[(i * 7) % set.len()]).collect()
    }

    /// At every version's edge, for each mode: the longest data the table fits in a
    /// version is what qrcodegen puts in a code of that size, and one byte more takes the
    /// next version (or no code at all past version 40).
    #[test]
    fn versions_match_the_encoder_at_every_edge() {
        for m in 0..3 {
            let mut len = 1;
            for v in 1..=40 {
                while version_for(&sample(m, len + 1)) == Some(v) {
                    len += 1;
                }
                let data = sample(m, len);
                assert_eq!(mode(&data), m);
                assert_eq!(version_for(&data), Some(v), "mode {m} len {len}");
                let (n, dark) = encode(std::str::from_utf8(&data).unwrap()).unwrap();
                assert_eq!(n, modules(v), "mode {m} len {len}");
                assert_eq!(dark.len(), n * n);
                let more = sample(m, len + 1);
                let (n, _) = encode(std::str::from_utf8(&more).unwrap()).unwrap_or((0, vec![]));
                match v {
                    40 => {
                        assert_eq!(version_for(&more), None);
                        assert_eq!(n, 0, "qrcodegen encodes {} bytes, mode {m}", len + 1);
                        assert_eq!(max_len(&data), len, "mode {m}");
                    }
                    _ => assert_eq!(n, modules(v + 1), "mode {m} len {}", len + 1),
                }
                len += 1;
            }
        }
    }

    #[test]
    fn the_largest_codes_hold_what_the_standard_says() {
        assert_eq!(max_len(b"1"), 5596);
        assert_eq!(max_len(b"A"), 3391);
        assert_eq!(max_len(b"a"), 2331);
        // A web address in lower case is bytes: 43 of them, one more than version 3
        // holds.
        let url = "https://zwgk.qinghe.gov.cn/mingbai/p/1.html";
        assert_eq!(version_for(url.as_bytes()), Some(4));
        assert_eq!(encode(url).unwrap().0, modules(4));
    }
}
