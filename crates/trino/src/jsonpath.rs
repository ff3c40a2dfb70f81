//! The JSONPath subset Trino's `json_extract` family accepts, and navigation of JSON text
//! along such a path without losing the document's key order or number spelling.
//!
//! Grammar (Trino's `JsonPathTokenizer`): `$` followed by any number of
//! `.name` (letters, digits, `_`, `:`), `[name]` (letters, digits, `_`),
//! `["quoted name"]` (with `\"` and `\\` escapes) or `[n]`. A segment names an object
//! key, or an array position when it is a number and the value is an array.

use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::Error;

/// A parsed JSON path: the segments after `$`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct JsonPath {
    segments: Vec<String>,
}

impl JsonPath {
    /// Parses `path`.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidJsonPath`] when `path` is outside the supported grammar.
    pub(crate) fn parse(path: &str) -> Result<Self, Error> {
        let invalid = |message| Error::InvalidJsonPath {
            path: path.to_owned(),
            message,
        };
        let chars: Vec<char> = path.chars().collect();
        if chars.first() != Some(&'$') {
            return Err(invalid("a path starts with `$`"));
        }
        let mut segments = Vec::new();
        let mut index = 1;
        while index < chars.len() {
            match chars[index] {
                '.' => {
                    let start = index + 1;
                    index = start;
                    while index < chars.len() && is_unquoted_path_char(chars[index]) {
                        index += 1;
                    }
                    if index == start {
                        return Err(invalid("empty name after `.`"));
                    }
                    segments.push(chars[start..index].iter().collect());
                }
                '[' => {
                    index += 1;
                    let segment = if chars.get(index) == Some(&'"') {
                        let (segment, next) = quoted_segment(&chars, index + 1)
                            .ok_or_else(|| invalid("unterminated or badly escaped quoted name"))?;
                        index = next;
                        segment
                    } else {
                        let start = index;
                        while index < chars.len() && is_unquoted_subscript_char(chars[index]) {
                            index += 1;
                        }
                        if index == start {
                            return Err(invalid("empty subscript"));
                        }
                        chars[start..index].iter().collect()
                    };
                    if chars.get(index) != Some(&']') {
                        return Err(invalid("expected `]`"));
                    }
                    index += 1;
                    segments.push(segment);
                }
                _ => return Err(invalid("expected `.` or `[`")),
            }
        }
        Ok(JsonPath { segments })
    }

    /// Returns the JSON text at this path in `document`, or `None` when the document is
    /// not JSON or nothing is at the path.
    pub(crate) fn find<'a>(&self, document: &'a str) -> Option<&'a RawValue> {
        let mut current: &'a RawValue = serde_json::from_str(document).ok()?;
        for segment in &self.segments {
            current = child(current, segment)?;
        }
        Some(current)
    }
}

fn is_unquoted_subscript_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

fn is_unquoted_path_char(c: char) -> bool {
    c == ':' || is_unquoted_subscript_char(c)
}

/// Reads a quoted name starting after its opening quote; returns it and the index after
/// the closing quote. Only `\"` and `\\` are valid escapes, as in Trino.
fn quoted_segment(chars: &[char], mut index: usize) -> Option<(String, usize)> {
    let mut segment = String::new();
    while index < chars.len() {
        match chars[index] {
            '"' => return Some((segment, index + 1)),
            '\\' => {
                let escaped = *chars.get(index + 1)?;
                if escaped != '"' && escaped != '\\' {
                    return None;
                }
                segment.push(escaped);
                index += 2;
            }
            other => {
                segment.push(other);
                index += 1;
            }
        }
    }
    None
}

/// The first-letter class of a JSON value, read from its (trimmed) text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonKind {
    Object,
    Array,
    String,
    Number,
    Boolean,
    Null,
}

