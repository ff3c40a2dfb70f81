//! Integration tests of opentrail-lakestore: the journal writer, files and manifest,
//! compaction, retention, imports with deduplication, restarts.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod files;
mod support;
mod writer;
