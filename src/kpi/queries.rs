//! The table-shaped KPIs as lazy polars queries over the task table; each returns plain Rust
//! values (no polars type leaves `kpi`).

use std::collections::BTreeMap;

use polars::prelude::*;

use super::table::{Sample, Skills, TaskTable};
use crate::model::calendar::Day;
use crate::model::Ts;

/// A date column as days since the Unix epoch, for arithmetic.
fn days(name: &str) -> Expr {
    col(name).cast(DataType::Int32)
}

/// The Monday of the week of a day column.
fn week_of(name: &str) -> Expr {
    days(name) - ((days(name) + lit(3)) % lit(7))
}

fn explode(lf: LazyFrame, column: &str) -> LazyFrame {
    lf.explode(
        by_name([column], true, false),
        ExplodeOptions {
            empty_as_null: false,
            keep_nulls: false,
        },
    )
}

/// Several queries run as one: polars plans them together (a part they share, such as one
/// team's rows, is computed once) and runs them side by side. At 65k events, a team's 13
/// queries as one collection, rather than one at a time, saved 5–9 ms a build.
fn collect_all<const N: usize>(queries: [LazyFrame; N]) -> PolarsResult<[DataFrame; N]> {
    let Some(flags) = queries.first().map(LazyFrame::get_current_optimizations) else {
        return Ok(std::array::from_fn(|_| DataFrame::empty()));
    };
    let plans = queries.into_iter().map(|q| q.logical_plan).collect();
    LazyFrame::collect_all_with_engine(plans, Engine::Auto, flags)?
        .try_into()
        .map_err(|_| polars_err!(ComputeError: "a frame for each query"))
}

