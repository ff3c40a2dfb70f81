//! The checks of one `eventData` object against spec §3.6.3.

use std::net::IpAddr;

use opentrail_types::Timestamp;
use serde_json::value::RawValue;

use crate::error::EventErrorCode;
use crate::json_text::{ObjectMembers, json_type_name, parse_object, raw_as_string};
use crate::query::excerpt;

/// Longest `requestParameters` / `responseElements`, in bytes of compact JSON text
/// (100 KB read as 100 KiB).
pub const MAX_REQUEST_PARAMETERS_BYTES: usize = 100 * 1024;
/// Longest `additionalEventData`, in bytes of compact JSON text (28 KB read as 28 KiB).
pub const MAX_ADDITIONAL_EVENT_DATA_BYTES: usize = 28 * 1024;

/// What a field of `eventData` must hold.
#[derive(Debug, Clone, Copy)]
enum FieldKind {
    /// A string of at most this many characters.
    Text(usize),
    /// A string with no documented limit.
    AnyText,
    /// A JSON object, optionally capped in bytes of compact JSON text.
    Object(Option<usize>),
    /// A UTC time `yyyy-MM-ddTHH:mm:ssZ`.
    EventTime,
    /// An IPv4 or IPv6 address.
    IpAddress,
}

/// One row of the §3.6.3 table.
#[derive(Debug, Clone, Copy)]
struct FieldRule {
    name: &'static str,
    required: bool,
    kind: FieldKind,
}

const fn rule(name: &'static str, required: bool, kind: FieldKind) -> FieldRule {
    FieldRule {
        name,
        required,
        kind,
    }
}

/// The top-level fields, in the order of the spec's table (the order checks run in).
const EVENT_DATA_RULES: [FieldRule; 14] = [
    rule("version", true, FieldKind::Text(256)),
    rule("userIdentity", true, FieldKind::Object(None)),
    rule("userAgent", false, FieldKind::Text(1024)),
    rule("eventSource", true, FieldKind::Text(1024)),
    rule("eventName", true, FieldKind::Text(1024)),
    rule("eventTime", true, FieldKind::EventTime),
    rule("UID", true, FieldKind::Text(1024)),
    rule(
        "requestParameters",
        false,
        FieldKind::Object(Some(MAX_REQUEST_PARAMETERS_BYTES)),
    ),
    rule(
        "responseElements",
        false,
        FieldKind::Object(Some(MAX_REQUEST_PARAMETERS_BYTES)),
    ),
    rule("errorCode", false, FieldKind::Text(256)),
    rule("errorMessage", false, FieldKind::Text(256)),
    rule("sourceIPAddress", false, FieldKind::IpAddress),
    rule("recipientAccountId", true, FieldKind::AnyText),
    rule(
        "additionalEventData",
        false,
        FieldKind::Object(Some(MAX_ADDITIONAL_EVENT_DATA_BYTES)),
    ),
];

/// The members of `userIdentity`, checked right after `userIdentity` itself.
const USER_IDENTITY_RULES: [FieldRule; 3] = [
    rule("type", true, FieldKind::Text(128)),
    rule("principalId", true, FieldKind::Text(1024)),
    rule("details", false, FieldKind::Object(None)),
];

/// An `eventData` that passed every check.
#[derive(Debug, Clone)]
pub(crate) struct ValidEventData {
    /// The object as sent, without insignificant whitespace.
    pub(crate) compact_json: String,
    /// `eventTime` as sent (always `yyyy-MM-ddTHH:mm:ssZ`).
    pub(crate) event_time_text: String,
    /// `eventTime` parsed.
    pub(crate) event_time: Timestamp,
    /// `recipientAccountId` as sent (decoded).
    pub(crate) recipient_account_id: String,
}

/// Why an `eventData` was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub(crate) code: EventErrorCode,
    pub(crate) message: String,
}

fn refuse(code: EventErrorCode, message: String) -> Refusal {
    Refusal { code, message }
}

