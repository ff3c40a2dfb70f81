//! Reading generated output back.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use flate2::write::GzDecoder;
use opentrail_archive::layout::LogFileKey;
use opentrail_generate::{GenerateConfig, Summary, generate};
use opentrail_types::Timestamp;
use serde_json::value::RawValue;

/// Monday 2026-03-02T00:00:00Z.
pub fn monday() -> Timestamp {
    Timestamp::parse_event_time("2026-03-02T00:00:00Z").unwrap()
}

/// A small, fast configuration covering one day.
pub fn small_config(events: u64) -> GenerateConfig {
    GenerateConfig {
        seed: 7,
        events,
        start: monday(),
        end: monday().saturating_add_millis(86_400_000),
        principals: 40,
        gzip_level: 0,
        ..GenerateConfig::default()
    }
}

/// Every regular file under `dir`, sorted.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Decompresses a gzip file that must hold exactly one member.
///
/// The write-side decoder stops at the end of the first member and refuses more input,
/// so a second member (or any trailing byte) makes `write_all` fail.
pub fn gunzip_single_member(bytes: &[u8]) -> Result<Vec<u8>, std::io::Error> {
    let mut decoder = GzDecoder::new(Vec::new());
    decoder.write_all(bytes)?;
    decoder.finish()
}

/// One log file read back.
pub struct LogFile {
    pub relative: String,
    pub key: LogFileKey,
    pub json: Vec<u8>,
    pub records: Vec<Box<RawValue>>,
}

/// Reads every log file under `dir`.
pub fn read_output(dir: &Path) -> Vec<LogFile> {
    let mut out = Vec::new();
    for path in files_under(dir) {
        let relative = path
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let key = LogFileKey::parse(&relative)
            .unwrap_or_else(|| panic!("key `{relative}` does not parse"));
        assert_eq!(key.object_key(), relative, "key does not round-trip");
        let json = gunzip_single_member(&std::fs::read(&path).unwrap())
            .unwrap_or_else(|error| panic!("{relative}: not a single gzip member: {error}"));
        let mut top: HashMap<String, Vec<Box<RawValue>>> = serde_json::from_slice(&json).unwrap();
        let records = top.remove("Records").unwrap();
        assert!(top.is_empty(), "{relative}: members besides Records");
        out.push(LogFile {
            relative,
            key,
            json,
            records,
        });
    }
    out
}

/// Generates `config` into a fresh temporary directory.
pub fn run(config: &GenerateConfig) -> (tempfile::TempDir, Summary) {
    let dir = tempfile::tempdir().unwrap();
    let summary = generate(config, dir.path(), |_| {}).unwrap();
    (dir, summary)
}

/// The member names at the top level of a JSON object, in order.
pub fn top_level_keys(json: &str) -> Vec<String> {
    let bytes = json.as_bytes();
    let mut keys = Vec::new();
    let mut depth = 0usize;
    let mut index = 0;
    let mut expecting_key = false;
    while index < bytes.len() {
        match bytes[index] {
            b'{' => {
                depth += 1;
                expecting_key = depth == 1;
            }
            b'[' => depth += 1,
            b'}' | b']' => depth -= 1,
            b',' if depth == 1 => expecting_key = true,
            b'"' => {
                let start = index + 1;
                index += 1;
                while bytes[index] != b'"' {
                    if bytes[index] == b'\\' {
                        index += 1;
                    }
                    index += 1;
                }
                if depth == 1 && expecting_key {
                    keys.push(json[start..index].to_owned());
                    expecting_key = false;
                }
            }
            _ => {}
        }
        index += 1;
    }
    keys
}
