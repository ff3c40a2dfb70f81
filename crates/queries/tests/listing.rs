//! ListQueries: store and account filters, status and time filters, the seven-day window,
//! newest-first order and paging.

use opentrail_queries::{ErrorKind, ListQueriesRequest, QueryStatus, StartRequest};
use opentrail_types::{Clock, Timestamp};

use crate::common::{ACCOUNT, Harness, OTHER_ACCOUNT, STORE, request, wait_until};

const MINUTE_MS: i64 = 60_000;

fn listing(store: &str) -> ListQueriesRequest {
    ListQueriesRequest {
        account: ACCOUNT.to_owned(),
        store_id: store.to_owned(),
        ..ListQueriesRequest::default()
    }
}

/// Starts `statement` one minute after the previous start and waits for it to end.
fn start_later(harness: &Harness, request: StartRequest) -> (String, Timestamp) {
    harness.clock.advance_millis(MINUTE_MS);
    let created = harness.clock.now();
    let account = request.account.clone();
    let id = harness.queries.start(request).unwrap();
    wait_until(|| {
        !harness
            .queries
            .describe(&account, &id)
            .unwrap()
            .status
            .is_active()
    });
    (id, created)
}

#[test]
fn lists_the_accounts_queries_of_the_store_newest_first() {
    let harness = Harness::new();
    let (first, first_time) = start_later(&harness, request("rows 1"));
    let (failed, _) = start_later(&harness, request("fail"));
    let (_, _) = start_later(
        &harness,
        StartRequest {
            store_ids: vec!["other-store".to_owned()],
            ..request("rows 1")
        },
    );
    let (_, _) = start_later(
        &harness,
        StartRequest {
            account: OTHER_ACCOUNT.to_owned(),
            ..request("rows 1")
        },
    );
    let (joined, _) = start_later(
        &harness,
        StartRequest {
            store_ids: vec!["other-store".to_owned(), STORE.to_owned()],
            ..request("rows 1")
        },
    );

    let page = harness.queries.list(&listing(STORE)).unwrap();
    let ids: Vec<&str> = page
        .queries
        .iter()
        .map(|query| query.query_id.as_str())
        .collect();
    assert_eq!(ids, vec![joined.as_str(), failed.as_str(), first.as_str()]);
    assert_eq!(page.queries[2].creation_time, first_time);
    assert_eq!(page.queries[2].status, QueryStatus::Finished);
    assert_eq!(page.next_token, None);

    let only_failed = harness
        .queries
        .list(&ListQueriesRequest {
            status: Some("FAILED".to_owned()),
            ..listing(STORE)
        })
        .unwrap();
    assert_eq!(only_failed.queries.len(), 1);
    assert_eq!(only_failed.queries[0].query_id, failed);

    let range = harness
        .queries
        .list(&ListQueriesRequest {
            start_time: Some(first_time),
            end_time: Some(first_time.saturating_add_millis(MINUTE_MS)),
            ..listing(STORE)
        })
        .unwrap();
    let ids: Vec<&str> = range
        .queries
        .iter()
        .map(|query| query.query_id.as_str())
        .collect();
    assert_eq!(ids, vec![failed.as_str(), first.as_str()]);

    assert!(
        harness
            .queries
            .list(&listing("no-such-store"))
            .unwrap()
            .queries
            .is_empty()
    );
}

#[test]
fn only_the_past_seven_days_are_listed() {
    let harness = Harness::new();
    let (old, _) = start_later(&harness, request("rows 1"));
    harness.clock.advance_millis(7 * 24 * 60 * MINUTE_MS);
    let (young, _) = start_later(&harness, request("rows 1"));
    let page = harness.queries.list(&listing(STORE)).unwrap();
    assert_eq!(page.queries.len(), 1);
    assert_eq!(page.queries[0].query_id, young);
    // Out of the window, but DescribeQuery answers until the purge runs.
    assert!(harness.queries.describe(ACCOUNT, &old).is_ok());
    let early = harness
        .queries
        .list(&ListQueriesRequest {
            start_time: Some(Timestamp::EPOCH),
            ..listing(STORE)
        })
        .unwrap();
    assert_eq!(early.queries.len(), 1);
}

#[test]
fn pages_follow_tokens_bound_to_the_listing() {
    let harness = Harness::new();
    let mut ids = Vec::new();
    for _ in 0..5 {
        ids.push(start_later(&harness, request("rows 1")).0);
    }
    ids.reverse();
    let mut seen = Vec::new();
    let mut token = None;
    loop {
        let page = harness
            .queries
            .list(&ListQueriesRequest {
                max_results: Some(2),
                next_token: token.clone(),
                ..listing(STORE)
            })
            .unwrap();
        assert!(page.queries.len() <= 2);
        seen.extend(page.queries.into_iter().map(|query| query.query_id));
        match page.next_token {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    assert_eq!(seen, ids);

    let token = harness
        .queries
        .list(&ListQueriesRequest {
            max_results: Some(2),
            ..listing(STORE)
        })
        .unwrap()
        .next_token
        .unwrap();
    let other_listing = ListQueriesRequest {
        status: Some("FINISHED".to_owned()),
        next_token: Some(token.clone()),
        ..listing(STORE)
    };
    let error = harness.queries.list(&other_listing).unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidNextToken);
    let error = harness
        .queries
        .results(ACCOUNT, &ids[0], Some(&token), None)
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidNextToken);
}

#[test]
fn list_checks_its_parameters() {
    let harness = Harness::new();
    let now = harness.clock.now();
    let cases = [
        (
            ListQueriesRequest {
                status: Some("finished".to_owned()),
                ..listing(STORE)
            },
            ErrorKind::InvalidQueryStatus,
        ),
        (
            ListQueriesRequest {
                start_time: Some(now),
                end_time: Some(now.saturating_add_millis(-1)),
                ..listing(STORE)
            },
            ErrorKind::InvalidDateRange,
        ),
        (
            ListQueriesRequest {
                max_results: Some(0),
                ..listing(STORE)
            },
            ErrorKind::InvalidMaxResults,
        ),
        (
            ListQueriesRequest {
                max_results: Some(1001),
                ..listing(STORE)
            },
            ErrorKind::InvalidMaxResults,
        ),
        (
            ListQueriesRequest {
                next_token: Some("garbage".to_owned()),
                ..listing(STORE)
            },
            ErrorKind::InvalidNextToken,
        ),
    ];
    for (request, kind) in cases {
        assert_eq!(
            harness.queries.list(&request).unwrap_err().kind(),
            kind,
            "{request:?}"
        );
    }
    for status in QueryStatus::ALL {
        let request = ListQueriesRequest {
            status: Some(status.as_str().to_owned()),
            ..listing(STORE)
        };
        harness.queries.list(&request).unwrap();
    }
}
