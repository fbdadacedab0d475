//! Chart stage: one file per chart kind, each taking plain data and returning an SVG string.
//! Shared sizes, colours and the accessibility post-processing live here. No IO.

mod activity;
mod aging;
mod cfd;
mod forecast;
pub mod format;
mod gini_trend;
mod heatmap;
mod lorenz;
mod net_flow;
mod person_wip;
mod scatter;
mod sparkline;
mod stacked;
mod thin;
mod throughput;
mod wip_run;

pub use activity::activity;
pub use aging::aging_wip;
pub use cfd::cumulative_flow;
pub use forecast::forecast;
pub use gini_trend::gini_trend;
pub use heatmap::skills;
pub use lorenz::lorenz;
pub use net_flow::net_flow;
pub use person_wip::person_wip;
pub use scatter::scatter;
pub use sparkline::sparkline;
pub use stacked::{share_bars, stacked_bars, Stacked};
pub use throughput::weekly_throughput;
pub use wip_run::wip_run;

use anyhow::Result;
use plotters::backend::SVGBackend;
use plotters::chart::{ChartBuilder, ChartContext, MeshStyle};
use plotters::coord::cartesian::Cartesian2d;
use plotters::coord::ranged1d::{Ranged, ValueFormatter};
use plotters::coord::Shift;
use plotters::drawing::DrawingArea;
use plotters::drawing::IntoDrawingArea;
use plotters::prelude::DrawingBackend;
use plotters::style::IntoFont;
use plotters::style::RGBColor;
use plotters::style::WHITE;

/// Width of every chart's view box.
pub const WIDTH: u32 = 720;
/// Height of every chart's view box.
pub const HEIGHT: u32 = 360;

/// Main data colour.
pub const BLUE: RGBColor = RGBColor(0x1f, 0x5f, 0xa8);
/// Secondary data colour (waiting work, partial week).
pub const AMBER: RGBColor = RGBColor(0xc7, 0x7c, 0x02);
/// Limit and alert lines.
pub const RED: RGBColor = RGBColor(0xb0, 0x1c, 0x2e);
/// Normal-range band.
pub const BAND: RGBColor = RGBColor(0xd6, 0xe6, 0xf5);
/// Axis text and percentile lines.
pub const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);
/// Light grid lines.
pub const GRID: RGBColor = RGBColor(0xe4, 0xe4, 0xe4);
/// Font family for all text (drawn by the browser; no font files needed).
pub const FONT: &str = "sans-serif";

/// Most marks one chart draws; beyond this, data is aggregated.
pub const MAX_MARKS: usize = 2000;

/// The frame every chart starts from: the shared margin, a 36 px axis-label strip below and a
/// strip of `y_labels` px on the left (wider for names).
pub fn frame<'a, 'b, DB: DrawingBackend>(
    root: &'a DrawingArea<DB, Shift>,
    y_labels: u32,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(root);
    builder
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(y_labels);
    builder
}

/// A white drawing area of `size` that renders into `svg`.
pub fn canvas(svg: &mut String, size: (u32, u32)) -> Result<DrawingArea<SVGBackend<'_>, Shift>> {
    let root = SVGBackend::with_string(svg, size).into_drawing_area();
    root.fill(&WHITE)?;
    Ok(root)
}

/// The mesh every chart draws: a light grid of one line per step and labels in the shared font
/// and colour. Callers add their own labels, formatters and descriptions (and may override any
/// of these), then `draw()`.
pub fn axes<'a, 'b, DB, XT, YT, X, Y>(
    chart: &'b mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
) -> MeshStyle<'a, 'b, X, Y, DB>
where
    DB: DrawingBackend,
    X: Ranged<ValueType = XT> + ValueFormatter<XT>,
    Y: Ranged<ValueType = YT> + ValueFormatter<YT>,
{
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(GRID)
        .max_light_lines(1)
        .label_style((FONT, 13).into_font().color(&INK));
    mesh
}

