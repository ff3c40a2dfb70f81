//! Integration tests of `opentrail-policy`: realistic VPC endpoint policies (the AWS
//! examples) with exact decisions, malformed documents with their exact messages, and
//! property tests (one test binary, as STYLE.md asks).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod examples;
mod malformed;
mod properties;
mod support;
