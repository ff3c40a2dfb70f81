//! Our verifier against signatures made by the AWS SDK for Rust's signer (`aws-sigv4`), and
//! our signer against its output, byte for byte.

use http::Request;
use opentrail_sigv4::{
    AmzDateTime, AuthErrorKind, Credentials, Secret, SignatureLocation, SigningParams, sign,
};

use crate::support::{
    ACCESS_KEY_ID, AwsSigning, LOOKUP_BODY, MINUTE_MS, REGION, SECRET_ACCESS_KEY, SERVICE,
    SIGNED_AT_MS, aws_sign, cloudtrail_request, header, lookup, set_header, verify, verify_with,
};

fn aws_signed_lookup_events() -> Request<Vec<u8>> {
    let mut request = cloudtrail_request(LOOKUP_BODY);
    aws_sign(&mut request, AwsSigning::default());
    request
}

#[test]
fn verifies_cloudtrail_requests_signed_by_aws_sigv4() {
    let request = aws_signed_lookup_events();
    assert!(
        header(&request, "authorization")
            .contains("SignedHeaders=content-type;host;x-amz-date;x-amz-target,")
    );
    let verified = verify(&request, SIGNED_AT_MS + 1_000).unwrap();
    assert_eq!(verified.access_key_id, ACCESS_KEY_ID);
    assert_eq!(verified.region, REGION);
    assert_eq!(verified.service, SERVICE);
    assert_eq!(verified.scope_date, "20260101");
    assert_eq!(verified.request_time.to_string(), "20260101T000000Z");
    assert_eq!(verified.location, SignatureLocation::Header);
    assert!(!verified.has_session_token);
    // Within the skew on both sides.
    assert!(verify(&request, SIGNED_AT_MS - 15 * MINUTE_MS).is_ok());
    assert!(verify(&request, SIGNED_AT_MS + 15 * MINUTE_MS).is_ok());
}

#[test]
fn a_flipped_body_byte_fails_the_signature() {
    let mut request = aws_signed_lookup_events();
    request.body_mut()[10] ^= 0x01;
    let error = verify(&request, SIGNED_AT_MS).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SignatureDoesNotMatch);
    assert_eq!(error.aws_code(), "InvalidSignatureException");
    assert_eq!(error.http_status(), 400);
    assert_eq!(
        error.message(),
        "The request signature we calculated does not match the signature you provided. Check \
         your AWS Secret Access Key and signing method. Consult the service documentation for \
         details."
    );
    assert_eq!(error.access_key_id(), Some(ACCESS_KEY_ID));
}

#[test]
fn a_changed_signed_header_fails_the_signature() {
    for (name, value) in [
        (
            "x-amz-target",
            "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DeleteTrail",
        ),
        ("content-type", "application/json"),
        ("host", "cloudtrail.us-east-2.amazonaws.com"),
        ("x-amz-date", "20260101T000001Z"),
    ] {
        let mut request = aws_signed_lookup_events();
        set_header(&mut request, name, value);
        let error = verify(&request, SIGNED_AT_MS).unwrap_err();
        assert_eq!(error.kind(), AuthErrorKind::SignatureDoesNotMatch, "{name}");
    }
    // Unsigned headers may change freely.
    let mut request = aws_signed_lookup_events();
    set_header(&mut request, "user-agent", "aws-cli/1.45.11");
    set_header(&mut request, "x-amzn-trace-id", "Root=1-abc");
    assert!(verify(&request, SIGNED_AT_MS).is_ok());
}

#[test]
fn a_removed_signed_header_is_an_invalid_signature() {
    let mut request = aws_signed_lookup_events();
    request.headers_mut().remove("x-amz-target");
    let error = verify(&request, SIGNED_AT_MS).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::InvalidSignature);
    assert_eq!(
        error.message(),
        "'x-amz-target' is listed in SignedHeaders but is not present in the request."
    );
}

