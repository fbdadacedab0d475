//! Nearest-rank percentiles with the minimum sample sizes of KPIS.md.

use serde::Serialize;

/// Smallest sample that shows a P85.
pub const MIN_N_P85: usize = 12;
/// Smallest sample that shows a P95.
pub const MIN_N_P95: usize = 20;

/// `x[ceil(p·n)]` (1-based) of ascending `sorted`, with `pct` in whole percent. Integer
/// arithmetic, so P85 of 20 values is exactly the 17th.
pub fn nearest_rank(sorted: &[i32], pct: u32) -> Option<i32> {
    if sorted.is_empty() {
        return None;
    }
    let n = sorted.len();
    let rank = (pct as usize * n).div_ceil(100).clamp(1, n);
    Some(sorted[rank - 1])
}

/// P50, P85 and P95 of a sample, with the high percentiles hidden on small samples.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Percentiles {
    /// Sample size.
    pub count: usize,
    /// Median.
    pub p50: Option<i32>,
    /// 85th percentile (hidden below 12 samples).
    pub p85: Option<i32>,
    /// 95th percentile (hidden below 20 samples).
    pub p95: Option<i32>,
}

impl Percentiles {
    /// Percentiles the task table worked out (nearest rank), with the high ones hidden on
    /// small samples.
    pub fn from_sample(s: super::table::Sample) -> Percentiles {
        Percentiles {
            count: s.count,
            p50: s.p50,
            p85: s.p85.filter(|_| s.count >= MIN_N_P85),
            p95: s.p95.filter(|_| s.count >= MIN_N_P95),
        }
    }

    /// Percentiles of unsorted values.
    pub fn of(values: &[i32]) -> Percentiles {
        let mut v = values.to_vec();
        v.sort_unstable();
        let n = v.len();
        Percentiles {
            count: n,
            p50: nearest_rank(&v, 50),
            p85: (n >= MIN_N_P85).then(|| nearest_rank(&v, 85)).flatten(),
            p95: (n >= MIN_N_P95).then(|| nearest_rank(&v, 95)).flatten(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_returns_observed_values() {
        let v: Vec<i32> = (1..=20).collect();
        assert_eq!(nearest_rank(&v, 85), Some(17));
        assert_eq!(nearest_rank(&v, 95), Some(19));
        assert_eq!(nearest_rank(&v, 50), Some(10));
        assert_eq!(nearest_rank(&[7], 50), Some(7));
        assert_eq!(nearest_rank(&[1, 2, 3], 15), Some(1));
        assert_eq!(nearest_rank(&[], 50), None);
    }

    #[test]
    fn small_samples_hide_the_high_percentiles() {
        let eleven = Percentiles::of(&[5, 1, 4, 2, 3, 9, 8, 7, 6, 10, 11]);
        assert_eq!(
            (eleven.count, eleven.p50, eleven.p85, eleven.p95),
            (11, Some(6), None, None)
        );
        let twelve = Percentiles::of(&(1..=12).collect::<Vec<_>>());
        // ceil(0.85 × 12) = 11th value.
        assert_eq!((twelve.p85, twelve.p95), (Some(11), None));
    }
}
