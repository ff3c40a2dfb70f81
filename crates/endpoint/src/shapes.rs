//! The services' own error shapes: the denial the endpoint answers with, and the error
//! code and request id read back from an upstream's answer.
//!
//! A client must be able to handle a denial as it handles the service's own errors, so
//! the endpoint answers in the protocol of the call ([`Protocol`]):
//!
//! | Protocol | Denial |
//! | --- | --- |
//! | S3 REST | 403, `application/xml`, `<Error><Code>AccessDenied</Code><Message>…</Message><RequestId>…</RequestId><HostId>…</HostId></Error>` (no body for `HEAD`) |
//! | JSON (`X-Amz-Target`) | 400, `application/x-amz-json-1.1`, `{"__type":"AccessDeniedException","message":"…"}` and `x-amzn-ErrorType` |
//! | query (`Action=`) | 403, `text/xml`, `<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>…</Message></Error><RequestId>…</RequestId></ErrorResponse>` |
//! | other REST | 403, `application/json`, `{"message":"…"}` and `x-amzn-ErrorType: AccessDeniedException` |
//!
//! The message names the endpoint policy the way AWS words it: `User: <arn> is not
//! authorized to perform: <action> on resource: <arn> because no VPC endpoint policy allows
//! the <action> action` (or `with an explicit deny in a VPC endpoint policy`).

use bytes::Bytes;
use http::header::{CONTENT_TYPE, HeaderValue};
use http::{HeaderMap, Method, StatusCode};

/// The wire protocol of a call, for error shapes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// S3's REST-XML.
    S3,
    /// AWS JSON 1.0/1.1 (`X-Amz-Target`).
    Json,
    /// The query protocol (`Action` in the query string or form body).
    Query,
    /// REST-JSON and other REST protocols.
    Rest,
}

impl Protocol {
    /// The protocol of a request to `service` with these headers; `query_action` says
    /// whether an `Action` parameter was found.
    pub fn of(service: &str, headers: &HeaderMap, query_action: bool) -> Protocol {
        if service == "s3" {
            Protocol::S3
        } else if headers.contains_key("x-amz-target") {
            Protocol::Json
        } else if query_action {
            Protocol::Query
        } else {
            Protocol::Rest
        }
    }
}

/// Why a call was denied, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DenialReason {
    /// A statement denied it.
    ExplicitDeny,
    /// No statement allowed it.
    NoAllow,
}

/// The message of a denial.
pub fn denial_message(
    caller_arn: Option<&str>,
    action: &str,
    resource: Option<&str>,
    reason: DenialReason,
) -> String {
    let who = match caller_arn {
        Some(arn) => format!("User: {arn}"),
        None => String::from("Anonymous user"),
    };
    let on = resource
        .map(|resource| format!(" on resource: \"{resource}\""))
        .unwrap_or_default();
    match reason {
        DenialReason::ExplicitDeny => format!(
            "{who} is not authorized to perform: {action}{on} with an explicit deny in a VPC endpoint policy"
        ),
        DenialReason::NoAllow => format!(
            "{who} is not authorized to perform: {action}{on} because no VPC endpoint policy allows the {action} action"
        ),
    }
}

/// The status, headers and body of a denial in `protocol`.
pub fn denial(
    protocol: Protocol,
    method: &Method,
    message: &str,
    request_id: &str,
) -> (StatusCode, HeaderMap, Bytes) {
    let (status, code) = match protocol {
        Protocol::S3 | Protocol::Query => (StatusCode::FORBIDDEN, "AccessDenied"),
        Protocol::Json => (StatusCode::BAD_REQUEST, "AccessDeniedException"),
        Protocol::Rest => (StatusCode::FORBIDDEN, "AccessDeniedException"),
    };
    error(protocol, method, status, code, message, request_id)
}

