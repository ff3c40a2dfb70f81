//! Lake's table form: the Arrow schemas of each store kind, records to rows, Parquet files.
//!
//! CloudTrail Lake keeps each event data store as a table (spec
//! `events-and-queries.md` §3.4). This crate owns that table form:
//!
//! - [`TableKind`] and [`schema()`]: the columns of a CloudTrail-events store (§3.4.2), an
//!   Insights store (§3.4.3 with §4.5) and an `ActivityAuditLog` store (§3.4.4).
//! - [`RowsBuilder`]: one JSON record in, one row out; [`RowsBuilder::finish`] returns an
//!   Arrow [`RecordBatch`](arrow::record_batch::RecordBatch). [`RowFacts`] gives the storage
//!   layer each row's event time and [`dedupe_key`] without reparsing.
//! - [`write_parquet`], [`read_file_summary`], [`read_keys`]: Parquet files of batches.
//!
//! # Mapping rules (§3.4.2)
//!
//! - A member absent or `null` in the record is NULL in its column; a struct member present
//!   as an object (even `{}`) gives a non-NULL struct whose absent members are NULL.
//! - String columns hold JSON strings unescaped; a number or boolean found where a string is
//!   expected is kept as its JSON text; an object or array there refuses the record.
//! - `map<string,string>` columns: one entry per top-level key in record order, strings as
//!   is, numbers and booleans as their JSON text as written (`0`, `9.82222E-5`, `true`),
//!   objects and arrays as compact JSON text (the record's text minus whitespace between
//!   tokens, escapes kept), JSON `null` as a NULL value. A repeated key keeps its first
//!   position and its last value.
//! - `resources[].arn` comes from `ARN`; `arnprefix` is the ARN up to and including its last
//!   `/` or `:` (NULL when it has neither).
//! - `readonly` and `managementevent` take JSON booleans and the strings `"true"`/`"false"`.
//! - `eventtime` is parsed from `eventTime` (`2026-01-22T16:53:53Z`, fractions allowed) into
//!   UTC milliseconds; a record without a parsable one is refused.
//!   `useridentity.sessioncontext.attributes.creationdate` is parsed the same way (both ISO
//!   forms AWS writes) and is NULL when unparsable.
//! - `eventjson` is the record text (surrounding whitespace trimmed) in every kind;
//!   `eventjsonchecksum` (CloudTrail kind only, as in the spec) is [`checksum_hex`]: xxh3-64
//!   in hex, an integrity check against accidental change, not a signature.
//!
//! # Example
//!
//! ```
//! use opentrail_columnar::{ParquetOptions, RowsBuilder, TableKind, write_parquet};
//!
//! let mut rows = RowsBuilder::new(TableKind::CloudTrail);
//! rows.push(br#"{"eventTime":"2026-01-22T16:53:53Z","eventID":"e1","readOnly":true,
//!               "requestParameters":{"bucketName":"acme","maxKeys":1000}}"#)?;
//! let (batch, facts) = rows.finish_with_facts()?;
//! assert_eq!(facts[0].event_time_ms, 1_769_100_833_000);
//!
//! let mut file = Vec::new();
//! let summary = write_parquet(&[batch], &mut file, &ParquetOptions::default())?;
//! assert_eq!(summary.rows, 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![warn(missing_docs)]

mod activity;
mod cloudtrail;
mod columns;
mod error;
mod insights;
mod json;
mod merge;
mod parquet_io;
mod rows;
mod schema;

use arrow::datatypes::Schema;

pub use error::{Error, ErrorKind, Result, RowError, RowErrorKind};
pub use merge::merge_parquet;
pub use parquet_io::{
    FORMAT_VERSION, FileSummary, META_FORMAT_VERSION, META_MAX_EVENT_TIME_MS,
    META_MIN_EVENT_TIME_MS, META_ROWS, META_TABLE_KIND, ParquetOptions, read_file_summary,
    read_keys, write_parquet,
};
pub use rows::{MAX_BATCH_RECORD_BYTES, RowFacts, RowsBuilder, checksum_hex, dedupe_key};
pub use schema::{describe_schema, event_time_type, schema, string_map_type};

/// The kind of an event data store, which fixes its table schema (spec §3.1, §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TableKind {
    /// CloudTrail events: management, data and network activity (§3.4.2).
    CloudTrail,
    /// Insights events (§3.4.3, §4.5).
    Insights,
    /// Non-AWS events ingested through channels with `PutAuditEvents` (§3.4.4).
    ActivityAuditLog,
}

impl TableKind {
    /// Every kind, in declaration order.
    pub const ALL: [TableKind; 3] = [
        TableKind::CloudTrail,
        TableKind::Insights,
        TableKind::ActivityAuditLog,
    ];

    /// Returns the kind's name as written in file metadata: `CloudTrail`, `Insights`,
    /// `ActivityAuditLog`.
    pub fn name(self) -> &'static str {
        match self {
            TableKind::CloudTrail => "CloudTrail",
            TableKind::Insights => "Insights",
            TableKind::ActivityAuditLog => "ActivityAuditLog",
        }
    }

    /// Returns the kind whose [`schema()`] equals `schema` (fields and types), if any.
    pub fn of_schema(schema: &Schema) -> Option<TableKind> {
        TableKind::ALL
            .into_iter()
            .find(|kind| crate::schema(*kind).fields() == schema.fields())
    }
}
