//! Integration tests of `opentrail-digest` (one test binary, see STYLE.md §5).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod aws_cli;
mod common;
mod golden;
mod gzip;
mod keyring;
mod sign_verify;
mod vectors;
