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
/// team's rows, is computed once) and runs them side by side. At 65k events, the skills
/// matrix's three queries as one saved 1–3 ms a build.
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

    /// Tasks started and finished (done or cancelled) per week of one team.
    pub fn flow_counts(
        &self,
        team: usize,
    ) -> PolarsResult<(BTreeMap<Day, u32>, BTreeMap<Day, u32>)> {
        let per_week = |day: Expr| {
            self.team(team)
                .with_column(day.alias("d"))
                .filter(col("d").is_not_null())
                .with_column(week_of("d").alias("week"))
                .group_by([col("week")])
                .agg([col("row").count().alias("n")])
        };
        let counts = |out: &DataFrame| -> PolarsResult<BTreeMap<Day, u32>> {
            let (w, n) = (i32s(out, "week")?, u32s(out, "n")?);
            Ok(w.into_iter()
                .zip(n)
                .filter_map(|(w, n)| Some((w?, n?)))
                .collect())
        };
        let [started, finished] = collect_all([
            per_week(col("started")),
            per_week(coalesce(&[col("done"), col("cancelled")])),
        ])?;
        Ok((counts(&started)?, counts(&finished)?))
    }

    /// For each `(column, from, to)`: nearest-rank P50, P85 and P95 of `column` over the tasks
    /// of one team done in the days `(from, to]`.
    pub fn percentiles<const N: usize>(
        &self,
        team: usize,
        asks: [(&str, Day, Day); N],
    ) -> PolarsResult<[Sample; N]> {
        let query = |(column, from, to): (&str, Day, Day)| {
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
        };
        let sample = |out: &DataFrame| -> PolarsResult<Sample> {
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
        };
        let frames = collect_all(asks.map(query))?;
        let mut samples = Vec::with_capacity(N);
        for out in &frames {
            samples.push(sample(out)?);
        }
        samples
            .try_into()
            .map_err(|_| polars_err!(ComputeError: "a sample for each query"))
    }

    /// For each `(column, from, to)`: `(task_id, done day, days)` of the tasks of one team done
    /// in `(from, to]` with `column` known, in task order.
    pub fn points<const N: usize>(
        &self,
        team: usize,
        asks: [(&str, Day, Day); N],
    ) -> PolarsResult<[Vec<(String, Day, i32)>; N]> {
        let query = |(column, from, to): (&str, Day, Day)| {
            self.team(team)
                .filter(days("done").gt(lit(from)).and(days("done").lt_eq(lit(to))))
                .filter(col(column).is_not_null())
                .select([
                    col("task_id"),
                    days("done").alias("done"),
                    col(column).alias("v"),
                ])
        };
        let points = |out: &DataFrame| -> PolarsResult<Vec<(String, Day, i32)>> {
            let (ids, done, v) = (strs(out, "task_id")?, i32s(out, "done")?, i32s(out, "v")?);
            Ok(ids
                .into_iter()
                .zip(done)
                .zip(v)
                .filter_map(|((id, d), v)| Some((id?, d?, v?)))
                .collect())
        };
        let frames = collect_all(asks.map(query))?;
        let mut out = Vec::with_capacity(N);
        for frame in &frames {
            out.push(points(frame)?);
        }
        out.try_into()
            .map_err(|_| polars_err!(ComputeError: "points for each query"))
    }

    /// Of one team's tasks done in `(from, to]` with a committed due date: how many, and the
    /// ids of those done after it.
    pub fn due_dates(&self, team: usize, from: Day) -> PolarsResult<(usize, Vec<String>)> {
        let out = self
            .team(team)
            .filter(
                col("due_committed")
                    .is_not_null()
                    .and(days("done").gt(lit(from))),
            )
            .select([
                col("task_id"),
                days("done").gt(days("due_committed")).alias("late"),
            ])
            .collect()?;
        let ids = strs(&out, "task_id")?;
        let late: Vec<Option<bool>> = out.column("late")?.bool()?.iter().collect();
        let late_ids = ids
            .into_iter()
            .zip(late)
            .filter(|(_, l)| *l == Some(true))
            .filter_map(|(id, _)| id)
            .collect();
        Ok((out.height(), late_ids))
    }

    /// Started tasks per person of one team, `(doing, waiting)`.
    pub fn wip_by_person(&self, team: usize) -> PolarsResult<BTreeMap<String, (u32, u32)>> {
        let people = self.team(team).select([col("wip_people"), col("category")]);
        let out = explode(people, "wip_people")
            .group_by([col("wip_people")])
            .agg([
                col("category").eq(lit("doing")).sum().alias("doing"),
                col("category").eq(lit("waiting")).sum().alias("waiting"),
            ])
            .collect()?;
        let (p, d, w) = (
            strs(&out, "wip_people")?,
            u32s(&out, "doing")?,
            u32s(&out, "waiting")?,
        );
        Ok(p.into_iter()
            .zip(d.into_iter().zip(w))
            .filter_map(|(p, (d, w))| Some((p?, (d?, w?))))
            .collect())
    }

    /// The skills matrix of one team: completions per (person, label) of tasks done at or
    /// after `since`, demand per label (those finished plus every open task), and everyone who
    /// finished a task then.
    pub fn skills(&self, team: usize, since: Ts) -> PolarsResult<Skills> {
        let recent = col("done_ts").gt_eq(lit(since));
        let open = col("category")
            .eq(lit("todo"))
            .or(col("category").eq(lit("doing")))
            .or(col("category").eq(lit("waiting")));
        // Only the columns read: an explode repeats every column it is given.
        let team = self.team(team).select([
            col("row"),
            col("category"),
            col("done_ts"),
            col("labels"),
            col("holders"),
        ]);
        let demand = explode(team.clone().filter(recent.clone().or(open)), "labels")
            .group_by([col("labels")])
            .agg([col("row").count().alias("n")]);
        let holders =
            explode(team.clone().filter(recent.clone()), "holders").select([col("holders")]);
        let done = explode(explode(team.filter(recent), "holders"), "labels")
            .group_by([col("holders"), col("labels")])
            .agg([col("row").count().alias("n")]);
        let [demand, holders, done] = collect_all([demand, holders, done])?;
        let holders = strs(&holders, "holders")?.into_iter().flatten().collect();
        let (l, n) = (strs(&demand, "labels")?, u32s(&demand, "n")?);
        let demand = l
            .into_iter()
            .zip(n)
            .filter_map(|(l, n)| Some((l?, n?)))
            .collect();
        let (p, l, n) = (
            strs(&done, "holders")?,
            strs(&done, "labels")?,
            u32s(&done, "n")?,
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
}
