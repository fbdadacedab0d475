//! Net flow: weekly started minus finished as diverging bars (above zero = work piling up).

use anyhow::Result;
use plotters::prelude::*;

use super::{finish, whole, BLUE, HEIGHT, INK, RED, WIDTH};
use crate::kpi::FlowWeek;

/// Renders weekly net flow; the partial week is drawn hollow.
pub fn net_flow(id: &str, weeks: &[FlowWeek], decisions: &[i32]) -> Result<String> {
    let nets: Vec<i64> = weeks
        .iter()
        .map(|w| w.started as i64 - w.finished as i64)
        .collect();
    let top = nets.iter().map(|v| v.abs()).max().unwrap_or(1).max(1) as f64 + 1.0;
    let n = weeks.len().max(1);
    let mut svg = String::new();
    {
        let root = super::canvas(&mut svg, (WIDTH, HEIGHT))?;
        let mut chart =
            super::frame(&root, 44).build_cartesian_2d(-0.5f64..(n as f64 - 0.5), -top..top)?;
        let label = super::week_ticks(weeks.iter().map(|w| w.week_start.clone()).collect());
        super::axes(&mut chart)
            .disable_x_mesh()
            .x_labels(n.min(12))
            .x_label_formatter(&label)
            .y_label_formatter(&whole)
            .y_desc("started − finished")
            .x_desc("week starting (month-day); above 0 = work piling up")
            .draw()?;
        let starts: Vec<String> = weeks.iter().map(|w| w.week_start.clone()).collect();
        for x in super::week_marks(&starts, decisions) {
            super::draw_mark(&mut chart, x, (-top, top * 0.9))?;
        }
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(-0.5, 0.0), (n as f64 - 0.5, 0.0)],
            INK.stroke_width(1),
        )))?;
        chart.draw_series(weeks.iter().zip(&nets).enumerate().map(|(i, (w, &v))| {
            let color = if v > 0 { RED } else { BLUE };
            let style = if w.partial {
                color.stroke_width(2)
            } else {
                color.filled()
            };
            Rectangle::new([(i as f64 - 0.35, 0.0), (i as f64 + 0.35, v as f64)], style)
        }))?;
        root.present()?;
    }
    let growing = nets.iter().filter(|&&v| v > 0).count();
    let desc = format!(
        "Started minus finished tasks per week over {} weeks; {growing} weeks above zero (work piling up), \
         bars below zero are weeks that shrank the work in progress. The last week is partial and hollow.",
        weeks.len()
    );
    Ok(finish(
        &svg,
        (WIDTH, HEIGHT),
        id,
        "Net flow per week",
        &desc,
    ))
}
