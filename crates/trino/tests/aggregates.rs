//! Aggregate functions.

use crate::support::{check, check_errors, column};

const ROWS: &str = "(VALUES ('a', 3, true), ('b', 7, false), ('c', NULL, true), (NULL, 9, NULL), ('e', 1, true)) t(name, n, flag)";

#[tokio::test]
async fn aggregates_follow_trino() {
    let cases: Vec<(String, &str)> = vec![
        (format!("SELECT count_if(flag) FROM {ROWS}"), "3"),
        (format!("SELECT count_if(n > 100) FROM {ROWS}"), "0"),
        (format!("SELECT max_by(name, n) FROM {ROWS}"), "NULL"),
        (
            format!("SELECT max_by(name, n) FROM {ROWS} WHERE name IS NOT NULL"),
            "b",
        ),
        (format!("SELECT min_by(name, n) FROM {ROWS}"), "e"),
        (format!("SELECT min_by(n, name) FROM {ROWS}"), "3"),
        (
            format!("SELECT arbitrary(n) FROM {ROWS} WHERE name = 'c' OR name = 'b'"),
            "7",
        ),
        (format!("SELECT approx_distinct(name) FROM {ROWS}"), "4"),
        (
            format!("SELECT cardinality(array_agg(name)) FROM {ROWS}"),
            "5",
        ),
        (
            "SELECT count_if(x) FROM (VALUES (true)) t(x) WHERE false".to_owned(),
            "0",
        ),
        (
            "SELECT max_by(x, y) FROM (VALUES (1, 2)) t(x, y) WHERE false".to_owned(),
            "NULL",
        ),
    ];
    let cases: Vec<(&str, &str)> = cases
        .iter()
        .map(|(sql, expected)| (sql.as_str(), *expected))
        .collect();
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

/// 1..=100 as BIGINT, with NULLs in between.
const HUNDRED: &str = "(SELECT CASE WHEN v % 10 = 0 THEN NULL ELSE v END AS x, v FROM (SELECT unnest(range(1, 101)) AS v) s)";

#[tokio::test]
async fn approx_percentile_takes_trinos_argument_order_and_returns_double() {
    let cases: Vec<(String, &str)> = vec![
        // Few values: the t-digest is exact and interpolates like approx_percentile_cont.
        (
            "SELECT approx_percentile(x, 0.5) FROM (VALUES (1), (2), (3), (4), (5)) t(x)"
                .to_owned(),
            "3.0",
        ),
        (
            "SELECT approx_percentile(x, 0.0) FROM (VALUES (3.5), (1.5), (2.5)) t(x)".to_owned(),
            "1.5",
        ),
        (
            "SELECT approx_percentile(x, 1) FROM (VALUES (3.5), (1.5), (2.5)) t(x)".to_owned(),
            "3.5",
        ),
        (
            "SELECT arrow_typeof(approx_percentile(x, 0.5)) FROM (VALUES (CAST(1 AS INT))) t(x)"
                .to_owned(),
            "Float64",
        ),
        // A DECIMAL percentage (Lake parses `0.5` as DECIMAL) is coerced.
        (
            "SELECT approx_percentile(x, CAST(0.5 AS DECIMAL(2,1))) FROM (VALUES (10), (20), (30)) t(x)"
                .to_owned(),
            "20.0",
        ),
        // NULL values are skipped; no values gives NULL.
        (
            format!("SELECT approx_percentile(x, 0.5) FROM {HUNDRED} WHERE v <= 5 OR v = 10"),
            "3.0",
        ),
        (
            "SELECT approx_percentile(x, 0.5) FROM (VALUES (1)) t(x) WHERE false".to_owned(),
            "NULL",
        ),
        (
            "SELECT approx_percentile(x, 0.5) FROM (VALUES (CAST(NULL AS DOUBLE))) t(x)"
                .to_owned(),
            "NULL",
        ),
    ];
    let cases: Vec<(&str, &str)> = cases
        .iter()
        .map(|(sql, expected)| (sql.as_str(), *expected))
        .collect();
    check(&cases).await;
}

#[tokio::test]
async fn approx_percentile_is_close_on_many_values_and_per_group() {
    // 90 values 1..=99 (multiples of 10 are NULL): the median is 50, the 90th percentile 89.
    let values = column(&format!(
        "SELECT concat(CAST(approx_percentile(x, 0.5) AS VARCHAR), ' ', CAST(approx_percentile(x, 0.9) AS VARCHAR)) FROM {HUNDRED}"
    ))
    .await
    .unwrap();
    let [median, p90]: [f64; 2] = values[0]
        .split(' ')
        .map(|value| value.parse().unwrap())
        .collect::<Vec<f64>>()
        .try_into()
        .unwrap();
    assert!((median - 50.0).abs() <= 1.0, "{median}");
    assert!((p90 - 89.0).abs() <= 1.5, "{p90}");

    let values = column(&format!(
        "SELECT concat(CAST(v > 50 AS VARCHAR), ':', CAST(approx_percentile(x, 0.5) AS VARCHAR)) FROM {HUNDRED} WHERE v <= 5 OR v BETWEEN 96 AND 99 GROUP BY v > 50 ORDER BY v > 50"
    ))
    .await
    .unwrap();
    assert_eq!(values, ["false:3.0", "true:97.5"]);
}

#[tokio::test]
async fn approx_percentile_refuses_percentages_outside_0_to_1_or_not_constant() {
    check_errors(&[
        (
            "SELECT approx_percentile(x, 1.5) FROM (VALUES (1.0)) t(x)",
            "approx_percentile: percentage must be between 0 and 1, found `1.5`",
        ),
        (
            "SELECT approx_percentile(x, -0.1) FROM (VALUES (1.0)) t(x)",
            "found `-0.1`",
        ),
        (
            "SELECT approx_percentile(x, CAST(NULL AS DOUBLE)) FROM (VALUES (1.0)) t(x)",
            "found `NULL`",
        ),
        (
            "SELECT approx_percentile(x, x) FROM (VALUES (0.5)) t(x)",
            "must be a constant",
        ),
        (
            "SELECT approx_percentile(x, 0.5) FROM (VALUES ('a')) t(x)",
            "approx_percentile",
        ),
    ])
    .await;
}
