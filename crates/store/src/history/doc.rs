//! From a journal entry to the doc the index holds: time, flags and terms.

use opentrail_event::{EventCategory, IndexView, LookupKeys};
use opentrail_journal::{Attachment, Entry};

use crate::history::segment::{
    DocInput, READ_ONLY_ABSENT, READ_ONLY_FALSE, READ_ONLY_TRUE, pack_flags,
};
use crate::lookup::AttributeKey;

/// Term kind of the category pseudo-attribute (not a lookup attribute).
pub(crate) const CATEGORY_KIND: u8 = 0x20;

/// Term kind of the recipient account (`recipientAccountId`), by which lookups are
/// restricted to the caller's account; not a lookup attribute. Indexes whose manifest is
/// older than version 2 lack these terms and are rebuilt.
pub(crate) const ACCOUNT_KIND: u8 = 8;

/// Term kind of `errorCode`, counted by facets; not a lookup attribute. Indexes whose
/// manifest is older than version 3 lack these terms and are rebuilt.
pub(crate) const ERROR_CODE_KIND: u8 = 9;

/// Term kind of `sourceIPAddress` (an address or a service name), counted by facets; not a
/// lookup attribute. Indexes whose manifest is older than version 3 lack these terms and
/// are rebuilt.
pub(crate) const SOURCE_IP_KIND: u8 = 10;

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
        AttributeKey::ErrorCode => ERROR_CODE_KIND,
        AttributeKey::SourceIpAddress => SOURCE_IP_KIND,
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

/// Builds the doc of `entry`, from the keys its producer attached when there are some, or
/// else by parsing its payload.
///
/// # Errors
///
/// A description when the payload is not a record with a parsable `eventTime` (the
/// journal only holds checked records, so this means a bug or damage).
pub(crate) fn derive_doc(
    entry: &Entry<'_>,
    attachment: Option<&Attachment>,
    indexed: &[EventCategory],
    parsed_count: &mut u64,
) -> Result<Derived, String> {
    let attached = attachment.and_then(|attachment| attachment.downcast_ref::<LookupKeys>());
    let parsed;
    let keys = match attached {
        Some(keys) => keys,
        None => {
            *parsed_count += 1;
            let view = IndexView::parse(entry.payload).map_err(|error| error.to_string())?;
            parsed = view.lookup_keys()?;
            &parsed
        }
    };
    if keys.category != EventCategory::Insight && !indexed.contains(&keys.category) {
        return Ok(Derived::NotIndexed);
    }
    let read_only = match keys.read_only {
        None => READ_ONLY_ABSENT,
        Some(false) => READ_ONLY_FALSE,
        Some(true) => READ_ONLY_TRUE,
    };
    let mut terms = Vec::with_capacity(11);
    terms.push(category_term(keys.category));
    let mut add = |kind: u8, value: Option<&str>| {
        if let Some(value) = value.filter(|value| !value.is_empty()) {
            terms.push(term(kind, value));
        }
    };
    add(ACCOUNT_KIND, keys.recipient_account_id.as_deref());
    add(ERROR_CODE_KIND, keys.error_code.as_deref());
    add(SOURCE_IP_KIND, keys.source_ip.as_deref());
    add(
        attribute_kind(AttributeKey::EventName),
        keys.event_name.as_deref(),
    );
    add(
        attribute_kind(AttributeKey::EventSource),
        keys.event_source.as_deref(),
    );
    add(
        attribute_kind(AttributeKey::Username),
        keys.username.as_deref(),
    );
    add(
        attribute_kind(AttributeKey::AccessKeyId),
        keys.access_key_id.as_deref(),
    );
    for resource in &keys.resources {
        add(
            attribute_kind(AttributeKey::ResourceType),
            resource.resource_type.as_deref(),
        );
        add(
            attribute_kind(AttributeKey::ResourceName),
            Some(&resource.resource_name),
        );
    }
    terms.sort_unstable();
    terms.dedup();
    Ok(Derived::Doc(DocInput {
        time_ms: keys.event_time.as_millis(),
        seq: entry.seq,
        location: entry.location.0,
        arrival_ms: entry.arrival.as_millis(),
        flags: pack_flags(keys.category.code(), read_only),
        id_hash: id_hash(entry.event_id),
        terms,
    }))
}
