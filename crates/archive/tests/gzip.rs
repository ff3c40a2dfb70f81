//! Capped decompression and splitting of generated files: round trips, bombs, truncation,
//! odd encodings.

use std::time::{Duration, Instant};

use opentrail_archive::ErrorKind;
use opentrail_archive::gzip::{
    DEFAULT_MAX_DECOMPRESSED_BYTES, Encoding, decode_slice_capped, read_file_capped,
};
use opentrail_archive::records::{
    FileContent, RecordErrorKind, RecordFormat, RecordPosition, split,
};
use opentrail_testkit::testdata::cloudtrail_log_files;

use crate::allocation::peak_allocation;
use crate::support::{envelope, gzip, real_records, zero_bomb};

const MEBIBYTE: u64 = 1 << 20;

#[test]
fn every_real_log_file_survives_a_gzip_round_trip() {
    let folder = tempfile::tempdir().unwrap();
    for original_path in cloudtrail_log_files() {
        let original = std::fs::read(&original_path).unwrap();
        let name = format!(
            "{}.gz",
            original_path.file_name().unwrap().to_string_lossy()
        );
        let path = folder.path().join(name);
        let compressed = gzip(&original);
        std::fs::write(&path, &compressed).unwrap();

        let decoded = read_file_capped(&path, DEFAULT_MAX_DECOMPRESSED_BYTES).unwrap();
        assert_eq!(decoded.encoding, Encoding::Gzip);
        assert_eq!(decoded.stored_bytes, compressed.len() as u64);
        assert_eq!(decoded.bytes, original);
        // The `ISIZE` hint was exact: one allocation of the right size.
        assert_eq!(decoded.bytes.capacity(), original.len());
        assert_eq!(
            split(&decoded.bytes).unwrap().records().len(),
            split(&original).unwrap().records().len()
        );
    }
}

#[test]
fn encoding_is_told_by_content_not_by_name() {
    let folder = tempfile::tempdir().unwrap();
    let content = envelope(&real_records()[..3]);
    let gzip_named_json = folder.path().join("compressed.json");
    std::fs::write(&gzip_named_json, gzip(content.as_bytes())).unwrap();
    let plain_named_gz = folder.path().join("plain.json.gz");
    std::fs::write(&plain_named_gz, &content).unwrap();

    for (path, encoding) in [
        (gzip_named_json, Encoding::Gzip),
        (plain_named_gz, Encoding::Plain),
    ] {
        let decoded = read_file_capped(&path, MEBIBYTE).unwrap();
        assert_eq!(decoded.encoding, encoding, "{}", path.display());
        assert_eq!(split(&decoded.bytes).unwrap().records().len(), 3);
    }
}

#[test]
fn multi_member_gzip_is_accepted_on_read() {
    let records = real_records();
    let mut stored = gzip(envelope(&records[..2]).as_bytes());
    stored.extend(gzip(b"\n"));
    stored.extend(gzip(envelope(&records[2..5]).as_bytes()));
    let decoded = decode_slice_capped(&stored, MEBIBYTE).unwrap();
    // Two log files, one per line.
    let content = split(&decoded.bytes).unwrap();
    assert_eq!(content.format(), Some(RecordFormat::Lines));
    assert_eq!(content.records().len(), 5);
}

#[test]
fn zero_bomb_construction_is_valid_gzip() {
    let decoded = decode_slice_capped(&zero_bomb(3), 3 * MEBIBYTE).unwrap();
    assert_eq!(decoded.bytes.len() as u64, 3 * MEBIBYTE);
    assert!(decoded.bytes.iter().all(|byte| *byte == 0));
}

#[test]
fn gzip_bomb_is_rejected_quickly_within_the_cap() {
    let bomb = zero_bomb(200); // 200 MiB of zeros
    assert!(bomb.len() < 400_000, "bomb is {} bytes", bomb.len());
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("bomb.json.gz");
    std::fs::write(&path, &bomb).unwrap();

    let started = Instant::now();
    let (result, peak) = peak_allocation(|| read_file_capped(&path, MEBIBYTE));
    let elapsed = started.elapsed();

    let error = result.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::TooLarge);
    assert_eq!(
        error.to_string(),
        format!(
            "{}: decompressed size exceeds the 1048576-byte limit",
            path.display()
        )
    );
    // The output buffer (cap + 1) plus the 128 KiB input buffer and the inflater's state
    // (about 1.23 MB in all when measured).
    assert!(
        peak < (MEBIBYTE + 256 * 1024) as usize,
        "peak allocation {peak} bytes"
    );
    assert!(elapsed < Duration::from_secs(5), "took {elapsed:?}");
}

