//! Integration tests of `opentrail-lake`: the rules of every operation as tables, the
//! lifecycle of stores, channels, tags, policies, persistence and paging.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod channels;
mod insights;
mod lifecycle;
mod persistence;
mod resources;
mod stores;
mod support;
