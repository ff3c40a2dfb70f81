//! Integration tests of `opentrail-archive`: the real fixture files under `testdata/`, and
//! inputs the tests generate (gzip bombs, truncated streams, archive trees).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod allocation;
mod discover;
mod fixtures;
mod gzip;
mod support;
mod throughput;

#[global_allocator]
static ALLOCATOR: allocation::CountingAllocator = allocation::CountingAllocator;
