//! Integration tests of `opentrail-blob`: one test binary, one module per area. The S3 tests
//! run against a real `moto_server` and fail when it is not installed.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod conformance;
mod local;
mod moto;
mod resolver;
mod s3;
mod settings;
