//! The raw form of a policy document: a JSON tree that keeps object members in order and
//! keeps duplicates, so the checker can refuse `{"Effect": "Allow", "Effect": "Deny"}`
//! instead of silently taking the last one as `serde_json::Value` would.
//!
//! Nesting is bounded by `serde_json`'s recursion limit (128 levels), so hostile input
//! cannot exhaust the stack; a valid policy nests at most six levels and anything deeper
//! fails the element type checks in `document.rs`.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// One JSON value, exactly as written (numbers as their text).
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    /// A number's decimal text, as `serde_json` read it (`10`, `-3`, `2.5`).
    Number(String),
    String(String),
    Array(Vec<Json>),
    /// Members in document order, duplicates included.
    Object(Vec<(String, Json)>),
}

impl Json {
    /// Names the JSON type, for error messages.
    pub(crate) fn type_name(&self) -> &'static str {
        match self {
            Json::Null => "null",
            Json::Bool(_) => "a boolean",
            Json::Number(_) => "a number",
            Json::String(_) => "a string",
            Json::Array(_) => "an array",
            Json::Object(_) => "an object",
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Json, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_bool<E: de::Error>(self, value: bool) -> Result<Json, E> {
        Ok(Json::Bool(value))
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Json, E> {
        Ok(Json::Number(value.to_string()))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Json, E> {
        Ok(Json::Number(value.to_string()))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Json, E> {
        Ok(Json::Number(value.to_string()))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Json, E> {
        Ok(Json::String(value.to_owned()))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Json, E> {
        Ok(Json::String(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut members = Vec::new();
        while let Some((name, value)) = map.next_entry::<String, Json>()? {
            members.push((name, value));
        }
        Ok(Json::Object(members))
    }
}

/// Parses `text` as one JSON value (trailing text is an error, as in `serde_json`).
pub(crate) fn parse(text: &str) -> Result<Json, serde_json::Error> {
    serde_json::from_str(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_order_and_duplicates() {
        let json = parse(r#"{"b": 1, "a": [true, null, "x", 2.5], "b": -3}"#).unwrap();
        assert_eq!(
            json,
            Json::Object(vec![
                ("b".into(), Json::Number("1".into())),
                (
                    "a".into(),
                    Json::Array(vec![
                        Json::Bool(true),
                        Json::Null,
                        Json::String("x".into()),
                        Json::Number("2.5".into()),
                    ])
                ),
                ("b".into(), Json::Number("-3".into())),
            ])
        );
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        let error = parse(&deep).unwrap_err();
        assert!(error.to_string().contains("recursion limit"), "{error}");
    }

    #[test]
    fn trailing_text_is_refused() {
        assert!(parse(r#"{"a": 1} x"#).is_err());
    }
}
