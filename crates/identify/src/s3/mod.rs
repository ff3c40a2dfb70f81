//! S3's REST API: where the bucket and key are, which operation it is, and what CloudTrail
//! writes for it.
//!
//! The bucket comes from the `Host` header when it is `<bucket>.<suffix>` for one of the
//! endpoint's virtual-host suffixes (the longest that matches wins, and a host equal to a
//! suffix is path-style), otherwise from the first path segment. The key is the rest of the
//! path, percent-decoded and otherwise untouched: S3 does not normalize `.`/`..` or
//! repeated slashes, so neither does this.

mod conditions;
mod table;

use http::{HeaderMap, Method, Uri, header::HOST};
use serde_json::{Map, Value};

use crate::call::{Call, S3Call, S3Resource, Unidentified, clip};
use crate::params::{Params, decode_path_component};
use crate::{MAX_METHOD_CHARS, fallback_read_only};

use table::{COPY_SOURCE, Level, S3Operation, Scope};

/// Query parameters that carry authentication, which CloudTrail reports in
/// `additionalEventData` rather than `requestParameters` (SigV4 and SigV2 presigned URLs).
const AUTH_QUERY_PARAMS: &[&str] = &[
    "X-Amz-Algorithm",
    "X-Amz-Credential",
    "X-Amz-Date",
    "X-Amz-Expires",
    "X-Amz-SignedHeaders",
    "X-Amz-Signature",
    "X-Amz-Security-Token",
    "AWSAccessKeyId",
    "Signature",
    "Expires",
];

/// Where a request points: the bucket, the key and the `Host` it was sent to.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Location {
    level: Level,
    bucket: Option<String>,
    key: Option<String>,
    /// The `Host` header (or URI authority) as sent, for `requestParameters`.
    host: Option<String>,
}

/// Identifies an S3 REST request.
pub(crate) fn identify(
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    virtual_host_suffixes: &[String],
) -> Call {
    let location = locate(uri, headers, virtual_host_suffixes);
    let params = Params::parse(uri.query().unwrap_or("").as_bytes());
    let request_parameters = request_parameters(&location, &params, headers);
    match table::classify(method, location.level, &params, headers) {
        Some(operation) => identified(operation, location, &params, headers, request_parameters),
        None => unidentified(method, location, request_parameters),
    }
}

fn identified(
    operation: S3Operation,
    location: Location,
    params: &Params,
    headers: &HeaderMap,
    request_parameters: Map<String, Value>,
) -> Call {
    let version_id = params.get("versionId").filter(|value| !value.is_empty());
    let action = match (operation.version_action, version_id) {
        (Some(version_action), Some(_)) => version_action,
        _ => operation.action,
    };
    let bucket = location.bucket.as_deref().unwrap_or("");
    let bucket_arn = format!("arn:aws:s3:::{bucket}");
    let (resources, trail_resources) = match operation.scope {
        Scope::Service => (Vec::new(), Vec::new()),
        Scope::Bucket => (vec![bucket_arn.clone()], vec![bucket_resource(&bucket_arn)]),
        Scope::Listing | Scope::BodyObjects => {
            let prefix = if operation.scope == Scope::Listing {
                params.get("prefix").unwrap_or("")
            } else {
                ""
            };
            let listing = S3Resource {
                resource_type: "AWS::S3::Object".to_owned(),
                arn: None,
                arn_prefix: Some(format!("{bucket_arn}/{prefix}")),
            };
            let policy = if operation.scope == Scope::Listing {
                vec![bucket_arn.clone()]
            } else {
                Vec::new()
            };
            (policy, vec![listing, bucket_resource(&bucket_arn)])
        }
        Scope::Object => {
            let object_arn = format!("{bucket_arn}/{}", location.key.as_deref().unwrap_or(""));
            let object = S3Resource {
                resource_type: "AWS::S3::Object".to_owned(),
                arn: Some(object_arn.clone()),
                arn_prefix: None,
            };
            (vec![object_arn], vec![object, bucket_resource(&bucket_arn)])
        }
    };
    let condition_keys =
        conditions::condition_keys(&operation, action, version_id, params, headers);
    Call {
        service: "s3".to_owned(),
        event_source: "s3.amazonaws.com".to_owned(),
        event_name: operation.event_name.to_owned(),
        action: action.to_owned(),
        read_only: Some(operation.read_only),
        data_event: Some(operation.data_event),
        resources,
        s3: Some(S3Call {
            operation: operation.operation.to_owned(),
            bucket: location.bucket,
            key: location.key,
            data_event: operation.data_event,
            request_parameters,
            resources: trail_resources,
        }),
        condition_keys,
        unidentified: None,
    }
}

