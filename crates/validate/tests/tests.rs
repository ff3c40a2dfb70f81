//! Integration tests of `opentrail-validate`: signed trails in local bucket directories.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod aws_cli_vectors;
mod compat;
mod dump;
mod strict;
mod support;
