//! The S3 key layout of CloudTrail files (`spec/trails-and-integrity.md` §1.1, §1.6, §2.1).
//!
//! ```text
//! [<prefix>/]AWSLogs/[<org-id>/]<account>/CloudTrail/<region>/<YYYY>/<MM>/<DD>/<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<unique>.json.gz
//! [<prefix>/]AWSLogs/[<org-id>/]<account>/CloudTrail-Insight/<region>/<YYYY>/<MM>/<DD>/<account>_CloudTrail-Insight_<region>_<YYYYMMDDTHHMMZ>_<unique>.json.gz
//! [<prefix>/]AWSLogs/[<org-id>/]<account>/CloudTrail-Digest/<region>/<YYYY>/<MM>/<DD>/<account>_CloudTrail-Digest_<region>_<trail>_<home-region>_<YYYYMMDDTHHMMSSZ>[_backfill].json.gz
//! ```
//!
//! ```
//! use opentrail_archive::layout::{FileKind, LogFileKey};
//! use opentrail_types::Timestamp;
//!
//! let key = LogFileKey {
//!     prefix: None,
//!     org_id: None,
//!     account_id: "111122223333".into(),
//!     kind: FileKind::CloudTrail,
//!     region: "us-east-2".into(),
//!     delivered: Timestamp::parse_event_time("2015-08-01T02:10:00Z").unwrap(),
//!     unique: "Mu0KsOhtH1ar15ZZ".into(),
//! };
//! let text = key.object_key();
//! assert_eq!(text, "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/01/111122223333_CloudTrail_us-east-2_20150801T0210Z_Mu0KsOhtH1ar15ZZ.json.gz");
//! assert_eq!(LogFileKey::parse(&text), Some(key));
//! ```

use opentrail_types::Timestamp;

/// Which stream a CloudTrail file belongs to, by the folder after the account ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FileKind {
    /// `CloudTrail`: log files of management, data and network activity events.
    CloudTrail,
    /// `CloudTrail-Insight`: log files of Insights events.
    CloudTrailInsight,
    /// `CloudTrail-Digest`: digest files.
    CloudTrailDigest,
}

impl FileKind {
    /// The folder and file-name word (`CloudTrail`, `CloudTrail-Insight`, `CloudTrail-Digest`).
    pub const fn as_str(self) -> &'static str {
        match self {
            FileKind::CloudTrail => "CloudTrail",
            FileKind::CloudTrailInsight => "CloudTrail-Insight",
            FileKind::CloudTrailDigest => "CloudTrail-Digest",
        }
    }

    fn from_folder(folder: &str) -> Option<FileKind> {
        match folder {
            "CloudTrail" => Some(FileKind::CloudTrail),
            "CloudTrail-Insight" => Some(FileKind::CloudTrailInsight),
            "CloudTrail-Digest" => Some(FileKind::CloudTrailDigest),
            _ => None,
        }
    }
}

/// The key of a log file (`CloudTrail` or `CloudTrail-Insight`), in its parts.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LogFileKey {
    /// The trail's `S3KeyPrefix`, without leading or trailing `/`; `None` when unset.
    pub prefix: Option<String>,
    /// Organization ID (`o-…`) of an organization trail.
    pub org_id: Option<String>,
    /// 12-digit account the events were recorded in.
    pub account_id: String,
    /// `CloudTrail` or `CloudTrail-Insight`.
    pub kind: FileKind,
    /// Source region of the events.
    pub region: String,
    /// Delivery time, to the minute (seconds are dropped when formatting).
    pub delivered: Timestamp,
    /// The 16-character unique part, `[A-Za-z0-9]{16}`.
    pub unique: String,
}

impl LogFileKey {
    /// The file name: `<account>_<kind>_<region>_<YYYYMMDDTHHMMZ>_<unique>.json.gz`.
    pub fn file_name(&self) -> String {
        format!(
            "{}_{}_{}_{}_{}.json.gz",
            self.account_id,
            self.kind.as_str(),
            self.region,
            self.delivered.format_utc("%Y%m%dT%H%MZ"),
            self.unique
        )
    }

    /// The folder holding the file, without a trailing `/`.
    pub fn folder(&self) -> String {
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
        folder.push_str(&format!(
            "{}/{}/{}/{}",
            self.account_id,
            self.kind.as_str(),
            self.region,
            self.delivered.format_utc("%Y/%m/%d")
        ));
        folder
    }

    /// The whole object key: [`LogFileKey::folder`] + `/` + [`LogFileKey::file_name`].
    pub fn object_key(&self) -> String {
        format!("{}/{}", self.folder(), self.file_name())
    }

