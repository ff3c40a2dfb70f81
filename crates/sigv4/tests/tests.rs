//! Integration tests of `opentrail-sigv4`: our verifier and signer against the AWS SDK for
//! Rust's signer (`aws-sigv4`) and against requests captured from the real aws CLI.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests fail by panicking"
)]

mod aws_cli;
mod aws_sdk;
mod malformed;
mod properties;
mod support;
