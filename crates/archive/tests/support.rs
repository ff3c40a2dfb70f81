//! Input builders shared by the integration tests.

use std::io::Write as _;

use flate2::Compression;
use flate2::write::{DeflateEncoder, GzEncoder};
use opentrail_archive::records::split;

/// `content` gzip-compressed, one member.
pub fn gzip(content: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(content).unwrap();
    encoder.finish().unwrap()
}

/// A valid one-member gzip file inflating to `mebibytes` MiB of zeros, built without
/// compressing them all: one MiB is deflated once, ending in a sync flush (so the blocks end
/// on a byte boundary and only refer back to zeros), and those bytes are repeated.
pub fn zero_bomb(mebibytes: u32) -> Vec<u8> {
    const MEBIBYTE: usize = 1 << 20;
    let zeros = vec![0_u8; MEBIBYTE];
    let mut encoder = DeflateEncoder::new(Vec::new(), Compression::best());
    encoder.write_all(&zeros).unwrap();
    encoder.flush().unwrap(); // sync flush: non-final blocks, byte-aligned
    let segment = encoder.get_ref().clone();

    let mut one = flate2::Crc::new();
    one.update(&zeros);
    let mut crc = flate2::Crc::new();
    let mut bomb = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff];
    for _ in 0..mebibytes {
        bomb.extend_from_slice(&segment);
        crc.combine(&one);
    }
    bomb.extend_from_slice(&[0x03, 0x00]); // final empty block, fixed Huffman
    bomb.extend_from_slice(&crc.sum().to_le_bytes());
    bomb.extend_from_slice(&crc.amount().to_le_bytes());
    bomb
}

/// The exact text of every record of the real log files, in file order.
pub fn real_records() -> Vec<String> {
    let mut records = Vec::new();
    for path in opentrail_testkit::testdata::cloudtrail_log_files() {
        let bytes = std::fs::read(&path).unwrap();
        for record in split(&bytes).unwrap().records() {
            records.push(record.as_ref().unwrap().get().to_owned());
        }
    }
    records
}

/// A compact `{"Records":[...]}` log file of `records`.
pub fn envelope(records: &[String]) -> String {
    format!("{{\"Records\":[{}]}}", records.join(","))
}
