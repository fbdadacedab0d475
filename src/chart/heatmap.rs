//! People × labels heat map of recent completions: who has done which kind of work.

use anyhow::Result;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::{finish, BLUE, FONT, INK, WIDTH};
use crate::kpi::SkillMatrix;

/// Most labels and people drawn; the table beside the chart has all of them.
const MAX_LABELS: usize = 16;
const MAX_PEOPLE: usize = 24;

/// Renders completions per person and label; cells with 2 or more are outlined.
pub fn skills(id: &str, m: &SkillMatrix) -> Result<String> {
    let labels: Vec<usize> = {
        let mut idx: Vec<usize> = (0..m.labels.len()).collect();
        idx.sort_by(|&a, &b| m.demand[b].cmp(&m.demand[a]).then(a.cmp(&b)));
        idx.truncate(MAX_LABELS);
        idx.sort();
        idx
    };
    let people: Vec<usize> = (0..m.people.len()).take(MAX_PEOPLE).collect();
    let (cols, rows) = (labels.len().max(1), people.len().max(1));
    let height = (80 + 26 * rows as u32).max(200);
    let max = m.cells.iter().flatten().copied().max().unwrap_or(1).max(1) as f64;
    let mut svg = String::new();
    {
        let root = super::canvas(&mut svg, (WIDTH, height))?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(110)
            .build_cartesian_2d(0f64..cols as f64, 0f64..rows as f64)?;
        // Cells are centred on half steps: column j spans j..j+1, labelled at j + 0.5.
        let col_label = |x: &f64| {
            super::tick(x - 0.5)
                .and_then(|i| labels.get(i))
                .map(|&j| m.labels[j].clone())
                .unwrap_or_default()
        };
        let row_label = |y: &f64| {
            super::tick(y - 0.5)
                .and_then(|i| rows.checked_sub(i + 1))
                .and_then(|i| people.get(i))
                .map(|&p| m.people[p].clone())
                .unwrap_or_default()
        };
        super::axes(&mut chart)
            .disable_mesh()
            .x_labels(cols * 2 + 1)
            .y_labels(rows * 2 + 1)
            .x_label_formatter(&col_label)
            .y_label_formatter(&row_label)
            .label_style((FONT, 12).into_font().color(&INK))
            .draw()?;
        for (r, &p) in people.iter().enumerate() {
            let y = (rows - 1 - r) as f64;
            for (c, &j) in labels.iter().enumerate() {
                let v = m.cells[p][j];
                let x = c as f64;
                let shade = if v == 0 {
                    WHITE.mix(1.0)
                } else {
                    BLUE.mix(0.15 + 0.75 * v as f64 / max)
                };
                chart.draw_series(std::iter::once(Rectangle::new(
                    [(x + 0.04, y + 0.06), (x + 0.96, y + 0.94)],
                    shade.filled(),
                )))?;
                if v >= 2 {
                    chart.draw_series(std::iter::once(Rectangle::new(
                        [(x + 0.04, y + 0.06), (x + 0.96, y + 0.94)],
                        INK.stroke_width(2),
                    )))?;
                }
                if v > 0 {
                    let color = if v as f64 / max > 0.5 { WHITE } else { INK };
                    let style = (FONT, 12)
                        .into_font()
                        .color(&color)
                        .pos(Pos::new(HPos::Center, VPos::Center));
                    chart.draw_series(std::iter::once(Text::new(
                        v.to_string(),
                        (x + 0.5, y + 0.5),
                        style,
                    )))?;
                }
            }
        }
        root.present()?;
    }
    let thin: Vec<&str> = (0..m.labels.len())
        .filter(|&j| m.demand[j] >= 3 && m.coverage[j] <= 1)
        .map(|j| m.labels[j].as_str())
        .collect();
    let desc = format!(
        "Tasks finished in the last 180 days by {} people across {} labels; outlined cells are 2 or more. \
         Labels with recurring work covered by one person or nobody: {}.",
        m.people.len(),
        m.labels.len(),
        if thin.is_empty() { "none".to_string() } else { thin.join(", ") }
    );
    Ok(finish(
        &svg,
        (WIDTH, height),
        id,
        "Who has done which kind of work",
        &desc,
    ))
}
