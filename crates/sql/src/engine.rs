//! Running a checked statement over store tables: planning, execution with
//! cancellation and limits, rendering, statistics.

use std::collections::HashMap;
use std::ops::ControlFlow;
use std::pin::pin;
use std::sync::Arc;
use std::time::Instant;

use datafusion::arrow::array::RecordBatch;
use datafusion::common::TableReference;
use datafusion::datasource::source::DataSourceExec;
use datafusion::execution::SendableRecordBatchStream;
use datafusion::execution::disk_manager::{DiskManagerBuilder, DiskManagerMode};
use datafusion::execution::object_store::ObjectStoreUrl;
use datafusion::execution::runtime_env::{RuntimeEnv, RuntimeEnvBuilder};
use datafusion::execution::session_state::SessionStateBuilder;
use datafusion::logical_expr::LogicalPlan;
use datafusion::physical_plan::filter::FilterExec;
use datafusion::physical_plan::{ExecutionPlan, execute_stream};
use datafusion::prelude::{SessionConfig, SessionContext};
use datafusion::sql::parser::Statement as DFStatement;
use datafusion::sql::sqlparser::ast::{
    Ident, ObjectName, ObjectNamePart, Query, SelectItem, SetExpr, Statement, VisitMut, VisitorMut,
};
use futures::StreamExt;
use futures::future::{Either, select};
use object_store::ObjectStore;
use tokio::sync::watch;

use crate::error::{Result, SqlError};
use crate::gate::Checked;
use crate::names::{self, OutputItem};
use crate::render;
use crate::table::{StoreTable, StoreTableProvider};

/// The URL under which the engine's object store is registered with DataFusion.
const OBJECT_STORE_URL: &str = "opentrail://lake/";

/// Accounted size of one result row and of one cell besides its text: the
/// `Vec` and `Option<String>` headers the rows are kept in.
const ROW_OVERHEAD_BYTES: usize = 24;
const CELL_OVERHEAD_BYTES: usize = 24;

/// Settings of the SQL engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineConfig {
    /// Partitions (threads of work) a query is split into. Default: 2.
    pub target_partitions: usize,
    /// Memory all running queries may hold together in DataFusion's pool
    /// (hash tables, sorts, aggregates), in bytes. Default: 1 GiB.
    pub memory_limit_bytes: usize,
    /// Rows per Arrow batch. Default: 8192.
    pub batch_size: usize,
    /// Memory kept for the footers and page indexes of Parquet files read, in bytes,
    /// so that a query does not read and decode them again. Store files never change
    /// once written (a compaction writes new ones), so an entry stays true. Default:
    /// 256 MiB.
    pub metadata_cache_bytes: usize,
}

impl Default for EngineConfig {
    fn default() -> Self {
        Self {
            target_partitions: 2,
            memory_limit_bytes: 1 << 30,
            batch_size: 8192,
            metadata_cache_bytes: 256 << 20,
        }
    }
}

/// A flag the caller raises to cancel a running query; cheap to clone, every
/// clone sees the same flag.
#[derive(Debug, Clone)]
pub struct CancelFlag {
    sender: Arc<watch::Sender<bool>>,
}

impl Default for CancelFlag {
    fn default() -> Self {
        Self::new()
    }
}

impl CancelFlag {
    /// Returns a lowered flag.
    pub fn new() -> Self {
        Self {
            sender: Arc::new(watch::Sender::new(false)),
        }
    }

    /// Raises the flag; queries watching it stop at their next step.
    pub fn cancel(&self) {
        self.sender.send_replace(true);
    }

    /// Whether the flag is raised.
    pub fn is_cancelled(&self) -> bool {
        *self.sender.borrow()
    }

    /// Completes once the flag is raised.
    pub async fn cancelled(&self) {
        let mut receiver = self.sender.subscribe();
        // The sender lives in `self`, so waiting cannot fail for a closed channel.
        let _ = receiver.wait_for(|cancelled| *cancelled).await;
    }
}

/// What a query read and how long it took (`QueryStatistics`, §3.3, §3.4.5).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QueryStats {
    /// Rows read from Parquet files (after file, row-group and page pruning).
    pub events_scanned: u64,
    /// Rows that passed the `WHERE` conditions applied at the scans.
    pub events_matched: u64,
    /// Bytes read from Parquet files.
    pub bytes_scanned: u64,
    /// Wall-clock time of planning and execution, in milliseconds.
    pub execution_ms: u64,
}

