//! Integration tests of opentrail-columnar: schema goldens, mapping table tests, the real
//! fixture records, Parquet files (also read by pyarrow and DuckDB), property tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod fixtures;
mod mapping;
mod mapping_kinds;
mod merge;
mod other_readers;
mod parquet_files;
mod properties;
mod schema_golden;
mod support;
