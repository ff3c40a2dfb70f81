//! The canonical request, the string to sign and the signing key, as AWS specifies them
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html>), for
//! services other than S3.
//!
//! Everything is built as bytes: header values may carry non-UTF-8 octets, and both sides
//! hash bytes anyway.

use hmac::{Hmac, KeyInit, Mac};
use http::HeaderMap;
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode, percent_encode};
use sha2::{Digest, Sha256};

use crate::time::AmzDateTime;

/// The only algorithm we accept and produce.
pub(crate) const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The last element of every credential scope.
pub(crate) const SCOPE_TERMINATOR: &str = "aws4_request";

/// Everything but RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`) is encoded, as
/// the SigV4 `UriEncode` function requires.
const QUERY_COMPONENT_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');
/// The same for the path, where `/` separates segments and stays as it is.
const PATH_SET: &AsciiSet = &QUERY_COMPONENT_SET.remove(b'/');

type HmacSha256 = Hmac<Sha256>;

/// Returns the canonical URI of `path` (the path as sent on the wire, still
/// percent-encoded): dot segments and empty segments removed, then every byte outside the
/// unreserved set encoded again, so an already encoded `%20` becomes `%2520`. This double
/// encoding is what botocore and the AWS SDK for Rust do for every service but S3.
pub(crate) fn canonical_uri(path: &str) -> String {
    let normalized = normalize_path(path);
    percent_encode(normalized.as_bytes(), PATH_SET).to_string()
}

/// Removes `.` and `..` segments (RFC 3986 section 5.2.4) and empty segments (AWS merges
/// consecutive slashes), keeping a trailing slash; an empty path becomes `/`. Matches the
/// AWS SDK for Rust's `normalize_uri_path`.
fn normalize_path(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut normalized = String::with_capacity(path.len() + 1);
    normalized.push('/');
    normalized.push_str(&segments.join("/"));
    let keeps_trailing_slash = ["/", "/.", "/.."].iter().any(|end| path.ends_with(end));
    if keeps_trailing_slash && !normalized.ends_with('/') {
        normalized.push('/');
    }
    normalized
}

/// One decoded `key=value` pair of a query string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QueryPair {
    pub(crate) key: Vec<u8>,
    pub(crate) value: Vec<u8>,
}

/// Splits a raw query string into decoded pairs, as `application/x-www-form-urlencoded`
/// parsing does (and as the AWS SDK for Rust does when it signs): pairs split on `&`, empty
/// pairs skipped, a pair without `=` has an empty value, `+` is a space, `%XX` is a byte
/// and a malformed `%` sequence stays literal.
pub(crate) fn parse_query(query: &str) -> Vec<QueryPair> {
    let mut pairs = Vec::new();
    for piece in query.split('&') {
        if piece.is_empty() {
            continue;
        }
        let (key, value) = piece.split_once('=').unwrap_or((piece, ""));
        pairs.push(QueryPair {
            key: form_decode(key),
            value: form_decode(value),
        });
    }
    pairs
}

fn form_decode(text: &str) -> Vec<u8> {
    let spaced: Vec<u8> = text
        .bytes()
        .map(|byte| if byte == b'+' { b' ' } else { byte })
        .collect();
    percent_decode(&spaced).collect()
}

/// Returns the canonical query string: each key and value URI-encoded, pairs sorted by
/// encoded key and then encoded value, joined with `&`. Keys in `excluded_keys` (the
/// `X-Amz-Signature` of a presigned URL) are left out.
pub(crate) fn canonical_query(pairs: &[QueryPair], excluded_keys: &[&str]) -> String {
    let mut encoded: Vec<(String, String)> = Vec::with_capacity(pairs.len());
    for pair in pairs {
        if excluded_keys
            .iter()
            .any(|excluded| excluded.as_bytes() == pair.key.as_slice())
        {
            continue;
        }
        encoded.push((
            percent_encode(&pair.key, QUERY_COMPONENT_SET).to_string(),
            percent_encode(&pair.value, QUERY_COMPONENT_SET).to_string(),
        ));
    }
    encoded.sort();
    let mut canonical = String::new();
    for (index, (key, value)) in encoded.iter().enumerate() {
        if index > 0 {
            canonical.push('&');
        }
        canonical.push_str(key);
        canonical.push('=');
        canonical.push_str(value);
    }
    canonical
}

