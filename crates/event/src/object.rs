//! The machinery behind every record object: known members in AWS's order, unknown members
//! kept verbatim.
//!
//! serde's `#[serde(flatten)]` would keep unknown members too, but it costs 20–40 % on the
//! hot path (see `spec/dependencies.md`) and it cannot tell an absent member from one that
//! is `null`. The [`json_object!`] macro writes a plain map visitor instead.

use std::borrow::Cow;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use serde_json::value::RawValue;

/// A JSON value kept exactly as it was written (free-form members such as
/// `requestParameters`). A JSON `null` is kept as the text `null`.
pub type RawJson = Box<RawValue>;

/// Members of a JSON object that the model has no typed field for, in input order,
/// each kept as the exact JSON text of its value.
///
/// Also holds known members whose value was `null` where the model expects a value, so
/// that `"userAgent": null` survives a round trip.
#[derive(Debug, Clone, Default)]
pub struct Extra(Vec<(String, RawJson)>);

impl Extra {
    /// Returns the raw value of member `key`, if kept here.
    pub fn get(&self, key: &str) -> Option<&RawValue> {
        self.0
            .iter()
            .find(|(name, _)| name == key)
            .map(|(_, value)| value.as_ref())
    }

    /// Iterates over the kept members in input order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.0
            .iter()
            .map(|(name, value)| (name.as_str(), value.as_ref()))
    }

    /// Returns true when no member is kept.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Keeps member `key` with the raw value `value`, replacing an earlier one of that name.
    pub fn insert(&mut self, key: String, value: RawJson) {
        match self.0.iter_mut().find(|(name, _)| *name == key) {
            Some(slot) => slot.1 = value,
            None => self.0.push((key, value)),
        }
    }

    /// Removes member `key` (for example a `null` kept here for a typed member that code
    /// then sets, such as a stamped `eventID`).
    pub(crate) fn remove(&mut self, key: &str) {
        self.0.retain(|(name, _)| name != key);
    }

    pub(crate) fn insert_null(&mut self, key: String) {
        self.insert(key, null_raw());
    }
}

/// The message of a member given twice; [`crate::ValidationError`] recognises it.
pub(crate) fn duplicate_member(name: &str) -> String {
    format!("{DUPLICATE_MEMBER_PREFIX}{name}`")
}

/// Start of [`duplicate_member`] messages.
pub(crate) const DUPLICATE_MEMBER_PREFIX: &str = "member given twice: `";

/// Returns a raw JSON `null`.
pub(crate) fn null_raw() -> RawJson {
    // The text `null` is valid JSON, so this conversion cannot fail; fall back to an
    // equivalent construction instead of panicking anyway.
    RawValue::from_string(String::from("null"))
        .unwrap_or_else(|_| serde_json::value::to_raw_value(&()).unwrap_or_default())
}

/// How a member type treats a JSON `null`.
pub trait MemberValue {
    /// True when the type itself can hold `null` (raw JSON does); false when `null` must be
    /// kept aside in [`Extra`].
    const HOLDS_NULL: bool = false;
}

impl MemberValue for String {}
impl MemberValue for bool {}
impl MemberValue for serde_json::Number {}
impl MemberValue for RawJson {
    const HOLDS_NULL: bool = true;
}
impl<T> MemberValue for Vec<T> {}

/// A member value that may be `null`.
pub(crate) enum Nullable<T> {
    Null,
    Value(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // `Option<T>` maps JSON null to `None`; anything else is parsed as a `T` with the
        // error (wrong type, ...) coming from `T` itself.
        Ok(match Option::<T>::deserialize(deserializer)? {
            Some(value) => Nullable::Value(value),
            None => Nullable::Null,
        })
    }
}

