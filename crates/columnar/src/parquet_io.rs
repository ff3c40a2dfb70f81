//! Parquet files of one table: writing with the options Lake scans want, reading back the
//! facts the storage layer keeps.

use std::io::Write;

use arrow::array::{Array, AsArray, RecordBatch};
use arrow::datatypes::TimestampMillisecondType;
use bytes::Bytes;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::arrow::arrow_writer::ArrowWriter;
use parquet::basic::{Compression, ZstdLevel};
use parquet::file::metadata::{KeyValue, ParquetMetaData};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::schema::types::ColumnPath;

use crate::TableKind;
use crate::error::{Error, Result};
use crate::rows::dedupe_key;

/// Key-value metadata key: version of this crate's file layout (`1`).
pub const META_FORMAT_VERSION: &str = "opentrail.columnar.version";
/// Key-value metadata key: the table kind (`CloudTrail`, `Insights`, `ActivityAuditLog`).
pub const META_TABLE_KIND: &str = "opentrail.table_kind";
/// Key-value metadata key: number of rows in the file, decimal.
pub const META_ROWS: &str = "opentrail.rows";
/// Key-value metadata key: smallest `eventtime`, epoch milliseconds, decimal; absent when the
/// file has no rows.
pub const META_MIN_EVENT_TIME_MS: &str = "opentrail.min_event_time_ms";
/// Key-value metadata key: largest `eventtime`, epoch milliseconds, decimal; absent when the
/// file has no rows.
pub const META_MAX_EVENT_TIME_MS: &str = "opentrail.max_event_time_ms";
/// The file layout version written in [`META_FORMAT_VERSION`].
pub const FORMAT_VERSION: &str = "1";

/// How [`write_parquet`] lays out a file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParquetOptions {
    /// Rows per row group; at least 1. Default 131,072 (128 k): large enough that a scan
    /// reads long column chunks, small enough that `eventtime` statistics prune usefully.
    pub row_group_rows: usize,
    /// zstd compression level, 1–22. Default 1: a store's writer encodes every row as it
    /// arrives, and level 1 compresses about twice as fast as zstd's own default (3) for
    /// files a few percent larger; reading either costs the same.
    pub zstd_level: i32,
    /// Whether to write a bloom filter for `eventid` (point lookups by event ID). Default
    /// `false`: it costs about 1 byte per row per file and scans do not use it.
    pub event_id_bloom_filter: bool,
}

impl Default for ParquetOptions {
    fn default() -> Self {
        ParquetOptions {
            row_group_rows: 128 * 1024,
            zstd_level: 1,
            event_id_bloom_filter: false,
        }
    }
}

/// What [`write_parquet`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileSummary {
    /// Rows in the file.
    pub rows: u64,
    /// Size of the file in bytes.
    pub bytes: u64,
    /// Smallest `eventtime` (epoch milliseconds, UTC); `None` for a file without rows.
    pub min_event_time_ms: Option<i64>,
    /// Largest `eventtime` (epoch milliseconds, UTC); `None` for a file without rows.
    pub max_event_time_ms: Option<i64>,
}

