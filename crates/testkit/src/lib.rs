//! Test support shared by OpenTrail's crates (dev-dependency only).
//!
//! - [`testdata`]: paths into the repository's `testdata/` (copies of public fixtures, each
//!   with its licence note).
//! - [`golden`]: compare output with a committed expected file; `UPDATE_GOLDEN=1` rewrites it.
//! - [`records`]: small record builders for unit tests.
#![warn(missing_docs)]
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    reason = "test support: a failure here is a failed test, and should stop it"
)]

pub mod golden;
pub mod records;
pub mod testdata;