/// An object key, borrowed from the input when it has no escapes.
pub(crate) struct Key<'de>(pub(crate) Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("an object key")
            }
            fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(value)))
            }
            fn visit_str<E: de::Error>(self, value: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value.to_owned())))
            }
            fn visit_string<E: de::Error>(self, value: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(value)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

/// Defines a record object: a struct whose fields are the documented members in AWS's
/// order (all optional, as on the wire), plus `extra` for everything else.
///
/// Serialization writes the known members that are set, in declaration order, then the
/// extra members in input order. Deserialization accepts any member order.
macro_rules! json_object {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $(
                $(#[$field_meta:meta])*
                $json:literal => $field:ident : $ty:ty,
            )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default)]
        pub struct $name {
            $(
                $(#[$field_meta])*
                pub $field: Option<$ty>,
            )*
            /// Members without a typed field, and typed members that were `null`, verbatim.
            pub extra: $crate::object::Extra,
        }

        impl $crate::object::MemberValue for $name {}

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct ObjectVisitor;
                impl<'de> ::serde::de::Visitor<'de> for ObjectVisitor {
                    type Value = $name;
                    fn expecting(&self, formatter: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        formatter.write_str("a JSON object")
                    }
                    fn visit_map<A: ::serde::de::MapAccess<'de>>(self, mut map: A) -> Result<$name, A::Error> {
                        let mut value = $name::default();
                        while let Some(key) = map.next_key::<$crate::object::Key<'de>>()? {
                            // A member given twice is ambiguous (RFC 8259 leaves it
                            // undefined, and CloudTrail never writes one): refuse it.
                            if value.extra.get(key.0.as_ref()).is_some() {
                                return Err(<A::Error as ::serde::de::Error>::custom(
                                    $crate::object::duplicate_member(key.0.as_ref()),
                                ));
                            }
                            match key.0.as_ref() {
                                $(
                                    $json => {
                                        if value.$field.is_some() {
                                            return Err(<A::Error as ::serde::de::Error>::custom(
                                                $crate::object::duplicate_member($json),
                                            ));
                                        }
                                        if <$ty as $crate::object::MemberValue>::HOLDS_NULL {
                                            value.$field = Some(map.next_value::<$ty>()?);
                                        } else {
                                            match map.next_value::<$crate::object::Nullable<$ty>>()? {
                                                $crate::object::Nullable::Value(member) => {
                                                    value.$field = Some(member);
                                                }
                                                $crate::object::Nullable::Null => {
                                                    value.extra.insert_null(key.0.into_owned());
                                                }
                                            }
                                        }
                                    }
                                )*
                                _ => {
                                    let raw = map.next_value::<$crate::object::RawJson>()?;
                                    value.extra.insert(key.0.into_owned(), raw);
                                }
                            }
                        }
                        Ok(value)
                    }
                }
                deserializer.deserialize_map(ObjectVisitor)
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use ::serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                $(
                    if let Some(member) = &self.$field {
                        map.serialize_entry($json, member)?;
                    }
                )*
                for (key, raw) in self.extra.iter() {
                    map.serialize_entry(key, raw)?;
                }
                map.end()
            }
        }
    };
}

pub(crate) use json_object;

#[cfg(test)]
mod tests {
    use super::*;

    json_object! {
        /// A test object.
        pub struct Sample {
            /// A string.
            "name" => name: String,
            /// A raw value.
            "free" => free: RawJson,
            /// A nested list.
            "items" => items: Vec<Sample>,
        }
    }

    fn round_trip(text: &str) -> String {
        let sample: Sample = serde_json::from_str(text).unwrap();
        serde_json::to_string(&sample).unwrap()
    }

    #[test]
    fn known_members_are_written_in_declaration_order() {
        assert_eq!(
            round_trip(r#"{"items":[],"free":{"a" : 1},"name":"x"}"#),
            r#"{"name":"x","free":{"a" : 1},"items":[]}"#
        );
    }

    #[test]
    fn unknown_members_are_kept_verbatim_after_known_ones() {
        assert_eq!(
            round_trip(r#"{"zeta":[1,2.50],"name":"x","alpha":{"b":null}}"#),
            r#"{"name":"x","zeta":[1,2.50],"alpha":{"b":null}}"#
        );
    }

    #[test]
    fn null_is_kept_for_raw_and_for_typed_members() {
        let sample: Sample = serde_json::from_str(r#"{"name":null,"free":null}"#).unwrap();
        assert!(sample.name.is_none());
        assert_eq!(sample.free.as_ref().unwrap().get(), "null");
        assert_eq!(
            serde_json::to_string(&sample).unwrap(),
            r#"{"free":null,"name":null}"#
        );
    }

    #[test]
    fn members_given_twice_are_refused() {
        for text in [
            r#"{"name":"x","name":"y"}"#,
            r#"{"name":null,"name":"y"}"#,
            r#"{"free":1,"free":2}"#,
            r#"{"other":1,"other":2}"#,
        ] {
            let error = serde_json::from_str::<Sample>(text)
                .unwrap_err()
                .to_string();
            assert!(
                error.starts_with(DUPLICATE_MEMBER_PREFIX),
                "{text}: {error}"
            );
        }
    }

    #[test]
    fn wrong_types_are_errors() {
        assert!(serde_json::from_str::<Sample>(r#"{"name":5}"#).is_err());
        assert!(serde_json::from_str::<Sample>(r#"{"items":{}}"#).is_err());
        assert!(serde_json::from_str::<Sample>(r#"[]"#).is_err());
    }

    #[test]
    fn escaped_keys_are_matched() {
        let sample: Sample = serde_json::from_str(r#"{"n\u0061me":"x"}"#).unwrap();
        assert_eq!(sample.name.as_deref(), Some("x"));
    }
}
