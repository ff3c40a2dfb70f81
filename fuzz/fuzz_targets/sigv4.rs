//! Any bytes as a SigV4 `Authorization` header, query string, `X-Amz-Date` and body:
//! parsing and verifying never panic.
//!
//! Input layout: the fields are separated by `0xff` bytes (never valid in a header or URI),
//! in the order authorization, query, date, body; missing fields are empty.
#![no_main]

use http::{HeaderMap, HeaderValue, Method, Uri};
use libfuzzer_sys::fuzz_target;
use opentrail_sigv4::{Secret, Verifier, parse_presented};

/// 2026-01-01T00:00:00Z, so well-formed dates near it reach the key lookup and signature.
const NOW_MS: i64 = 1_767_225_600_000;

fuzz_target!(|data: &[u8]| {
    let mut fields = data.splitn(4, |&byte| byte == 0xff);
    let authorization = fields.next().unwrap_or_default();
    let query = fields.next().unwrap_or_default();
    let date = fields.next().unwrap_or_default();
    let body = fields.next().unwrap_or_default();

    let mut uri_text = b"/?".to_vec();
    uri_text.extend_from_slice(query);
    let uri = Uri::try_from(uri_text).unwrap_or_else(|_| Uri::from_static("/"));
    let mut headers = HeaderMap::new();
    headers.insert(
        "host",
        HeaderValue::from_static("cloudtrail.us-east-1.amazonaws.com"),
    );
    headers.insert(
        "content-type",
        HeaderValue::from_static("application/x-amz-json-1.1"),
    );
    if let Ok(value) = HeaderValue::from_bytes(authorization) {
        headers.insert("authorization", value);
    }
    if let Ok(value) = HeaderValue::from_bytes(date) {
        headers.insert("x-amz-date", value);
    }

    let _ = parse_presented(&uri, &headers);
    let verifier = Verifier::new("us-east-1", "cloudtrail");
    let _ = verifier.verify(
        &Method::POST,
        &uri,
        &headers,
        body,
        NOW_MS,
        |access_key_id| {
            (access_key_id == "AKIDEXAMPLE")
                .then(|| Secret::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
        },
    );
});
