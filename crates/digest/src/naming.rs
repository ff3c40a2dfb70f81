//! Digest object keys (`spec/trails-and-integrity.md` §2.1) and the CLI's way of reading
//! them (§3.3).
//!
//! ```text
//! [<prefix>/]AWSLogs/[<org-id>/]<account>/CloudTrail-Digest/<source-region>/<YYYY>/<MM>/<DD>/
//!     <account>_CloudTrail-Digest_<source-region>_<trail>_<home-region>_<YYYYMMDDTHHMMSSZ>[_backfill].json.gz
//! ```
//!
//! ```
//! use opentrail_digest::naming::DigestKey;
//! use opentrail_types::Timestamp;
//!
//! let key = DigestKey {
//!     prefix: None,
//!     org_id: None,
//!     account_id: "111122223333".into(),
//!     source_region: "us-east-1".into(),
//!     trail_name: "main-trail".into(),
//!     home_region: "us-east-1".into(),
//!     end: Timestamp::parse_event_time("2026-03-02T09:17:05Z").unwrap(),
//!     backfill: false,
//! };
//! let text = key.object_key();
//! assert_eq!(text, "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/03/02/111122223333_CloudTrail-Digest_us-east-1_main-trail_us-east-1_20260302T091705Z.json.gz");
//! assert_eq!(DigestKey::parse(&text), Some(key));
//! ```

use opentrail_archive::layout::FileKind;
use opentrail_types::Timestamp;

use crate::file::BACKFILL_SUFFIX;

/// The key-name time format of digest files (second precision), as in the CLI's
/// `DATE_FORMAT`.
pub const DIGEST_KEY_TIME_FORMAT: &str = "%Y%m%dT%H%M%SZ";

/// The key of a digest file, in its parts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DigestKey {
    /// The trail's `S3KeyPrefix`, used verbatim (`prefix` + `/` + the rest, as the CLI joins
    /// them); `None` or empty when unset.
    pub prefix: Option<String>,
    /// Organization ID (`o-…`) of an organization trail.
    pub org_id: Option<String>,
    /// 12-digit account the digest is for.
    pub account_id: String,
    /// Region whose files the digest lists (folder and first region of the name).
    pub source_region: String,
    /// The trail's name (may contain `_`, `.`, `-`).
    pub trail_name: String,
    /// The trail's home region.
    pub home_region: String,
    /// `digestEndTime`: the folder date and the name's time, to the second.
    pub end: Timestamp,
    /// A backfill digest (`_backfill.json.gz`).
    pub backfill: bool,
}

impl DigestKey {
    /// The file name:
    /// `<account>_CloudTrail-Digest_<source>_<trail>_<home>_<YYYYMMDDTHHMMSSZ>[_backfill].json.gz`.
    pub fn file_name(&self) -> String {
        format!(
            "{}_{}_{}_{}_{}_{}{}",
            self.account_id,
            FileKind::CloudTrailDigest.as_str(),
            self.source_region,
            self.trail_name,
            self.home_region,
            self.end.format_utc(DIGEST_KEY_TIME_FORMAT),
            if self.backfill {
                BACKFILL_SUFFIX
            } else {
                ".json.gz"
            },
        )
    }

    /// The listing prefix of this key's (account, source region) digest folder, without a
    /// trailing `/`: `[<prefix>/]AWSLogs/[<org-id>/]<account>/CloudTrail-Digest/<source-region>`
    /// (the `Prefix` of the validator's ListObjects call, §3.3).
    pub fn listing_prefix(&self) -> String {
        let mut folder = String::new();
        if let Some(prefix) = self.prefix.as_deref().filter(|prefix| !prefix.is_empty()) {
            folder.push_str(prefix);
            folder.push('/');
        }
        folder.push_str("AWSLogs/");
        if let Some(org_id) = &self.org_id {
            folder.push_str(org_id);
            folder.push('/');
        }
        folder.push_str(&self.account_id);
        folder.push('/');
        folder.push_str(FileKind::CloudTrailDigest.as_str());
        folder.push('/');
        folder.push_str(&self.source_region);
        folder
    }

    /// The folder holding the file, without a trailing `/`.
    pub fn folder(&self) -> String {
        format!(
            "{}/{}",
            self.listing_prefix(),
            self.end.format_utc("%Y/%m/%d")
        )
    }

