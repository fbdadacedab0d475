//! A small seeded generator for the randomised tests: the same numbers on every machine and
//! every run, so a failure can be replayed.

/// A linear congruential generator (Knuth's MMIX constants).
pub struct Seeded(u64);

impl Seeded {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Seeded {
        Seeded(seed)
    }

    /// The next number below `n` (which is not 0).
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize % n
    }
}
