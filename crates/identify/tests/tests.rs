//! Integration tests of `opentrail-identify`: the golden table of named requests and
//! property tests over arbitrary requests (one test binary, see STYLE.md §5).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod golden;
mod properties;
