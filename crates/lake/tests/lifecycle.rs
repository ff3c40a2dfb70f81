//! The status machine of §3.2.4: ingestion, deletion, restore within seven days, purge.

use std::sync::Arc;

use opentrail_lake::{
    CreateEventDataStoreInput, ErrorKind, EventDataStoreStatus, UpdateEventDataStoreInput,
};
use opentrail_types::Timestamp;

use crate::support::{audit_store, caller, category, deletable, named, setup};

const DAY_MILLIS: i64 = 86_400_000;

fn status_of(setup: &crate::support::Setup, arn: &str) -> EventDataStoreStatus {
    setup
        .lake
        .get_event_data_store(&caller(), arn)
        .unwrap()
        .status
}

#[test]
fn ingestion_stops_and_starts_only_from_the_right_status() {
    let setup = setup();
    let lake = &setup.lake;
    let store = deletable(lake, "events");
    assert_eq!(
        lake.start_event_data_store_ingestion(&caller(), &store.arn)
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidEventDataStoreStatus
    );
    lake.stop_event_data_store_ingestion(&caller(), &store.arn)
        .unwrap();
    assert_eq!(
        status_of(&setup, &store.arn),
        EventDataStoreStatus::StoppedIngestion
    );
    assert_eq!(
        lake.stop_event_data_store_ingestion(&caller(), &store.id)
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidEventDataStoreStatus
    );
    lake.start_event_data_store_ingestion(&caller(), &store.id)
        .unwrap();
    assert_eq!(status_of(&setup, &store.arn), EventDataStoreStatus::Enabled);
}

#[test]
fn only_cloudtrail_event_stores_stop_ingestion() {
    let setup = setup();
    for kind in ["Insight", "ActivityAuditLog"] {
        let store = setup
            .lake
            .create_event_data_store(
                &caller(),
                CreateEventDataStoreInput {
                    advanced_event_selectors: Some(category(kind)),
                    ..named(kind)
                },
            )
            .unwrap();
        assert_eq!(
            setup
                .lake
                .stop_event_data_store_ingestion(&caller(), &store.arn)
                .unwrap_err()
                .kind(),
            ErrorKind::InvalidEventDataStoreCategory,
            "{kind}"
        );
    }
}

#[test]
fn delete_preconditions() {
    let setup = setup();
    let lake = &setup.lake;
    let protected = lake
        .create_event_data_store(&caller(), named("protected"))
        .unwrap();
    assert_eq!(
        lake.delete_event_data_store(&caller(), &protected.arn)
            .unwrap_err()
            .kind(),
        ErrorKind::EventDataStoreTerminationProtected
    );
    let importing = deletable(lake, "importing");
    let importing_id = importing.id.clone();
    lake.set_import_check(Arc::new(move |id: &str| id == importing_id));
    assert_eq!(
        lake.delete_event_data_store(&caller(), &importing.arn)
            .unwrap_err()
            .kind(),
        ErrorKind::EventDataStoreHasOngoingImport
    );
    assert_eq!(
        lake.update_event_data_store(
            &caller(),
            UpdateEventDataStoreInput {
                event_data_store: importing.arn.clone(),
                retention_period: Some(30),
                ..UpdateEventDataStoreInput::default()
            }
        )
        .unwrap_err()
        .kind(),
        ErrorKind::EventDataStoreHasOngoingImport
    );
    let target = audit_store(lake, "target");
    lake.create_channel(
        &caller(),
        opentrail_lake::CreateChannelInput {
            name: String::from("partner"),
            source: String::from("Custom"),
            destinations: vec![opentrail_lake::DestinationInput {
                destination_type: String::from("EVENT_DATA_STORE"),
                location: target.id.clone(),
            }],
            tags: Vec::new(),
        },
    )
    .unwrap();
    assert_eq!(
        lake.delete_event_data_store(&caller(), &target.arn)
            .unwrap_err()
            .kind(),
        ErrorKind::ChannelExistsForEds
    );
}

