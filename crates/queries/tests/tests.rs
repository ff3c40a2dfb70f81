//! Integration tests of opentrail-queries.
#![allow(
    clippy::unwrap_used,
    reason = "test helpers fail the test by panicking, like the tests they serve"
)]

mod common;
mod delivery;
mod lifecycle;
mod listing;
mod paging;
mod persistence;
