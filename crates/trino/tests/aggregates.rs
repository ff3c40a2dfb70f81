//! Aggregate functions.

use crate::support::{check, column};

const ROWS: &str = "(VALUES ('a', 3, true), ('b', 7, false), ('c', NULL, true), (NULL, 9, NULL), ('e', 1, true)) t(name, n, flag)";

#[tokio::test]
async fn aggregates_follow_trino() {
    let cases: Vec<(String, &str)> = vec![
        (format!("SELECT count_if(flag) FROM {ROWS}"), "3"),
        (format!("SELECT count_if(n > 100) FROM {ROWS}"), "0"),
        (format!("SELECT max_by(name, n) FROM {ROWS}"), "NULL"),
        (format!("SELECT max_by(name, n) FROM {ROWS} WHERE name IS NOT NULL"), "b"),
        (format!("SELECT min_by(name, n) FROM {ROWS}"), "e"),
        (format!("SELECT min_by(n, name) FROM {ROWS}"), "3"),
        (format!("SELECT arbitrary(n) FROM {ROWS} WHERE name = 'c' OR name = 'b'"), "7"),
        (format!("SELECT approx_distinct(name) FROM {ROWS}"), "4"),
        (format!("SELECT cardinality(array_agg(name)) FROM {ROWS}"), "5"),
        ("SELECT count_if(x) FROM (VALUES (true)) t(x) WHERE false".to_owned(), "0"),
        ("SELECT max_by(x, y) FROM (VALUES (1, 2)) t(x, y) WHERE false".to_owned(), "NULL"),
    ];
    let cases: Vec<(&str, &str)> = cases.iter().map(|(sql, expected)| (sql.as_str(), *expected)).collect();
    check(&cases).await;
}

#[tokio::test]
async fn aggregates_group_and_merge() {
    let values = column(&format!(
        "SELECT concat(CAST(flag AS VARCHAR), ':', CAST(count_if(n > 2) AS VARCHAR), ':', max_by(name, n)) FROM {ROWS} WHERE flag IS NOT NULL GROUP BY flag ORDER BY flag"
    ))
    .await
    .unwrap();
    assert_eq!(values, ["false:1:b", "true:1:a"]);
}
