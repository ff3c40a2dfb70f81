//! Delivering one event to one target: render, send, retry with backoff, and on giving
//! up, the dead-letter file.

use std::collections::HashSet;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use opentrail_rules::{Destination, Target};
use opentrail_types::json_text;
use opentrail_types::{RandomIds, SharedClock, SharedIds, Timestamp};

use crate::config::TargetsConfig;
use crate::error::{Error, Result};
use crate::events;
use crate::files::{Durability, FileCache};
use crate::input::render_at;
use crate::job::{DeadLetterReason, Job, Outcome};
use crate::send::{self, RequestContext, SendError};

/// Delivers events to rule targets. Cheap to clone (one `Arc`); share one per server.
///
/// # Delivery
///
/// The body is what [`crate::render_at`] makes of the envelope for the target (with the
/// journal's acknowledgement time as ingestion time). Then, per destination:
///
/// - **Webhook** (`https://…`) and **API destination**: `POST` with `Content-Type:
///   application/json`, `User-Agent: OpenTrail-Rules/<version>`, `X-OpenTrail-Rule: <rule
///   ARN>`, `X-OpenTrail-Event-Id: <envelope id>`, the destination's configured headers,
///   then the target's `HttpParameters` headers (neither may replace the headers above,
///   `Host`, `Content-Length`, `Connection` or `Transfer-Encoding`), and its
///   `QueryStringParameters` appended to the URL. An API destination with a secret also
///   gets `X-OpenTrail-Timestamp` and `X-OpenTrail-Signature` (see [`crate::sign`]).
///   Redirects are not followed. 2xx is delivered; 429, 5xx, time-outs and connection
///   errors are retried; any other status is not retryable and goes to the dead-letter
///   file at once, as EventBridge does for API destinations. A `Retry-After` in seconds
///   lengthens the next delay (up to `backoff_max`); a negative one stops the retries.
/// - **File** (`file:<path>`): the body as one compact JSON line (a text body becomes a
///   JSON string), appended to `<file_dir>/<path>`. Written to the operating system (it
///   survives a crash of the process), not `fsync`ed. A write error is retried.
/// - **Stdout** (`stdout:`): the same line on standard output.
///
/// # Retries
///
/// At most `1 + MaximumRetryAttempts` attempts (default 186). After a failed attempt the
/// deliverer waits a random time between zero and `backoff_initial × 2^(failures − 1)`,
/// capped at `backoff_max` ("full jitter"), on tokio's clock. The first attempt is always
/// made; once the event is older than `MaximumEventAgeInSeconds` (default 24 h, measured
/// with the injected clock from [`Job::acknowledged`]) no further attempt is made.
///
/// # Dead-letter file
///
/// The target's `DeadLetterConfig` (`file:<path>`, under `file_dir`), or the configured
/// default `dead_letter_file`, gets one JSON line per event:
///
/// | Member | Value |
/// | --- | --- |
/// | `time` | when it was written, `YYYY-MM-DDTHH:MM:SS.mmmZ` |
/// | `ruleArn`, `ruleName` | the rule |
/// | `targetId`, `targetArn` | the target |
/// | `attempts` | attempts made (0 when none could be) |
/// | `reason` | [`DeadLetterReason`] as text |
/// | `event` | the envelope, a JSON object |
///
/// The line is `fsync`ed before [`Deliverer::deliver`] returns, because the router saves
/// its position once it returns. When the write itself fails, the failure is logged as an
/// error and the write retried (every `backoff_max` at most) until it succeeds: an event is
/// never dropped silently.
#[derive(Debug, Clone)]
pub struct Deliverer {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: TargetsConfig,
    clock: SharedClock,
    ids: SharedIds,
    http: reqwest::Client,
    files: FileCache,
}

impl Deliverer {
    /// Returns a deliverer; jitter comes from the operating system's random source.
    ///
    /// # Errors
    ///
    /// [`crate::ErrorKind::Config`] for a zero `backoff_initial`, a `backoff_initial`
    /// above `backoff_max`, or an API destination with a duplicate name or a URL that is
    /// not `http(s)://`; [`crate::ErrorKind::HttpClient`] when the HTTP client cannot be
    /// built.
    pub fn new(config: TargetsConfig, clock: SharedClock) -> Result<Deliverer> {
        Deliverer::with_ids(config, clock, Arc::new(RandomIds))
    }

    /// Returns a deliverer drawing its jitter from `ids` (tests pass a seeded generator).
    ///
    /// # Errors
    ///
    /// As [`Deliverer::new`].
    pub fn with_ids(
        config: TargetsConfig,
        clock: SharedClock,
        ids: SharedIds,
    ) -> Result<Deliverer> {
        validate(&config)?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(Error::HttpClient)?;
        Ok(Deliverer {
            inner: Arc::new(Inner {
                config,
                clock,
                ids,
                http,
                files: FileCache::default(),
            }),
        })
    }

    /// The settings.
    pub fn config(&self) -> &TargetsConfig {
        &self.inner.config
    }

