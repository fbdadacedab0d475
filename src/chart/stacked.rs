//! Stacked bars: one bar per column (a week, an iteration), one coloured part per series, with
//! a legend; and horizontal bars of shares (where the cycle time went, by status).

use anyhow::Result;
use plotters::prelude::*;

use super::{finish, whole, AMBER, BLUE, HEIGHT, WIDTH};

/// Colours of the parts, in series order; the last series ("other") is grey when there are
/// more series than colours.
const PALETTE: [RGBColor; 6] = [
    BLUE,
    AMBER,
    RGBColor(0x2e, 0x8b, 0x57),
    RGBColor(0x8e, 0x44, 0xad),
    RGBColor(0x5d, 0xad, 0xe2),
    RGBColor(0x99, 0x99, 0x99),
];

/// What a stacked chart shows.
pub struct Stacked<'a> {
    /// The label under each bar.
    pub columns: &'a [String],
    /// Each series' name and its value in every column.
    pub series: &'a [(String, Vec<f64>)],
    /// What the bars count.
    pub y_desc: &'a str,
    /// What the columns are.
    pub x_desc: &'a str,
    /// The chart's accessible name.
    pub title: &'a str,
    /// Columns at which to draw a decision.
    pub marks: &'a [f64],
}

/// Renders stacked bars.
pub fn stacked_bars(id: &str, s: &Stacked) -> Result<String> {
    let n = s.columns.len();
    let top = (0..n)
        .map(|i| {
            s.series
                .iter()
                .map(|(_, v)| v.get(i).copied().unwrap_or(0.0))
                .sum::<f64>()
        })
        .fold(0.0, f64::max)
        .max(1.0);
    let mut svg = String::new();
    {
        let root = super::canvas(&mut svg, (WIDTH, HEIGHT))?;
        let mut chart = super::frame(&root, 44)
            .build_cartesian_2d(-0.5f64..(n.max(1) as f64 - 0.5), 0f64..top * 1.3)?;
        let labels = s.columns.to_vec();
        super::axes(&mut chart)
            .disable_x_mesh()
            .y_label_formatter(&whole)
            .x_labels(n.clamp(1, 12))
            .x_label_formatter(&move |x| {
                super::tick(*x)
                    .and_then(|i| labels.get(i))
                    .cloned()
                    .unwrap_or_default()
            })
            .y_desc(s.y_desc)
            .x_desc(s.x_desc)
            .draw()?;
        for &x in s.marks {
            super::draw_mark(&mut chart, x, (0.0, top * 1.2))?;
        }
        let mut base = vec![0.0; n];
        for (k, (name, values)) in s.series.iter().enumerate() {
            let colour = PALETTE[k.min(PALETTE.len() - 1)];
            let bars: Vec<Rectangle<(f64, f64)>> = (0..n)
                .filter_map(|i| {
                    let v = values.get(i).copied().unwrap_or(0.0);
                    let bar = (v > 0.0).then(|| {
                        Rectangle::new(
                            [(i as f64 - 0.35, base[i]), (i as f64 + 0.35, base[i] + v)],
                            colour.filled(),
                        )
                    });
                    base[i] += v;
                    bar
                })
                .collect();
            chart
                .draw_series(bars)?
                .label(name.as_str())
                .legend(move |(x, y)| {
                    Rectangle::new([(x, y - 5), (x + 14, y + 5)], colour.filled())
                });
        }
        super::legend(&mut chart)?;
        root.present()?;
    }
    let names: Vec<&str> = s.series.iter().map(|(n, _)| n.as_str()).collect();
    let desc = format!(
        "{} over {n} {}, stacked by {}.",
        s.y_desc,
        s.x_desc,
        names.join(", ")
    );
    Ok(finish(&svg, (WIDTH, HEIGHT), id, s.title, &desc))
}

/// Renders horizontal bars of shares (0–1), one per row, the `highlight`ed ones in amber.
pub fn share_bars(id: &str, title: &str, rows: &[(String, f64, bool)]) -> Result<String> {
    let n = rows.len().max(1);
    let height = (60 + 28 * n as u32).clamp(120, HEIGHT * 2);
    let mut svg = String::new();
    {
        let root = super::canvas(&mut svg, (WIDTH, height))?;
        let mut chart =
            super::frame(&root, 170).build_cartesian_2d(0f64..100f64, -0.5f64..(n as f64 - 0.5))?;
        let names: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
        super::axes(&mut chart)
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&move |y| {
                super::tick(*y)
                    .and_then(|i| names.get(n - 1 - i))
                    .cloned()
                    .unwrap_or_default()
            })
            .x_label_formatter(&|x| format!("{x:.0} %"))
            .x_desc("share of the cycle time of finished tasks")
            .draw()?;
        chart.draw_series(rows.iter().enumerate().map(|(i, (_, share, waiting))| {
            let y = (n - 1 - i) as f64;
            let colour = if *waiting { AMBER } else { BLUE };
            Rectangle::new([(0.0, y - 0.3), (share * 100.0, y + 0.3)], colour.filled())
        }))?;
        root.present()?;
    }
    let desc = rows
        .iter()
        .map(|(name, share, _)| format!("{name} {:.0} %", share * 100.0))
        .collect::<Vec<_>>()
        .join(", ");
    Ok(finish(
        &svg,
        (WIDTH, height),
        id,
        title,
        &format!("{desc}. Waiting states are amber."),
    ))
}
