//! Event data stores as DataFusion tables: the files of a store, pruned by
//! `eventtime` bounds before DataFusion's Parquet scan prunes row groups and
//! pages with the same predicate.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use datafusion::arrow::datatypes::{DataType, FieldRef, Schema, SchemaRef, TimeUnit};
use datafusion::catalog::Session;
use datafusion::common::{DFSchema, ScalarValue};
use datafusion::datasource::listing::PartitionedFile;
use datafusion::datasource::physical_plan::parquet::CachedParquetFileReaderFactory;
use datafusion::datasource::physical_plan::{FileGroup, FileScanConfigBuilder, ParquetSource};
use datafusion::datasource::source::DataSourceExec;
use datafusion::datasource::{TableProvider, TableType};
use datafusion::error::Result as DataFusionResult;
use datafusion::execution::object_store::ObjectStoreUrl;
use datafusion::logical_expr::utils::conjunction;
use datafusion::logical_expr::{Between, BinaryExpr, Expr, Operator, TableProviderFilterPushDown};
use datafusion::physical_plan::ExecutionPlan;
use datafusion::physical_plan::empty::EmptyExec;

/// Bytes read from the end of a file at its first read: enough for the footer of a
/// store file in one read instead of two.
const FOOTER_READ_BYTES: usize = 512 * 1024;

/// The column every store has and files are pruned on.
pub const EVENT_TIME_COLUMN: &str = "eventtime";

/// One Parquet file of an event data store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreFile {
    /// Where the file is in the engine's object store.
    pub location: object_store::path::Path,
    /// Size of the file in bytes.
    pub size: u64,
    /// Number of rows (events) in the file.
    pub rows: u64,
    /// Smallest `eventtime` in the file, milliseconds since the Unix epoch (UTC).
    pub min_event_time_ms: i64,
    /// Largest `eventtime` in the file, milliseconds since the Unix epoch (UTC).
    pub max_event_time_ms: i64,
}

/// An event data store as SQL sees it: its id (the table name), its schema
/// (lowercase names, `eventtime` a `Timestamp(Millisecond, None)` in UTC) and
/// its files.
#[derive(Debug, Clone)]
pub struct StoreTable {
    /// The store id, the name statements use in `FROM`.
    pub name: String,
    /// The Arrow schema of every file of the store.
    pub schema: SchemaRef,
    /// The store's Parquet files.
    pub files: Vec<StoreFile>,
}

/// Inclusive `eventtime` bounds in milliseconds taken from a scan's filters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TimeBounds {
    pub(crate) min_ms: i64,
    pub(crate) max_ms: i64,
}

impl TimeBounds {
    const ALL: Self = Self {
        min_ms: i64::MIN,
        max_ms: i64::MAX,
    };

    /// Narrows the bounds with every filter that bounds `eventtime` by a literal.
    pub(crate) fn from_filters(filters: &[Expr]) -> Self {
        let mut bounds = Self::ALL;
        for filter in filters {
            bounds.narrow(filter);
        }
        bounds
    }

    fn narrow(&mut self, filter: &Expr) {
        match filter {
            Expr::BinaryExpr(BinaryExpr { left, op, right }) => {
                if *op == Operator::And {
                    self.narrow(left);
                    self.narrow(right);
                } else if is_event_time(left)
                    && let Some(value) = literal_ms(right)
                {
                    self.apply(*op, value);
                } else if is_event_time(right)
                    && let Some(value) = literal_ms(left)
                    && let Some(op) = op.swap()
                {
                    self.apply(op, value);
                }
            }
            Expr::Between(Between {
                expr,
                negated: false,
                low,
                high,
            }) if is_event_time(expr) => {
                if let Some(low) = literal_ms(low) {
                    self.apply(Operator::GtEq, low);
                }
                if let Some(high) = literal_ms(high) {
                    self.apply(Operator::LtEq, high);
                }
            }
            _ => {}
        }
    }

    fn apply(&mut self, op: Operator, value: Millis) {
        // A literal finer than milliseconds (`…00.0005`) is rounded outwards so
        // no file that might hold a matching row is dropped.
        let (floor, ceil) = (value.floor, value.ceil);
        match op {
            Operator::Eq => {
                self.min_ms = self.min_ms.max(floor);
                self.max_ms = self.max_ms.min(ceil);
            }
            Operator::Gt => self.min_ms = self.min_ms.max(floor.saturating_add(1)),
            Operator::GtEq => self.min_ms = self.min_ms.max(floor),
            Operator::Lt => self.max_ms = self.max_ms.min(ceil.saturating_sub(1)),
            Operator::LtEq => self.max_ms = self.max_ms.min(ceil),
            _ => {}
        }
    }

