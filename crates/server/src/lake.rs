//! Lake in the server: the store registry's stores become running journal writers
//! (`opentrail-lakestore`), statements are checked and run by the SQL engine
//! (`opentrail-sql`) under the query lifecycle (`opentrail-queries`), and imports read
//! trail archives into stores (`opentrail-imports`).
//!
//! Lake has its own async runtime for bucket I/O and DataFusion, so that it works the same
//! under `opentrail serve` and in the commands that open a data directory directly
//! (`opentrail query`, `opentrail import --event-data-store`).

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::Duration;

use opentrail_api::ops::import_shapes::ImportLauncher;
use opentrail_api::ops::query_shapes::StatementChecker;
use opentrail_blob::ErrorKind as BlobErrorKind;
use opentrail_blob::{Bucket, BucketResolver};
use opentrail_columnar::TableKind;
use opentrail_imports::{
    Import, ImportLocation, ImportSink, Imports, RunOptions, RunnerHandle, SinkCounts, SinkError,
};
use opentrail_journal::Journal;
use opentrail_lake::{EventDataStoreStatus, Lake, StoreKind, StoreSnapshot};
use opentrail_lakestore::{
    Importer, LakeStorage, StorageOptions, StorageParts, StoreSpec, WriterConfig,
};
use opentrail_queries::{
    Cancel, DeliveryError, DeliveryStatus, DeliveryUri, ExecFailure, Executor, Job, Output,
    Queries, QueryLimits, ResultSink, Stats, StopReason,
};
use opentrail_selectors::{CompiledSelectors, SelectorConfig};
use opentrail_sql::{CancelFlag, EngineConfig, SqlEngine, SqlErrorKind, StoreFile, StoreTable};
use opentrail_types::{SharedClock, SharedIds};

use crate::config::Config;
use crate::error::{Error, Result};

/// The kind of table a store's kind is stored as.
pub fn table_kind(kind: StoreKind) -> TableKind {
    match kind {
        StoreKind::CloudTrailEvents => TableKind::CloudTrail,
        StoreKind::Insight => TableKind::Insights,
        StoreKind::ActivityAuditLog => TableKind::ActivityAuditLog,
    }
}

/// Everything Lake runs on besides the registry.
pub struct LakeSystem {
    registry: Arc<Lake>,
    storage: Arc<LakeStorage>,
    queries: Arc<Queries>,
    imports: Arc<Imports>,
    engine: Arc<SqlEngine>,
    resolver: Arc<BucketResolver>,
    /// Lake's own runtime; taken on drop and shut down without blocking, so that dropping
    /// the engine is safe anywhere (even on an async thread).
    runtime: Option<tokio::runtime::Runtime>,
    handle: tokio::runtime::Handle,
    clock: SharedClock,
    max_file_bytes: u64,
    runners: Mutex<HashMap<String, RunnerHandle>>,
    sync: Mutex<Option<(Arc<AtomicBool>, JoinHandle<()>)>>,
}

impl std::fmt::Debug for LakeSystem {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("LakeSystem")
            .field("storage", &self.storage)
            .finish_non_exhaustive()
    }
}

