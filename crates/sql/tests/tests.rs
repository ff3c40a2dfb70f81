//! Integration tests of opentrail-sql: `.slt` files over two small test stores,
//! the shared Lake fixture queries, and engine behaviour (pruning statistics,
//! cancellation, limits).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod support;

mod engine;
mod fixtures;
mod slt;
