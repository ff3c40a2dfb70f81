//! Property tests: whatever we sign verifies, any change to the signature fails, our signer
//! agrees with `aws-sigv4` on arbitrary requests, and no input makes the verifier panic.

use http::{HeaderValue, Request, Uri};
use opentrail_sigv4::{AuthErrorKind, Credentials, SigningParams, Verifier, parse_presented, sign};
use proptest::prelude::*;

use crate::support::{
    ACCESS_KEY_ID, AwsSigning, REGION, SECRET_ACCESS_KEY, SERVICE, aws_sign, header, lookup, verify,
};

/// A request to sign: path, query, extra `x-amz-*` headers, body, method.
#[derive(Debug, Clone)]
struct Shape {
    method: &'static str,
    path: String,
    query: Option<String>,
    headers: Vec<(String, String)>,
    content_type: Option<String>,
    body: Vec<u8>,
    epoch_ms: i64,
}

impl Shape {
    fn request(&self) -> Request<Vec<u8>> {
        let query = self
            .query
            .as_ref()
            .map(|query| format!("?{query}"))
            .unwrap_or_default();
        let uri: Uri = format!(
            "https://cloudtrail.us-east-1.amazonaws.com{}{query}",
            self.path
        )
        .parse()
        .unwrap();
        let mut builder = Request::builder()
            .method(self.method)
            .uri(uri)
            .header("host", "cloudtrail.us-east-1.amazonaws.com");
        if let Some(content_type) = &self.content_type {
            builder = builder.header("content-type", content_type.as_str());
        }
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        builder.body(self.body.clone()).unwrap()
    }
}

/// A path segment: unreserved and sub-delimiter characters, `:`/`@`, dot segments and
/// percent-escapes (valid or not).
fn segment() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9._~!$&'()*+,;=:@-]{0,8}",
        Just(".".to_owned()),
        Just("..".to_owned()),
        Just("%20".to_owned()),
        Just("%2F".to_owned()),
        Just("%c3%a9".to_owned()),
    ]
}

fn path() -> impl Strategy<Value = String> {
    (prop::collection::vec(segment(), 0..5), any::<bool>()).prop_map(|(segments, trailing)| {
        let mut path = format!("/{}", segments.join("/"));
        if trailing && !path.ends_with('/') {
            path.push('/');
        }
        path
    })
}

/// A query component: the characters a client may send raw, `+`, `=`, and escapes.
fn query_component() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            "[A-Za-z0-9._~-]{1,4}",
            Just("+".to_owned()),
            Just("%2B".to_owned()),
            Just("%3D".to_owned()),
            Just("%20".to_owned()),
            Just("%2f".to_owned()),
            Just("%E2%82%AC".to_owned()),
        ],
        0..4,
    )
    .prop_map(|parts| parts.concat())
}

fn query() -> impl Strategy<Value = Option<String>> {
    prop::option::of(
        prop::collection::vec(
            (query_component(), prop::option::of(query_component())),
            1..5,
        )
        .prop_map(|pairs| {
            pairs
                .into_iter()
                .map(|(key, value)| match value {
                    Some(value) => format!("{key}={value}"),
                    None => key,
                })
                .collect::<Vec<_>>()
                .join("&")
        }),
    )
}

/// Printable ASCII with runs of spaces, so trimming and collapsing get exercised.
fn header_value() -> impl Strategy<Value = String> {
    "[ -~]{0,24}"
}

fn shape() -> impl Strategy<Value = Shape> {
    (
        prop_oneof![Just("GET"), Just("POST"), Just("PUT"), Just("DELETE")],
        path(),
        query(),
        prop::collection::vec(("x-amz-[a-z0-9-]{1,10}", header_value()), 0..4),
        prop::option::of(header_value()),
        prop::collection::vec(any::<u8>(), 0..256),
        0_i64..4_102_444_800_000,
    )
        .prop_map(
            |(method, path, query, headers, content_type, body, epoch_ms)| Shape {
                method,
                path,
                query,
                // The signer sets these itself; a random one would be replaced.
                headers: headers
                    .into_iter()
                    .filter(|(name, _)| {
                        !matches!(
                            name.as_str(),
                            "x-amz-date" | "x-amz-security-token" | "x-amz-content-sha256"
                        )
                    })
                    .collect(),
                content_type,
                body,
                epoch_ms,
            },
        )
}

