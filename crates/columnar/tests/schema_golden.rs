//! The schema of every kind, rendered as text and checked against `tests/golden/`.

use arrow::datatypes::{DataType, TimeUnit};
use opentrail_columnar::{TableKind, describe_schema, schema};

use crate::support::{assert_golden, golden};

#[test]
fn schemas_match_their_goldens() {
    for (kind, file) in [
        (TableKind::CloudTrail, "cloudtrail.schema.txt"),
        (TableKind::Insights, "insights.schema.txt"),
        (TableKind::ActivityAuditLog, "activityauditlog.schema.txt"),
    ] {
        assert_golden(&golden(file), &describe_schema(&schema(kind)));
    }
}

#[test]
fn every_name_is_lowercase_and_eventtime_is_a_millisecond_timestamp() {
    fn check(name: &str, data_type: &DataType) {
        assert_eq!(name, name.to_lowercase(), "{name}");
        match data_type {
            DataType::Struct(fields) => {
                for field in fields {
                    check(field.name(), field.data_type());
                }
            }
            DataType::List(item) => check("item", item.data_type()),
            _ => {}
        }
    }
    for kind in TableKind::ALL {
        let schema = schema(kind);
        for field in schema.fields() {
            check(field.name(), field.data_type());
        }
        let event_time = schema.field_with_name("eventtime").unwrap();
        assert_eq!(
            event_time.data_type(),
            &DataType::Timestamp(TimeUnit::Millisecond, None)
        );
        assert!(!event_time.is_nullable());
        let trailing: Vec<&str> = schema
            .fields()
            .iter()
            .rev()
            .take(2)
            .map(|field| field.name().as_str())
            .collect();
        let expected = match kind {
            TableKind::CloudTrail => ["eventjsonchecksum", "eventjson"],
            TableKind::Insights => ["eventjson", "insightcontext"],
            TableKind::ActivityAuditLog => ["eventjson", "eventdata"],
        };
        assert_eq!(trailing, expected, "{kind:?}");
        assert_eq!(TableKind::of_schema(&schema), Some(kind));
    }
}
