//! Importing real and broken archives.

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use flate2::Compression;
use flate2::write::GzEncoder;
use opentrail_import::{ImportCounters, ImportOptions, ImportSummary, import};
use opentrail_journal::{Journal, JournalConfig};
use opentrail_testkit::testdata::{all_fixture_records, cloudtrail_log_files, root};
use opentrail_types::SystemClock;

fn journal(dir: &Path) -> Journal {
    Journal::open(
        &dir.join("journal"),
        JournalConfig::default(),
        Arc::new(SystemClock),
    )
    .unwrap()
}

fn run(paths: &[PathBuf], journal: &Journal, options: &ImportOptions) -> ImportSummary {
    import(paths, journal, options, &ImportCounters::default())
}

fn journal_ids(journal: &Journal) -> Vec<String> {
    let mut reader = journal.reader(journal.start_position()).unwrap();
    let mut ids = Vec::new();
    loop {
        let batch = reader.read_batch(10_000, 1 << 26).unwrap();
        if batch.is_empty() {
            return ids;
        }
        ids.extend(batch.iter().map(|entry| entry.event_id.to_owned()));
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// The CloudTrail part of the fixture tree (log files, records, digests), not the
/// EventBridge pattern cases beside it.
fn cloudtrail_fixtures() -> Vec<PathBuf> {
    ["cloudtrail-logs", "cloudtrail-records", "digests"]
        .iter()
        .map(|folder| root().join(folder))
        .collect()
}

#[test]
fn the_fixture_tree_imports_once_and_only_once() {
    let dir = tempfile::tempdir().unwrap();
    let journal = journal(dir.path());
    let summary = run(&cloudtrail_fixtures(), &journal, &ImportOptions::default());
    let records = all_fixture_records();
    let distinct: HashSet<String> = records
        .iter()
        .filter_map(|record| {
            serde_json::from_str::<serde_json::Value>(&record.json).unwrap()["eventID"]
                .as_str()
                .map(str::to_owned)
        })
        .collect();
    let without_id = records
        .iter()
        .filter(|record| !record.json.contains("\"eventID\""))
        .count();
    assert!(summary.failures.is_empty(), "{:?}", summary.failures);
    assert_eq!(summary.progress.rejected, 0, "{:?}", summary.rejections);
    assert_eq!(summary.progress.records_seen, records.len() as u64);
    assert_eq!(summary.progress.digest_files, 1);
    assert_eq!(
        summary.progress.events_imported,
        (distinct.len() + without_id) as u64
    );
    assert_eq!(
        summary.progress.events_imported + summary.progress.duplicates,
        records.len() as u64
    );
    assert_eq!(summary.progress.insight_events, 4);
    assert!(!summary.has_failures());

    let again = run(&cloudtrail_fixtures(), &journal, &ImportOptions::default());
    assert_eq!(again.progress.events_imported, 0, "re-import added events");
    assert_eq!(again.progress.duplicates, records.len() as u64);
    let ids = journal_ids(&journal);
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len());
}

#[test]
fn gzipped_s3_layout_trees_import_with_org_level_digests_and_insights() {
    let dir = tempfile::tempdir().unwrap();
    let tree = dir.path().join("bucket");
    let mut expected = 0;
    for (index, file) in cloudtrail_log_files().iter().enumerate() {
        let name = file.file_name().unwrap().to_str().unwrap().to_owned() + ".gz";
        let folder = if index % 2 == 0 {
            tree.join("AWSLogs/218007301253/CloudTrail/us-east-1/2023/07/10")
        } else {
            tree.join("prefix/AWSLogs/o-a1b2c3d4e5/218007301253/CloudTrail/us-east-1/2023/07/10")
        };
        std::fs::create_dir_all(&folder).unwrap();
        let bytes = std::fs::read(file).unwrap();
        expected += serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["Records"]
            .as_array()
            .unwrap()
            .len();
        std::fs::write(folder.join(name), gzip(&bytes)).unwrap();
    }
    let digest_folder = tree.join("AWSLogs/218007301253/CloudTrail-Digest/us-east-1/2023/07/10");
    std::fs::create_dir_all(&digest_folder).unwrap();
    let digest = std::fs::read(root().join(
        "digests/aws-user-guide/cloudtrail-log-file-validation-digest-file-structure--block03.json",
    ))
    .unwrap();
    std::fs::write(
        digest_folder.join(
            "218007301253_CloudTrail-Digest_us-east-1_trail_us-east-1_20230710T120000Z.json.gz",
        ),
        gzip(&digest),
    )
    .unwrap();
    let insight_folder = tree.join("AWSLogs/218007301253/CloudTrail-Insight/us-east-1/2023/07/10");
    std::fs::create_dir_all(&insight_folder).unwrap();
    let insights = std::fs::read(
        root().join("cloudtrail-records/aws-user-guide/cloudtrail-log-file-examples--block10.json"),
    )
    .unwrap();
    std::fs::write(
        insight_folder.join(
            "218007301253_CloudTrail-Insight_us-east-1_20230710T1200Z_AAAAAAAAAAAAAAAA.json.gz",
        ),
        gzip(&insights),
    )
    .unwrap();
    std::fs::write(tree.join("README.txt"), "not an archive").unwrap();

    let journal = journal(dir.path());
    let summary = run(
        &[tree],
        &journal,
        &ImportOptions {
            workers: 3,
            batch_events: 100,
            ..ImportOptions::default()
        },
    );
    assert!(
        !summary.has_failures(),
        "{:?} {:?}",
        summary.failures,
        summary.rejections
    );
    assert_eq!(summary.progress.digest_files, 1);
    assert_eq!(summary.skipped_paths, 1);
    assert_eq!(summary.progress.insight_events, 2);
    assert_eq!(summary.progress.events_imported, expected as u64 + 2);
    assert!(summary.progress.bytes_decompressed > summary.progress.bytes_stored);
}

#[test]
fn bad_files_and_records_are_reported_and_do_not_stop_the_rest() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("input");
    std::fs::create_dir_all(&input).unwrap();
    std::fs::copy(&cloudtrail_log_files()[0], input.join("good.json")).unwrap();
    std::fs::write(input.join("garbage.json"), b"this is not json").unwrap();
    let good = gzip(&std::fs::read(&cloudtrail_log_files()[1]).unwrap());
    std::fs::write(input.join("truncated.json.gz"), &good[..good.len() / 2]).unwrap();
    std::fs::write(
        input.join("bomb.json.gz"),
        gzip(&vec![b' '; 4 * 1024 * 1024]),
    )
    .unwrap();
    std::fs::write(
        input.join("lines.jsonl"),
        concat!(
            r#"{"eventTime":"2026-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","eventID":"line-1"}"#, "\n",
            "not json\n",
            r#"{"eventSource":"s3.amazonaws.com","eventName":"ListBuckets","eventID":"line-3"}"#, "\n",
            r#"{"eventTime":"yesterday","eventSource":"s3.amazonaws.com","eventName":"ListBuckets","eventID":"line-4"}"#, "\n",
        ),
    )
    .unwrap();
    let journal = journal(dir.path());
    let options = ImportOptions {
        max_file_bytes: 1024 * 1024,
        ..ImportOptions::default()
    };
    let summary = run(&[input], &journal, &options);
    assert!(summary.has_failures());
    let failed: Vec<&str> = summary
        .failures
        .iter()
        .map(|failure| failure.path.file_name().unwrap().to_str().unwrap())
        .collect();
    assert_eq!(
        failed,
        ["bomb.json.gz", "garbage.json", "truncated.json.gz"]
    );
    let bomb = &summary.failures[0].message;
    assert!(
        bomb.contains("1048576"),
        "the bomb message should name the cap: {bomb}"
    );
    assert_eq!(summary.progress.files_failed, 3);
    let reasons: Vec<(String, String)> = summary
        .rejections
        .iter()
        .map(|rejection| (rejection.position.clone(), rejection.reason.clone()))
        .collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert_eq!(reasons[0].0, "line 2");
    assert_eq!(
        reasons[1],
        (
            String::from("record 2"),
            String::from("field `eventTime` is missing")
        )
    );
    assert!(reasons[2].1.contains("`yesterday`"), "{reasons:?}");
    let good_records = serde_json::from_slice::<serde_json::Value>(
        &std::fs::read(&cloudtrail_log_files()[0]).unwrap(),
    )
    .unwrap()["Records"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(summary.progress.events_imported, good_records as u64 + 1);
}

#[test]
fn records_without_an_event_id_get_a_stable_one() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("no-ids.json");
    std::fs::write(
        &file,
        r#"[{"eventTime":"2026-01-01T00:00:00Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets"},
            {"eventTime":"2026-01-01T00:00:01Z","eventSource":"s3.amazonaws.com","eventName":"ListBuckets"}]"#,
    )
    .unwrap();
    let journal = journal(dir.path());
    let first = run(
        std::slice::from_ref(&file),
        &journal,
        &ImportOptions::default(),
    );
    assert_eq!(first.progress.events_imported, 2);
    let second = run(&[file], &journal, &ImportOptions::default());
    assert_eq!(
        (second.progress.events_imported, second.progress.duplicates),
        (0, 2)
    );
    let ids = journal_ids(&journal);
    assert_eq!(ids.len(), 2);
    assert!(
        ids.iter().all(|id| id.len() == 36 && &id[14..15] == "5"),
        "{ids:?}"
    );
}

#[test]
fn missing_paths_are_failures() {
    let dir = tempfile::tempdir().unwrap();
    let journal = journal(dir.path());
    let summary = run(
        &[dir.path().join("nope")],
        &journal,
        &ImportOptions::default(),
    );
    assert_eq!(summary.failures.len(), 1);
    assert!(summary.has_failures());
}
