//! The Gini of started work, week by week, against the team's bands.

use anyhow::Result;
use plotters::prelude::*;

use super::{finish, AMBER, BLUE, HEIGHT, RED, WIDTH};
use crate::kpi::WeekGini;

/// Renders the weekly Gini with dashed lines at the warn (0.25) and alert (0.40) bands.
pub fn gini_trend(id: &str, weeks: &[WeekGini], decisions: &[i32]) -> Result<String> {
    let n = weeks.len().max(1);
    let mut svg = String::new();
    {
        let root = super::canvas(&mut svg, (WIDTH, HEIGHT))?;
        let mut chart =
            super::frame(&root, 44).build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..1f64)?;
        let label = super::week_ticks(weeks.iter().map(|w| w.week_start.clone()).collect());
        super::axes(&mut chart)
            .disable_x_mesh()
            .x_labels(n)
            .x_label_formatter(&label)
            .y_label_formatter(&|y| format!("{y:.1}"))
            .y_desc("Gini (0 = even)")
            .x_desc("week starting (month-day); dashed: 0.25 warn, 0.40 alert")
            .draw()?;
        let starts: Vec<String> = weeks.iter().map(|w| w.week_start.clone()).collect();
        for x in super::week_marks(&starts, decisions) {
            super::draw_mark(&mut chart, x, (0.0, 0.95))?;
        }
        for (level, color) in [(0.25, AMBER), (0.40, RED)] {
            chart.draw_series(DashedLineSeries::new(
                [(-0.5, level), (n as f64 - 0.5, level)],
                6,
                4,
                color.stroke_width(1),
            ))?;
        }
        let points: Vec<(f64, f64)> = weeks
            .iter()
            .enumerate()
            .map(|(i, w)| (i as f64, w.gini))
            .collect();
        chart.draw_series(LineSeries::new(
            points.iter().copied(),
            BLUE.stroke_width(2),
        ))?;
        chart.draw_series(points.iter().map(|&p| Circle::new(p, 4, BLUE.filled())))?;
        root.present()?;
    }
    let values: Vec<String> = weeks.iter().map(|w| format!("{:.2}", w.gini)).collect();
    let desc = format!(
        "Gini of started work per person at the end of each of the last {} weeks: {}.",
        weeks.len(),
        values.join(", ")
    );
    Ok(finish(
        &svg,
        (WIDTH, HEIGHT),
        id,
        "Load balance week by week",
        &desc,
    ))
}
