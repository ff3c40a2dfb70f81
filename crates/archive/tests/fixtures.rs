//! The real files under `testdata/`.

use opentrail_archive::discover::ArchiveFile;
use opentrail_archive::gzip::{DEFAULT_MAX_DECOMPRESSED_BYTES, Encoding, read_file_capped};
use opentrail_archive::layout::KeyClass;
use opentrail_archive::records::{FileContent, RecordFormat, split};
use opentrail_testkit::testdata::{
    all_fixture_records, cloudtrail_log_files, cloudtrail_record_files, root,
};

fn file_name(path: &std::path::Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn real_log_files_give_1784_records() {
    let files = cloudtrail_log_files();
    assert_eq!(files.len(), 33);
    let mut total = 0;
    for path in &files {
        let decoded = read_file_capped(path, DEFAULT_MAX_DECOMPRESSED_BYTES).unwrap();
        assert_eq!(decoded.encoding, Encoding::Plain);
        let content = split(&decoded.bytes).unwrap();
        assert_eq!(
            content.format(),
            Some(RecordFormat::Envelope),
            "{}",
            path.display()
        );
        for record in content.records() {
            let record = record.as_ref().unwrap();
            assert!(
                record.get().starts_with("{\"eventVersion\":"),
                "{}",
                path.display()
            );
        }
        total += content.records().len();
        // Copies outside the `AWSLogs/` layout: importable, but not layout log files.
        assert_eq!(ArchiveFile::new(path.clone()).class, KeyClass::Other);
    }
    assert_eq!(total, 1784);
}

#[test]
fn record_files_split_like_the_testkit_does() {
    let expected = all_fixture_records();
    for path in cloudtrail_record_files() {
        let name = file_name(&path);
        let bytes = std::fs::read(&path).unwrap();
        let content = split(&bytes).unwrap();
        let format = content.format().unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        let expected_format = if name.starts_with("aws.") {
            RecordFormat::Array
        } else if text.contains("\"Records\"") {
            RecordFormat::Envelope
        } else if text.contains("\"Events\"") {
            RecordFormat::EventsList
        } else {
            RecordFormat::Single
        };
        assert_eq!(format, expected_format, "{name}");

        let prefix = format!("{name}#");
        let theirs: Vec<&str> = expected
            .iter()
            .filter(|record| record.origin.starts_with(&prefix))
            .map(|record| record.json.trim())
            .collect();
        let ours: Vec<&str> = content
            .records()
            .iter()
            .map(|record| record.as_ref().unwrap().get())
            .collect();
        assert!(!ours.is_empty(), "{name}");
        assert_eq!(ours, theirs, "{name}");
    }
}

#[test]
fn stratus_arrays_and_user_guide_singles_have_the_expected_counts() {
    let folder = root().join("cloudtrail-records");
    let cases = [
        (
            "stratus-red-team/aws.defense-evasion.cloudtrail-stop.json",
            1,
        ),
        ("stratus-red-team/aws.execution.ssm-send-command.json", 56),
        ("aws-user-guide/cloudtrail-tutorial--block01.json", 1),
        (
            "aws-user-guide/cloudtrail-log-file-examples--block10.json",
            2,
        ),
    ];
    for (relative, count) in cases {
        let bytes = std::fs::read(folder.join(relative)).unwrap();
        assert_eq!(split(&bytes).unwrap().records().len(), count, "{relative}");
    }
}

#[test]
fn the_digest_fixture_is_a_digest() {
    let path = root().join(
        "digests/aws-user-guide/cloudtrail-log-file-validation-digest-file-structure--block03.json",
    );
    let decoded = read_file_capped(&path, DEFAULT_MAX_DECOMPRESSED_BYTES).unwrap();
    let FileContent::Digest(digest) = split(&decoded.bytes).unwrap() else {
        panic!("not recognised as a digest")
    };
    assert!(digest.get().starts_with('{') && digest.get().contains("\"logFiles\""));
}
