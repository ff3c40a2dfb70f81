//! Mapping object_store errors to [`ErrorKind`]s and S3 error codes.
//!
//! object_store keeps the HTTP status and the S3 error body in a private error type; only
//! its text is reachable, through the error's `Display`. So the S3 `<Code>` and the status
//! are read from that text. It is our adapter's one look at message text, and the S3 error
//! XML it reads is a documented wire format
//! (<https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html>).

use std::error::Error as StdError;

use object_store::client::{HttpError, HttpErrorKind};

use crate::error::{Error, ErrorKind};

/// S3 error codes that mean the credentials or the policy refused the request.
const ACCESS_DENIED_CODES: &[&str] = &[
    "AccessDenied",
    "AllAccessDisabled",
    "AccountProblem",
    "ExpiredToken",
    "InvalidAccessKeyId",
    "InvalidToken",
    "SignatureDoesNotMatch",
];

/// S3 error codes worth retrying later.
const RETRYABLE_CODES: &[&str] = &[
    "ConditionalRequestConflict",
    "InternalError",
    "OperationAborted",
    "RequestTimeout",
    "RequestTimeTooSkewed",
    "ServiceUnavailable",
    "SlowDown",
];

/// Maps an object_store error from `action` (`"cannot put"`) on `target` (`s3://b/k`).
pub(crate) fn map_error(error: object_store::Error, action: &str, target: &str) -> Error {
    let text = chain_text(&error);
    let s3_code = xml_tag(&text, "Code");
    let status = http_status(&text);
    let transport = http_error_kind(&error);

    let kind = match s3_code {
        Some("NoSuchBucket") => ErrorKind::NoSuchBucket,
        Some("NoSuchKey") => ErrorKind::NotFound,
        Some("PreconditionFailed") => ErrorKind::AlreadyExists,
        Some("InvalidBucketName") => ErrorKind::InvalidBucketName,
        Some("KeyTooLongError") => ErrorKind::InvalidKey,
        Some("EntityTooLarge") => ErrorKind::TooLarge,
        Some(code) if ACCESS_DENIED_CODES.contains(&code) => ErrorKind::AccessDenied,
        // A 409 from concurrent conditional writes: not "exists", try again.
        Some(code) if RETRYABLE_CODES.contains(&code) => ErrorKind::Other,
        _ => match &error {
            object_store::Error::NotFound { .. } => ErrorKind::NotFound,
            object_store::Error::AlreadyExists { .. }
            | object_store::Error::Precondition { .. } => ErrorKind::AlreadyExists,
            object_store::Error::PermissionDenied { .. }
            | object_store::Error::Unauthenticated { .. } => ErrorKind::AccessDenied,
            _ if transport.is_some() => ErrorKind::Transport,
            _ => ErrorKind::Other,
        },
    };

    let code = match (s3_code, transport, status) {
        (Some(code), _, _) => code.to_owned(),
        (None, Some(HttpErrorKind::Timeout), _) => "RequestTimeout".to_owned(),
        (None, _, Some(503)) => "ServiceUnavailable".to_owned(),
        (None, _, Some(500)) => "InternalError".to_owned(),
        (None, _, Some(429)) => "SlowDown".to_owned(),
        _ => kind.default_code().to_owned(),
    };
    let retryable = kind == ErrorKind::Transport
        || status.is_some_and(|status| status >= 500 || status == 429 || status == 408)
        || RETRYABLE_CODES.contains(&code.as_str());

    let status_text = status
        .map(|status| format!(" (HTTP {status})"))
        .unwrap_or_default();
    Error::new(kind, format!("{action} `{target}`: {code}{status_text}"))
        .with_code(code)
        .with_retryable(retryable)
        .with_source(error)
}

/// Returns the `Display` text of an error and all its sources, one per line.
fn chain_text(error: &(dyn StdError + 'static)) -> String {
    let mut text = String::new();
    let mut current = Some(error);
    while let Some(error) = current {
        text.push_str(&error.to_string());
        text.push('\n');
        current = error.source();
    }
    text
}

/// Returns the transport failure kind, if the chain holds one.
fn http_error_kind(error: &(dyn StdError + 'static)) -> Option<HttpErrorKind> {
    let mut current = Some(error);
    while let Some(error) = current {
        if let Some(http) = error.downcast_ref::<HttpError>() {
            return Some(http.kind());
        }
        current = error.source();
    }
    None
}

/// Returns the text of the first `<tag>…</tag>` element in `text`.
fn xml_tag<'a>(text: &'a str, tag: &str) -> Option<&'a str> {
    let open = format!("<{tag}>");
    let close = format!("</{tag}>");
    let start = text.find(&open)? + open.len();
    let length = text[start..].find(&close)?;
    let value = text[start..start + length].trim();
    (!value.is_empty() && value.bytes().all(|b| b.is_ascii_alphanumeric())).then_some(value)
}

