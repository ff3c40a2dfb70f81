//! Parsing and checking of incoming records.
//!
//! A record is first parsed into the lossless [`Record`] (which mirrors the input), then
//! checked into an [`Event`], which the rest of OpenTrail trusts: it has an `eventTime`
//! that parses, the members every record of its kind must have, and a size within the
//! limits of `spec/events-and-queries.md` §1.8.

use std::fmt;

use serde_json::value::RawValue;

use opentrail_types::Timestamp;

use crate::{EventCategory, Record};

/// Size limits applied to incoming records (`spec/events-and-queries.md` §1.8).
///
/// Only the whole-record limit rejects a record. CloudTrail's per-field limits are applied
/// by the recorder that writes a record (it truncates or omits, see
/// [`Record::apply_field_limits`]); real records exceed them slightly at times (the
/// fixture set has a 1,026-byte `errorMessage`), so an importer must not refuse them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordLimits {
    /// Largest accepted record, in bytes of compact JSON.
    pub max_event_bytes: usize,
}

impl RecordLimits {
    /// The standard mode: 256 KB per record.
    pub const STANDARD: RecordLimits = RecordLimits {
        max_event_bytes: 256 * 1024,
    };
    /// The large mode of Lake stores: 1 MB per record.
    pub const LARGE: RecordLimits = RecordLimits {
        max_event_bytes: 1024 * 1024,
    };
}

impl Default for RecordLimits {
    fn default() -> RecordLimits {
        RecordLimits::STANDARD
    }
}

/// Per-field limit of the strings CloudTrail truncates.
const STRING_FIELD_LIMIT: usize = 1024;
/// Per-field limit of `requestParameters`, `responseElements`, `serviceEventDetails`.
const LARGE_OBJECT_LIMIT: usize = 100 * 1024;
/// Per-field limit of `additionalEventData` and `edgeDeviceDetails`.
const SMALL_OBJECT_LIMIT: usize = 28 * 1024;

impl Record {
    /// Applies CloudTrail's per-field limits the way its recorders do: `userAgent`,
    /// `errorCode`, `errorMessage` and `requestID` are cut to 1 KB (at a character
    /// boundary); `requestParameters`, `responseElements` and `serviceEventDetails` over
    /// 100 KB become `null`; `additionalEventData` and `edgeDeviceDetails` over 28 KB are
    /// omitted. Returns the names of the members it changed.
    pub fn apply_field_limits(&mut self) -> Vec<&'static str> {
        let mut changed = Vec::new();
        let strings: [(&'static str, &mut Option<String>); 4] = [
            ("userAgent", &mut self.user_agent),
            ("errorCode", &mut self.error_code),
            ("errorMessage", &mut self.error_message),
            ("requestID", &mut self.request_id),
        ];
        for (name, value) in strings {
            if let Some(text) = value
                && text.len() > STRING_FIELD_LIMIT
            {
                let mut cut = STRING_FIELD_LIMIT;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                text.truncate(cut);
                changed.push(name);
            }
        }
        let nulled: [(&'static str, &mut Option<Box<RawValue>>); 3] = [
            ("requestParameters", &mut self.request_parameters),
            ("responseElements", &mut self.response_elements),
            ("serviceEventDetails", &mut self.service_event_details),
        ];
        for (name, value) in nulled {
            if value
                .as_ref()
                .is_some_and(|raw| raw.get().len() > LARGE_OBJECT_LIMIT)
            {
                *value = Some(crate::object::null_raw());
                changed.push(name);
            }
        }
        let omitted: [(&'static str, &mut Option<Box<RawValue>>); 2] = [
            ("additionalEventData", &mut self.additional_event_data),
            ("edgeDeviceDetails", &mut self.edge_device_details),
        ];
        for (name, value) in omitted {
            if value
                .as_ref()
                .is_some_and(|raw| raw.get().len() > SMALL_OBJECT_LIMIT)
            {
                *value = None;
                changed.push(name);
            }
        }
        changed
    }
}

/// What is wrong with a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValidationErrorKind {
    /// The text is not JSON.
    Syntax,
    /// The JSON is not an object.
    NotAnObject,
    /// A member has the wrong JSON type.
    WrongType,
    /// A required member is absent.
    MissingField,
    /// A time member does not parse.
    InvalidTime,
    /// A member appears twice in one object.
    DuplicateField,
    /// The whole record is over the size limit.
    RecordTooLarge,
}

/// A record that cannot be accepted, naming the member at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ValidationError {
    kind: ValidationErrorKind,
    field: Option<String>,
    detail: String,
}

