//! [`merge_parquet`]: several files of this crate's layout into one, mostly without
//! decoding them.
//!
//! Compaction runs beside ingest for as long as a store lives, so what it costs per row
//! decides whether a store keeps up with the journal: decoding and encoding every row of
//! every level again would cost as much as writing it did, once per level. Row groups of
//! a useful size therefore move into the new file as they are (their compressed pages,
//! statistics and page index copied, only their offsets moved); only row groups too small
//! to scan well are decoded, joined in `eventtime` order and encoded again.

use std::io::Write;
use std::sync::Arc;

use arrow::array::{AsArray, RecordBatch};
use arrow::compute;
use arrow::datatypes::{SchemaRef, TimestampMillisecondType};
use bytes::Bytes;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder,
};
use parquet::arrow::arrow_writer::{ArrowRowGroupWriterFactory, ArrowWriter, compute_leaves};
use parquet::column::writer::ColumnCloseResult;
use parquet::file::metadata::{PageIndexPolicy, ParquetMetaData, ParquetMetaDataReader};
use parquet::file::writer::SerializedFileWriter;

use crate::error::{Error, Result};
use crate::parquet_io::{FileSummary, ParquetOptions, summary_of, writer_properties};

/// One input: its bytes, and its footer (page index included) with the Arrow schema the
/// writer embedded, which gives the exact types back (maps, timestamps).
struct Input {
    body: Bytes,
    reader: ArrowReaderMetadata,
}

impl Input {
    fn metadata(&self) -> &ParquetMetaData {
        self.reader.metadata()
    }
}

