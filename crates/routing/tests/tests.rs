//! Tests of rule routing: envelope goldens and delivery against a local webhook server.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod files;
mod golden;
mod support;
mod webhook;
