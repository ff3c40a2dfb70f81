//! The Lake query operations through `opentrail_api::call`: the cases of
//! `tests/wire/queries-sequence.txt` run in order against one fixture (see `support.rs`
//! for the file format and the placeholders). The executor answers fixed rows
//! (`fakes::fixed_output`, one NULL among them) and waits at a gate the sequence opens and
//! closes, so QUEUED, RUNNING, CANCELLED and TIMED_OUT are reached on purpose; query IDs
//! come from the query service's seeded generator.

use opentrail_api::Operation;
use opentrail_trails::NoTopics;

use crate::fakes::Buckets;
use crate::support::{Fixture, run_sequence};

const QUERY_OPERATIONS: [Operation; 5] = [
    Operation::StartQuery,
    Operation::DescribeQuery,
    Operation::GetQueryResults,
    Operation::CancelQuery,
    Operation::ListQueries,
];

#[test]
fn query_operations_wire_goldens() {
    let fixture = Fixture::open();
    let (seen_operations, known) =
        run_sequence(&fixture, &Buckets, &NoTopics, "queries-sequence.txt");
    for operation in QUERY_OPERATIONS {
        assert!(
            seen_operations.contains(operation.name()),
            "{operation} has cases"
        );
    }
    // The one query with a DeliveryS3Uri was delivered once, under the URI's prefix.
    let delivered = fixture.sink.delivered();
    assert_eq!(delivered.len(), 1, "{delivered:?}");
    let (uri, query_id, keys) = &delivered[0];
    assert_eq!(uri, "s3://audit-logs/lake-results");
    assert_eq!(query_id, &known.names["StartQuery/delivery"]);
    assert_eq!(
        keys,
        &[format!(
            "AWSLogs/111122223333/CloudTrail-Lake/Query/2023/11/14/{query_id}/result_1.csv.gz"
        )]
    );
    fixture.close();
}

#[test]
fn every_query_operation_is_served() {
    for operation in QUERY_OPERATIONS {
        assert!(operation.unsupported_error().is_none(), "{operation}");
    }
}
