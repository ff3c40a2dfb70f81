//! Borrowed JSON pieces: scalar text, flags and `map<string,string>` objects.
//!
//! Records are parsed with serde_json into structs that borrow from the record text. Free-form
//! values arrive as `&RawValue` (a slice of the record), so a string without escapes, a number
//! or an already compact object is never copied before it reaches the Arrow buffers.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

/// A scalar JSON value rendered as text: a string unescaped, a number or boolean as written.
///
/// Objects and arrays are refused: a column of type string never silently holds a structure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Text<'a>(pub(crate) Cow<'a, str>);

impl<'a> Text<'a> {
    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <&'a RawValue>::deserialize(deserializer)?;
        match classify(raw.get()) {
            Value::String(text) | Value::Scalar(text) => Ok(Text(text)),
            Value::Null => Err(de::Error::custom("expected a string, found null")),
            Value::Container(_) => Err(de::Error::custom(
                "expected a string, number or boolean, found an object or array",
            )),
        }
    }
}

/// Returns a string column's value: `None` when the member is absent or `null`.
pub(crate) fn text<'r>(value: &'r Option<Text<'_>>) -> Option<&'r str> {
    value.as_ref().map(Text::as_str)
}

/// A boolean member: JSON `true`/`false`, or the strings `"true"`/`"false"` (any case) that
/// some emitters write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Flag(pub(crate) bool);

impl<'de> Deserialize<'de> for Flag {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = <&RawValue>::deserialize(deserializer)?;
        let text = raw.get();
        let inner = text
            .strip_prefix('"')
            .and_then(|rest| rest.strip_suffix('"'))
            .unwrap_or(text);
        if inner.eq_ignore_ascii_case("true") {
            Ok(Flag(true))
        } else if inner.eq_ignore_ascii_case("false") {
            Ok(Flag(false))
        } else {
            Err(de::Error::custom(format_args!(
                "expected a boolean, found `{}`",
                shorten(text)
            )))
        }
    }
}

/// A JSON object read as `map<string,string>` entries, in record order.
///
/// Values follow §3.4.2: strings as is, numbers and booleans as their JSON text, objects and
/// arrays as compact JSON text, `null` as a NULL value. A key repeated in the object keeps its
/// first position and its last value (what JSON parsers that keep order do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct JsonMap<'a>(pub(crate) Vec<(Cow<'a, str>, Option<Cow<'a, str>>)>);

impl<'de: 'a, 'a> Deserialize<'de> for JsonMap<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(JsonMapVisitor(PhantomData))
    }
}

struct JsonMapVisitor<'a>(PhantomData<&'a ()>);

/// Above this many entries, repeated keys are found with a hash map instead of a scan.
const LINEAR_SCAN_ENTRIES: usize = 16;

impl<'de: 'a, 'a> Visitor<'de> for JsonMapVisitor<'a> {
    type Value = JsonMap<'a>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<JsonMap<'a>, A::Error> {
        let mut entries: Vec<(Cow<'a, str>, Option<Cow<'a, str>>)> = Vec::new();
        let mut positions: Option<HashMap<Cow<'a, str>, usize>> = None;
        while let Some(Key(key)) = access.next_key::<Key<'a>>()? {
            let raw = access.next_value::<&'a RawValue>()?;
            let value = match classify(raw.get()) {
                Value::Null => None,
                Value::String(text) | Value::Scalar(text) | Value::Container(text) => Some(text),
            };
            if entries.len() >= LINEAR_SCAN_ENTRIES && positions.is_none() {
                let index = entries
                    .iter()
                    .enumerate()
                    .map(|(position, (name, _))| (name.clone(), position))
                    .collect();
                positions = Some(index);
            }
            let earlier = match &mut positions {
                Some(index) => match index.get(&key) {
                    Some(&position) => Some(position),
                    None => {
                        index.insert(key.clone(), entries.len());
                        None
                    }
                },
                None => entries.iter().position(|(name, _)| *name == key),
            };
            match earlier {
                Some(position) => entries[position].1 = value,
                None => entries.push((key, value)),
            }
        }
        Ok(JsonMap(entries))
    }
}