impl ValidationError {
    fn new(kind: ValidationErrorKind, field: Option<&str>, detail: impl Into<String>) -> Self {
        ValidationError {
            kind,
            field: field.map(str::to_owned),
            detail: detail.into(),
        }
    }

    /// What is wrong.
    pub fn kind(&self) -> ValidationErrorKind {
        self.kind
    }

    /// The member at fault as a path (`userIdentity.type`, `resources[0].ARN`), if any.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }
}

impl fmt::Display for ValidationError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (&self.field, self.kind) {
            (Some(field), ValidationErrorKind::MissingField) => {
                write!(formatter, "field `{field}` is missing")
            }
            (Some(field), _) => write!(formatter, "field `{field}`: {}", self.detail),
            (None, _) => formatter.write_str(&self.detail),
        }
    }
}

/// A checked record: the form every part of OpenTrail after ingest relies on.
#[derive(Debug, Clone)]
pub struct Event {
    record: Record,
    time: Timestamp,
    category: EventCategory,
}

impl Event {
    /// Parses and checks one record from compact or pretty JSON text.
    ///
    /// The size limits are measured on the compact form, so pass minified text (see
    /// [`opentrail_types::json_text::compact_into`]) when the input may be indented.
    ///
    /// # Errors
    ///
    /// Returns a [`ValidationError`] naming the member at fault.
    pub fn parse(json: &[u8], limits: &RecordLimits) -> Result<Event, ValidationError> {
        let record = parse_record(json)?;
        check_sizes(json, limits)?;
        Event::check(record)
    }

    /// Checks a record built in code (for example by an API handler).
    ///
    /// # Errors
    ///
    /// Returns a [`ValidationError`] naming the member at fault.
    pub fn from_record(record: Record, limits: &RecordLimits) -> Result<Event, ValidationError> {
        let json = serde_json::to_vec(&record).map_err(|error| {
            ValidationError::new(ValidationErrorKind::Syntax, None, error.to_string())
        })?;
        check_sizes(&json, limits)?;
        Event::check(record)
    }

    fn check(record: Record) -> Result<Event, ValidationError> {
        let Some(event_time) = record.event_time.as_deref() else {
            return Err(missing("eventTime"));
        };
        let time = Timestamp::parse_event_time(event_time).map_err(|error| {
            ValidationError::new(
                ValidationErrorKind::InvalidTime,
                Some("eventTime"),
                error.to_string(),
            )
        })?;
        let category = EventCategory::of_record(&record);
        if category == EventCategory::Insight {
            let Some(details) = &record.insight_details else {
                return Err(missing("insightDetails"));
            };
            if details.event_source.is_none() {
                return Err(missing("insightDetails.eventSource"));
            }
            if details.event_name.is_none() {
                return Err(missing("insightDetails.eventName"));
            }
        } else {
            if record.event_source.is_none() {
                return Err(missing("eventSource"));
            }
            if record.event_name.is_none() {
                return Err(missing("eventName"));
            }
        }
        Ok(Event {
            record,
            time,
            category,
        })
    }

    /// The record.
    pub fn record(&self) -> &Record {
        &self.record
    }

    /// Gives up the checked wrapper.
    pub fn into_record(self) -> Record {
        self.record
    }

    /// `eventTime` as an instant.
    pub fn time(&self) -> Timestamp {
        self.time
    }

    /// The record's category.
    pub fn category(&self) -> EventCategory {
        self.category
    }

    /// `eventID`, when the record has one.
    pub fn event_id(&self) -> Option<&str> {
        self.record.event_id.as_deref()
    }

    /// Sets `eventID` (for records that arrive without one).
    pub fn set_event_id(&mut self, event_id: String) {
        self.record.extra.remove("eventID");
        self.record.event_id = Some(event_id);
    }

    /// Writes the record as compact JSON in AWS's member order.
    pub fn to_json(&self) -> Vec<u8> {
        record_to_json(&self.record)
    }
}

/// Writes `record` as compact JSON in AWS's member order.
pub fn record_to_json(record: &Record) -> Vec<u8> {
    // Serializing this model cannot fail: every member is a string, bool, number, already
    // valid raw JSON, or a nested object of the same kind, and the writer is a Vec.
    serde_json::to_vec(record).unwrap_or_default()
}

fn missing(field: &str) -> ValidationError {
    ValidationError::new(ValidationErrorKind::MissingField, Some(field), "missing")
}

