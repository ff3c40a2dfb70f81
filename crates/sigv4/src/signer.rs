//! Client-side signing, for our benchmark client, tests and CLI: [`sign`] adds
//! `X-Amz-Date` and `Authorization` to a request.

use std::fmt;

use http::HeaderValue;
use http::header::{AUTHORIZATION, CONTENT_TYPE, HOST};
use http::request::Parts;

use crate::canonical::{
    ALGORITHM, CanonicalRequest, canonical_query, canonical_uri, credential_scope, parse_query,
    sha256_hex, signature_hex, signing_key, string_to_sign, write_canonical_headers,
};
use crate::error::SignError;
use crate::presented::{HEADER_X_AMZ_DATE, HEADER_X_AMZ_SECURITY_TOKEN};
use crate::time::AmzDateTime;

/// An access key with its secret, and the session token of a temporary credential.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: String,
    session_token: Option<String>,
}

impl Credentials {
    /// Returns long-term credentials.
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<String>,
    ) -> Credentials {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
        }
    }

    /// Returns the credentials with a session token (sent as `X-Amz-Security-Token`).
    pub fn with_session_token(mut self, session_token: impl Into<String>) -> Credentials {
        self.session_token = Some(session_token.into());
        self
    }

    /// The access key ID.
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &str {
        &self.secret_access_key
    }

    /// The session token, if any.
    pub fn session_token(&self) -> Option<&str> {
        self.session_token.as_deref()
    }
}

impl fmt::Debug for Credentials {
    /// Shows the access key ID only.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &"<redacted>")
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "<redacted>"),
            )
            .finish()
    }
}

/// Who signs, for which region and service, and when.
#[derive(Debug, Clone, Copy)]
pub struct SigningParams<'a> {
    /// The signing credentials.
    pub credentials: &'a Credentials,
    /// The region of the credential scope, e.g. `us-east-1`.
    pub region: &'a str,
    /// The service (signing name) of the credential scope, e.g. `cloudtrail`.
    pub service: &'a str,
    /// The signing time, in milliseconds since the Unix epoch (truncated to the second).
    pub epoch_ms: i64,
}