/// Writes `batches` (all of one schema, normally one [`crate::schema()`]) as one Parquet file.
///
/// Layout: zstd on every column; statistics per page with the column and offset indexes
/// (the page index) so readers prune by `eventtime`; no statistics on `eventjson` (its
/// min/max are useless and large); no dictionary for the unique-per-row columns `eventjson`,
/// `eventjsonchecksum` and `eventid`; row groups of [`ParquetOptions::row_group_rows`]; the
/// Arrow schema embedded (so map and timestamp types read back exactly). The footer's
/// key-value metadata holds [`META_FORMAT_VERSION`], [`META_TABLE_KIND`] (when the schema is
/// one of [`crate::schema()`]), [`META_ROWS`], [`META_MIN_EVENT_TIME_MS`] and
/// [`META_MAX_EVENT_TIME_MS`] (the last two only when there are rows).
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when `batches` is empty, the
/// batches differ in schema, there is no `eventtime` timestamp column, or an option is out
/// of range; [`ErrorKind::Parquet`](crate::ErrorKind::Parquet) when writing fails.
pub fn write_parquet<W: Write + Send>(
    batches: &[RecordBatch],
    writer: W,
    options: &ParquetOptions,
) -> Result<FileSummary> {
    let Some(first) = batches.first() else {
        return Err(Error::InvalidInput(String::from(
            "no batches to write: a file needs at least one (it may be empty)",
        )));
    };
    let schema = first.schema();
    if batches.iter().any(|batch| batch.schema() != schema) {
        return Err(Error::InvalidInput(String::from(
            "the batches to write differ in schema",
        )));
    }
    let mut rows: u64 = 0;
    let mut range: Option<(i64, i64)> = None;
    for batch in batches {
        rows += batch.num_rows() as u64;
        let column = batch.column_by_name("eventtime").ok_or_else(|| {
            Error::InvalidInput(String::from("the batches have no `eventtime` column"))
        })?;
        let times = column
            .as_primitive_opt::<TimestampMillisecondType>()
            .ok_or_else(|| {
                Error::InvalidInput(String::from(
                    "`eventtime` is not a millisecond timestamp column",
                ))
            })?;
        for time in times.iter().flatten() {
            range = Some(match range {
                None => (time, time),
                Some((low, high)) => (low.min(time), high.max(time)),
            });
        }
    }

    let properties = writer_properties(options, &schema, rows, range)?;
    let mut file =
        ArrowWriter::try_new(writer, schema, Some(properties)).map_err(Error::parquet("write"))?;
    for batch in batches {
        file.write(batch).map_err(Error::parquet("write"))?;
    }
    // `finish` writes the footer and flushes down to `writer`; nothing is left to hand back.
    file.finish().map_err(Error::parquet("write"))?;
    let bytes = file.bytes_written() as u64;
    Ok(FileSummary {
        rows,
        bytes,
        min_event_time_ms: range.map(|(low, _)| low),
        max_event_time_ms: range.map(|(_, high)| high),
    })
}

/// The writer properties of every file of this crate's layout (see [`write_parquet`]),
/// with the footer metadata of a file of `rows` rows whose `eventtime`s span `range`.
pub(crate) fn writer_properties(
    options: &ParquetOptions,
    schema: &arrow::datatypes::Schema,
    rows: u64,
    range: Option<(i64, i64)>,
) -> Result<WriterProperties> {
    if options.row_group_rows == 0 {
        return Err(Error::InvalidInput(String::from(
            "`row_group_rows` must be at least 1",
        )));
    }
    let level = ZstdLevel::try_new(options.zstd_level).map_err(|_| {
        Error::InvalidInput(format!(
            "zstd level `{}` is outside 1–22",
            options.zstd_level
        ))
    })?;

    let mut properties = WriterProperties::builder()
        .set_compression(Compression::ZSTD(level))
        .set_statistics_enabled(EnabledStatistics::Page)
        .set_max_row_group_row_count(Some(options.row_group_rows))
        .set_column_statistics_enabled(ColumnPath::from("eventjson"), EnabledStatistics::None);
    for unique in ["eventjson", "eventjsonchecksum", "eventid"] {
        properties = properties.set_column_dictionary_enabled(ColumnPath::from(unique), false);
    }
    if options.event_id_bloom_filter {
        properties = properties.set_column_bloom_filter_enabled(ColumnPath::from("eventid"), true);
    }
    let mut metadata = vec![
        KeyValue::new(META_FORMAT_VERSION.to_owned(), FORMAT_VERSION.to_owned()),
        KeyValue::new(META_ROWS.to_owned(), rows.to_string()),
    ];
    if let Some(kind) = TableKind::of_schema(schema) {
        metadata.push(KeyValue::new(
            META_TABLE_KIND.to_owned(),
            kind.name().to_owned(),
        ));
    }
    if let Some((low, high)) = range {
        metadata.push(KeyValue::new(
            META_MIN_EVENT_TIME_MS.to_owned(),
            low.to_string(),
        ));
        metadata.push(KeyValue::new(
            META_MAX_EVENT_TIME_MS.to_owned(),
            high.to_string(),
        ));
    }
    Ok(properties.set_key_value_metadata(Some(metadata)).build())
}

