//! Helpers shared by the test modules.

use std::path::{Path, PathBuf};

use arrow::array::{Array, AsArray, MapArray, RecordBatch};
use opentrail_columnar::{RowsBuilder, TableKind};
use serde_json::Value;
use serde_json::value::RawValue;

/// A file of this crate's `testdata/` folder.
pub fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

/// A file of this crate's `tests/golden/` folder.
pub fn golden(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name)
}

/// Compares `actual` with a golden file; `BLESS=1` (or testkit's `UPDATE_GOLDEN=1`) rewrites it.
pub fn assert_golden(path: &Path, actual: &str) {
    if std::env::var_os("BLESS").is_some_and(|value| value == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, actual).unwrap();
        return;
    }
    opentrail_testkit::golden::assert_golden(path, actual);
}

/// The records of a fixture file, as exact text: a `Records`/`Events` envelope, an array, or
/// one record.
pub fn split_records(text: &str) -> Vec<String> {
    let value: Value = serde_json::from_str(text).unwrap();
    if value.is_array() {
        let list: Vec<Box<RawValue>> = serde_json::from_str(text).unwrap();
        return list.into_iter().map(|raw| raw.get().to_owned()).collect();
    }
    #[derive(serde::Deserialize)]
    struct Envelope {
        #[serde(alias = "Events", rename = "Records")]
        records: Vec<Box<RawValue>>,
    }
    if value
        .get("Records")
        .or_else(|| value.get("Events"))
        .is_some_and(Value::is_array)
    {
        let envelope: Envelope = serde_json::from_str(text).unwrap();
        return envelope
            .records
            .into_iter()
            .map(|raw| raw.get().to_owned())
            .collect();
    }
    vec![text.trim().to_owned()]
}

/// The records of a file in this crate's `testdata/`.
pub fn testdata_records(name: &str) -> Vec<String> {
    split_records(&std::fs::read_to_string(testdata(name)).unwrap())
}

/// Every row of `batch` as JSON (arrow-json's rendering, NULLs written as `null`).
pub fn rows_json(batch: &RecordBatch) -> Vec<Value> {
    let mut writer = arrow::json::WriterBuilder::new()
        .with_explicit_nulls(true)
        .build::<_, arrow::json::writer::JsonArray>(Vec::new());
    writer.write(batch).unwrap();
    writer.finish().unwrap();
    let bytes = writer.into_inner();
    if bytes.is_empty() {
        return Vec::new();
    }
    serde_json::from_slice(&bytes).unwrap()
}

/// Maps one record and returns the batch.
pub fn one_batch(kind: TableKind, record: &str) -> RecordBatch {
    let mut rows = RowsBuilder::new(kind);
    rows.push(record.as_bytes())
        .unwrap_or_else(|error| panic!("{error}: {record}"));
    rows.finish().unwrap()
}

/// Maps one record and returns its row as JSON.
pub fn one_row(kind: TableKind, record: &str) -> Value {
    rows_json(&one_batch(kind, record)).remove(0)
}

/// The entries of the map at `path` (dotted, through structs) in `row`, in stored order;
/// `None` for a NULL map or a NULL parent.
pub fn map_entries(
    batch: &RecordBatch,
    path: &str,
    row: usize,
) -> Option<Vec<(String, Option<String>)>> {
    let mut segments = path.split('.');
    let mut column = batch
        .column_by_name(segments.next().unwrap())
        .unwrap()
        .clone();
    for segment in segments {
        if column.is_null(row) {
            return None;
        }
        column = column.as_struct().column_by_name(segment).unwrap().clone();
    }
    if column.is_null(row) {
        return None;
    }
    let map: &MapArray = column.as_map();
    let entries = map.value(row);
    let keys = entries.column(0).as_string::<i32>();
    let values = entries.column(1).as_string::<i32>();
    Some(
        (0..entries.len())
            .map(|index| {
                let value = (!values.is_null(index)).then(|| values.value(index).to_owned());
                (keys.value(index).to_owned(), value)
            })
            .collect(),
    )
}

/// Shorthand for expected map entries.
pub fn entries(pairs: &[(&str, Option<&str>)]) -> Option<Vec<(String, Option<String>)>> {
    Some(
        pairs
            .iter()
            .map(|(key, value)| ((*key).to_owned(), value.map(str::to_owned)))
            .collect(),
    )
}