/// Parses JSON text into the lossless [`Record`], naming the member at fault on error.
///
/// # Errors
///
/// Returns a [`ValidationError`] of kind `Syntax`, `NotAnObject` or `WrongType`.
pub fn parse_record(json: &[u8]) -> Result<Record, ValidationError> {
    // Checking UTF-8 once for the whole text lets serde_json skip checking every string
    // (`from_str` instead of `from_slice`), the larger part of parsing a record.
    let Ok(text) = std::str::from_utf8(json) else {
        return Err(describe_parse_error(json));
    };
    match serde_json::from_str::<Record>(text) {
        Ok(record) => Ok(record),
        // The fast parse does not track where it was; parse again, slowly, to say.
        Err(_) => Err(describe_parse_error(json)),
    }
}

fn describe_parse_error(json: &[u8]) -> ValidationError {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let error = match serde_path_to_error::deserialize::<_, Record>(&mut deserializer) {
        Ok(_) => {
            return ValidationError::new(
                ValidationErrorKind::Syntax,
                None,
                "record is not valid JSON: trailing characters",
            );
        }
        Err(error) => error,
    };
    let path = error.path().to_string();
    let inner = error.into_inner();
    let detail = strip_position(&inner.to_string());
    if let Some(name) = detail
        .strip_prefix(crate::object::DUPLICATE_MEMBER_PREFIX)
        .and_then(|rest| rest.strip_suffix('`'))
    {
        let field = if path == "." {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        };
        return ValidationError::new(
            ValidationErrorKind::DuplicateField,
            Some(&field),
            "given more than once",
        );
    }
    match inner.classify() {
        serde_json::error::Category::Data if path == "." => ValidationError::new(
            ValidationErrorKind::NotAnObject,
            None,
            format!("record is not a JSON object: {detail}"),
        ),
        serde_json::error::Category::Data => {
            ValidationError::new(ValidationErrorKind::WrongType, Some(&path), detail)
        }
        _ => ValidationError::new(
            ValidationErrorKind::Syntax,
            None,
            format!("record is not valid JSON: {detail}"),
        ),
    }
}

/// serde_json appends ` at line L column C`; positions inside one record of a larger file
/// would mislead, so drop them.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

fn check_sizes(json: &[u8], limits: &RecordLimits) -> Result<(), ValidationError> {
    if json.len() > limits.max_event_bytes {
        let (largest, largest_size) = largest_member(json);
        return Err(ValidationError::new(
            ValidationErrorKind::RecordTooLarge,
            None,
            format!(
                "record is {} bytes, over the {}-byte limit (largest field `{largest}`, {largest_size} bytes)",
                json.len(),
                limits.max_event_bytes
            ),
        ));
    }
    Ok(())
}

