//! The task table: after replay, one polars `DataFrame` per evaluation holds a row per task of
//! every team (team, type, labels, assignees, the days it was created, started, done or
//! cancelled, its due date, its cycle, lead and age in days…). The table-shaped KPIs are lazy
//! polars queries over it — weekly throughput with 1/k credit, started and finished per week,
//! cycle- and lead-time percentiles (nearest rank: polars' `Equiprobable` quantile is
//! `x[ceil(p·n)]`) with the SLE hit rate, due-date reliability, WIP by person and the skills
//! matrix — and the downloads (`items.csv`, `cycle-data.csv`, `items.parquet`) are written
//! from it. No polars type leaves this module: queries return plain Rust values.

use std::borrow::Cow;
use std::collections::BTreeMap;

use chrono_tz::Tz;
use polars::prelude::*;

use super::teams::Team;
use crate::config::Config;
use crate::model::calendar::{days_inclusive, local_day};
use crate::model::{Category, Timeline, Ts};

/// Label for throughput credit of tasks done with nobody assigned.
pub const UNASSIGNED: &str = "(unassigned)";

/// The task table of one evaluation.
pub struct TaskTable {
    pub(super) df: DataFrame,
}

/// One task as `items.csv` lists it (display-ready strings).
#[derive(Debug, Clone, PartialEq)]
pub struct ItemRow {
    /// The task's fields in `items.csv` order.
    pub cells: Vec<String>,
}

/// Nearest-rank percentiles of a sample with its size.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sample {
    /// Values in the sample.
    pub count: usize,
    /// P50, P85, P95 (nearest rank), when the sample is not empty.
    pub p50: Option<i32>,
    /// P85.
    pub p85: Option<i32>,
    /// P95.
    pub p95: Option<i32>,
}

/// Completions per (person, label), demand per label, and the people who finished work.
pub struct Skills {
    /// Completions per (person, label).
    pub done: BTreeMap<(String, String), u32>,
    /// Finished plus open tasks per label.
    pub demand: BTreeMap<String, u32>,
    /// Everyone who finished a task in the window.
    pub holders: std::collections::BTreeSet<String>,
}

/// The committed due date of a task: the one in force when it started, else the first one set
/// (dates set after it was done don't count).
pub fn committed_due(t: &Timeline) -> Option<i32> {
    let done = t.done?;
    let changes: Vec<&(i64, i32)> = t.due_changes.iter().filter(|(ts, _)| *ts <= done).collect();
    match t.start {
        Some(start) => changes
            .iter()
            .rev()
            .find(|(ts, _)| *ts <= start)
            .or(changes.first())
            .map(|c| c.1),
        None => changes.first().map(|c| c.1),
    }
}

/// `text.to_lowercase()`, without a copy when it is already lower-case ASCII.
pub(super) fn lower_case(text: &str) -> Cow<'_, str> {
    match text.is_ascii() && !text.bytes().any(|b| b.is_ascii_uppercase()) {
        true => text.into(),
        false => text.to_lowercase().into(),
    }
}

/// Column builders, one value pushed per task; text borrowed from the timelines.
#[derive(Default)]
struct Columns<'a> {
    team: Vec<u32>,
    row: Vec<u32>,
    task_id: Vec<&'a str>,
    title: Vec<Option<&'a str>>,
    item_type: Vec<Option<&'a str>>,
    status: Vec<Option<&'a str>>,
    category: Vec<&'static str>,
    assignees: Vec<String>,
    created: Vec<i32>,
    started: Vec<Option<i32>>,
    done: Vec<Option<i32>>,
    cancelled: Vec<Option<i32>>,
    due: Vec<Option<i32>>,
    due_committed: Vec<Option<i32>>,
    entered_doing: Vec<Option<i32>>,
    entered_waiting: Vec<Option<i32>>,
    done_ts: Vec<Option<i64>>,
    cycle_days: Vec<Option<i32>>,
    lead_days: Vec<Option<i32>>,
    age_days: Vec<Option<i32>>,
    blocked_days: Vec<f64>,
    credit: Vec<f64>,
    credit_people: Lists,
    holders: Lists,
    wip_people: Lists,
    labels: Lists,
}

/// A column of string lists, built without a `Series` per row.
struct Lists(ListStringChunkedBuilder);

impl Default for Lists {
    fn default() -> Self {
        Lists(ListStringChunkedBuilder::new(PlSmallStr::EMPTY, 1024, 1024))
    }
}

