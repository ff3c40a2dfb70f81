//! Reading JSON without reordering it.
//!
//! `serde_json::Value` keeps objects in a sorted map (the workspace does not enable
//! `preserve_order`), so re-serialising a record through it would reorder every field. The
//! envelope's `detail`, `InputPath` selections and transformer values must keep the record's
//! own order (CloudTrail writes its fields in a documented order, and people diff them), so
//! this module works on [`RawValue`] slices of the original text instead; the text itself is
//! compacted and strings are written with [`opentrail_types::json_text`].

use std::fmt;

use serde::Deserializer as _;
use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;

/// The JSON type of a raw value, read from its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Object,
    Array,
    String,
    /// A number, `true`, `false` or `null`.
    Scalar,
}

/// Returns the JSON type of `raw`.
pub(crate) fn kind(raw: &RawValue) -> Kind {
    match raw.get().trim_start().as_bytes().first() {
        Some(b'{') => Kind::Object,
        Some(b'[') => Kind::Array,
        Some(b'"') => Kind::String,
        _ => Kind::Scalar,
    }
}

/// Parses `text` as one JSON value, borrowing it.
pub(crate) fn parse(text: &str) -> Result<&RawValue, serde_json::Error> {
    serde_json::from_str(text)
}

/// The members of a JSON object, in document order (duplicates kept).
pub(crate) type Entries<'a> = Vec<(String, &'a RawValue)>;

/// Returns the members of the object `raw`, or `None` when it is not an object.
pub(crate) fn object_entries(raw: &RawValue) -> Option<Entries<'_>> {
    if kind(raw) != Kind::Object {
        return None;
    }
    let mut deserializer = serde_json::Deserializer::from_str(raw.get());
    deserializer.deserialize_map(OrderedVisitor).ok()
}

/// Returns the elements of the array `raw`, or `None` when it is not an array.
pub(crate) fn array_elements(raw: &RawValue) -> Option<Vec<&RawValue>> {
    if kind(raw) != Kind::Array {
        return None;
    }
    serde_json::from_str(raw.get()).ok()
}

/// Returns the value of the member `name` of an object's entries (the last one when the
/// name repeats, as JSON parsers that keep one value per key do).
pub(crate) fn member<'a>(entries: &Entries<'a>, name: &str) -> Option<&'a RawValue> {
    entries
        .iter()
        .rev()
        .find(|(key, _)| key == name)
        .map(|(_, value)| *value)
}

/// Returns the string held by `raw`, or `None` when it is not a JSON string.
pub(crate) fn as_string(raw: &RawValue) -> Option<String> {
    if kind(raw) != Kind::String {
        return None;
    }
    serde_json::from_str(raw.get()).ok()
}

/// Returns the boolean held by `raw`; also accepts the strings `"true"` and `"false"`, which
/// some old or re-encoded records carry.
pub(crate) fn as_bool(raw: &RawValue) -> Option<bool> {
    match raw.get().trim() {
        "true" | "\"true\"" => Some(true),
        "false" | "\"false\"" => Some(false),
        _ => None,
    }
}

struct OrderedVisitor;

impl<'de> Visitor<'de> for OrderedVisitor {
    type Value = Entries<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(16));
        while let Some(key) = map.next_key::<String>()? {
            let value: &'de RawValue = map.next_value()?;
            entries.push((key, value));
        }
        Ok(entries)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_keep_document_order_and_duplicates() {
        let raw = parse(r#"{"b": 1, "a": {"z": [1, 2]}, "b": 3}"#).unwrap();
        let entries = object_entries(raw).unwrap();
        let keys: Vec<&str> = entries.iter().map(|(key, _)| key.as_str()).collect();
        assert_eq!(keys, ["b", "a", "b"]);
        assert_eq!(member(&entries, "b").unwrap().get(), "3");
        assert_eq!(member(&entries, "a").unwrap().get(), r#"{"z": [1, 2]}"#);
    }

    #[test]
    fn kinds_and_scalars() {
        assert_eq!(kind(parse(" [1]").unwrap()), Kind::Array);
        assert_eq!(as_string(parse(r#""a\"b""#).unwrap()).unwrap(), "a\"b");
        assert_eq!(as_bool(parse("true").unwrap()), Some(true));
        assert_eq!(as_bool(parse(r#""false""#).unwrap()), Some(false));
        assert_eq!(as_bool(parse("1").unwrap()), None);
        assert!(object_entries(parse("[1]").unwrap()).is_none());
    }
}
