//! Cycle-time scatterplot: one dot per finished task, dashed lines at P50, P85 and P95.

use std::collections::BTreeMap;

use anyhow::Result;
use plotters::prelude::*;

use super::{finish, short_date, BLUE, FONT, HEIGHT, INK, MAX_MARKS, RED, WIDTH};
use crate::kpi::percentile::Percentiles;
use crate::kpi::CyclePoint;

/// Renders the scatterplot of `what` ("cycle time" or "lead time") over `days` (first, last
/// local day). Tasks finished the same day with the same time share one dot, sized by how
/// many there are, so the mark count stays bounded however many tasks there are.
pub fn scatter(
    id: &str,
    what: &str,
    points: &[CyclePoint],
    pct: &Percentiles,
    days: (i32, i32),
    decisions: &[i32],
) -> Result<String> {
    let mut dots: BTreeMap<(i32, i32), u32> = BTreeMap::new();
    for p in points {
        *dots.entry((p.done_day, p.days)).or_default() += 1;
    }
    let max = points
        .iter()
        .map(|p| p.days)
        .max()
        .unwrap_or(1)
        .max(pct.p95.unwrap_or(1))
        .max(1);
    let lines: Vec<(&str, i32)> = [("P50", pct.p50), ("P85", pct.p85), ("P95", pct.p95)]
        .into_iter()
        .filter_map(|(l, v)| Some((l, v?)))
        .collect();
    let mut svg = String::new();
    {
        let root = super::canvas(&mut svg, (WIDTH, HEIGHT))?;
        let mut chart = super::frame(&root, 44)
            .build_cartesian_2d(days.0..days.1 + 1, 0..(max as f64 * 1.15).ceil() as i32 + 1)?;
        super::axes(&mut chart)
            .x_labels(8)
            .x_label_formatter(&|d| short_date(*d))
            .y_desc(format!("{what} (days)"))
            .x_desc("day finished")
            .draw()?;
        for &d in decisions.iter().filter(|&&d| d >= days.0 && d <= days.1) {
            let top = (max as f64 * 1.1).ceil() as i32;
            super::draw_mark(&mut chart, d, (0, top))?;
        }
        for (label, v) in &lines {
            let color = if *label == "P50" { INK } else { RED };
            chart.draw_series(DashedLineSeries::new(
                [(days.0, *v), (days.1 + 1, *v)],
                6,
                4,
                color.stroke_width(1),
            ))?;
            chart.draw_series(std::iter::once(Text::new(
                format!("{label} {v} d"),
                (days.0, *v),
                (FONT, 12).into_font().color(&color),
            )))?;
        }
        chart.draw_series(dots.iter().take(MAX_MARKS).map(|(&(day, ct), &count)| {
            let r = 3 + (count as f64).sqrt().round() as i32;
            Circle::new((day, ct), r, BLUE.mix(0.55).filled())
        }))?;
        root.present()?;
    }
    let shown: Vec<String> = lines.iter().map(|(l, v)| format!("{l} {v} days")).collect();
    let desc = format!(
        "{} tasks finished between {} and {}, each a dot at its {what}. {}.",
        points.len(),
        short_date(days.0),
        short_date(days.1),
        super::listed(&shown, "Too few tasks for percentiles")
    );
    Ok(finish(
        &svg,
        (WIDTH, HEIGHT),
        id,
        &format!("{}{} scatterplot", what[..1].to_uppercase(), &what[1..]),
        &desc,
    ))
}
