//! Integration tests of `opentrail-selectors`: evaluation and validation tables, real and
//! published records from `testdata/`, and property tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod evaluation;
mod fixtures;
mod properties;
mod support;
mod validation;
