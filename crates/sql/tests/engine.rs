//! Engine behaviour outside `.slt`: pruning statistics, cancellation, limits.

use std::time::{Duration, Instant};

use opentrail_sql::{
    CancelFlag, EngineConfig, QueryOutput, SqlEngine, SqlError, SqlErrorKind, StoreTable,
    parse_statement,
};

use crate::support::{STORE_A, test_stores};

async fn engine_and_tables(config: EngineConfig) -> (SqlEngine, Vec<StoreTable>) {
    let (object_store, tables) = test_stores().await;
    (SqlEngine::new(config, object_store).unwrap(), tables)
}

async fn run(
    engine: &SqlEngine,
    tables: &[StoreTable],
    sql: &str,
    limit_bytes: usize,
) -> Result<QueryOutput, SqlError> {
    let checked = parse_statement(sql)?;
    engine
        .execute(&checked, tables, &CancelFlag::new(), limit_bytes)
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eventtime_predicates_prune_files_and_bytes() {
    let (engine, tables) = engine_and_tables(EngineConfig::default()).await;
    // The same columns are read with and without a time predicate.
    let columns = "SELECT eventid, eventtime, eventname FROM";
    let all = run(&engine, &tables, &format!("{columns} {STORE_A}"), 1 << 20)
        .await
        .unwrap();
    assert_eq!(all.stats.events_scanned, 7);
    assert_eq!(all.stats.events_matched, 7);
    assert!(all.stats.bytes_scanned > 0);

    for predicate in [
        "eventTime >= '2026-01-23 00:00:00'",
        "eventTime > '2026-01-22 23:59:59'",
        "'2026-01-23' <= eventTime",
        "eventTime BETWEEN '2026-01-23' AND '2026-02-01'",
        "eventTime >= TIMESTAMP '2026-01-23 00:00:00' AND eventName <> 'x'",
    ] {
        let pruned = run(
            &engine,
            &tables,
            &format!("{columns} {STORE_A} WHERE {predicate}"),
            1 << 20,
        )
        .await
        .unwrap();
        assert_eq!(pruned.rows.len(), 2, "{predicate}");
        // Only the 2026-01-23 file (two events) is read.
        assert_eq!(pruned.stats.events_scanned, 2, "{predicate}");
        assert_eq!(pruned.stats.events_matched, 2, "{predicate}");
        assert!(
            pruned.stats.bytes_scanned < all.stats.bytes_scanned,
            "{predicate}: {} !< {}",
            pruned.stats.bytes_scanned,
            all.stats.bytes_scanned
        );
    }

    let none = run(
        &engine,
        &tables,
        &format!("SELECT eventid FROM {STORE_A} WHERE eventTime > '2027-01-01'"),
        1 << 20,
    )
    .await
    .unwrap();
    assert_eq!(
        (none.stats.events_scanned, none.stats.bytes_scanned),
        (0, 0)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_matched_counts_rows_passing_the_where() {
    let (engine, tables) = engine_and_tables(EngineConfig::default()).await;
    let output = run(
        &engine,
        &tables,
        &format!("SELECT count(*) FROM {STORE_A} WHERE eventSource = 's3.amazonaws.com'"),
        1 << 20,
    )
    .await
    .unwrap();
    assert_eq!(output.rows, vec![vec![Some("3".to_owned())]]);
    assert_eq!(output.stats.events_scanned, 7);
    assert_eq!(output.stats.events_matched, 3);
}

/// A statement that runs for a long time: a cross join of the seven events
/// with themselves nine times (40 million rows).
fn slow_statement() -> String {
    let tables: Vec<String> = (0..9)
        .map(|index| format!("{STORE_A} AS t{index}"))
        .collect();
    format!("SELECT count(*) FROM {}", tables.join(", "))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancellation_stops_a_running_query_promptly() {
    let (engine, tables) = engine_and_tables(EngineConfig::default()).await;
    let checked = parse_statement(&slow_statement()).unwrap();
    let cancel = CancelFlag::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        trigger.cancel();
    });
    let started = Instant::now();
    let error = engine
        .execute(&checked, &tables, &cancel, 1 << 20)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), SqlErrorKind::Cancelled);
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cancelled_flag_stops_before_planning() {
    let (engine, tables) = engine_and_tables(EngineConfig::default()).await;
    let checked = parse_statement(&format!("SELECT * FROM {STORE_A}")).unwrap();
    let cancel = CancelFlag::new();
    cancel.cancel();
    let error = engine
        .execute(&checked, &tables, &cancel, 1 << 20)
        .await
        .unwrap_err();
    assert_eq!(error.kind(), SqlErrorKind::Cancelled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_larger_than_the_limit_fail_naming_the_limit() {
    let (engine, tables) = engine_and_tables(EngineConfig::default()).await;
    let sql = format!("SELECT * FROM {STORE_A}");
    let error = run(&engine, &tables, &sql, 1000).await.unwrap_err();
    assert_eq!(error.kind(), SqlErrorKind::ResourcesExceeded);
    assert_eq!(
        error.to_string(),
        "query results exceed the limit of 1000 bytes"
    );
    // The same query fits a larger limit.
    assert_eq!(
        run(&engine, &tables, &sql, 1 << 20)
            .await
            .unwrap()
            .rows
            .len(),
        7
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn execution_memory_is_bounded_by_the_pool() {
    let config = EngineConfig {
        memory_limit_bytes: 64 * 1024,
        ..EngineConfig::default()
    };
    let (engine, tables) = engine_and_tables(config).await;
    let tables_sql: Vec<String> = (0..5)
        .map(|index| format!("{STORE_A} AS t{index}"))
        .collect();
    let sql = format!(
        "SELECT t0.eventjson, t1.eventjson, t2.eventid, t3.eventid, t4.eventid FROM {} ORDER BY 1, 2, 3, 4, 5",
        tables_sql.join(", ")
    );
    let error = run(&engine, &tables, &sql, usize::MAX).await.unwrap_err();
    assert_eq!(error.kind(), SqlErrorKind::ResourcesExceeded, "{error}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stores_are_matched_case_insensitively_and_unknown_ones_refused() {
    let (engine, tables) = engine_and_tables(EngineConfig::default()).await;
    let lower = STORE_A.to_lowercase();
    let output = run(
        &engine,
        &tables,
        &format!("SELECT count(*) FROM {lower}"),
        1 << 20,
    )
    .await
    .unwrap();
    assert_eq!(output.rows, vec![vec![Some("7".to_owned())]]);
    let only_b: Vec<StoreTable> = tables
        .iter()
        .filter(|table| table.name != STORE_A)
        .cloned()
        .collect();
    let error = run(
        &engine,
        &only_b,
        &format!("SELECT 1 FROM {STORE_A}"),
        1 << 20,
    )
    .await
    .unwrap_err();
    assert_eq!(error.kind(), SqlErrorKind::InvalidQueryStatement);
    assert_eq!(
        error.to_string(),
        format!("unknown event data store `{STORE_A}`")
    );
}

/// Overwrites the last bytes of every file of `table` (the footer's length and magic),
/// keeping each file's size.
async fn break_footers(object_store: &dyn object_store::ObjectStore, table: &StoreTable) {
    use object_store::ObjectStoreExt;
    for file in &table.files {
        let mut bytes = object_store
            .get(&file.location)
            .await
            .unwrap()
            .bytes()
            .await
            .unwrap()
            .to_vec();
        let length = bytes.len();
        bytes[length - 8..].copy_from_slice(b"brokenXX");
        object_store
            .put(&file.location, object_store::PutPayload::from(bytes))
            .await
            .unwrap();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn footers_are_read_once_and_kept_for_later_queries() {
    let sql = format!("SELECT eventname, count(*) FROM {STORE_A} GROUP BY eventname");
    let (object_store, tables) = test_stores().await;
    let store_a = tables
        .iter()
        .find(|table| table.name == STORE_A)
        .unwrap()
        .clone();
    let engine = SqlEngine::new(EngineConfig::default(), object_store.clone()).unwrap();
    let uncached = SqlEngine::new(
        EngineConfig {
            metadata_cache_bytes: 0,
            ..EngineConfig::default()
        },
        object_store.clone(),
    )
    .unwrap();
    let first = run(&engine, &tables, &sql, 1 << 20).await.unwrap();
    run(&uncached, &tables, &sql, 1 << 20).await.unwrap();

    // Store files never change once written; were a footer read again, these ones
    // could not be read at all.
    break_footers(object_store.as_ref(), &store_a).await;
    let again = run(&engine, &tables, &sql, 1 << 20).await.unwrap();
    let mut first_rows = first.rows.clone();
    let mut again_rows = again.rows.clone();
    first_rows.sort();
    again_rows.sort();
    assert_eq!(again_rows, first_rows);
    assert_eq!(again.stats.events_scanned, first.stats.events_scanned);

    // An engine that keeps no footers reads them again, and fails on these files.
    let error = run(&uncached, &tables, &sql, 1 << 20).await.unwrap_err();
    assert_eq!(error.kind(), SqlErrorKind::Internal, "{error}");
}
