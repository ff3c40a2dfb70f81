//! Lookups restricted to the caller's account (`LookupQuery::account`): only events whose
//! `recipientAccountId` is that account, for every kind of lookup, and next tokens that
//! cannot be carried over to another account.

use std::sync::Arc;

use opentrail_store::{HistoryConfig, LookupErrorKind, LookupEventsInput, LookupQuery};
use opentrail_testkit::records::management_event;
use opentrail_types::SystemClock;
use serde_json::json;

use crate::support::{Harness, attributes, ids};

const ACCOUNT_A: &str = "111122223333";
const ACCOUNT_B: &str = "444455556666";

/// A management event of `account` (none when `None`) that every attribute kind matches.
fn bucket_event(id: &str, second: usize, account: Option<&str>) -> String {
    let mut record = management_event(
        id,
        &format!("2026-03-01T00:00:{second:02}Z"),
        "s3.amazonaws.com",
        "CreateBucket",
        "alice",
    );
    record["readOnly"] = json!(false);
    record["requestParameters"] = json!({"bucketName": "logs"});
    record["resources"] = json!([{"type": "AWS::S3::Bucket", "ARN": "arn:aws:s3:::logs"}]);
    match account {
        Some(account) => record["recipientAccountId"] = json!(account),
        None => {
            record.as_object_mut().unwrap().remove("recipientAccountId");
        }
    }
    record.to_string()
}

fn insight_event(id: &str, second: usize, account: &str) -> String {
    json!({
        "eventVersion": "1.08",
        "eventTime": format!("2026-03-01T00:01:{second:02}Z"),
        "awsRegion": "us-east-1",
        "eventID": id,
        "eventType": "AwsCloudTrailInsight",
        "recipientAccountId": account,
        "sharedEventID": format!("shared-{id}"),
        "insightDetails": {
            "state": "Start",
            "eventSource": "s3.amazonaws.com",
            "eventName": "CreateBucket",
            "insightType": "ApiCallRateInsight"
        },
        "eventCategory": "Insight"
    })
    .to_string()
}

/// (event ID, account) of the management events, oldest first; accounts interleave so
/// that pages mix them.
fn management_events() -> Vec<(String, Option<&'static str>)> {
    let accounts = [
        Some(ACCOUNT_A),
        Some(ACCOUNT_B),
        Some(ACCOUNT_A),
        None,
        Some(ACCOUNT_A),
        Some(ACCOUNT_B),
        Some(ACCOUNT_A),
        Some(ACCOUNT_B),
        None,
        Some(ACCOUNT_A),
    ];
    accounts
        .into_iter()
        .enumerate()
        .map(|(index, account)| {
            let prefix = match account {
                Some(ACCOUNT_A) => "a",
                Some(_) => "b",
                None => "n",
            };
            (format!("{prefix}-{index}"), account)
        })
        .collect()
}

fn insight_events() -> Vec<(String, &'static str)> {
    vec![
        (String::from("ins-a-0"), ACCOUNT_A),
        (String::from("ins-b-1"), ACCOUNT_B),
        (String::from("ins-a-2"), ACCOUNT_A),
    ]
}

fn harness(attach_keys: bool) -> Harness {
    let config = HistoryConfig {
        flush_docs: 4,
        ..HistoryConfig::default()
    };
    let harness = Harness::new(config, Arc::new(SystemClock));
    let mut records: Vec<String> = management_events()
        .iter()
        .enumerate()
        .map(|(second, (id, account))| bucket_event(id, second, *account))
        .collect();
    for (second, (id, account)) in insight_events().iter().enumerate() {
        records.push(insight_event(id, second, account));
    }
    if attach_keys {
        harness.append_with_keys(&records);
    } else {
        harness.append(&records);
    }
    harness
}