/// A signed header that the request does not carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MissingSignedHeader(pub(crate) String);

/// Appends the canonical headers block for `signed_headers` (lowercase, sorted): one
/// `name:value\n` line each, the values of a repeated header joined with `,`, each value
/// trimmed and with runs of spaces collapsed to one. `host` falls back to `authority`
/// (HTTP/2 carries it in `:authority`, which `http` keeps in the URI, not the header map).
pub(crate) fn write_canonical_headers(
    output: &mut Vec<u8>,
    signed_headers: &[String],
    headers: &HeaderMap,
    authority: Option<&str>,
) -> Result<(), MissingSignedHeader> {
    for name in signed_headers {
        output.extend_from_slice(name.as_bytes());
        output.push(b':');
        let mut values = headers.get_all(name.as_str()).iter().peekable();
        if values.peek().is_none() {
            match authority {
                Some(authority) if name == "host" => {
                    write_trimmed_value(output, authority.as_bytes());
                }
                _ => return Err(MissingSignedHeader(name.clone())),
            }
        }
        let mut first = true;
        for value in values {
            if !first {
                output.push(b',');
            }
            first = false;
            write_trimmed_value(output, value.as_bytes());
        }
        output.push(b'\n');
    }
    Ok(())
}

/// Writes `value` without leading or trailing spaces and with runs of spaces collapsed to
/// one. Only the space character counts, as in the AWS SDK for Rust (its comment: S3 trims
/// only spaces); the `http` crate forbids CR and LF in values, so no line can be injected.
fn write_trimmed_value(output: &mut Vec<u8>, value: &[u8]) {
    let mut pending_space = false;
    let mut wrote_any = false;
    for &byte in value {
        if byte == b' ' {
            pending_space = wrote_any;
            continue;
        }
        if pending_space {
            output.push(b' ');
            pending_space = false;
        }
        output.push(byte);
        wrote_any = true;
    }
}

/// The parts of a canonical request, each already in canonical form.
#[derive(Debug)]
pub(crate) struct CanonicalRequest<'a> {
    pub(crate) method: &'a str,
    pub(crate) uri: &'a str,
    pub(crate) query: &'a str,
    /// The canonical headers block (each line ends with `\n`).
    pub(crate) headers: &'a [u8],
    pub(crate) signed_headers: &'a str,
    pub(crate) payload_hash: &'a str,
}

impl CanonicalRequest<'_> {
    /// Returns the canonical request: method, URI, query, headers block, an empty line is
    /// implied by the block's last `\n`, signed header list, payload hash, joined with `\n`.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(
            self.method.len()
                + self.uri.len()
                + self.query.len()
                + self.headers.len()
                + self.signed_headers.len()
                + self.payload_hash.len()
                + 8,
        );
        for part in [self.method, self.uri, self.query] {
            bytes.extend_from_slice(part.as_bytes());
            bytes.push(b'\n');
        }
        bytes.extend_from_slice(self.headers);
        bytes.push(b'\n');
        bytes.extend_from_slice(self.signed_headers.as_bytes());
        bytes.push(b'\n');
        bytes.extend_from_slice(self.payload_hash.as_bytes());
        bytes
    }
}

/// Returns the credential scope `YYYYMMDD/region/service/aws4_request`.
pub(crate) fn credential_scope(date_stamp: &str, region: &str, service: &str) -> String {
    format!("{date_stamp}/{region}/{service}/{SCOPE_TERMINATOR}")
}