fn bucket_resource(bucket_arn: &str) -> S3Resource {
    S3Resource {
        resource_type: "AWS::S3::Bucket".to_owned(),
        arn: Some(bucket_arn.to_owned()),
        arn_prefix: None,
    }
}

fn unidentified(
    method: &Method,
    location: Location,
    request_parameters: Map<String, Value>,
) -> Call {
    let shape = match location.level {
        Level::Service => "/",
        Level::Bucket => "/{Bucket}",
        Level::Object | Level::EmptyBucket => "/{Bucket}/{Key+}",
    };
    let method_name = clip(method.as_str(), MAX_METHOD_CHARS);
    Call {
        service: "s3".to_owned(),
        event_source: "s3.amazonaws.com".to_owned(),
        event_name: format!("{method_name} {shape}"),
        action: String::new(),
        read_only: fallback_read_only(method),
        data_event: None,
        resources: Vec::new(),
        s3: Some(S3Call {
            operation: String::new(),
            bucket: location.bucket,
            key: location.key,
            data_event: false,
            request_parameters,
            resources: Vec::new(),
        }),
        condition_keys: Vec::new(),
        unidentified: Some(Unidentified::UnknownS3Request {
            method: method_name,
            target: location.level.describe(),
        }),
    }
}

/// Builds CloudTrail's `requestParameters` for an S3 request.
fn request_parameters(
    location: &Location,
    params: &Params,
    headers: &HeaderMap,
) -> Map<String, Value> {
    let mut map = Map::new();
    for param in params.iter() {
        if AUTH_QUERY_PARAMS
            .iter()
            .any(|auth| auth.eq_ignore_ascii_case(&param.name))
        {
            continue;
        }
        if map.contains_key(&param.name) {
            continue;
        }
        let value = param.value.clone().unwrap_or_default();
        map.insert(param.name.clone(), Value::String(value));
    }
    if let Some(copy_source) = headers
        .get(COPY_SOURCE)
        .and_then(|value| value.to_str().ok())
    {
        map.insert(
            COPY_SOURCE.to_owned(),
            Value::String(copy_source.to_owned()),
        );
    }
    if let Some(bucket) = &location.bucket {
        map.insert("bucketName".to_owned(), Value::String(bucket.clone()));
    }
    if let Some(host) = &location.host {
        map.insert("Host".to_owned(), Value::String(host.clone()));
    }
    if let Some(key) = &location.key {
        map.insert("key".to_owned(), Value::String(key.clone()));
    }
    map
}

/// Finds the bucket and key of a request, virtual-hosted or path-style.
fn locate(uri: &Uri, headers: &HeaderMap, virtual_host_suffixes: &[String]) -> Location {
    let host = headers
        .get(HOST)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
        .or_else(|| {
            uri.authority()
                .map(|authority| authority.as_str().to_owned())
        });
    let path = uri.path();
    let path = path.strip_prefix('/').unwrap_or(path);
    if let Some(bucket) = host
        .as_deref()
        .and_then(|host| virtual_host_bucket(host, virtual_host_suffixes))
    {
        let key = (!path.is_empty()).then(|| decode_path_component(path));
        let level = if key.is_some() {
            Level::Object
        } else {
            Level::Bucket
        };
        return Location {
            level,
            bucket: Some(bucket),
            key,
            host,
        };
    }
    if path.is_empty() {
        return Location {
            level: Level::Service,
            bucket: None,
            key: None,
            host,
        };
    }
    let (bucket, key) = match path.split_once('/') {
        Some((bucket, key)) => (bucket, (!key.is_empty()).then_some(key)),
        None => (path, None),
    };
    let bucket = decode_path_component(bucket);
    let key = key.map(decode_path_component);
    let level = match (bucket.is_empty(), key.is_some()) {
        (true, _) => Level::EmptyBucket,
        (false, true) => Level::Object,
        (false, false) => Level::Bucket,
    };
    Location {
        level,
        bucket: (!bucket.is_empty()).then_some(bucket),
        key,
        host,
    }
}

