//! Discovery over a generated archive tree, then reading every file found.

use std::fs;
use std::path::{Path, PathBuf};

use opentrail_archive::ErrorKind;
use opentrail_archive::discover::{Found, SkipReason, Walk, discover};
use opentrail_archive::gzip::{DEFAULT_MAX_DECOMPRESSED_BYTES, read_file_capped};
use opentrail_archive::layout::{FileKind, KeyClass};
use opentrail_archive::records::{FileContent, split};

use crate::support::{envelope, gzip, real_records};

const LOG_1145: &str = "archive/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2023/07/10/111122223333_CloudTrail_us-east-1_20230710T1145Z_7xgocspSowgK0Gto.json.gz";
const LOG_1150: &str = "archive/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail/us-east-1/2023/07/10/111122223333_CloudTrail_us-east-1_20230710T1150Z_1vnLavRRp0ek1mP4.json.gz";
const INSIGHT: &str = "archive/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail-Insight/us-east-1/2023/07/10/111122223333_CloudTrail-Insight_us-east-1_20230710T1200Z_KL5e9VCV2SS7IqzB.json.gz";
const DIGEST: &str = "archive/AWSLogs/o-a1b2c3d4e5/111122223333/CloudTrail-Digest/us-east-1/2023/07/10/111122223333_CloudTrail-Digest_us-east-1_trail_us-east-1_20230710T120000Z.json.gz";
const EXPORT: &str = "archive/exports/records.ndjson";

fn write(root: &Path, relative: &str, content: &[u8]) -> PathBuf {
    let path = root.join(relative);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, content).unwrap();
    path
}

/// The tree, with the number of records each archive file holds.
fn build_tree(root: &Path) {
    let records = real_records();
    write(root, LOG_1145, &gzip(envelope(&records[..10]).as_bytes()));
    write(root, LOG_1150, &gzip(envelope(&records[10..15]).as_bytes()));
    write(root, INSIGHT, &gzip(envelope(&records[15..16]).as_bytes()));
    let digest = br#"{"awsAccountId":"111122223333","digestStartTime":"2023-07-10T11:00:00Z","digestEndTime":"2023-07-10T12:00:00Z","logFiles":[]}"#;
    write(root, DIGEST, &gzip(digest));
    write(
        root,
        &format!("{DIGEST}.meta.json"),
        br#"{"signature":"00"}"#,
    );
    write(root, "archive/notes.txt", b"not an archive");
    write(root, EXPORT, (records[16..19].join("\n") + "\n").as_bytes());
}

#[cfg(unix)]
#[test]
fn discovery_over_an_archive_tree_with_a_symlink_loop() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    build_tree(root);
    std::os::unix::fs::symlink("..", root.join("archive/exports/loop")).unwrap();
    std::os::unix::fs::symlink("records.ndjson", root.join("archive/exports/linked.jsonl"))
        .unwrap();
    std::os::unix::fs::symlink("missing.json", root.join("archive/exports/broken.json")).unwrap();

    let items: Vec<_> = Walk::new([root.join("archive")]).collect();
    let mut files = Vec::new();
    let mut skipped = Vec::new();
    let mut errors = Vec::new();
    for item in items {
        match item {
            Ok(Found::File(file)) => files.push(file),
            Ok(Found::Skipped(skip)) => skipped.push(skip),
            Err(error) => errors.push(error),
        }
    }

    let relative: Vec<String> = files
        .iter()
        .map(|file| file.path.strip_prefix(root).unwrap().display().to_string())
        .collect();
    assert_eq!(
        relative,
        [
            LOG_1145,
            LOG_1150,
            DIGEST,
            INSIGHT,
            "archive/exports/linked.jsonl",
            EXPORT
        ]
    );
    let KeyClass::LogFile(key) = &files[0].class else {
        panic!("not a log file: {:?}", files[0].class)
    };
    assert_eq!(key.kind, FileKind::CloudTrail);
    assert_eq!(key.org_id.as_deref(), Some("o-a1b2c3d4e5"));
    assert_eq!(key.region, "us-east-1");
    assert_eq!(files[2].class, KeyClass::Digest);
    assert!(
        matches!(&files[3].class, KeyClass::LogFile(key) if key.kind == FileKind::CloudTrailInsight)
    );
    assert_eq!(files[4].class, KeyClass::Other);

    let reasons: Vec<(String, SkipReason)> = skipped
        .iter()
        .map(|skip| {
            (
                skip.path.strip_prefix(root).unwrap().display().to_string(),
                skip.reason,
            )
        })
        .collect();
    assert_eq!(
        reasons,
        [
            (format!("{DIGEST}.meta.json"), SkipReason::Sidecar),
            (
                "archive/exports/loop".to_owned(),
                SkipReason::DirectorySymlink
            ),
            ("archive/notes.txt".to_owned(), SkipReason::NotAnArchiveName),
        ]
    );
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].kind(), ErrorKind::Io);
    assert_eq!(
        errors[0].path(),
        Some(root.join("archive/exports/broken.json").as_path())
    );

    // Every file found reads and splits.
    let mut record_counts = Vec::new();
    for file in &files {
        let decoded = read_file_capped(&file.path, DEFAULT_MAX_DECOMPRESSED_BYTES).unwrap();
        match split(&decoded.bytes).unwrap() {
            FileContent::Digest(_) => record_counts.push(None),
            content => record_counts.push(Some(content.records().len())),
        }
    }
    assert_eq!(
        record_counts,
        [Some(10), Some(5), None, Some(1), Some(3), Some(3)]
    );
}

#[test]
fn walk_order_is_deterministic_and_errors_do_not_stop_it() {
    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    build_tree(root);
    let missing = root.join("nowhere");
    let first = discover([missing.as_path(), root]);
    let second = discover([missing.as_path(), root]);
    assert_eq!(first.files, second.files);
    assert_eq!(first.files.len(), 5);
    assert_eq!(first.skipped, 2);
    assert_eq!(first.errors.len(), 1);
    assert_eq!(first.errors[0].path(), Some(missing.as_path()));
}

#[cfg(unix)]
#[test]
fn unreadable_directory_is_an_error_for_that_directory_only() {
    use std::os::unix::fs::PermissionsExt as _;

    let temp = tempfile::tempdir().unwrap();
    let root = temp.path();
    build_tree(root);
    let locked = root.join("archive/locked");
    fs::create_dir(&locked).unwrap();
    fs::write(locked.join("hidden.json"), b"{}").unwrap();
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
    let locked_is_readable = fs::read_dir(&locked).is_ok(); // true when running as root

    let found = discover([root]);
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();

    if locked_is_readable {
        assert_eq!((found.files.len(), found.errors.len()), (6, 0));
    } else {
        assert_eq!((found.files.len(), found.errors.len()), (5, 1));
        assert_eq!(found.errors[0].path(), Some(locked.as_path()));
        assert_eq!(found.errors[0].kind(), ErrorKind::Io);
    }
}
