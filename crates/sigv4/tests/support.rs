//! Shared helpers: a reference signer (the AWS SDK for Rust's `aws-sigv4`), CloudTrail-style
//! requests, and a reader for the captured `.http` files.

use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{
    PayloadChecksumKind, SignableBody, SignableRequest, SignatureLocation, SigningSettings,
};
use aws_sigv4::sign::v4;
use http::request::Parts;
use http::{HeaderName, HeaderValue, Request};
use opentrail_sigv4::{AuthError, Secret, Verified, Verifier};

pub const ACCESS_KEY_ID: &str = "AKIDEXAMPLE";
pub const SECRET_ACCESS_KEY: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
pub const REGION: &str = "us-east-1";
pub const SERVICE: &str = "cloudtrail";
/// 2026-01-01T00:00:00Z.
pub const SIGNED_AT_MS: i64 = 1_767_225_600_000;
pub const MINUTE_MS: i64 = 60_000;

/// A `LookupEvents` call as the aws CLI shapes it (less its unsigned headers).
pub fn cloudtrail_request(body: &[u8]) -> Request<Vec<u8>> {
    Request::post("https://cloudtrail.us-east-1.amazonaws.com/")
        .header("host", "cloudtrail.us-east-1.amazonaws.com")
        .header("content-type", "application/x-amz-json-1.1")
        .header(
            "x-amz-target",
            "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents",
        )
        .body(body.to_vec())
        .unwrap()
}

pub const LOOKUP_BODY: &[u8] = br#"{"LookupAttributes":[{"AttributeKey":"EventName","AttributeValue":"ConsoleLogin"}],"MaxResults":5}"#;

/// How the reference signer should sign.
#[derive(Clone, Copy)]
pub struct AwsSigning<'a> {
    pub access_key_id: &'a str,
    pub secret_access_key: &'a str,
    pub session_token: Option<&'a str>,
    pub region: &'a str,
    pub service: &'a str,
    pub epoch_ms: i64,
    /// `Some(seconds)` presigns (query parameters) instead of signing headers.
    pub presign_expires_secs: Option<u64>,
    pub unsigned_payload: bool,
    pub content_sha256_header: bool,
}

impl Default for AwsSigning<'_> {
    fn default() -> Self {
        AwsSigning {
            access_key_id: ACCESS_KEY_ID,
            secret_access_key: SECRET_ACCESS_KEY,
            session_token: None,
            region: REGION,
            service: SERVICE,
            epoch_ms: SIGNED_AT_MS,
            presign_expires_secs: None,
            unsigned_payload: false,
            content_sha256_header: false,
        }
    }
}

/// Signs `request` in place with the AWS SDK for Rust's signer, default settings (double
/// path encoding, path normalisation: what the SDK uses for every service but S3).
pub fn aws_sign(request: &mut Request<Vec<u8>>, signing: AwsSigning<'_>) {
    let credentials = aws_credential_types::Credentials::new(
        signing.access_key_id,
        signing.secret_access_key,
        signing.session_token.map(str::to_owned),
        None,
        "opentrail-sigv4-tests",
    );
    let identity = credentials.into();
    let mut settings = SigningSettings::default();
    if let Some(expires_secs) = signing.presign_expires_secs {
        settings.signature_location = SignatureLocation::QueryParams;
        settings.expires_in = Some(Duration::from_secs(expires_secs));
    }
    if signing.content_sha256_header {
        settings.payload_checksum_kind = PayloadChecksumKind::XAmzSha256;
    }
    let time = SystemTime::UNIX_EPOCH + Duration::from_millis(signing.epoch_ms.try_into().unwrap());
    let params = v4::SigningParams::builder()
        .identity(&identity)
        .region(signing.region)
        .name(signing.service)
        .time(time)
        .settings(settings)
        .build()
        .unwrap()
        .into();
    let body = if signing.unsigned_payload {
        SignableBody::UnsignedPayload
    } else {
        SignableBody::Bytes(request.body())
    };
    let uri = request.uri().to_string();
    let signable = SignableRequest::new(
        request.method().as_str(),
        uri,
        request
            .headers()
            .iter()
            .map(|(name, value)| (name.as_str(), value.to_str().unwrap())),
        body,
    )
    .unwrap();
    let (instructions, _signature) = aws_sigv4::http_request::sign(signable, &params)
        .unwrap()
        .into_parts();
    instructions.apply_to_request_http1x(request);
}

/// Looks up the one test key.
pub fn lookup(access_key_id: &str) -> Option<Secret> {
    (access_key_id == ACCESS_KEY_ID).then(|| Secret::new(SECRET_ACCESS_KEY))
}

/// Verifies `request` for the test region and CloudTrail at `now_ms`.
pub fn verify(request: &Request<Vec<u8>>, now_ms: i64) -> Result<Verified, AuthError> {
    verify_with(request, now_ms, lookup)
}

/// Verifies `request` for the test region and CloudTrail with `lookup_secret`.
pub fn verify_with(
    request: &Request<Vec<u8>>,
    now_ms: i64,
    lookup_secret: impl FnOnce(&str) -> Option<Secret>,
) -> Result<Verified, AuthError> {
    Verifier::new(REGION, SERVICE).verify(
        request.method(),
        request.uri(),
        request.headers(),
        request.body(),
        now_ms,
        lookup_secret,
    )
}

/// Returns the text of header `name`.
pub fn header<'a>(request: &'a Request<Vec<u8>>, name: &str) -> &'a str {
    request.headers()[name].to_str().unwrap()
}

/// Replaces header `name` with `value`.
pub fn set_header(request: &mut Request<Vec<u8>>, name: &'static str, value: &str) {
    request.headers_mut().insert(
        HeaderName::from_static(name),
        HeaderValue::from_str(value).unwrap(),
    );
}

/// A request read from a `.http` capture: request line, headers as sent, blank line, body.
pub struct Capture {
    pub parts: Parts,
    pub body: Vec<u8>,
}

impl Capture {
    /// Reads `tests/data/<name>.http`.
    pub fn load(name: &str) -> Capture {
        let path = format!("{}/tests/data/{name}.http", env!("CARGO_MANIFEST_DIR"));
        let bytes = std::fs::read(&path).unwrap();
        let split = bytes
            .windows(4)
            .position(|window| window == b"\r\n\r\n")
            .unwrap();
        let head = std::str::from_utf8(&bytes[..split]).unwrap();
        let body = bytes[split + 4..].to_vec();
        let mut lines = head.split("\r\n");
        let mut request_line = lines.next().unwrap().split(' ');
        let method = request_line.next().unwrap();
        let target = request_line.next().unwrap();
        let mut builder = Request::builder().method(method).uri(target);
        for line in lines {
            let (name, value) = line.split_once(": ").unwrap();
            builder = builder.header(name, value);
        }
        let (parts, ()) = builder.body(()).unwrap().into_parts();
        Capture { parts, body }
    }

    /// The capture as a request.
    pub fn request(&self) -> Request<Vec<u8>> {
        let mut builder = Request::builder()
            .method(self.parts.method.clone())
            .uri(self.parts.uri.clone());
        for (name, value) in &self.parts.headers {
            builder = builder.header(name, value);
        }
        builder.body(self.body.clone()).unwrap()
    }

    /// The capture's `X-Amz-Date`, in milliseconds since the epoch.
    pub fn signed_at_ms(&self) -> i64 {
        let text = self.parts.headers["x-amz-date"].to_str().unwrap();
        opentrail_sigv4::AmzDateTime::parse(text)
            .unwrap()
            .epoch_millis()
    }
}
