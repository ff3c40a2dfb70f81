//! Golden wire files of the operations (STYLE.md §5).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod events_wire;
mod fakes;
mod import_wire;
mod lake_wire;
mod query_wire;
mod support;
mod trails_wire;
mod wire;