#[test]
fn forged_isize_does_not_reserve_beyond_the_content() {
    let mut stored = gzip(b"{\"Records\":[]}");
    let length = stored.len();
    stored[length - 4..].copy_from_slice(&u32::MAX.to_le_bytes());
    let (result, peak) =
        peak_allocation(|| decode_slice_capped(&stored, DEFAULT_MAX_DECOMPRESSED_BYTES));
    assert_eq!(result.unwrap_err().kind(), ErrorKind::Gzip); // ISIZE mismatch
    // The input buffer and the inflater: about 83 kB when measured.
    assert!(peak < 256 * 1024, "peak allocation {peak} bytes");
}

#[test]
fn truncated_gzip_file_is_a_clear_error() {
    let folder = tempfile::tempdir().unwrap();
    let compressed = gzip(envelope(&real_records()[..20]).as_bytes());
    let path = folder.path().join("truncated.json.gz");
    std::fs::write(&path, &compressed[..compressed.len() * 2 / 3]).unwrap();
    let error = read_file_capped(&path, MEBIBYTE).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Gzip);
    assert_eq!(error.path(), Some(path.as_path()));
    assert_eq!(error.message(), "gzip data is truncated");
}

#[test]
fn ndjson_with_a_bad_line_keeps_the_other_records() {
    let records = real_records();
    let mut lines: Vec<String> = records[..50].to_vec();
    lines[9] = lines[9][..lines[9].len() / 2].to_owned(); // line 10 cut in half
    lines.insert(20, String::new()); // a blank line: line 21
    let text = lines.join("\n") + "\n";

    for stored in [text.as_bytes().to_vec(), gzip(text.as_bytes())] {
        let decoded = decode_slice_capped(&stored, MEBIBYTE).unwrap();
        let content = split(&decoded.bytes).unwrap();
        assert_eq!(content.format(), Some(RecordFormat::Lines));
        let records_read = content.records();
        assert_eq!(records_read.len(), 50);
        let errors: Vec<_> = records_read
            .iter()
            .filter_map(|record| record.as_ref().err())
            .collect();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].kind(), RecordErrorKind::InvalidJson);
        assert_eq!(errors[0].position(), RecordPosition::Line(10));
        assert_eq!(records_read[49].as_ref().unwrap().get(), records[49]);
    }
}

#[test]
fn byte_order_mark_is_accepted_in_every_format() {
    let records = real_records();
    let cases = [
        (envelope(&records[..4]), RecordFormat::Envelope),
        (
            format!("[{}]", records[..4].join(",\n")),
            RecordFormat::Array,
        ),
        (records[..4].join("\n"), RecordFormat::Lines),
    ];
    for (text, format) in cases {
        let with_mark = [b"\xef\xbb\xbf".as_slice(), text.as_bytes()].concat();
        let decoded = decode_slice_capped(&gzip(&with_mark), MEBIBYTE).unwrap();
        let content = split(&decoded.bytes).unwrap();
        assert_eq!(content.format(), Some(format));
        assert_eq!(content.records().len(), 4);
        assert_eq!(content.records()[0].as_ref().unwrap().get(), records[0]);
    }
}

#[test]
fn empty_files_are_empty_whatever_their_encoding() {
    let folder = tempfile::tempdir().unwrap();
    for (name, stored) in [
        ("empty.json", Vec::new()),
        ("empty.json.gz", Vec::new()),
        ("empty-member.json.gz", gzip(b"")),
        ("blank.jsonl", b"\n\n  \n".to_vec()),
    ] {
        let path = folder.path().join(name);
        std::fs::write(&path, stored).unwrap();
        let decoded = read_file_capped(&path, MEBIBYTE).unwrap();
        assert!(
            matches!(split(&decoded.bytes).unwrap(), FileContent::Empty),
            "{name}"
        );
    }
}
