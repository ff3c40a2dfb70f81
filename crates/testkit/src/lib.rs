//! Test support shared by OpenTrail's crates (dev-dependency only).
//!
//! - [`testdata`]: paths into the repository's `testdata/` (copies of public fixtures, each
//!   with its licence note).
//! - [`golden`]: compare output with a committed expected file; `UPDATE_GOLDEN=1` rewrites it.
//! - [`records`]: small record builders for unit tests.
#![warn(missing_docs)]

pub mod golden;
pub mod records;
pub mod testdata;
