//! The charts of a team page, by question, each with the table of its numbers beside it: one
//! function per question, one per chart.

mod finish;
mod spread;
mod time;
mod when;

use anyhow::Result;
use serde::Serialize;
use tera::Tera;

use crate::kpi::{Question, TeamKpis, TeamViews};

/// One team's numbers and the views its charts are drawn from.
#[derive(Clone, Copy)]
pub struct TeamData<'a> {
    /// What `kpis.json` says of the team.
    pub k: &'a TeamKpis,
    /// What its charts need beside that.
    pub v: &'a TeamViews,
}

/// Rows of data shown beside a chart.
#[derive(Serialize)]
pub struct Table {
    caption: String,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// A chart (inline SVG, or markup holding several) and its table.
#[derive(Serialize)]
pub struct ChartView {
    id: String,
    svg: String,
    table: Table,
}

/// Weeks a weekly chart shows (the last two years); `kpis.json` has every week.
const CHART_WEEKS: usize = 104;

/// People a per-person chart shows, in roster order; the tables and downloads have everyone.
const CHART_PEOPLE: usize = 200;

/// Most rows of a chart's table; the downloads have every task.
const MAX_ROWS: usize = 200;

/// The days of the team's decisions, for the marks on its time charts.
fn decision_days(team: TeamData) -> Vec<i32> {
    team.k
        .decisions
        .iter()
        .filter_map(|d| crate::model::timestamp::parse_due(&d.date).ok())
        .collect()
}

/// The last `n` items of a series.
fn last<T>(items: &[T], n: usize) -> &[T] {
    &items[items.len().saturating_sub(n)..]
}

fn capped(mut rows: Vec<Vec<String>>, columns: usize) -> Vec<Vec<String>> {
    if rows.len() > MAX_ROWS {
        let more = rows.len() - MAX_ROWS;
        rows.truncate(MAX_ROWS);
        let mut last = vec![format!(
            "… and {more} more rows (every task is in items.csv)"
        )];
        last.resize(columns, String::new());
        rows.push(last);
    }
    rows
}

/// A chart with its table, the table capped at 200 rows.
/// A chart's table rows, newest first (its series run oldest first).
fn newest_first<T>(items: &[T], row: impl Fn(&T) -> Vec<String>) -> Vec<Vec<String>> {
    items.iter().rev().map(row).collect()
}

fn chart<H: Into<String>>(
    id: &str,
    svg: String,
    caption: String,
    headers: Vec<H>,
    rows: Vec<Vec<String>>,
) -> ChartView {
    let headers: Vec<String> = headers.into_iter().map(Into::into).collect();
    let rows = capped(rows, headers.len());
    ChartView {
        id: id.to_string(),
        svg,
        table: Table {
            caption,
            headers,
            rows,
        },
    }
}

/// The charts answering one question, each with its table.
pub fn charts_for(question: Question, team: TeamData, tera: &Tera) -> Result<Vec<ChartView>> {
    match question {
        Question::Finish => {
            let mut out = finish::charts(team, tera)?;
            out.extend(time::iterations(team)?);
            Ok(out)
        }
        Question::Time => time::charts(team),
        Question::Spread => spread::charts(team),
        Question::CheckIn => spread::checkin_charts(team),
        // Delegation is told by its tiles and their flagged tasks.
        Question::Delegation => Ok(Vec::new()),
        Question::When => when::charts(team),
    }
}