impl Lists {
    fn push<'a>(&mut self, items: impl Iterator<Item = &'a str>) {
        self.0.append_values_iter(items);
    }

    fn column(mut self, name: &str) -> Column {
        self.0.finish().into_series().with_name(name.into()).into()
    }
}

impl<'a> Columns<'a> {
    /// Builders with room for `n` tasks.
    fn with_capacity(n: usize) -> Self {
        Columns {
            team: Vec::with_capacity(n),
            row: Vec::with_capacity(n),
            task_id: Vec::with_capacity(n),
            title: Vec::with_capacity(n),
            item_type: Vec::with_capacity(n),
            status: Vec::with_capacity(n),
            category: Vec::with_capacity(n),
            assignees: Vec::with_capacity(n),
            created: Vec::with_capacity(n),
            started: Vec::with_capacity(n),
            done: Vec::with_capacity(n),
            cancelled: Vec::with_capacity(n),
            due: Vec::with_capacity(n),
            due_committed: Vec::with_capacity(n),
            entered_doing: Vec::with_capacity(n),
            entered_waiting: Vec::with_capacity(n),
            done_ts: Vec::with_capacity(n),
            cycle_days: Vec::with_capacity(n),
            lead_days: Vec::with_capacity(n),
            age_days: Vec::with_capacity(n),
            blocked_days: Vec::with_capacity(n),
            credit: Vec::with_capacity(n),
            ..Default::default()
        }
    }

    fn push(&mut self, team: u32, tz: Tz, t: &'a Timeline, as_of: Ts, config: &Config) {
        let day = |ts: Option<Ts>| ts.map(|x| local_day(x, tz));
        let entered = |cat: Category| {
            t.transitions
                .iter()
                .find(|x| x.category == cat)
                .map(|x| local_day(x.ts, tz))
        };
        let credit_people: Vec<&str> = if !t.assignees_at_done.is_empty() {
            t.assignees_at_done.iter().map(|p| &**p).collect()
        } else {
            vec![t.done_actor.as_deref().unwrap_or(UNASSIGNED)]
        };
        let holders: Vec<&str> = if t.assignees_at_done.is_empty() {
            t.done_actor.as_deref().into_iter().collect()
        } else {
            t.assignees_at_done.iter().map(|a| &**a).collect()
        };
        self.team.push(team);
        self.row.push(self.row.len() as u32);
        self.task_id.push(&t.task_id);
        self.title.push(t.title.as_deref());
        self.item_type.push(t.item_type.as_deref());
        self.status.push(t.status.as_deref());
        self.category.push(t.category.as_str());
        self.assignees.push(t.assignees.join(";"));
        self.created.push(local_day(t.created, tz));
        self.started.push(day(t.start));
        self.done.push(day(t.done));
        self.cancelled.push(day(t.cancelled));
        self.due.push(t.due);
        self.due_committed.push(committed_due(t));
        self.entered_doing.push(entered(Category::Doing));
        self.entered_waiting.push(entered(Category::Waiting));
        self.done_ts.push(t.done);
        self.cycle_days
            .push(t.start.zip(t.done).map(|(s, d)| days_inclusive(s, d, tz)));
        self.lead_days
            .push(t.done.map(|d| days_inclusive(t.created, d, tz)));
        self.age_days.push(
            t.start
                .filter(|_| t.category.is_wip())
                .map(|s| days_inclusive(s, as_of, tz)),
        );
        let until = t.done.or(t.cancelled).unwrap_or(as_of);
        self.blocked_days.push(super::round2(
            super::blocked_seconds(t, t.created, until) as f64 / 86_400.0,
        ));
        self.credit.push(1.0 / credit_people.len() as f64);
        self.credit_people.push(credit_people.into_iter());
        self.holders
            .push(holders.into_iter().filter(|p| !config.is_bot(p)));
        let wip: &[crate::model::Name] = if t.category.is_wip() {
            &t.assignees
        } else {
            &[]
        };
        self.wip_people.push(wip.iter().map(|p| &**p));
        let lower: Vec<Cow<str>> = t.labels.iter().map(|l| lower_case(l)).collect();
        self.labels.push(lower.iter().map(|l| &**l));
    }