/// Checks `event_data` against §3.6.3 and the channel owner; the first failure wins.
///
/// Order: JSON object (`InvalidData`), then each field in table order — presence
/// (`FieldNotFound`), type (`InvalidData`), limit (`FieldTooLong`), form (`InvalidData`)
/// — then `recipientAccountId` against `channel_owner_account` (`InvalidRecipient`).
/// JSON `null` in an optional field counts as not given; in a required one it is the
/// wrong type. Members outside the table are kept, unchecked.
pub(crate) fn check_event_data(
    event_data: &str,
    channel_owner_account: &str,
) -> Result<ValidEventData, Refusal> {
    let object = parse_object(event_data).map_err(|error| {
        refuse(
            EventErrorCode::InvalidData,
            format!("`eventData` is not a JSON object: {error}"),
        )
    })?;
    check_no_duplicate(&object, "eventData")?;
    let mut event_time = None;
    for field_rule in EVENT_DATA_RULES {
        let path = format!("eventData.{}", field_rule.name);
        let Some(raw) = present(&object, field_rule, &path)? else {
            continue;
        };
        match check_value(raw, field_rule.kind, &path)? {
            Checked::Time(text, instant) => event_time = Some((text, instant)),
            Checked::Object(members) if field_rule.name == "userIdentity" => {
                check_no_duplicate(&members, &path)?;
                for nested_rule in USER_IDENTITY_RULES {
                    let nested_path = format!("{path}.{}", nested_rule.name);
                    if let Some(nested) = present(&members, nested_rule, &nested_path)? {
                        check_value(nested, nested_rule.kind, &nested_path)?;
                    }
                }
            }
            Checked::Object(_) | Checked::Other => {}
        }
    }
    let recipient_account_id = object
        .get("recipientAccountId")
        .and_then(raw_as_string)
        .unwrap_or_default();
    if recipient_account_id != channel_owner_account {
        return Err(refuse(
            EventErrorCode::InvalidRecipient,
            format!(
                "`eventData.recipientAccountId` value `{}` is not the account that owns the \
                 channel",
                excerpt(&recipient_account_id)
            ),
        ));
    }
    let Some((event_time_text, event_time)) = event_time else {
        // `eventTime` is required and was checked above; reaching this means the table
        // lost its `eventTime` row.
        return Err(refuse(
            EventErrorCode::InternalFailure,
            String::from("internal error: `eventData.eventTime` was not checked"),
        ));
    };
    Ok(ValidEventData {
        compact_json: opentrail_types::json_text::compact(event_data),
        event_time_text,
        event_time,
        recipient_account_id,
    })
}

fn check_no_duplicate(object: &ObjectMembers, path: &str) -> Result<(), Refusal> {
    match &object.duplicate {
        None => Ok(()),
        Some(name) => Err(refuse(
            EventErrorCode::InvalidData,
            format!("`{path}` has the member `{}` more than once", excerpt(name)),
        )),
    }
}

/// Returns the field's value when it is given (not absent, and not `null` when optional).
fn present<'a>(
    object: &'a ObjectMembers,
    field_rule: FieldRule,
    path: &str,
) -> Result<Option<&'a RawValue>, Refusal> {
    match object.get(field_rule.name) {
        None if field_rule.required => Err(refuse(
            EventErrorCode::FieldNotFound,
            format!("required field `{path}` is missing"),
        )),
        Some(raw) if raw.get() == "null" && !field_rule.required => Ok(None),
        None => Ok(None),
        Some(raw) => Ok(Some(raw)),
    }
}

enum Checked {
    Time(String, Timestamp),
    Object(ObjectMembers),
    Other,
}

fn wrong_type(path: &str, expected: &str, raw: &RawValue) -> Refusal {
    refuse(
        EventErrorCode::InvalidData,
        format!("`{path}` must be {expected}, not {}", json_type_name(raw)),
    )
}

