//! Lake SQL on DataFusion: the CloudTrail Lake dialect, Trino functions, store
//! tables with pruning, results as strings, statistics.
//!
//! The crate knows nothing of HTTP or of where stores are registered. The API
//! layer:
//!
//! 1. checks the client's statement with [`parse_statement`], which returns a
//!    [`Checked`] statement and the store ids it names ([`Checked::tables`]);
//! 2. looks those stores up and describes each as a [`StoreTable`] (schema and
//!    Parquet files with their `eventtime` range);
//! 3. runs it with [`SqlEngine::execute`], which returns a [`QueryOutput`]: the
//!    column names, the rows as strings in Trino's text form, and the
//!    [`QueryStats`].
//!
//! # Dialect
//!
//! Trino as far as sqlparser parses it: sqlparser has no Trino dialect, and its
//! generic dialect ([`lake_dialect`]) parses the most of the real Lake queries
//! (see `tests/fixtures.rs`). Before parsing, store ids written bare or as ARNs
//! become quoted identifiers; after parsing, the gate refuses anything but one
//! read-only query.
//!
//! # Identifiers and result column names
//!
//! Identifiers are case-insensitive, like Trino's, against the lowercase store
//! schemas: DataFusion lowercases unquoted identifiers and the gate lowercases
//! quoted ones, so `eventName`, `"EVENTNAME"` and
//! `userIdentity.sessionContext.sessionIssuer.userName` resolve. Store names
//! keep their case and match the [`StoreTable`] names case-insensitively. Result
//! column names come from the statement as written, by Trino's rules: the alias
//! as written; a column's name as written (`eventName`); a nested field's last
//! component (`userIdentity.arn` → `arn`, `element_at(resources, 1).arn` →
//! `arn`); `_colN` (N the 0-based result position) for any other expression;
//! the schema's lowercase names for the columns `*` expands to. The names come
//! from the leftmost `SELECT` of a set operation.
//!
//! Other rewrites before planning, each in its module: `.field` after a
//! subscript or a function call; `CROSS JOIN UNNEST(a) AS t(x)` as a projection
//! (module `unnest`); `string_column = true` (module `coerce`); internal
//! aliases where DataFusion refuses duplicate projection names (Trino allows
//! them). Numeric literals with a point are DECIMAL, as in Trino.
//!
//! # Values
//!
//! Values are rendered as Trino prints them; the rules are in module
//! [`render`]. `eventtime` predicates prune files before DataFusion's Parquet
//! scan prunes row groups and pages; [`QueryStats`] reports what was read.
//!
//! ```
//! use std::sync::Arc;
//!
//! use opentrail_sql::{CancelFlag, EngineConfig, SqlEngine, StoreTable, parse_statement};
//! use datafusion::arrow::datatypes::{DataType, Field, Schema, TimeUnit};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), opentrail_sql::SqlError> {
//! let checked = parse_statement(
//!     "SELECT eventName, COUNT(*) AS n FROM EXAMPLEf852-4e8f-8bd1-bcf6cEXAMPLE GROUP BY eventName",
//! )?;
//! assert_eq!(checked.tables(), ["EXAMPLEf852-4e8f-8bd1-bcf6cEXAMPLE"]);
//!
//! let schema = Arc::new(Schema::new(vec![
//!     Field::new("eventname", DataType::Utf8, true),
//!     Field::new("eventtime", DataType::Timestamp(TimeUnit::Millisecond, None), true),
//! ]));
//! let store = StoreTable {
//!     name: "EXAMPLEf852-4e8f-8bd1-bcf6cEXAMPLE".to_owned(),
//!     schema,
//!     files: Vec::new(), // an empty store
//! };
//! let engine = SqlEngine::new(
//!     EngineConfig::default(),
//!     Arc::new(object_store::memory::InMemory::new()),
//! )?;
//! let output = engine.execute(&checked, &[store], &CancelFlag::new(), 1 << 20).await?;
//! assert_eq!(output.columns, ["eventName", "n"]);
//! assert!(output.rows.is_empty());
//! # Ok(())
//! # }
//! ```

#![warn(missing_docs)]

mod coerce;
mod engine;
mod error;
mod functions;
mod gate;
mod names;
pub mod render;
mod store_names;
mod table;
mod unnest;

pub use engine::{CancelFlag, EngineConfig, QueryOutput, QueryStats, SqlEngine};
pub use error::{Error, Result, SqlError, SqlErrorKind};
pub use gate::{Checked, MAX_STATEMENT_CHARS, lake_dialect, parse_statement};
pub use table::{EVENT_TIME_COLUMN, StoreFile, StoreTable};