/// Returns the string to sign: algorithm, request time, scope and the hex SHA-256 of the
/// canonical request, joined with `\n`.
pub(crate) fn string_to_sign(time: AmzDateTime, scope: &str, canonical_request: &[u8]) -> String {
    format!(
        "{ALGORITHM}\n{time}\n{scope}\n{}",
        sha256_hex(canonical_request)
    )
}

/// Derives the signing key: `HMAC("AWS4" + secret, date)`, then region, service and
/// `aws4_request` in turn.
pub(crate) fn signing_key(
    secret_access_key: &str,
    date_stamp: &str,
    region: &str,
    service: &str,
) -> [u8; 32] {
    let mut secret = Vec::with_capacity(4 + secret_access_key.len());
    secret.extend_from_slice(b"AWS4");
    secret.extend_from_slice(secret_access_key.as_bytes());
    let date_key = hmac_sha256(&secret, date_stamp.as_bytes());
    let region_key = hmac_sha256(&date_key, region.as_bytes());
    let service_key = hmac_sha256(&region_key, service.as_bytes());
    hmac_sha256(&service_key, SCOPE_TERMINATOR.as_bytes())
}

/// Returns the lowercase hex signature of `string_to_sign` under `signing_key`.
pub(crate) fn signature_hex(signing_key: &[u8; 32], string_to_sign: &str) -> String {
    hex::encode(hmac_sha256(signing_key, string_to_sign.as_bytes()))
}

