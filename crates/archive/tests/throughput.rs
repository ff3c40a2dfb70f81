//! Decompress-and-split throughput on a large generated log file (a benchmark, ignored by
//! default). Run it in release:
//!
//! ```text
//! cargo test --release -p opentrail-archive --test tests -- --ignored --nocapture throughput
//! ```

use std::io::Write as _;
use std::time::Instant;

use flate2::Compression;
use flate2::write::GzEncoder;
use opentrail_archive::gzip::{DEFAULT_MAX_DECOMPRESSED_BYTES, read_file_capped};
use opentrail_archive::records::split;

use crate::support::real_records;

const TARGET_BYTES: usize = 200 * 1000 * 1000;

fn build(records: &[String], separator: &str, start: &str, end: &str) -> (String, usize) {
    let mut text = String::with_capacity(TARGET_BYTES + 100_000);
    text.push_str(start);
    let mut count = 0;
    'fill: loop {
        for record in records {
            if count > 0 {
                text.push_str(separator);
            }
            text.push_str(record);
            count += 1;
            if text.len() >= TARGET_BYTES {
                break 'fill;
            }
        }
    }
    text.push_str(end);
    (text, count)
}

#[expect(clippy::print_stdout, reason = "a benchmark reports its numbers")]
fn measure(label: &str, stored: &[u8], expected_records: usize) {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("big.json.gz");
    std::fs::write(&path, stored).unwrap();
    let _ = read_file_capped(&path, DEFAULT_MAX_DECOMPRESSED_BYTES).unwrap(); // warm the page cache

    let mut best = f64::MAX;
    let mut best_parts = (0.0, 0.0);
    for _ in 0..3 {
        let started = Instant::now();
        let decoded = read_file_capped(&path, DEFAULT_MAX_DECOMPRESSED_BYTES).unwrap();
        let read = started.elapsed().as_secs_f64();
        let content = split(&decoded.bytes).unwrap();
        let total = started.elapsed().as_secs_f64();
        assert_eq!(content.records().len(), expected_records);
        if total < best {
            best = total;
            best_parts = (read, total - read);
        }
    }
    let inflated = TARGET_BYTES as f64 / 1e6;
    println!(
        "{label}: {:.0} MB stored, {inflated:.0} MB inflated, {expected_records} records: \
         read {:.3} s ({:.0} MB/s), split {:.3} s ({:.0} MB/s), total {:.3} s = {:.0} MB/s, {:.0} records/s",
        stored.len() as f64 / 1e6,
        best_parts.0,
        inflated / best_parts.0,
        best_parts.1,
        inflated / best_parts.1,
        best,
        inflated / best,
        expected_records as f64 / best,
    );
}

#[test]
#[ignore = "benchmark; run in release with --ignored --nocapture"]
fn decompress_and_split_throughput() {
    let records = real_records();

    let (text, count) = build(&records, ",", "{\"Records\":[", "]}");
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(text.as_bytes()).unwrap();
    let compressed = encoder.finish().unwrap();
    measure("envelope, gzip", &compressed, count);
    measure("envelope, plain", text.as_bytes(), count);
    drop(text);

    let (lines, count) = build(&records, "\n", "", "\n");
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(lines.as_bytes()).unwrap();
    measure("lines, gzip", &encoder.finish().unwrap(), count);
}
