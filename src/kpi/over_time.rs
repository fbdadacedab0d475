//! Work in progress over time, in one place: intervals `[start, end)` kept as two sorted lists,
//! so "how many are open at instant t" is two binary searches, and the end of each day of a
//! window as the instants to ask at. WIP per day, WIP per person (holding) and the cumulative
//! flow all count with it.

use chrono_tz::Tz;

use super::holding::end_of_day;
use crate::model::calendar::Day;
use crate::model::Ts;

/// Intervals `[start, end)`; an interval still open has no end.
#[derive(Debug, Default, Clone)]
pub struct Intervals {
    starts: Vec<Ts>,
    ends: Vec<Ts>,
}

impl Intervals {
    /// Adds an interval (`end` = `None`: still open).
    pub fn push(&mut self, start: Ts, end: Option<Ts>) {
        self.starts.push(start);
        self.ends.extend(end);
    }

    /// Sorts the lists; call once after the last push.
    pub fn sorted(mut self) -> Intervals {
        self.starts.sort_unstable();
        self.ends.sort_unstable();
        self
    }

    /// Intervals open at instant `t` (started at or before it, not ended by it).
    pub fn at(&self, t: Ts) -> usize {
        self.starts.partition_point(|&x| x <= t) - self.ends.partition_point(|&x| x <= t)
    }

    /// Intervals open just before instant `t`.
    pub fn before(&self, t: Ts) -> usize {
        self.starts.partition_point(|&x| x < t) - self.ends.partition_point(|&x| x < t)
    }

    /// Intervals started at or before `t`, ended or not (a cumulative count).
    pub fn started_by(&self, t: Ts) -> usize {
        self.starts.partition_point(|&x| x <= t)
    }
}

/// The last `days` local days up to `today`, each with the instant its end falls on (capped at
/// the as-of time).
pub fn day_ends(today: Day, days: i32, tz: Tz, as_of: Ts) -> impl Iterator<Item = (Day, Ts)> {
    ((today - days + 1)..=today).map(move |d| (d, end_of_day(d, tz, as_of)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_intervals_are_counted_at_and_before_an_instant() {
        let mut i = Intervals::default();
        i.push(10, Some(20));
        i.push(15, None);
        let i = i.sorted();
        assert_eq!(
            (i.at(9), i.at(10), i.at(19), i.at(20), i.at(99)),
            (0, 1, 2, 1, 1)
        );
        assert_eq!((i.before(10), i.before(20)), (0, 2));
        assert_eq!(i.started_by(99), 2);
    }
}
