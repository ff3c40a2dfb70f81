//! Merging files: big row groups copied as encoded, small ones joined, every row kept.

use arrow::array::{AsArray, RecordBatch};
use arrow::datatypes::TimestampMillisecondType;
use bytes::Bytes;
use opentrail_columnar::{
    ErrorKind, META_ROWS, ParquetOptions, RowsBuilder, TableKind, merge_parquet, read_file_summary,
    read_keys, write_parquet,
};
use parquet::arrow::arrow_reader::{ArrowReaderOptions, ParquetRecordBatchReaderBuilder};
use parquet::file::metadata::{PageIndexPolicy, ParquetMetaData};

use crate::parquet_files::{fixture_batch, read_back};

fn write(batch: &RecordBatch, options: &ParquetOptions) -> Bytes {
    let mut file = Vec::new();
    write_parquet(std::slice::from_ref(batch), &mut file, options).unwrap();
    Bytes::from(file)
}

fn metadata(file: &Bytes) -> std::sync::Arc<ParquetMetaData> {
    ParquetRecordBatchReaderBuilder::try_new_with_options(
        file.clone(),
        ArrowReaderOptions::new().with_page_index_policy(PageIndexPolicy::Required),
    )
    .unwrap()
    .metadata()
    .clone()
}

fn event_times(batches: &[RecordBatch]) -> Vec<i64> {
    batches
        .iter()
        .flat_map(|batch| {
            batch
                .column_by_name("eventtime")
                .unwrap()
                .as_primitive::<TimestampMillisecondType>()
                .values()
                .to_vec()
        })
        .collect()
}

#[test]
fn big_row_groups_are_copied_small_ones_joined_in_time_order_and_every_row_kept() {
    let (batch, _) = fixture_batch();
    let options = ParquetOptions {
        row_group_rows: 40,
        ..ParquetOptions::default()
    };
    // Two files of full row groups (40 rows each, copied), and three of a few rows each
    // (under a quarter of 40, joined), newest first so that the join's sort shows.
    let big_a = write(&batch.slice(0, 80), &options);
    let big_b = write(&batch.slice(80, 80), &options);
    let smalls = [
        write(&batch.slice(250, 9), &options),
        write(&batch.slice(240, 9), &options),
        write(&batch.slice(230, 9), &options),
    ];
    let inputs = [
        smalls[0].clone(),
        big_a.clone(),
        smalls[1].clone(),
        smalls[2].clone(),
        big_b.clone(),
    ];
    let mut merged = Vec::new();
    let summary = merge_parquet(&inputs, &mut merged, &options).unwrap();
    let merged = Bytes::from(merged);
    assert_eq!(summary.rows, 80 + 80 + 27);
    assert_eq!(read_file_summary(merged.clone()).unwrap(), summary);

    // Every row, with its Arrow types (maps, timestamps) as written.
    let back = read_back(&merged);
    let mut expected_keys: Vec<u64> = inputs
        .iter()
        .flat_map(|file| read_keys(file.clone()).unwrap())
        .collect();
    let mut keys = read_keys(merged.clone()).unwrap();
    expected_keys.sort_unstable();
    keys.sort_unstable();
    assert_eq!(keys, expected_keys);
    assert!(back.iter().all(|part| part.schema() == batch.schema()));

    // Row groups: the first small file's 9 rows are written when the first big group
    // arrives; then a's two groups, copied byte for byte; then the other two small files
    // joined in eventtime order; then b's two groups.
    let merged_meta = metadata(&merged);
    let rows: Vec<i64> = merged_meta
        .row_groups()
        .iter()
        .map(|group| group.num_rows())
        .collect();
    assert_eq!(rows, [9, 40, 40, 18, 40, 40]);
    let a_meta = metadata(&big_a);
    for (merged_group, input_group) in [(1, 0), (2, 1)] {
        let out = merged_meta.row_group(merged_group);
        let input = a_meta.row_group(input_group);
        for (column, original) in out.columns().iter().zip(input.columns()) {
            assert_eq!(column.compressed_size(), original.compressed_size());
            assert_eq!(column.statistics(), original.statistics());
        }
    }
    let joined = &back_groups(&merged)[3];
    let times = event_times(std::slice::from_ref(joined));
    let mut sorted = times.clone();
    sorted.sort_unstable();
    assert_eq!(
        times, sorted,
        "joined small row groups are in eventtime order"
    );
    assert!(merged_meta.column_index().is_some());
    assert!(merged_meta.offset_index().is_some());
    let rows_meta = merged_meta
        .file_metadata()
        .key_value_metadata()
        .unwrap()
        .iter()
        .find(|entry| entry.key == META_ROWS)
        .and_then(|entry| entry.value.clone());
    assert_eq!(rows_meta.as_deref(), Some("187"));

    // A merged file merges again (the next compaction level) and stays readable.
    let mut again = Vec::new();
    let summary_again = merge_parquet(
        &[merged.clone(), write(&batch.slice(160, 40), &options)],
        &mut again,
        &options,
    )
    .unwrap();
    assert_eq!(summary_again.rows, 227);
    assert_eq!(
        read_back(&again)
            .iter()
            .map(RecordBatch::num_rows)
            .sum::<usize>(),
        227
    );
}

/// The row groups of `file`, one batch each.
fn back_groups(file: &Bytes) -> Vec<RecordBatch> {
    let groups = metadata(file).num_row_groups();
    (0..groups)
        .map(|index| {
            let parts: Vec<RecordBatch> = ParquetRecordBatchReaderBuilder::try_new(file.clone())
                .unwrap()
                .with_row_groups(vec![index])
                .build()
                .unwrap()
                .map(Result::unwrap)
                .collect();
            arrow::compute::concat_batches(&parts[0].schema(), &parts).unwrap()
        })
        .collect()
}

#[test]
fn nothing_to_merge_and_mixed_schemas_are_refused() {
    let options = ParquetOptions::default();
    let error = merge_parquet(&[], Vec::new(), &options).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);

    let (batch, _) = fixture_batch();
    let mut insights = RowsBuilder::new(TableKind::Insights);
    insights
        .push(br#"{"eventVersion":"1.08","eventTime":"2026-03-05T02:14:00Z","eventID":"e","eventType":"AwsCloudTrailInsight","recipientAccountId":"111122223333","insightDetails":{"state":"Start"},"eventCategory":"Insight"}"#)
        .unwrap();
    let other = write(&insights.finish().unwrap(), &options);
    let error = merge_parquet(&[write(&batch, &options), other], Vec::new(), &options).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidInput);
    assert!(error.to_string().contains("differ in schema"), "{error}");
}
