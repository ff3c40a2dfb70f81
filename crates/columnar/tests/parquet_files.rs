//! Parquet files: round trip, layout, footer metadata, dedupe keys.

use arrow::array::RecordBatch;
use bytes::Bytes;
use opentrail_columnar::{
    ErrorKind, FileSummary, META_MAX_EVENT_TIME_MS, META_MIN_EVENT_TIME_MS, META_ROWS,
    META_TABLE_KIND, ParquetOptions, RowFacts, RowsBuilder, TableKind, read_file_summary,
    read_keys, write_parquet,
};
use parquet::arrow::arrow_reader::{ArrowReaderOptions, ParquetRecordBatchReaderBuilder};
use parquet::basic::Compression;
use parquet::file::metadata::PageIndexPolicy;

use crate::support::testdata_records;

/// Rows of every copied fixture plus synthetic records, as (batch, facts).
pub(crate) fn fixture_batch() -> (RecordBatch, Vec<RowFacts>) {
    let mut rows = RowsBuilder::new(TableKind::CloudTrail);
    for name in [
        "218007301253_CloudTrail_us-east-1_20230710T1225Z_4iD2boYSOwmb6sWd.json",
        "aws.execution.ec2-launch-unusual-instances.json",
        "cloudtrail-log-file-examples--block05.json",
    ] {
        for record in testdata_records(name) {
            rows.push(record.as_bytes()).unwrap();
        }
    }
    for index in 0..250 {
        let record = format!(
            r#"{{"eventTime":"2026-01-22T16:{:02}:{:02}Z","eventID":"id-{index}","recipientAccountId":"111122223333",
                "requestParameters":{{"n":{index}}},"resources":[{{"ARN":"arn:aws:s3:::b/{index}"}}]}}"#,
            index / 60,
            index % 60
        );
        rows.push(record.as_bytes()).unwrap();
    }
    rows.finish_with_facts().unwrap()
}

