//! Measures `RowsBuilder::push` throughput (and finish / Parquet write times) on the
//! repository's real fixture records, compacted as the journal stores them.
//!
//! Run in release mode: `cargo run --release -p opentrail-columnar --example push_throughput`.
//! Optional argument: the number of records to push (default 500,000).
#![allow(
    clippy::print_stdout,
    reason = "an example that reports its measurements"
)]

use std::time::Instant;

use opentrail_columnar::{ParquetOptions, RowsBuilder, TableKind, write_parquet};
use opentrail_testkit::testdata::all_fixture_records;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let total: usize = match std::env::args().nth(1) {
        Some(text) => text.parse()?,
        None => 500_000,
    };
    let mut records = Vec::new();
    for record in all_fixture_records() {
        let value: serde_json::Value = serde_json::from_str(&record.json)?;
        records.push(serde_json::to_string(&value)?);
    }
    let bytes: usize = records.iter().map(String::len).sum();
    println!(
        "{} distinct records, average {} bytes",
        records.len(),
        bytes / records.len()
    );

    let options = ParquetOptions::default();
    let mut rows = RowsBuilder::new(TableKind::CloudTrail);
    let mut pushed_bytes = 0_usize;
    let mut push_seconds = 0.0;
    let mut finish_seconds = 0.0;
    let mut last_batch = None;
    let mut pushed = 0;
    while pushed < total {
        let chunk = (total - pushed).min(options.row_group_rows);
        let started = Instant::now();
        for index in 0..chunk {
            let record = &records[(pushed + index) % records.len()];
            rows.push(record.as_bytes())?;
            pushed_bytes += record.len();
        }
        push_seconds += started.elapsed().as_secs_f64();
        let started = Instant::now();
        last_batch = Some(rows.finish()?);
        finish_seconds += started.elapsed().as_secs_f64();
        pushed += chunk;
    }
    println!(
        "push: {pushed} records in {push_seconds:.3} s = {:.0} records/s, {:.0} MB/s",
        pushed as f64 / push_seconds,
        pushed_bytes as f64 / push_seconds / 1e6
    );
    println!(
        "finish: {finish_seconds:.3} s in total ({:.0} ns per row)",
        finish_seconds * 1e9 / pushed as f64
    );
    if let Some(batch) = last_batch {
        let started = Instant::now();
        let summary = write_parquet(std::slice::from_ref(&batch), std::io::sink(), &options)?;
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "write_parquet: {} rows in {seconds:.3} s = {:.0} rows/s, {} bytes ({:.0} bytes per row)",
            summary.rows,
            summary.rows as f64 / seconds,
            summary.bytes,
            summary.bytes as f64 / summary.rows as f64
        );
    }
    Ok(())
}