/// The status, headers and body of an error `code` in `protocol`.
pub fn error(
    protocol: Protocol,
    method: &Method,
    status: StatusCode,
    code: &str,
    message: &str,
    request_id: &str,
) -> (StatusCode, HeaderMap, Bytes) {
    let mut headers = HeaderMap::new();
    let (content_type, body) = match protocol {
        Protocol::S3 => {
            put(&mut headers, "x-amz-request-id", request_id);
            put(&mut headers, "x-amz-id-2", request_id);
            (
                "application/xml",
                format!(
                    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message><RequestId>{}</RequestId><HostId>{}</HostId></Error>",
                    xml_escape(code),
                    xml_escape(message),
                    xml_escape(request_id),
                    xml_escape(request_id),
                ),
            )
        }
        Protocol::Json => {
            put(&mut headers, "x-amzn-requestid", request_id);
            put(&mut headers, "x-amzn-errortype", code);
            (
                "application/x-amz-json-1.1",
                serde_json::json!({"__type": code, "message": message}).to_string(),
            )
        }
        Protocol::Query => {
            put(&mut headers, "x-amzn-requestid", request_id);
            let fault = if status.is_server_error() {
                "Receiver"
            } else {
                "Sender"
            };
            (
                "text/xml",
                format!(
                    "<ErrorResponse><Error><Type>{fault}</Type><Code>{}</Code><Message>{}</Message></Error><RequestId>{}</RequestId></ErrorResponse>",
                    xml_escape(code),
                    xml_escape(message),
                    xml_escape(request_id),
                ),
            )
        }
        Protocol::Rest => {
            put(&mut headers, "x-amzn-requestid", request_id);
            put(&mut headers, "x-amzn-errortype", code);
            (
                "application/json",
                serde_json::json!({"message": message}).to_string(),
            )
        }
    };
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    let body = if method == Method::HEAD {
        Bytes::new()
    } else {
        Bytes::from(body)
    };
    (status, headers, body)
}

fn put(headers: &mut HeaderMap, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

fn xml_escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&apos;"),
            other => escaped.push(other),
        }
    }
    escaped
}

/// The request id of an upstream's answer: the `x-amz-request-id` (S3),
/// `x-amzn-RequestId` or `x-amzn-Request-Id` header, else a `<RequestId>` in the body (query
/// protocol errors).
pub fn request_id(headers: &HeaderMap, body: Option<&[u8]>) -> Option<String> {
    for name in ["x-amz-request-id", "x-amzn-requestid", "x-amzn-request-id"] {
        if let Some(value) = headers.get(name).and_then(|value| value.to_str().ok())
            && !value.is_empty()
        {
            return Some(value.to_owned());
        }
    }
    body.and_then(|body| xml_element(body, "RequestId"))
}

/// The `errorCode` and `errorMessage` of a failed upstream answer: the `x-amzn-ErrorType`
/// header, a JSON body's `__type` (namespace dropped) or `code`, an XML body's first
/// `<Code>`; else (a `HEAD` answer has no body) the status's name in CloudTrail's style
/// (`404` → `NotFound`). The message is the body's `message`/`Message`, possibly empty.
pub fn upstream_error(status: StatusCode, headers: &HeaderMap, body: &[u8]) -> (String, String) {
    let json: Option<serde_json::Value> = serde_json::from_slice(body).ok();
    let json_member = |names: &[&str]| -> Option<String> {
        let object = json.as_ref()?.as_object()?;
        names
            .iter()
            .find_map(|name| object.get(*name)?.as_str().map(str::to_owned))
    };
    let header_code = headers
        .get("x-amzn-errortype")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(':').next())
        .filter(|code| !code.is_empty())
        .map(str::to_owned);
    let code = header_code
        .or_else(|| {
            json_member(&["__type", "code", "Code"])
                .map(|code| code.rsplit('#').next().unwrap_or_default().to_owned())
        })
        .or_else(|| xml_element(body, "Code"))
        .filter(|code| !code.is_empty())
        .unwrap_or_else(|| status_name(status));
    let message = json_member(&["message", "Message", "errorMessage"])
        .or_else(|| xml_element(body, "Message"))
        .unwrap_or_default();
    (code, message)
}