    /// Whether a file with these `eventtime` extremes may hold a row in bounds.
    pub(crate) fn overlaps(&self, file: &StoreFile) -> bool {
        file.max_event_time_ms >= self.min_ms && file.min_event_time_ms <= self.max_ms
    }
}

/// A timestamp literal in milliseconds, rounded down and up.
#[derive(Debug, Clone, Copy)]
struct Millis {
    floor: i64,
    ceil: i64,
}

fn is_event_time(expr: &Expr) -> bool {
    match expr {
        Expr::Column(column) => column.name == EVENT_TIME_COLUMN,
        // DataFusion may cast the column to the literal's unit rather than the
        // other way round; the instant is the same.
        Expr::Cast(cast) => {
            matches!(cast.field.data_type(), DataType::Timestamp(_, _)) && is_event_time(&cast.expr)
        }
        _ => false,
    }
}

fn literal_ms(expr: &Expr) -> Option<Millis> {
    let value = match expr {
        Expr::Literal(value, _) => value.clone(),
        Expr::Cast(cast) => match cast.expr.as_ref() {
            Expr::Literal(value, _) => value.cast_to(cast.field.data_type()).ok()?,
            _ => return None,
        },
        _ => return None,
    };
    let exact = |ms: i64| {
        Some(Millis {
            floor: ms,
            ceil: ms,
        })
    };
    let divided = |value: i64, per_ms: i64| {
        Some(Millis {
            floor: value.div_euclid(per_ms),
            ceil: value.div_euclid(per_ms) + i64::from(value.rem_euclid(per_ms) != 0),
        })
    };
    match value {
        ScalarValue::TimestampMillisecond(Some(ms), _) => exact(ms),
        ScalarValue::TimestampSecond(Some(seconds), _) => exact(seconds.checked_mul(1000)?),
        ScalarValue::TimestampMicrosecond(Some(micros), _) => divided(micros, 1000),
        ScalarValue::TimestampNanosecond(Some(nanos), _) => divided(nanos, 1_000_000),
        ScalarValue::Utf8(Some(_))
        | ScalarValue::LargeUtf8(Some(_))
        | ScalarValue::Utf8View(Some(_)) => {
            match value
                .cast_to(&DataType::Timestamp(TimeUnit::Nanosecond, None))
                .ok()?
            {
                ScalarValue::TimestampNanosecond(Some(nanos), _) => divided(nanos, 1_000_000),
                _ => None,
            }
        }
        ScalarValue::Date32(Some(days)) => exact(i64::from(days).checked_mul(86_400_000)?),
        _ => None,
    }
}

/// The DataFusion table of one store.
pub(crate) struct StoreTableProvider {
    table: StoreTable,
    object_store_url: ObjectStoreUrl,
}

impl fmt::Debug for StoreTableProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("StoreTableProvider")
            .field("name", &self.table.name)
            .field("files", &self.table.files.len())
            .finish()
    }
}

impl StoreTableProvider {
    pub(crate) fn new(mut table: StoreTable, object_store_url: ObjectStoreUrl) -> Self {
        table.schema = Arc::new(Schema::new_with_metadata(
            table
                .schema
                .fields()
                .iter()
                .map(as_views)
                .collect::<Vec<_>>(),
            table.schema.metadata().clone(),
        ));
        Self {
            table,
            object_store_url,
        }
    }

    /// `file` as the scan reads it: with the table's schema, text as views.
    fn partitioned(&self, file: &StoreFile) -> PartitionedFile {
        PartitionedFile::new(file.location.as_ref(), file.size)
            .with_arrow_schema(Arc::clone(&self.table.schema))
    }

