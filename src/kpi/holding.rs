//! Who held which started task when: per-person intervals of WIP, for load over time and for
//! "assigned while busy". Also the end-of-day and business-day helpers those need.

use std::collections::BTreeMap;

use chrono::TimeZone;
use chrono_tz::Tz;

use super::over_time::Intervals;
use crate::model::calendar::{date, Day};
use crate::model::{Category, Name, Timeline, Ts};

/// Per person, the sorted starts and ends of the intervals `[start, end)` in which they held a
/// started, unfinished task.
#[derive(Debug, Default)]
pub struct Holding {
    people: BTreeMap<Name, Intervals>,
}

impl Holding {
    /// Builds the intervals of every task.
    pub fn of(tasks: &[&Timeline]) -> Holding {
        let mut people: BTreeMap<Name, Intervals> = BTreeMap::new();
        for t in tasks {
            for (person, start, end) in held_intervals(t) {
                let open = (end != Ts::MAX).then_some(end);
                people.entry(person).or_default().push(start, open);
            }
        }
        let people = people.into_iter().map(|(p, i)| (p, i.sorted())).collect();
        Holding { people }
    }

    /// Started tasks `person` held at instant `t`.
    pub fn at(&self, person: &str, t: Ts) -> usize {
        self.people.get(person).map_or(0, |i| i.at(t))
    }

    /// Started tasks `person` held just before instant `t`.
    pub fn before(&self, person: &str, t: Ts) -> usize {
        self.people.get(person).map_or(0, |i| i.before(t))
    }
}

/// The intervals in which each assignee held the task while it was started and unfinished.
/// Open intervals end at `Ts::MAX`.
pub fn held_intervals(t: &Timeline) -> Vec<(Name, Ts, Ts)> {
    // Merge category changes and assignee changes in time order (assignments first on ties,
    // as a row's assignee is applied before its status).
    let mut changes: Vec<(Ts, u8, usize)> =
        Vec::with_capacity(t.transitions.len() + t.assignments.len());
    changes.extend(t.assignments.iter().enumerate().map(|(i, a)| (a.ts, 0, i)));
    changes.extend(t.transitions.iter().enumerate().map(|(i, x)| (x.ts, 1, i)));
    changes.sort_unstable();
    let mut category = Category::Todo;
    let mut holders: Vec<Name> = Vec::new();
    let mut open: Vec<(Name, Ts)> = Vec::new();
    let mut out = Vec::new();
    for (ts, kind, i) in changes {
        if kind == 0 {
            holders = t.assignments[i].to.clone();
        } else {
            category = t.transitions[i].category;
        }
        let should: Vec<&Name> = if category.is_wip() {
            holders.iter().collect()
        } else {
            Vec::new()
        };
        open.retain(|(p, since)| {
            let keep = should.contains(&p);
            if !keep {
                out.push((*p, *since, ts));
            }
            keep
        });
        for p in should {
            if !open.iter().any(|(q, _)| q == p) {
                open.push((*p, ts));
            }
        }
    }
    out.extend(open.into_iter().map(|(p, since)| (p, since, Ts::MAX)));
    out
}

/// The last instant of local day `day` (23:59:59), capped at `cap`.
pub fn end_of_day(day: Day, tz: Tz, cap: Ts) -> Ts {
    let next = date(day + 1).and_hms_opt(0, 0, 0).expect("midnight exists");
    let t = tz
        .from_local_datetime(&next)
        .earliest()
        .map_or((day as i64 + 1) * 86_400, |d| d.timestamp())
        - 1;
    t.min(cap)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::calendar::local_day;
    use crate::model::timestamp::parse_instant;

    fn ts(s: &str) -> Ts {
        parse_instant(s, None).unwrap()
    }

    #[test]
    fn end_of_day_is_local() {
        let berlin: Tz = "Europe/Berlin".parse().unwrap();
        let day = local_day(ts("2026-03-02T12:00:00Z"), berlin);
        assert_eq!(end_of_day(day, berlin, Ts::MAX), ts("2026-03-02T22:59:59Z"));
    }
}
