//! Forecast histogram: how many tasks 10,000 simulated 4-week periods finished, with the
//! cumulative "this many or more" line and the 50/85/95 % marks.

use anyhow::Result;
use plotters::prelude::*;

use super::{finish, whole, BLUE, FONT, HEIGHT, INK, RED, WIDTH};
use crate::kpi::Forecast;

/// Most bars drawn: a team finishing thousands of tasks a month gets bins of several counts.
const MAX_BARS: usize = 300;

/// Renders the "how many" histogram.
pub fn forecast(id: &str, f: &Forecast) -> Result<String> {
    let n = f.histogram.len().max(1);
    let lo = f.histogram.iter().position(|&c| c > 0).unwrap_or(0);
    let hi = f
        .histogram
        .iter()
        .rposition(|&c| c > 0)
        .unwrap_or(0)
        .max(lo);
    let width = (hi - lo + 1).div_ceil(MAX_BARS).max(1);
    let bars: Vec<(usize, u32)> = (lo..=hi)
        .step_by(width)
        .map(|x| (x, f.histogram[x..(x + width).min(n)].iter().sum()))
        .collect();
    let top = bars.iter().map(|b| b.1).max().unwrap_or(1).max(1) as f64 * 1.1;
    // Share of trials that finished at least x tasks.
    let trials = f.trials as f64;
    let mut at_least = vec![0f64; n];
    let mut acc = 0u32;
    for x in (0..n).rev() {
        acc += f.histogram.get(x).copied().unwrap_or(0);
        at_least[x] = acc as f64 / trials * 100.0;
    }
    let mut svg = String::new();
    {
        let root = super::canvas(&mut svg, (WIDTH, HEIGHT))?;
        let x_range = lo as f64 - 0.5..(hi + width) as f64 - 0.5;
        let mut chart = super::frame(&root, 50)
            .right_y_label_area_size(50)
            .build_cartesian_2d(x_range.clone(), 0f64..top)?
            .set_secondary_coord(x_range, 0f64..100f64);
        super::axes(&mut chart)
            .disable_x_mesh()
            .x_labels(n.min(15))
            .x_label_formatter(&whole)
            .y_label_formatter(&whole)
            .x_desc(format!(
                "tasks finished in the next {} weeks",
                f.horizon_weeks
            ))
            .y_desc(if width == 1 {
                "trials".to_string()
            } else {
                format!("trials (bars of {width} counts)")
            })
            .draw()?;
        chart
            .configure_secondary_axes()
            .y_desc("% of trials with this many or more")
            .y_label_formatter(&|y| format!("{y:.0}"))
            .label_style((FONT, 13).into_font().color(&INK))
            .draw()?;
        chart.draw_series(bars.iter().map(|&(x, c)| {
            Rectangle::new(
                [(x as f64 - 0.4, 0.0), ((x + width) as f64 - 0.6, c as f64)],
                BLUE.mix(0.7).filled(),
            )
        }))?;
        chart.draw_secondary_series(LineSeries::new(
            bars.iter().map(|&(x, _)| (x as f64, at_least[x])),
            INK.stroke_width(2),
        ))?;
        for (p, v) in [50, 85, 95].iter().zip(f.how_many) {
            chart.draw_secondary_series(DashedLineSeries::new(
                [(v as f64, 0.0), (v as f64, 100.0)],
                5,
                4,
                RED.stroke_width(1),
            ))?;
            chart.draw_secondary_series(std::iter::once(Text::new(
                format!("{p} %: ≥ {v}"),
                (v as f64 + 0.2, 100.0 - (*p as f64 - 50.0) * 0.6),
                (FONT, 12).into_font().color(&RED),
            )))?;
        }
        root.present()?;
    }
    let desc = format!(
        "{} simulated {}-week periods drawn from the last {} weeks of throughput. 50 % of them finished {} or \
         more tasks, 85 % finished {} or more, 95 % finished {} or more.",
        f.trials, f.horizon_weeks, f.samples.len(), f.how_many[0], f.how_many[1], f.how_many[2]
    );
    Ok(finish(
        &svg,
        (WIDTH, HEIGHT),
        id,
        "Forecast: tasks in the next weeks",
        &desc,
    ))
}
