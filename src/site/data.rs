//! Data downloads: `data/kpis.json`, `data/<slug>/items.csv` and `data/rejections.csv`.

use anyhow::Result;
use serde::Serialize;

use crate::chart::format::{csv_safe, rfc3339};
use crate::kpi::{Kpis, Team, TeamKpis};
use crate::model::calendar::{days_inclusive, iso, local_day};
use crate::model::{Category, Timeline};
use crate::quality::{DataQuality, InputSummary};
use std::collections::BTreeMap;

/// Schema id of `kpis.json`.
pub const SCHEMA: &str = "teampulse/kpis/v1";

#[derive(Serialize)]
struct KpisFile<'a> {
    schema: &'static str,
    as_of: String,
    inputs: &'a [InputSummary],
    rejected: usize,
    unmapped_statuses: &'a BTreeMap<String, usize>,
    events_after_as_of: usize,
    teams: &'a [TeamKpis],
}

/// `kpis.json`, pretty-printed, stable field order.
pub fn kpis_json(kpis: &Kpis, quality: &DataQuality) -> Result<Vec<u8>> {
    let file = KpisFile {
        schema: SCHEMA,
        as_of: rfc3339(kpis.as_of),
        inputs: &quality.inputs,
        rejected: quality.rejections.len(),
        unmapped_statuses: &quality.unmapped_statuses,
        events_after_as_of: quality.events_after_as_of,
        teams: &kpis.teams,
    };
    let mut out = serde_json::to_vec_pretty(&file)?;
    out.push(b'\n');
    Ok(out)
}

/// Header of `items.csv`.
pub const ITEMS_HEADER: [&str; 12] = [
    "task_id",
    "team",
    "type",
    "status",
    "category",
    "assignee",
    "created",
    "started",
    "done",
    "cycle_time_days",
    "lead_time_days",
    "age_days",
];

/// One row per task of a team, dates in the team's timezone, formula cells neutralised.
pub fn items_csv(team: &Team, timelines: &[Timeline], as_of: i64) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(ITEMS_HEADER)?;
    let tz = team.tz;
    let day = |ts: Option<i64>| ts.map(|t| iso(local_day(t, tz))).unwrap_or_default();
    let num = |n: Option<i32>| n.map(|n| n.to_string()).unwrap_or_default();
    for &i in &team.tasks {
        let t = &timelines[i];
        let cycle = t.start.zip(t.done).map(|(s, d)| days_inclusive(s, d, tz));
        let lead = t.done.map(|d| days_inclusive(t.created, d, tz));
        let age = t
            .start
            .filter(|_| t.category.is_wip())
            .map(|s| days_inclusive(s, as_of, tz));
        let record = [
            t.task_id.clone(),
            team.name.clone(),
            t.item_type.as_deref().unwrap_or_default().to_string(),
            t.status.as_deref().unwrap_or_default().to_string(),
            t.category.as_str().to_string(),
            t.assignees.join(";"),
            day(Some(t.created)),
            day(t.start),
            day(t.done),
            num(cycle),
            num(lead),
            num(age),
        ];
        w.write_record(record.iter().map(|c| csv_safe(c)))?;
    }
    Ok(w.into_inner()?)
}

/// Every rejected row: file, line, reason.
pub fn rejections_csv(quality: &DataQuality) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["file", "line", "reason"])?;
    for r in &quality.rejections {
        w.write_record([csv_safe(&r.path), r.line.to_string(), csv_safe(&r.reason)])?;
    }
    Ok(w.into_inner()?)
}

/// Stage columns of the cycle-data download, with the categories that enter each.
const STAGES: [(&str, &[Category]); 4] = [
    ("Backlog", &[Category::Todo]),
    ("In Progress", &[Category::Doing]),
    ("Waiting", &[Category::Waiting]),
    ("Done", &[Category::Done]),
];

/// Cycle data in the layout ActionableAgile and jira-agile-metrics read: `ID,Link,Name`, one
/// column per stage with the date the task first entered it (a skipped stage takes the next
/// stage's date), then `Type,Status,Resolution`. Formula cells neutralised.
pub fn cycle_data_csv(team: &Team, timelines: &[Timeline]) -> Result<Vec<u8>> {
    let tz = team.tz;
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["ID", "Link", "Name"];
    header.extend(STAGES.iter().map(|s| s.0));
    header.extend(["Type", "Status", "Resolution"]);
    w.write_record(&header)?;
    for &i in &team.tasks {
        let t = &timelines[i];
        // First entry per stage, kept only while the task is still at or past it at the end.
        let mut entered: Vec<Option<i64>> = STAGES
            .iter()
            .map(|(_, cats)| {
                t.transitions
                    .iter()
                    .find(|x| cats.contains(&x.category))
                    .map(|x| x.ts)
            })
            .collect();
        entered[0] = Some(t.created);
        entered[3] = t.done;
        if t.start.is_none() {
            entered[1] = None;
            entered[2] = None;
        }
        // A started task that skipped a stage takes the next later stage's date there.
        if t.start.is_some() {
            for stage in [2, 1] {
                if entered[stage].is_none() {
                    entered[stage] = entered[stage + 1];
                }
            }
        }
        let resolution = match t.category {
            Category::Done => "Done",
            Category::Cancelled => "Cancelled",
            _ => "",
        };
        let mut record = vec![
            t.task_id.clone(),
            String::new(),
            t.title.as_deref().unwrap_or_default().to_string(),
        ];
        record.extend(
            entered
                .iter()
                .map(|e| e.map(|ts| iso(local_day(ts, tz))).unwrap_or_default()),
        );
        record.push(t.item_type.as_deref().unwrap_or_default().to_string());
        record.push(t.status.as_deref().unwrap_or_default().to_string());
        record.push(resolution.to_string());
        w.write_record(record.iter().map(|c| csv_safe(c)))?;
    }
    Ok(w.into_inner()?)
}
