//! From a journal entry to the doc the index holds: time, flags and terms.

use opentrail_event::{EventCategory, Record};
use opentrail_journal::Entry;
use opentrail_types::Timestamp;

use crate::history::segment::{
    DocInput, READ_ONLY_ABSENT, READ_ONLY_FALSE, READ_ONLY_TRUE, pack_flags,
};
use crate::lookup::AttributeKey;

/// Term kind of the category pseudo-attribute (not a lookup attribute).
pub(crate) const CATEGORY_KIND: u8 = 0x20;

/// The kind byte that prefixes an attribute's terms.
pub(crate) fn attribute_kind(key: AttributeKey) -> u8 {
    match key {
        AttributeKey::EventId => 0,
        AttributeKey::EventName => 1,
        AttributeKey::ReadOnly => 2,
        AttributeKey::Username => 3,
        AttributeKey::ResourceType => 4,
        AttributeKey::ResourceName => 5,
        AttributeKey::EventSource => 6,
        AttributeKey::AccessKeyId => 7,
    }
}

/// The index key of `value` under `kind`.
pub(crate) fn term(kind: u8, value: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(value.len() + 1);
    key.push(kind);
    key.extend_from_slice(value.as_bytes());
    key
}

/// The index key of a category.
pub(crate) fn category_term(category: EventCategory) -> Vec<u8> {
    vec![CATEGORY_KIND, category.code()]
}

/// Hash of an event ID as stored in segments.
pub(crate) fn id_hash(event_id: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(event_id.as_bytes())
}

/// What became of one journal entry.
pub(crate) enum Derived {
    /// Indexed.
    Doc(DocInput),
    /// A category history does not hold (data events when not configured, Lake-only kinds).
    NotIndexed,
}

/// Builds the doc of `entry`, or says why it is not indexed.
///
/// # Errors
///
/// A description when the payload is not a record with a parsable `eventTime` (the
/// journal only holds checked records, so this means a bug or damage).
pub(crate) fn derive_doc(entry: &Entry<'_>, indexed: &[EventCategory]) -> Result<Derived, String> {
    let record: Record =
        serde_json::from_slice(entry.payload).map_err(|error| error.to_string())?;
    let category = EventCategory::of_record(&record);
    if category != EventCategory::Insight && !indexed.contains(&category) {
        return Ok(Derived::NotIndexed);
    }
    let time = record
        .event_time
        .as_deref()
        .ok_or_else(|| String::from("record has no eventTime"))
        .and_then(|text| Timestamp::parse_event_time(text).map_err(|error| error.to_string()))?;
    let read_only = match record.read_only {
        None => READ_ONLY_ABSENT,
        Some(false) => READ_ONLY_FALSE,
        Some(true) => READ_ONLY_TRUE,
    };
    let mut terms = Vec::with_capacity(8);
    terms.push(category_term(category));
    let mut add = |key: AttributeKey, value: Option<&str>| {
        if let Some(value) = value.filter(|value| !value.is_empty()) {
            terms.push(term(attribute_kind(key), value));
        }
    };
    add(AttributeKey::EventName, record.lookup_event_name());
    add(AttributeKey::EventSource, record.lookup_event_source());
    add(AttributeKey::Username, record.lookup_username());
    add(AttributeKey::AccessKeyId, record.lookup_access_key_id());
    for resource in record.lookup_resources() {
        add(
            AttributeKey::ResourceType,
            resource.resource_type.as_deref(),
        );
        add(AttributeKey::ResourceName, Some(&resource.resource_name));
    }
    terms.sort_unstable();
    terms.dedup();
    Ok(Derived::Doc(DocInput {
        time_ms: time.as_millis(),
        seq: entry.seq,
        location: entry.location.0,
        arrival_ms: entry.arrival.as_millis(),
        flags: pack_flags(category.code(), read_only),
        id_hash: id_hash(entry.event_id),
        terms,
    }))
}
