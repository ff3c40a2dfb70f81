//! In-process tests of the server: bound to 127.0.0.1:0, stopped through the shutdown
//! future, driven by a small signing HTTP client.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod console;
mod insights;
mod robustness;
mod support;