pub(crate) fn read_back(file: &[u8]) -> Vec<RecordBatch> {
    ParquetRecordBatchReaderBuilder::try_new(Bytes::copy_from_slice(file))
        .unwrap()
        .build()
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn a_written_file_reads_back_equal_for_every_kind() {
    let (batch, facts) = fixture_batch();
    let mut file = Vec::new();
    let summary = write_parquet(
        std::slice::from_ref(&batch),
        &mut file,
        &ParquetOptions::default(),
    )
    .unwrap();
    let back = arrow::compute::concat_batches(&batch.schema(), &read_back(&file)).unwrap();
    assert_eq!(back, batch);
    let times: Vec<i64> = facts.iter().map(|fact| fact.event_time_ms).collect();
    assert_eq!(
        summary,
        FileSummary {
            rows: batch.num_rows() as u64,
            bytes: file.len() as u64,
            min_event_time_ms: times.iter().min().copied(),
            max_event_time_ms: times.iter().max().copied(),
        }
    );
    assert_eq!(
        read_file_summary(Bytes::from(file.clone())).unwrap(),
        summary
    );
    let keys: Vec<u64> = facts.iter().map(|fact| fact.dedupe_key).collect();
    assert_eq!(read_keys(Bytes::from(file)).unwrap(), keys);

    for kind in [TableKind::Insights, TableKind::ActivityAuditLog] {
        let mut rows = RowsBuilder::new(kind);
        let names: &[&str] = match kind {
            TableKind::Insights => &["insight-start", "insight-end"],
            _ => &["activity"],
        };
        for name in names {
            let text =
                std::fs::read_to_string(crate::support::testdata(&format!("spec/{name}.json")))
                    .unwrap();
            rows.push(text.as_bytes()).unwrap();
        }
        rows.push(br#"{"eventTime":"2026-01-01T00:00:00Z"}"#)
            .unwrap();
        let (batch, facts) = rows.finish_with_facts().unwrap();
        let mut file = Vec::new();
        write_parquet(
            std::slice::from_ref(&batch),
            &mut file,
            &ParquetOptions::default(),
        )
        .unwrap();
        let back = arrow::compute::concat_batches(&batch.schema(), &read_back(&file)).unwrap();
        assert_eq!(back, batch, "{kind:?}");
        let keys: Vec<u64> = facts.iter().map(|fact| fact.dedupe_key).collect();
        assert_eq!(read_keys(Bytes::from(file)).unwrap(), keys, "{kind:?}");
    }
}

#[test]
fn files_are_zstd_with_statistics_page_index_row_groups_and_metadata() {
    let (batch, _) = fixture_batch();
    let options = ParquetOptions {
        row_group_rows: 100,
        ..ParquetOptions::default()
    };
    let mut file = Vec::new();
    let summary = write_parquet(std::slice::from_ref(&batch), &mut file, &options).unwrap();
    let reader = ParquetRecordBatchReaderBuilder::try_new_with_options(
        Bytes::from(file),
        ArrowReaderOptions::new().with_page_index_policy(PageIndexPolicy::Required),
    )
    .unwrap();
    let metadata = reader.metadata();
    let expected_groups = batch.num_rows().div_ceil(100);
    assert_eq!(metadata.num_row_groups(), expected_groups);
    let schema = metadata.file_metadata().schema_descr();
    let event_time = (0..schema.num_columns())
        .find(|index| schema.column(*index).path().string() == "eventtime")
        .unwrap();
    let event_json = (0..schema.num_columns())
        .find(|index| schema.column(*index).path().string() == "eventjson")
        .unwrap();
    for group in metadata.row_groups() {
        assert!(matches!(
            group.column(event_time).compression(),
            Compression::ZSTD(_)
        ));
        assert!(group.column(event_time).statistics().is_some());
        assert!(group.column(event_json).statistics().is_none());
    }
    assert!(
        metadata.column_index().is_some(),
        "column index (page index) missing"
    );
    assert!(metadata.offset_index().is_some(), "offset index missing");

    let key_values = metadata.file_metadata().key_value_metadata().unwrap();
    let value = |key: &str| {
        key_values
            .iter()
            .find(|entry| entry.key == key)
            .and_then(|entry| entry.value.clone())
    };
    assert_eq!(value(META_TABLE_KIND).as_deref(), Some("CloudTrail"));
    assert_eq!(value(META_ROWS), Some(batch.num_rows().to_string()));
    assert_eq!(
        value(META_MIN_EVENT_TIME_MS),
        summary.min_event_time_ms.map(|time| time.to_string())
    );
    assert_eq!(
        value(META_MAX_EVENT_TIME_MS),
        summary.max_event_time_ms.map(|time| time.to_string())
    );
}

#[test]
fn several_batches_and_empty_batches_write_one_file() {
    let (batch, _) = fixture_batch();
    let empty = RowsBuilder::new(TableKind::CloudTrail).finish().unwrap();
    let mut file = Vec::new();
    let summary = write_parquet(
        &[batch.slice(0, 10), empty.clone(), batch.slice(10, 5)],
        &mut file,
        &ParquetOptions::default(),
    )
    .unwrap();
    assert_eq!(summary.rows, 15);

    let mut file = Vec::new();
    let summary = write_parquet(&[empty], &mut file, &ParquetOptions::default()).unwrap();
    assert_eq!(
        (
            summary.rows,
            summary.min_event_time_ms,
            summary.max_event_time_ms
        ),
        (0, None, None)
    );
    assert_eq!(
        read_file_summary(Bytes::from(file.clone())).unwrap(),
        summary
    );
    assert!(read_keys(Bytes::from(file)).unwrap().is_empty());
}

#[test]
fn bloom_filter_on_eventid_is_optional() {
    let (batch, _) = fixture_batch();
    let mut plain = Vec::new();
    write_parquet(
        std::slice::from_ref(&batch),
        &mut plain,
        &ParquetOptions::default(),
    )
    .unwrap();
    let mut with_bloom = Vec::new();
    let options = ParquetOptions {
        event_id_bloom_filter: true,
        ..ParquetOptions::default()
    };
    write_parquet(&[batch], &mut with_bloom, &options).unwrap();
    let offset = |file: Vec<u8>| {
        let reader = ParquetRecordBatchReaderBuilder::try_new(Bytes::from(file)).unwrap();
        let metadata = reader.metadata();
        let schema = metadata.file_metadata().schema_descr();
        let event_id = (0..schema.num_columns())
            .find(|index| schema.column(*index).path().string() == "eventid")
            .unwrap();
        metadata.row_group(0).column(event_id).bloom_filter_offset()
    };
    assert_eq!(offset(plain), None);
    assert!(offset(with_bloom).is_some());
}

#[test]
fn bad_input_is_refused() {
    let (batch, _) = fixture_batch();
    let other = RowsBuilder::new(TableKind::Insights).finish().unwrap();
    let cases = [
        (Vec::new(), ParquetOptions::default()),
        (vec![batch.clone(), other], ParquetOptions::default()),
        (
            vec![batch.clone()],
            ParquetOptions {
                row_group_rows: 0,
                ..ParquetOptions::default()
            },
        ),
        (
            vec![batch],
            ParquetOptions {
                zstd_level: 99,
                ..ParquetOptions::default()
            },
        ),
    ];
    for (batches, options) in cases {
        let error = write_parquet(&batches, Vec::new(), &options).unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidInput, "{error}");
    }
    let error = read_file_summary(Bytes::from_static(b"not parquet")).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::Parquet);
}
