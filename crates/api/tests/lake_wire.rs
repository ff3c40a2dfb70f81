//! The Lake operations through `opentrail_api::call`, JSON in and JSON out: the cases of
//! `tests/wire/lake-sequence.txt` run in order against one registry (see `support.rs`),
//! as `trails_wire.rs` does for trails. Store and channel IDs come from a seeded generator,
//! so the responses are stable; `{{arn:NAME}}` and `{{id:NAME}}` in a request stand for
//! the resource created (or renamed) with that name earlier in the sequence.

use opentrail_api::Operation;
use opentrail_trails::NoTopics;

use crate::fakes::AnyBucket;
use crate::support::{Fixture, run_sequence};

#[test]
fn lake_operations_wire_goldens() {
    let fixture = Fixture::open();
    let (seen_operations, _) = run_sequence(&fixture, &AnyBucket, &NoTopics, "lake-sequence.txt");
    assert_eq!(seen_operations.len(), 23, "every Lake operation has cases");
    fixture.close();
}

#[test]
fn every_lake_operation_is_served() {
    for operation in [
        Operation::CreateEventDataStore,
        Operation::GetEventDataStore,
        Operation::UpdateEventDataStore,
        Operation::ListEventDataStores,
        Operation::DeleteEventDataStore,
        Operation::RestoreEventDataStore,
        Operation::StartEventDataStoreIngestion,
        Operation::StopEventDataStoreIngestion,
        Operation::CreateChannel,
        Operation::GetChannel,
        Operation::UpdateChannel,
        Operation::DeleteChannel,
        Operation::ListChannels,
        Operation::PutEventConfiguration,
        Operation::GetEventConfiguration,
        Operation::PutResourcePolicy,
        Operation::GetResourcePolicy,
        Operation::DeleteResourcePolicy,
    ] {
        assert!(operation.unsupported_error().is_none(), "{operation}");
    }
}
