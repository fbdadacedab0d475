//! Cumulative flow diagram: created, started and finished tasks over the last 90 days.

use anyhow::Result;
use plotters::prelude::*;

use super::{finish, short_date, whole, AMBER, BAND, BLUE, HEIGHT, WIDTH};
use crate::kpi::CfdDay;

/// Renders the three cumulative lines as stacked bands.
pub fn cumulative_flow(
    id: &str,
    days: &[CfdDay],
    decisions: &[crate::model::calendar::Day],
) -> Result<String> {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return Ok(super::no_days(id, "Cumulative flow"));
    };
    let low = first.finished as f64;
    let high = (last.created as f64).max(low + 1.0);
    let mut svg = String::new();
    {
        let root = super::canvas(&mut svg, (WIDTH, HEIGHT))?;
        let mut chart =
            super::frame(&root, 50).build_cartesian_2d(first.day..last.day, low..high * 1.02)?;
        super::axes(&mut chart)
            .x_labels(8)
            .x_label_formatter(&|d| short_date(*d))
            .y_label_formatter(&whole)
            .y_desc("tasks (cumulative)")
            .draw()?;
        let series = |f: fn(&CfdDay) -> u32| days.iter().map(move |d| (d.day, f(d) as f64));
        chart
            .draw_series(AreaSeries::new(series(|d| d.created), low, BAND.filled()))?
            .label("created")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], BAND.filled()));
        chart
            .draw_series(AreaSeries::new(
                series(|d| d.started),
                low,
                AMBER.mix(0.55).filled(),
            ))?
            .label("started (in progress band)")
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 5), (x + 14, y + 5)], AMBER.mix(0.55).filled())
            });
        chart
            .draw_series(AreaSeries::new(series(|d| d.finished), low, BLUE.filled()))?
            .label("finished")
            .legend(|(x, y)| Rectangle::new([(x, y - 5), (x + 14, y + 5)], BLUE.filled()));
        for &d in decisions
            .iter()
            .filter(|&&d| d >= first.day && d <= last.day)
        {
            super::draw_mark(&mut chart, d, (low, high))?;
        }
        super::legend(&mut chart)?;
        root.present()?;
    }
    let desc = format!(
        "From {} to {}: created went from {} to {}, started from {} to {}, finished from {} to {}. The \
         band between started and finished is the work in progress.",
        short_date(first.day),
        short_date(last.day),
        first.created,
        last.created,
        first.started,
        last.started,
        first.finished,
        last.finished
    );
    Ok(finish(&svg, (WIDTH, HEIGHT), id, "Cumulative flow", &desc))
}