/// Runs every account-restricted lookup the scenario has on `harness`.
fn assert_lookups_see_only_the_callers_account(harness: &Harness) {
    let management = management_events();
    let expected = |scope: Option<&str>| -> Vec<String> {
        management
            .iter()
            .rev()
            .filter(|(_, account)| scope.is_none() || *account == scope)
            .map(|(id, _)| id.clone())
            .collect()
    };
    let attribute_cases: [&[(&str, &str)]; 8] = [
        &[],
        &[("EventName", "CreateBucket")],
        &[("EventSource", "s3.amazonaws.com")],
        &[("ReadOnly", "false")],
        &[("Username", "alice")],
        &[("ResourceType", "AWS::S3::Bucket")],
        &[("ResourceName", "logs")],
        &[("AccessKeyId", "AKIA0000000000000005")],
    ];
    for scope in [Some(ACCOUNT_A), Some(ACCOUNT_B), None] {
        for pairs in attribute_cases {
            for page_size in [2, 50] {
                let input = LookupEventsInput {
                    max_results: Some(page_size),
                    ..attributes(pairs)
                };
                assert_eq!(
                    ids(&harness.lookup_all_as(scope, input)),
                    expected(scope),
                    "account {scope:?}, attributes {pairs:?}, page size {page_size}"
                );
            }
        }
    }
    for scope in ["999999999999", ""] {
        assert!(
            harness
                .lookup_all_as(Some(scope), LookupEventsInput::default())
                .is_empty(),
            "account `{scope}` sees events"
        );
    }

    // EventId: another account's event is not found, even by its exact ID.
    for (id, account) in &management {
        for scope in [Some(ACCOUNT_A), Some(ACCOUNT_B), None] {
            let found = ids(&harness.lookup_all_as(scope, attributes(&[("EventId", id)])));
            let visible = scope.is_none() || scope == *account;
            let expected: Vec<String> = if visible {
                vec![id.clone()]
            } else {
                Vec::new()
            };
            assert_eq!(found, expected, "EventId {id} as account {scope:?}");
        }
    }

    // Insights: the category lookup, with and without attributes, and by EventId.
    let insights = insight_events();
    for scope in [Some(ACCOUNT_A), Some(ACCOUNT_B), None] {
        let expected: Vec<String> = insights
            .iter()
            .rev()
            .filter(|(_, account)| scope.is_none_or(|scope| scope == *account))
            .map(|(id, _)| id.clone())
            .collect();
        for pairs in [&[][..], &[("EventName", "CreateBucket")][..]] {
            let input = LookupEventsInput {
                event_category: Some(String::from("insight")),
                max_results: Some(1),
                ..attributes(pairs)
            };
            assert_eq!(
                ids(&harness.lookup_all_as(scope, input)),
                expected,
                "insights as account {scope:?}, attributes {pairs:?}"
            );
        }
        for (id, account) in &insights {
            let input = LookupEventsInput {
                event_category: Some(String::from("insight")),
                ..attributes(&[("EventId", id)])
            };
            let visible = scope.is_none_or(|scope| scope == *account);
            assert_eq!(
                ids(&harness.lookup_all_as(scope, input)).len(),
                usize::from(visible),
                "insight {id} as account {scope:?}"
            );
        }
    }
}

#[test]
fn account_restricted_lookups_return_only_that_accounts_events() {
    let mut harness = harness(false);
    assert_lookups_see_only_the_callers_account(&harness);
    // The same answers from segment files, merged, after a restart.
    harness.history().flush_now().unwrap();
    harness.history().run_maintenance().unwrap();
    harness.restart();
    assert_lookups_see_only_the_callers_account(&harness);
}

#[test]
fn account_restricted_lookups_agree_when_keys_are_attached() {
    let harness = harness(true);
    assert_eq!(
        harness.history().status().parsed_entries,
        0,
        "the attached keys were not used"
    );
    assert_lookups_see_only_the_callers_account(&harness);
}

#[test]
fn a_token_issued_to_one_account_is_refused_to_another() {
    let harness = harness(false);
    let input = LookupEventsInput {
        max_results: Some(2),
        ..attributes(&[("EventName", "CreateBucket")])
    };
    let query_as = |account: Option<&str>, input: &LookupEventsInput| {
        let mut query = LookupQuery::from_input(input).unwrap();
        query.account = account.map(str::to_owned);
        query
    };
    let first = harness
        .history()
        .lookup_events(&query_as(Some(ACCOUNT_A), &input))
        .unwrap();
    assert_eq!(ids(&first.events), ["a-9", "a-6"]);
    let next = LookupEventsInput {
        next_token: first.next_token.clone(),
        ..input.clone()
    };
    assert!(next.next_token.is_some());
    for other in [Some(ACCOUNT_B), None] {
        let error = harness
            .history()
            .lookup_events(&query_as(other, &next))
            .unwrap_err();
        assert_eq!(
            error.kind(),
            LookupErrorKind::InvalidNextToken,
            "account {other:?}"
        );
    }
    // An unrestricted token is not accepted for an account either.
    let unrestricted = harness
        .history()
        .lookup_events(&query_as(None, &input))
        .unwrap();
    let carried = LookupEventsInput {
        next_token: unrestricted.next_token,
        ..next.clone()
    };
    assert_eq!(
        harness
            .history()
            .lookup_events(&query_as(Some(ACCOUNT_B), &carried))
            .unwrap_err()
            .kind(),
        LookupErrorKind::InvalidNextToken
    );
    // The account it was issued to goes on where it stopped.
    let second = harness
        .history()
        .lookup_events(&query_as(Some(ACCOUNT_A), &next))
        .unwrap();
    assert_eq!(ids(&second.events), ["a-4", "a-2"]);
}
