//! Splits one decompressed file into raw records, without copying them.
//!
//! Each record is a `&RawValue` borrowed from the file's buffer: the exact JSON text of one
//! record object, to be parsed (or stored verbatim) by the caller. The format is told by
//! content, after an optional UTF-8 byte order mark and leading whitespace:
//!
//! | Content | Result |
//! | --- | --- |
//! | `{"Records":[...]}`: a log file (`spec/trails-and-integrity.md` §1.2, §1.6); other top-level members are ignored | [`RecordFormat::Envelope`] |
//! | `{"Events":[...]}` with no `Records`: the output of `aws cloudtrail lookup-events` for Insights events, whose elements are records | [`RecordFormat::EventsList`] |
//! | `[{...},{...}]`: a JSON array of records | [`RecordFormat::Array`] |
//! | one JSON object per line (NDJSON / JSON Lines); blank lines are skipped, and a line may also hold a whole `{"Records":[...]}` log file | [`RecordFormat::Lines`] |
//! | one record object (it has `eventVersion`, `eventTime`, `eventName`, ... but no `Records`), compact or pretty-printed | [`RecordFormat::Single`] |
//! | a digest file (`digestStartTime`, `digestEndTime`, `logFiles`, ...; §2.2) | [`FileContent::Digest`], no records |
//! | nothing but whitespace | [`FileContent::Empty`] |
//! | anything else | [`ErrorKind::Format`] |
//!
//! Newline-delimited records are told from a pretty-printed single object by the first
//! line: when it is a complete JSON object on its own and more lines follow, the file is one
//! object per line. A file whose first line is broken but whose next non-blank line is a
//! complete object is read as lines too (the first line becomes a per-record error).
//!
//! Errors inside one record (an array element that is not an object, a line that is not
//! JSON) are [`RecordError`]s in the list, in file order, and the other records still come
//! through; an error that makes the whole file unreadable (malformed JSON in an array or
//! envelope, an unknown object) is an [`Error`] for the file.
//!
//! ```
//! use opentrail_archive::records::{split, FileContent, RecordFormat};
//!
//! let text = br#"{"Records":[{"eventVersion":"1.08","eventName":"GetObject"},{"eventVersion":"1.08"}]}"#;
//! let FileContent::Records { format, records } = split(text)? else { panic!("not records") };
//! assert_eq!(format, RecordFormat::Envelope);
//! assert_eq!(records.len(), 2);
//! assert_eq!(records[1].as_ref().unwrap().get(), r#"{"eventVersion":"1.08"}"#);
//!
//! let lines = b"{\"eventTime\":\"2023-07-10T11:45:00Z\"}\nnot json\n{\"eventTime\":\"2023-07-10T11:46:00Z\"}\n";
//! let content = split(lines)?;
//! assert_eq!(content.format(), Some(RecordFormat::Lines));
//! assert_eq!(content.records()[1].as_ref().unwrap_err().to_string(), "line 2: invalid JSON");
//! # Ok::<(), opentrail_archive::Error>(())
//! ```

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{Error, ErrorKind, Result};
use crate::gzip::GZIP_MAGIC;

/// The most records [`split`] returns from one file. With the default 512 MiB decompressed
/// cap and real records of at least a few hundred bytes, no real file comes close; the limit
/// bounds the record list of a hostile file made of tiny objects.
pub const MAX_RECORDS_PER_FILE: usize = 4 * 1024 * 1024;

const BYTE_ORDER_MARK: char = '\u{feff}';
const BYTE_ORDER_MARK_UTF8: &[u8] = b"\xef\xbb\xbf";

/// JSON's insignificant whitespace (RFC 8259 §2).
const JSON_WHITESPACE: [char; 4] = [' ', '\t', '\n', '\r'];

/// Top-level members that only a record has.
const RECORD_MEMBERS: [&str; 8] = [
    "eventVersion",
    "eventTime",
    "eventName",
    "eventSource",
    "eventID",
    "eventType",
    "eventCategory",
    "userIdentity",
];

