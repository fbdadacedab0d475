//! Data downloads: `data/kpis.json`, `data/<slug>/items.csv` and `data/rejections.csv`.

use anyhow::Result;
use serde::Serialize;

use crate::chart::format::{csv_safe, rfc3339};
use crate::kpi::{Kpis, TeamKpis};
use crate::quality::{DataQuality, InputSummary};
use std::collections::BTreeMap;

/// Schema id of `kpis.json`.
pub const SCHEMA: &str = "teampulse/kpis/v1";

/// `data/kpis.json`: the contract other tools read (`teampulse/kpis/v1`). Fields are only ever
/// added within v1; renaming or removing one, or changing its meaning, is a new version. Its
/// JSON Schema, generated from these types, is committed at `docs/kpis.schema.json`.
#[derive(Serialize, schemars::JsonSchema)]
pub struct KpisFile<'a> {
    /// Always `teampulse/kpis/v1`.
    pub schema: &'static str,
    /// The "now" of every KPI (RFC 3339).
    pub as_of: String,
    /// Every input file read, with its counts.
    pub inputs: &'a [InputSummary],
    /// Rows rejected in all.
    pub rejected: usize,
    /// Statuses with no category, and how many events carried them.
    pub unmapped_statuses: &'a BTreeMap<String, usize>,
    /// Events later than the as-of time (ignored).
    pub events_after_as_of: usize,
    /// Every team.
    pub teams: &'a [TeamKpis],
}

/// The JSON Schema of `kpis.json`, generated from [`KpisFile`] (as serialised).
pub fn kpis_schema() -> String {
    let generator = schemars::generate::SchemaSettings::default()
        .for_serialize()
        .into_generator();
    let schema = generator.into_root_schema_for::<KpisFile<'static>>();
    let mut text = serde_json::to_string_pretty(&schema).unwrap_or_default();
    text.push('\n');
    text
}

/// `kpis.json`, pretty-printed, stable field order.
pub fn kpis_json(kpis: &Kpis, quality: &DataQuality) -> Result<Vec<u8>> {
    let file = KpisFile {
        schema: SCHEMA,
        as_of: rfc3339(kpis.as_of),
        inputs: &quality.inputs,
        rejected: quality.rejections.len(),
        unmapped_statuses: &quality.unmapped_statuses,
        events_after_as_of: quality.events_after_as_of,
        teams: &kpis.teams,
    };
    let mut out = serde_json::to_vec_pretty(&file)?;
    out.push(b'\n');
    Ok(out)
}

/// A download from the task table's rows, formula cells neutralised.
pub fn rows_csv(header: &[&str], rows: &crate::kpi::Rows) -> Result<Vec<u8>> {
    // Room for most rows at once: growing by doubling copied the file over and over, and
    // what is reserved but never written takes no memory.
    let room = rows.height() * header.len() * 16;
    let mut w = csv::Writer::from_writer(Vec::with_capacity(room));
    w.write_record(header)?;
    rows.each(|row| csv_row(&mut w, row))?;
    Ok(w.into_inner()?)
}

/// A download from rows of text, formula cells neutralised.
pub fn table_csv(header: &[&str], rows: Vec<Vec<String>>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for row in rows {
        csv_row(&mut w, &row)?;
    }
    Ok(w.into_inner()?)
}

/// One row of a download.
fn csv_row<S: AsRef<str>>(w: &mut csv::Writer<Vec<u8>>, row: &[S]) -> Result<()> {
    for cell in row {
        w.write_field(csv_safe(cell.as_ref()).as_bytes())?;
    }
    Ok(w.write_record(None::<&[u8]>)?)
}

/// Every rejected row: file, line, reason.
pub fn rejections_csv(quality: &DataQuality) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["file", "line", "reason"])?;
    for r in &quality.rejections {
        w.write_field(csv_safe(&r.path).as_bytes())?;
        w.write_field(r.line.to_string())?;
        w.write_field(csv_safe(&r.reason).as_bytes())?;
        w.write_record(None::<&[u8]>)?;
    }
    Ok(w.into_inner()?)
}
