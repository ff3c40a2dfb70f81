//! GetQueryResults paging: page sizes, tokens, tampering.

use opentrail_queries::{ErrorKind, QueryLimits, QueryStatus};

use crate::common::{ACCOUNT, Harness, rows};

#[test]
fn pages_cover_every_row_once_in_order() {
    let harness = Harness::new();
    let id = harness.start("rows 2500");
    assert_eq!(harness.wait_ended(&id), QueryStatus::Finished);

    let mut all = Vec::new();
    let mut token = None;
    let mut sizes = Vec::new();
    loop {
        let page = harness
            .queries
            .results(ACCOUNT, &id, token.as_deref(), None)
            .unwrap();
        assert_eq!(page.total_results_count, 2500);
        assert_eq!(page.results_count as usize, page.rows.len());
        sizes.push(page.rows.len());
        all.extend(page.rows);
        match page.next_token {
            Some(next) => token = Some(next),
            None => break,
        }
    }
    assert_eq!(sizes, vec![1000, 1000, 500]);
    assert_eq!(all, rows(2500));

    let page = harness
        .queries
        .results(ACCOUNT, &id, None, Some(7))
        .unwrap();
    assert_eq!(page.rows, rows(7));
    let token = page.next_token.unwrap();
    let second = harness
        .queries
        .results(ACCOUNT, &id, Some(&token), Some(3))
        .unwrap();
    assert_eq!(second.rows, rows(10)[7..].to_vec());
}

#[test]
fn the_default_page_size_is_configurable() {
    let harness = Harness::with_limits(QueryLimits {
        default_page: 2,
        ..QueryLimits::default()
    });
    let id = harness.start("rows 5");
    harness.wait_ended(&id);
    let page = harness.queries.results(ACCOUNT, &id, None, None).unwrap();
    assert_eq!(page.rows.len(), 2);
    assert!(page.next_token.is_some());
}

#[test]
fn max_query_results_must_be_1_to_1000() {
    let harness = Harness::new();
    let id = harness.start("rows 1");
    harness.wait_ended(&id);
    for bad in [0, -1, 1001, i64::MAX] {
        let error = harness
            .queries
            .results(ACCOUNT, &id, None, Some(bad))
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidMaxResults, "{bad}");
    }
    for good in [1, 1000] {
        harness
            .queries
            .results(ACCOUNT, &id, None, Some(good))
            .unwrap();
    }
}

#[test]
fn tokens_are_bound_to_their_query_and_refuse_tampering() {
    let harness = Harness::new();
    let first = harness.start("rows 10");
    let second = harness.start("rows 10");
    harness.wait_ended(&first);
    harness.wait_ended(&second);
    let token = harness
        .queries
        .results(ACCOUNT, &first, None, Some(4))
        .unwrap()
        .next_token
        .unwrap();

    let error = harness
        .queries
        .results(ACCOUNT, &second, Some(&token), None)
        .unwrap_err();
    assert_eq!(error.kind(), ErrorKind::InvalidNextToken);

    let mut tampered = token.clone().into_bytes();
    let middle = tampered.len() / 2;
    tampered[middle] = if tampered[middle] == b'x' { b'y' } else { b'x' };
    let tampered = String::from_utf8(tampered).unwrap();
    for bad in [tampered.as_str(), "abcd", "", "!!!!", &"A".repeat(1001)] {
        let error = harness
            .queries
            .results(ACCOUNT, &first, Some(bad), None)
            .unwrap_err();
        assert_eq!(error.kind(), ErrorKind::InvalidNextToken, "{bad}");
    }
    let page = harness
        .queries
        .results(ACCOUNT, &first, Some(&token), None)
        .unwrap();
    assert_eq!(page.rows, rows(10)[4..].to_vec());
    assert_eq!(page.next_token, None);
}