fn our_sign(shape: &Shape) -> Request<Vec<u8>> {
    let credentials = Credentials::new(ACCESS_KEY_ID, SECRET_ACCESS_KEY);
    let (mut parts, body) = shape.request().into_parts();
    let params = SigningParams {
        credentials: &credentials,
        region: REGION,
        service: SERVICE,
        epoch_ms: shape.epoch_ms,
    };
    sign(&mut parts, &body, &params).unwrap();
    Request::from_parts(parts, body)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn what_we_sign_verifies_within_the_skew(shape in shape(), offset_ms in -900_000_i64..=900_000) {
        let request = our_sign(&shape);
        let verified = verify(&request, shape.epoch_ms + offset_ms);
        prop_assert!(verified.is_ok(), "{:?}", verified);
    }

    #[test]
    fn any_single_byte_change_to_the_signature_fails(
        shape in shape(),
        index in 0_usize..64,
        replacement in any::<u8>(),
    ) {
        let request = our_sign(&shape);
        let authorization = header(&request, "authorization").to_owned();
        let start = authorization.len() - 64;
        let mut bytes = authorization.into_bytes();
        prop_assume!(bytes[start + index] != replacement);
        bytes[start + index] = replacement;
        // Bytes a header value cannot hold are refused by `http` before we see them.
        let Ok(value) = HeaderValue::from_bytes(&bytes) else {
            return Ok(());
        };
        let mut tampered = request;
        tampered.headers_mut().insert("authorization", value);
        let error = verify(&tampered, shape.epoch_ms).unwrap_err();
        if replacement.is_ascii_graphic() && replacement != b',' {
            prop_assert_eq!(error.kind(), AuthErrorKind::SignatureDoesNotMatch);
        } else {
            // A separator splits the signature into a component without `=`; a non-ASCII
            // byte makes the whole header unreadable.
            prop_assert!(matches!(
                error.kind(),
                AuthErrorKind::SignatureDoesNotMatch | AuthErrorKind::IncompleteSignature
            ));
        }
    }

    #[test]
    fn our_signer_agrees_with_aws_sigv4(shape in shape()) {
        let ours = our_sign(&shape);
        let mut reference = shape.request();
        aws_sign(&mut reference, AwsSigning { epoch_ms: shape.epoch_ms, ..AwsSigning::default() });
        prop_assert_eq!(header(&ours, "authorization"), header(&reference, "authorization"));
        prop_assert!(verify(&reference, shape.epoch_ms).is_ok());
    }

    #[test]
    fn arbitrary_authorization_query_and_date_never_panic(
        authorization in prop_oneof![
            any::<Vec<u8>>(),
            "AWS4-[ -~]{0,200}".prop_map(String::into_bytes),
            "AWS4-HMAC-SHA256 Credential=[ -~]{0,60}, SignedHeaders=[ -~]{0,40}, Signature=[ -~]{0,70}"
                .prop_map(String::into_bytes),
        ],
        query in "[ -~]{0,80}",
        date in prop_oneof![any::<Vec<u8>>(), "[0-9TZ]{14,18}".prop_map(String::into_bytes)],
        body in any::<Vec<u8>>(),
        now_ms in any::<i64>(),
    ) {
        let uri: Uri = format!("/?{query}").parse().unwrap_or_else(|_| Uri::from_static("/"));
        let mut headers = http::HeaderMap::new();
        headers.insert("host", HeaderValue::from_static("cloudtrail.us-east-1.amazonaws.com"));
        if let Ok(value) = HeaderValue::from_bytes(&authorization) {
            headers.insert("authorization", value);
        }
        if let Ok(value) = HeaderValue::from_bytes(&date) {
            headers.insert("x-amz-date", value);
        }
        let _ = parse_presented(&uri, &headers);
        let _ = Verifier::new(REGION, SERVICE).verify(
            &http::Method::POST,
            &uri,
            &headers,
            &body,
            now_ms,
            lookup,
        );
    }
}