/// Top-level members that only a digest file has (`spec/trails-and-integrity.md` §2.2).
const DIGEST_MEMBERS: [&str; 7] = [
    "digestStartTime",
    "digestEndTime",
    "digestS3Bucket",
    "digestS3Object",
    "digestPublicKeyFingerprint",
    "digestSignatureAlgorithm",
    "logFiles",
];

/// How the records of a file were laid out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordFormat {
    /// A CloudTrail log file: `{"Records":[...]}`.
    Envelope,
    /// `{"Events":[...]}`, elements being records (`lookup-events` output for Insights).
    EventsList,
    /// A JSON array of records.
    Array,
    /// One JSON object per line.
    Lines,
    /// One record object.
    Single,
}

/// One record of a file: its exact JSON text, or why that element is not a record.
pub type RawRecord<'a> = Result<&'a RawValue, RecordError>;

/// What one file holds.
#[derive(Debug)]
pub enum FileContent<'a> {
    /// Records, in file order.
    Records {
        /// How they were laid out.
        format: RecordFormat,
        /// The records, each borrowed from the file's buffer, or a per-record error.
        records: Vec<RawRecord<'a>>,
    },
    /// A digest file: no records. The whole digest object, for callers that read it.
    Digest(&'a RawValue),
    /// Nothing but whitespace (or nothing at all).
    Empty,
}

impl<'a> FileContent<'a> {
    /// The records, empty for a digest or an empty file.
    pub fn records(&self) -> &[RawRecord<'a>] {
        match self {
            FileContent::Records { records, .. } => records,
            FileContent::Digest(_) | FileContent::Empty => &[],
        }
    }

    /// The layout of the records, `None` for a digest or an empty file.
    pub fn format(&self) -> Option<RecordFormat> {
        match self {
            FileContent::Records { format, .. } => Some(*format),
            FileContent::Digest(_) | FileContent::Empty => None,
        }
    }
}

/// Where a record sits in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordPosition {
    /// 0-based index in the `Records` array, `Events` array or top-level array.
    Index(usize),
    /// 1-based line of a newline-delimited file (blank lines count).
    Line(u64),
}

impl fmt::Display for RecordPosition {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordPosition::Index(index) => write!(formatter, "record index {index}"),
            RecordPosition::Line(line) => write!(formatter, "line {line}"),
        }
    }
}

/// What is wrong with one record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RecordErrorKind {
    /// A line of a newline-delimited file is not valid JSON.
    InvalidJson,
    /// The element is valid JSON but not an object.
    NotAnObject,
}

/// Why one element of a file is not a record; the file's other records are unaffected.
///
/// Boxed, so that a [`RawRecord`] stays two words.
#[derive(Debug, thiserror::Error)]
#[error(transparent)]
pub struct RecordError(Box<RecordProblem>);

#[derive(Debug, thiserror::Error)]
enum RecordProblem {
    #[error("line {line}: invalid JSON")]
    InvalidJson {
        line: u64,
        #[source]
        source: serde_json::Error,
    },
    #[error("{position}: a record must be a JSON object, found {found}")]
    NotAnObject {
        position: RecordPosition,
        found: &'static str,
    },
}

impl RecordError {
    /// Where the bad element is.
    pub fn position(&self) -> RecordPosition {
        match &*self.0 {
            RecordProblem::InvalidJson { line, .. } => RecordPosition::Line(*line),
            RecordProblem::NotAnObject { position, .. } => *position,
        }
    }

    /// What is wrong with it.
    pub fn kind(&self) -> RecordErrorKind {
        match &*self.0 {
            RecordProblem::InvalidJson { .. } => RecordErrorKind::InvalidJson,
            RecordProblem::NotAnObject { .. } => RecordErrorKind::NotAnObject,
        }
    }

