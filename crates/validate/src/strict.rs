//! Strict mode (spec §3.11): the checks the CLI does not make, each reported on its own
//! `STRICT:` line (see the crate documentation for the exact texts).
//!
//! * previous-digest links: `previousDigestHashValue` must be the SHA-256 of the previous
//!   digest's inflated bytes, `previousDigestSignature` its `signature` metadata, and
//!   `digestStartTime` the previous digest's `digestEndTime`;
//! * the cadence of the standard chain (an hour for CloudTrail; the window length of the
//!   valid digest before a gap, so a trail with another digest period is judged by its
//!   own): when the walk had to skip missing or invalid digests, every window between the
//!   two valid digests around them that no reported digest accounts for is reported as
//!   missing (the CLI reports only the first missing digest of a run, limitation 1);
//! * log files under the trail's `CloudTrail/<region>/` folders, delivered inside the time
//!   the valid digests cover, that no digest lists.

use std::collections::{BTreeSet, HashSet};

use opentrail_blob::MAX_LIST_KEYS;
use opentrail_digest::naming::cli_key_time_text;
use opentrail_types::Timestamp;
use serde_json::Value;

use crate::digest::{FetchedDigest, ValidDigest};
use crate::error::Result;
use crate::logs::LogEntry;
use crate::objects::{S3Operation, s3_error};
use crate::pytime;
use crate::pyvalue::py_str;
use crate::walk::WalkContext;

const HOUR_MILLIS: i64 = 3_600_000;
const MINUTE_MILLIS: i64 = 60_000;

/// A valid digest's link to its previous digest, checked when the walk gets there.
#[derive(Debug)]
struct Link {
    from_bucket: String,
    from_key: String,
    to_bucket: String,
    to_key: String,
    hash: Value,
    signature: Value,
    from_start: Timestamp,
}

/// The newest valid digest of the standard chain whose link the walk could not follow,
/// and the key times of the missing or invalid digests met since.
#[derive(Debug)]
struct Anchor {
    start: Timestamp,
    failures: Vec<Timestamp>,
}

/// What strict mode remembers along the walk.
#[derive(Debug, Default)]
pub(crate) struct StrictState {
    enabled: bool,
    backfill: bool,
    link: Option<Link>,
    anchor: Option<Anchor>,
    referenced: HashSet<(String, String)>,
    span: Option<(Timestamp, Timestamp)>,
}

fn prefix(backfill: bool) -> &'static str {
    if backfill { "(backfill) " } else { "" }
}

impl StrictState {
    pub(crate) fn new(enabled: bool) -> StrictState {
        StrictState {
            enabled,
            ..StrictState::default()
        }
    }

    pub(crate) fn start_chain(&mut self, backfill: bool) {
        self.backfill = backfill;
        self.link = None;
        self.anchor = None;
    }

    /// A digest of the chain was missing or invalid.
    pub(crate) fn failed(&mut self, key: &str) {
        self.link = None;
        if let Some(anchor) = &mut self.anchor
            && let Ok(time) = pytime::parse_date(&cli_key_time_text(key))
        {
            anchor.failures.push(time.normalized());
        }
    }

    /// A log file a valid digest lists.
    pub(crate) fn referenced(&mut self, entry: &LogEntry) {
        if !self.enabled {
            return;
        }
        if let (Some(bucket), Some(key)) = (&entry.bucket, &entry.key) {
            self.referenced.insert((py_str(bucket), py_str(key)));
        }
    }

    /// Compares the digest the walk reached through a link with that link.
    pub(crate) fn check_link_target(
        &self,
        bucket: &str,
        key: &str,
        fetched: &FetchedDigest,
    ) -> Vec<String> {
        let mut lines = Vec::new();
        let Some(link) = self
            .link
            .as_ref()
            .filter(|link| link.to_bucket == bucket && link.to_key == key)
        else {
            return lines;
        };
        let Some(content) = &fetched.content else {
            return lines;
        };
        let from = format!(
            "{}Digest file\ts3://{}/{}\tSTRICT: ",
            prefix(self.backfill),
            link.from_bucket,
            link.from_key
        );
        if link.hash.as_str() != Some(content.sha256.as_str()) {
            lines.push(format!(
                "{from}previousDigestHashValue does not match the SHA-256 of s3://{bucket}/{key}"
            ));
        }
        if let Some(signature) = fetched.metadata.get("signature")
            && link.signature.as_str() != Some(signature.as_str())
        {
            lines.push(format!(
                "{from}previousDigestSignature does not match the signature of s3://{bucket}/{key}"
            ));
        }
        lines
    }