/// Returns the HTTP status object_store reports as `status code: 404 Not Found`.
fn http_status(text: &str) -> Option<u16> {
    const MARKER: &str = "status code: ";
    let start = text.find(MARKER)? + MARKER.len();
    text.get(start..start + 3)?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s3_response(status: &str, code: &str) -> String {
        format!(
            "Error performing GET http://127.0.0.1:1/b?list-type=2 in 2ms - Server returned \
             non-2xx status code: {status}: <?xml version=\"1.0\" encoding=\"UTF-8\"?>\
             <Error><Code>{code}</Code><Message>m</Message></Error>"
        )
    }

    fn generic(text: String) -> object_store::Error {
        object_store::Error::Generic {
            store: "S3",
            source: text.into(),
        }
    }

    #[test]
    fn s3_codes_decide_the_kind() {
        let cases = [
            (
                "404 Not Found",
                "NoSuchBucket",
                ErrorKind::NoSuchBucket,
                false,
            ),
            ("404 Not Found", "NoSuchKey", ErrorKind::NotFound, false),
            (
                "403 Forbidden",
                "AccessDenied",
                ErrorKind::AccessDenied,
                false,
            ),
            (
                "403 Forbidden",
                "SignatureDoesNotMatch",
                ErrorKind::AccessDenied,
                false,
            ),
            (
                "412 Precondition Failed",
                "PreconditionFailed",
                ErrorKind::AlreadyExists,
                false,
            ),
            (
                "503 Service Unavailable",
                "SlowDown",
                ErrorKind::Other,
                true,
            ),
            (
                "500 Internal Server Error",
                "InternalError",
                ErrorKind::Other,
                true,
            ),
            (
                "409 Conflict",
                "ConditionalRequestConflict",
                ErrorKind::Other,
                true,
            ),
            (
                "400 Bad Request",
                "InvalidArgument",
                ErrorKind::Other,
                false,
            ),
        ];
        for (status, code, kind, retryable) in cases {
            let error = map_error(generic(s3_response(status, code)), "cannot list", "s3://b");
            assert_eq!(error.kind(), kind, "{code}");
            assert_eq!(error.code(), code);
            assert_eq!(error.is_retryable(), retryable, "{code}");
            assert!(
                error
                    .to_string()
                    .starts_with(&format!("cannot list `s3://b`: {code} (HTTP "))
            );
        }
    }

    #[test]
    fn variants_decide_when_there_is_no_body() {
        let source = || -> Box<dyn StdError + Send + Sync> {
            "Server returned non-2xx status code: 404 Not Found: ".into()
        };
        let not_found = object_store::Error::NotFound {
            path: "k".into(),
            source: source(),
        };
        let error = map_error(not_found, "cannot head", "s3://b/k");
        assert_eq!(
            (error.kind(), error.code()),
            (ErrorKind::NotFound, "NoSuchKey")
        );
        let denied = object_store::Error::PermissionDenied {
            path: "k".into(),
            source: "Server returned non-2xx status code: 403 Forbidden: ".into(),
        };
        let error = map_error(denied, "cannot head", "s3://b/k");
        assert_eq!(
            (error.kind(), error.code()),
            (ErrorKind::AccessDenied, "AccessDenied")
        );
        let exists = object_store::Error::AlreadyExists {
            path: "k".into(),
            source: source(),
        };
        assert_eq!(
            map_error(exists, "cannot put", "s3://b/k").code(),
            "PreconditionFailed"
        );
        let slow = generic("Server returned non-2xx status code: 503 Service Unavailable: ".into());
        let error = map_error(slow, "cannot put", "s3://b/k");
        assert_eq!(error.code(), "ServiceUnavailable");
        assert!(error.is_retryable());
    }

    #[test]
    fn transport_failures_are_retryable() {
        let io = std::io::Error::new(std::io::ErrorKind::TimedOut, "deadline");
        let error = generic_from(HttpError::new(HttpErrorKind::Timeout, io));
        let error = map_error(error, "cannot put", "s3://b/k");
        assert_eq!(error.kind(), ErrorKind::Transport);
        assert_eq!(error.code(), "RequestTimeout");
        assert!(error.is_retryable());
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        let error = generic_from(HttpError::new(HttpErrorKind::Connect, refused));
        let error = map_error(error, "cannot put", "s3://b/k");
        assert_eq!(
            (error.kind(), error.code()),
            (ErrorKind::Transport, "ServiceUnavailable")
        );
    }

    fn generic_from(http: HttpError) -> object_store::Error {
        object_store::Error::Generic {
            store: "S3",
            source: Box::new(http),
        }
    }

    #[test]
    fn tag_and_status_parsing_is_strict() {
        assert_eq!(xml_tag("<Code>NoSuchKey</Code>", "Code"), Some("NoSuchKey"));
        assert_eq!(xml_tag("<Code></Code>", "Code"), None);
        assert_eq!(xml_tag("<Code>a b</Code>", "Code"), None);
        assert_eq!(xml_tag("<Code>open", "Code"), None);
        assert_eq!(http_status("status code: 404 Not Found"), Some(404));
        assert_eq!(http_status("status code: 4"), None);
    }
}