    fn invalid_json(line: u64, source: serde_json::Error) -> RecordError {
        RecordError(Box::new(RecordProblem::InvalidJson { line, source }))
    }
}

/// Splits `bytes` (one whole, decompressed file) into records, at most
/// [`MAX_RECORDS_PER_FILE`] of them.
///
/// # Errors
///
/// [`ErrorKind::Format`] when the content is not UTF-8, not JSON, or not one of the formats
/// in the [module docs](self); [`ErrorKind::TooLarge`] when it holds more records than the
/// limit.
pub fn split(bytes: &[u8]) -> Result<FileContent<'_>> {
    split_with_limit(bytes, MAX_RECORDS_PER_FILE)
}

/// As [`split`], with at most `max_records` records (per-record errors count too).
///
/// # Errors
///
/// As [`split`].
pub fn split_with_limit(bytes: &[u8], max_records: usize) -> Result<FileContent<'_>> {
    // Judge the first byte before UTF-8, so that a binary file gets the clearer message.
    let after_mark = bytes.strip_prefix(BYTE_ORDER_MARK_UTF8).unwrap_or(bytes);
    let first_byte = after_mark
        .iter()
        .find(|byte| !matches!(byte, b' ' | b'\t' | b'\n' | b'\r'));
    if let Some(&byte) = first_byte
        && byte != b'{'
        && byte != b'['
    {
        return Err(not_json_error(byte));
    }
    let text = std::str::from_utf8(bytes).map_err(|error| {
        Error::new(
            ErrorKind::Format,
            format!(
                "content is not UTF-8 text (invalid byte at offset {})",
                error.valid_up_to()
            ),
        )
        .with_source(error)
    })?;
    let text = text.strip_prefix(BYTE_ORDER_MARK).unwrap_or(text);
    let body_start = text.len() - text.trim_start_matches(JSON_WHITESPACE).len();
    let body = text[body_start..].trim_end_matches(JSON_WHITESPACE);
    let splitter = Splitter {
        text,
        body,
        first_body_line: 1 + count_newlines(&text[..body_start]),
        max_records,
    };
    match body.as_bytes().first() {
        None => Ok(FileContent::Empty),
        Some(b'[') => splitter.split_array(),
        Some(b'{') => splitter.split_object_or_lines(),
        Some(&byte) => Err(not_json_error(byte)),
    }
}

/// One file being split.
struct Splitter<'a> {
    /// The whole text, without the byte order mark (JSON errors count lines in it).
    text: &'a str,
    /// The text without leading and trailing whitespace; not empty.
    body: &'a str,
    /// The line `body` starts on.
    first_body_line: u64,
    max_records: usize,
}