fn check_value(raw: &RawValue, kind: FieldKind, path: &str) -> Result<Checked, Refusal> {
    match kind {
        FieldKind::Object(limit) => {
            let Ok(members) = parse_object(raw.get()) else {
                return Err(wrong_type(path, "an object", raw));
            };
            if let Some(max_bytes) = limit {
                let size = opentrail_types::json_text::compact(raw.get()).len();
                if size > max_bytes {
                    return Err(refuse(
                        EventErrorCode::FieldTooLong,
                        format!("`{path}` is {size} bytes of JSON; the limit is {max_bytes} bytes"),
                    ));
                }
            }
            Ok(Checked::Object(members))
        }
        FieldKind::Text(max_chars) => {
            let text = raw_as_string(raw).ok_or_else(|| wrong_type(path, "a string", raw))?;
            let length = text.chars().count();
            if length > max_chars {
                return Err(refuse(
                    EventErrorCode::FieldTooLong,
                    format!("`{path}` is {length} characters long; the limit is {max_chars}"),
                ));
            }
            Ok(Checked::Other)
        }
        FieldKind::AnyText => {
            raw_as_string(raw).ok_or_else(|| wrong_type(path, "a string", raw))?;
            Ok(Checked::Other)
        }
        FieldKind::EventTime => {
            let text = raw_as_string(raw).ok_or_else(|| wrong_type(path, "a string", raw))?;
            let instant = parse_strict_event_time(&text).ok_or_else(|| {
                refuse(
                    EventErrorCode::InvalidData,
                    format!(
                        "`{path}` value `{}` is not a UTC time of the form \
                         yyyy-MM-ddTHH:mm:ssZ",
                        excerpt(&text)
                    ),
                )
            })?;
            Ok(Checked::Time(text, instant))
        }
        FieldKind::IpAddress => {
            let text = raw_as_string(raw).ok_or_else(|| wrong_type(path, "a string", raw))?;
            if text.parse::<IpAddr>().is_err() {
                return Err(refuse(
                    EventErrorCode::InvalidData,
                    format!(
                        "`{path}` value `{}` is not an IPv4 or IPv6 address",
                        excerpt(&text)
                    ),
                ));
            }
            Ok(Checked::Other)
        }
    }
}

/// Parses exactly `yyyy-MM-ddTHH:mm:ssZ` (a real calendar date, seconds 00–59).
fn parse_strict_event_time(text: &str) -> Option<Timestamp> {
    let bytes = text.as_bytes();
    let shape_ok = bytes.len() == 20
        && bytes.iter().enumerate().all(|(index, byte)| match index {
            4 | 7 => *byte == b'-',
            10 => *byte == b'T',
            13 | 16 => *byte == b':',
            19 => *byte == b'Z',
            _ => byte.is_ascii_digit(),
        });
    // The general parser behind `parse_event_time` would accept a leap second (`:60`).
    if !shape_ok || bytes[17] > b'5' {
        return None;
    }
    Timestamp::parse_event_time(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_around_values_does_not_change_the_checks() {
        let event_data = "{ \"version\" : \"1.0\" , \"userIdentity\" :\n { \"type\" : \"T\", \
            \"principalId\" : \"p\" , \"details\" : null } , \"userAgent\" :  null ,\
            \"eventSource\" : \"s\", \"eventName\" : \"n\", \"eventTime\" : \"2026-03-04T17:30:12Z\",\
            \"UID\" : \"u\", \"requestParameters\" :\t{ \"a\" : [ 1 , 2 ] } ,\
            \"recipientAccountId\" : \"111122223333\" }";
        let valid = check_event_data(event_data, "111122223333").unwrap();
        assert_eq!(valid.event_time_text, "2026-03-04T17:30:12Z");
        assert!(valid.compact_json.contains(r#""userAgent":null,"#));
        assert!(
            valid
                .compact_json
                .contains(r#""requestParameters":{"a":[1,2]}"#)
        );
        let wrong = event_data.replace("\"s\"", " [ ] ");
        let refusal = check_event_data(&wrong, "111122223333").unwrap_err();
        assert_eq!(refusal.code, EventErrorCode::InvalidData);
        assert_eq!(
            refusal.message,
            "`eventData.eventSource` must be a string, not an array"
        );
    }

    #[test]
    fn strict_event_times() {
        assert_eq!(
            parse_strict_event_time("2026-03-04T17:30:12Z").map(Timestamp::as_secs),
            Some(1_772_645_412)
        );
        for bad in [
            "2026-03-04T17:30:12",
            "2026-03-04T17:30:12.000Z",
            "2026-03-04 17:30:12Z",
            "2026-03-04T17:30:60Z",
            "2026-02-30T00:00:00Z",
            "2026-03-04T24:00:00Z",
            "2026-3-04T17:30:12Z",
            "2026-03-04T17:30:12+00:00",
            "+026-03-04T17:30:12Z",
            "",
        ] {
            assert_eq!(parse_strict_event_time(bad), None, "{bad}");
        }
    }
}
