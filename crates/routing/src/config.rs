//! What the server tells the deliverer: where files go, the configured API destinations,
//! time-outs and backoff bounds.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// Delivery settings. The server builds this from its `[rules]` configuration.
#[derive(Debug, Clone)]
pub struct TargetsConfig {
    /// The folder `file:<relative path>` targets and dead-letter files are written under
    /// (created when missing). Default in the server: `<data dir>/rules`.
    pub file_dir: PathBuf,
    /// The dead-letter file of targets without a `DeadLetterConfig` (one JSON line per
    /// event; format on [`crate::Deliverer`]). Default in the server:
    /// `<data dir>/rules/dead-letter.ndjson`.
    pub dead_letter_file: PathBuf,
    /// The HTTP endpoints `arn:aws:events:…:api-destination/<name>` targets resolve to.
    pub api_destinations: Vec<ApiDestination>,
    /// Time-out of one POST to a plain `https://…` webhook target, connection included.
    /// Default [`TargetsConfig::DEFAULT_WEBHOOK_TIMEOUT`] (5 s, EventBridge's time-out for
    /// API destinations).
    pub webhook_timeout: Duration,
    /// The first retry delay bound; each failed attempt doubles it up to
    /// [`TargetsConfig::backoff_max`]. Default 1 s.
    pub backoff_initial: Duration,
    /// The largest retry delay. Default 300 s (with EventBridge's default 185 retries this
    /// spreads them over hours; the event age limit, 24 h by default, stops them first).
    pub backoff_max: Duration,
}

impl TargetsConfig {
    /// The default webhook time-out: 5 s.
    pub const DEFAULT_WEBHOOK_TIMEOUT: Duration = Duration::from_secs(5);
    /// The default first retry delay bound: 1 s.
    pub const DEFAULT_BACKOFF_INITIAL: Duration = Duration::from_secs(1);
    /// The default largest retry delay: 300 s.
    pub const DEFAULT_BACKOFF_MAX: Duration = Duration::from_secs(300);

    /// Returns settings with the given folders, no API destinations and the default
    /// time-out and backoff.
    pub fn new(file_dir: PathBuf, dead_letter_file: PathBuf) -> TargetsConfig {
        TargetsConfig {
            file_dir,
            dead_letter_file,
            api_destinations: Vec::new(),
            webhook_timeout: TargetsConfig::DEFAULT_WEBHOOK_TIMEOUT,
            backoff_initial: TargetsConfig::DEFAULT_BACKOFF_INITIAL,
            backoff_max: TargetsConfig::DEFAULT_BACKOFF_MAX,
        }
    }
}

/// One configured API destination (`[[rules.api_destinations]]`): a webhook with its own
/// time-out, extra headers and optional signing secret.
#[derive(Clone)]
pub struct ApiDestination {
    /// The name targets use in `arn:aws:events:<region>:<account>:api-destination/<name>`.
    pub name: String,
    /// The `http://` or `https://` URL events are POSTed to.
    pub url: String,
    /// When set, every request is signed with HMAC-SHA256 (see [`crate::sign`]).
    pub secret: Option<String>,
    /// Time-out of one request, connection included (EventBridge uses 5 s).
    pub timeout: Duration,
    /// Headers added to every request (before the target's `HttpParameters` headers).
    pub headers: Vec<(String, String)>,
}

/// Leaves the secret out of logs.
impl fmt::Debug for ApiDestination {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("ApiDestination")
            .field("name", &self.name)
            .field("url", &self.url)
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("timeout", &self.timeout)
            .field("headers", &self.headers)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_hides_the_secret() {
        let destination = ApiDestination {
            name: String::from("alerts"),
            url: String::from("https://hooks.example.com/"),
            secret: Some(String::from("s3cr3t")),
            timeout: Duration::from_secs(5),
            headers: Vec::new(),
        };
        let text = format!("{destination:?}");
        assert!(!text.contains("s3cr3t"), "{text}");
        assert!(text.contains("<redacted>"), "{text}");
    }
}