impl<'a> Splitter<'a> {
    fn split_array(&self) -> Result<FileContent<'a>> {
        let limit_hit = Cell::new(false);
        let seed = RecordListSeed {
            max_records: self.max_records,
            positions: PositionBase::Index,
            limit_hit: &limit_hit,
        };
        let records =
            parse_whole(self.text, seed).map_err(|error| self.document_error(error, &limit_hit))?;
        Ok(FileContent::Records {
            format: RecordFormat::Array,
            records,
        })
    }

    fn split_object_or_lines(&self) -> Result<FileContent<'a>> {
        let Some(first_newline) = self.body.find('\n') else {
            return self.split_whole_object();
        };
        let first_line = self.body[..first_newline].trim_end_matches(JSON_WHITESPACE);
        if is_complete_object(first_line) {
            return self.split_lines();
        }
        match self.split_whole_object() {
            Err(error)
                if error.kind() == ErrorKind::Format
                    && next_non_blank_line_is_complete_object(&self.body[first_newline..]) =>
            {
                self.split_lines()
            }
            result => result,
        }
    }

    fn split_whole_object(&self) -> Result<FileContent<'a>> {
        let limit_hit = Cell::new(false);
        let seed = TopLevelSeed {
            max_records: self.max_records,
            positions: PositionBase::Index,
            limit_hit: &limit_hit,
        };
        let top =
            parse_whole(self.text, seed).map_err(|error| self.document_error(error, &limit_hit))?;
        if let Some(records) = top.records {
            return Ok(FileContent::Records {
                format: RecordFormat::Envelope,
                records,
            });
        }
        if let Some(records) = top.events {
            return Ok(FileContent::Records {
                format: RecordFormat::EventsList,
                records,
            });
        }
        if top.has_digest_member {
            return Ok(FileContent::Digest(self.body_as_raw_value()?));
        }
        if top.has_record_member {
            if self.max_records == 0 {
                return Err(self.too_many_records());
            }
            return Ok(FileContent::Records {
                format: RecordFormat::Single,
                records: vec![Ok(self.body_as_raw_value()?)],
            });
        }
        Err(Error::new(
            ErrorKind::Format,
            "JSON object is neither a log file (no `Records` array), a digest file \
             (no `digestStartTime`, `logFiles`, ...) nor a record (no `eventVersion`, \
             `eventTime`, `eventName`, ...)",
        ))
    }

    fn split_lines(&self) -> Result<FileContent<'a>> {
        let mut records = Vec::new();
        for (current_line, line) in (self.first_body_line..).zip(self.body.split('\n')) {
            let line = line.trim_matches(JSON_WHITESPACE);
            if line.is_empty() {
                continue;
            }
            // A whole log file on one line; the cheap text test keeps the common case (one
            // record per line) to a single parse.
            if line.starts_with('{') && line.contains("\"Records\"") {
                let limit_hit = Cell::new(false);
                let seed = TopLevelSeed {
                    max_records: self.max_records.saturating_sub(records.len()),
                    positions: PositionBase::Line(current_line),
                    limit_hit: &limit_hit,
                };
                match parse_whole(line, seed) {
                    Ok(TopLevel {
                        records: Some(envelope_records),
                        ..
                    }) => {
                        records.extend(envelope_records);
                        continue;
                    }
                    // Not an envelope: the line is a record.
                    Ok(_) => {}
                    Err(_) if limit_hit.get() => return Err(self.too_many_records()),
                    Err(error) => {
                        records.push(Err(RecordError::invalid_json(current_line, error)));
                        continue;
                    }
                }
            }
            if records.len() >= self.max_records {
                return Err(self.too_many_records());
            }
            let record = match serde_json::from_str::<&RawValue>(line) {
                Ok(raw) => check_object(raw, RecordPosition::Line(current_line)),
                Err(error) => Err(RecordError::invalid_json(current_line, error)),
            };
            records.push(record);
        }
        Ok(FileContent::Records {
            format: RecordFormat::Lines,
            records,
        })
    }

    fn body_as_raw_value(&self) -> Result<&'a RawValue> {
        serde_json::from_str(self.body).map_err(|error| {
            Error::new(
                ErrorKind::Format,
                "internal error: a parsed JSON object no longer parses",
            )
            .with_source(error)
        })
    }

    fn document_error(&self, error: serde_json::Error, limit_hit: &Cell<bool>) -> Error {
        if limit_hit.get() {
            return self.too_many_records();
        }
        let message = match error.classify() {
            serde_json::error::Category::Data => "unexpected JSON structure",
            serde_json::error::Category::Io
            | serde_json::error::Category::Syntax
            | serde_json::error::Category::Eof => "invalid JSON",
        };
        Error::new(ErrorKind::Format, message).with_source(error)
    }

    fn too_many_records(&self) -> Error {
        Error::new(
            ErrorKind::TooLarge,
            format!("file holds more than {} records", self.max_records),
        )
    }
}

