//! Aging WIP: one column per status, a dot per task at its age, bands at the cycle-time
//! percentiles.

use std::collections::BTreeMap;

use anyhow::Result;
use plotters::prelude::*;

use super::{finish, AMBER, BLUE, HEIGHT, MAX_MARKS, RED, WIDTH};
use crate::kpi::percentile::Percentiles;
use crate::kpi::AgingPoint;
use crate::model::Category;

/// Renders the aging chart. Columns are statuses, `doing` ones before `waiting` ones.
pub fn aging_wip(id: &str, tasks: &[AgingPoint], pct: &Percentiles) -> Result<String> {
    let mut columns: Vec<(Category, String)> = tasks
        .iter()
        .map(|t| (t.category, t.status.clone()))
        .collect();
    columns.sort();
    columns.dedup();
    let n = columns.len().max(1);
    let mut cells: BTreeMap<(usize, i32), u32> = BTreeMap::new();
    for t in tasks {
        let col = columns
            .iter()
            .position(|c| c.0 == t.category && c.1 == t.status)
            .unwrap_or(0);
        *cells.entry((col, t.age)).or_default() += 1;
    }
    let top = tasks
        .iter()
        .map(|t| t.age)
        .max()
        .unwrap_or(1)
        .max(pct.p95.or(pct.p85).unwrap_or(1))
        .max(1);
    let top = (top as f64 * 1.15).ceil() + 1.0;
    let mut svg = String::new();
    {
        let root = super::canvas(&mut svg, (WIDTH, HEIGHT))?;
        let mut chart =
            super::frame(&root, 44).build_cartesian_2d(-0.5f64..(n as f64 - 0.5), 0f64..top)?;
        let bands = [
            (0.0, pct.p50, RGBColor(0xe3, 0xf1, 0xdf)),
            (
                pct.p50.unwrap_or(0) as f64,
                pct.p85,
                RGBColor(0xfb, 0xf1, 0xcf),
            ),
            (
                pct.p85.unwrap_or(0) as f64,
                pct.p95,
                RGBColor(0xfb, 0xe0, 0xc8),
            ),
        ];
        for (low, high, color) in bands {
            if let Some(high) = high {
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(-0.5, low), (n as f64 - 0.5, high as f64)],
                    color.filled(),
                )))?;
            }
        }
        let label = |x: &f64| {
            super::tick(*x)
                .and_then(|i| columns.get(i))
                .map(|c| c.1.clone())
                .unwrap_or_default()
        };
        super::axes(&mut chart)
            .disable_x_mesh()
            .y_label_formatter(&super::whole)
            .x_labels(n)
            .x_label_formatter(&label)
            .y_desc("age (days since start)")
            .draw()?;
        let mut per_column: BTreeMap<usize, i32> = BTreeMap::new();
        chart.draw_series(cells.iter().take(MAX_MARKS).map(|(&(col, age), &count)| {
            // Spread dots of one column sideways, deterministically, so they do not hide each other.
            let k = per_column.entry(col).or_default();
            *k += 1;
            let offset = ((*k % 7) as f64 - 3.0) * 0.07;
            let color = if columns[col].0 == Category::Waiting {
                AMBER
            } else {
                BLUE
            };
            let r = 4 + (count as f64).sqrt().round() as i32;
            Circle::new((col as f64 + offset, age as f64), r, color.filled())
        }))?;
        if let Some(p95) = pct.p95 {
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(-0.5, p95 as f64), (n as f64 - 0.5, p95 as f64)],
                RED.stroke_width(1),
            )))?;
        }
        root.present()?;
    }
    let bands: Vec<String> = [("P50", pct.p50), ("P85", pct.p85), ("P95", pct.p95)]
        .into_iter()
        .filter_map(|(l, v)| Some(format!("{l} {} days", v?)))
        .collect();
    let desc = format!(
        "{} tasks in progress across {} statuses, each a dot at its age. Bands: {}.",
        tasks.len(),
        columns.len(),
        super::listed(&bands, "none (too few finished tasks)")
    );
    Ok(finish(
        &svg,
        (WIDTH, HEIGHT),
        id,
        "Aging work in progress",
        &desc,
    ))
}
