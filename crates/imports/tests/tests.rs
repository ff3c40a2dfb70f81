//! Integration tests of opentrail-imports: the runner on a committed bucket of real log
//! files (as a directory and as a local directory bucket), and the registry rules.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod persisted;
mod registry;
mod run;
mod support;