    fn frame(self) -> PolarsResult<DataFrame> {
        let date = |name: &str, v: Vec<Option<i32>>| -> PolarsResult<Column> {
            Ok(Series::new(name.into(), v).cast(&DataType::Date)?.into())
        };

        let created: Vec<Option<i32>> = self.created.into_iter().map(Some).collect();
        DataFrame::new_infer_height(vec![
            Column::new("team".into(), self.team),
            Column::new("row".into(), self.row),
            Column::new("task_id".into(), self.task_id),
            Column::new("title".into(), self.title),
            Column::new("type".into(), self.item_type),
            Column::new("status".into(), self.status),
            Column::new("category".into(), self.category),
            Column::new("assignees".into(), self.assignees),
            date("created", created)?,
            date("started", self.started)?,
            date("done", self.done)?,
            date("cancelled", self.cancelled)?,
            date("due", self.due)?,
            date("due_committed", self.due_committed)?,
            date("entered_doing", self.entered_doing)?,
            date("entered_waiting", self.entered_waiting)?,
            Column::new("done_ts".into(), self.done_ts),
            Column::new("cycle_days".into(), self.cycle_days),
            Column::new("lead_days".into(), self.lead_days),
            Column::new("age_days".into(), self.age_days),
            Column::new("blocked_days".into(), self.blocked_days),
            Column::new("credit".into(), self.credit),
            self.credit_people.column("credit_people"),
            self.holders.column("holders"),
            self.wip_people.column("wip_people"),
            self.labels.column("labels"),
        ])
    }
}

impl TaskTable {
    /// The table of every team's tasks, as of `as_of`: each team's rows built on a worker,
    /// then stacked in team order.
    pub fn build(
        timelines: &[Timeline],
        teams: &[Team],
        config: &Config,
        as_of: Ts,
        jobs: usize,
    ) -> PolarsResult<TaskTable> {
        let parts = crate::model::par::map(teams.len(), jobs, |ti| {
            let mut c = Columns::with_capacity(teams[ti].tasks.len());
            for &i in &teams[ti].tasks {
                c.push(ti as u32, teams[ti].tz, &timelines[i], as_of, config);
            }
            c.frame()
        });
        vstack(parts)
    }

    /// The tables of consecutive runs of teams (each with its number of teams) as one, each
    /// part's team numbers shifted past the teams before it.
    pub fn stack(parts: Vec<(TaskTable, usize)>) -> PolarsResult<TaskTable> {
        let mut offset = 0u32;
        vstack(parts.into_iter().map(|(part, teams)| {
            let shifted = part
                .df
                .lazy()
                .with_column((col("team") + lit(offset)).alias("team"))
                .collect();
            offset += teams as u32;
            shifted
        }))
    }

    /// One team's rows, lazily.
    pub(super) fn team_frame(&self, team: usize) -> LazyFrame {
        self.team(team)
    }

    pub(super) fn team(&self, team: usize) -> LazyFrame {
        self.df
            .clone()
            .lazy()
            .filter(col("team").eq(lit(team as u32)))
    }
}

/// Frames of the same columns, one under the other (an empty table for none).
fn vstack(frames: impl IntoIterator<Item = PolarsResult<DataFrame>>) -> PolarsResult<TaskTable> {
    let mut df: Option<DataFrame> = None;
    for part in frames {
        let part = part?;
        match df.as_mut() {
            Some(d) => {
                d.vstack_mut(&part)?;
            }
            None => df = Some(part),
        }
    }
    let df = match df {
        Some(d) => d,
        None => Columns::default().frame()?,
    };
    Ok(TaskTable { df })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_lowered_as_to_lowercase_does() {
        for label in [
            "api", "Backend", "ÉQUIPE", "ǅemal", "Straße", "ΟΔΟΣ", "x-1_a b",
        ] {
            assert_eq!(lower_case(label), label.to_lowercase(), "{label}");
        }
        assert!(matches!(lower_case("api-v2"), Cow::Borrowed(_)));
    }

    #[test]
    fn polars_equiprobable_quantile_is_the_nearest_rank() {
        // x[ceil(p·n)], 1-based: n = 6, p = 0.5 → x3; p = 0.85 → x[ceil(5.1)] = x6.
        let s = Series::new("x".into(), [1i32, 2, 3, 4, 5, 6]);
        let df = DataFrame::new_infer_height(vec![s.into()]).unwrap();
        let q = |p: f64| col("x").quantile(lit(p), QuantileMethod::Equiprobable);
        let out = df
            .lazy()
            .select([q(0.5).alias("p50"), q(0.85).alias("p85")])
            .collect()
            .unwrap();
        let first = |c: &str| -> Option<i32> {
            let c = out.column(c).unwrap().cast(&DataType::Int32).unwrap();
            c.i32().unwrap().get(0)
        };
        assert_eq!((first("p50"), first("p85")), (Some(3), Some(6)));
    }
}
