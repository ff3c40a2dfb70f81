//! End-to-end tests of the `opentrail` binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod aws_cli;
mod commands;
mod console;
mod delivery_crash;
mod endpoint;
mod insights;
mod insights_api;
mod integrity;
mod lake_api;
mod lake_cli;
mod rules_api;
mod rules_delivery;
mod serve;
mod support;
mod trails_api;
