//! The one deterministic PRNG of the tests (xorshift64*): seeded, so a
//! failing random case can be run again from its seed. Shared by the
//! integration tests (`mod support;`) and the crate's unit tests
//! (`#[path]`); not a dependency, not for anything but tests.

/// xorshift64*: small, fast and good enough to shake out edge cases.
#[derive(Debug, Clone)]
pub struct Rng(u64);

#[allow(dead_code)] // each test crate uses its own subset
impl Rng {
    /// A generator from `seed` (0 is replaced: xorshift would stay at 0).
    pub fn new(seed: u64) -> Rng {
        Rng(if seed == 0 {
            0x9E37_79B9_7F4A_7C15
        } else {
            seed
        })
    }
    /// The next 64 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % (n as u64).max(1)) as usize
    }
    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    /// True with probability `1 / n`.
    pub fn one_in(&mut self, n: usize) -> bool {
        self.below(n) == 0
    }
    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    /// Up to `max` pieces of awkward text: quotes, backslashes, right to
    /// left, Turkish, an emoji, a newline.
    pub fn text(&mut self, max: usize) -> String {
        const PIECES: [&str; 8] = ["a", "Checkout ", "\"", "\\", "ש", "ğ", "😀", "\n"];
        (0..self.below(max)).map(|_| *self.pick(&PIECES)).collect()
    }
}