#[test]
fn a_wrong_secret_fails_the_signature() {
    let request = aws_signed_lookup_events();
    let error = verify_with(&request, SIGNED_AT_MS, |_| {
        Some(Secret::new("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEZ"))
    })
    .unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SignatureDoesNotMatch);
}

#[test]
fn another_region_or_service_is_a_scope_error() {
    let mut request = cloudtrail_request(LOOKUP_BODY);
    aws_sign(
        &mut request,
        AwsSigning {
            region: "eu-west-9",
            ..AwsSigning::default()
        },
    );
    let error = verify(&request, SIGNED_AT_MS).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::InvalidCredentialScope);
    assert_eq!(error.aws_code(), "InvalidSignatureException");
    assert_eq!(
        error.message(),
        "Credential should be scoped to a valid region, not 'eu-west-9'. "
    );
    assert_eq!(error.access_key_id(), Some(ACCESS_KEY_ID));

    let mut request = cloudtrail_request(LOOKUP_BODY);
    aws_sign(
        &mut request,
        AwsSigning {
            service: "dynamodb",
            ..AwsSigning::default()
        },
    );
    let error = verify(&request, SIGNED_AT_MS).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::InvalidCredentialScope);
    assert_eq!(
        error.message(),
        "Credential should be scoped to correct service: 'cloudtrail'. "
    );
}

#[test]
fn an_unknown_key_is_reported_before_the_signature_is_checked() {
    let mut request = cloudtrail_request(LOOKUP_BODY);
    aws_sign(
        &mut request,
        AwsSigning {
            access_key_id: "AKIDUNKNOWN",
            ..AwsSigning::default()
        },
    );
    // Also break the signature: the unknown key must still be what is reported.
    request.body_mut().push(b' ');
    let mut looked_up = None;
    let error = verify_with(&request, SIGNED_AT_MS, |access_key_id| {
        looked_up = Some(access_key_id.to_owned());
        None
    })
    .unwrap_err();
    assert_eq!(looked_up.as_deref(), Some("AKIDUNKNOWN"));
    assert_eq!(error.kind(), AuthErrorKind::UnrecognizedClient);
    assert_eq!(error.aws_code(), "UnrecognizedClientException");
    assert_eq!(
        error.message(),
        "The security token included in the request is invalid."
    );
    assert_eq!(error.access_key_id(), Some("AKIDUNKNOWN"));
}

#[test]
fn time_checks_come_before_the_key_lookup_as_in_aws() {
    let request = aws_signed_lookup_events();
    let error = verify_with(&request, SIGNED_AT_MS + 16 * MINUTE_MS, |_| {
        panic!("the key must not be looked up for an expired request")
    })
    .unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SignatureExpired);
    assert_eq!(
        error.message(),
        "Signature expired: 20260101T000000Z is now earlier than 20260101T000100Z \
         (20260101T001600Z - 15 min.)"
    );
    assert_eq!(error.access_key_id(), Some(ACCESS_KEY_ID));
    let error = verify(&request, SIGNED_AT_MS - 16 * MINUTE_MS).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SignatureNotYetCurrent);
    assert_eq!(
        error.message(),
        "Signature not yet current: 20260101T000000Z is still later than 20251231T235900Z \
         (20251231T234400Z + 15 min.)"
    );
}

