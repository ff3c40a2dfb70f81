//! AWS Signature Version 4 for OpenTrail: verification on the server and signing on the
//! client, on the `http` crate's types and nothing else.
//!
//! - [`parse_presented`] reads the signature a request presents (the `Authorization` header
//!   or presigned query parameters) without a key or a clock: access key ID, credential
//!   scope, signed headers, request time. A proxy that only attributes calls uses this alone.
//! - [`Verifier`] checks a request for one region and service, in AWS's order of checks, and
//!   returns who signed it ([`Verified`]) or an [`AuthError`] carrying the AWS error code,
//!   HTTP status and message a JSON 1.1 service would send.
//! - [`sign`] signs a request with [`Credentials`], as the aws CLI would, for our benchmark
//!   client, tests and CLI.
//!
//! Time is always passed in (milliseconds since the Unix epoch); nothing reads the clock.
//! The canonical request follows
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html> for
//! services other than S3 (paths normalised and encoded twice).
//!
//! ```
//! use opentrail_sigv4::{AuthErrorKind, Credentials, Secret, SigningParams, Verifier, sign};
//!
//! let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
//! let body = br#"{"MaxResults":5}"#;
//! let (mut parts, ()) = http::Request::post("http://localhost:8080/")
//!     .header("content-type", "application/x-amz-json-1.1")
//!     .header("x-amz-target", "CloudTrail_20131101.LookupEvents")
//!     .body(())
//!     .unwrap()
//!     .into_parts();
//! let signed_at = 1_767_225_600_000; // 2026-01-01T00:00:00Z
//! let params = SigningParams { credentials: &credentials, region: "us-east-1", service: "cloudtrail", epoch_ms: signed_at };
//! sign(&mut parts, body, &params).unwrap();
//!
//! let verifier = Verifier::new("us-east-1", "cloudtrail");
//! let lookup = |access_key_id: &str| {
//!     (access_key_id == "AKIDEXAMPLE").then(|| Secret::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
//! };
//! let verified = verifier.verify_parts(&parts, body, signed_at + 1_000, lookup).unwrap();
//! assert_eq!(verified.access_key_id, "AKIDEXAMPLE");
//!
//! // Sixteen minutes later the same request is refused.
//! let error = verifier.verify_parts(&parts, body, signed_at + 16 * 60_000, lookup).unwrap_err();
//! assert_eq!(error.kind(), AuthErrorKind::SignatureExpired);
//! assert_eq!(error.aws_code(), "InvalidSignatureException");
//! assert_eq!(error.access_key_id(), Some("AKIDEXAMPLE"));
//! ```
#![warn(missing_docs)]

mod canonical;
mod error;
mod presented;
mod signer;
mod time;
mod verify;

pub use error::{AuthError, AuthErrorKind, SignError};
pub use presented::{
    MAX_AUTHORIZATION_BYTES, MAX_PRESIGNED_EXPIRES_SECS, MAX_QUERY_BYTES, MAX_SESSION_TOKEN_BYTES,
    MAX_SIGNED_HEADERS, PresentedSignature, SignatureLocation, parse_presented,
};
pub use signer::{Credentials, SigningParams, sign};
pub use time::AmzDateTime;
pub use verify::{DEFAULT_MAX_SKEW, Secret, UNSIGNED_PAYLOAD, Verified, Verifier};