/// `404 Not Found` → `NotFound`.
fn status_name(status: StatusCode) -> String {
    status
        .canonical_reason()
        .map(|reason| reason.split([' ', '-']).collect::<String>())
        .unwrap_or_else(|| format!("Http{}", status.as_u16()))
}

/// The text of the first `<name>…</name>` of an XML body, entities decoded.
fn xml_element(body: &[u8], name: &str) -> Option<String> {
    let open = format!("<{name}>");
    let close = format!("</{name}>");
    let start = memchr::memmem::find(body, open.as_bytes())? + open.len();
    let length = memchr::memmem::find(&body[start..], close.as_bytes())?;
    let text = std::str::from_utf8(&body[start..start + length]).ok()?;
    Some(
        text.replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn upstream_errors_are_read_from_each_shape() {
        let none = HeaderMap::new();
        let s3 = b"<?xml version=\"1.0\"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message><RequestId>R1</RequestId></Error>";
        assert_eq!(
            upstream_error(StatusCode::NOT_FOUND, &none, s3),
            (
                String::from("NoSuchKey"),
                String::from("The specified key does not exist.")
            )
        );
        assert_eq!(request_id(&none, Some(s3)).as_deref(), Some("R1"));
        let json = br#"{"__type":"com.amazonaws.kms#NotFoundException","message":"Key 'x' does not exist"}"#;
        assert_eq!(
            upstream_error(StatusCode::BAD_REQUEST, &none, json).0,
            "NotFoundException"
        );
        let mut typed = HeaderMap::new();
        typed.insert(
            "x-amzn-errortype",
            HeaderValue::from_static("ResourceNotFoundException:http://internal.amazon.com/"),
        );
        assert_eq!(
            upstream_error(StatusCode::NOT_FOUND, &typed, b"").0,
            "ResourceNotFoundException"
        );
        assert_eq!(
            upstream_error(StatusCode::NOT_FOUND, &none, b""),
            (String::from("NotFound"), String::new())
        );
        assert_eq!(
            upstream_error(StatusCode::PRECONDITION_FAILED, &none, b"").0,
            "PreconditionFailed"
        );
    }

    #[test]
    fn denials_take_the_protocol_shape() {
        let message = denial_message(
            Some("arn:aws:iam::111122223333:user/alice"),
            "s3:GetObject",
            Some("arn:aws:s3:::b/k"),
            DenialReason::NoAllow,
        );
        assert_eq!(
            message,
            "User: arn:aws:iam::111122223333:user/alice is not authorized to perform: s3:GetObject on resource: \"arn:aws:s3:::b/k\" because no VPC endpoint policy allows the s3:GetObject action"
        );
        let (status, headers, body) = denial(Protocol::S3, &Method::GET, &message, "REQ");
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(headers["x-amz-request-id"], "REQ");
        let body = std::str::from_utf8(&body).unwrap();
        assert!(body.contains("<Code>AccessDenied</Code>"), "{body}");
        assert!(body.contains("&quot;arn:aws:s3:::b/k&quot;"), "{body}");
        let (_, _, head_body) = denial(Protocol::S3, &Method::HEAD, &message, "REQ");
        assert!(head_body.is_empty());
        let (status, headers, body) = denial(Protocol::Json, &Method::POST, &message, "REQ");
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(headers["x-amzn-errortype"], "AccessDeniedException");
        let parsed: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(parsed["__type"], "AccessDeniedException");
        let (status, _, body) = denial(Protocol::Query, &Method::POST, &message, "REQ");
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(
            upstream_error(status, &HeaderMap::new(), &body).0,
            "AccessDenied"
        );
        assert_eq!(
            denial_message(None, "kms:Decrypt", None, DenialReason::ExplicitDeny),
            "Anonymous user is not authorized to perform: kms:Decrypt with an explicit deny in a VPC endpoint policy"
        );
    }
}