/// The legend every chart with series labels draws: upper left, on a translucent white box.
pub fn legend<'a, X: Ranged, Y: Ranged>(
    chart: &mut ChartContext<'a, SVGBackend<'a>, Cartesian2d<X, Y>>,
) -> Result<()> {
    use plotters::prelude::{Color, SeriesLabelPosition};
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(GRID)
        .label_font((FONT, 13).into_font().color(&INK))
        .draw()?;
    Ok(())
}

/// Where decisions fall on a weekly chart: the position of the week holding each day.
pub fn week_marks(weeks: &[String], days: &[crate::model::calendar::Day]) -> Vec<f64> {
    let starts: Vec<i32> = weeks
        .iter()
        .filter_map(|w| crate::model::timestamp::parse_due(w).ok())
        .collect();
    days.iter()
        .filter_map(|d| starts.iter().position(|&s| s <= *d && *d < s + 7))
        .map(|i| i as f64)
        .collect()
}

/// A decision drawn on a time chart: a dashed vertical line from `low` to `high` at `x`,
/// labelled.
pub fn draw_mark<DB, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    x: X::ValueType,
    (low, high): (Y::ValueType, Y::ValueType),
) -> Result<()>
where
    DB: DrawingBackend,
    X: Ranged,
    Y: Ranged,
    X::ValueType: Clone + 'static,
    Y::ValueType: Clone + 'static,
    DB::ErrorType: 'static,
{
    use plotters::prelude::{Color, DashedLineSeries, Text};
    chart.draw_series(DashedLineSeries::new(
        [(x.clone(), low), (x.clone(), high.clone())],
        5,
        4,
        INK.mix(0.8).stroke_width(1),
    ))?;
    chart.draw_series(std::iter::once(Text::new(
        "decision",
        (x, high),
        (FONT, 12).into_font().color(&INK),
    )))?;
    Ok(())
}

/// Axis labels of weekly charts: the month and day of the week's Monday, at whole ticks.
pub fn week_ticks(starts: Vec<String>) -> impl Fn(&f64) -> String {
    move |x: &f64| {
        tick(*x)
            .and_then(|i| starts.get(i))
            .map(|w| w.get(5..).unwrap_or(w).to_string())
            .unwrap_or_default()
    }
}

/// Makes a plotters SVG responsive and accessible: drops the fixed size (the view box stays),
/// adds `role="img"`, an accessible name (`<title>`) and description (`<desc>`) with ids
/// unique on the page, and a class for styling.
pub fn finish(svg: &str, size: (u32, u32), id: &str, title: &str, desc: &str) -> String {
    let body = thin::thin(
        svg.split_once('>')
            .map(|(_, rest)| rest)
            .unwrap_or_default(),
    );
    format!(
        "<svg viewBox=\"0 0 {} {}\" xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" \
         role=\"img\" aria-labelledby=\"{id}-t {id}-d\" id=\"{id}\">\n<title id=\"{id}-t\">{}</title>\n\
         <desc id=\"{id}-d\">{}</desc>\n{body}",
        size.0,
        size.1,
        escape(title),
        escape(desc)
    )
}

/// Escapes text for SVG and HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// The index at a whole-number axis position (categorical axes drawn on `f64` coordinates):
/// `None` between ticks and below zero.
pub fn tick(x: f64) -> Option<usize> {
    let i = x.round();
    ((i - x).abs() < 1e-6 && i >= 0.0).then_some(i as usize)
}

/// The widest room row labels get on the left of a chart, in pixels.
pub const MAX_LABEL_ROOM: u32 = 260;

/// About how wide a character of a label is at the charts' 12–13 px, in pixels (sans-serif
/// letters and digits average about 0.55 em).
const CHAR_PX: f64 = 7.5;

/// The labels of a chart whose rows run top to bottom (row i at y = n − 1 − i), and the room
/// they need on the left: wide enough for the longest, from a chart's own minimum up to
/// [`MAX_LABEL_ROOM`]; a label wider than that is cut with "…", never clipped at the edge.
pub struct RowLabels {
    room: u32,
    labels: Vec<String>,
}

