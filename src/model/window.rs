//! The plausibility window of dates: an instant before 1990 or after the build machine's clock
//! is a typo or damage, never a reason to move "now" or to draw centuries of empty weeks.

use super::event::Ts;

/// 1990-01-01T00:00:00Z: nothing a team tracks today happened earlier.
pub const EARLIEST: Ts = 631_152_000;

/// Slack after the build machine's clock: time zones and clock skew, never a real future.
pub const CLOCK_SLACK: Ts = 2 * 86_400;

/// Events later than the rest of the data by more than this are typos (a year written `2206`).
pub const FAR_AFTER: Ts = 365 * 86_400;

/// The instants a build accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Earliest accepted instant.
    pub earliest: Ts,
    /// Latest accepted instant.
    pub latest: Ts,
}

impl Window {
    /// From 1990 to the build machine's clock (plus two days of slack).
    pub fn until_now() -> Window {
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as Ts);
        Window::until(now)
    }

    /// From 1990 to `now` (plus two days of slack).
    pub fn until(now: Ts) -> Window {
        Window {
            earliest: EARLIEST,
            latest: now.max(EARLIEST) + CLOCK_SLACK,
        }
    }

    /// Every instant (for tests and tools that read files of any age).
    pub fn unbounded() -> Window {
        Window {
            earliest: Ts::MIN + 1,
            latest: Ts::MAX,
        }
    }

    /// `ts` if it is plausible, else why not; `text` is the value as written.
    pub fn check(&self, ts: Ts, text: &str) -> Result<Ts, String> {
        if ts < self.earliest {
            Err(format!(
                "implausible date '{text}': before 1990 (a typo or a placeholder date?)"
            ))
        } else if ts > self.latest {
            Err(format!(
                "implausible date '{text}': after the build machine's clock (a typo in the year?)"
            ))
        } else {
            Ok(ts)
        }
    }

    /// `day` (days since the Unix epoch), a due date, if it is plausible: from 1990 to
    /// [`DUE_YEARS_AHEAD`] years after the build machine's clock (due dates lie in the future);
    /// else why not. `text` is the value as written.
    pub fn check_due(&self, day: i32, text: &str) -> Result<i32, String> {
        let ts = day as Ts * 86_400;
        if ts < self.earliest {
            Err(format!(
                "implausible date '{text}': before 1990 (a typo or a placeholder date?)"
            ))
        } else if ts > self.latest.saturating_add(DUE_YEARS_AHEAD * 366 * 86_400) {
            Err(format!(
                "implausible date '{text}': more than {DUE_YEARS_AHEAD} years after the build \
                 machine's clock (a typo in the year?)"
            ))
        } else {
            Ok(day)
        }
    }
}

/// How far after the build machine's clock a due date may lie.
pub const DUE_YEARS_AHEAD: i64 = 20;

/// An instant as RFC 3339 in UTC, or as seconds when chrono cannot represent it.
pub fn show(ts: Ts) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_else(|| format!("{ts} s after 1970"))
}

/// Of `times`, how many at the top lie more than [`FAR_AFTER`] after all the others: at most
/// 5, or one in two hundred of them, so a real burst of recent work is never cut, and only in
/// logs of 200 events or more (in a handful, a quiet year can be real). Only the top of
/// `times` is put in order (the rest is left partitioned below it): what the count reads.
pub fn far_after_count(times: &mut [Ts]) -> usize {
    let n = times.len();
    if n < 200 {
        return 0;
    }
    let allowed = (n / 200).max(5);
    let top = n - (allowed + 1).min(n);
    times.select_nth_unstable(top);
    times[top..].sort_unstable();
    let sorted = &*times;
    (1..=allowed.min(n.saturating_sub(1)))
        .rev()
        .find(|&k| sorted[n - k] - sorted[n - k - 1] > FAR_AFTER)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_before_1990_or_after_the_clock_are_refused() {
        let w = Window::until(1_780_000_000);
        assert!(w.check(EARLIEST - 1, "1989-12-31").is_err());
        assert!(w.check(1_780_000_000 + CLOCK_SLACK + 1, "x").is_err());
        assert_eq!(w.check(1_700_000_000, "x"), Ok(1_700_000_000));
    }

    #[test]
    fn a_lone_typo_far_after_the_rest_is_counted_but_a_recent_burst_is_not() {
        let day = 86_400;
        let mut ts: Vec<Ts> = (0..2000).map(|i| i * day / 10).collect();
        assert_eq!(far_after_count(&mut ts), 0);
        ts.push(ts[1999] + 400 * day);
        ts.push(ts[1999] + 401 * day);
        assert_eq!(far_after_count(&mut ts), 2);
        // In any order: the typos first, the rest newest first.
        ts.reverse();
        assert_eq!(far_after_count(&mut ts), 2);
        // Two typos chained half a year apart, both over a year after the rest.
        let mut ts: Vec<Ts> = (0..250).map(|i| i * day).collect();
        ts.push(ts[249] + 500 * day);
        ts.push(ts[249] + 700 * day);
        ts.swap(0, 251);
        assert_eq!(far_after_count(&mut ts), 2);
        let mut few = [0, day, 800 * day];
        assert_eq!(far_after_count(&mut few), 0);
    }
}
