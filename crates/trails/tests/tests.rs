//! Integration tests of the trail registry.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod support;

mod config_ops;
mod names;
mod persistence;
mod state_ops;
mod tags;
