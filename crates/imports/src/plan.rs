//! Which listed keys an import reads, and how they group into date prefixes.

use opentrail_archive::layout::{FileKind, LogFileKey};
use opentrail_types::Timestamp;

/// How many minutes a log file's name may be later than the events it holds.
///
/// CloudTrail delivers a file about every 5 minutes and names it after the delivery minute;
/// real files hold events up to about 10 minutes older than their name (the invictus
/// dataset's `…T1205Z…` file starts at 11:55:06). Three delivery periods leave room for that,
/// and records are filtered by their own `eventTime` afterwards.
pub const FILE_NAME_LAG_MINUTES: i64 = 15;

const MINUTE_MILLIS: i64 = 60_000;

/// `StartEventTime` and `EndEventTime`, both inclusive, each optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct TimeRange {
    pub(crate) start: Option<Timestamp>,
    pub(crate) end: Option<Timestamp>,
}

impl TimeRange {
    /// Whether the range bounds anything (records then need a readable `eventTime`).
    pub(crate) fn is_set(&self) -> bool {
        self.start.is_some() || self.end.is_some()
    }

    /// Whether a file named after minute `delivered` may hold events in the range: its events
    /// happened before the end of that minute and at most [`FILE_NAME_LAG_MINUTES`] before it.
    pub(crate) fn admits_file(&self, delivered: Timestamp) -> bool {
        let minute = delivered.as_millis();
        let after_start = self
            .start
            .is_none_or(|start| minute.saturating_add(MINUTE_MILLIS) > start.as_millis());
        let before_end = self.end.is_none_or(|end| {
            minute.saturating_sub(FILE_NAME_LAG_MINUTES * MINUTE_MILLIS) <= end.as_millis()
        });
        after_start && before_end
    }

    /// Whether a record with this `eventTime` is in the range.
    pub(crate) fn admits_event(&self, event_time: Timestamp) -> bool {
        self.start.is_none_or(|start| event_time >= start)
            && self.end.is_none_or(|end| event_time <= end)
    }
}

/// The files an import reads, in bytewise key order, grouped by date prefix.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Plan {
    /// Selected keys and the index of their date prefix in `prefix_last_keys`.
    pub(crate) files: Vec<(String, usize)>,
    /// For each date prefix, in order, the last selected key in it.
    pub(crate) prefix_last_keys: Vec<String>,
}

impl Plan {
    /// Selects, from keys in bytewise order, the `CloudTrail` log files (standard layout,
    /// any prefix before `AWSLogs/`) whose name minute the range admits. Digests,
    /// `CloudTrail-Insight` files and anything else are left out.
    pub(crate) fn select(keys: Vec<String>, range: &TimeRange) -> Plan {
        let mut plan = Plan::default();
        let mut current_folder: Option<String> = None;
        for key in keys {
            let Some(parsed) = LogFileKey::parse(&key) else {
                continue;
            };
            if parsed.kind != FileKind::CloudTrail || !range.admits_file(parsed.delivered) {
                continue;
            }
            // Keys sharing a folder are contiguous in bytewise order.
            let folder = key.rsplit_once('/').map_or("", |(folder, _)| folder);
            if current_folder.as_deref() != Some(folder) {
                current_folder = Some(folder.to_owned());
                plan.prefix_last_keys.push(String::new());
            }
            let prefix_index = plan.prefix_last_keys.len() - 1;
            plan.prefix_last_keys[prefix_index].clone_from(&key);
            plan.files.push((key, prefix_index));
        }
        plan
    }

    /// How many date prefixes are handled entirely once every key up to `cursor` is.
    pub(crate) fn prefixes_completed(&self, cursor: Option<&str>) -> u64 {
        let Some(cursor) = cursor else { return 0 };
        self.prefix_last_keys
            .iter()
            .filter(|last| last.as_str() <= cursor)
            .count() as u64
    }

    /// Whether `index` is the last file of its date prefix.
    pub(crate) fn ends_prefix(&self, index: usize) -> bool {
        let (key, prefix) = &self.files[index];
        self.prefix_last_keys[*prefix] == *key
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        Timestamp::parse_event_time(text).unwrap()
    }

    const DAY1: &str = "AWSLogs/111122223333/CloudTrail/us-east-1/2023/07/10/";
    const DAY2: &str = "AWSLogs/111122223333/CloudTrail/us-east-1/2023/07/11/";

    fn log_key(folder: &str, minute: &str, unique: &str) -> String {
        format!("{folder}111122223333_CloudTrail_us-east-1_{minute}_{unique}.json.gz")
    }

    #[test]
    fn only_cloudtrail_log_files_are_selected_and_grouped_by_day() {
        let keys = vec![
            log_key(DAY1, "20230710T1145Z", "aaaaaaaaaaaaaaaa"),
            log_key(DAY1, "20230710T1150Z", "bbbbbbbbbbbbbbbb"),
            log_key(DAY2, "20230711T0005Z", "cccccccccccccccc"),
            "AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2023/07/10/111122223333_CloudTrail-Digest_us-east-1_t_us-east-1_20230710T120000Z.json.gz".into(),
            "AWSLogs/111122223333/CloudTrail-Insight/us-east-1/2023/07/10/111122223333_CloudTrail-Insight_us-east-1_20230710T1150Z_dddddddddddddddd.json.gz".into(),
            "AWSLogs/111122223333/elasticloadbalancing/us-east-1/2023/07/10/x.log.gz".into(),
        ];
        let mut sorted = keys.clone();
        sorted.sort();
        let plan = Plan::select(sorted, &TimeRange::default());
        let selected: Vec<&str> = plan.files.iter().map(|(key, _)| key.as_str()).collect();
        assert_eq!(selected, [&keys[0], &keys[1], &keys[2]]);
        assert_eq!(plan.prefix_last_keys, [keys[1].clone(), keys[2].clone()]);
        assert_eq!(plan.prefixes_completed(None), 0);
        assert_eq!(plan.prefixes_completed(Some(&keys[0])), 0);
        assert_eq!(plan.prefixes_completed(Some(&keys[1])), 1);
        assert_eq!(plan.prefixes_completed(Some(&keys[2])), 2);
        assert!(!plan.ends_prefix(0) && plan.ends_prefix(1) && plan.ends_prefix(2));
    }

    #[test]
    fn file_names_are_admitted_with_the_minute_and_the_delivery_lag() {
        let range = TimeRange {
            start: Some(at("2023-07-10T12:00:30Z")),
            end: Some(at("2023-07-10T12:10:00Z")),
        };
        let cases = [
            ("2023-07-10T11:59:00Z", false), // ended before start
            ("2023-07-10T12:00:00Z", true),  // the minute holding start
            ("2023-07-10T12:10:00Z", true),
            ("2023-07-10T12:25:00Z", true), // may hold events from 12:10
            ("2023-07-10T12:26:00Z", false),
        ];
        for (name_minute, admitted) in cases {
            assert_eq!(
                range.admits_file(at(name_minute)),
                admitted,
                "{name_minute}"
            );
        }
        assert!(range.admits_event(at("2023-07-10T12:00:30Z")));
        assert!(range.admits_event(at("2023-07-10T12:10:00Z")));
        assert!(!range.admits_event(at("2023-07-10T12:10:01Z")));
        assert!(!range.admits_event(at("2023-07-10T12:00:29Z")));
        assert!(TimeRange::default().admits_file(at("1999-01-01T00:00:00Z")));
    }
}
