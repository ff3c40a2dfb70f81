//! Strict one-member gzip reading on hostile input.

use std::io::Write as _;

use opentrail_digest::gzip::{
    InflateError, gunzip_first_member, gunzip_single, gzip, sha256_of_gzip_member,
    sha256_of_gzip_prefix,
};
use opentrail_digest::sha256_hex;

const CAP: u64 = 1 << 20;

#[test]
fn two_members_are_trailing_data() {
    let mut bytes = gzip(b"{\"Records\":[]}");
    let first_len = bytes.len();
    bytes.extend_from_slice(&gzip(b"{\"Records\":[]}"));
    assert_eq!(gunzip_single(&bytes, CAP), Err(InflateError::TrailingData));
    assert_eq!(
        sha256_of_gzip_member(&bytes, CAP),
        Err(InflateError::TrailingData)
    );
    let (_, consumed) = gunzip_first_member(&bytes, CAP).unwrap();
    assert_eq!(consumed, first_len);
    assert_eq!(
        InflateError::TrailingData.to_string(),
        "unexpected data after end of compressed stream"
    );
}

#[test]
fn damaged_streams_are_corrupt() {
    let good = gzip(br#"{"Records":[{"eventName":"ListUsers"}]}"#);
    let mut bad_crc = good.clone();
    let crc_at = bad_crc.len() - 8;
    bad_crc[crc_at] ^= 0xff;
    let mut bad_length = good.clone();
    let length_at = bad_length.len() - 4;
    bad_length[length_at] ^= 0x01;
    let mut bad_magic = good.clone();
    bad_magic[0] = 0x1e;
    let mut bad_method = good.clone();
    bad_method[2] = 7;
    let mut bad_deflate = good.clone();
    bad_deflate[10] = 0xff; // reserved block type 3
    let plain_json = br#"{"Records":[]}"#.to_vec();
    for (name, bytes) in [
        ("crc", bad_crc),
        ("isize", bad_length),
        ("magic", bad_magic),
        ("method", bad_method),
        ("deflate", bad_deflate),
        ("plain json", plain_json),
    ] {
        assert_eq!(
            gunzip_single(&bytes, CAP),
            Err(InflateError::Corrupt),
            "{name}"
        );
        assert_eq!(
            sha256_of_gzip_member(&bytes, CAP),
            Err(InflateError::Corrupt),
            "{name}"
        );
    }
}

#[test]
fn gzip_bomb_stops_at_the_cap() {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    let zeros = vec![0_u8; 1 << 20];
    for _ in 0..64 {
        encoder.write_all(&zeros).unwrap();
    }
    let bomb = encoder.finish().unwrap();
    assert!(bomb.len() < 100_000);
    assert_eq!(gunzip_single(&bomb, CAP), Err(InflateError::TooLarge));
    assert_eq!(
        sha256_of_gzip_member(&bomb, CAP),
        Err(InflateError::TooLarge)
    );
    assert_eq!(
        sha256_of_gzip_prefix(&bomb, CAP),
        Err(InflateError::TooLarge)
    );
    assert_eq!(
        sha256_of_gzip_member(&bomb, 64 << 20).unwrap(),
        sha256_hex(&vec![0_u8; 64 << 20])
    );
}

#[test]
fn header_fields_written_by_other_tools_are_read() {
    // A member with a file name and mtime (as `gzip file.json` writes) is still one member.
    let mut encoder = flate2::GzBuilder::new()
        .filename("x.json")
        .mtime(1_700_000_000)
        .write(Vec::new(), flate2::Compression::fast());
    encoder.write_all(b"{}").unwrap();
    let bytes = encoder.finish().unwrap();
    assert_eq!(gunzip_single(&bytes, CAP).unwrap(), b"{}");
}

#[test]
fn a_cut_trailer_still_yields_the_whole_content_to_a_streaming_hash() {
    // The CLI's `decompressobj` hashes what the stream yields; with only the trailer cut, that
    // is the whole content. The strict reading calls it corrupt.
    let content = br#"{"Records":[{"eventName":"ListUsers"}]}"#;
    let stored = gzip(content);
    let cut = &stored[..stored.len() - 5];
    assert_eq!(sha256_of_gzip_member(cut, CAP), Err(InflateError::Corrupt));
    let prefix = sha256_of_gzip_prefix(cut, CAP).unwrap();
    assert!(!prefix.complete);
    assert_eq!(prefix.sha256, sha256_hex(content));
    let empty = sha256_of_gzip_prefix(b"", CAP).unwrap();
    assert_eq!((empty.complete, empty.inflated_bytes), (false, 0));
    assert_eq!(empty.sha256, sha256_hex(b""));
}

#[test]
fn output_is_deterministic() {
    let content = br#"{"awsAccountId":"111122223333"}"#;
    assert_eq!(gzip(content), gzip(content));
}
