//! Property tests: `identify` answers every request, whatever its bytes, without panicking.

use http::{HeaderMap, HeaderName, HeaderValue, Method, Uri};
use opentrail_identify::{Endpoint, MAX_FORM_BODY, identify, needs_form_body};
use proptest::prelude::*;

/// Bytes that stress the parsers: separators, escapes, multi-byte UTF-8, controls.
fn tricky_bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    let interesting = prop_oneof![
        1 => prop::sample::select(b"/?&=%+.:[]\xE2\xFF".to_vec()),
        1 => any::<u8>(),
    ];
    prop::collection::vec(interesting, 0..max)
}

/// Percent-encodes what a URI cannot hold, so arbitrary bytes reach the parser as a valid URI.
fn to_uri(path: &[u8], query: Option<&[u8]>) -> Uri {
    fn encode(bytes: &[u8], allowed_extra: &[u8]) -> String {
        let mut out = String::new();
        for byte in bytes {
            let plain = byte.is_ascii_alphanumeric() || b"-._~!$'()*,;:@/".contains(byte);
            if plain || allowed_extra.contains(byte) {
                out.push(char::from(*byte));
            } else {
                // Every other byte (a `%` included) becomes an escape, so the decoded
                // path covers all byte values, invalid UTF-8 included.
                out.push_str(&format!("%{byte:02X}"));
            }
        }
        out
    }
    let mut text = String::from("/");
    text.push_str(&encode(path, b""));
    if let Some(query) = query {
        text.push('?');
        text.push_str(&encode(query, b"&=?+%"));
    }
    text.parse().unwrap_or_else(|_| Uri::from_static("/"))
}

fn method_strategy() -> impl Strategy<Value = Method> {
    prop_oneof![
        Just(Method::GET),
        Just(Method::PUT),
        Just(Method::POST),
        Just(Method::DELETE),
        Just(Method::HEAD),
        Just(Method::OPTIONS),
        Just(Method::PATCH),
        "[A-Z]{1,40}".prop_map(|name| Method::from_bytes(name.as_bytes()).unwrap_or(Method::GET)),
    ]
}

fn service_strategy() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("s3".to_owned()),
        Just("S3".to_owned()),
        Just("sqs".to_owned()),
        Just("kms".to_owned()),
        Just("lambda".to_owned()),
        Just(String::new()),
        ".{0,80}",
    ]
}

fn header_strategy() -> impl Strategy<Value = Vec<(String, Vec<u8>)>> {
    let name = prop_oneof![
        Just("host".to_owned()),
        Just("x-amz-target".to_owned()),
        Just("x-amz-copy-source".to_owned()),
        Just("content-type".to_owned()),
        Just("x-amz-acl".to_owned()),
        "[a-z-]{1,20}",
    ];
    prop::collection::vec((name, tricky_bytes(300)), 0..6)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn identify_answers_any_request_without_panicking(
        method in method_strategy(),
        path in tricky_bytes(300),
        query in prop::option::of(tricky_bytes(300)),
        headers in header_strategy(),
        service in service_strategy(),
        body in prop::option::of(tricky_bytes(400)),
        suffix in prop_oneof![Just("s3.localhost".to_owned()), Just(String::new()), "[a-z.]{0,12}"],
    ) {
        let uri = to_uri(&path, query.as_deref());
        let mut header_map = HeaderMap::new();
        for (name, value) in &headers {
            let (Ok(name), Ok(value)) = (
                HeaderName::from_bytes(name.as_bytes()),
                HeaderValue::from_bytes(value),
            ) else {
                continue;
            };
            header_map.append(name, value);
        }
        let suffixes = vec![suffix];
        let endpoint = Endpoint { s3_virtual_host_suffixes: &suffixes, default_service: "s3" };
        let form = needs_form_body(&method, &header_map).then_some(body.as_deref()).flatten();
        let call = identify(&method, &uri, &header_map, &service, form, &endpoint);

        prop_assert!(!call.event_name.is_empty());
        prop_assert!(call.event_source.ends_with(".amazonaws.com"));
        prop_assert_eq!(call.s3.is_some(), call.service == "s3");
        prop_assert_eq!(call.unidentified.is_some(), call.action.is_empty());
        if let Some(s3) = &call.s3 {
            prop_assert_eq!(Some(s3.data_event), call.data_event.or(Some(false)));
        }
        // Same input, same answer.
        let again = identify(&method, &uri, &header_map, &service, form, &endpoint);
        prop_assert_eq!(call, again);
    }

    #[test]
    fn query_protocol_body_of_any_size_is_read_within_the_limit(
        prefix_len in 0usize..(MAX_FORM_BODY + 100),
        action in "[A-Z][A-Za-z]{0,30}",
    ) {
        let mut body = format!("Action={action}&").into_bytes();
        body.resize(body.len() + prefix_len, b'x');
        let cut = &body[..body.len().min(MAX_FORM_BODY)];
        let mut headers = HeaderMap::new();
        headers.insert("content-type", HeaderValue::from_static("application/x-www-form-urlencoded"));
        let endpoint = Endpoint { s3_virtual_host_suffixes: &[], default_service: "sqs" };
        let uri = Uri::from_static("/");
        let call = identify(&Method::POST, &uri, &headers, "sqs", Some(cut), &endpoint);
        prop_assert_eq!(call.event_name, action);
    }
}

#[test]
fn identify_handles_requests_at_http_size_limits() {
    let key = "k/".repeat(15 * 1024);
    let query: String = (0..4_000).map(|index| format!("p{index}&")).collect();
    let uri: Uri = format!("/bucket/{key}?{query}acl")
        .parse()
        .expect("long uri");
    let mut headers = HeaderMap::new();
    headers.insert(
        "host",
        HeaderValue::from_str(&"a.".repeat(4_000)).expect("long host"),
    );
    headers.insert(
        "x-amz-copy-source",
        HeaderValue::from_str(&"s".repeat(8_192)).expect("long header"),
    );
    let suffixes = vec!["s3.localhost".to_owned()];
    let endpoint = Endpoint {
        s3_virtual_host_suffixes: &suffixes,
        default_service: "s3",
    };
    let call = identify(&Method::GET, &uri, &headers, "s3", None, &endpoint);
    // The sub-resource after thousands of other parameters still decides the operation.
    assert_eq!(call.event_name, "GetObjectAcl");
    assert_eq!(
        call.s3.and_then(|s3| s3.key).map(|key| key.len()),
        Some(key.len())
    );
}
