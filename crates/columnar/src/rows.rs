//! [`RowsBuilder`]: records in, Arrow record batches out.

use arrow::datatypes::SchemaRef;
use arrow::record_batch::RecordBatch;
use serde::Deserialize;
use serde_json::error::Category;
use xxhash_rust::xxh3::{Xxh3, xxh3_64};

use crate::activity::ActivityColumns;
use crate::cloudtrail::CloudTrailColumns;
use crate::error::{Error, Result, RowError, RowErrorKind};
use crate::insights::InsightsColumns;
use crate::json::{Text, shorten, text};
use crate::{TableKind, schema};

/// The most record text one batch may hold: 1 GiB.
///
/// Arrow `Utf8` columns address at most 2 GiB per array, and every column's text is taken
/// from the record text (unescaped, compacted or cut, never longer; the 16-byte checksum is
/// shorter than any record with an `eventTime`), so this bound keeps every column valid. Real
/// batches (128 k rows of 1–2 KB) hold about a quarter of it.
pub const MAX_BATCH_RECORD_BYTES: usize = 1 << 30;

/// Facts about one pushed row that the storage layer needs without reparsing the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RowFacts {
    /// The row's `eventtime`, in milliseconds since the epoch (UTC).
    pub event_time_ms: i64,
    /// [`dedupe_key`] of the record's `eventID` and `recipientAccountId`.
    pub dedupe_key: u64,
}

/// Returns the 64-bit dedupe key of a record: xxh3-64 of `eventID`, one NUL byte, and
/// `recipientAccountId` (an absent member counts as the empty string).
///
/// CloudTrail's primary key is `eventID`; the account is part of the key because the copies
/// of one shared event delivered to two accounts are two records (spec §1.1 `sharedEventID`).
pub fn dedupe_key(event_id: &str, recipient_account_id: &str) -> u64 {
    let mut hasher = Xxh3::new();
    hasher.update(event_id.as_bytes());
    hasher.update(&[0]);
    hasher.update(recipient_account_id.as_bytes());
    hasher.digest()
}

/// Returns the `eventjsonchecksum` of a record text: xxh3-64 of its bytes as 16 lowercase
/// hex digits.
///
/// The checksum detects accidental change of the stored text; tamper evidence is the job of
/// the signed digest files, so a cryptographic hash would cost a few microseconds per row
/// (SHA-256 of 2 KB) for nothing. xxh3 runs at memory speed.
pub fn checksum_hex(json: &str) -> String {
    format!("{:016x}", xxh3_64(json.as_bytes()))
}

/// Builds Arrow record batches of one table kind from CloudTrail JSON records.
///
/// Each [`push`](RowsBuilder::push) maps one record to one row following spec §3.4 (see the
/// crate documentation for the rules); [`finish`](RowsBuilder::finish) returns the rows
/// pushed since the last finish as a batch of [`schema(kind)`](crate::schema()).
#[derive(Debug)]
pub struct RowsBuilder {
    kind: TableKind,
    schema: SchemaRef,
    columns: Columns,
    facts: Vec<RowFacts>,
    record_bytes: usize,
}

#[derive(Debug)]
enum Columns {
    CloudTrail(Box<CloudTrailColumns>),
    Insights(Box<InsightsColumns>),
    ActivityAuditLog(Box<ActivityColumns>),
}

impl RowsBuilder {
    /// Returns an empty builder for tables of `kind`.
    pub fn new(kind: TableKind) -> RowsBuilder {
        let columns = match kind {
            TableKind::CloudTrail => Columns::CloudTrail(Box::new(CloudTrailColumns::new())),
            TableKind::Insights => Columns::Insights(Box::new(InsightsColumns::new())),
            TableKind::ActivityAuditLog => {
                Columns::ActivityAuditLog(Box::new(ActivityColumns::new()))
            }
        };
        RowsBuilder {
            kind,
            schema: schema(kind),
            columns,
            facts: Vec::new(),
            record_bytes: 0,
        }
    }

    /// Returns the table kind this builder makes rows for.
    pub fn kind(&self) -> TableKind {
        self.kind
    }

    /// Returns the schema of the batches this builder returns.
    pub fn schema(&self) -> SchemaRef {
        self.schema.clone()
    }

    /// Maps one JSON record (UTF-8 bytes, surrounding whitespace allowed) to a row.
    ///
    /// For [`TableKind::CloudTrail`] the record is a CloudTrail event record (§1.1), for
    /// [`TableKind::Insights`] a trail-format Insights record (§4.4), for
    /// [`TableKind::ActivityAuditLog`] the stored record of §3.6.3.
    ///
    /// # Errors
    ///
    /// Returns a [`RowError`] naming the member at fault when the record is not JSON, not an
    /// object, lacks a parsable `eventTime`, or has a member of a type its column cannot
    /// hold; and [`RowErrorKind::BatchFull`] when the batch already holds
    /// [`MAX_BATCH_RECORD_BYTES`]. Nothing of a refused record is added.
    pub fn push(&mut self, record: &[u8]) -> Result<(), RowError> {
        if self.record_bytes.saturating_add(record.len()) > MAX_BATCH_RECORD_BYTES {
            return Err(RowError::new(
                RowErrorKind::BatchFull,
                "",
                format!(
                    "the batch holds {} bytes of records; finish it before pushing more",
                    self.record_bytes
                ),
            ));
        }
        let json = std::str::from_utf8(record)
            .map_err(|error| {
                RowError::new(RowErrorKind::NotJson, "", format!("not UTF-8: {error}"))
            })?
            .trim_matches([' ', '\n', '\r', '\t']);
        if !json.starts_with('{') {
            let kind = if serde_json::from_str::<serde::de::IgnoredAny>(json).is_ok() {
                RowErrorKind::NotObject
            } else {
                RowErrorKind::NotJson
            };
            return Err(RowError::new(
                kind,
                "",
                format!("expected a JSON object, found `{}`", shorten(json)),
            ));
        }
        let facts = match &mut self.columns {
            Columns::CloudTrail(columns) => columns.push(json)?,
            Columns::Insights(columns) => columns.push(json)?,
            Columns::ActivityAuditLog(columns) => columns.push(json)?,
        };
        self.facts.push(facts);
        self.record_bytes += record.len();
        Ok(())
    }

