//! A registry in a temporary folder with a manual clock and seeded IDs.

use std::sync::Arc;

use opentrail_lake::{Caller, CreateEventDataStoreInput, EventDataStore, Lake, LakeLimits};
use opentrail_selectors::{AdvancedEventSelector, AdvancedFieldSelector};
use opentrail_types::{ManualClock, SeededIds, Timestamp};

pub const ACCOUNT: &str = "111122223333";
pub const REGION: &str = "us-east-1";
pub const START_SECS: i64 = 1_700_000_000;

pub struct Setup {
    pub dir: tempfile::TempDir,
    pub clock: ManualClock,
    pub lake: Lake,
}

pub fn setup() -> Setup {
    setup_with(LakeLimits::default())
}

pub fn setup_with(limits: LakeLimits) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::new(Timestamp::from_secs(START_SECS));
    let lake = Lake::open(
        dir.path(),
        Arc::new(clock.clone()),
        Arc::new(SeededIds::new(7)),
        limits,
    )
    .unwrap();
    Setup { dir, clock, lake }
}

pub fn reopen(setup: &Setup) -> Lake {
    Lake::open(
        setup.dir.path(),
        Arc::new(setup.clock.clone()),
        Arc::new(SeededIds::new(8)),
        LakeLimits::default(),
    )
    .unwrap()
}

pub fn caller() -> Caller {
    caller_in(REGION)
}

pub fn caller_in(region: &str) -> Caller {
    Caller {
        account_id: ACCOUNT.to_owned(),
        region: region.to_owned(),
    }
}

pub fn equals(field: &str, values: &[&str]) -> AdvancedFieldSelector {
    AdvancedFieldSelector {
        field: field.to_owned(),
        equals: Some(values.iter().map(|value| (*value).to_owned()).collect()),
        ..AdvancedFieldSelector::default()
    }
}

pub fn selector(fields: Vec<AdvancedFieldSelector>) -> AdvancedEventSelector {
    AdvancedEventSelector {
        name: None,
        field_selectors: fields,
    }
}

pub fn category(name: &str) -> Vec<AdvancedEventSelector> {
    vec![selector(vec![equals("eventCategory", &[name])])]
}

pub fn named(name: &str) -> CreateEventDataStoreInput {
    CreateEventDataStoreInput {
        name: name.to_owned(),
        ..CreateEventDataStoreInput::default()
    }
}

/// A store with termination protection off, so tests can delete it.
pub fn deletable(lake: &Lake, name: &str) -> EventDataStore {
    lake.create_event_data_store(
        &caller(),
        CreateEventDataStoreInput {
            termination_protection_enabled: Some(false),
            ..named(name)
        },
    )
    .unwrap()
}

/// An `ActivityAuditLog` store.
pub fn audit_store(lake: &Lake, name: &str) -> EventDataStore {
    lake.create_event_data_store(
        &caller(),
        CreateEventDataStoreInput {
            advanced_event_selectors: Some(category("ActivityAuditLog")),
            termination_protection_enabled: Some(false),
            ..named(name)
        },
    )
    .unwrap()
}