#[test]
fn deleted_stores_restore_to_their_previous_status_within_seven_days() {
    let setup = setup();
    let lake = &setup.lake;
    let stopped = deletable(lake, "stopped");
    lake.stop_event_data_store_ingestion(&caller(), &stopped.arn)
        .unwrap();
    lake.delete_event_data_store(&caller(), &stopped.arn)
        .unwrap();
    assert_eq!(
        status_of(&setup, &stopped.arn),
        EventDataStoreStatus::PendingDeletion
    );
    // Operations that need an active store refuse it; listing still shows it.
    assert_eq!(
        lake.delete_event_data_store(&caller(), &stopped.arn)
            .unwrap_err()
            .kind(),
        ErrorKind::InactiveEventDataStore
    );
    assert_eq!(
        lake.update_event_data_store(
            &caller(),
            UpdateEventDataStoreInput {
                event_data_store: stopped.arn.clone(),
                retention_period: Some(30),
                ..UpdateEventDataStoreInput::default()
            }
        )
        .unwrap_err()
        .kind(),
        ErrorKind::InactiveEventDataStore
    );
    assert_eq!(
        lake.start_event_data_store_ingestion(&caller(), &stopped.arn)
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidEventDataStoreStatus
    );
    let listed = lake.list_event_data_stores(&caller(), None, None).unwrap();
    assert_eq!(listed.event_data_stores.len(), 1);
    setup.clock.advance_millis(7 * DAY_MILLIS - 1);
    let restored = lake
        .restore_event_data_store(&caller(), &stopped.id)
        .unwrap();
    assert_eq!(restored.status, EventDataStoreStatus::StoppedIngestion);
    assert_eq!(restored.deleted_at, None);
    assert_eq!(
        lake.restore_event_data_store(&caller(), &stopped.id)
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidEventDataStoreStatus
    );
}

#[test]
fn stores_are_purged_once_the_seven_days_are_over() {
    let setup = setup();
    let lake = &setup.lake;
    let gone = deletable(lake, "gone");
    let kept = deletable(lake, "kept");
    let mut changes = lake.subscribe();
    let before = *changes.borrow_and_update();
    lake.delete_event_data_store(&caller(), &gone.arn).unwrap();
    assert!(changes.has_changed().unwrap());
    assert!(*changes.borrow_and_update() > before);
    let deleted_at = Timestamp::from_secs(crate::support::START_SECS);
    assert!(
        lake.purge_expired(deleted_at.saturating_add_millis(7 * DAY_MILLIS - 1))
            .unwrap()
            .is_empty()
    );
    setup.clock.advance_millis(7 * DAY_MILLIS);
    assert_eq!(
        lake.restore_event_data_store(&caller(), &gone.arn)
            .unwrap_err()
            .kind(),
        ErrorKind::InvalidEventDataStoreStatus,
        "the wait is over even before the purge ran"
    );
    let purged = lake
        .purge_expired(deleted_at.saturating_add_millis(7 * DAY_MILLIS))
        .unwrap();
    assert_eq!(purged, vec![gone.id.clone()]);
    assert_eq!(
        lake.get_event_data_store(&caller(), &gone.arn)
            .unwrap_err()
            .kind(),
        ErrorKind::EventDataStoreNotFound
    );
    let ids: Vec<String> = lake.snapshot().into_iter().map(|store| store.id).collect();
    assert_eq!(ids, vec![kept.id]);
}

#[test]
fn the_snapshot_tells_the_writer_what_ingests() {
    let setup = setup();
    let lake = &setup.lake;
    let live = deletable(lake, "live");
    let stopped = deletable(lake, "stopped");
    lake.stop_event_data_store_ingestion(&caller(), &stopped.arn)
        .unwrap();
    let snapshot = lake.snapshot();
    let find = |id: &str| snapshot.iter().find(|store| store.id == id).unwrap();
    assert!(find(&live.id).is_ingesting());
    assert!(!find(&stopped.id).is_ingesting());
    assert_eq!(find(&live.id).home_region, "us-east-1");
    assert!(find(&live.id).multi_region_enabled);
    assert_eq!(find(&live.id).retention_period_days, 366);
    assert_eq!(
        find(&live.id).advanced_event_selectors,
        live.advanced_event_selectors
    );
}
