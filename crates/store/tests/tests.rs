//! Integration tests of the event history.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod support;

mod accounts;
mod equivalence;
mod facets;
mod lifecycle;
mod semantics;
