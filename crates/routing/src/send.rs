//! Sending one rendered body to one target, once: a webhook POST, a line appended to a
//! file, or a line on standard output.

use std::io::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use hmac::{Hmac, KeyInit, Mac};
use opentrail_rules::Destination;
use opentrail_types::json_text;
use reqwest::header::{CONTENT_TYPE, RETRY_AFTER, USER_AGENT};
use sha2::Sha256;

use crate::files::{Durability, FileCache};
use crate::raw;

/// `User-Agent` of webhook requests.
pub const WEBHOOK_USER_AGENT: &str = concat!("OpenTrail-Rules/", env!("CARGO_PKG_VERSION"));
/// Header carrying the rule's ARN.
pub const HEADER_RULE: &str = "X-OpenTrail-Rule";
/// Header carrying the envelope `id` (stable across re-sends of one event).
pub const HEADER_EVENT_ID: &str = "X-OpenTrail-Event-Id";
/// Header carrying the signing time, in Unix seconds (signed requests only).
pub const HEADER_TIMESTAMP: &str = "X-OpenTrail-Timestamp";
/// Header carrying `sha256=<hex HMAC>` (signed requests only).
pub const HEADER_SIGNATURE: &str = "X-OpenTrail-Signature";

/// Headers a target's or destination's configured headers cannot set: ours, and those
/// the HTTP client manages.
const RESERVED_HEADERS: &[&str] = &[
    "content-type",
    "user-agent",
    "content-length",
    "host",
    "connection",
    "transfer-encoding",
    "x-opentrail-rule",
    "x-opentrail-event-id",
    "x-opentrail-timestamp",
    "x-opentrail-signature",
];

/// Returns the signature header value for a body: `sha256=` and the lowercase hex
/// HMAC-SHA256, keyed with `secret`, of `"<timestamp_secs>.<body>"`.
///
/// A receiver verifies a request by recomputing this over the raw body and the
/// `X-OpenTrail-Timestamp` header, comparing it in constant time with
/// `X-OpenTrail-Signature`, and refusing timestamps far from its own clock (five minutes
/// is usual) so that a captured request cannot be replayed later. Every attempt is signed
/// afresh with the time of that attempt.
pub fn sign(secret: &str, timestamp_secs: i64, body: &[u8]) -> String {
    let mut mac = match Hmac::<Sha256>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        // HMAC takes keys of any length (RFC 2104 §2), so this arm is never taken.
        Err(_) => return String::new(),
    };
    mac.update(timestamp_secs.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
}

/// A target resolved against the configuration, ready to send to.
#[derive(Debug, Clone)]
pub(crate) enum Prepared {
    Webhook(Webhook),
    File(PathBuf),
    Stdout,
}

impl Prepared {
    /// The `kind` label of metrics.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Prepared::Webhook(webhook) if webhook.api_destination => "api_destination",
            Prepared::Webhook(_) => "webhook",
            Prepared::File(_) => "file",
            Prepared::Stdout => "stdout",
        }
    }
}

/// Everything one webhook request needs besides the body.
#[derive(Debug, Clone)]
pub(crate) struct Webhook {
    pub(crate) url: reqwest::Url,
    pub(crate) timeout: Duration,
    pub(crate) secret: Option<String>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) api_destination: bool,
}

/// Why one attempt failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SendError {
    /// Worth another attempt (HTTP 429 or 5xx, time-out, connection or write error);
    /// `retry_after` is the receiver's `Retry-After`, when it gave one in seconds.
    Retryable {
        reason: String,
        retry_after: Option<Duration>,
    },
    /// Will fail the same way again (other 4xx, 1xx, 3xx, a request that cannot be built,
    /// a negative `Retry-After`).
    Permanent(String),
}

impl SendError {
    fn retryable(reason: String) -> SendError {
        SendError::Retryable {
            reason,
            retry_after: None,
        }
    }
}

/// What the send needs to know about the event and rule.
pub(crate) struct RequestContext<'a> {
    pub(crate) rule_arn: &'a str,
    pub(crate) envelope_id: &'a str,
    pub(crate) now_secs: i64,
}

/// Sends `body` once.
pub(crate) async fn send(
    target: &Prepared,
    body: &[u8],
    about: &RequestContext<'_>,
    http: &reqwest::Client,
    files: &FileCache,
) -> Result<(), SendError> {
    match target {
        Prepared::Webhook(webhook) => post(webhook, body, about, http).await,
        Prepared::File(path) => files
            .append(path.clone(), json_line(body), Durability::Buffered)
            .await
            .map_err(|error| {
                SendError::retryable(format!("cannot append to `{}`: {error}", path.display()))
            }),
        Prepared::Stdout => {
            let line = json_line(body);
            tokio::task::spawn_blocking(move || {
                let mut stdout = std::io::stdout().lock();
                stdout.write_all(&line).and_then(|()| stdout.flush())
            })
            .await
            .map_err(std::io::Error::other)
            .and_then(|result| result)
            .map_err(|error| SendError::retryable(format!("cannot write to stdout: {error}")))
        }
    }
}

