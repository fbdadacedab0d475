//! Lorenz curve of per-person load: how far the team is from an even spread.

use anyhow::Result;
use plotters::prelude::*;

use super::{finish, BLUE, INK, WIDTH};
use crate::kpi::PersonLoad;

/// Side of the (square) chart.
const SIDE: u32 = 360;

/// Renders the Lorenz curve of `loads` with the line of perfect equality.
pub fn lorenz(id: &str, loads: &[PersonLoad], gini: Option<f64>) -> Result<String> {
    let mut values: Vec<f64> = loads.iter().map(|l| l.load).collect();
    values.sort_by(f64::total_cmp);
    let total: f64 = values.iter().sum();
    let n = values.len().max(1) as f64;
    let mut points = vec![(0.0, 0.0)];
    let mut acc = 0.0;
    for (i, v) in values.iter().enumerate() {
        acc += v;
        let y = if total > 0.0 {
            acc / total
        } else {
            (i + 1) as f64 / n
        };
        points.push(((i + 1) as f64 / n, y));
    }
    // A curve of thousands of people is drawn through 400 of its points, without dots.
    let dots = points.len() <= 101;
    if points.len() > 401 {
        let step = (points.len() - 1) as f64 / 400.0;
        points = (0..=400)
            .map(|k| points[((k as f64 * step).round() as usize).min(points.len() - 1)])
            .collect();
    }
    let mut svg = String::new();
    {
        let root = super::canvas(&mut svg, (WIDTH, SIDE))?;
        let mut chart = super::frame(&root, 50).build_cartesian_2d(0f64..1f64, 0f64..1f64)?;
        super::axes(&mut chart)
            .x_labels(5)
            .y_labels(5)
            .x_label_formatter(&|x| format!("{:.0} %", x * 100.0))
            .y_label_formatter(&|y| format!("{:.0} %", y * 100.0))
            .x_desc("share of people, least loaded first")
            .y_desc("share of started work")
            .draw()?;
        chart.draw_series(DashedLineSeries::new(
            [(0.0, 0.0), (1.0, 1.0)],
            6,
            4,
            INK.stroke_width(1),
        ))?;
        chart.draw_series(LineSeries::new(
            points.iter().copied(),
            BLUE.stroke_width(3),
        ))?;
        if dots {
            chart.draw_series(
                points
                    .iter()
                    .map(|&(x, y)| Circle::new((x, y), 4, BLUE.filled())),
            )?;
        }
        root.present()?;
    }
    let g = gini.map_or("not shown (fewer than 3 people)".to_string(), |g| {
        format!("{g:.2}")
    });
    let desc = format!(
        "Cumulative share of started work held by the least loaded people, over {} people; the dashed \
         diagonal is a perfectly even spread. Gini {g}.",
        loads.len()
    );
    Ok(finish(
        &svg,
        (WIDTH, SIDE),
        id,
        "Lorenz curve of load",
        &desc,
    ))
}
