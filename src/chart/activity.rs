//! Activity strip: one row per task in progress, days across; filled dots are owner updates,
//! hollow rings are touches by the person who delegated the task.

use anyhow::Result;
use plotters::prelude::*;

use super::{finish, short_date, AMBER, BLUE, FONT, INK, RED, WIDTH};
use crate::kpi::ActivityRow;

/// Renders the strip over the days `(first, last)`.
pub fn activity(id: &str, rows: &[ActivityRow], days: (i32, i32)) -> Result<String> {
    let n = rows.len().max(1);
    let height = (90 + 22 * n as u32).max(200);
    let mut svg = String::new();
    {
        let root = super::canvas(&mut svg, (WIDTH, height))?;
        let labels = super::RowLabels::new(rows.iter().map(|r| r.task_id.as_str()), 110);
        let mut chart = super::frame(&root, labels.room()).build_cartesian_2d(
            days.0 as f64 - 0.5..days.1 as f64 + 0.5,
            -0.5f64..(n as f64 - 0.5),
        )?;
        let label = |y: &f64| labels.at(*y);
        super::axes(&mut chart)
            .disable_y_mesh()
            .max_light_lines(0)
            .x_labels(8)
            .y_labels(n)
            .x_label_formatter(&|d| short_date(d.round() as i32))
            .y_label_formatter(&label)
            .x_desc("day; ● owner update, ○ delegator touch, red line = untouched more than 5 days")
            .label_style((FONT, 12).into_font().color(&INK))
            .draw()?;
        for (i, r) in rows.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            if r.idle_days > 5 {
                let from = (days.1 - r.idle_days as i32).max(days.0) as f64;
                chart.draw_series(std::iter::once(PathElement::new(
                    vec![(from, y), (days.1 as f64, y)],
                    RED.stroke_width(2),
                )))?;
            }
            chart.draw_series(
                r.owner_days
                    .iter()
                    .map(|&d| Circle::new((d as f64, y), 5, BLUE.filled())),
            )?;
            chart.draw_series(
                r.delegator_days
                    .iter()
                    .map(|&d| Circle::new((d as f64, y + 0.05), 7, AMBER.stroke_width(2))),
            )?;
        }
        root.present()?;
    }
    let stale = rows.iter().filter(|r| r.idle_days > 5).count();
    let desc = format!(
        "{} tasks in progress over the days {} to {}: days with an owner update and days the delegator \
         touched the task. {stale} of them untouched for more than 5 days.",
        rows.len(),
        short_date(days.0),
        short_date(days.1)
    );
    Ok(finish(
        &svg,
        (WIDTH, height),
        id,
        "Check-in activity of tasks in progress",
        &desc,
    ))
}