/// Reads a column of a collected frame as `i32` values.
fn i32s(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<i32>>> {
    let c = df.column(name)?.cast(&DataType::Int32)?;
    Ok(c.i32()?.iter().collect())
}

/// Reads a column of a collected frame as `u32` values.
fn u32s(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<u32>>> {
    let c = df.column(name)?.cast(&DataType::UInt32)?;
    Ok(c.u32()?.iter().collect())
}

fn strs(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    Ok(df
        .column(name)?
        .str()?
        .iter()
        .map(|s| s.map(str::to_string))
        .collect())
}

impl TaskTable {
    /// Throughput credit per team, week (Monday) and person: a task done by k people counts
    /// 1/k for each.
    pub fn weekly_credit(
        &self,
        teams: usize,
    ) -> PolarsResult<Vec<BTreeMap<Day, BTreeMap<String, f64>>>> {
        let lf = self
            .df
            .clone()
            .lazy()
            .filter(col("done").is_not_null())
            // Only the columns read: an explode repeats every column it is given.
            .select([
                col("team"),
                week_of("done").alias("week"),
                col("credit_people"),
                col("credit"),
            ]);
        let out = explode(lf, "credit_people")
            .group_by([col("team"), col("week"), col("credit_people")])
            .agg([col("credit").sum()])
            .sort(["team", "week", "credit_people"], Default::default())
            .collect()?;
        let mut credit = vec![BTreeMap::new(); teams];
        let (t, w, p) = (
            u32s(&out, "team")?,
            i32s(&out, "week")?,
            strs(&out, "credit_people")?,
        );
        let c: Vec<Option<f64>> = out.column("credit")?.f64()?.iter().collect();
        for i in 0..out.height() {
            if let (Some(t), Some(w), Some(p), Some(c)) = (t[i], w[i], p[i].clone(), c[i]) {
                let team: &mut BTreeMap<Day, BTreeMap<String, f64>> = &mut credit[t as usize];
                team.entry(w).or_default().insert(p, c);
            }
        }
        Ok(credit)
    }

    /// Every query of one team's KPIs, run as one collection (see [`collect_all`]).
    pub fn team_queries(&self, team: usize, ask: &TeamAsk) -> PolarsResult<TeamQueries> {
        let (now, before) = (ask.now, ask.before);
        let [wip, due, started, finished, demand, holders, done, ct, ct_before, lt, lt_before, cycle_points, lead_points] =
            collect_all([
                self.wip_query(team),
                self.due_query(team, ask.due_from),
                self.per_week_query(team, col("started")),
                self.per_week_query(team, coalesce(&[col("done"), col("cancelled")])),
                self.demand_query(team, ask.skills_since),
                self.holders_query(team, ask.skills_since),
                self.done_query(team, ask.skills_since),
                self.sample_query(team, "cycle_days", now),
                self.sample_query(team, "cycle_days", before),
                self.sample_query(team, "lead_days", now),
                self.sample_query(team, "lead_days", before),
                self.points_query(team, "cycle_days", now),
                self.points_query(team, "lead_days", now),
            ])?;
        Ok(TeamQueries {
            wip: read_wip(&wip)?,
            due: read_due(&due)?,
            flow: (read_weeks(&started)?, read_weeks(&finished)?),
            skills: read_skills(&demand, &holders, &done)?,
            cycle: [
                read_sample(&ct)?,
                read_sample(&ct_before)?,
                read_sample(&lt)?,
                read_sample(&lt_before)?,
            ],
            points: [read_points(&cycle_points)?, read_points(&lead_points)?],
        })
    }

    /// Tasks of one team per week of `day` (tasks without one left out).
    fn per_week_query(&self, team: usize, day: Expr) -> LazyFrame {
        self.team(team)
            .with_column(day.alias("d"))
            .filter(col("d").is_not_null())
            .with_column(week_of("d").alias("week"))
            .group_by([col("week")])
            .agg([col("row").count().alias("n")])
    }

    /// Nearest-rank P50, P85 and P95 of `column` over the tasks of one team done in the days
    /// `(from, to]`.
    fn sample_query(&self, team: usize, column: &str, (from, to): (Day, Day)) -> LazyFrame {
        let q = |p: f64| {
            col(column)
                .quantile(lit(p), QuantileMethod::Equiprobable)
                .cast(DataType::Int32)
                .alias(format!("p{}", (p * 100.0) as u32))
        };
        self.team(team)
            .filter(days("done").gt(lit(from)).and(days("done").lt_eq(lit(to))))
            .filter(col(column).is_not_null())
            .select([col(column).count().alias("n"), q(0.5), q(0.85), q(0.95)])
    }

    /// `(task_id, done day, days)` of the tasks of one team done in `(from, to]` with `column`
    /// known, in task order.
    fn points_query(&self, team: usize, column: &str, (from, to): (Day, Day)) -> LazyFrame {
        self.team(team)
            .filter(days("done").gt(lit(from)).and(days("done").lt_eq(lit(to))))
            .filter(col(column).is_not_null())
            .select([
                col("task_id"),
                days("done").alias("done"),
                col(column).alias("v"),
            ])
    }

    /// One team's tasks done after `from` with a committed due date, and whether each was late.
    fn due_query(&self, team: usize, from: Day) -> LazyFrame {
        self.team(team)
            .filter(
                col("due_committed")
                    .is_not_null()
                    .and(days("done").gt(lit(from))),
            )
            .select([
                col("task_id"),
                days("done").gt(days("due_committed")).alias("late"),
            ])
    }

    /// Started tasks per person of one team, `(doing, waiting)`.
    fn wip_query(&self, team: usize) -> LazyFrame {
        let people = self.team(team).select([col("wip_people"), col("category")]);
        explode(people, "wip_people")
            .group_by([col("wip_people")])
            .agg([
                col("category").eq(lit("doing")).sum().alias("doing"),
                col("category").eq(lit("waiting")).sum().alias("waiting"),
            ])
    }

    /// The columns the skills matrix reads of one team's tasks (an explode repeats every
    /// column it is given).
    fn skills_rows(&self, team: usize) -> LazyFrame {
        self.team(team).select([
            col("row"),
            col("category"),
            col("done_ts"),
            col("labels"),
            col("holders"),
        ])
    }

    /// Demand per label: tasks done at or after `since`, plus every open task.
    fn demand_query(&self, team: usize, since: Ts) -> LazyFrame {
        let open = col("category")
            .eq(lit("todo"))
            .or(col("category").eq(lit("doing")))
            .or(col("category").eq(lit("waiting")));
        let recent = col("done_ts").gt_eq(lit(since));
        explode(self.skills_rows(team).filter(recent.or(open)), "labels")
            .group_by([col("labels")])
            .agg([col("row").count().alias("n")])
    }

    /// Everyone who finished a task at or after `since`.
    fn holders_query(&self, team: usize, since: Ts) -> LazyFrame {
        let recent = col("done_ts").gt_eq(lit(since));
        explode(self.skills_rows(team).filter(recent), "holders").select([col("holders")])
    }

    /// Completions per (person, label) of tasks done at or after `since`.
    fn done_query(&self, team: usize, since: Ts) -> LazyFrame {
        let recent = col("done_ts").gt_eq(lit(since));
        explode(
            explode(self.skills_rows(team).filter(recent), "holders"),
            "labels",
        )
        .group_by([col("holders"), col("labels")])
        .agg([col("row").count().alias("n")])
    }
}

/// What one team's queries ask: the windows of the KPIs.
pub struct TeamAsk {
    /// Cycle and lead times now: done in the days `(from, to]`.
    pub now: (Day, Day),
    /// The window before, for the trend and the service level expectation.
    pub before: (Day, Day),
    /// Due dates of tasks done after this day.
    pub due_from: Day,
    /// The skills matrix counts tasks done from this instant on.
    pub skills_since: Ts,
}

impl TeamAsk {
    /// The windows of the KPIs of a team whose local day is `today` at `as_of`.
    pub fn at(today: Day, as_of: Ts) -> TeamAsk {
        use super::{skills::SKILL_DAYS, WINDOW_DAYS};
        TeamAsk {
            now: (today - WINDOW_DAYS, today),
            before: (today - 2 * WINDOW_DAYS, today - WINDOW_DAYS),
            due_from: today - WINDOW_DAYS,
            skills_since: as_of - SKILL_DAYS * 86_400,
        }
    }
}

/// The answers of one team's queries.
pub struct TeamQueries {
    /// Started tasks per person, `(doing, waiting)`.
    pub wip: BTreeMap<String, (u32, u32)>,
    /// Tasks done with a committed due date, and the ids of those done after it.
    pub due: (usize, Vec<String>),
    /// Tasks started, and finished (done or cancelled), per week.
    pub flow: (BTreeMap<Day, u32>, BTreeMap<Day, u32>),
    /// The skills matrix's counts.
    pub skills: Skills,
    /// Cycle time now and before, lead time now and before.
    pub cycle: [Sample; 4],
    /// Cycle and lead time points of the tasks done now.
    pub points: [Vec<(String, Day, i32)>; 2],
}

fn read_weeks(out: &DataFrame) -> PolarsResult<BTreeMap<Day, u32>> {
    let (w, n) = (i32s(out, "week")?, u32s(out, "n")?);
    Ok(w.into_iter()
        .zip(n)
        .filter_map(|(w, n)| Some((w?, n?)))
        .collect())
}

fn read_sample(out: &DataFrame) -> PolarsResult<Sample> {
    let n = u32s(out, "n")?.first().copied().flatten().unwrap_or(0) as usize;
    let first = |name: &str| -> PolarsResult<Option<i32>> {
        Ok(i32s(out, name)?.first().copied().flatten())
    };
    Ok(Sample {
        count: n,
        p50: first("p50")?,
        p85: first("p85")?,
        p95: first("p95")?,
    })
}

fn read_points(out: &DataFrame) -> PolarsResult<Vec<(String, Day, i32)>> {
    let (ids, done, v) = (strs(out, "task_id")?, i32s(out, "done")?, i32s(out, "v")?);
    Ok(ids
        .into_iter()
        .zip(done)
        .zip(v)
        .filter_map(|((id, d), v)| Some((id?, d?, v?)))
        .collect())
}

fn read_due(out: &DataFrame) -> PolarsResult<(usize, Vec<String>)> {
    let ids = strs(out, "task_id")?;
    let late: Vec<Option<bool>> = out.column("late")?.bool()?.iter().collect();
    let late_ids = ids
        .into_iter()
        .zip(late)
        .filter(|(_, l)| *l == Some(true))
        .filter_map(|(id, _)| id)
        .collect();
    Ok((out.height(), late_ids))
}

fn read_wip(out: &DataFrame) -> PolarsResult<BTreeMap<String, (u32, u32)>> {
    let (p, d, w) = (
        strs(out, "wip_people")?,
        u32s(out, "doing")?,
        u32s(out, "waiting")?,
    );
    Ok(p.into_iter()
        .zip(d.into_iter().zip(w))
        .filter_map(|(p, (d, w))| Some((p?, (d?, w?))))
        .collect())
}

fn read_skills(demand: &DataFrame, holders: &DataFrame, done: &DataFrame) -> PolarsResult<Skills> {
    let holders = strs(holders, "holders")?.into_iter().flatten().collect();
    let (l, n) = (strs(demand, "labels")?, u32s(demand, "n")?);
    let demand = l
        .into_iter()
        .zip(n)
        .filter_map(|(l, n)| Some((l?, n?)))
        .collect();
    let (p, l, n) = (
        strs(done, "holders")?,
        strs(done, "labels")?,
        u32s(done, "n")?,
    );
    let done = p
        .into_iter()
        .zip(l.into_iter().zip(n))
        .filter_map(|(p, (l, n))| Some(((p?, l?), n?)))
        .collect();
    Ok(Skills {
        done,
        demand,
        holders,
    })
}
