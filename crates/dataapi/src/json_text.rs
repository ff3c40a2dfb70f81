//! JSON text helpers that keep the caller's text: the members of an object in the order
//! sent. Whitespace removal and string escaping are [`opentrail_types::json_text`]'s.

use std::fmt;

use serde::Deserialize;
use serde::de::{MapAccess, Visitor};
use serde_json::value::RawValue;

/// The members of one JSON object, in the order sent, each value as its raw JSON text.
#[derive(Debug)]
pub(crate) struct ObjectMembers {
    pub(crate) members: Vec<(String, Box<RawValue>)>,
    /// The first member name that occurs twice, if any.
    pub(crate) duplicate: Option<String>,
}

impl ObjectMembers {
    /// Returns the raw value of the member `name` (exact, case-sensitive match).
    pub(crate) fn get(&self, name: &str) -> Option<&RawValue> {
        self.members
            .iter()
            .find(|(member, _)| member == name)
            .map(|(_, value)| value.as_ref())
    }
}

impl<'de> Deserialize<'de> for ObjectMembers {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ObjectMembersVisitor)
    }
}

struct ObjectMembersVisitor;

impl<'de> Visitor<'de> for ObjectMembersVisitor {
    type Value = ObjectMembers;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ObjectMembers, A::Error> {
        let mut members: Vec<(String, Box<RawValue>)> = Vec::new();
        let mut duplicate = None;
        while let Some(name) = map.next_key::<String>()? {
            let value: Box<RawValue> = map.next_value()?;
            if duplicate.is_none() && members.iter().any(|(seen, _)| *seen == name) {
                duplicate = Some(name.clone());
            }
            members.push((name, value));
        }
        Ok(ObjectMembers { members, duplicate })
    }
}

/// Parses `text` as a JSON object, keeping its members in order.
///
/// # Errors
///
/// The parser's error when `text` is not JSON or not an object.
pub(crate) fn parse_object(text: &str) -> Result<ObjectMembers, serde_json::Error> {
    serde_json::from_str(text)
}

/// The JSON type of a raw value, named for error messages.
pub(crate) fn json_type_name(raw: &RawValue) -> &'static str {
    match raw.get().as_bytes().first() {
        Some(b'"') => "a string",
        Some(b'{') => "an object",
        Some(b'[') => "an array",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        _ => "a number",
    }
}

/// Deserialises a raw value as a string; `None` when it is not one.
pub(crate) fn raw_as_string(raw: &RawValue) -> Option<String> {
    serde_json::from_str::<String>(raw.get()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_keep_their_order_and_duplicates_are_noticed() {
        let parsed = parse_object(r#"{"b": 1, "a": {"z": 2, "y": 3}, "b": 4}"#).unwrap();
        let names: Vec<&str> = parsed
            .members
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(names, ["b", "a", "b"]);
        assert_eq!(parsed.duplicate.as_deref(), Some("b"));
        assert_eq!(parsed.get("a").unwrap().get(), r#"{"z": 2, "y": 3}"#);
    }

    #[test]
    fn non_objects_are_rejected() {
        for text in ["[]", "1", "\"x\"", "null", "{", "{} x"] {
            assert!(parse_object(text).is_err(), "{text}");
        }
    }
}
