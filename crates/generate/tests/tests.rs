//! Integration tests of `opentrail-generate`: the files it writes, read back as a consumer
//! would.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod bursts;
mod determinism;
mod output;
mod support;
mod traffic;