/// Parses all of `text` with `seed`; trailing non-whitespace is an error.
fn parse_whole<'a, S>(text: &'a str, seed: S) -> serde_json::Result<S::Value>
where
    S: DeserializeSeed<'a>,
{
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let value = seed.deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

fn is_complete_object(line: &str) -> bool {
    line.starts_with('{') && serde_json::from_str::<IgnoredAny>(line).is_ok()
}

fn next_non_blank_line_is_complete_object(rest: &str) -> bool {
    rest.split('\n')
        .map(|line| line.trim_matches(JSON_WHITESPACE))
        .find(|line| !line.is_empty())
        .is_some_and(is_complete_object)
}

fn count_newlines(text: &str) -> u64 {
    text.bytes().filter(|byte| *byte == b'\n').count() as u64
}

fn check_object(raw: &RawValue, position: RecordPosition) -> RawRecord<'_> {
    let found = match raw.get().as_bytes().first() {
        Some(b'{') => return Ok(raw),
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    };
    Err(RecordError(Box::new(RecordProblem::NotAnObject {
        position,
        found,
    })))
}

fn not_json_error(first_byte: u8) -> Error {
    if first_byte == GZIP_MAGIC[0] {
        return Error::new(
            ErrorKind::Format,
            "content is gzip-compressed (compressed twice, or not decompressed)",
        );
    }
    let found = if first_byte.is_ascii_graphic() {
        format!("`{}`", char::from(first_byte))
    } else {
        format!("byte 0x{first_byte:02x}")
    };
    Error::new(
        ErrorKind::Format,
        format!("content is not a JSON object or array: it starts with {found}"),
    )
}

/// How positions of list elements are reported.
#[derive(Debug, Clone, Copy)]
enum PositionBase {
    /// By index in the list.
    Index,
    /// By the line the whole list is on.
    Line(u64),
}

impl PositionBase {
    fn at(self, index: usize) -> RecordPosition {
        match self {
            PositionBase::Index => RecordPosition::Index(index),
            PositionBase::Line(line) => RecordPosition::Line(line),
        }
    }
}

/// Reads a JSON array into borrowed records, stopping past `max_records`.
struct RecordListSeed<'s> {
    max_records: usize,
    positions: PositionBase,
    /// Set when the limit stopped the parse (the `serde_json::Error` cannot carry our kind).
    limit_hit: &'s Cell<bool>,
}

impl<'de> DeserializeSeed<'de> for RecordListSeed<'_> {
    type Value = Vec<RawRecord<'de>>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RecordListSeed<'_> {
    type Value = Vec<RawRecord<'de>>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON array of records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut elements: A) -> Result<Self::Value, A::Error> {
        let mut records = Vec::new();
        while let Some(raw) = elements.next_element::<&'de RawValue>()? {
            if records.len() >= self.max_records {
                self.limit_hit.set(true);
                return Err(de::Error::custom("too many records"));
            }
            records.push(check_object(raw, self.positions.at(records.len())));
        }
        Ok(records)
    }
}

/// What the top-level object of a file tells about it.
#[derive(Debug, Default)]
struct TopLevel<'de> {
    records: Option<Vec<RawRecord<'de>>>,
    events: Option<Vec<RawRecord<'de>>>,
    has_record_member: bool,
    has_digest_member: bool,
}

/// Reads a top-level object in one pass: `Records` and `Events` into record lists, other
/// members skipped, noting whether record or digest members were seen.
struct TopLevelSeed<'s> {
    max_records: usize,
    positions: PositionBase,
    limit_hit: &'s Cell<bool>,
}