fn largest_member(json: &[u8]) -> (String, usize) {
    let members: serde_json::Map<String, serde_json::Value> =
        serde_json::from_slice(json).unwrap_or_default();
    let mut largest = (String::new(), 0);
    for (name, value) in members {
        let size = serde_json::to_vec(&value).map_or(0, |bytes| bytes.len());
        if size > largest.1 {
            largest = (name, size);
        }
    }
    largest
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{"eventTime":"2026-03-04T17:05:21Z","eventSource":"iam.amazonaws.com","eventName":"CreateUser"}"#;

    fn parse(json: &str) -> Result<Event, ValidationError> {
        Event::parse(json.as_bytes(), &RecordLimits::STANDARD)
    }

    #[test]
    fn minimal_record_is_accepted() {
        let event = parse(MINIMAL).unwrap();
        assert_eq!(event.time().format_event_time(), "2026-03-04T17:05:21Z");
        assert_eq!(event.category(), EventCategory::Management);
        assert_eq!(event.event_id(), None);
    }

    #[test]
    fn missing_required_fields_are_named() {
        for field in ["eventTime", "eventSource", "eventName"] {
            let mut value: serde_json::Value = serde_json::from_str(MINIMAL).unwrap();
            value.as_object_mut().unwrap().remove(field);
            let error = parse(&value.to_string()).unwrap_err();
            assert_eq!(error.kind(), ValidationErrorKind::MissingField);
            assert_eq!(error.to_string(), format!("field `{field}` is missing"));
        }
    }

    #[test]
    fn unparsable_time_is_named() {
        let error = parse(&MINIMAL.replace("2026-03-04T17:05:21Z", "yesterday")).unwrap_err();
        assert_eq!(error.kind(), ValidationErrorKind::InvalidTime);
        assert_eq!(error.field(), Some("eventTime"));
        assert!(error.to_string().contains("`yesterday`"), "{error}");
    }

    #[test]
    fn wrong_types_name_the_nested_path() {
        let error = parse(&MINIMAL.replace('}', r#","userIdentity":{"type":5}}"#)).unwrap_err();
        assert_eq!(error.kind(), ValidationErrorKind::WrongType);
        assert_eq!(error.field(), Some("userIdentity.type"));
        assert!(!error.to_string().contains("line"), "{error}");

        let error =
            parse(&MINIMAL.replace('}', r#","resources":[{"ARN":"a"},{"ARN":[]}]}"#)).unwrap_err();
        assert_eq!(error.field(), Some("resources[1].ARN"));

        let error = parse(&MINIMAL.replace('}', r#","readOnly":"true"}"#)).unwrap_err();
        assert_eq!(error.field(), Some("readOnly"));
    }

    #[test]
    fn members_given_twice_are_named() {
        let error = parse(&MINIMAL.replace('}', r#","eventName":"Other"}"#)).unwrap_err();
        assert_eq!(error.kind(), ValidationErrorKind::DuplicateField);
        assert_eq!(error.to_string(), "field `eventName`: given more than once");
        let nested = MINIMAL.replace('}', r#","userIdentity":{"type":"Root","type":"IAMUser"}}"#);
        assert_eq!(
            parse(&nested).unwrap_err().field(),
            Some("userIdentity.type")
        );
    }

    #[test]
    fn non_objects_and_bad_json_are_rejected() {
        assert_eq!(
            parse("[1]").unwrap_err().kind(),
            ValidationErrorKind::NotAnObject
        );
        assert_eq!(
            parse("{\"a\":").unwrap_err().kind(),
            ValidationErrorKind::Syntax
        );
        assert_eq!(
            parse("{} x").unwrap_err().kind(),
            ValidationErrorKind::Syntax
        );
    }

    #[test]
    fn insight_records_need_insight_details_instead_of_source_and_name() {
        let insight = r#"{"eventTime":"2026-03-05T02:14:00Z","eventType":"AwsCloudTrailInsight","eventCategory":"Insight","insightDetails":{"state":"Start","eventSource":"ec2.amazonaws.com","eventName":"TerminateInstances"}}"#;
        assert_eq!(parse(insight).unwrap().category(), EventCategory::Insight);
        let error =
            parse(&insight.replace(r#""eventName":"TerminateInstances""#, r#""x":1"#)).unwrap_err();
        assert_eq!(error.field(), Some("insightDetails.eventName"));
    }

    #[test]
    fn oversized_records_are_named_but_large_fields_alone_are_not() {
        let agent = "a".repeat(1025);
        assert!(parse(&MINIMAL.replace('}', &format!(r#","userAgent":"{agent}"}}"#))).is_ok());

        let big = "b".repeat(300 * 1024);
        let record = MINIMAL.replace('}', &format!(r#","annotation":"{big}"}}"#));
        let error = parse(&record).unwrap_err();
        assert_eq!(error.kind(), ValidationErrorKind::RecordTooLarge);
        assert!(
            error.to_string().contains("largest field `annotation`"),
            "{error}"
        );
        assert!(Event::parse(record.as_bytes(), &RecordLimits::LARGE).is_ok());
    }

    #[test]
    fn field_limits_truncate_and_omit_like_cloudtrail() {
        let agent = "é".repeat(600);
        let parameters = format!(r#"{{"p":"{}"}}"#, "x".repeat(101 * 1024));
        let extra = format!(r#"{{"p":"{}"}}"#, "y".repeat(29 * 1024));
        let json = MINIMAL.replace(
            '}',
            &format!(
                r#","userAgent":"{agent}","requestParameters":{parameters},"additionalEventData":{extra},"errorCode":"E"}}"#
            ),
        );
        let mut record = parse_record(json.as_bytes()).unwrap();
        let changed = record.apply_field_limits();
        assert_eq!(
            changed,
            ["userAgent", "requestParameters", "additionalEventData"]
        );
        assert_eq!(record.user_agent.as_ref().unwrap().len(), 1024);
        assert_eq!(record.request_parameters.as_ref().unwrap().get(), "null");
        assert!(record.additional_event_data.is_none());
        assert_eq!(record.error_code.as_deref(), Some("E"));
    }

    #[test]
    fn stamped_event_id_is_written() {
        let mut event = parse(MINIMAL).unwrap();
        event.set_event_id(String::from("9f3a7c1e-4b2d-4e8f-a6c5-1d0e2f3b4a59"));
        let json = String::from_utf8(event.to_json()).unwrap();
        assert!(
            json.contains(r#""eventID":"9f3a7c1e-4b2d-4e8f-a6c5-1d0e2f3b4a59""#),
            "{json}"
        );
    }
}
