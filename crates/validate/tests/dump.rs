//! Dumps a run for `tests/aws_cli_diff.py` (set `VALIDATE_DUMP_DIR`), which replays it with
//! the real aws CLI against moto and diffs the output with ours.

use std::path::Path;

use opentrail_types::Timestamp;
use opentrail_validate::{KeySource, Sources, TrailSource, ValidateOptions};

use crate::support::Outcome;

/// Writes the case for `tests/aws_cli_diff.py`, which replays it with the real aws CLI
/// against moto: the buckets, the keys and trails the sources answer with, the options,
/// and what we printed. Strict runs have no aws CLI counterpart and are skipped.
pub fn dump_case(
    buckets: &Path,
    root: &Path,
    options: &ValidateOptions,
    sources: &Sources,
    outcome: &Outcome,
) {
    if options.strict {
        return;
    }
    let name = std::thread::current()
        .name()
        .unwrap_or("case")
        .replace("::", "-");
    let mut index = 0;
    let dir = loop {
        let candidate = root.join(format!("{name}-{index}"));
        if std::fs::create_dir_all(root).is_ok() && std::fs::create_dir(&candidate).is_ok() {
            break candidate;
        }
        index += 1;
    };
    copy_tree(buckets, &dir.join("buckets"));
    let keys = match &sources.keys {
        KeySource::Fixed(keys) => keys
            .iter()
            .map(|key| {
                serde_json::json!({
                    "Value": key.value,
                    "Fingerprint": key.fingerprint,
                    "ValidityStartTime": key.validity_start.map_or(0, Timestamp::as_secs),
                    "ValidityEndTime": key.validity_end.map_or(4_102_444_800, Timestamp::as_secs),
                })
            })
            .collect::<Vec<_>>(),
        KeySource::Api(_) => Vec::new(),
    };
    let trails = match &sources.trails {
        TrailSource::Fixed { trails, .. } => trails
            .iter()
            .map(|trail| {
                serde_json::json!({
                    "TrailARN": trail.trail_arn,
                    "S3BucketName": trail.s3_bucket_name,
                    "S3KeyPrefix": trail.s3_key_prefix,
                    "IsOrganizationTrail": trail.is_organization_trail,
                })
            })
            .collect::<Vec<_>>(),
        TrailSource::Api(_) => Vec::new(),
    };
    let case = serde_json::json!({
        "trail_arn": options.trail_arn,
        "start": options.start.format_event_time(),
        "end": options.end.map(Timestamp::format_event_time),
        "s3_bucket": options.s3_bucket,
        "s3_prefix": options.s3_prefix,
        "account_id": options.account_id,
        "verbose": options.verbose,
        "region": options.source_region,
        "keys": keys,
        "trails": trails,
        "organization_id": "o-exampleorgid",
        "stdout": outcome.stdout,
        "stderr": outcome.stderr,
        "exit": outcome.exit,
    });
    std::fs::write(
        dir.join("case.json"),
        serde_json::to_vec_pretty(&case).unwrap(),
    )
    .unwrap();
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