impl<'de> DeserializeSeed<'de> for TopLevelSeed<'_> {
    type Value = TopLevel<'de>;

    fn deserialize<D: de::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for TopLevelSeed<'_> {
    type Value = TopLevel<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut members: A) -> Result<Self::Value, A::Error> {
        let mut top = TopLevel::default();
        while let Some(key) = members.next_key::<TopLevelKey>()? {
            let list = match key {
                TopLevelKey::Records => &mut top.records,
                TopLevelKey::Events => &mut top.events,
                TopLevelKey::RecordMember | TopLevelKey::DigestMember | TopLevelKey::Other => {
                    top.has_record_member |= key == TopLevelKey::RecordMember;
                    top.has_digest_member |= key == TopLevelKey::DigestMember;
                    members.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            if list.is_some() {
                return Err(de::Error::custom(format_args!(
                    "duplicate `{}` member",
                    if key == TopLevelKey::Records {
                        "Records"
                    } else {
                        "Events"
                    }
                )));
            }
            *list = Some(members.next_value_seed(RecordListSeed {
                max_records: self.max_records,
                positions: self.positions,
                limit_hit: self.limit_hit,
            })?);
        }
        Ok(top)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TopLevelKey {
    Records,
    Events,
    RecordMember,
    DigestMember,
    Other,
}

impl<'de> de::Deserialize<'de> for TopLevelKey {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(TopLevelKeyVisitor)
    }
}

struct TopLevelKeyVisitor;

impl Visitor<'_> for TopLevelKeyVisitor {
    type Value = TopLevelKey;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a member name")
    }

    fn visit_str<E: de::Error>(self, name: &str) -> Result<TopLevelKey, E> {
        Ok(match name {
            "Records" => TopLevelKey::Records,
            "Events" => TopLevelKey::Events,
            _ if RECORD_MEMBERS.contains(&name) => TopLevelKey::RecordMember,
            _ if DIGEST_MEMBERS.contains(&name) => TopLevelKey::DigestMember,
            _ => TopLevelKey::Other,
        })
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn raw_texts<'a>(content: &'a FileContent<'a>) -> Vec<&'a str> {
        content
            .records()
            .iter()
            .map(|record| record.as_ref().expect("record").get())
            .collect()
    }

    #[test]
    fn raw_records_are_two_words() {
        assert_eq!(size_of::<RawRecord<'_>>(), 2 * size_of::<usize>());
    }

    #[test]
    fn envelope_ignores_other_members_and_borrows_the_input() {
        let text = br#"{"Foo":1, "Records" : [ {"eventName":"A"} , {"eventName":"B"}], "Bar":{"Records":2}}"#;
        let content = split(text).unwrap();
        assert_eq!(content.format(), Some(RecordFormat::Envelope));
        assert_eq!(
            raw_texts(&content),
            [r#"{"eventName":"A"}"#, r#"{"eventName":"B"}"#]
        );
        let first = content.records()[0].as_ref().unwrap().get();
        assert!(text.as_ptr_range().contains(&first.as_ptr()));
    }

    #[test]
    fn envelope_elements_that_are_not_objects_are_per_record_errors() {
        let content =
            split(br#"{"Records":[{"eventName":"A"}, 7, null, {"eventName":"B"}]}"#).unwrap();
        let records = content.records();
        assert_eq!(records.len(), 4);
        let error = records[1].as_ref().unwrap_err();
        assert_eq!(error.kind(), RecordErrorKind::NotAnObject);
        assert_eq!(error.position(), RecordPosition::Index(1));
        assert_eq!(
            error.to_string(),
            "record index 1: a record must be a JSON object, found a number"
        );
        assert!(records[3].is_ok());
    }

    #[test]
    fn empty_envelope_and_empty_array_have_no_records() {
        for text in [&b"{\"Records\":[]}"[..], b"[]", b" [ ] \n"] {
            let content = split(text).unwrap();
            assert!(content.records().is_empty());
            assert!(content.format().is_some());
        }
    }

    #[test]
    fn whitespace_only_and_bom_only_files_are_empty() {
        for text in [&b""[..], b"  \n\r\n\t", b"\xef\xbb\xbf", b"\xef\xbb\xbf\n"] {
            assert!(
                matches!(split(text).unwrap(), FileContent::Empty),
                "{text:?}"
            );
        }
    }

    #[test]
    fn array_of_records_splits() {
        let content =
            split(b"[\n  {\"eventName\": \"A\"},\n  {\"eventName\": \"B\"}\n]\n").unwrap();
        assert_eq!(content.format(), Some(RecordFormat::Array));
        assert_eq!(
            raw_texts(&content),
            ["{\"eventName\": \"A\"}", "{\"eventName\": \"B\"}"]
        );
    }

    #[test]
    fn pretty_printed_single_record_is_single() {
        let text =
            b"\n  {\n    \"eventVersion\": \"1.05\",\n    \"eventName\": \"ConsoleLogin\"\n  }\n";
        let content = split(text).unwrap();
        assert_eq!(content.format(), Some(RecordFormat::Single));
        assert_eq!(
            raw_texts(&content),
            ["{\n    \"eventVersion\": \"1.05\",\n    \"eventName\": \"ConsoleLogin\"\n  }"]
        );
    }

    #[test]
    fn compact_single_record_on_one_line_is_single() {
        let content = split(b"{\"eventTime\":\"2023-07-10T11:45:00Z\"}\n").unwrap();
        assert_eq!(content.format(), Some(RecordFormat::Single));
    }

    #[test]
    fn envelope_with_one_record_per_line_is_an_envelope_not_lines() {
        let text = b"{\"Records\":[\n{\"eventName\":\"A\"}\n]}\n";
        let content = split(text).unwrap();
        assert_eq!(content.format(), Some(RecordFormat::Envelope));
        assert_eq!(raw_texts(&content), ["{\"eventName\":\"A\"}"]);
    }

    #[test]
    fn lines_with_a_bad_line_keep_the_others() {
        let text =
            b"\n{\"eventName\":\"A\"}\r\n\n{\"eventName\": oops}\n[1]\n{\"eventName\":\"B\"}";
        let content = split(text).unwrap();
        assert_eq!(content.format(), Some(RecordFormat::Lines));
        let records = content.records();
        assert_eq!(records.len(), 4);
        assert_eq!(records[0].as_ref().unwrap().get(), "{\"eventName\":\"A\"}");
        let bad = records[1].as_ref().unwrap_err();
        assert_eq!(
            (bad.kind(), bad.position()),
            (RecordErrorKind::InvalidJson, RecordPosition::Line(4))
        );
        let array = records[2].as_ref().unwrap_err();
        assert_eq!(array.position(), RecordPosition::Line(5));
        assert_eq!(array.kind(), RecordErrorKind::NotAnObject);
        assert_eq!(records[3].as_ref().unwrap().get(), "{\"eventName\":\"B\"}");
    }

    #[test]
    fn lines_with_a_broken_first_line_are_still_lines() {
        let text = b"{\"eventName\":\n{\"eventName\":\"B\"}\n{\"eventName\":\"C\"}\n";
        let content = split(text).unwrap();
        assert_eq!(content.format(), Some(RecordFormat::Lines));
        let records = content.records();
        assert_eq!(
            records[0].as_ref().unwrap_err().position(),
            RecordPosition::Line(1)
        );
        assert!(records[1].is_ok() && records[2].is_ok());
    }

    #[test]
    fn lines_may_hold_whole_log_files() {
        let text = b"{\"Records\":[{\"eventName\":\"A\"},{\"eventName\":\"B\"}]}\n{\"eventName\":\"C\",\"requestParameters\":{\"Records\":1}}\n{\"Records\":[oops]}\n";
        let content = split(text).unwrap();
        assert_eq!(content.format(), Some(RecordFormat::Lines));
        let records = content.records();
        assert_eq!(records.len(), 4);
        assert_eq!(records[0].as_ref().unwrap().get(), "{\"eventName\":\"A\"}");
        assert_eq!(records[1].as_ref().unwrap().get(), "{\"eventName\":\"B\"}");
        assert!(
            records[2]
                .as_ref()
                .unwrap()
                .get()
                .starts_with("{\"eventName\":\"C\"")
        );
        assert_eq!(
            records[3].as_ref().unwrap_err().position(),
            RecordPosition::Line(3)
        );
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let content = split(b"\xef\xbb\xbf{\"Records\":[{\"eventName\":\"A\"}]}").unwrap();
        assert_eq!(raw_texts(&content), ["{\"eventName\":\"A\"}"]);
        let lines = split(b"\xef\xbb\xbf{\"eventName\":\"A\"}\n{\"eventName\":\"B\"}\n").unwrap();
        assert_eq!(lines.records().len(), 2);
    }

    #[test]
    fn digest_is_recognised() {
        let text = br#"{"awsAccountId":"111122223333","digestStartTime":"2015-08-17T14:01:31Z","digestEndTime":"2015-08-17T15:01:31Z","logFiles":[]}"#;
        let FileContent::Digest(raw) = split(text).unwrap() else {
            panic!("not a digest")
        };
        assert_eq!(raw.get().as_bytes(), text);
    }

    #[test]
    fn unknown_objects_and_non_json_are_format_errors() {
        let cases: [(&[u8], &str); 7] = [
            (
                b"{\"NextToken\":\"x\"}",
                "JSON object is neither a log file",
            ),
            (
                b"hello",
                "content is not a JSON object or array: it starts with `h`",
            ),
            (b"42", "it starts with `4`"),
            (b"\x1f\x8b\x08\x00", "content is gzip-compressed"),
            (b"{\"Records\":[{}", "invalid JSON"),
            (b"{\"Records\":\"x\"}", "unexpected JSON structure"),
            (b"[{}] trailing", "invalid JSON"),
        ];
        for (text, expected) in cases {
            let error = split(text).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::Format, "{text:?}");
            assert!(error.message().contains(expected), "{text:?}: {error}");
        }
        let error = split(b"{\"a\":\"\xff\"}").unwrap_err();
        assert_eq!(
            error.message(),
            "content is not UTF-8 text (invalid byte at offset 6)"
        );
    }

    #[test]
    fn duplicate_records_member_is_rejected() {
        let error = split(b"{\"Records\":[],\"Records\":[]}").unwrap_err();
        assert_eq!(error.kind(), ErrorKind::Format);
    }

    #[test]
    fn record_limit_is_too_large_in_every_format() {
        let cases: [&[u8]; 4] = [
            b"{\"Records\":[{},{},{}]}",
            b"[{},{},{}]",
            b"{}\n{}\n{}\n",
            b"{\"Records\":[{},{}]}\n{\"Records\":[{}]}\n",
        ];
        for text in cases {
            assert_eq!(split_with_limit(text, 3).unwrap().records().len(), 3);
            let error = split_with_limit(text, 2).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::TooLarge, "{text:?}");
            assert_eq!(error.message(), "file holds more than 2 records");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let mut text = String::from("{\"Records\":[");
        text.push_str(&"[".repeat(100_000));
        assert_eq!(
            split(text.as_bytes()).unwrap_err().kind(),
            ErrorKind::Format
        );
        let deep_line = format!("{{\"eventName\":{}\n{{}}\n", "[".repeat(100_000));
        assert!(split(deep_line.as_bytes()).is_ok());
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let _ = split(&bytes);
        }

        #[test]
        fn arbitrary_json_like_text_never_panics(text in "[\\[\\]{}\",:\\n a-z0-9\\\\]{0,200}") {
            let _ = split(text.as_bytes());
        }

        #[test]
        fn lines_round_trip(names in proptest::collection::vec("[a-zA-Z0-9]{0,12}", 2..20)) {
            let lines: Vec<String> = names.iter().map(|name| format!("{{\"eventName\":\"{name}\"}}")).collect();
            let text = lines.join("\n");
            let content = split(text.as_bytes()).unwrap();
            prop_assert_eq!(content.format(), Some(RecordFormat::Lines));
            prop_assert_eq!(raw_texts(&content), lines.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }
}
