//! Malformed and hostile signatures: each gets the AWS error kind and message, never a panic.

use http::Request;
use opentrail_sigv4::{AuthErrorKind, MAX_AUTHORIZATION_BYTES};

use crate::support::{
    ACCESS_KEY_ID, AwsSigning, LOOKUP_BODY, SIGNED_AT_MS, aws_sign, cloudtrail_request, header,
    set_header, verify, verify_with,
};

const GOOD_SIGNATURE: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// A CloudTrail request with `authorization` and `X-Amz-Date: 20260101T000000Z`.
fn with_authorization(authorization: &str) -> Request<Vec<u8>> {
    let mut request = cloudtrail_request(LOOKUP_BODY);
    set_header(&mut request, "x-amz-date", "20260101T000000Z");
    set_header(&mut request, "authorization", authorization);
    request
}

fn authorization(credential: &str, signed_headers: &str, signature: &str) -> String {
    format!(
        "AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders={signed_headers}, \
         Signature={signature}"
    )
}

const CREDENTIAL: &str = "AKIDEXAMPLE/20260101/us-east-1/cloudtrail/aws4_request";
const SIGNED: &str = "content-type;host;x-amz-date;x-amz-target";

#[test]
fn missing_or_foreign_authorization_is_a_missing_token() {
    for value in [
        None,
        Some("Bearer abc"),
        Some("AWS4"),
        Some("AWS AKID:c2ln"),
    ] {
        let mut request = cloudtrail_request(LOOKUP_BODY);
        if let Some(value) = value {
            set_header(&mut request, "authorization", value);
        }
        let error = verify(&request, SIGNED_AT_MS).unwrap_err();
        assert_eq!(
            error.kind(),
            AuthErrorKind::MissingAuthenticationToken,
            "{value:?}"
        );
        assert_eq!(error.aws_code(), "MissingAuthenticationTokenException");
        assert_eq!(error.http_status(), 400);
    }
}

#[test]
fn missing_components_are_incomplete() {
    let cases = [
        format!("AWS4-HMAC-SHA256 SignedHeaders={SIGNED}, Signature={GOOD_SIGNATURE}"),
        format!("AWS4-HMAC-SHA256 Credential={CREDENTIAL}, Signature={GOOD_SIGNATURE}"),
        format!("AWS4-HMAC-SHA256 Credential={CREDENTIAL}, SignedHeaders={SIGNED}"),
        "AWS4-HMAC-SHA256".to_owned(),
        "AWS4-".to_owned(),
        "AWS4-HMAC-SHA256 ,,,".to_owned(),
    ];
    for value in cases {
        let error = verify(&with_authorization(&value), SIGNED_AT_MS).unwrap_err();
        assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature, "{value}");
        assert_eq!(error.aws_code(), "IncompleteSignatureException");
        assert!(error.message().ends_with(&format!("Authorization={value}")));
    }
}

#[test]
fn wrong_algorithm_is_incomplete() {
    let value = authorization(CREDENTIAL, SIGNED, GOOD_SIGNATURE)
        .replace("AWS4-HMAC-SHA256", "AWS4-HMAC-SHA1");
    let error = verify(&with_authorization(&value), SIGNED_AT_MS).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature);
    assert_eq!(
        error.message(),
        "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA1' (only AWS4-HMAC-SHA256 for now). "
    );
}

#[test]
fn bad_credential_scopes() {
    let error = verify(
        &with_authorization(&authorization(
            "AKIDEXAMPLE/20260101/us-east-1/cloudtrail",
            SIGNED,
            GOOD_SIGNATURE,
        )),
        SIGNED_AT_MS,
    )
    .unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature);

    // Every scope mismatch at once, each in AWS's words, in AWS's order.
    let error = verify(
        &with_authorization(&authorization(
            "AKIDEXAMPLE/20251231/eu-west-9/dynamodb/aws5_request",
            SIGNED,
            GOOD_SIGNATURE,
        )),
        SIGNED_AT_MS,
    )
    .unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::InvalidCredentialScope);
    assert_eq!(
        error.message(),
        "Credential should be scoped to a valid region, not 'eu-west-9'. Credential should be \
         scoped to correct service: 'cloudtrail'. Credential should be scoped with a valid \
         terminator: 'aws4_request', not 'aws5_request'. Date in Credential scope does not \
         match YYYYMMDD from ISO-8601 version of date from HTTP: '20251231' != '20260101', \
         from '20260101T000000Z'."
    );
    assert_eq!(error.access_key_id(), Some(ACCESS_KEY_ID));

    // A scope problem wins over an unknown key, as in AWS.
    let error = verify_with(
        &with_authorization(&authorization(
            "AKIDUNKNOWN/20260101/eu-west-9/cloudtrail/aws4_request",
            SIGNED,
            GOOD_SIGNATURE,
        )),
        SIGNED_AT_MS,
        |_| panic!("no lookup before the scope is checked"),
    )
    .unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::InvalidCredentialScope);
    assert_eq!(error.access_key_id(), Some("AKIDUNKNOWN"));
}