/// Signs the request in `parts` with `body`: sets `X-Amz-Date`, `X-Amz-Security-Token`
/// (with a session token) and `Authorization`, and a `Host` header from the URI's authority
/// when there is none (default ports left out, as HTTP clients send it).
///
/// The signed headers are `host`, `content-type` when present, and every `x-amz-*` header
/// present (so `x-amz-date`, `x-amz-target`, `x-amz-security-token`), sorted. That is what
/// the aws CLI signs for a JSON 1.1 call, less `user-agent`-style headers a proxy may
/// rewrite. The payload hash is the SHA-256 of `body`, unless an `x-amz-content-sha256`
/// header is present, whose value is used as it is.
///
/// ```
/// use opentrail_sigv4::{Credentials, SigningParams, sign};
///
/// let (mut parts, body) = http::Request::post("http://localhost:8080/")
///     .header("content-type", "application/x-amz-json-1.1")
///     .header("x-amz-target", "CloudTrail_20131101.DescribeTrails")
///     .body(b"{}".to_vec())
///     .unwrap()
///     .into_parts();
/// let credentials = Credentials::new("AKIDEXAMPLE", "secret");
/// let params = SigningParams {
///     credentials: &credentials,
///     region: "us-east-1",
///     service: "cloudtrail",
///     epoch_ms: 1_767_225_600_000,
/// };
/// sign(&mut parts, &body, &params).unwrap();
/// assert_eq!(parts.headers["x-amz-date"], "20260101T000000Z");
/// assert_eq!(parts.headers["host"], "localhost:8080");
/// assert!(parts.headers["authorization"].to_str().unwrap().starts_with(
///     "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/cloudtrail/aws4_request, \
///      SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature="
/// ));
/// ```
///
/// # Errors
///
/// Returns [`SignError`] when the request has no host, when the access key ID, region or
/// service cannot be written into the credential scope, when the session token is not a
/// valid header value, or when `epoch_ms` is outside years 0000-9999.
pub fn sign(parts: &mut Parts, body: &[u8], params: &SigningParams<'_>) -> Result<(), SignError> {
    let time =
        AmzDateTime::from_epoch_millis(params.epoch_ms).ok_or(SignError::TimeOutOfRange {
            epoch_ms: params.epoch_ms,
        })?;
    let credentials = params.credentials;
    check_scope_part("access key id", credentials.access_key_id())?;
    check_scope_part("region", params.region)?;
    check_scope_part("service", params.service)?;

    if !parts.headers.contains_key(HOST) {
        let host = host_from_uri(&parts.uri).ok_or(SignError::MissingHost)?;
        parts.headers.insert(HOST, host);
    }
    parts.headers.remove(AUTHORIZATION);
    parts.headers.insert(
        HEADER_X_AMZ_DATE,
        HeaderValue::from_str(&time.to_string()).map_err(|_| SignError::TimeOutOfRange {
            epoch_ms: params.epoch_ms,
        })?,
    );
    if let Some(token) = credentials.session_token() {
        let value = HeaderValue::from_str(token).map_err(|_| SignError::InvalidParameter {
            name: "session token",
            value: token.to_owned(),
            reason: "not a valid header value",
        })?;
        parts.headers.insert(HEADER_X_AMZ_SECURITY_TOKEN, value);
    }

    let mut signed_headers: Vec<String> = parts
        .headers
        .keys()
        .map(|name| name.as_str())
        .filter(|name| *name == HOST || *name == CONTENT_TYPE || name.starts_with("x-amz-"))
        .map(str::to_owned)
        .collect();
    signed_headers.sort();
    signed_headers.dedup();
    let signed_headers_text = signed_headers.join(";");

    let mut header_block = Vec::new();
    // Cannot fail: every signed name was taken from the header map's own keys, and `host`
    // was inserted above when it was missing.
    write_canonical_headers(&mut header_block, &signed_headers, &parts.headers, None)
        .map_err(|_| SignError::MissingHost)?;
    let payload_hash = match parts.headers.get("x-amz-content-sha256") {
        Some(value) => String::from_utf8_lossy(value.as_bytes()).into_owned(),
        None => sha256_hex(body),
    };
    let canonical_request = CanonicalRequest {
        method: parts.method.as_str(),
        uri: &canonical_uri(parts.uri.path()),
        query: &canonical_query(&parse_query(parts.uri.query().unwrap_or("")), &[]),
        headers: &header_block,
        signed_headers: &signed_headers_text,
        payload_hash: &payload_hash,
    }
    .to_bytes();
    let date_stamp = time.date_stamp();
    let scope = credential_scope(&date_stamp, params.region, params.service);
    let key = signing_key(
        credentials.secret_access_key(),
        &date_stamp,
        params.region,
        params.service,
    );
    let signature = signature_hex(&key, &string_to_sign(time, &scope, &canonical_request));
    let authorization = format!(
        "{ALGORITHM} Credential={}/{scope}, SignedHeaders={signed_headers_text}, \
         Signature={signature}",
        credentials.access_key_id()
    );
    let mut value =
        HeaderValue::from_str(&authorization).map_err(|_| SignError::InvalidParameter {
            name: "access key id",
            value: credentials.access_key_id().to_owned(),
            reason: "not a valid header value",
        })?;
    value.set_sensitive(true);
    parts.headers.insert(AUTHORIZATION, value);
    Ok(())
}

/// Refuses values that would change the shape of `Credential=AKID/date/region/service/...`
/// or of the `Authorization` header: empty, or containing `/`, `,`, `=`, whitespace or
/// control characters.
fn check_scope_part(name: &'static str, value: &str) -> Result<(), SignError> {
    let reason = if value.is_empty() {
        "must not be empty"
    } else if value.chars().any(|character| {
        matches!(character, '/' | ',' | '=') || character.is_whitespace() || character.is_control()
    }) {
        "must not contain `/`, `,`, `=`, whitespace or control characters"
    } else {
        return Ok(());
    };
    Err(SignError::InvalidParameter {
        name,
        value: value.to_owned(),
        reason,
    })
}

