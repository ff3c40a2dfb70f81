//! Names the AWS API call an HTTP request makes, the way CloudTrail names it, from the
//! request head alone (and, for query-protocol services, a bounded prefix of a form body).
//!
//! OpenTrail's recording proxy sits in front of an S3-compatible store or any
//! AWS-protocol service and must record each request as CloudTrail would, without
//! altering it. [`identify`] returns a [`Call`]: `eventSource`, `eventName`, the IAM action
//! and resources to evaluate policies against, `readOnly`, whether it is a data event, and
//! for S3 the bucket, key, `requestParameters` and `resources` ([`S3Call`]). It does no I/O
//! and never fails: a request it cannot name still gets a [`Call`], with a fallback
//! `eventName` and the reason in [`Call::unidentified`].
//!
//! How each protocol is named:
//!
//! - **S3 (REST-XML)**: from method, bucket/key presence (virtual-hosted or path-style,
//!   see [`Endpoint`]), sub-resource query parameters (`?acl`, `?uploads`, `?list-type=2`)
//!   and headers (`x-amz-copy-source`, a `multipart/form-data` body). Event names are
//!   CloudTrail's, which differ from the API's in places (`ListObjectsV2` is logged as
//!   `ListObjects`, `GetBucketLifecycleConfiguration` as `GetBucketLifecycle`).
//! - **AWS JSON**: `X-Amz-Target: TrentService.Decrypt` → `Decrypt`, `kms:Decrypt`.
//! - **AWS query** (SQS, SNS, STS, EC2, IAM, …): the `Action` parameter, from the query
//!   string or the form body. Callers find out whether to buffer the body with
//!   [`needs_form_body`] and pass at most [`MAX_FORM_BODY`] bytes.
//! - **Other REST services**: only Lambda `Invoke` is known; other requests get an
//!   `eventName` of the form `"<METHOD> <path shape>"` and an empty IAM action.
//!
//! `readOnly` follows CloudTrail's usual rule: per-operation tables where the rule is
//! wrong (AWS KMS cryptographic calls are read-only), then `Get…`/`Describe…`/`List…`
//! (and a few more) are read-only and `Create…`/`Delete…`/`Put…` (and a few more) are
//! not; other names give `None`. S3 operations each carry their own flag. Fallback names
//! are read-only for `GET` and `HEAD` and unknown otherwise.
//!
//! ```
//! use http::{HeaderMap, Method, Uri};
//! use opentrail_identify::{Endpoint, identify};
//!
//! let suffixes = vec!["s3.localhost".to_owned()];
//! let endpoint = Endpoint { s3_virtual_host_suffixes: &suffixes, default_service: "s3" };
//! let uri: Uri = "/photos/2024/cat%20one.jpg?versionId=3".parse().unwrap();
//! let mut headers = HeaderMap::new();
//! headers.insert("host", "media.s3.localhost:9000".parse().unwrap());
//!
//! let call = identify(&Method::GET, &uri, &headers, "s3", None, &endpoint);
//! assert_eq!(call.event_source, "s3.amazonaws.com");
//! assert_eq!(call.event_name, "GetObject");
//! assert_eq!(call.action, "s3:GetObjectVersion");
//! assert_eq!(call.resources, ["arn:aws:s3:::media/photos/2024/cat one.jpg"]);
//! let s3 = call.s3.unwrap();
//! assert_eq!(s3.bucket.as_deref(), Some("media"));
//! assert_eq!(s3.key.as_deref(), Some("photos/2024/cat one.jpg"));
//! assert!(s3.data_event);
//!
//! let mut headers = HeaderMap::new();
//! headers.insert("x-amz-target", "TrentService.Decrypt".parse().unwrap());
//! let call = identify(&Method::POST, &"/".parse().unwrap(), &headers, "kms", None, &endpoint);
//! assert_eq!((call.event_name.as_str(), call.action.as_str()), ("Decrypt", "kms:Decrypt"));
//! assert_eq!(call.read_only, Some(true));
//! ```
#![warn(missing_docs)]

mod call;
mod params;
mod protocols;
mod s3;
mod service;

use http::{HeaderMap, Method, Uri, header::CONTENT_TYPE};

pub use call::{Call, S3Call, S3Resource, Unidentified};
pub use service::{event_source_of, iam_prefix_of};

/// The most bytes of a form-encoded body a caller buffers for [`identify`]: 64 KiB.
///
/// SDKs write `Action` first, so this is ample to name the call; a body cut at this size
/// has its last (possibly partial) parameter ignored.
pub const MAX_FORM_BODY: usize = 64 * 1024;