/// Returns what kind of value `raw` holds.
pub(crate) fn kind(raw: &RawValue) -> JsonKind {
    match raw.get().trim_start().as_bytes().first() {
        Some(b'{') => JsonKind::Object,
        Some(b'[') => JsonKind::Array,
        Some(b'"') => JsonKind::String,
        Some(b't' | b'f') => JsonKind::Boolean,
        Some(b'n') => JsonKind::Null,
        _ => JsonKind::Number,
    }
}

/// Returns the member `segment` of an object, or the element at `segment` of an array.
fn child<'a>(value: &'a RawValue, segment: &str) -> Option<&'a RawValue> {
    match kind(value) {
        JsonKind::Object => object_entries(value)?
            .into_iter()
            .find(|(key, _)| key == segment)
            .map(|(_, member)| member),
        JsonKind::Array => {
            let position: usize = segment.parse().ok()?;
            array_elements(value)?.into_iter().nth(position)
        }
        _ => None,
    }
}

/// Returns the entries of a JSON object in document order (duplicates kept).
pub(crate) fn object_entries(value: &RawValue) -> Option<Vec<(String, &RawValue)>> {
    struct Entries;
    impl<'de> Visitor<'de> for Entries {
        type Value = Vec<(String, &'de RawValue)>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a json object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut entries = Vec::new();
            while let Some(entry) = map.next_entry::<String, &'de RawValue>()? {
                entries.push(entry);
            }
            Ok(entries)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_str(value.get());
    deserializer.deserialize_map(Entries).ok()
}

/// Returns the elements of a JSON array.
pub(crate) fn array_elements(value: &RawValue) -> Option<Vec<&RawValue>> {
    serde_json::from_str(value.get()).ok()
}

/// Counts the elements of an array or the members of an object without keeping them.
pub(crate) fn container_size(value: &RawValue) -> Option<usize> {
    struct Count;
    impl<'de> Visitor<'de> for Count {
        type Value = usize;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a json object or array")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<usize, A::Error> {
            let mut count = 0;
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {
                count += 1;
            }
            Ok(count)
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
            let mut count = 0;
            while seq.next_element::<IgnoredAny>()?.is_some() {
                count += 1;
            }
            Ok(count)
        }
    }
    let mut deserializer = serde_json::Deserializer::from_str(value.get());
    deserializer.deserialize_any(Count).ok()
}

/// Returns the text of a scalar the way Trino's `json_extract_scalar` prints it: strings
/// unquoted and unescaped, numbers as written, booleans as `true`/`false`; `None` for
/// null, objects and arrays.
pub(crate) fn scalar_text(value: &RawValue) -> Option<String> {
    match kind(value) {
        JsonKind::String => serde_json::from_str::<String>(value.get()).ok(),
        JsonKind::Number | JsonKind::Boolean => Some(value.get().trim().to_owned()),
        JsonKind::Object | JsonKind::Array | JsonKind::Null => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_trino_subset() {
        let cases: &[(&str, &[&str])] = &[
            ("$", &[]),
            ("$.a.b", &["a", "b"]),
            ("$.a[0].c", &["a", "0", "c"]),
            ("$[\"a b\"][1]", &["a b", "1"]),
            (
                "$.AWS:ComplianceItem.Content",
                &["AWS:ComplianceItem", "Content"],
            ),
            ("$[abc]", &["abc"]),
            ("$[\"q\\\"uote\"]", &["q\"uote"]),
        ];
        for (path, segments) in cases {
            assert_eq!(JsonPath::parse(path).unwrap().segments, *segments, "{path}");
        }
    }

    #[test]
    fn rejects_paths_outside_the_subset() {
        for path in [
            "",
            "a.b",
            "$.",
            "$..a",
            "$[",
            "$[0",
            "$[\"a]",
            "$.a-b",
            "$[*]",
            "$.a b",
            "$[\"\\n\"]",
        ] {
            assert!(JsonPath::parse(path).is_err(), "{path}");
        }
    }
}
