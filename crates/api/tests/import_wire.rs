//! The Lake import operations through `opentrail_api::call`: the cases of
//! `tests/wire/imports-sequence.txt` run in order against one fixture (see `support.rs`
//! for the file format and the placeholders). The launcher records the imports it is
//! given and runs none; import IDs come from the registry's seeded generator.

use opentrail_api::Operation;
use opentrail_trails::NoTopics;

use crate::fakes::AnyBucket;
use crate::support::{Fixture, run_sequence};

const IMPORT_OPERATIONS: [Operation; 5] = [
    Operation::StartImport,
    Operation::GetImport,
    Operation::StopImport,
    Operation::ListImports,
    Operation::ListImportFailures,
];

#[test]
fn import_operations_wire_goldens() {
    let fixture = Fixture::open();
    let (seen_operations, known) =
        run_sequence(&fixture, &AnyBucket, &NoTopics, "imports-sequence.txt");
    for operation in IMPORT_OPERATIONS {
        assert!(
            seen_operations.contains(operation.name()),
            "{operation} has cases"
        );
    }
    // Each accepted start and retry was handed to the launcher once, in order; refused
    // ones were not.
    let id = |case: &str| known.names[case].clone();
    assert_eq!(
        fixture.launcher.launched(),
        vec![
            id("StartImport/new"),
            id("StartImport/other-account"),
            id("StartImport/new"),
            id("StartImport/new"),
            id("StartImport/by-id"),
        ]
    );
    fixture.close();
}

#[test]
fn every_import_operation_is_served() {
    for operation in IMPORT_OPERATIONS {
        assert!(operation.unsupported_error().is_none(), "{operation}");
    }
}
