//! The console's rendering tests.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "tests fail by panicking"
)]

mod chart;
mod insights;
mod lake;
mod pages;
mod stores;
mod trails;
