//! Weekly throughput bars with the team's P15–P85 band; the partial week is drawn hollow.

use anyhow::Result;
use plotters::prelude::*;

use super::{finish, BAND, BLUE, HEIGHT, WIDTH};
use crate::kpi::ThroughputSummary;

/// Renders the weekly throughput chart.
pub fn weekly_throughput(
    id: &str,
    s: &ThroughputSummary,
    decisions: &[crate::model::calendar::Day],
) -> Result<String> {
    let weeks = &s.weekly;
    let max = weeks
        .iter()
        .map(|w| w.done)
        .max()
        .unwrap_or(0)
        .max(s.p85.unwrap_or(0) as u32)
        .max(1);
    let mut svg = String::new();
    {
        let root = super::canvas(&mut svg, (WIDTH, HEIGHT))?;
        let n = weeks.len().max(1);
        let mut chart = super::frame(&root, 44)
            .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..(max as f64 * 1.15).ceil())?;
        let label = super::week_ticks(weeks.iter().map(|w| w.week_start.clone()).collect());
        super::axes(&mut chart)
            .disable_x_mesh()
            .y_label_formatter(&super::whole)
            .x_labels(n.min(12))
            .x_label_formatter(&label)
            .y_desc("tasks done")
            .x_desc("week starting (month-day)")
            .draw()?;
        if let (Some(p15), Some(p85)) = (s.p15, s.p85) {
            chart.draw_series(std::iter::once(Rectangle::new(
                [(-0.5, p15 as f64), (n as f64 - 0.5, p85 as f64)],
                BAND.mix(0.6).filled(),
            )))?;
        }
        let starts: Vec<String> = weeks.iter().map(|w| w.week_start.clone()).collect();
        for x in super::week_marks(&starts, decisions) {
            super::draw_mark(&mut chart, x, (0.0, max as f64 * 1.1))?;
        }
        chart.draw_series(weeks.iter().enumerate().map(|(i, w)| {
            let style = if w.partial {
                BLUE.stroke_width(2)
            } else {
                BLUE.filled()
            };
            Rectangle::new(
                [(i as f64 - 0.35, 0.0), (i as f64 + 0.35, w.done as f64)],
                style,
            )
        }))?;
        root.present()?;
    }
    let range = match (s.p15, s.p85) {
        (Some(a), Some(b)) => {
            format!(" The shaded band is the normal range, P15 {a} to P85 {b} tasks a week.")
        }
        _ => String::new(),
    };
    let desc = format!(
        "Tasks done per week over {} weeks; the last week is partial and drawn hollow.{range}",
        weeks.len()
    );
    Ok(finish(
        &svg,
        (WIDTH, HEIGHT),
        id,
        "Weekly throughput",
        &desc,
    ))
}