/// The result of a query: column names, rows of rendered values, statistics.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryOutput {
    /// Result column names by Trino's rules (see the crate docs).
    pub columns: Vec<String>,
    /// Rows in result order; each value rendered as in `QueryResultRows`,
    /// `None` for NULL.
    pub rows: Vec<Vec<Option<String>>>,
    /// What the query read.
    pub stats: QueryStats,
}

/// The Lake SQL engine: one DataFusion runtime (memory pool, object store)
/// shared by every query.
#[derive(Debug)]
pub struct SqlEngine {
    config: EngineConfig,
    runtime: Arc<RuntimeEnv>,
    object_store_url: ObjectStoreUrl,
}

impl SqlEngine {
    /// Builds an engine reading store files from `object_store`.
    ///
    /// # Errors
    ///
    /// `Internal` if DataFusion's runtime cannot be built.
    pub fn new(config: EngineConfig, object_store: Arc<dyn ObjectStore>) -> Result<Self> {
        let object_store_url = ObjectStoreUrl::parse(OBJECT_STORE_URL)?;
        // No spilling: a query that outgrows the pool fails with
        // `ResourcesExceeded` instead of filling a temporary directory.
        let runtime = RuntimeEnvBuilder::new()
            .with_memory_limit(config.memory_limit_bytes, 1.0)
            .with_metadata_cache_limit(config.metadata_cache_bytes)
            .with_disk_manager_builder(
                DiskManagerBuilder::default().with_mode(DiskManagerMode::Disabled),
            )
            .build_arc()?;
        runtime.register_object_store(object_store_url.as_ref(), object_store);
        Ok(Self {
            config,
            runtime,
            object_store_url,
        })
    }

    /// Runs a checked statement over `tables` (the stores it names, matched by
    /// id, case-insensitively), rendering at most `result_limit_bytes` of rows.
    ///
    /// # Errors
    ///
    /// `InvalidQueryStatement` for an unknown store, column or function or a
    /// type error; `ResourcesExceeded` when the result grows past
    /// `result_limit_bytes` or execution memory past the engine's pool;
    /// `Cancelled` once `cancel` is raised; `Internal` for failures on our side
    /// (unreadable files).
    pub async fn execute(
        &self,
        checked: &Checked,
        tables: &[StoreTable],
        cancel: &CancelFlag,
        result_limit_bytes: usize,
    ) -> Result<QueryOutput> {
        let started = Instant::now();
        if cancel.is_cancelled() {
            return Err(SqlError::cancelled());
        }
        let (statement, chosen) = bind_tables(checked, tables)?;
        let context = self.session_context(chosen)?;
        let state = context.state();
        let plan = until_cancelled(
            cancel,
            state.statement_to_plan(DFStatement::Statement(Box::new(statement.clone()))),
        )
        .await??;
        let columns = self
            .column_names(&context, checked, &statement, &plan)
            .await?;
        let physical = until_cancelled(cancel, state.create_physical_plan(&plan)).await??;
        let stream = execute_stream(Arc::clone(&physical), context.task_ctx())?;
        let rows = collect_rows(stream, cancel, result_limit_bytes).await?;
        let mut stats = scan_statistics(&physical);
        stats.execution_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
        Ok(QueryOutput {
            columns,
            rows,
            stats,
        })
    }

    fn session_context(&self, tables: Vec<StoreTable>) -> Result<SessionContext> {
        let mut config = SessionConfig::new()
            .with_target_partitions(self.config.target_partitions.max(1))
            .with_batch_size(self.config.batch_size.max(1))
            .with_information_schema(false);
        // Identifiers are case-insensitive: unquoted ones are lowercased here,
        // quoted ones by the gate (see `names`).
        config.options_mut().sql_parser.enable_ident_normalization = true;
        // Trino reads `1.5` as a DECIMAL literal, not a DOUBLE.
        config.options_mut().sql_parser.parse_float_as_decimal = true;
        config.options_mut().execution.parquet.pruning = true;
        config.options_mut().execution.parquet.enable_page_index = true;
        let state = SessionStateBuilder::new()
            .with_config(config)
            .with_runtime_env(Arc::clone(&self.runtime))
            .with_default_features()
            .build();
        let context = SessionContext::new_with_state(state);
        crate::functions::register(&context)?;
        for table in tables {
            let name = TableReference::bare(table.name.clone());
            let provider = StoreTableProvider::new(table, self.object_store_url.clone());
            context.register_table(name, Arc::new(provider))?;
        }
        Ok(context)
    }