/// An object key, borrowed when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Key<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for KeyVisitor<'a> {
            type Value = Key<'a>;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Key<'a>, E> {
                Ok(Key(Cow::Borrowed(value)))
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Key<'a>, E> {
                Ok(Key(Cow::Owned(value.to_owned())))
            }
            fn visit_string<E: de::Error>(self, value: String) -> Result<Key<'a>, E> {
                Ok(Key(Cow::Owned(value)))
            }
        }
        deserializer.deserialize_str(KeyVisitor(PhantomData))
    }
}

/// One raw JSON value sorted by what a text column makes of it.
enum Value<'a> {
    Null,
    /// A string, unescaped.
    String(Cow<'a, str>),
    /// A number or boolean, as written.
    Scalar(Cow<'a, str>),
    /// An object or array, as compact JSON text.
    Container(Cow<'a, str>),
}

fn classify(raw: &str) -> Value<'_> {
    match raw.as_bytes().first() {
        Some(b'"') => Value::String(unescape(raw)),
        Some(b'{' | b'[') => Value::Container(compact(raw)),
        Some(b'n') => Value::Null,
        _ => Value::Scalar(Cow::Borrowed(raw)),
    }
}

/// Returns the content of the JSON string literal `raw` (quotes included), unescaped.
fn unescape(raw: &str) -> Cow<'_, str> {
    let inner = raw.get(1..raw.len().saturating_sub(1)).unwrap_or_default();
    if memchr::memchr(b'\\', inner.as_bytes()).is_none() {
        return Cow::Borrowed(inner);
    }
    // serde_json has already validated the literal while slicing it out of the record, so
    // this second parse succeeds; should it not, the escaped text is kept rather than lost.
    match serde_json::from_str::<String>(raw) {
        Ok(text) => Cow::Owned(text),
        Err(_) => Cow::Borrowed(inner),
    }
}

/// Returns valid JSON text `raw` without the whitespace between tokens.
///
/// Strings (their escapes included) and numbers stay exactly as written, so the result is
/// the record's own text minus layout; already compact text is returned borrowed.
pub(crate) fn compact(raw: &str) -> Cow<'_, str> {
    let bytes = raw.as_bytes();
    let mut in_string = false;
    let mut escaped = false;
    let mut out: Option<String> = None;
    let mut copied_up_to = 0;
    for (index, &byte) in bytes.iter().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b' ' | b'\n' | b'\r' | b'\t' => {
                let buffer = out.get_or_insert_with(|| String::with_capacity(raw.len()));
                // `index` sits on an ASCII byte, hence on a char boundary.
                buffer.push_str(&raw[copied_up_to..index]);
                copied_up_to = index + 1;
            }
            _ => {}
        }
    }
    match out {
        None => Cow::Borrowed(raw),
        Some(mut buffer) => {
            buffer.push_str(&raw[copied_up_to..]);
            Cow::Owned(buffer)
        }
    }
}

/// Returns at most the first 40 characters of `text`, for error messages.
pub(crate) fn shorten(text: &str) -> &str {
    match text.char_indices().nth(40) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_removes_layout_but_keeps_strings_and_numbers() {
        let raw = "{ \"a\" : [ 1 , 2.50, 9.82222E-5 ],\n\t\"b c\": \"x  \\\" y\" }";
        assert_eq!(compact(raw), r#"{"a":[1,2.50,9.82222E-5],"b c":"x  \" y"}"#);
        assert!(matches!(compact(r#"{"a":"b c"}"#), Cow::Borrowed(_)));
    }

    #[test]
    fn unescape_borrows_plain_strings() {
        assert!(matches!(unescape(r#""plain""#), Cow::Borrowed("plain")));
        assert_eq!(unescape(r#""a\u00e9\/b""#), "aé/b");
    }

    #[test]
    fn json_map_keeps_first_position_and_last_value() {
        let map: JsonMap<'_> = serde_json::from_str(r#"{"a":1,"b":null,"a":"x"}"#).unwrap();
        assert_eq!(
            map.0,
            vec![
                (Cow::Borrowed("a"), Some(Cow::Borrowed("x"))),
                (Cow::Borrowed("b"), None)
            ]
        );
        let many: String = (0..40)
            .map(|index| format!("\"k{}\":{index}", index % 20))
            .collect::<Vec<_>>()
            .join(",");
        let text = format!("{{{many}}}");
        let map: JsonMap<'_> = serde_json::from_str(&text).unwrap();
        assert_eq!(map.0.len(), 20);
        assert_eq!(map.0[3].1.as_deref(), Some("23"));
    }
}