/// Returns the [`FileSummary`] recorded in the footer of a file [`write_parquet`] wrote.
///
/// # Errors
///
/// [`ErrorKind::Parquet`](crate::ErrorKind::Parquet) when the footer cannot be read;
/// [`ErrorKind::NotOurFile`](crate::ErrorKind::NotOurFile) when the metadata keys are
/// missing or malformed.
pub fn read_file_summary(file: Bytes) -> Result<FileSummary> {
    let bytes = file.len() as u64;
    let reader = SerializedFileReader::new(file).map_err(Error::parquet("read"))?;
    summary_of(reader.metadata(), bytes)
}

/// The [`FileSummary`] in the footer `metadata` of a file of `bytes` bytes.
pub(crate) fn summary_of(metadata: &ParquetMetaData, bytes: u64) -> Result<FileSummary> {
    let entries = metadata
        .file_metadata()
        .key_value_metadata()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let lookup = |key: &str| {
        entries
            .iter()
            .find(|entry| entry.key == key)
            .and_then(|entry| entry.value.as_deref())
    };
    let number = |key: &str| -> Result<Option<i64>> {
        match lookup(key) {
            None => Ok(None),
            Some(text) => text.parse::<i64>().map(Some).map_err(|_| {
                Error::NotOurFile(format!("metadata `{key}` holds `{text}`, not a number"))
            }),
        }
    };
    let rows = number(META_ROWS)?
        .and_then(|rows| u64::try_from(rows).ok())
        .ok_or_else(|| Error::NotOurFile(format!("metadata `{META_ROWS}` is missing")))?;
    Ok(FileSummary {
        rows,
        bytes,
        min_event_time_ms: number(META_MIN_EVENT_TIME_MS)?,
        max_event_time_ms: number(META_MAX_EVENT_TIME_MS)?,
    })
}

/// Returns the dedupe keys ([`dedupe_key`]) of every row of a file, in row order.
///
/// Only the `eventid` and `recipientaccountid` columns are read and decoded.
///
/// # Errors
///
/// [`ErrorKind::Parquet`](crate::ErrorKind::Parquet) when the file cannot be read;
/// [`ErrorKind::NotOurFile`](crate::ErrorKind::NotOurFile) when either column is missing or
/// not a string column.
pub fn read_keys(file: Bytes) -> Result<Vec<u64>> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).map_err(Error::parquet("read"))?;
    let mask = ProjectionMask::columns(builder.parquet_schema(), ["eventid", "recipientaccountid"]);
    let reader = builder
        .with_projection(mask)
        .build()
        .map_err(Error::parquet("read"))?;
    let mut keys = Vec::new();
    for batch in reader {
        let batch = batch.map_err(|source| Error::ReadBatches { source })?;
        let event_ids = string_column(&batch, "eventid")?;
        let accounts = string_column(&batch, "recipientaccountid")?;
        keys.reserve(batch.num_rows());
        for row in 0..batch.num_rows() {
            let event_id = if event_ids.is_null(row) {
                ""
            } else {
                event_ids.value(row)
            };
            let account = if accounts.is_null(row) {
                ""
            } else {
                accounts.value(row)
            };
            keys.push(dedupe_key(event_id, account));
        }
    }
    Ok(keys)
}

fn string_column<'b>(batch: &'b RecordBatch, name: &str) -> Result<&'b arrow::array::StringArray> {
    batch
        .column_by_name(name)
        .and_then(|column| column.as_string_opt::<i32>())
        .ok_or_else(|| Error::NotOurFile(format!("no `{name}` string column")))
}