#[test]
fn session_tokens_must_match_the_issued_one() {
    let token = "IQoJb3JpZ2luX2VjEOPENTRAILTEST";
    let mut request = cloudtrail_request(LOOKUP_BODY);
    aws_sign(
        &mut request,
        AwsSigning {
            session_token: Some(token),
            ..AwsSigning::default()
        },
    );
    assert_eq!(header(&request, "x-amz-security-token"), token);
    let issued = |_: &str| Some(Secret::new(SECRET_ACCESS_KEY).with_session_token(token));
    let verified = verify_with(&request, SIGNED_AT_MS, issued).unwrap();
    assert!(verified.has_session_token);

    for secret in [
        Secret::new(SECRET_ACCESS_KEY),
        Secret::new(SECRET_ACCESS_KEY).with_session_token("IQoJb3JpZ2luX2VjOTHER"),
    ] {
        let error = verify_with(&request, SIGNED_AT_MS, |_| Some(secret)).unwrap_err();
        assert_eq!(error.kind(), AuthErrorKind::InvalidSecurityToken);
        assert_eq!(error.aws_code(), "UnrecognizedClientException");
        assert_eq!(
            error.message(),
            "The security token included in the request is invalid"
        );
    }
    // A temporary key used without its token.
    let error = verify_with(&aws_signed_lookup_events(), SIGNED_AT_MS, issued).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::InvalidSecurityToken);
}

#[test]
fn x_amz_content_sha256_must_match_the_body() {
    let mut request = cloudtrail_request(LOOKUP_BODY);
    aws_sign(
        &mut request,
        AwsSigning {
            content_sha256_header: true,
            ..AwsSigning::default()
        },
    );
    assert!(request.headers().contains_key("x-amz-content-sha256"));
    assert!(verify(&request, SIGNED_AT_MS).is_ok());

    let mut tampered = request.clone();
    tampered.body_mut()[0] = b' ';
    let error = verify(&tampered, SIGNED_AT_MS).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::InvalidSignature);
    assert_eq!(
        error.message(),
        "The provided 'x-amz-content-sha256' header does not match what was computed."
    );

    let mut unsigned = request.clone();
    set_header(&mut unsigned, "x-amz-content-sha256", "UNSIGNED-PAYLOAD");
    let error = verify(&unsigned, SIGNED_AT_MS).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::InvalidSignature);

    let mut garbage = request;
    set_header(&mut garbage, "x-amz-content-sha256", "not-a-hash");
    let error = verify(&garbage, SIGNED_AT_MS).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::IncompleteSignature);
}

fn presigned_get(signing: AwsSigning<'_>) -> Request<Vec<u8>> {
    let mut request = Request::get(
        "https://cloudtrail.us-east-1.amazonaws.com/?Action=DescribeTrails&Version=2013-11-01",
    )
    .header("host", "cloudtrail.us-east-1.amazonaws.com")
    .body(Vec::new())
    .unwrap();
    aws_sign(&mut request, signing);
    request
}

#[test]
fn presigned_urls_verify_until_they_expire() {
    let request = presigned_get(AwsSigning {
        presign_expires_secs: Some(300),
        ..AwsSigning::default()
    });
    let query = request.uri().query().unwrap();
    assert!(query.contains("X-Amz-Signature=") && query.contains("X-Amz-Expires=300"));
    assert!(!request.headers().contains_key("authorization"));

    let verified = verify(&request, SIGNED_AT_MS + 10_000).unwrap();
    assert_eq!(verified.location, SignatureLocation::Query);
    assert_eq!(verified.access_key_id, ACCESS_KEY_ID);
    assert!(verify(&request, SIGNED_AT_MS + 300_000).is_ok());

    let error = verify(&request, SIGNED_AT_MS + 301_000).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SignatureExpired);
    assert_eq!(
        error.message(),
        "Signature expired: 20260101T000000Z + 300 sec. (X-Amz-Expires) is now earlier than \
         20260101T000501Z"
    );
    let error = verify(&request, SIGNED_AT_MS - 16 * MINUTE_MS).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SignatureNotYetCurrent);

    // A presigned URL does not fall under the 15-minute skew: a week-long one is valid
    // for the week.
    let week = presigned_get(AwsSigning {
        presign_expires_secs: Some(604_800),
        ..AwsSigning::default()
    });
    assert!(verify(&week, SIGNED_AT_MS + 604_800_000).is_ok());
    assert!(verify(&week, SIGNED_AT_MS + 604_801_000).is_err());
}

