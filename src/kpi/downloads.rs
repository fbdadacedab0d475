//! The per-task downloads, written from the task table: the rows of `items.csv` and
//! `cycle-data.csv` (display-ready strings, for the site to write) and `items.parquet` (the same
//! rows as `items.csv` with real types — dates as dates, days as integers — for notebooks and BI
//! tools). Parquet is written with polars' own parquet writer, uncompressed (no compression or
//! cloud crate in the build).

use polars::prelude::*;
use polars_parquet::write::{
    get_dtype_encoding, row_group_iter, CompressionOptions, FileWriter, StatisticsOptions, Version,
    WriteOptions,
};

use super::table::TaskTable;
use crate::model::calendar::push_iso;

/// Header of `items.csv` (and the columns of `items.parquet`).
pub const ITEMS_HEADER: [&str; 13] = [
    "task_id",
    "team",
    "type",
    "status",
    "category",
    "assignee",
    "created",
    "started",
    "done",
    "cycle_time_days",
    "lead_time_days",
    "age_days",
    "blocked_days",
];

/// Header of `cycle-data.csv`: the layout ActionableAgile and jira-agile-metrics read.
pub const CYCLE_HEADER: [&str; 10] = [
    "ID",
    "Link",
    "Name",
    "Backlog",
    "In Progress",
    "Waiting",
    "Done",
    "Type",
    "Status",
    "Resolution",
];

/// The `items.csv` columns of one team's tasks as a frame, typed.
fn items_frame(table: &TaskTable, team: usize, name: &str) -> PolarsResult<DataFrame> {
    table
        .team_frame(team)
        .select([
            col("task_id"),
            lit(name).alias("team"),
            col("type"),
            col("status"),
            col("category"),
            col("assignees").alias("assignee"),
            col("created"),
            col("started"),
            col("done"),
            col("cycle_days").alias("cycle_time_days"),
            col("lead_days").alias("lead_time_days"),
            col("age_days"),
            col("blocked_days"),
        ])
        .collect()
}

/// A download's rows: a frame whose cells are read out as display text (dates `YYYY-MM-DD`,
/// empty when unknown), one row at a time into reused buffers, so that no cell becomes a
/// `String` of its own.
pub struct Rows {
    /// The columns, dates as day numbers and other integers as `i64`.
    columns: Vec<Column>,
    height: usize,
}

/// One column's next cell, written into a buffer.
type NextCell<'a> = Box<dyn FnMut(&mut String) + 'a>;

impl Rows {
    fn of(df: &DataFrame) -> PolarsResult<Rows> {
        let columns = df
            .columns()
            .iter()
            .map(|c| match c.dtype() {
                DataType::Date => c.cast(&DataType::Int32),
                DataType::Float64 | DataType::String => Ok(c.clone()),
                _ => c.cast(&DataType::Int64),
            })
            .collect::<PolarsResult<_>>()?;
        Ok(Rows {
            columns,
            height: df.height(),
        })
    }

    /// How many rows.
    pub fn height(&self) -> usize {
        self.height
    }

    /// `row` of every row's cells, in order; stops at the first error.
    pub fn each<E: From<PolarsError>>(
        &self,
        mut row: impl FnMut(&[&str]) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut cells = self
            .columns
            .iter()
            .map(next_cell)
            .collect::<PolarsResult<Vec<NextCell>>>()?;
        let mut text = vec![String::new(); cells.len()];
        for _ in 0..self.height {
            for (next, out) in cells.iter_mut().zip(text.iter_mut()) {
                out.clear();
                next(out);
            }
            let line: Vec<&str> = text.iter().map(String::as_str).collect();
            row(&line)?;
        }
        Ok(())
    }
}

/// Writes the cells of a column of [`Rows`] one after the other.
fn next_cell(c: &Column) -> PolarsResult<NextCell<'_>> {
    use std::fmt::Write;
    Ok(match c.dtype() {
        DataType::Int32 => {
            let mut days = c.i32()?.iter();
            Box::new(move |out| {
                if let Some(d) = days.next().flatten() {
                    push_iso(d, out);
                }
            })
        }
        DataType::Float64 => {
            let mut values = c.f64()?.iter();
            Box::new(move |out| {
                if let Some(v) = values.next().flatten() {
                    let _ = write!(out, "{v}");
                }
            })
        }
        DataType::String => {
            let mut values = c.str()?.iter();
            Box::new(move |out| out.push_str(values.next().flatten().unwrap_or_default()))
        }
        _ => {
            let mut values = c.i64()?.iter();
            Box::new(move |out| {
                if let Some(v) = values.next().flatten() {
                    let _ = write!(out, "{v}");
                }
            })
        }
    })
}

impl TaskTable {
    /// The rows of one team's `items.csv`, in task order.
    pub fn item_rows(&self, team: usize, name: &str) -> PolarsResult<Rows> {
        Rows::of(&items_frame(self, team, name)?)
    }

    /// The rows of one team's `cycle-data.csv`: the day each task first entered each stage
    /// (a started task that skipped a stage takes the next later stage's date there; a task
    /// never started has none), then type, status and resolution.
    pub fn cycle_rows(&self, team: usize) -> PolarsResult<Rows> {
        let started = col("started").is_not_null();
        let done = col("done");
        let waiting = when(started.clone())
            .then(coalesce(&[col("entered_waiting"), done.clone()]))
            .otherwise(lit(NULL).cast(DataType::Date));
        let doing = when(started)
            .then(coalesce(&[col("entered_doing"), waiting.clone()]))
            .otherwise(lit(NULL).cast(DataType::Date));
        let resolution = when(col("category").eq(lit("done")))
            .then(lit("Done"))
            .when(col("category").eq(lit("cancelled")))
            .then(lit("Cancelled"))
            .otherwise(lit(""));
        let df = self
            .team_frame(team)
            .select([
                col("task_id"),
                lit("").alias("link"),
                col("title"),
                col("created"),
                doing.alias("doing"),
                waiting.alias("waiting"),
                done,
                col("type"),
                col("status"),
                resolution.alias("resolution"),
            ])
            .collect()?;
        Rows::of(&df)
    }

    /// One team's `items.parquet`: the `items.csv` rows with real types.
    pub fn items_parquet(&self, team: usize, name: &str) -> PolarsResult<Vec<u8>> {
        let mut df = items_frame(self, team, name)?;
        df.rechunk_mut();
        let schema = df.schema().to_arrow(CompatLevel::oldest());
        let encodings: Vec<Vec<polars_parquet::write::Encoding>> = schema
            .iter_values()
            .map(|f| get_dtype_encoding(&f.dtype))
            .collect();
        let options = WriteOptions {
            statistics: StatisticsOptions::default(),
            version: Version::V2,
            compression: CompressionOptions::Uncompressed,
            data_page_size: None,
        };
        let parquet_schema = polars_parquet::write::to_parquet_schema(&schema)?;
        let mut writer = FileWriter::try_new(Vec::new(), schema, options)?;
        for batch in df.iter_chunks(CompatLevel::oldest(), false) {
            let rows = batch.len() as u64;
            let group = row_group_iter(
                batch,
                encodings.clone().into(),
                parquet_schema.fields().to_vec(),
                options,
            );
            writer.write(rows, group)?;
        }
        writer.end(None)?;
        Ok(writer.into_inner())
    }
}