    fn plan_scan(
        &self,
        state: &dyn Session,
        projection: Option<&Vec<usize>>,
        filters: &[Expr],
        limit: Option<usize>,
    ) -> DataFusionResult<Arc<dyn ExecutionPlan>> {
        let bounds = TimeBounds::from_filters(filters);
        let files: Vec<&StoreFile> = self
            .table
            .files
            .iter()
            .filter(|file| bounds.overlaps(file))
            .collect();
        tracing::debug!(
            store = %self.table.name,
            files = self.table.files.len(),
            kept = files.len(),
            min_ms = bounds.min_ms,
            max_ms = bounds.max_ms,
            "eventtime pruning"
        );
        if files.is_empty() {
            let schema = match projection {
                Some(indices) => Arc::new(self.table.schema.project(indices)?),
                None => Arc::clone(&self.table.schema),
            };
            return Ok(Arc::new(EmptyExec::new(schema)));
        }
        // Footers and page indexes come from the engine's metadata cache: a query over
        // many small files otherwise spends much of its time reading and decoding them.
        let runtime = state.runtime_env();
        let readers = CachedParquetFileReaderFactory::new(
            runtime.object_store(&self.object_store_url)?,
            runtime.cache_manager.get_file_metadata_cache(),
        );
        let mut source = ParquetSource::new(Arc::clone(&self.table.schema))
            .with_table_parquet_options(state.table_options().parquet.clone())
            .with_parquet_file_reader_factory(Arc::new(readers))
            .with_metadata_size_hint(FOOTER_READ_BYTES);
        if let Some(predicate) = conjunction(filters.iter().cloned()) {
            let df_schema = DFSchema::try_from(Arc::clone(&self.table.schema))?;
            source = source.with_predicate(state.create_physical_expr(predicate, &df_schema)?);
        }
        let group_count = state.config().target_partitions().max(1).min(files.len());
        let groups = shared_by_size(files, group_count)
            .into_iter()
            .map(|group| {
                FileGroup::new(
                    group
                        .into_iter()
                        .map(|file| self.partitioned(file))
                        .collect(),
                )
            })
            .collect();
        let config = FileScanConfigBuilder::new(self.object_store_url.clone(), Arc::new(source))
            .with_file_groups(groups)
            .with_projection_indices(projection.cloned())?
            .with_limit(limit)
            .build();
        Ok(DataSourceExec::from_data_source(config))
    }
}

/// `files` shared out among `count` groups (the partitions of a scan) by size: largest
/// first, each to the group with the fewest bytes so far. The groups then end at about the
/// same time, where taking files in turn can give one group all the large (compacted) ones.
fn shared_by_size(mut files: Vec<&StoreFile>, count: usize) -> Vec<Vec<&StoreFile>> {
    files.sort_by_key(|file| std::cmp::Reverse(file.size));
    let mut groups: Vec<(u64, Vec<&StoreFile>)> = vec![(0, Vec::new()); count.max(1)];
    for file in files {
        if let Some((bytes, group)) = groups.iter_mut().min_by_key(|(bytes, _)| *bytes) {
            *bytes += file.size;
            group.push(file);
        }
    }
    groups.into_iter().map(|(_, group)| group).collect()
}

type ScanFuture<'a> =
    Pin<Box<dyn Future<Output = DataFusionResult<Arc<dyn ExecutionPlan>>> + Send + 'a>>;

impl TableProvider for StoreTableProvider {
    fn schema(&self) -> SchemaRef {
        Arc::clone(&self.table.schema)
    }

    fn table_type(&self) -> TableType {
        TableType::Base
    }

    // The trait is declared with `#[async_trait]`; this is its expansion, written
    // out so the crate needs no `async-trait` dependency. Planning the scan does
    // no I/O (file sizes and bounds come with the table), so the future is ready.
    fn scan<'life0, 'life1, 'life2, 'life3, 'async_trait>(
        &'life0 self,
        state: &'life1 dyn Session,
        projection: Option<&'life2 Vec<usize>>,
        filters: &'life3 [Expr],
        limit: Option<usize>,
    ) -> ScanFuture<'async_trait>
    where
        'life0: 'async_trait,
        'life1: 'async_trait,
        'life2: 'async_trait,
        'life3: 'async_trait,
        Self: 'async_trait,
    {
        let plan = self.plan_scan(state, projection, filters, limit);
        Box::pin(std::future::ready(plan))
    }

    fn supports_filters_pushdown(
        &self,
        filters: &[&Expr],
    ) -> DataFusionResult<Vec<TableProviderFilterPushDown>> {
        // Inexact: the filters prune files, row groups and pages, and DataFusion
        // still applies them to every row read.
        Ok(vec![TableProviderFilterPushDown::Inexact; filters.len()])
    }
}

/// `field` read as `Utf8View` when it is a text column, at the top and as a member of a
/// struct, at any depth: the Parquet reader then points into its decoded pages rather than
/// copying every string, and grouping and comparing on views is DataFusion's fast path.
///
/// Each file is read with this schema too ([`PartitionedFile::with_arrow_schema`]): a
/// struct whose type differed from the file's would make the scan cast, and so read, the
/// whole struct, where `get_field` on the same type reads only the members it names
/// (`userIdentity.arn` reads one leaf). Lists and maps keep their file types.
fn as_views(field: &FieldRef) -> FieldRef {
    match view_type(field.data_type()) {
        Some(data_type) => Arc::new(field.as_ref().clone().with_data_type(data_type)),
        None => Arc::clone(field),
    }
}