    /// The whole object key: [`DigestKey::folder`] + `/` + [`DigestKey::file_name`].
    pub fn object_key(&self) -> String {
        format!("{}/{}", self.folder(), self.file_name())
    }

    /// The CLI's listing marker for a validation starting at `start`: the standard key this
    /// trail would have at `start - 1 minute` (§3.3).
    pub fn listing_marker(&self, start: Timestamp) -> String {
        DigestKey {
            end: start.saturating_add_millis(-60_000),
            backfill: false,
            ..self.clone()
        }
        .object_key()
    }

    /// Parses a digest key structurally, without knowing the trail: the account and source
    /// region come from the folders and must repeat in the name; the trail name is what lies
    /// between them and the last `_` before the time (region codes contain no `_`, so the
    /// split is unambiguous even for a trail named `foo_us-east-1_x`, unlike the CLI's
    /// greedy filter, §3.9 limitation 11). The folder date must be the name's date.
    /// `None` for anything else.
    pub fn parse(key: &str) -> Option<DigestKey> {
        let segments: Vec<&str> = key.split('/').collect();
        let aws_logs = segments.iter().rposition(|segment| *segment == "AWSLogs")?;
        let rest = &segments[aws_logs + 1..];
        let (org_id, rest) = match rest.first() {
            Some(first) if first.starts_with("o-") => (Some((*first).to_owned()), &rest[1..]),
            _ => (None, rest),
        };
        let [
            account_id,
            folder,
            source_region,
            year,
            month,
            day,
            file_name,
        ] = rest
        else {
            return None;
        };
        if *folder != FileKind::CloudTrailDigest.as_str() {
            return None;
        }
        let (stem, backfill) = match file_name.strip_suffix(BACKFILL_SUFFIX) {
            Some(stem) => (stem, true),
            None => (file_name.strip_suffix(".json.gz")?, false),
        };
        let expected_start = format!("{account_id}_{folder}_{source_region}_");
        let tail = stem.strip_prefix(&expected_start)?;
        let (trail_and_home, time_text) = tail.rsplit_once('_')?;
        let (trail_name, home_region) = trail_and_home.rsplit_once('_')?;
        if trail_name.is_empty() || home_region.is_empty() {
            return None;
        }
        let end = parse_key_time(time_text)?;
        if end.format_utc("%Y/%m/%d") != format!("{year}/{month}/{day}") {
            return None;
        }
        let prefix = segments[..aws_logs].join("/");
        Some(DigestKey {
            prefix: (!prefix.is_empty()).then_some(prefix),
            org_id,
            account_id: (*account_id).to_owned(),
            source_region: (*source_region).to_owned(),
            trail_name: trail_name.to_owned(),
            home_region: home_region.to_owned(),
            end,
            backfill,
        })
    }

    /// Parses `key` as a digest of the trail `trail_name` with home region `home_region`
    /// (strict mode): [`DigestKey::parse`], then both must match exactly.
    pub fn parse_for_trail(key: &str, trail_name: &str, home_region: &str) -> Option<DigestKey> {
        DigestKey::parse(key)
            .filter(|parsed| parsed.trail_name == trail_name && parsed.home_region == home_region)
    }

    /// Whether the CLI's digest filter (§3.3) keeps `key` for this key's trail: the regex
    /// `^[<prefix>/]AWSLogs/[<org-id>/]<account>/CloudTrail\-Digest/<source>/\d+/\d+/\d+/<account>_CloudTrail\-Digest_<source>_<trail>_<home>_.+\.json\.gz$`
    /// with its greedy `.+` (so another trail's keys can match, limitation 11). `end` and
    /// `backfill` of `self` are ignored. `\d` is taken as ASCII digits and `.` as any
    /// character but a newline; Python's `$` also matches before one final `\n`, which no
    /// real key has.
    pub fn matches_cli_filter(&self, key: &str) -> bool {
        let head = format!("{}/", self.listing_prefix());
        let Some(rest) = key.strip_prefix(&head) else {
            return false;
        };
        let mut rest = rest;
        for _ in 0..3 {
            let Some((digits, after)) = rest.split_once('/') else {
                return false;
            };
            if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
                return false;
            }
            rest = after;
        }
        let name_start = format!(
            "{}_{}_{}_{}_{}_",
            self.account_id,
            FileKind::CloudTrailDigest.as_str(),
            self.source_region,
            self.trail_name,
            self.home_region
        );
        let Some(middle) = rest
            .strip_prefix(&name_start)
            .and_then(|tail| tail.strip_suffix(".json.gz"))
        else {
            return false;
        };
        !middle.is_empty() && !middle.contains('\n')
    }
}

