//! Per-person WIP as horizontal bars (doing, then waiting) against each person's limit.

use anyhow::Result;
use plotters::prelude::*;

use super::{finish, AMBER, BLUE, HEIGHT, RED, WIDTH};
use crate::kpi::PersonWip;

/// Renders per-person WIP in roster order (never sorted by load).
pub fn person_wip(id: &str, people: &[PersonWip]) -> Result<String> {
    let n = people.len().max(1);
    let max = people
        .iter()
        .map(|p| p.total().max(p.limit))
        .max()
        .unwrap_or(1)
        .max(1) as f64
        + 1.0;
    let height = HEIGHT.max(60 + 28 * n as u32);
    let mut svg = String::new();
    {
        let root = super::canvas(&mut svg, (WIDTH, height))?;
        // Rows run top to bottom in roster order: row i sits at y = n − 1 − i.
        let labels = super::RowLabels::new(people.iter().map(|p| p.person.as_str()), 140);
        let mut chart = super::frame(&root, labels.room())
            .build_cartesian_2d(0f64..max, -0.5f64..(n as f64 - 0.5))?;
        let label = |y: &f64| labels.at(*y);
        super::axes(&mut chart)
            .disable_y_mesh()
            .x_label_formatter(&super::whole)
            .y_labels(n)
            .y_label_formatter(&label)
            .x_desc("started tasks held (doing, then waiting); red tick = limit")
            .draw()?;
        for (i, p) in people.iter().enumerate() {
            let y = (n - 1 - i) as f64;
            let (doing, total) = (p.doing as f64, p.total() as f64);
            chart.draw_series([
                Rectangle::new([(0.0, y - 0.3), (doing, y + 0.3)], BLUE.filled()),
                Rectangle::new([(doing, y - 0.3), (total, y + 0.3)], AMBER.filled()),
            ])?;
            let limit = p.limit as f64;
            chart.draw_series(std::iter::once(PathElement::new(
                vec![(limit, y - 0.42), (limit, y + 0.42)],
                RED.stroke_width(3),
            )))?;
        }
        root.present()?;
    }
    let desc = format!(
        "Started tasks held by each of {} people, split into doing and waiting, with each person's WIP limit.",
        people.len()
    );
    Ok(finish(
        &svg,
        (WIDTH, height),
        id,
        "Work in progress per person",
        &desc,
    ))
}