/// Returns the bucket when `host` is `<bucket>.<suffix>` for the longest matching suffix.
fn virtual_host_bucket(host: &str, suffixes: &[String]) -> Option<String> {
    let host = host_without_port(host)
        .trim_end_matches('.')
        .to_ascii_lowercase();
    let mut best: Option<(usize, String)> = None;
    for suffix in suffixes {
        let suffix = suffix.trim_matches('.').to_ascii_lowercase();
        if suffix.is_empty() {
            continue;
        }
        if host == suffix {
            return None;
        }
        let Some(bucket) = host
            .strip_suffix(suffix.as_str())
            .and_then(|rest| rest.strip_suffix('.'))
        else {
            continue;
        };
        if bucket.is_empty() {
            continue;
        }
        if best
            .as_ref()
            .is_none_or(|(length, _)| suffix.len() > *length)
        {
            best = Some((suffix.len(), bucket.to_owned()));
        }
    }
    best.map(|(_, bucket)| bucket)
}

/// Strips a `:port` (and the brackets of an IPv6 literal's port form).
fn host_without_port(host: &str) -> &str {
    let host = host.trim();
    if host.starts_with('[') {
        return match host.find(']') {
            Some(end) => &host[..=end],
            None => host,
        };
    }
    match host.rsplit_once(':') {
        Some((name, port)) if port.bytes().all(|byte| byte.is_ascii_digit()) => name,
        _ => host,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suffixes() -> Vec<String> {
        vec!["s3.localhost".to_owned(), "localhost".to_owned()]
    }

    fn located(uri: &str, host: Option<&str>) -> Location {
        let uri: Uri = uri.parse().unwrap();
        let mut headers = HeaderMap::new();
        if let Some(host) = host {
            headers.insert(HOST, host.parse().unwrap());
        }
        locate(&uri, &headers, &suffixes())
    }

    #[test]
    fn virtual_host_uses_the_longest_suffix_and_ignores_the_port() {
        let location = located(
            "/photos/2024/a%20b.jpg",
            Some("My.Bucket.s3.localhost:9000"),
        );
        assert_eq!(location.bucket.as_deref(), Some("my.bucket"));
        assert_eq!(location.key.as_deref(), Some("photos/2024/a b.jpg"));
        assert_eq!(
            location.host.as_deref(),
            Some("My.Bucket.s3.localhost:9000")
        );
        let other = located("/", Some("media.localhost"));
        assert_eq!(other.bucket.as_deref(), Some("media"));
        assert_eq!(other.level, Level::Bucket);
    }

    #[test]
    fn host_equal_to_a_suffix_is_path_style() {
        let location = located("/bkt/dir//file/", Some("s3.localhost"));
        assert_eq!(location.bucket.as_deref(), Some("bkt"));
        assert_eq!(location.key.as_deref(), Some("dir//file/"));
        let root = located("/", Some("localhost:9000"));
        assert_eq!(root.level, Level::Service);
    }

    #[test]
    fn path_style_keeps_dot_segments_and_plus_signs() {
        let location = located("http://127.0.0.1:9000/bkt/../a+b%2Fc", None);
        assert_eq!(location.host.as_deref(), Some("127.0.0.1:9000"));
        assert_eq!(location.key.as_deref(), Some("../a+b/c"));
        assert_eq!(located("/bkt/", None).level, Level::Bucket);
        assert_eq!(located("//key", None).level, Level::EmptyBucket);
    }

    #[test]
    fn host_without_port_handles_ipv6_literals() {
        assert_eq!(host_without_port("[::1]:9000"), "[::1]");
        assert_eq!(host_without_port("example.com"), "example.com");
        assert_eq!(host_without_port("example.com:x"), "example.com:x");
    }

    #[test]
    fn request_parameters_leave_out_presigned_url_authentication() {
        let uri: Uri = "/bkt/key?X-Amz-Signature=abc&x-amz-credential=AKID&versionId=v1&tagging"
            .parse()
            .unwrap();
        let headers = HeaderMap::new();
        let call = identify(&Method::GET, &uri, &headers, &suffixes());
        let s3 = call.s3.unwrap();
        assert_eq!(
            Value::Object(s3.request_parameters),
            serde_json::json!({"bucketName": "bkt", "key": "key", "versionId": "v1", "tagging": ""})
        );
        assert_eq!(call.action, "s3:GetObjectVersionTagging");
    }
}
