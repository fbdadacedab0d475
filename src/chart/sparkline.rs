//! Sparklines: small bars, no axes — a team's weekly throughput on the overview, each person's
//! on the team page (in roster order, never ranked).

use anyhow::Result;
use plotters::prelude::*;

use super::{finish, BLUE};
use crate::chart::format::number;

/// Size of a sparkline.
const SIZE: (u32, u32) = (180, 40);

/// Renders `values` (oldest first; `true` marks the partial current week, drawn hollow).
pub fn sparkline(id: &str, title: &str, values: &[(f64, bool)]) -> Result<String> {
    let max = values.iter().map(|v| v.0).fold(0.0, f64::max).max(1.0);
    let n = values.len().max(1) as f64;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .margin(2)
            .build_cartesian_2d(0f64..n, 0f64..max)?;
        chart.draw_series(values.iter().enumerate().map(|(i, &(v, partial))| {
            let style = if partial {
                BLUE.stroke_width(1)
            } else {
                BLUE.filled()
            };
            Rectangle::new([(i as f64 + 0.15, 0.0), (i as f64 + 0.85, v)], style)
        }))?;
        root.present()?;
    }
    let shown: Vec<String> = values.iter().map(|v| number(v.0)).collect();
    let desc = format!(
        "Tasks done in each of the last {} weeks, oldest first: {}.",
        values.len(),
        shown.join(", ")
    );
    Ok(finish(&svg, SIZE, id, title, &desc).replacen("class=\"chart\"", "class=\"spark\"", 1))
}