#[test]
fn bad_dates_are_incomplete() {
    for date in [
        "",
        "2026",
        "2026-01-01T00:00:00Z",
        "20260101T000000",
        "20261301T000000Z",
        "Thu, 01 Jan 2026 00:00:00 GMT",
    ] {
        let mut request = with_authorization(&authorization(CREDENTIAL, SIGNED, GOOD_SIGNATURE));
        set_header(&mut request, "x-amz-date", date);
        let error = verify(&request, SIGNED_AT_MS).unwrap_err();
        assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature, "{date:?}");
        assert!(
            error
                .message()
                .starts_with("Date must be in ISO-8601 'basic format'."),
            "{}",
            error.message()
        );
    }
}

#[test]
fn host_must_be_signed() {
    let error = verify(
        &with_authorization(&authorization(
            CREDENTIAL,
            "content-type;x-amz-date",
            GOOD_SIGNATURE,
        )),
        SIGNED_AT_MS,
    )
    .unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::InvalidSignature);
    assert_eq!(
        error.message(),
        "'Host' must be a 'SignedHeader' in the AWS Authorization."
    );
}

#[test]
fn non_hex_or_wrong_length_signatures_do_not_match() {
    let mut request = cloudtrail_request(LOOKUP_BODY);
    aws_sign(&mut request, AwsSigning::default());
    let good = header(&request, "authorization").to_owned();
    let signature = good.rsplit_once("Signature=").unwrap().1.to_owned();
    for replacement in [
        signature.to_uppercase(),
        format!("{}g", &signature[..63]),
        signature[..63].to_owned(),
        format!("{signature}0"),
        "zz".to_owned(),
    ] {
        let mut tampered = request.clone();
        set_header(
            &mut tampered,
            "authorization",
            &good.replace(&signature, &replacement),
        );
        let error = verify(&tampered, SIGNED_AT_MS).unwrap_err();
        assert_eq!(
            error.kind(),
            AuthErrorKind::SignatureDoesNotMatch,
            "{replacement}"
        );
    }
}

#[test]
fn huge_authorization_headers_are_refused_without_echoing_them() {
    let huge = authorization(CREDENTIAL, SIGNED, &"a".repeat(MAX_AUTHORIZATION_BYTES));
    let error = verify(&with_authorization(&huge), SIGNED_AT_MS).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature);
    assert!(error.message().len() < 200);

    let many_headers: Vec<String> = (0..1000).map(|index| format!("x-h{index:04}")).collect();
    let value = authorization(CREDENTIAL, &many_headers.join(";"), GOOD_SIGNATURE);
    assert!(value.len() <= MAX_AUTHORIZATION_BYTES);
    let error = verify(&with_authorization(&value), SIGNED_AT_MS).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature);
}

#[test]
fn odd_but_harmless_inputs_never_panic() {
    let values = [
        "AWS4-HMAC-SHA256 Credential=/////, SignedHeaders=host, Signature=",
        "AWS4-HMAC-SHA256 Credential====, SignedHeaders===, Signature===",
        "AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=host, Signature=x, Signature=y",
        "AWS4-HMAC-SHA256 Credential=é/€/𝄞/d/e, SignedHeaders=host, Signature=x",
        "AWS4-HMAC-SHA256\tCredential=a/b/c/d/e,SignedHeaders=host,Signature=x",
        "AWS4-HMAC-SHA256 Credential=a/20260101/us-east-1/cloudtrail/aws4_request, \
         SignedHeaders=host, Signature=x, Extra=1",
    ];
    for value in values {
        let mut request = cloudtrail_request(LOOKUP_BODY);
        set_header(&mut request, "x-amz-date", "20260101T000000Z");
        request.headers_mut().insert(
            "authorization",
            http::HeaderValue::from_bytes(value.as_bytes()).unwrap(),
        );
        let error = verify(&request, SIGNED_AT_MS).unwrap_err();
        assert_ne!(
            error.kind(),
            AuthErrorKind::MissingAuthenticationToken,
            "{value}"
        );
    }
}
