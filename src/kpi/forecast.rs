//! Monte Carlo forecast from the last 12 complete weeks of throughput: how many tasks in the next
//! 4 weeks, and when the open work would be done. 10,000 trials with a named, portable PRNG
//! (PCG-64 MCG) and a fixed seed, so every run on every machine gives the same numbers.

use rand::{Rng, SeedableRng};
use rand_pcg::Pcg64Mcg;
use serde::Serialize;

use super::KpiId;
use super::{Kpi, Status};
use crate::model::calendar::{iso, week_start, Day};

/// Trials per forecast.
pub const TRIALS: usize = 10_000;
/// Complete weeks sampled.
pub const HISTORY_WEEKS: usize = 12;
/// Fewest complete weeks that make a forecast.
const MIN_WEEKS: usize = 6;
/// Weeks ahead for "how many".
pub const HORIZON_WEEKS: u32 = 4;
/// Longest simulated "when" (10 years), reported when reached.
const CAP_WEEKS: u32 = 520;

/// The forecast's results and the inputs needed to reproduce it.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Forecast {
    /// Weekly throughput sampled (oldest first).
    pub samples: Vec<u32>,
    /// PRNG seed.
    pub seed: u64,
    /// Trials run.
    pub trials: usize,
    /// Weeks ahead for `how_many`.
    pub horizon_weeks: u32,
    /// Tasks finished in the horizon at 50/85/95 % confidence ("or more").
    pub how_many: [u32; 3],
    /// Open tasks (to do and in progress) the "when" forecast burns down.
    pub backlog: usize,
    /// Weeks to finish the backlog at 50/85/95 % confidence ("or sooner").
    pub when_weeks: [u32; 3],
    /// Last day of those weeks, `YYYY-MM-DD`.
    pub when_dates: [String; 3],
    /// Trials that hit the 10-year cap.
    pub capped_trials: usize,
    /// How many trials gave each total in the horizon, from 0 up.
    pub histogram: Vec<u32>,
}

