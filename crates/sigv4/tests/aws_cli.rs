//! Requests captured from the real aws CLI (aws-cli 1.45.11, botocore 1.43.11) by
//! `tests/data/capture_aws_cli.py`, which runs the CLI against a local stub with test-only
//! credentials and writes each request as sent: request line, headers, body. Re-run the
//! script to refresh them; the tests read every time from the capture itself.

use http::Request;
use opentrail_sigv4::{AuthErrorKind, Credentials, Secret, SigningParams, Verifier, sign};

use crate::support::{Capture, MINUTE_MS, header};

/// The credentials in `capture_aws_cli.py`.
const ACCESS_KEY_ID: &str = "AKIDOPENTRAILTEST";
const SECRET_ACCESS_KEY: &str = "opentrail/test/secret/key/do-not-use/0000000";
const SESSION_TOKEN: &str = "FQoGZXIvYXdzEOPENTRAILTESTSESSIONTOKEN//////////wEaDOPENTRAIL";

fn lookup(access_key_id: &str) -> Option<Secret> {
    (access_key_id == ACCESS_KEY_ID).then(|| Secret::new(SECRET_ACCESS_KEY))
}

fn lookup_with_token(access_key_id: &str) -> Option<Secret> {
    lookup(access_key_id).map(|secret| secret.with_session_token(SESSION_TOKEN))
}

fn cloudtrail() -> Verifier {
    Verifier::new("us-east-1", "cloudtrail")
}

#[test]
fn cli_lookup_events_verifies_at_its_time() {
    let capture = Capture::load("cli_lookup_events");
    let signed_at = capture.signed_at_ms();
    let verified = cloudtrail()
        .verify_parts(&capture.parts, &capture.body, signed_at, lookup)
        .unwrap();
    assert_eq!(verified.access_key_id, ACCESS_KEY_ID);
    assert_eq!(verified.service, "cloudtrail");
}

#[test]
fn cli_lookup_events_expires_sixteen_minutes_later() {
    let capture = Capture::load("cli_lookup_events");
    let signed_at = capture.signed_at_ms();
    let error = cloudtrail()
        .verify_parts(
            &capture.parts,
            &capture.body,
            signed_at + 16 * MINUTE_MS,
            lookup,
        )
        .unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SignatureExpired);
    assert_eq!(error.aws_code(), "InvalidSignatureException");
    let date = |ms: i64| opentrail_sigv4::AmzDateTime::from_epoch_millis(ms).unwrap();
    assert_eq!(
        error.message(),
        format!(
            "Signature expired: {} is now earlier than {} ({} - 15 min.)",
            date(signed_at),
            date(signed_at + MINUTE_MS),
            date(signed_at + 16 * MINUTE_MS)
        )
    );
    assert_eq!(error.access_key_id(), Some(ACCESS_KEY_ID));
}

#[test]
fn cli_lookup_events_is_not_yet_current_sixteen_minutes_earlier() {
    let capture = Capture::load("cli_lookup_events");
    let signed_at = capture.signed_at_ms();
    let error = cloudtrail()
        .verify_parts(
            &capture.parts,
            &capture.body,
            signed_at - 16 * MINUTE_MS,
            lookup,
        )
        .unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SignatureNotYetCurrent);
    let date = |ms: i64| opentrail_sigv4::AmzDateTime::from_epoch_millis(ms).unwrap();
    assert_eq!(
        error.message(),
        format!(
            "Signature not yet current: {} is still later than {} ({} + 15 min.)",
            date(signed_at),
            date(signed_at - MINUTE_MS),
            date(signed_at - 16 * MINUTE_MS)
        )
    );
}

#[test]
fn cli_lookup_events_fails_when_the_body_changes() {
    let capture = Capture::load("cli_lookup_events");
    let mut body = capture.body.clone();
    let position = body.iter().position(|&byte| byte == b'5').unwrap();
    body[position] = b'6';
    let error = cloudtrail()
        .verify_parts(&capture.parts, &body, capture.signed_at_ms(), lookup)
        .unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SignatureDoesNotMatch);
}

#[test]
fn cli_session_token_request_needs_the_issued_token() {
    let capture = Capture::load("cli_describe_trails_session_token");
    let signed_at = capture.signed_at_ms();
    let verified = cloudtrail()
        .verify_parts(&capture.parts, &capture.body, signed_at, lookup_with_token)
        .unwrap();
    assert!(verified.has_session_token);
    let error = cloudtrail()
        .verify_parts(&capture.parts, &capture.body, signed_at, lookup)
        .unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::InvalidSecurityToken);
}

/// `POST /PutAuditEvents?channelArn=...&externalId=...` to the `cloudtrail-data` service:
/// botocore's query encoding (`%20`, `%2B`, `%3D`) must canonicalise as AWS does.
#[test]
fn cli_put_audit_events_with_query_verifies() {
    let capture = Capture::load("cli_put_audit_events");
    assert!(
        capture
            .parts
            .uri
            .query()
            .unwrap()
            .contains("externalId=ext%20id%2B1%3D2")
    );
    let verified = Verifier::new("us-east-1", "cloudtrail-data")
        .verify_parts(
            &capture.parts,
            &capture.body,
            capture.signed_at_ms(),
            lookup,
        )
        .unwrap();
    assert_eq!(verified.service, "cloudtrail-data");
    let error = cloudtrail()
        .verify_parts(
            &capture.parts,
            &capture.body,
            capture.signed_at_ms(),
            lookup,
        )
        .unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::InvalidCredentialScope);
    assert_eq!(
        error.message(),
        "Credential should be scoped to correct service: 'cloudtrail'. "
    );
}

/// Our signer, given what the CLI sent less its `Authorization`, reproduces the CLI's
/// `Authorization` byte for byte: same signed headers, same canonical request.
#[test]
fn our_signer_reproduces_the_cli_signatures() {
    let cases = [
        ("cli_lookup_events", "cloudtrail", None),
        (
            "cli_describe_trails_session_token",
            "cloudtrail",
            Some(SESSION_TOKEN),
        ),
        ("cli_put_audit_events", "cloudtrail-data", None),
    ];
    for (name, service, session_token) in cases {
        let capture = Capture::load(name);
        let sent: Request<Vec<u8>> = capture.request();
        let (mut parts, body) = capture.request().into_parts();
        parts.headers.remove("authorization");
        parts.headers.remove("x-amz-security-token");
        let mut credentials = Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
        if let Some(token) = session_token {
            credentials = credentials.with_session_token(token);
        }
        let params = SigningParams {
            credentials: &credentials,
            region: "us-east-1",
            service,
            epoch_ms: capture.signed_at_ms(),
        };
        sign(&mut parts, &body, &params).unwrap();
        let ours = Request::from_parts(parts, body);
        assert_eq!(
            header(&ours, "authorization"),
            header(&sent, "authorization"),
            "{name}"
        );
    }
}