    /// Records a valid digest; returns the strict lines it settles (continuity with the
    /// digest that linked here, hours missing since the last followed link).
    pub(crate) fn validated(
        &mut self,
        context: &WalkContext,
        bucket: &str,
        key: &str,
        valid: &ValidDigest,
    ) -> Vec<String> {
        let mut lines = Vec::new();
        if !self.enabled {
            return lines;
        }
        self.span = Some(match self.span {
            Some((low, high)) => (low.min(valid.start), high.max(valid.end)),
            None => (valid.start, valid.end),
        });
        if let Some(link) = self.link.take()
            && link.to_bucket == bucket
            && link.to_key == key
            && link.from_start != valid.end
        {
            lines.push(format!(
                "{}Digest file\ts3://{}/{}\tSTRICT: digestStartTime {} does not match the digestEndTime {} of s3://{bucket}/{key}",
                prefix(self.backfill),
                link.from_bucket,
                link.from_key,
                pytime::display_date(link.from_start),
                pytime::display_date(valid.end),
            ));
        }
        if let Some(anchor) = self.anchor.take()
            && !anchor.failures.is_empty()
        {
            let folder = format!("s3://{bucket}/{}/", context.layout.listing_prefix());
            lines.extend(missing_window_lines(
                &anchor,
                valid.start,
                valid.end,
                &folder,
            ));
        }
        let previous_bucket = valid
            .members
            .get("previousDigestS3Bucket")
            .filter(|value| !value.is_null());
        let previous_key = valid
            .members
            .get("previousDigestS3Object")
            .filter(|value| !value.is_null());
        match (previous_bucket, previous_key) {
            (Some(previous_bucket), Some(previous_key)) => {
                self.link = Some(Link {
                    from_bucket: bucket.to_owned(),
                    from_key: key.to_owned(),
                    to_bucket: py_str(previous_bucket),
                    to_key: py_str(previous_key),
                    hash: valid
                        .members
                        .get("previousDigestHashValue")
                        .cloned()
                        .unwrap_or(Value::Null),
                    signature: valid
                        .members
                        .get("previousDigestSignature")
                        .cloned()
                        .unwrap_or(Value::Null),
                    from_start: valid.start,
                });
                if !self.backfill {
                    self.anchor = Some(Anchor {
                        start: valid.start,
                        failures: Vec::new(),
                    });
                }
            }
            _ => {
                self.link = None;
                self.anchor = None;
            }
        }
        lines
    }

    /// Lists the log files delivered inside the time the valid digests cover (and the
    /// requested range) in the trail's bucket, and returns a line for each no digest lists.
    pub(crate) async fn unreferenced_log_lines(
        &self,
        context: &WalkContext,
    ) -> Result<Vec<String>> {
        let Some((covered_from, covered_to)) = self.span else {
            return Ok(Vec::new());
        };
        let from = covered_from.max(context.start);
        let to = covered_to.min(context.end);
        if from >= to {
            return Ok(Vec::new());
        }
        let bucket = context.objects.bucket(&context.starting_bucket).await?;
        let folder = context.layout.log_folder();
        let mut lines = Vec::new();
        for day in from.epoch_day()..=to.epoch_day() {
            let day_prefix = format!(
                "{folder}{}/",
                Timestamp::from_secs(day * 86_400).format_utc("%Y/%m/%d")
            );
            let mut after: Option<String> = None;
            loop {
                let page = bucket
                    .list_page(&day_prefix, after.as_deref(), MAX_LIST_KEYS)
                    .await
                    .map_err(|error| s3_error(&error, S3Operation::ListObjects))?;
                for object in &page.objects {
                    let Some(delivered) = log_file_time(&object.key, context) else {
                        continue;
                    };
                    // A file named for minute M was delivered during M: it is inside the
                    // covered time only if all of M is.
                    let inside =
                        delivered >= from && delivered.saturating_add_millis(MINUTE_MILLIS) <= to;
                    let listed = self
                        .referenced
                        .contains(&(context.starting_bucket.clone(), object.key.clone()));
                    if inside && !listed {
                        lines.push(format!(
                            "Log file\ts3://{}/{}\tSTRICT: not listed in any valid digest",
                            context.starting_bucket, object.key
                        ));
                    }
                }
                match page.objects.last() {
                    Some(object) if page.is_truncated => after = Some(object.key.clone()),
                    _ => break,
                }
            }
        }
        Ok(lines)
    }
}