impl LakeSystem {
    /// Opens Lake's storage, query service and import registry under `root/lake/`.
    /// Nothing runs until [`LakeSystem::start`] except the query workers.
    ///
    /// # Errors
    ///
    /// The Lake bucket cannot be resolved or opened, or the query or import state is
    /// damaged.
    pub fn open(
        root: &Path,
        config: &Config,
        journal: Journal,
        registry: Arc<Lake>,
        resolver: Arc<BucketResolver>,
        clock: SharedClock,
        ids: SharedIds,
    ) -> Result<LakeSystem> {
        let lake_dir = root.join("lake");
        let failed = |what: &str, detail: String| Error::LakeSetup {
            path: lake_dir.clone(),
            detail: format!("{what}: {detail}"),
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("lake-io")
            .enable_all()
            .build()
            .map_err(|error| failed("cannot start the Lake runtime", error.to_string()))?;
        let bucket = if config.lake.bucket.is_empty() {
            Bucket::local("opentrail-lake", lake_dir.join("files"))
        } else {
            resolver
                .resolve(&config.lake.bucket)
                .map_err(|error| failed("cannot resolve the Lake bucket", error.to_string()))?
        };
        let object_store = bucket
            .object_store()
            .map_err(|error| failed("cannot open the Lake bucket", error.to_string()))?;
        let storage = Arc::new(LakeStorage::new(StorageParts {
            journal,
            bucket,
            prefix: config.lake.prefix.clone(),
            state_root: lake_dir.join("stores"),
            runtime: runtime.handle().clone(),
            clock: clock.clone(),
            options: StorageOptions::default(),
            writer: WriterConfig {
                flush_interval: Duration::from_millis(config.lake.flush_interval_ms),
                ..WriterConfig::default()
            },
        }));
        let engine = Arc::new(
            SqlEngine::new(
                EngineConfig {
                    memory_limit_bytes: usize::try_from(config.lake.query_memory_bytes)
                        .unwrap_or(usize::MAX),
                    ..EngineConfig::default()
                },
                object_store,
            )
            .map_err(|error| failed("cannot start the SQL engine", error.to_string()))?,
        );
        let executor = Arc::new(SqlExecutor {
            clock: clock.clone(),
            registry: Arc::clone(&registry),
            storage: Arc::clone(&storage),
            engine: Arc::clone(&engine),
            runtime: runtime.handle().clone(),
        });
        let limits = QueryLimits {
            workers: config.lake.query_workers,
            timeout: Duration::from_secs(config.lake.query_timeout_secs),
            max_result_bytes: config.lake.max_result_bytes,
            ..QueryLimits::default()
        };
        let sink = Arc::new(BucketSink {
            resolver: Arc::clone(&resolver),
            runtime: runtime.handle().clone(),
        });
        let queries = Queries::open(
            &lake_dir.join("queries"),
            clock.clone(),
            ids.clone(),
            executor,
            Some(sink),
            limits,
        )
        .map_err(|error| failed("cannot open the query service", error.to_string()))?;
        let imports = Arc::new(
            Imports::open(&lake_dir.join("imports"), clock.clone(), ids)
                .map_err(|error| failed("cannot open the import registry", error.to_string()))?,
        );
        {
            let imports = Arc::clone(&imports);
            registry.set_import_check(Arc::new(move |store_id: &str| {
                imports.runnable_imports().iter().any(|import| {
                    import
                        .destination()
                        .rsplit('/')
                        .next()
                        .is_some_and(|id| id == store_id)
                })
            }));
        }
        Ok(LakeSystem {
            registry,
            storage,
            queries: Arc::new(queries),
            imports,
            engine,
            resolver,
            handle: runtime.handle().clone(),
            runtime: Some(runtime),
            clock,
            max_file_bytes: config.import.max_file_bytes,
            runners: Mutex::new(HashMap::new()),
            sync: Mutex::new(None),
        })
    }

    /// The query service.
    pub fn queries(&self) -> &Queries {
        &self.queries
    }

    /// The import registry.
    pub fn imports(&self) -> &Imports {
        &self.imports
    }

    /// The stores' files.
    pub fn storage(&self) -> &Arc<LakeStorage> {
        &self.storage
    }

    /// The SQL engine.
    pub fn engine(&self) -> &Arc<SqlEngine> {
        &self.engine
    }

    /// Lake's runtime (bucket I/O, DataFusion).
    pub fn runtime(&self) -> &tokio::runtime::Handle {
        &self.handle
    }

    /// The statement checker the API's StartQuery uses.
    pub fn checker(&self) -> &dyn StatementChecker {
        &SqlChecker
    }

    /// Starts the journal writers of every store and keeps them in step with the
    /// registry; purges stores whose deletion became final; resumes imports that were
    /// running when the server stopped.
    ///
    /// # Errors
    ///
    /// The sync thread cannot be started.
    pub fn start(self: &Arc<LakeSystem>) -> Result<()> {
        let stop = Arc::new(AtomicBool::new(false));
        let system = Arc::clone(self);
        let thread_stop = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("lake-sync".into())
            .spawn(move || system.sync_loop(&thread_stop))
            .map_err(|error| Error::LakeSetup {
                path: "lake".into(),
                detail: format!("cannot start the Lake sync thread: {error}"),
            })?;
        *self.sync.lock().unwrap_or_else(PoisonError::into_inner) = Some((stop, thread));
        for import in self.imports.runnable_imports() {
            if let Err(message) = self.launch(&import) {
                tracing::warn!(import = %import.import_id, %message, "cannot resume an import");
                let _ = self.imports.mark_failed(&import.import_id, &message);
            }
        }
        Ok(())
    }

    /// Stops imports, writers (each flushing what it holds) and the query workers.
    pub fn stop(&self) {
        if let Some((stop, thread)) = self
            .sync
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
        {
            stop.store(true, Ordering::Release);
            let _ = thread.join();
        }
        let runners: Vec<RunnerHandle> = self
            .runners
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .drain()
            .map(|(_, runner)| runner)
            .collect();
        for runner in runners {
            if let Err(error) = runner.shutdown() {
                tracing::warn!(%error, "an import runner did not stop cleanly");
            }
        }
        self.storage.stop();
        self.queries.shutdown();
    }

    fn sync_loop(&self, stop: &AtomicBool) {
        let mut changes = self.registry.subscribe();
        let mut last_purge = None::<std::time::Instant>;
        while !stop.load(Ordering::Acquire) {
            changes.borrow_and_update();
            if let Err(error) = self.storage.sync(self.specs()) {
                tracing::warn!(%error, "a Lake store cannot be opened; retrying");
            }
            if last_purge.is_none_or(|last| last.elapsed() >= Duration::from_secs(60)) {
                self.purge();
                if let Err(error) = self.queries.purge_expired() {
                    tracing::warn!(%error, "expired query results cannot be removed");
                }
                last_purge = Some(std::time::Instant::now());
            }
            // Wake on a registry change, or every second to notice `stop`.
            let _ = self.handle.block_on(async {
                tokio::time::timeout(Duration::from_secs(1), changes.changed()).await
            });
        }
    }

    /// What each store's writer must know, from the registry.
    fn specs(&self) -> Vec<StoreSpec> {
        let channels = self.registry.channels_snapshot();
        let insights = self.registry.insights_configs();
        let mut specs = Vec::new();
        for store in self.registry.snapshot() {
            specs.push(spec_of(&store, &channels, &insights));
        }
        specs
    }

    fn purge(&self) {
        let purged = match self.registry.purge_expired(self.clock.now()) {
            Ok(purged) => purged,
            Err(error) => {
                tracing::warn!(%error, "deleted event data stores cannot be purged");
                return;
            }
        };
        for id in purged {
            for kind in [
                TableKind::CloudTrail,
                TableKind::Insights,
                TableKind::ActivityAuditLog,
            ] {
                // The kind only decides the schema of a store opened to be destroyed.
                if self.storage.destroy(&id, kind).is_ok() {
                    break;
                }
            }
            tracing::info!(store = %id, "event data store purged");
        }
    }

    fn launch(&self, import: &Import) -> std::result::Result<(), String> {
        let location = ImportLocation::parse(&import.import_source.s3.s3_location_uri)
            .map_err(|error| error.to_string())?;
        let source = opentrail_imports::open_source(&location, &self.resolver, self.handle.clone())
            .map_err(|error| error.to_string())?;
        let sink = Arc::new(StoreSink {
            registry: Arc::clone(&self.registry),
            storage: Arc::clone(&self.storage),
            clock: self.clock.clone(),
            importers: Mutex::new(HashMap::new()),
        });
        let options = RunOptions {
            max_decompressed_bytes: self.max_file_bytes,
            ..RunOptions::default()
        };
        let handle = opentrail_imports::spawn_runner(
            Arc::clone(&self.imports),
            import.import_id.clone(),
            source,
            sink,
            options,
        )
        .map_err(|error| error.to_string())?;
        let mut runners = self.runners.lock().unwrap_or_else(PoisonError::into_inner);
        runners.retain(|_, runner| !runner.is_finished());
        runners.insert(import.import_id.clone(), handle);
        Ok(())
    }
}

impl Drop for LakeSystem {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl ImportLauncher for LakeSystem {
    fn launch(&self, import: &Import) -> std::result::Result<(), String> {
        LakeSystem::launch(self, import)
    }
}

/// The writer spec of one store.
fn spec_of(
    store: &StoreSnapshot,
    channels: &[opentrail_lake::Channel],
    insights: &[opentrail_lake::StoreInsights],
) -> StoreSpec {
    let selectors = match store.kind {
        StoreKind::CloudTrailEvents => Some(CompiledSelectors::new(&SelectorConfig::Advanced(
            store.advanced_event_selectors.clone(),
        ))),
        _ => None,
    };
    let channel_arns = channels
        .iter()
        .filter(|channel| {
            channel
                .destinations
                .iter()
                .any(|destination| destination.location == store.arn)
        })
        .map(|channel| channel.arn.clone())
        .collect();
    let insight_sources = insights
        .iter()
        .filter(|source| source.destination_store_arn == store.arn)
        .map(|source| opentrail_lakestore::InsightSource {
            store_arn: source.source_store_arn.clone(),
            home_region: source.home_region.clone(),
            multi_region: source.multi_region,
            insight_types: source.insight_types.clone(),
        })
        .collect();
    StoreSpec {
        store_id: store.id.clone(),
        account_id: store.account_id.clone(),
        home_region: store.home_region.clone(),
        multi_region: store.multi_region_enabled,
        kind: table_kind(store.kind),
        selectors,
        channel_arns,
        ingesting: store.status == EventDataStoreStatus::Enabled,
        retention_days: store.retention_period_days,
        insight_sources,
    }
}

/// The statement gate of the SQL engine.
struct SqlChecker;

impl StatementChecker for SqlChecker {
    fn tables(&self, statement: &str) -> std::result::Result<Vec<String>, String> {
        opentrail_sql::parse_statement(statement)
            .map(|checked| checked.tables().to_vec())
            .map_err(|error| error.message().to_owned())
    }
}

/// Runs queries with the SQL engine on the stores' current files.
struct SqlExecutor {
    clock: SharedClock,
    registry: Arc<Lake>,
    storage: Arc<LakeStorage>,
    engine: Arc<SqlEngine>,
    runtime: tokio::runtime::Handle,
}

impl SqlExecutor {
    fn tables(&self, store_ids: &[String]) -> std::result::Result<Vec<StoreTable>, ExecFailure> {
        let snapshot = self.registry.snapshot();
        let mut tables = Vec::new();
        for id in store_ids {
            let Some(store) = snapshot.iter().find(|store| &store.id == id) else {
                return Err(ExecFailure::failed(format!(
                    "the event data store `{id}` no longer exists"
                )));
            };
            let kind = table_kind(store.kind);
            let files = self.storage.files(id, kind).map_err(|error| {
                ExecFailure::failed(format!("cannot read the store `{id}`: {error}"))
            })?;
            let cutoff = self
                .clock
                .now()
                .as_millis()
                .saturating_sub(i64::from(store.retention_period_days) * 86_400_000);
            tables.push(StoreTable {
                name: id.clone(),
                schema: opentrail_columnar::schema(kind),
                files: files
                    .snapshot()
                    .into_iter()
                    // Rows past retention wait for the writer's next trim; a file wholly
                    // past it is not read at all.
                    .filter(|file| file.max_ms >= cutoff)
                    .map(|file| StoreFile {
                        location: object_store::path::Path::from(file.key),
                        size: file.bytes,
                        rows: file.rows,
                        min_event_time_ms: file.min_ms,
                        max_event_time_ms: file.max_ms,
                    })
                    .collect(),
            });
        }
        Ok(tables)
    }
}

impl Executor for SqlExecutor {
    fn execute(&self, job: &Job, cancel: &Cancel) -> std::result::Result<Output, ExecFailure> {
        let checked = opentrail_sql::parse_statement(&job.statement)
            .map_err(|error| ExecFailure::failed(error.message().to_owned()))?;
        let tables = self.tables(&job.store_ids)?;
        let flag = CancelFlag::new();
        let engine = Arc::clone(&self.engine);
        let limit = usize::try_from(job.max_result_bytes).unwrap_or(usize::MAX);
        let watcher_flag = flag.clone();
        let watcher_cancel = cancel.clone();
        let result = self.runtime.block_on(async move {
            let watch = async {
                loop {
                    if watcher_cancel.should_stop().is_some() {
                        watcher_flag.cancel();
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            };
            tokio::select! {
                result = engine.execute(&checked, &tables, &flag, limit) => Some(result),
                () = watch => None,
            }
        });
        let stop_failure = |cancel: &Cancel| match cancel.should_stop() {
            Some(StopReason::TimedOut) => ExecFailure::timed_out(None),
            _ => ExecFailure::cancelled(),
        };
        match result {
            None => Err(stop_failure(cancel)),
            Some(Ok(output)) => Ok(Output {
                columns: output.columns,
                rows: output.rows,
                stats: Stats {
                    events_scanned: output.stats.events_scanned,
                    events_matched: output.stats.events_matched,
                    bytes_scanned: output.stats.bytes_scanned,
                },
            }),
            Some(Err(error)) => match error.kind() {
                SqlErrorKind::Cancelled => Err(stop_failure(cancel)),
                _ => Err(ExecFailure::failed(error.message().to_owned())),
            },
        }
    }
}

/// Writes query results to the bucket of `DeliveryS3Uri`, resolved like a trail's bucket.
struct BucketSink {
    resolver: Arc<BucketResolver>,
    runtime: tokio::runtime::Handle,
}

impl ResultSink for BucketSink {
    fn deliver(
        &self,
        uri: &DeliveryUri,
        _query_id: &str,
        _account: &str,
        files: Vec<(String, Vec<u8>)>,
    ) -> std::result::Result<(), DeliveryError> {
        let failed = |error: opentrail_blob::Error| DeliveryError {
            status: match error.kind() {
                BlobErrorKind::NoSuchBucket => DeliveryStatus::ResourceNotFound,
                BlobErrorKind::AccessDenied => DeliveryStatus::AccessDenied,
                _ => DeliveryStatus::Failed,
            },
            message: error.to_string(),
        };
        let bucket = self.resolver.resolve(&uri.bucket).map_err(failed)?;
        for (relative, body) in files {
            let key = uri.object_key(&relative);
            self.runtime
                .block_on(bucket.put(&key, bytes::Bytes::from(body), &Default::default()))
                .map_err(failed)?;
        }
        Ok(())
    }
}

/// Where imported records go: the destination store's files, deduplicated.
#[derive(Debug)]
struct StoreSink {
    registry: Arc<Lake>,
    storage: Arc<LakeStorage>,
    clock: SharedClock,
    importers: Mutex<HashMap<String, Importer>>,
}

impl ImportSink for StoreSink {
    fn add(
        &self,
        store_arn: &str,
        records: &[&[u8]],
    ) -> std::result::Result<SinkCounts, SinkError> {
        let permanent = |message: String| SinkError {
            message,
            retryable: false,
        };
        let store = self
            .registry
            .snapshot()
            .into_iter()
            .find(|store| store.arn == store_arn)
            .ok_or_else(|| {
                permanent(format!(
                    "the event data store `{store_arn}` no longer exists"
                ))
            })?;
        if store.status == EventDataStoreStatus::PendingDeletion {
            return Err(permanent(format!(
                "the event data store `{}` is pending deletion",
                store.id
            )));
        }
        let mut importers = self
            .importers
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if !importers.contains_key(&store.id) {
            let files = self
                .storage
                .files(&store.id, table_kind(store.kind))
                .map_err(|error| SinkError {
                    message: error.to_string(),
                    retryable: true,
                })?;
            let cutoff = self
                .clock
                .now()
                .as_millis()
                .saturating_sub(i64::from(store.retention_period_days) * 86_400_000);
            importers.insert(store.id.clone(), Importer::new(files, cutoff));
        }
        let Some(importer) = importers.get_mut(&store.id) else {
            return Err(permanent("the importer vanished".into()));
        };
        let (counts, rejected) = importer.add(records).map_err(|error| SinkError {
            message: error.to_string(),
            retryable: true,
        })?;
        if let Some(first) = rejected.first() {
            tracing::warn!(store = %store.id, reason = %first.reason, count = rejected.len(), "imported records left out");
        }
        Ok(SinkCounts {
            added: counts.added,
            duplicates: counts.duplicates + counts.expired,
        })
    }
}