#[expect(
    clippy::expect_used,
    reason = "HMAC is defined for keys of any length, so the key is never refused"
)]
fn hmac_sha256(key: &[u8], data: &[u8]) -> [u8; 32] {
    // `new_from_slice` fails only for MACs with a fixed key size; HMAC hashes long keys
    // and pads short ones (RFC 2104 section 2), so every length is accepted.
    let mut mac = HmacSha256::new_from_slice(key).expect("hmac accepts keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// Returns the lowercase hex SHA-256 of `data`.
pub(crate) fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn canonical_uri_normalizes_and_double_encodes() {
        let cases = [
            ("", "/"),
            ("/", "/"),
            ("//", "/"),
            ("/a/b/../c", "/a/c"),
            ("/a/./b", "/a/b"),
            ("/a//b/", "/a/b/"),
            ("/a/b/.", "/a/b/"),
            ("/a/b/..", "/a/"),
            ("/../a", "/a"),
            ("/a/..", "/"),
            ("/a%20b", "/a%2520b"),
            ("/PutAuditEvents", "/PutAuditEvents"),
            ("/-._~/x", "/-._~/x"),
            (
                "/a:b@c!$&'()*+,;=",
                "/a%3Ab%40c%21%24%26%27%28%29%2A%2B%2C%3B%3D",
            ),
            ("/%2E%2E/x", "/%252E%252E/x"),
        ];
        for (path, expected) in cases {
            assert_eq!(canonical_uri(path), expected, "{path:?}");
        }
    }

    #[test]
    fn canonical_query_sorts_by_key_then_value_and_encodes_strictly() {
        let cases = [
            ("", ""),
            ("b=2&a=1", "a=1&b=2"),
            ("a=2&a=1&a=10", "a=1&a=10&a=2"),
            ("Param1=value2&Param1=Value1", "Param1=Value1&Param1=value2"),
            ("a", "a="),
            ("a=&b", "a=&b="),
            ("&&a=1&&", "a=1"),
            ("a=x=y", "a=x%3Dy"),
            ("a=%3D", "a=%3D"),
            ("a=%2B", "a=%2B"),
            ("a=b+c", "a=b%20c"),
            ("a=%3a%2f", "a=%3A%2F"),
            ("a=%zz", "a=%25zz"),
            ("%E2%82%AC=~", "%E2%82%AC=~"),
            ("a%20b=1&a=2", "a=2&a%20b=1"),
            (
                "externalId=ext%20id%2B1%3D2&channelArn=arn%3Aaws",
                "channelArn=arn%3Aaws&externalId=ext%20id%2B1%3D2",
            ),
        ];
        for (query, expected) in cases {
            assert_eq!(
                canonical_query(&parse_query(query), &[]),
                expected,
                "{query:?}"
            );
        }
    }

    #[test]
    fn canonical_query_drops_excluded_keys_only_when_exact() {
        let pairs = parse_query("X-Amz-Signature=abc&x-amz-signature=def&X-Amz-Date=1");
        assert_eq!(
            canonical_query(&pairs, &["X-Amz-Signature"]),
            "X-Amz-Date=1&x-amz-signature=def"
        );
    }

    #[test]
    fn canonical_headers_trim_collapse_and_join_repeated_values() {
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("example.com"));
        headers.append("x-amz-meta", HeaderValue::from_static("  a   b  "));
        headers.append("x-amz-meta", HeaderValue::from_static("c"));
        headers.insert("x-tab", HeaderValue::from_static("a\t\tb"));
        headers.insert("x-empty", HeaderValue::from_static(""));
        let signed: Vec<String> = ["host", "x-amz-meta", "x-empty", "x-tab"]
            .map(String::from)
            .to_vec();
        let mut output = Vec::new();
        write_canonical_headers(&mut output, &signed, &headers, None).unwrap();
        assert_eq!(
            String::from_utf8(output).unwrap(),
            "host:example.com\nx-amz-meta:a b,c\nx-empty:\nx-tab:a\t\tb\n"
        );
    }

    #[test]
    fn canonical_headers_take_host_from_authority_and_report_missing_headers() {
        let headers = HeaderMap::new();
        let mut output = Vec::new();
        write_canonical_headers(
            &mut output,
            &["host".to_owned()],
            &headers,
            Some("h.example:8443"),
        )
        .unwrap();
        assert_eq!(output, b"host:h.example:8443\n");
        let missing = write_canonical_headers(
            &mut Vec::new(),
            &["x-amz-date".to_owned()],
            &headers,
            Some("h.example"),
        );
        assert_eq!(missing, Err(MissingSignedHeader("x-amz-date".to_owned())));
    }

    /// The `get-vanilla` case of the AWS SigV4 test suite, with its published key and
    /// expected signature (also in the AWS SDK for Rust's `aws-sigv4` tests).
    #[test]
    fn signs_the_aws_get_vanilla_test_case() {
        let time = AmzDateTime::parse("20150830T123600Z").unwrap();
        let mut headers = HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("example.amazonaws.com"));
        headers.insert("x-amz-date", HeaderValue::from_static("20150830T123600Z"));
        let signed = ["host", "x-amz-date"].map(String::from).to_vec();
        let mut header_block = Vec::new();
        write_canonical_headers(&mut header_block, &signed, &headers, None).unwrap();
        let canonical = CanonicalRequest {
            method: "GET",
            uri: &canonical_uri("/"),
            query: "",
            headers: &header_block,
            signed_headers: "host;x-amz-date",
            payload_hash: &sha256_hex(b""),
        }
        .to_bytes();
        assert_eq!(
            String::from_utf8(canonical.clone()).unwrap(),
            "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n\
             e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        let scope = credential_scope("20150830", "us-east-1", "service");
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20150830",
            "us-east-1",
            "service",
        );
        assert_eq!(
            signature_hex(&key, &string_to_sign(time, &scope, &canonical)),
            "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
        );
    }

    /// The signing-key example of the AWS documentation ("Examples of how to derive a
    /// signing key for Signature Version 4").
    #[test]
    fn derives_the_documented_signing_key() {
        let key = signing_key(
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
            "20120215",
            "us-east-1",
            "iam",
        );
        assert_eq!(
            hex::encode(key),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
    }
}