    /// Delivers `job`'s event to its target, retrying as the target's retry policy allows,
    /// and writes it to the dead-letter file when delivery gives up. Returns only once the
    /// event is delivered or durably dead-lettered.
    pub async fn deliver(&self, job: &Job) -> Outcome {
        let target = job.target.as_ref();
        let prepared = match Destination::parse(&target.arn).and_then(|destination| {
            let parameters = target.http_parameters.as_ref();
            send::prepare(
                destination,
                parameters.map_or(&[][..], |http| &http.header_parameters),
                parameters.map_or(&[][..], |http| &http.query_string_parameters),
                &self.inner.config,
            )
        }) {
            Ok(prepared) => prepared,
            Err(error) => {
                let reason = DeadLetterReason::InvalidTarget { error };
                return self.dead_letter(job, "invalid", 0, reason).await;
            }
        };
        let kind = prepared.kind();
        let body = match render_at(target, &job.envelope, &job.rule, job.acknowledged) {
            Ok(body) => body,
            Err(error) => {
                let reason = DeadLetterReason::Input {
                    error: error.to_string(),
                };
                return self.dead_letter(job, kind, 0, reason).await;
            }
        };
        let max_attempts = target.maximum_retry_attempts().saturating_add(1);
        let mut attempts = 0_u32;
        loop {
            attempts += 1;
            let context = RequestContext {
                rule_arn: &job.rule.arn,
                envelope_id: job.envelope.id(),
                now_secs: self.inner.clock.now().as_secs(),
            };
            let sent = send::send(
                &prepared,
                &body,
                &context,
                &self.inner.http,
                &self.inner.files,
            );
            let (last_error, retry_after) = match sent.await {
                Ok(()) => {
                    events::Delivered {
                        rule: &job.rule.arn,
                        target_id: &target.id,
                        event_id: job.envelope.event_id(),
                        kind,
                        attempts,
                    }
                    .emit();
                    return Outcome::Delivered { attempts };
                }
                Err(SendError::Permanent(error)) => {
                    let reason = DeadLetterReason::NotRetryable { error };
                    return self.dead_letter(job, kind, attempts, reason).await;
                }
                Err(SendError::Retryable {
                    reason,
                    retry_after,
                }) => (reason, retry_after),
            };
            if attempts >= max_attempts {
                let reason = DeadLetterReason::RetryAttemptsExhausted { last_error };
                return self.dead_letter(job, kind, attempts, reason).await;
            }
            if self.too_old(job) {
                let reason = DeadLetterReason::EventAgeExceeded { last_error };
                return self.dead_letter(job, kind, attempts, reason).await;
            }
            let mut delay = self.jittered_delay(attempts);
            if let Some(asked) = retry_after {
                // EventBridge takes the more conservative of its policy and the receiver's.
                delay = delay.max(asked.min(self.inner.config.backoff_max));
            }
            events::Retried {
                rule: &job.rule.arn,
                target_id: &target.id,
                event_id: job.envelope.event_id(),
                kind,
                attempt: attempts,
                delay,
                error: &last_error,
            }
            .emit();
            tokio::time::sleep(delay).await;
            if self.too_old(job) {
                let reason = DeadLetterReason::EventAgeExceeded { last_error };
                return self.dead_letter(job, kind, attempts, reason).await;
            }
        }
    }

    /// Whether the event is older than the target's maximum event age.
    fn too_old(&self, job: &Job) -> bool {
        let age_millis = self
            .inner
            .clock
            .now()
            .as_millis()
            .saturating_sub(job.acknowledged.as_millis());
        age_millis > i64::from(job.target.maximum_event_age_secs()).saturating_mul(1000)
    }

    fn jittered_delay(&self, failures: u32) -> Duration {
        let mut draw = [0_u8; 8];
        self.inner.ids.fill(&mut draw);
        let cap = backoff_cap(
            self.inner.config.backoff_initial,
            self.inner.config.backoff_max,
            failures,
        );
        full_jitter(cap, u64::from_le_bytes(draw))
    }

    async fn dead_letter(
        &self,
        job: &Job,
        kind: &'static str,
        attempts: u32,
        reason: DeadLetterReason,
    ) -> Outcome {
        let path = self.dead_letter_path(&job.target);
        let line = dead_letter_line(job, attempts, &reason, self.inner.clock.now());
        let mut failures = 0_u32;
        while let Err(error) = self
            .inner
            .files
            .append(path.clone(), line.clone(), Durability::Synced)
            .await
        {
            failures = failures.saturating_add(1);
            events::DeadLetterWriteFailed {
                file: &path,
                event_id: job.envelope.event_id(),
                failures,
                error: &error,
            }
            .emit();
            let config = &self.inner.config;
            tokio::time::sleep(backoff_cap(
                config.backoff_initial,
                config.backoff_max,
                failures,
            ))
            .await;
        }
        events::DeadLettered {
            rule: &job.rule.arn,
            target_id: &job.target.id,
            event_id: job.envelope.event_id(),
            kind,
            attempts,
            reason: &reason,
            file: &path,
        }
        .emit();
        Outcome::DeadLettered { attempts, reason }
    }