impl RowLabels {
    /// The labels `names`, in row order, with at least `min` pixels of room.
    pub fn new<'a>(names: impl Iterator<Item = &'a str>, min: u32) -> RowLabels {
        let names: Vec<&str> = names.collect();
        let longest = names.iter().map(|n| n.chars().count()).max().unwrap_or(0);
        let room = ((longest as f64 * CHAR_PX).ceil() as u32 + 14).clamp(min, MAX_LABEL_ROOM);
        let fits = ((room - 14) as f64 / CHAR_PX) as usize;
        let labels = names
            .iter()
            .map(|n| match n.chars().count() > fits {
                true => n.chars().take(fits.saturating_sub(1)).collect::<String>() + "…",
                false => n.to_string(),
            })
            .collect();
        RowLabels { room, labels }
    }

    /// The room the labels need, in pixels.
    pub fn room(&self) -> u32 {
        self.room
    }

    /// The label of the row at `y`; empty between rows.
    pub fn at(&self, y: f64) -> String {
        let n = self.labels.len().max(1);
        tick(y)
            .and_then(|i| n.checked_sub(i + 1))
            .and_then(|i| self.labels.get(i))
            .cloned()
            .unwrap_or_default()
    }
}

/// `parts` joined with commas, or `none` when there are none (for a chart's description).
pub fn listed(parts: &[String], none: &str) -> String {
    match parts.is_empty() {
        true => none.to_string(),
        false => parts.join(", "),
    }
}

/// The chart of a series with no days in it: a titled, described empty figure.
pub fn no_days(id: &str, title: &str) -> String {
    finish(
        "<svg></svg>",
        (WIDTH, HEIGHT),
        id,
        title,
        "No days to show.",
    )
}

/// Axis label of a count: whole numbers only (no `2.5 tasks`).
pub fn whole(x: &f64) -> String {
    if x.fract().abs() < 1e-9 {
        format!("{}", x.round() as i64)
    } else {
        String::new()
    }
}

/// Short axis label of a day: `Mar 02`.
pub fn short_date(day: i32) -> String {
    crate::model::calendar::date(day)
        .format("%b %d")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finished_svgs_have_a_name_and_description() {
        let raw = "<svg width=\"720\" height=\"360\" viewBox=\"0 0 720 360\" xmlns=\"http://www.w3.org/2000/svg\">\n<rect/></svg>";
        let svg = finish(raw, (720, 360), "c1", "Title <x>", "Desc & more");
        assert!(svg.starts_with("<svg viewBox=\"0 0 720 360\""));
        assert!(svg.contains("aria-labelledby=\"c1-t c1-d\""));
        assert!(svg.contains("<title id=\"c1-t\">Title &lt;x&gt;</title>"));
        assert!(svg.contains("<desc id=\"c1-d\">Desc &amp; more</desc>"));
        assert!(svg.trim_end().ends_with("<rect/></svg>"));
        assert!(!svg.contains("width=\"720\""));
    }

    #[test]
    fn row_labels_get_room_for_the_longest_and_are_cut_beyond_the_widest_room() {
        // Short ids keep the chart's own room.
        let short = RowLabels::new(["PLAT-62", "PLAT-7"].into_iter(), 110);
        assert_eq!(short.room(), 110);
        // Rows run top to bottom: the first label is the top row (y = n − 1).
        assert_eq!(
            (short.at(1.0), short.at(0.0), short.at(0.5)),
            ("PLAT-62".into(), "PLAT-7".into(), String::new())
        );
        // 20 characters: 20 × 7.5 + 14 = 164 px, the whole id shown.
        let long = RowLabels::new(["SERVICEDESK-INC00123", "A-1"].into_iter(), 110);
        assert_eq!(long.room(), 164);
        assert_eq!(long.at(1.0), "SERVICEDESK-INC00123");
        // 60 characters: the widest room, 260 px, holds 32; the label keeps 31 and an ellipsis.
        let id = "x".repeat(60);
        let cut = RowLabels::new([id.as_str()].into_iter(), 110);
        assert_eq!(cut.room(), MAX_LABEL_ROOM);
        assert_eq!(cut.at(0.0), format!("{}…", "x".repeat(31)));
        assert_eq!(RowLabels::new(std::iter::empty(), 140).at(0.0), "");
    }
}