    /// Parses an object key (or a local path ending in one) of a `CloudTrail` or
    /// `CloudTrail-Insight` log file. `None` for digests and anything else.
    ///
    /// The file name is authoritative (account, kind, region, minute, unique part); the
    /// folders before it must agree with it.
    pub fn parse(key: &str) -> Option<LogFileKey> {
        let segments: Vec<&str> = key.split('/').collect();
        let aws_logs = segments.iter().rposition(|segment| *segment == "AWSLogs")?;
        let rest = &segments[aws_logs + 1..];
        let (org_id, rest) = match rest.first() {
            Some(first) if first.starts_with("o-") => (Some((*first).to_owned()), &rest[1..]),
            _ => (None, rest),
        };
        let [account_id, folder, region, year, month, day, file_name] = rest else {
            return None;
        };
        let kind = FileKind::from_folder(folder)?;
        if kind == FileKind::CloudTrailDigest {
            return None;
        }
        let stem = file_name
            .strip_suffix(".json.gz")
            .or_else(|| file_name.strip_suffix(".json"))?;
        let expected_start = format!("{account_id}_{folder}_{region}_");
        let tail = stem.strip_prefix(&expected_start)?;
        let (minute, unique) = tail.split_once('_')?;
        let delivered = parse_file_minute(minute)?;
        if delivered.format_utc("%Y/%m/%d") != format!("{year}/{month}/{day}") {
            return None;
        }
        let prefix = segments[..aws_logs].join("/");
        Some(LogFileKey {
            prefix: (!prefix.is_empty()).then_some(prefix),
            org_id,
            account_id: (*account_id).to_owned(),
            kind,
            region: (*region).to_owned(),
            delivered,
            unique: unique.to_owned(),
        })
    }
}

/// What a path inside a CloudTrail archive holds, judged by its key alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyClass {
    /// A `CloudTrail` or `CloudTrail-Insight` log file in the standard layout.
    LogFile(LogFileKey),
    /// A file under a `CloudTrail-Digest` folder, or named like a digest file.
    Digest,
    /// Anything else (a log file copied out of its layout, an unrelated file).
    Other,
}

/// Classifies `key` (an object key or a local path with `/` separators).
pub fn classify_key(key: &str) -> KeyClass {
    if let Some(parsed) = LogFileKey::parse(key) {
        return KeyClass::LogFile(parsed);
    }
    let file_name = key.rsplit('/').next().unwrap_or(key);
    if key.split('/').any(|segment| segment == "CloudTrail-Digest")
        || file_name.contains("_CloudTrail-Digest_")
    {
        KeyClass::Digest
    } else {
        KeyClass::Other
    }
}

/// Parses the `YYYYMMDDTHHMMZ` minute of a log-file name.
fn parse_file_minute(text: &str) -> Option<Timestamp> {
    if text.len() != 14 || !text.is_ascii() {
        return None;
    }
    let iso = format!(
        "{}-{}-{}T{}:{}:00Z",
        &text[0..4],
        &text[4..6],
        &text[6..8],
        &text[9..11],
        &text[11..13]
    );
    if &text[8..9] != "T" || &text[13..14] != "Z" {
        return None;
    }
    Timestamp::parse_event_time(&iso).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(kind: FileKind) -> LogFileKey {
        LogFileKey {
            prefix: Some(String::from("audit/prod")),
            org_id: Some(String::from("o-a1b2c3d4e5")),
            account_id: String::from("111122223333"),
            kind,
            region: String::from("ca-central-1"),
            delivered: Timestamp::parse_event_time("2020-09-23T05:16:59Z").unwrap(),
            unique: String::from("KL5e9VCV2SS7IqzB"),
        }
    }

    #[test]
    fn insight_keys_follow_the_documented_shape() {
        assert_eq!(
            key(FileKind::CloudTrailInsight).object_key(),
            "audit/prod/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail-Insight/ca-central-1/2020/09/23/111122223333_CloudTrail-Insight_ca-central-1_20200923T0516Z_KL5e9VCV2SS7IqzB.json.gz"
        );
    }

    #[test]
    fn parse_inverts_format_to_the_minute() {
        for kind in [FileKind::CloudTrail, FileKind::CloudTrailInsight] {
            let original = key(kind);
            let parsed = LogFileKey::parse(&original.object_key()).unwrap();
            assert_eq!(parsed.delivered.format_event_time(), "2020-09-23T05:16:00Z");
            assert_eq!(parsed.object_key(), original.object_key());
        }
    }

    #[test]
    fn local_paths_and_gunzipped_copies_parse() {
        let path = "/data/archive/AWSLogs/218007301253/CloudTrail/us-east-1/2023/07/10/218007301253_CloudTrail_us-east-1_20230710T1145Z_7xgocspSowgK0Gto.json";
        let parsed = LogFileKey::parse(path).unwrap();
        assert_eq!(parsed.prefix.as_deref(), Some("/data/archive"));
        assert_eq!(parsed.account_id, "218007301253");
    }

    #[test]
    fn mismatched_or_foreign_keys_do_not_parse() {
        let good = key(FileKind::CloudTrail).object_key();
        assert!(LogFileKey::parse(&good.replace("/2020/09/23/", "/2020/09/24/")).is_none());
        assert!(
            LogFileKey::parse(&good.replace("_ca-central-1_2020", "_us-east-1_2020")).is_none()
        );
        assert!(LogFileKey::parse("AWSLogs/1/CloudTrail/r/2020/09/23/notes.txt").is_none());
    }

    #[test]
    fn digests_and_other_files_are_classified() {
        let digest = "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_trail_us-east-2_20150817T023500Z.json.gz";
        assert_eq!(classify_key(digest), KeyClass::Digest);
        assert_eq!(classify_key("somewhere/records.json"), KeyClass::Other);
        assert!(matches!(
            classify_key(&key(FileKind::CloudTrail).object_key()),
            KeyClass::LogFile(_)
        ));
    }
}
