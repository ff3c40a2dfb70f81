//! The state under the service's folder:
//!
//! - `records/<query-id>.json`: one [`QueryRecord`], JSON with a `version` member (1),
//!   snake_case members, statuses in their wire spelling, times as epoch milliseconds.
//!   Replaced whole on every change: temporary file, fsync, rename.
//! - `results/<query-id>.jsonl`: the stored rows of a `FINISHED` or `TIMED_OUT` query,
//!   JSON lines: first `{"version":1,"columns":[...]}`, then one JSON array per row with a
//!   string or `null` per column. Written once (temporary file, fsync, rename) before the
//!   record says the query ended. JSON escapes line breaks, so one line is one row and a
//!   page is read by skipping lines without parsing them.
//!
//! A damaged or unknown-version record is an error on open, never dropped silently.

use std::fs::{self, File};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use opentrail_types::Timestamp;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::model::{DeliveryStatus, QueryStatus, Stats};

/// The version this code writes.
pub(crate) const VERSION: u32 = 1;
const RECORDS: &str = "records";
const RESULTS: &str = "results";

/// Everything kept about one query.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct QueryRecord {
    pub(crate) version: u32,
    pub(crate) query_id: String,
    pub(crate) account: String,
    pub(crate) statement: String,
    pub(crate) store_ids: Vec<String>,
    pub(crate) owner_account: Option<String>,
    pub(crate) delivery_s3_uri: Option<String>,
    pub(crate) status: QueryStatus,
    pub(crate) delivery_status: Option<DeliveryStatus>,
    pub(crate) error_message: Option<String>,
    pub(crate) creation_time: Timestamp,
    pub(crate) start_time: Option<Timestamp>,
    pub(crate) end_time: Option<Timestamp>,
    pub(crate) stats: Stats,
    /// Rows in the results file; 0 when there is none.
    pub(crate) total_rows: u64,
    /// Whether `results/<id>.jsonl` exists.
    pub(crate) has_results: bool,
}

/// Column names and rows read back from a results file.
pub(crate) type StoredRows = (Vec<String>, Vec<Vec<Option<String>>>);

/// The header line of a results file.
#[derive(Debug, Serialize, Deserialize)]
struct ResultsHeader {
    version: u32,
    columns: Vec<String>,
}

/// The folders of one service instance.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    records: PathBuf,
    results: PathBuf,
}

impl Layout {
    /// Creates the folders under `dir` if needed.
    pub(crate) fn create(dir: &Path) -> Result<Layout> {
        let layout = Layout {
            records: dir.join(RECORDS),
            results: dir.join(RESULTS),
        };
        for folder in [&layout.records, &layout.results] {
            fs::create_dir_all(folder).map_err(|error| Error::io(folder, error))?;
        }
        Ok(layout)
    }

    fn record_path(&self, query_id: &str) -> PathBuf {
        self.records.join(format!("{query_id}.json"))
    }

    fn results_path(&self, query_id: &str) -> PathBuf {
        self.results.join(format!("{query_id}.jsonl"))
    }

    /// Reads every record; leftover temporary files of an interrupted write are removed.
    pub(crate) fn read_records(&self) -> Result<Vec<QueryRecord>> {
        let mut records = Vec::new();
        let entries =
            fs::read_dir(&self.records).map_err(|error| Error::io(&self.records, error))?;
        for entry in entries {
            let path = entry
                .map_err(|error| Error::io(&self.records, error))?
                .path();
            match path.extension().and_then(|extension| extension.to_str()) {
                Some("json") => records.push(read_record(&path)?),
                Some("tmp") => remove_if_present(&path)?,
                _ => {}
            }
        }
        Ok(records)
    }

    /// Replaces the record of `record.query_id`.
    pub(crate) fn write_record(&self, record: &QueryRecord) -> Result<()> {
        let bytes = serde_json::to_vec(record)
            .map_err(|error| Error::Internal(format!("query record does not encode: {error}")))?;
        write_atomically(&self.record_path(&record.query_id), &bytes)
    }

    /// Writes the results file of `query_id`.
    pub(crate) fn write_results(&self, query_id: &str, encoded: &[u8]) -> Result<()> {
        write_atomically(&self.results_path(query_id), encoded)
    }

    /// Removes the results file of `query_id`, if any.
    pub(crate) fn remove_results(&self, query_id: &str) -> Result<()> {
        remove_if_present(&self.results_path(query_id))
    }