/// The `Host` header an HTTP client sends for `uri`: its authority, without the port when
/// it is the scheme's default (the AWS SDK for Rust signs it the same way).
fn host_from_uri(uri: &http::Uri) -> Option<HeaderValue> {
    let authority = uri.authority()?;
    let is_default_port = matches!(
        (uri.scheme_str(), authority.port_u16()),
        (Some("http"), Some(80)) | (Some("https"), Some(443))
    );
    let host = if is_default_port {
        authority.host()
    } else {
        authority.as_str()
    };
    HeaderValue::from_str(host).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::Request;

    fn parts(uri: &str) -> Parts {
        Request::post(uri).body(()).unwrap().into_parts().0
    }

    fn params(credentials: &Credentials) -> SigningParams<'_> {
        SigningParams {
            credentials,
            region: "us-east-1",
            service: "cloudtrail",
            epoch_ms: 1_767_225_600_000,
        }
    }

    #[test]
    fn host_comes_from_the_uri_without_default_ports() {
        let credentials = Credentials::new("AKID", "secret");
        for (uri, host) in [
            ("http://example.com/", "example.com"),
            ("http://example.com:80/", "example.com"),
            ("https://example.com:443/", "example.com"),
            ("http://example.com:8080/", "example.com:8080"),
            ("https://example.com:80/", "example.com:80"),
        ] {
            let mut request = parts(uri);
            sign(&mut request, b"", &params(&credentials)).unwrap();
            assert_eq!(request.headers["host"], host, "{uri}");
        }
        let mut request = parts("/");
        assert_eq!(
            sign(&mut request, b"", &params(&credentials)),
            Err(SignError::MissingHost)
        );
    }

    #[test]
    fn refuses_parameters_that_break_the_scope() {
        let mut request = parts("http://example.com/");
        let credentials = Credentials::new("AK/ID", "secret");
        let error = sign(&mut request, b"", &params(&credentials)).unwrap_err();
        assert!(matches!(
            error,
            SignError::InvalidParameter {
                name: "access key id",
                ..
            }
        ));
        assert_eq!(
            error.to_string(),
            "invalid access key id `AK/ID`: must not contain `/`, `,`, `=`, whitespace or control characters"
        );
        let credentials = Credentials::new("AKID", "secret");
        let bad_region = SigningParams {
            region: "",
            ..params(&credentials)
        };
        assert!(sign(&mut request, b"", &bad_region).is_err());
        let bad_time = SigningParams {
            epoch_ms: i64::MAX,
            ..params(&credentials)
        };
        assert_eq!(
            sign(&mut request, b"", &bad_time),
            Err(SignError::TimeOutOfRange { epoch_ms: i64::MAX })
        );
        let bad_token = Credentials::new("AKID", "secret").with_session_token("a\nb");
        assert!(matches!(
            sign(&mut request, b"", &params(&bad_token)),
            Err(SignError::InvalidParameter {
                name: "session token",
                ..
            })
        ));
    }

    #[test]
    fn signs_content_type_host_and_amz_headers_only() {
        let credentials = Credentials::new("AKID", "secret").with_session_token("token");
        let (mut request, ()) = Request::post("http://example.com/")
            .header("content-type", "application/x-amz-json-1.1")
            .header("x-amz-target", "CloudTrail_20131101.DescribeTrails")
            .header("user-agent", "bench/1.0")
            .header("authorization", "stale")
            .body(())
            .unwrap()
            .into_parts();
        sign(&mut request, b"{}", &params(&credentials)).unwrap();
        let authorization = request.headers["authorization"].to_str().unwrap();
        assert!(authorization.contains(
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,"
        ));
        assert!(request.headers["authorization"].is_sensitive());
        assert_eq!(request.headers["x-amz-security-token"], "token");
        assert_eq!(request.headers.get_all("authorization").iter().count(), 1);
    }

    #[test]
    fn credentials_debug_hides_the_secret() {
        let credentials = Credentials::new("AKID", "very-secret").with_session_token("tok-en");
        let shown = format!("{credentials:?}");
        assert!(shown.contains("AKID"));
        assert!(!shown.contains("very-secret"));
        assert!(!shown.contains("tok-en"));
    }
}