/// Returns the line written for `body`: the body itself when it is JSON (it is compact
/// already), else the body as a JSON string (a text template may hold newlines), plus
/// `\n`.
pub(crate) fn json_line(body: &[u8]) -> Vec<u8> {
    let text = String::from_utf8_lossy(body);
    let mut line = match raw::parse(&text) {
        Ok(value) => json_text::compact(value.get()),
        Err(_) => json_text::quote(&text),
    }
    .into_bytes();
    line.push(b'\n');
    line
}

async fn post(
    webhook: &Webhook,
    body: &[u8],
    about: &RequestContext<'_>,
    http: &reqwest::Client,
) -> Result<(), SendError> {
    let mut request = http
        .post(webhook.url.clone())
        .timeout(webhook.timeout)
        .header(CONTENT_TYPE, "application/json")
        .header(USER_AGENT, WEBHOOK_USER_AGENT)
        .header(HEADER_RULE, about.rule_arn)
        .header(HEADER_EVENT_ID, about.envelope_id);
    for (name, value) in &webhook.headers {
        if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            continue;
        }
        request = request.header(name.as_str(), value.as_str());
    }
    if let Some(secret) = &webhook.secret {
        request = request
            .header(HEADER_TIMESTAMP, about.now_secs.to_string())
            .header(HEADER_SIGNATURE, sign(secret, about.now_secs, body));
    }
    let response = match request.body(body.to_vec()).send().await {
        Ok(response) => response,
        Err(error) if error.is_builder() => {
            return Err(SendError::Permanent(format!(
                "cannot build the request to `{}`: {error}",
                webhook.url
            )));
        }
        Err(error) => {
            let what = if error.is_timeout() {
                "timed out"
            } else {
                "failed"
            };
            return Err(SendError::retryable(format!(
                "POST `{}` {what}: {error}",
                webhook.url
            )));
        }
    };
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let reason = format!("POST `{}` answered HTTP {status}", webhook.url);
    // EventBridge API destinations retry 429 and 5xx and nothing else.
    if status.as_u16() != 429 && !status.is_server_error() {
        return Err(SendError::Permanent(reason));
    }
    let retry_after = response
        .headers()
        .get(RETRY_AFTER)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| text.trim().parse::<i64>().ok());
    match retry_after {
        // EventBridge stops retrying when `Retry-After` is negative.
        Some(seconds) if seconds < 0 => Err(SendError::Permanent(format!(
            "{reason} with a negative Retry-After"
        ))),
        seconds => Err(SendError::Retryable {
            reason,
            retry_after: seconds
                .and_then(|seconds| u64::try_from(seconds).ok())
                .map(Duration::from_secs),
        }),
    }
}

/// Resolves a target ARN against the configuration.
pub(crate) fn prepare(
    destination: Destination,
    http_headers: &[(String, String)],
    query: &[(String, String)],
    config: &crate::TargetsConfig,
) -> Result<Prepared, String> {
    let (url, timeout, secret, mut headers, api_destination) = match destination {
        Destination::Stdout => return Ok(Prepared::Stdout),
        Destination::File { relative_path } => {
            return Ok(Prepared::File(config.file_dir.join(relative_path)));
        }
        Destination::Webhook { url } => (url, config.webhook_timeout, None, Vec::new(), false),
        Destination::ApiDestination { name } => {
            let Some(found) = config
                .api_destinations
                .iter()
                .find(|candidate| candidate.name == name)
            else {
                return Err(format!("api destination `{name}` is not configured"));
            };
            (
                found.url.clone(),
                found.timeout,
                found.secret.clone(),
                found.headers.clone(),
                true,
            )
        }
    };
    let mut url =
        reqwest::Url::parse(&url).map_err(|error| format!("invalid URL `{url}`: {error}"))?;
    if !query.is_empty() {
        let mut pairs = url.query_pairs_mut();
        for (name, value) in query {
            pairs.append_pair(name, value);
        }
    }
    headers.extend(http_headers.iter().cloned());
    Ok(Prepared::Webhook(Webhook {
        url,
        timeout,
        secret,
        headers,
        api_destination,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_cover_timestamp_and_body() {
        // Computed independently: printf '1700000000.{"a":1}' | openssl dgst -sha256 -hmac key
        assert_eq!(
            sign("key", 1_700_000_000, br#"{"a":1}"#),
            "sha256=a438e398bfafc57e4396bb7fc2304422f0f768e965d073ca313cb52e22e6ad03"
        );
    }

    #[test]
    fn lines_are_json() {
        assert_eq!(json_line(br#"{"a": 1}"#), b"{\"a\":1}\n");
        assert_eq!(json_line(b"two\nlines"), b"\"two\\nlines\"\n");
        assert_eq!(json_line(br#""text""#), b"\"text\"\n");
    }
}