/// A uniform draw from the samples: `S[floor(u · len)]` with `u` from the top 53 bits.
fn draw(rng: &mut Pcg64Mcg, samples: &[u32]) -> u32 {
    let u = (rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
    samples[((u * samples.len() as f64) as usize).min(samples.len() - 1)]
}

/// Runs both forecasts. `today` is the as-of day; "when" starts on the next Monday.
pub fn run(samples: &[u32], backlog: usize, seed: u64, today: Day) -> Forecast {
    let mut rng = Pcg64Mcg::seed_from_u64(seed);
    let mut totals: Vec<u32> = (0..TRIALS)
        .map(|_| (0..HORIZON_WEEKS).map(|_| draw(&mut rng, samples)).sum())
        .collect();
    totals.sort_unstable();
    // "p % chance of finishing X or more": X = totals[floor((1 − p) · N)].
    let how_many = [50, 85, 95].map(|p| totals[(100 - p) * TRIALS / 100]);
    let mut histogram = vec![0u32; totals.last().map_or(0, |&m| m as usize + 1)];
    for &t in &totals {
        histogram[t as usize] += 1;
    }
    let mut capped = 0;
    let mut weeks: Vec<u32> = (0..TRIALS)
        .map(|_| {
            let (mut left, mut w) = (backlog as i64, 0);
            while left > 0 && w < CAP_WEEKS {
                left -= draw(&mut rng, samples) as i64;
                w += 1;
            }
            if left > 0 {
                capped += 1;
            }
            w
        })
        .collect();
    weeks.sort_unstable();
    // "p % chance of being done within D weeks": D = weeks[ceil(p · N) − 1].
    let when_weeks = [50, 85, 95].map(|p| weeks[(p * TRIALS).div_ceil(100) - 1]);
    let start = week_start(today) + 7;
    let when_dates = when_weeks.map(|w| iso(start + 7 * w as i32 - 1));
    Forecast {
        samples: samples.to_vec(),
        seed,
        trials: TRIALS,
        horizon_weeks: HORIZON_WEEKS,
        how_many,
        backlog,
        when_weeks,
        when_dates,
        capped_trials: capped,
        histogram,
    }
}

/// The forecast KPI: shown with its confidence, no target. n/a with too little history or no
/// throughput at all.
pub fn forecast(
    complete_weeks: &[u32],
    backlog: usize,
    seed: u64,
    today: Day,
) -> (Option<Forecast>, Kpi) {
    let target = "no target: a range with its confidence, for planning".to_string();
    let samples = &complete_weeks[complete_weeks.len().saturating_sub(HISTORY_WEEKS)..];
    let missing = if samples.len() < MIN_WEEKS {
        Some(format!(
            "fewer than {MIN_WEEKS} complete weeks of throughput ({})",
            samples.len()
        ))
    } else if samples.iter().all(|&s| s == 0) {
        Some(format!(
            "no task finished in the last {} complete weeks",
            samples.len()
        ))
    } else {
        None
    };
    if let Some(reason) = missing {
        return (None, Kpi::not_available(KpiId::Forecast, target, reason));
    }
    let f = run(samples, backlog, seed, today);
    let reason = format!(
        "85 % chance of {} or more tasks in the next {HORIZON_WEEKS} weeks; the {} open tasks done by {} (85 %)",
        f.how_many[1], backlog, f.when_dates[1]
    );
    let kpi = Kpi {
        value: Some(f.how_many[1] as f64),
        status: Status::Ok,
        reason: Some(reason),
        ..Kpi::new(KpiId::Forecast, target)
    };
    (Some(f), kpi)
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: [u32; 12] = [3, 5, 0, 4, 6, 2, 4, 3, 7, 1, 5, 4];

    #[test]
    fn the_same_seed_gives_the_same_forecast() {
        assert_eq!(run(&S, 40, 42, 20_000), run(&S, 40, 42, 20_000));
        assert_ne!(run(&S, 40, 42, 20_000).how_many, [0; 3]);
    }

    #[test]
    fn forecasts_are_ordered_and_within_what_the_samples_allow() {
        let f = run(&S, 40, 1, 20_000);
        // Mean 44/12 ≈ 3.67 a week: 4 weeks ≈ 14.7, 40 tasks ≈ 11 weeks.
        assert!(
            f.how_many[0] >= f.how_many[1] && f.how_many[1] >= f.how_many[2],
            "{:?}",
            f.how_many
        );
        assert!((12..=17).contains(&f.how_many[0]), "{:?}", f.how_many);
        assert!(f.when_weeks[0] <= f.when_weeks[1] && f.when_weeks[1] <= f.when_weeks[2]);
        assert!((10..=13).contains(&f.when_weeks[0]), "{:?}", f.when_weeks);
        assert_eq!(f.histogram.iter().sum::<u32>() as usize, TRIALS);
        assert_eq!(f.capped_trials, 0);
    }

    #[test]
    fn golden_values_pin_the_generator_and_sampling() {
        // Recorded once from PCG-64 MCG seed 20260101; a change here means forecasts changed
        // for every user, which needs a note in the changelog, not a silent update. The "when"
        // weeks (11/13/15 for 40 tasks) agree with an independent simulation of the same
        // samples (a different PRNG, 10,000 trials) in the KPI notes.
        let f = run(&S, 40, 20_260_101, 20_000);
        assert_eq!((f.how_many, f.when_weeks), GOLDEN);
    }

    const GOLDEN: ([u32; 3], [u32; 3]) = ([15, 11, 8], [11, 13, 15]);

    #[test]
    fn a_constant_history_forecasts_exactly() {
        // Every week 5: 4 weeks → 20 at every confidence; 12 tasks → 3 weeks (5+5+5 ≥ 12).
        let f = run(&[5; 12], 12, 9, 20_000);
        assert_eq!(f.how_many, [20, 20, 20]);
        assert_eq!(f.when_weeks, [3, 3, 3]);
        // Day 20000 is 2024-10-04 (Friday): the next Monday is 2024-10-07; 3 weeks end 2024-10-27.
        assert_eq!(f.when_dates[0], "2024-10-27");
    }

    #[test]
    fn too_little_history_or_no_throughput_is_not_available() {
        assert_eq!(
            forecast(&[3, 4, 5], 10, 1, 20_000).1.status,
            Status::NotAvailable
        );
        let (_, k) = forecast(&[0; 12], 10, 1, 20_000);
        assert!(k.reason.unwrap().contains("no task finished"));
    }
}