/// Merges `files` (Parquet files [`write_parquet`](crate::write_parquet) or this function
/// wrote, all of one schema) into one file written to `writer`, and returns its summary.
///
/// Every row of the inputs is in the output, once. A row group of at least a quarter of
/// [`ParquetOptions::row_group_rows`] is copied as it is encoded; runs of smaller ones are
/// decoded, ordered by `eventtime` and encoded again into row groups of up to
/// `row_group_rows`. The footer holds the layout's metadata (see
/// [`write_parquet`](crate::write_parquet)) for the merged rows.
///
/// # Errors
///
/// [`ErrorKind::InvalidInput`](crate::ErrorKind::InvalidInput) when `files` is empty or the
/// files differ in schema; [`ErrorKind::NotOurFile`](crate::ErrorKind::NotOurFile) when a
/// file lacks this crate's metadata; [`ErrorKind::Parquet`](crate::ErrorKind::Parquet) when
/// reading or writing fails.
pub fn merge_parquet<W: Write + Send>(
    files: &[Bytes],
    writer: W,
    options: &ParquetOptions,
) -> Result<FileSummary> {
    let inputs = files
        .iter()
        .map(|body| {
            let metadata = ParquetMetaDataReader::new()
                .with_page_index_policy(PageIndexPolicy::Optional)
                .parse_and_finish(body)
                .map_err(Error::parquet("read"))?;
            let reader =
                ArrowReaderMetadata::try_new(Arc::new(metadata), ArrowReaderOptions::new())
                    .map_err(Error::parquet("read"))?;
            Ok(Input {
                body: body.clone(),
                reader,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let Some(first) = inputs.first() else {
        return Err(Error::InvalidInput(String::from(
            "no files to merge: at least one is needed",
        )));
    };
    let schema = first.reader.schema().clone();
    let parquet_schema = first.metadata().file_metadata().schema_descr_ptr();
    let mut rows = 0_u64;
    let mut range: Option<(i64, i64)> = None;
    for input in &inputs {
        if input
            .metadata()
            .file_metadata()
            .schema_descr_ptr()
            .root_schema()
            != parquet_schema.root_schema()
        {
            return Err(Error::InvalidInput(String::from(
                "the files to merge differ in schema",
            )));
        }
        let summary = summary_of(input.metadata(), input.body.len() as u64)?;
        rows += summary.rows;
        if let (Some(low), Some(high)) = (summary.min_event_time_ms, summary.max_event_time_ms) {
            range = Some(match range {
                None => (low, high),
                Some((min, max)) => (min.min(low), max.max(high)),
            });
        }
    }

    let properties = writer_properties(options, &schema, rows, range)?;
    let (mut file, factory) = ArrowWriter::try_new(writer, schema.clone(), Some(properties))
        .and_then(ArrowWriter::into_serialized_writer)
        .map_err(Error::parquet("write"))?;
    let copy_from = (options.row_group_rows / 4).max(1);
    let mut small = Small {
        schema,
        batches: Vec::new(),
        rows: 0,
        limit: options.row_group_rows,
    };
    for input in &inputs {
        for (index, group) in input.metadata().row_groups().iter().enumerate() {
            let group_rows = usize::try_from(group.num_rows()).unwrap_or(usize::MAX);
            if group_rows >= copy_from {
                small.write(&mut file, &factory)?;
                copy_row_group(&mut file, input, index)?;
            } else if group_rows > 0 {
                small.add(input, index)?;
                if small.rows >= small.limit {
                    small.write(&mut file, &factory)?;
                }
            }
        }
    }
    small.write(&mut file, &factory)?;
    file.finish().map_err(Error::parquet("write"))?;
    Ok(FileSummary {
        rows,
        bytes: file.bytes_written() as u64,
        min_event_time_ms: range.map(|(low, _)| low),
        max_event_time_ms: range.map(|(_, high)| high),
    })
}

/// Appends row group `index` of `input` to `file` as it is encoded.
fn copy_row_group<W: Write + Send>(
    file: &mut SerializedFileWriter<W>,
    input: &Input,
    index: usize,
) -> Result<()> {
    let metadata = input.metadata();
    let group = metadata.row_group(index);
    let column_indexes = metadata.column_index().and_then(|all| all.get(index));
    let offset_indexes = metadata.offset_index().and_then(|all| all.get(index));
    let mut out = file.next_row_group().map_err(Error::parquet("write"))?;
    for (column_number, column) in group.columns().iter().enumerate() {
        let close = ColumnCloseResult {
            bytes_written: u64::try_from(column.compressed_size()).unwrap_or(0),
            rows_written: u64::try_from(group.num_rows()).unwrap_or(0),
            metadata: column.clone(),
            // The layout writes bloom filters only on request, and a merged file is
            // scanned, not probed: they are not carried over.
            bloom_filter: None,
            column_index: column_indexes
                .and_then(|row| row.get(column_number))
                .cloned(),
            offset_index: offset_indexes
                .and_then(|row| row.get(column_number))
                .cloned(),
        };
        out.append_column(&input.body, close)
            .map_err(Error::parquet("write"))?;
    }
    out.close().map_err(Error::parquet("write"))?;
    Ok(())
}

/// Small row groups waiting to be joined into one.
struct Small {
    schema: SchemaRef,
    batches: Vec<RecordBatch>,
    rows: usize,
    limit: usize,
}

impl Small {
    /// Decodes row group `index` of `input` and keeps its rows.
    fn add(&mut self, input: &Input, index: usize) -> Result<()> {
        let reader = ParquetRecordBatchReaderBuilder::new_with_metadata(
            input.body.clone(),
            input.reader.clone(),
        )
        .with_row_groups(vec![index])
        .with_batch_size(self.limit)
        .build()
        .map_err(Error::parquet("read"))?;
        for batch in reader {
            let batch = batch.map_err(|source| Error::ReadBatches { source })?;
            self.rows += batch.num_rows();
            self.batches.push(batch);
        }
        Ok(())
    }

    /// Writes the kept rows, in `eventtime` order, as row groups of up to `limit` rows.
    fn write<W: Write + Send>(
        &mut self,
        file: &mut SerializedFileWriter<W>,
        factory: &ArrowRowGroupWriterFactory,
    ) -> Result<()> {
        if self.batches.is_empty() {
            return Ok(());
        }
        let all =
            compute::concat_batches(&self.schema, &self.batches).map_err(Error::arrow("merge"))?;
        self.batches.clear();
        self.rows = 0;
        let times = all
            .column_by_name("eventtime")
            .and_then(|column| column.as_primitive_opt::<TimestampMillisecondType>())
            .ok_or_else(|| Error::NotOurFile(String::from("no millisecond `eventtime` column")))?;
        let order = compute::sort_to_indices(times, None, None).map_err(Error::arrow("merge"))?;
        let sorted = compute::take_record_batch(&all, &order).map_err(Error::arrow("merge"))?;
        let mut offset = 0;
        while offset < sorted.num_rows() {
            let length = self.limit.min(sorted.num_rows() - offset);
            let part = sorted.slice(offset, length);
            offset += length;
            let index = file.flushed_row_groups().len();
            let mut writers = factory
                .create_column_writers(index)
                .map_err(Error::parquet("write"))?;
            let mut next = writers.iter_mut();
            for (field, column) in self.schema.fields().iter().zip(part.columns()) {
                for leaf in compute_leaves(field, column).map_err(Error::parquet("write"))? {
                    let Some(writer) = next.next() else {
                        return Err(Error::Internal(String::from(
                            "more leaf columns than column writers",
                        )));
                    };
                    writer.write(&leaf).map_err(Error::parquet("write"))?;
                }
            }
            let mut group = file.next_row_group().map_err(Error::parquet("write"))?;
            for writer in writers {
                writer
                    .close()
                    .and_then(|chunk| chunk.append_to_row_group(&mut group))
                    .map_err(Error::parquet("write"))?;
            }
            group.close().map_err(Error::parquet("write"))?;
        }
        Ok(())
    }
}