#[test]
fn presigned_urls_are_bound_to_their_query_and_signature() {
    let request = presigned_get(AwsSigning {
        presign_expires_secs: Some(300),
        ..AwsSigning::default()
    });
    let uri = request.uri().to_string();
    let mut tampered = request.clone();
    *tampered.uri_mut() = uri
        .replace("DescribeTrails", "DeleteTrail")
        .parse()
        .unwrap();
    let error = verify(&tampered, SIGNED_AT_MS).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SignatureDoesNotMatch);

    let mut longer = request.clone();
    *longer.uri_mut() = uri
        .replace("X-Amz-Expires=300", "X-Amz-Expires=3000")
        .parse()
        .unwrap();
    let error = verify(&longer, SIGNED_AT_MS).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SignatureDoesNotMatch);
}

#[test]
fn presigned_urls_carry_session_tokens_and_unsigned_payloads() {
    let token = "IQoJb3JpZ2luX2VjEOPENTRAIL+/=";
    let request = presigned_get(AwsSigning {
        presign_expires_secs: Some(900),
        session_token: Some(token),
        ..AwsSigning::default()
    });
    let verified = verify_with(&request, SIGNED_AT_MS, |_| {
        Some(Secret::new(SECRET_ACCESS_KEY).with_session_token(token))
    })
    .unwrap();
    assert!(verified.has_session_token);

    // With UNSIGNED-PAYLOAD the client must say so: the query parameters do not.
    let mut request = Request::post("https://cloudtrail.us-east-1.amazonaws.com/upload")
        .header("host", "cloudtrail.us-east-1.amazonaws.com")
        .body(b"any body at all".to_vec())
        .unwrap();
    aws_sign(
        &mut request,
        AwsSigning {
            presign_expires_secs: Some(900),
            unsigned_payload: true,
            ..AwsSigning::default()
        },
    );
    let error = verify(&request, SIGNED_AT_MS).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SignatureDoesNotMatch);
    set_header(&mut request, "x-amz-content-sha256", "UNSIGNED-PAYLOAD");
    assert!(verify(&request, SIGNED_AT_MS).is_ok());
}

/// Signs `request` with our signer and with `aws-sigv4`, and checks the two `Authorization`
/// headers (and `X-Amz-Date`) are byte-identical and that our verifier accepts both.
fn assert_signers_agree(request: Request<Vec<u8>>, session_token: Option<&str>, epoch_ms: i64) {
    let mut reference = request.clone();
    aws_sign(
        &mut reference,
        AwsSigning {
            session_token,
            epoch_ms,
            ..AwsSigning::default()
        },
    );
    let mut credentials = Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    if let Some(token) = session_token {
        credentials = credentials.with_session_token(token);
    }
    let (mut parts, body) = request.into_parts();
    let params = SigningParams {
        credentials: &credentials,
        region: REGION,
        service: SERVICE,
        epoch_ms,
    };
    sign(&mut parts, &body, &params).unwrap();
    let ours = Request::from_parts(parts, body);
    assert_eq!(
        header(&ours, "authorization"),
        header(&reference, "authorization"),
        "{}",
        reference.uri()
    );
    assert_eq!(
        header(&ours, "x-amz-date"),
        header(&reference, "x-amz-date")
    );
    let secret = |_: &str| {
        let secret = Secret::new(SECRET_ACCESS_KEY);
        Some(match session_token {
            Some(token) => secret.with_session_token(token),
            None => secret,
        })
    };
    verify_with(&ours, epoch_ms, secret).unwrap();
    verify_with(&reference, epoch_ms, secret).unwrap();
}