/// `data_type` with its text read as views (see [`as_views`]); `None` when nothing in it
/// changes.
fn view_type(data_type: &DataType) -> Option<DataType> {
    match data_type {
        DataType::Utf8 => Some(DataType::Utf8View),
        DataType::Struct(members) => {
            let viewed: Vec<FieldRef> = members.iter().map(as_views).collect();
            let changed = viewed
                .iter()
                .zip(members.iter())
                .any(|(viewed, member)| !Arc::ptr_eq(viewed, member));
            changed.then(|| DataType::Struct(viewed.into()))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use datafusion::logical_expr::{col, lit};

    fn ts(ms: i64) -> Expr {
        lit(ScalarValue::TimestampMillisecond(Some(ms), None))
    }

    fn file(name: &str, size: u64) -> StoreFile {
        StoreFile {
            location: object_store::path::Path::from(name),
            size,
            rows: 1,
            min_event_time_ms: 0,
            max_event_time_ms: 0,
        }
    }

    #[test]
    fn files_are_shared_out_by_size_not_in_turn() {
        let files = [
            file("a", 100),
            file("b", 10),
            file("c", 90),
            file("d", 10),
            file("e", 20),
        ];
        let groups = shared_by_size(files.iter().collect(), 2);
        let names: Vec<Vec<&str>> = groups
            .iter()
            .map(|group| group.iter().map(|file| file.location.as_ref()).collect())
            .collect();
        // In turn, the first group would get a, c and e (210 bytes) and the second 20.
        assert_eq!(names, [vec!["a", "b", "d"], vec!["c", "e"]]);
        let one = shared_by_size(files.iter().collect(), 1);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].len(), 5);
    }

    #[test]
    fn text_is_read_as_views_at_the_top_and_in_structs_but_not_in_lists() {
        use datafusion::arrow::datatypes::Field;
        let issuer = DataType::Struct(
            vec![
                Field::new("arn", DataType::Utf8, true),
                Field::new("type", DataType::Utf8, true),
            ]
            .into(),
        );
        let identity = Field::new(
            "useridentity",
            DataType::Struct(
                vec![
                    Field::new("arn", DataType::Utf8, true),
                    Field::new("issuer", issuer, true),
                    Field::new("count", DataType::Int64, true),
                ]
                .into(),
            ),
            true,
        );
        let list = Field::new(
            "names",
            DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
            true,
        );
        let viewed = as_views(&Arc::new(identity));
        let DataType::Struct(members) = viewed.data_type() else {
            panic!("not a struct: {viewed:?}");
        };
        assert_eq!(members[0].data_type(), &DataType::Utf8View);
        assert_eq!(members[2].data_type(), &DataType::Int64);
        let DataType::Struct(inner) = members[1].data_type() else {
            panic!("not a struct: {members:?}");
        };
        assert!(
            inner
                .iter()
                .all(|member| member.data_type() == &DataType::Utf8View)
        );
        let list = Arc::new(list);
        assert!(Arc::ptr_eq(&as_views(&list), &list));
    }

    #[test]
    fn bounds_from_comparisons_between_and_strings() {
        let bounds = TimeBounds::from_filters(&[
            col("eventtime").gt(ts(1_000)),
            ts(5_000).gt_eq(col("eventtime")),
        ]);
        assert_eq!(
            bounds,
            TimeBounds {
                min_ms: 1_001,
                max_ms: 5_000
            }
        );

        let bounds = TimeBounds::from_filters(&[col("eventtime").between(ts(10), ts(20))]);
        assert_eq!(
            bounds,
            TimeBounds {
                min_ms: 10,
                max_ms: 20
            }
        );

        let bounds = TimeBounds::from_filters(&[col("eventtime").lt(lit("1970-01-02"))]);
        assert_eq!(
            bounds,
            TimeBounds {
                min_ms: i64::MIN,
                max_ms: 86_399_999
            }
        );

        let bounds =
            TimeBounds::from_filters(&[col("eventtime").eq(ts(7)).and(col("x").eq(lit(1)))]);
        assert_eq!(
            bounds,
            TimeBounds {
                min_ms: 7,
                max_ms: 7
            }
        );
    }

    #[test]
    fn disjunctions_and_other_columns_do_not_prune() {
        let bounds = TimeBounds::from_filters(&[
            col("eventtime").gt(ts(1)).or(col("eventtime").lt(ts(0))),
            col("other").gt(ts(5)),
        ]);
        assert_eq!(bounds, TimeBounds::ALL);
    }
}