    fn dead_letter_path(&self, target: &Target) -> PathBuf {
        let config = &self.inner.config;
        let Some(arn) = target.dead_letter_arn.as_deref() else {
            return config.dead_letter_file.clone();
        };
        match Destination::parse(arn) {
            Ok(Destination::File { relative_path }) => config.file_dir.join(relative_path),
            _ => {
                tracing::warn!(
                    target = %target.id,
                    dead_letter_arn = %arn,
                    file = %config.dead_letter_file.display(),
                    "dead-letter ARN is not a `file:` path; using the default dead-letter file"
                );
                config.dead_letter_file.clone()
            }
        }
    }
}

/// The delay bound after `failures` failed attempts: `initial × 2^(failures − 1)`, at most
/// `max`.
pub(crate) fn backoff_cap(initial: Duration, max: Duration, failures: u32) -> Duration {
    let doublings = failures.saturating_sub(1).min(31);
    initial.saturating_mul(1_u32 << doublings).min(max)
}

/// A delay drawn uniformly (to the millisecond) from zero to `cap`, from a random `draw`.
pub(crate) fn full_jitter(cap: Duration, draw: u64) -> Duration {
    let cap_millis = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX);
    Duration::from_millis(draw % cap_millis.saturating_add(1))
}

fn dead_letter_line(
    job: &Job,
    attempts: u32,
    reason: &DeadLetterReason,
    now: Timestamp,
) -> Vec<u8> {
    let mut line = String::with_capacity(job.envelope.json().len() + 512);
    line.push_str("{\"time\":");
    line.push_str(&json_text::quote(&now.format_utc("%Y-%m-%dT%H:%M:%S%.3fZ")));
    for (name, value) in [
        ("ruleArn", job.rule.arn.as_str()),
        ("ruleName", job.rule.name.as_str()),
        ("targetId", job.target.id.as_str()),
        ("targetArn", job.target.arn.as_str()),
    ] {
        line.push_str(",\"");
        line.push_str(name);
        line.push_str("\":");
        line.push_str(&json_text::quote(value));
    }
    line.push_str(",\"attempts\":");
    line.push_str(&attempts.to_string());
    line.push_str(",\"reason\":");
    line.push_str(&json_text::quote(&reason.to_string()));
    line.push_str(",\"event\":");
    line.push_str(job.envelope.json());
    line.push_str("}\n");
    line.into_bytes()
}

fn validate(config: &TargetsConfig) -> Result<()> {
    if config.backoff_initial.is_zero() {
        return Err(Error::Config(String::from(
            "`backoff_initial` must be above zero",
        )));
    }
    if config.backoff_initial > config.backoff_max {
        return Err(Error::Config(String::from(
            "`backoff_initial` must not exceed `backoff_max`",
        )));
    }
    let mut names = HashSet::new();
    for destination in &config.api_destinations {
        if !names.insert(destination.name.as_str()) {
            return Err(Error::Config(format!(
                "api destination `{}` is defined twice",
                destination.name
            )));
        }
        let url = reqwest::Url::parse(&destination.url).map_err(|error| {
            Error::Config(format!(
                "api destination `{}` has an invalid URL `{}`: {error}",
                destination.name, destination.url
            ))
        })?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(Error::Config(format!(
                "api destination `{}` URL `{}` is not http(s)",
                destination.name, destination.url
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The router runs deliveries on a multi-threaded runtime: the future must be `Send`.
    fn delivery_future<'a>(
        deliverer: &'a Deliverer,
        job: &'a Job,
    ) -> impl Future<Output = Outcome> + Send + 'a {
        deliverer.deliver(job)
    }

    #[test]
    fn deliverers_and_their_futures_cross_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<Deliverer>();
        shareable::<Job>();
        let _ = delivery_future;
    }

    #[test]
    fn backoff_doubles_up_to_the_maximum() {
        let initial = Duration::from_millis(100);
        let max = Duration::from_secs(1);
        let caps: Vec<u128> = (1..=6)
            .map(|failures| backoff_cap(initial, max, failures).as_millis())
            .collect();
        assert_eq!(caps, [100, 200, 400, 800, 1000, 1000]);
        assert_eq!(backoff_cap(initial, max, u32::MAX), max);
    }

    #[test]
    fn full_jitter_stays_within_the_cap() {
        let cap = Duration::from_millis(250);
        assert_eq!(full_jitter(cap, 0), Duration::ZERO);
        assert_eq!(full_jitter(cap, 250), cap);
        assert_eq!(full_jitter(cap, 251), Duration::ZERO);
        assert!(full_jitter(cap, u64::MAX) <= cap);
        assert_eq!(full_jitter(Duration::MAX, 7), Duration::from_millis(7));
    }

    #[test]
    fn reasons_have_codes_and_text() {
        let reason = DeadLetterReason::EventAgeExceeded {
            last_error: String::from("HTTP 503"),
        };
        assert_eq!(reason.code(), "event_age_exceeded");
        assert_eq!(
            reason.to_string(),
            "maximum event age exceeded; last error: HTTP 503"
        );
    }
}
