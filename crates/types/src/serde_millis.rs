//! Timestamps as epoch milliseconds in state files, for `#[serde(with = "...")]`.

use serde::{Deserialize, Deserializer, Serializer};

use crate::Timestamp;

/// Serializes a [`Timestamp`] as its epoch milliseconds.
///
/// # Errors
///
/// The serializer's.
pub fn serialize<S: Serializer>(value: &Timestamp, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_i64(value.as_millis())
}

/// Reads a [`Timestamp`] from epoch milliseconds.
///
/// # Errors
///
/// The value is not an integer.
pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
    i64::deserialize(deserializer).map(Timestamp::from_millis)
}

/// An optional [`Timestamp`] as epoch milliseconds or `null`.
pub mod option {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::Timestamp;

    /// Serializes `Some` as epoch milliseconds, `None` as `null`.
    ///
    /// # Errors
    ///
    /// The serializer's.
    pub fn serialize<S: Serializer>(
        value: &Option<Timestamp>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(instant) => serializer.serialize_i64(instant.as_millis()),
            None => serializer.serialize_none(),
        }
    }

    /// Reads epoch milliseconds or `null`.
    ///
    /// # Errors
    ///
    /// The value is neither an integer nor `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Timestamp>, D::Error> {
        Option::<i64>::deserialize(deserializer).map(|millis| millis.map(Timestamp::from_millis))
    }
}