    /// Returns how many rows were pushed since the last [`finish`](RowsBuilder::finish).
    pub fn len(&self) -> usize {
        self.facts.len()
    }

    /// Returns `true` when no row was pushed since the last [`finish`](RowsBuilder::finish).
    pub fn is_empty(&self) -> bool {
        self.facts.is_empty()
    }

    /// Returns the facts of the rows pushed since the last finish, in push order.
    pub fn facts(&self) -> &[RowFacts] {
        &self.facts
    }

    /// Returns the rows pushed since the last finish as one batch and empties the builder.
    ///
    /// # Errors
    ///
    /// Returns an [`ErrorKind::Internal`](crate::ErrorKind::Internal) error only when the
    /// builders disagree with the schema, a bug the tests of every kind rule out.
    pub fn finish(&mut self) -> Result<RecordBatch> {
        let columns = match &mut self.columns {
            Columns::CloudTrail(columns) => columns.finish(&self.schema)?,
            Columns::Insights(columns) => columns.finish(&self.schema)?,
            Columns::ActivityAuditLog(columns) => columns.finish(&self.schema)?,
        };
        self.facts.clear();
        self.record_bytes = 0;
        RecordBatch::try_new(self.schema.clone(), columns).map_err(Error::arrow("record batch"))
    }

    /// Like [`finish`](RowsBuilder::finish), and also returns the facts of the batch's rows.
    ///
    /// # Errors
    ///
    /// As [`finish`](RowsBuilder::finish).
    pub fn finish_with_facts(&mut self) -> Result<(RecordBatch, Vec<RowFacts>)> {
        let facts = std::mem::take(&mut self.facts);
        let batch = self.finish()?;
        Ok((batch, facts))
    }
}

/// Parses a record into `T`; a failure names the member at fault.
///
/// The fast parse tracks no path. Only when it fails is the record parsed again through
/// `serde_path_to_error`, which names the member (`userIdentity.sessionContext`).
pub(crate) fn parse_record<'a, T: Deserialize<'a>>(json: &'a str) -> Result<T, RowError> {
    let error = match serde_json::from_str::<T>(json) {
        Ok(record) => return Ok(record),
        Err(error) => error,
    };
    let kind = match error.classify() {
        Category::Syntax | Category::Eof | Category::Io => RowErrorKind::NotJson,
        Category::Data => RowErrorKind::InvalidMember,
    };
    let mut deserializer = serde_json::Deserializer::from_str(json);
    let mut member = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => String::new(),
        Err(tracked) => {
            let path = tracked.path().to_string();
            if path == "." { String::new() } else { path }
        }
    };
    let detail = error.to_string();
    // A repeated member is reported on its parent; the parser's text names the member.
    if let Some(name) = detail
        .strip_prefix("duplicate field `")
        .and_then(|rest| rest.split('`').next())
    {
        member = if member.is_empty() {
            name.to_owned()
        } else {
            format!("{member}.{name}")
        };
    }
    Err(RowError::new(kind, member, detail))
}

/// Checks the row's `eventTime` and computes its facts.
pub(crate) fn row_facts(
    event_time: &Option<Text<'_>>,
    event_id: &Option<Text<'_>>,
    recipient_account_id: &Option<Text<'_>>,
) -> Result<RowFacts, RowError> {
    let Some(time_text) = text(event_time) else {
        return Err(RowError::new(
            RowErrorKind::MissingMember,
            "eventTime",
            "the member is absent or null",
        ));
    };
    let event_time = opentrail_types::Timestamp::parse_event_time(time_text).map_err(|error| {
        RowError::new(RowErrorKind::InvalidMember, "eventTime", error.to_string())
    })?;
    Ok(RowFacts {
        event_time_ms: event_time.as_millis(),
        dedupe_key: dedupe_key(
            text(event_id).unwrap_or_default(),
            text(recipient_account_id).unwrap_or_default(),
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dedupe_key_is_xxh3_of_id_nul_account() {
        let expected = xxh3_64(b"9f3a7c1e-4b2d-4e8f-a6c5-1d0e2f3b4a59\x00210987654321");
        assert_eq!(
            dedupe_key("9f3a7c1e-4b2d-4e8f-a6c5-1d0e2f3b4a59", "210987654321"),
            expected
        );
        assert_ne!(dedupe_key("ab", "c"), dedupe_key("a", "bc"));
    }

    #[test]
    fn checksum_is_sixteen_hex_digits() {
        let checksum = checksum_hex("{}");
        assert_eq!(checksum.len(), 16);
        assert_eq!(checksum, format!("{:016x}", xxh3_64(b"{}")));
    }
}
