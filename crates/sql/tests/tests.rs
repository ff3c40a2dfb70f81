//! Integration tests of opentrail-sql: `.slt` files over the test stores (see
//! `support`), the shared Lake fixture queries, answers over the fixture
//! records, and engine behaviour (pruning statistics, cancellation, limits).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod support;

mod engine;
mod fixture_data;
mod fixtures;
mod slt;
