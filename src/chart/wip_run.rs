//! Daily work in progress over the last 90 days, against the team's WIP limit.

use anyhow::Result;
use plotters::prelude::*;

use super::{finish, short_date, whole, BLUE, HEIGHT, RED, WIDTH};

/// Renders the run chart of `(day, wip)` with the team limit as a dashed line.
pub fn wip_run(id: &str, days: &[(i32, u32)], limit: u32, decisions: &[i32]) -> Result<String> {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return Ok(super::no_days(id, "Work in progress per day"));
    };
    let top = days
        .iter()
        .map(|d| d.1)
        .max()
        .unwrap_or(0)
        .max(limit)
        .max(1) as f64
        * 1.15;
    let mut svg = String::new();
    {
        let root = super::canvas(&mut svg, (WIDTH, HEIGHT))?;
        let mut chart = super::frame(&root, 44).build_cartesian_2d(first.0..last.0, 0f64..top)?;
        super::axes(&mut chart)
            .x_labels(8)
            .x_label_formatter(&|d| short_date(*d))
            .y_label_formatter(&whole)
            .y_desc("started, not finished")
            .x_desc("end of day; dashed red = team WIP limit")
            .draw()?;
        for &d in decisions.iter().filter(|&&d| d >= first.0 && d <= last.0) {
            super::draw_mark(&mut chart, d, (0.0, top * 0.95))?;
        }
        chart.draw_series(DashedLineSeries::new(
            [(first.0, limit as f64), (last.0, limit as f64)],
            6,
            4,
            RED.stroke_width(1),
        ))?;
        chart.draw_series(LineSeries::new(
            days.iter().map(|&(d, n)| (d, n as f64)),
            BLUE.stroke_width(2),
        ))?;
        root.present()?;
    }
    let max = days.iter().map(|d| d.1).max().unwrap_or(0);
    let over = days.iter().filter(|d| d.1 > limit).count();
    let desc = format!(
        "Work in progress at the end of each day from {} to {}: {} now, at most {max}; above the team limit of {limit} on {over} day(s).",
        short_date(first.0),
        short_date(last.0),
        last.1
    );
    Ok(finish(
        &svg,
        (WIDTH, HEIGHT),
        id,
        "Work in progress per day",
        &desc,
    ))
}