    /// Names the result columns from the statement as written, using the
    /// plan's field names only for the columns `*` expands to.
    async fn column_names(
        &self,
        context: &SessionContext,
        checked: &Checked,
        statement: &Statement,
        plan: &LogicalPlan,
    ) -> Result<Vec<String>> {
        let planned: Vec<String> = plan
            .schema()
            .fields()
            .iter()
            .map(|field| field.name().clone())
            .collect();
        let items = checked.output_items();
        let wildcards = items
            .iter()
            .filter(|item| **item == OutputItem::Wildcard)
            .count();
        let widths = match wildcards {
            0 => Vec::new(),
            1 => vec![planned.len().saturating_sub(items.len() - 1)],
            _ => wildcard_widths(context, statement)
                .await
                .unwrap_or_default(),
        };
        match names::result_column_names(items, &planned, &widths) {
            Some(columns) => Ok(columns),
            None => {
                tracing::warn!(statement = %checked.text(), "result columns named after the plan");
                Ok(planned)
            }
        }
    }
}

/// Raced against the cancel flag.
async fn until_cancelled<T>(
    cancel: &CancelFlag,
    work: impl Future<Output = datafusion::error::Result<T>>,
) -> Result<datafusion::error::Result<T>> {
    let cancelled = pin!(cancel.cancelled());
    match select(pin!(work), cancelled).await {
        Either::Left((result, _)) => Ok(result),
        Either::Right(_) => Err(SqlError::cancelled()),
    }
}

/// Matches the statement's store names to `tables` and points the statement at
/// their exact names.
fn bind_tables(checked: &Checked, tables: &[StoreTable]) -> Result<(Statement, Vec<StoreTable>)> {
    let mut renames: HashMap<String, String> = HashMap::new();
    let mut chosen: Vec<StoreTable> = Vec::new();
    for written in checked.tables() {
        let table = tables
            .iter()
            .find(|table| table.name == *written)
            .or_else(|| {
                tables
                    .iter()
                    .find(|table| table.name.eq_ignore_ascii_case(written))
            })
            .ok_or_else(|| SqlError::invalid(format!("unknown event data store `{written}`")))?;
        renames.insert(written.clone(), table.name.clone());
        if !chosen.iter().any(|known| known.name == table.name) {
            chosen.push(table.clone());
        }
    }
    let mut statement = checked.statement().clone();
    let _ = VisitMut::visit(&mut statement, &mut RenameTables(&renames));
    let schemas: Vec<&datafusion::arrow::datatypes::Schema> =
        chosen.iter().map(|table| table.schema.as_ref()).collect();
    crate::coerce::coerce_boolean_literals(&mut statement, &schemas);
    Ok((statement, chosen))
}

struct RenameTables<'a>(&'a HashMap<String, String>);

impl VisitorMut for RenameTables<'_> {
    type Break = ();

    fn pre_visit_relation(&mut self, relation: &mut ObjectName) -> ControlFlow<()> {
        if let [ObjectNamePart::Identifier(ident)] = relation.0.as_slice()
            && ident.quote_style.is_some()
            && let Some(name) = self.0.get(&ident.value)
        {
            *relation = ObjectName::from(vec![Ident::with_quote('"', name.clone())]);
        }
        ControlFlow::Continue(())
    }
}

/// How many columns each wildcard of the naming select expands to, found by
/// planning the statement with only that wildcard selected.
async fn wildcard_widths(context: &SessionContext, statement: &Statement) -> Option<Vec<usize>> {
    let Statement::Query(query) = statement else {
        return None;
    };
    let projection = &naming_select_mut(&mut query.clone())?.projection.clone();
    let mut widths = Vec::new();
    for item in projection {
        if !matches!(
            item,
            SelectItem::Wildcard(_) | SelectItem::QualifiedWildcard(..)
        ) {
            continue;
        }
        let mut variant = query.clone();
        let select = naming_select_mut(&mut variant)?;
        select.projection = vec![item.clone()];
        select.group_by = datafusion::sql::sqlparser::ast::GroupByExpr::Expressions(vec![], vec![]);
        select.having = None;
        variant.order_by = None;
        let plan = context
            .state()
            .statement_to_plan(DFStatement::Statement(Box::new(Statement::Query(variant))))
            .await
            .ok()?;
        widths.push(plan.schema().fields().len());
    }
    Some(widths)
}