/// The time text the CLI reads from a digest key by fixed position: characters `[-24:-8]`
/// of a standard key, `[-33:-17]` of a key ending in `_backfill.json.gz` (§2.1). Python's
/// slice semantics are kept for short keys (clamped, possibly empty).
pub fn cli_key_time_text(key: &str) -> String {
    let (from_end, to_end) = if key.ends_with(BACKFILL_SUFFIX) {
        (33, 17)
    } else {
        (24, 8)
    };
    let chars: Vec<char> = key.chars().collect();
    let start = chars.len().saturating_sub(from_end);
    let stop = chars.len().saturating_sub(to_end);
    chars[start..stop.max(start)].iter().collect()
}

/// Parses a `YYYYMMDDTHHMMSSZ` key time.
pub fn parse_key_time(text: &str) -> Option<Timestamp> {
    let bytes = text.as_bytes();
    if bytes.len() != 16 || bytes[8] != b'T' || bytes[15] != b'Z' {
        return None;
    }
    let digits_ok = bytes[..8]
        .iter()
        .chain(&bytes[9..15])
        .all(u8::is_ascii_digit);
    if !digits_ok {
        return None;
    }
    let iso = format!(
        "{}-{}-{}T{}:{}:{}Z",
        &text[0..4],
        &text[4..6],
        &text[6..8],
        &text[9..11],
        &text[11..13],
        &text[13..15]
    );
    Timestamp::parse_event_time(&iso).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(backfill: bool) -> DigestKey {
        DigestKey {
            prefix: Some(String::from("audit/prod")),
            org_id: Some(String::from("o-a1b2c3d4e5")),
            account_id: String::from("111122223333"),
            source_region: String::from("eu-west-1"),
            trail_name: String::from("org_trail.v2"),
            home_region: String::from("us-east-1"),
            end: Timestamp::parse_event_time("2026-03-02T09:17:05Z").unwrap(),
            backfill,
        }
    }

    #[test]
    fn cli_reads_the_time_at_fixed_positions() {
        for backfill in [false, true] {
            let key = sample(backfill).object_key();
            assert_eq!(cli_key_time_text(&key), "20260302T091705Z", "{key}");
        }
        assert_eq!(cli_key_time_text("short"), "");
    }

    #[test]
    fn parse_round_trips_both_kinds() {
        for backfill in [false, true] {
            let key = sample(backfill);
            assert_eq!(DigestKey::parse(&key.object_key()), Some(key));
        }
    }

    #[test]
    fn trail_names_with_region_like_parts_parse_structurally() {
        let tricky = DigestKey {
            trail_name: String::from("foo_us-east-1_x"),
            ..sample(false)
        };
        let text = tricky.object_key();
        assert_eq!(
            DigestKey::parse(&text).unwrap().trail_name,
            "foo_us-east-1_x"
        );
        assert!(DigestKey::parse_for_trail(&text, "foo", "us-east-1").is_none());
        let foo = DigestKey {
            trail_name: String::from("foo"),
            ..sample(false)
        };
        // The CLI's greedy filter takes it for `foo`'s (limitation 11).
        assert!(foo.matches_cli_filter(&text));
        assert!(tricky.matches_cli_filter(&text));
    }

    #[test]
    fn foreign_keys_do_not_parse() {
        let good = sample(false).object_key();
        for bad in [
            good.replace("/2026/03/02/", "/2026/03/03/"),
            good.replace("CloudTrail-Digest/", "CloudTrail/"),
            good.replace("20260302T091705Z", "20260302T0917Z"),
            good.replace(".json.gz", ".json"),
            good.replace("_eu-west-1_org", "_us-east-1_org"),
        ] {
            assert_eq!(DigestKey::parse(&bad), None, "{bad}");
        }
    }

    #[test]
    fn listing_marker_is_one_minute_before_start() {
        let key = sample(false);
        let marker =
            key.listing_marker(Timestamp::parse_event_time("2026-03-02T00:00:30Z").unwrap());
        assert!(marker.ends_with("/2026/03/01/111122223333_CloudTrail-Digest_eu-west-1_org_trail.v2_us-east-1_20260301T235930Z.json.gz"), "{marker}");
    }
}