    /// Removes the record and results of `query_id`.
    pub(crate) fn remove(&self, query_id: &str) -> Result<()> {
        remove_if_present(&self.results_path(query_id))?;
        remove_if_present(&self.record_path(query_id))
    }

    /// Reads rows `offset..offset + count` of `query_id`'s results, with the column names.
    pub(crate) fn read_page(
        &self,
        query_id: &str,
        offset: u64,
        count: usize,
    ) -> Result<StoredRows> {
        let path = self.results_path(query_id);
        let file = File::open(&path).map_err(|error| Error::io(&path, error))?;
        let mut reader = BufReader::new(file);
        let mut line = Vec::new();
        let read_line = |reader: &mut BufReader<File>, line: &mut Vec<u8>| -> Result<bool> {
            line.clear();
            let read = reader
                .read_until(b'\n', line)
                .map_err(|error| Error::io(&path, error))?;
            Ok(read > 0)
        };
        if !read_line(&mut reader, &mut line)? {
            return Err(Error::corrupt(&path, "the header line is missing"));
        }
        let header: ResultsHeader = serde_json::from_slice(&line)
            .map_err(|error| Error::corrupt(&path, format!("bad header line: {error}")))?;
        if header.version != VERSION {
            return Err(Error::corrupt(
                &path,
                format!("unknown version `{}`", header.version),
            ));
        }
        for _ in 0..offset {
            if !read_line(&mut reader, &mut line)? {
                return Ok((header.columns, Vec::new()));
            }
        }
        let mut rows = Vec::with_capacity(count.min(1000));
        while rows.len() < count && read_line(&mut reader, &mut line)? {
            let row: Vec<Option<String>> = serde_json::from_slice(&line)
                .map_err(|error| Error::corrupt(&path, format!("bad row: {error}")))?;
            rows.push(row);
        }
        Ok((header.columns, rows))
    }
}

/// Encodes results as a results file, keeping the rows that fit in `max_bytes`.
///
/// Returns the bytes, the number of rows kept, and whether every row was kept.
pub(crate) fn encode_results(
    columns: &[String],
    rows: &[Vec<Option<String>>],
    max_bytes: u64,
) -> Result<(Vec<u8>, u64, bool)> {
    let header = ResultsHeader {
        version: VERSION,
        columns: columns.to_vec(),
    };
    let mut bytes = serde_json::to_vec(&header)
        .map_err(|error| Error::Internal(format!("results header does not encode: {error}")))?;
    bytes.push(b'\n');
    let mut kept = 0u64;
    for row in rows {
        let mut line = serde_json::to_vec(row)
            .map_err(|error| Error::Internal(format!("result row does not encode: {error}")))?;
        line.push(b'\n');
        if (bytes.len() + line.len()) as u64 > max_bytes {
            return Ok((bytes, kept, false));
        }
        bytes.extend_from_slice(&line);
        kept += 1;
    }
    Ok((bytes, kept, true))
}

fn read_record(path: &Path) -> Result<QueryRecord> {
    let bytes = fs::read(path).map_err(|error| Error::io(path, error))?;
    #[derive(Deserialize)]
    struct VersionOnly {
        version: u32,
    }
    let version: VersionOnly = serde_json::from_slice(&bytes)
        .map_err(|error| Error::corrupt(path, format!("not a query record: {error}")))?;
    if version.version != VERSION {
        return Err(Error::corrupt(
            path,
            format!("unknown version `{}`", version.version),
        ));
    }
    serde_json::from_slice(&bytes)
        .map_err(|error| Error::corrupt(path, format!("not a query record: {error}")))
}

fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    opentrail_types::durable::replace_file(path, bytes)
        .map_err(|error| Error::io(error.path, error.source))
}

fn remove_if_present(path: &Path) -> Result<()> {
    match fs::remove_file(path) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(error) => Err(Error::io(path, error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_are_cut_to_the_byte_limit() {
        let columns = vec![String::from("a")];
        let rows = vec![vec![Some(String::from("x"))]; 10];
        let (all, kept, complete) = encode_results(&columns, &rows, u64::MAX).unwrap();
        assert_eq!((kept, complete), (10, true));
        assert_eq!(
            String::from_utf8(all.clone()).unwrap().lines().nth(1),
            Some("[\"x\"]")
        );
        let limit = all.len() as u64 - 1;
        let (cut, kept, complete) = encode_results(&columns, &rows, limit).unwrap();
        assert_eq!((kept, complete), (9, false));
        assert!(cut.len() as u64 <= limit);
    }
}