fn naming_select_mut(query: &mut Query) -> Option<&mut datafusion::sql::sqlparser::ast::Select> {
    fn walk(body: &mut SetExpr) -> Option<&mut datafusion::sql::sqlparser::ast::Select> {
        match body {
            SetExpr::Select(select) => Some(select),
            SetExpr::Query(query) => walk(&mut query.body),
            SetExpr::SetOperation { left, .. } => walk(left),
            _ => None,
        }
    }
    walk(&mut query.body)
}

/// Renders the stream's rows, stopping at the cancel flag or the size limit.
async fn collect_rows(
    mut stream: SendableRecordBatchStream,
    cancel: &CancelFlag,
    result_limit_bytes: usize,
) -> Result<Vec<Vec<Option<String>>>> {
    let mut rows: Vec<Vec<Option<String>>> = Vec::new();
    let mut accounted_bytes = 0usize;
    loop {
        let next = match select(stream.next(), pin!(cancel.cancelled())).await {
            Either::Left((next, _)) => next,
            // Dropping the stream stops DataFusion's tasks.
            Either::Right(_) => return Err(SqlError::cancelled()),
        };
        let Some(batch) = next else {
            return Ok(rows);
        };
        let batch = batch?;
        let remaining = result_limit_bytes.saturating_sub(accounted_bytes);
        // Rendering is CPU work on a whole batch: keep it off the async threads.
        let rendered = tokio::task::spawn_blocking(move || render_batch(&batch, remaining))
            .await
            .map_err(|error| SqlError::internal(format!("rendering task failed: {error}")))??;
        accounted_bytes += rendered.bytes;
        if rendered.over_limit {
            return Err(SqlError::resources_exceeded(format!(
                "query results exceed the limit of {result_limit_bytes} bytes"
            )));
        }
        rows.extend(rendered.rows);
    }
}

struct RenderedBatch {
    rows: Vec<Vec<Option<String>>>,
    bytes: usize,
    over_limit: bool,
}

fn render_batch(batch: &RecordBatch, limit_bytes: usize) -> Result<RenderedBatch> {
    let columns = batch
        .columns()
        .iter()
        .map(render::prepare_column)
        .collect::<Result<Vec<_>>>()?;
    let mut rows = Vec::with_capacity(batch.num_rows());
    let mut bytes = 0usize;
    for row in 0..batch.num_rows() {
        let mut values = Vec::with_capacity(columns.len());
        bytes += ROW_OVERHEAD_BYTES;
        for column in &columns {
            let value = render::render_cell(column.as_ref(), row);
            bytes += CELL_OVERHEAD_BYTES + value.as_ref().map_or(0, String::len);
            values.push(value);
        }
        if bytes > limit_bytes {
            return Ok(RenderedBatch {
                rows: Vec::new(),
                bytes,
                over_limit: true,
            });
        }
        rows.push(values);
    }
    Ok(RenderedBatch {
        rows,
        bytes,
        over_limit: false,
    })
}

/// Sums the scans' metrics: rows and bytes read, and rows that passed the
/// filter right above each scan.
fn scan_statistics(plan: &Arc<dyn ExecutionPlan>) -> QueryStats {
    let mut stats = QueryStats::default();
    visit_scans(plan, None, &mut stats);
    stats
}

fn visit_scans(node: &Arc<dyn ExecutionPlan>, filter_rows: Option<u64>, stats: &mut QueryStats) {
    if node.is::<DataSourceExec>() {
        let metrics = node.metrics();
        let rows = metrics
            .as_ref()
            .and_then(|metrics| metrics.output_rows())
            .unwrap_or(0) as u64;
        let bytes = metrics
            .as_ref()
            .and_then(|metrics| metrics.sum_by_name("bytes_scanned"))
            .map_or(0, |value| value.as_usize()) as u64;
        stats.events_scanned += rows;
        stats.bytes_scanned += bytes;
        stats.events_matched += filter_rows.unwrap_or(rows);
        return;
    }
    let below = if node.is::<FilterExec>() {
        Some(
            node.metrics()
                .and_then(|metrics| metrics.output_rows())
                .unwrap_or(0) as u64,
        )
    } else if matches!(
        node.name(),
        "RepartitionExec" | "CoalesceBatchesExec" | "CoalescePartitionsExec" | "CooperativeExec"
    ) {
        filter_rows
    } else {
        None
    };
    for child in node.children() {
        visit_scans(child, below, stats);
    }
}
