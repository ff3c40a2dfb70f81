//! JSON text helpers that keep the caller's text: the members of an object in the order
//! sent, whitespace removal that leaves every value's text as it was, string escaping.

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

/// Returns `text` (valid JSON) without the whitespace between tokens; string contents,
/// number literals and member order stay exactly as sent.
pub(crate) fn compact_json(text: &str) -> String {
    let mut compact = String::with_capacity(text.len());
    let mut in_string = false;
    let mut escaped = false;
    for character in text.chars() {
        if in_string {
            compact.push(character);
            if escaped {
                escaped = false;
            } else if character == '\\' {
                escaped = true;
            } else if character == '"' {
                in_string = false;
            }
            continue;
        }
        match character {
            ' ' | '\t' | '\n' | '\r' => {}
            '"' => {
                in_string = true;
                compact.push(character);
            }
            _ => compact.push(character),
        }
    }
    compact
}

/// Appends `text` as a JSON string literal, escaped the way `serde_json` escapes it.
pub(crate) fn push_json_string(out: &mut String, text: &str) {
    const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            control if u32::from(control) < 0x20 => {
                let code = u32::from(control) as usize;
                out.push_str("\\u00");
                out.push(char::from(HEX_DIGITS[code >> 4]));
                out.push(char::from(HEX_DIGITS[code & 0xf]));
            }
            other => out.push(other),
        }
    }
    out.push('"');
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

    #[test]
    fn compaction_keeps_strings_and_numbers() {
        assert_eq!(
            compact_json("{ \"a b\" : [ 1.0 , \"x \\\" y\\\\\" ] ,\n\t\"c\":1e3 }"),
            "{\"a b\":[1.0,\"x \\\" y\\\\\"],\"c\":1e3}"
        );
    }

    #[test]
    fn strings_are_escaped_like_serde_json() {
        for text in [
            "plain",
            "q\"uote",
            "back\\slash",
            "\u{1}\u{1f}\n\r\t\u{8}\u{c}",
            "é\u{7f}",
        ] {
            let mut out = String::new();
            push_json_string(&mut out, text);
            assert_eq!(out, serde_json::to_string(text).unwrap(), "{text:?}");
        }
    }
}
