//! Any bytes as an archive file: capped decompression and splitting into records never
//! panic and never exceed the cap.
#![no_main]

use libfuzzer_sys::fuzz_target;
use opentrail_archive::gzip::decode_slice_capped;
use opentrail_archive::records::split;

const CAP: u64 = 1 << 20;

fuzz_target!(|data: &[u8]| {
    if let Ok(decoded) = decode_slice_capped(data, CAP) {
        assert!(decoded.bytes.len() as u64 <= CAP, "output past the cap");
        let _ = split(&decoded.bytes);
    }
    let _ = split(data);
});
