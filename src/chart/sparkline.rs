//! A sparkline of weekly throughput for the overview cards: small bars, no axes.

use anyhow::Result;
use plotters::prelude::*;

use super::{finish, BLUE};
use crate::kpi::WeekCount;

/// Size of a sparkline.
const SIZE: (u32, u32) = (180, 40);

/// Renders the last `weeks` complete and partial weeks of throughput as tiny bars.
pub fn sparkline(id: &str, team: &str, weekly: &[WeekCount], weeks: usize) -> Result<String> {
    let shown = &weekly[weekly.len().saturating_sub(weeks)..];
    let max = shown.iter().map(|w| w.done).max().unwrap_or(0).max(1) as f64;
    let n = shown.len().max(1) as f64;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(2)
            .build_cartesian_2d(0f64..n, 0f64..max)?;
        chart.draw_series(shown.iter().enumerate().map(|(i, w)| {
            let style = if w.partial {
                BLUE.stroke_width(1)
            } else {
                BLUE.filled()
            };
            Rectangle::new(
                [(i as f64 + 0.15, 0.0), (i as f64 + 0.85, w.done as f64)],
                style,
            )
        }))?;
        root.present()?;
    }
    let counts: Vec<String> = shown.iter().map(|w| w.done.to_string()).collect();
    let desc = format!(
        "Tasks done in each of the last {} weeks, oldest first: {}.",
        shown.len(),
        counts.join(", ")
    );
    Ok(
        finish(&svg, SIZE, id, &format!("{team}: weekly throughput"), &desc).replacen(
            "class=\"chart\"",
            "class=\"spark\"",
            1,
        ),
    )
}
