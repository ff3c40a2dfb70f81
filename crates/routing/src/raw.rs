//! Reading JSON without reordering it.
//!
//! `serde_json::Value` keeps objects in a sorted map (the workspace does not enable
//! `preserve_order`), so re-serialising a record through it would reorder every field. The
//! envelope's `detail`, `InputPath` selections and transformer values must keep the record's
//! own order (CloudTrail writes its fields in a documented order, and people diff them), so
//! this module works on [`RawValue`] slices of the original text instead; the text itself is
//! compacted and strings are written with [`opentrail_types::json_text`].

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
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

/// The members of a JSON object, in document order (duplicates kept). Names are borrowed
/// from the text unless they hold escapes.
pub(crate) type Entries<'a> = Vec<(Cow<'a, str>, &'a RawValue)>;

/// Parses `text` as one JSON value and, when it is an object, returns its members: one
/// validating pass, where [`parse`] then [`object_entries`] would make two.
///
/// # Errors
///
/// `text` is not JSON. `Ok(None)`: JSON, but not an object.
pub(crate) fn parse_object(text: &str) -> Result<Option<Entries<'_>>, serde_json::Error> {
    if !text.trim_start().starts_with('{') {
        return parse(text).map(|_| None);
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    let entries = deserializer.deserialize_map(OrderedVisitor)?;
    deserializer.end()?;
    Ok(Some(entries))
}

/// Where `part` (a slice of `text`, as every borrowed [`RawValue`] of a parse of `text` is)
/// starts in `text`, or `None` when it is not a slice of it.
pub(crate) fn offset_in(text: &str, part: &str) -> Option<usize> {
    let offset = (part.as_ptr() as usize).checked_sub(text.as_ptr() as usize)?;
    (offset + part.len() <= text.len()).then_some(offset)
}

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
        while let Some(Key(key)) = map.next_key()? {
            let value: &'de RawValue = map.next_value()?;
            entries.push((key, value));
        }
        Ok(entries)
    }
}

/// A member name, borrowed from the text when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a member name")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, name: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(name)))
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(name.to_owned())))
    }

    fn visit_string<E: serde::de::Error>(self, name: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(name)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_keep_document_order_and_duplicates() {
        let raw = parse(r#"{"b": 1, "a": {"z": [1, 2]}, "b": 3}"#).unwrap();
        let entries = object_entries(raw).unwrap();
        let keys: Vec<&str> = entries.iter().map(|(key, _)| key.as_ref()).collect();
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

    #[test]
    fn parse_object_borrows_plain_names_and_refuses_bad_text() {
        let text = r#" {"a\u0062": 1, "c": [2]} "#;
        let entries = parse_object(text).unwrap().unwrap();
        assert!(matches!(entries[0].0, Cow::Owned(ref name) if name == "ab"));
        assert!(matches!(entries[1].0, Cow::Borrowed("c")));
        assert_eq!(
            offset_in(text, entries[1].1.get()),
            Some(text.find('[').unwrap())
        );
        assert_eq!(offset_in(text, "elsewhere"), None);
        assert!(parse_object("[1]").unwrap().is_none());
        assert!(parse_object(r#"{"a":1} x"#).is_err());
        assert!(parse_object(r#"{"a":"#).is_err());
        assert!(parse_object("nul").is_err());
    }
}