/// The delivery minute of a log file key of this trail's account and region:
/// `<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<unique>.json.gz`.
fn log_file_time(key: &str, context: &WalkContext) -> Option<Timestamp> {
    let name = key.rsplit('/').next()?.strip_suffix(".json.gz")?;
    let parts: Vec<&str> = name.split('_').collect();
    let [account, kind, region, time, unique] = parts.as_slice() else {
        return None;
    };
    if *account != context.layout.account_id()
        || *kind != "CloudTrail"
        || *region != context.layout.source_region()
        || unique.is_empty()
        || time.len() != 14
    {
        return None;
    }
    pytime::parse_date(time)
        .ok()
        .map(pytime::PyDateTime::normalized)
}

/// The digest period a valid digest shows: its window, when that is between a second and
/// a day; an hour (CloudTrail's) otherwise.
fn period_of(start: Timestamp, end: Timestamp) -> i64 {
    let window = end.as_millis() - start.as_millis();
    if (1_000..=24 * HOUR_MILLIS).contains(&window) {
        window
    } else {
        HOUR_MILLIS
    }
}

/// One line per digest period between `older_end` and the anchor that no failed digest
/// accounts for; the period is the window of the older valid digest.
fn missing_window_lines(
    anchor: &Anchor,
    older_start: Timestamp,
    older_end: Timestamp,
    folder: &str,
) -> Vec<String> {
    let period = period_of(older_start, older_end);
    let gap = anchor.start.as_millis() - older_end.as_millis();
    let hours = (gap + period / 2).div_euclid(period);
    if hours <= 0 {
        return Vec::new();
    }
    let accounted: BTreeSet<i64> = anchor
        .failures
        .iter()
        .map(|time| {
            let offset = time.as_millis() - older_end.as_millis();
            (offset + period / 2).div_euclid(period).clamp(1, hours)
        })
        .collect();
    (1..=hours)
        .filter(|slot| !accounted.contains(slot))
        .map(|slot| {
            let from = older_end.saturating_add_millis((slot - 1) * period);
            let to = if slot == hours {
                anchor.start
            } else {
                older_end.saturating_add_millis(slot * period)
            };
            format!(
                "Digest file\t{folder}\tSTRICT: missing: no digest covers about {} to {}",
                pytime::display_date(from),
                pytime::display_date(to)
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn time(text: &str) -> Timestamp {
        Timestamp::parse_event_time(text).unwrap()
    }

    #[test]
    fn each_unaccounted_hour_is_reported() {
        let anchor = Anchor {
            start: time("2026-03-02T13:17:05Z"),
            failures: vec![time("2026-03-02T13:17:05Z")],
        };
        let lines = missing_window_lines(
            &anchor,
            time("2026-03-02T09:17:04Z"),
            time("2026-03-02T10:17:04Z"),
            "s3://b/AWSLogs/x/",
        );
        assert_eq!(
            lines,
            [
                "Digest file\ts3://b/AWSLogs/x/\tSTRICT: missing: no digest covers about 2026-03-02T10:17:04Z to 2026-03-02T11:17:04Z",
                "Digest file\ts3://b/AWSLogs/x/\tSTRICT: missing: no digest covers about 2026-03-02T11:17:04Z to 2026-03-02T12:17:04Z",
            ]
        );
        let none = Anchor {
            start: time("2026-03-02T11:17:05Z"),
            failures: vec![time("2026-03-02T11:17:05Z")],
        };
        assert!(
            missing_window_lines(
                &none,
                time("2026-03-02T09:17:05Z"),
                time("2026-03-02T10:17:05Z"),
                "f"
            )
            .is_empty()
        );
    }

    #[test]
    fn the_cadence_is_the_trails_own() {
        // Digests every 4 s; the two ending 10:00:08 and 10:00:12 are gone. The walk
        // reported the second (the anchor points at it), strict mode adds the first.
        let anchor = Anchor {
            start: time("2026-03-02T10:00:12Z"),
            failures: vec![time("2026-03-02T10:00:12Z")],
        };
        let lines = missing_window_lines(
            &anchor,
            time("2026-03-02T10:00:00Z"),
            time("2026-03-02T10:00:04Z"),
            "f",
        );
        assert_eq!(
            lines,
            [
                "Digest file\tf\tSTRICT: missing: no digest covers about 2026-03-02T10:00:04Z to 2026-03-02T10:00:08Z"
            ]
        );
    }
}
