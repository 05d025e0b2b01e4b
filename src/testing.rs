//! What unit tests share.

/// Numbers from a fixed seed (xorshift64; `seed` not 0): the same every run, so a
/// failure found on random input repeats.
pub(crate) fn xorshift(mut seed: u64) -> impl FnMut() -> u64 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    }
}
