//! Parquet in and out of memory, and the row operations compaction and retention need.

use std::collections::HashSet;

use arrow::array::{Array, AsArray, RecordBatch, TimestampMillisecondArray};
use arrow::compute;
use arrow::datatypes::TimestampMillisecondType;
use bytes::Bytes;
use opentrail_columnar::ParquetOptions;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;

use crate::error::{Error, Result};

/// An encoded Parquet file and what the manifest records of it.
#[derive(Debug)]
pub(crate) struct Encoded {
    pub(crate) body: Vec<u8>,
    pub(crate) rows: u64,
    pub(crate) min_ms: i64,
    pub(crate) max_ms: i64,
}

pub(crate) fn encode(batches: &[RecordBatch], options: &ParquetOptions) -> Result<Encoded> {
    let mut body = Vec::new();
    let summary = opentrail_columnar::write_parquet(batches, &mut body, options);
    encoded(body, summary)
}

/// `bodies` (files of one store) merged into one; see `opentrail_columnar::merge_parquet`.
pub(crate) fn merge(bodies: &[Bytes], options: &ParquetOptions) -> Result<Encoded> {
    let mut body = Vec::with_capacity(bodies.iter().map(Bytes::len).sum());
    let summary = opentrail_columnar::merge_parquet(bodies, &mut body, options);
    encoded(body, summary)
}

fn encoded(
    body: Vec<u8>,
    summary: opentrail_columnar::Result<opentrail_columnar::FileSummary>,
) -> Result<Encoded> {
    let summary = summary.map_err(|error| Error::Parquet(error.to_string()))?;
    Ok(Encoded {
        body,
        rows: summary.rows,
        min_ms: summary.min_event_time_ms.unwrap_or(0),
        max_ms: summary.max_event_time_ms.unwrap_or(0),
    })
}

pub(crate) fn decode(body: Bytes) -> Result<Vec<RecordBatch>> {
    let reader = ParquetRecordBatchReaderBuilder::try_new(body)
        .and_then(|builder| builder.with_batch_size(65_536).build())
        .map_err(|error| Error::Parquet(error.to_string()))?;
    let mut batches = Vec::new();
    for batch in reader {
        batches.push(batch.map_err(|error| Error::Parquet(error.to_string()))?);
    }
    Ok(batches)
}

fn event_times(batch: &RecordBatch) -> Result<&TimestampMillisecondArray> {
    batch
        .column_by_name("eventtime")
        .and_then(|column| column.as_primitive_opt::<TimestampMillisecondType>())
        .ok_or_else(|| Error::Parquet("the batch has no millisecond `eventtime` column".into()))
}

/// The rows of `batches` whose `eventtime` is at or after `cutoff_ms`, as one batch.
pub(crate) fn keep_from(batches: &[RecordBatch], cutoff_ms: i64) -> Result<RecordBatch> {
    let Some(first) = batches.first() else {
        return Err(Error::Parquet("nothing to filter".into()));
    };
    let all = compute::concat_batches(&first.schema(), batches)
        .map_err(|error| Error::Parquet(error.to_string()))?;
    let times = event_times(&all)?;
    let keep: arrow::array::BooleanArray = times
        .iter()
        .map(|time| Some(time.is_some_and(|time| time >= cutoff_ms)))
        .collect();
    compute::filter_record_batch(&all, &keep).map_err(|error| Error::Parquet(error.to_string()))
}

/// Adds the deduplication key of every row of the Parquet file `body` to `keys`, reading
/// only the `eventid` and `recipientaccountid` columns.
pub(crate) fn collect_keys(body: Bytes, keys: &mut HashSet<u64>) -> Result<()> {
    let builder = ParquetRecordBatchReaderBuilder::try_new(body)
        .map_err(|error| Error::Parquet(error.to_string()))?;
    let schema = builder.parquet_schema();
    let mut wanted = Vec::new();
    for (index, column) in schema.columns().iter().enumerate() {
        let path = column.path().string();
        if path == "eventid" || path == "recipientaccountid" {
            wanted.push(index);
        }
    }
    let mask = ProjectionMask::leaves(schema, wanted);
    let reader = builder
        .with_projection(mask)
        .build()
        .map_err(|error| Error::Parquet(error.to_string()))?;
    for batch in reader {
        let batch = batch.map_err(|error| Error::Parquet(error.to_string()))?;
        let ids = batch
            .column_by_name("eventid")
            .and_then(|column| column.as_string_opt::<i32>());
        let accounts = batch
            .column_by_name("recipientaccountid")
            .and_then(|column| column.as_string_opt::<i32>());
        let Some(ids) = ids else {
            return Err(Error::Parquet("the file has no `eventid` column".into()));
        };
        for row in 0..batch.num_rows() {
            let id = if ids.is_null(row) { "" } else { ids.value(row) };
            let account = match accounts {
                Some(accounts) if !accounts.is_null(row) => accounts.value(row),
                _ => "",
            };
            keys.insert(opentrail_columnar::dedupe_key(id, account));
        }
    }
    Ok(())
}