/// The signing name used when neither the caller's nor the endpoint's default is usable.
pub const UNKNOWN_SERVICE: &str = "unknown";

/// Method names longer than this are cut in fallback event names and messages.
pub(crate) const MAX_METHOD_CHARS: usize = 16;

/// How the proxy's listener is reached, which [`identify`] needs to read S3 requests.
#[derive(Debug, Clone, Copy)]
pub struct Endpoint<'a> {
    /// Host suffixes under which a bucket is virtual-hosted: with `s3.localhost` listed,
    /// `Host: photos.s3.localhost:9000` is bucket `photos`. Compared case-insensitively,
    /// without the port; a `Host` equal to a suffix is path-style. Empty: path-style only.
    pub s3_virtual_host_suffixes: &'a [String],
    /// The signing name to use when the caller's is empty or malformed (an unsigned
    /// request to an endpoint that fronts one service), e.g. `s3`.
    pub default_service: &'a str,
}

/// Identifies the AWS API call `method` + `uri` + `headers` makes.
///
/// `service` is the SigV4 signing name from the request's credential scope, or for an
/// unsigned request the endpoint's configured service. `form_body` is at most
/// [`MAX_FORM_BODY`] bytes of the body when [`needs_form_body`] said so, else `None`.
/// Requests to `s3` are read as S3 REST requests (the body is never used); other services
/// by `X-Amz-Target`, then `Action`, then the few known REST routes.
///
/// Never panics, whatever the input; the work is linear in the URI and header sizes.
pub fn identify(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    service: &str,
    form_body: Option<&[u8]>,
    endpoint: &Endpoint<'_>,
) -> Call {
    let service = service::normalize_service(service)
        .or_else(|| service::normalize_service(endpoint.default_service))
        .unwrap_or_else(|| UNKNOWN_SERVICE.to_owned());
    if service == "s3" {
        return s3::identify(method, uri, headers, endpoint.s3_virtual_host_suffixes);
    }
    protocols::identify(method, uri, headers, &service, form_body)
}

/// Returns whether [`identify`] needs the form body: a `POST` with
/// `Content-Type: application/x-www-form-urlencoded` (the AWS query protocol).
///
/// The caller then buffers up to [`MAX_FORM_BODY`] bytes, passes them to [`identify`]
/// and forwards the body unchanged.
pub fn needs_form_body(method: &Method, headers: &HeaderMap) -> bool {
    if *method != Method::POST {
        return false;
    }
    let Some(content_type) = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
    else {
        return false;
    };
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    media_type.eq_ignore_ascii_case("application/x-www-form-urlencoded")
}

/// `readOnly` for a request whose operation is unknown: `GET` and `HEAD` read.
pub(crate) fn fallback_read_only(method: &Method) -> Option<bool> {
    (*method == Method::GET || *method == Method::HEAD).then_some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoint() -> Endpoint<'static> {
        Endpoint {
            s3_virtual_host_suffixes: &[],
            default_service: "sqs",
        }
    }

    #[test]
    fn needs_form_body_only_for_form_posts() {
        let mut headers = HeaderMap::new();
        assert!(!needs_form_body(&Method::POST, &headers));
        headers.insert(
            CONTENT_TYPE,
            "Application/X-WWW-Form-Urlencoded; charset=utf-8"
                .parse()
                .unwrap(),
        );
        assert!(needs_form_body(&Method::POST, &headers));
        assert!(!needs_form_body(&Method::GET, &headers));
        headers.insert(CONTENT_TYPE, "application/x-amz-json-1.1".parse().unwrap());
        assert!(!needs_form_body(&Method::POST, &headers));
    }

    #[test]
    fn malformed_service_falls_back_to_the_endpoint_default_then_unknown() {
        let uri: Uri = "/?Action=ListQueues".parse().unwrap();
        let headers = HeaderMap::new();
        let call = identify(&Method::GET, &uri, &headers, "s3/../x", None, &endpoint());
        assert_eq!(call.service, "sqs");
        assert_eq!(call.action, "sqs:ListQueues");
        let nowhere = Endpoint {
            s3_virtual_host_suffixes: &[],
            default_service: "",
        };
        let call = identify(&Method::GET, &uri, &headers, "", None, &nowhere);
        assert_eq!(call.service, UNKNOWN_SERVICE);
        assert_eq!(call.event_source, "unknown.amazonaws.com");
    }
}