#[test]
fn our_signer_matches_aws_sigv4_for_cloudtrail_calls() {
    assert_signers_agree(cloudtrail_request(LOOKUP_BODY), None, SIGNED_AT_MS);
    assert_signers_agree(
        cloudtrail_request(b"{}"),
        Some("session/token+="),
        SIGNED_AT_MS,
    );
    // Sub-second parts of the time are dropped by both.
    assert_signers_agree(cloudtrail_request(b""), None, SIGNED_AT_MS + 999);
    let leap_day = AmzDateTime::parse("20280229T235959Z")
        .unwrap()
        .epoch_millis();
    assert_signers_agree(cloudtrail_request(LOOKUP_BODY), None, leap_day);
}

/// Path and query canonicalisation, checked against the reference signer: for each URI both
/// signers must produce the same signature and our verifier must accept it.
#[test]
fn paths_and_queries_are_canonicalised_like_aws_sigv4() {
    let uris = [
        "/",
        "/a/b/../c",
        "/a/./b//c/",
        "/a%20b",
        "/a%2Fb/%7Euser",
        "/caf%C3%A9/x:y@z",
        "/PutAuditEvents?channelArn=arn%3Aaws%3Acloudtrail%3Aus-east-1%3A123456789012%3Achannel%2Fabc",
        "/?b=2&a=1",
        "/?a=2&a=1&a=10",
        "/?a=b%2Bc",
        "/?a=b+c",
        "/?a=x%3Dy",
        "/?a=x=y",
        "/?a&b=",
        "/?a=%7E%2d",
        "/?z=%E2%82%AC&y=%e2%82%ac",
    ];
    for path in uris {
        for method in ["GET", "POST"] {
            let request = Request::builder()
                .method(method)
                .uri(format!("https://cloudtrail.us-east-1.amazonaws.com{path}"))
                .header("host", "cloudtrail.us-east-1.amazonaws.com")
                .header("content-type", "application/json")
                .body(b"{}".to_vec())
                .unwrap();
            assert_signers_agree(request, None, SIGNED_AT_MS);
        }
    }
}

#[test]
fn header_values_are_canonicalised_like_aws_sigv4() {
    let request = Request::post("https://cloudtrail.us-east-1.amazonaws.com/")
        .header("host", "cloudtrail.us-east-1.amazonaws.com")
        .header("content-type", "  application/x-amz-json-1.1  ")
        .header("x-amz-meta-spaced", "a   b    c")
        .header("x-amz-meta-repeated", "one")
        .header("x-amz-meta-repeated", " two ")
        .header("x-amz-meta-empty", "")
        .header("X-Amz-Target", "CloudTrail_20131101.LookupEvents")
        .body(LOOKUP_BODY.to_vec())
        .unwrap();
    assert_signers_agree(request, None, SIGNED_AT_MS);
}

#[test]
fn lookup_is_not_called_for_requests_without_a_signature() {
    let request = cloudtrail_request(LOOKUP_BODY);
    let error = verify_with(&request, SIGNED_AT_MS, |_| panic!("no key to look up")).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::MissingAuthenticationToken);
    assert_eq!(error.message(), "Request is missing Authentication Token");
    assert_eq!(error.access_key_id(), None);
    assert!(lookup(ACCESS_KEY_ID).is_some());
}

#[test]
fn skew_boundaries_are_whole_seconds() {
    let request = aws_signed_lookup_events();
    assert!(verify(&request, SIGNED_AT_MS + 15 * MINUTE_MS + 999).is_ok());
    let error = verify(&request, SIGNED_AT_MS + 15 * MINUTE_MS + 1_000).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SignatureExpired);
    assert_eq!(
        error.message(),
        "Signature expired: 20260101T000000Z is now earlier than 20260101T000001Z \
         (20260101T001501Z - 15 min.)"
    );
    assert!(verify(&request, SIGNED_AT_MS - 15 * MINUTE_MS).is_ok());
    let error = verify(&request, SIGNED_AT_MS - 15 * MINUTE_MS - 1).unwrap_err();
    assert_eq!(error.kind(), AuthErrorKind::SignatureNotYetCurrent);
}
