//! Map and array functions.

use crate::support::{check, check_errors};

#[tokio::test]
async fn element_at_follows_trino() {
    check(&[
        ("SELECT element_at(MAP {'a': 1, 'b': 2}, 'b')", "2"),
        ("SELECT element_at(MAP {'a': 1, 'b': 2}, 'z')", "NULL"),
        ("SELECT element_at(MAP {'a': 'x'}, NULL)", "NULL"),
        (
            "SELECT element_at(CASE WHEN false THEN MAP {'a': 'x'} END, 'a')",
            "NULL",
        ),
        ("SELECT element_at(MAP {1: 'one', 2: 'two'}, 2)", "two"),
        ("SELECT element_at([10, 20, 30], 1)", "10"),
        ("SELECT element_at([10, 20, 30], 3)", "30"),
        ("SELECT element_at([10, 20, 30], -1)", "30"),
        ("SELECT element_at([10, 20, 30], -3)", "10"),
        ("SELECT element_at([10, 20, 30], 4)", "NULL"),
        ("SELECT element_at([10, 20, 30], -4)", "NULL"),
        ("SELECT element_at([10, NULL, 30], 2)", "NULL"),
        (
            "SELECT element_at(['a', 'b'], CAST(NULL AS BIGINT))",
            "NULL",
        ),
        (
            "SELECT element_at([named_struct('arn', 'x')], 1)['arn']",
            "x",
        ),
        ("SELECT element_at([[1, 2], [3]], 2)", "[3]"),
    ])
    .await;
    check_errors(&[(
        "SELECT element_at([1, 2], 0)",
        "sql array indices start at 1",
    )])
    .await;
}

#[tokio::test]
async fn element_at_works_per_row() {
    let rows = crate::support::column(
        "SELECT element_at(m, k) FROM (VALUES (MAP {'a': 'x', 'b': 'y'}, 'b'), (MAP {'a': 'z'}, 'a'), (MAP {'c': 'w'}, 'a')) t(m, k)",
    )
    .await
    .unwrap();
    assert_eq!(rows, ["y", "z", "NULL"]);
    let rows = crate::support::column(
        "SELECT element_at(a, i) FROM (VALUES ([1, 2, 3], 2), ([4], -1), ([5], 9)) t(a, i)",
    )
    .await
    .unwrap();
    assert_eq!(rows, ["2", "4", "NULL"]);
}

#[tokio::test]
async fn contains_follows_trino() {
    check(&[
        ("SELECT contains([1, 2, 3], 2)", "true"),
        ("SELECT contains([1, 2, 3], 4)", "false"),
        ("SELECT contains([1, NULL, 3], 4)", "NULL"),
        ("SELECT contains([1, NULL, 3], 3)", "true"),
        ("SELECT contains([1, 2], NULL)", "NULL"),
        ("SELECT contains(['a', 'b'], 'b')", "true"),
        ("SELECT contains([1, 2], 2.0)", "true"),
        ("SELECT contains('haystack', 'st')", "true"),
        ("SELECT contains('haystack', 'x')", "false"),
    ])
    .await;
}

#[tokio::test]
async fn array_max_and_min_are_null_when_an_element_is_null() {
    check(&[
        ("SELECT array_max([1, 5, 3])", "5"),
        ("SELECT array_min([4, 2, 3])", "2"),
        ("SELECT array_max(['b', 'c', 'a'])", "c"),
        ("SELECT array_max([1, NULL, 3])", "NULL"),
        ("SELECT array_min([1, NULL, 3])", "NULL"),
        ("SELECT array_max(CAST([] AS ARRAY<BIGINT>))", "NULL"),
    ])
    .await;
}

#[tokio::test]
async fn slice_follows_trino() {
    check(&[
        ("SELECT slice([1, 2, 3, 4], 2, 2)", "[2, 3]"),
        ("SELECT slice([1, 2, 3, 4], -2, 5)", "[3, 4]"),
        ("SELECT slice([1, 2, 3, 4], 4, 1)", "[4]"),
        ("SELECT slice([1, 2, 3, 4], 5, 1)", "[]"),
        ("SELECT slice([1, 2, 3, 4], -5, 1)", "[]"),
        ("SELECT slice([1, 2, 3, 4], 1, 0)", "[]"),
        ("SELECT slice(CAST(NULL AS ARRAY<BIGINT>), 1, 1)", "NULL"),
    ])
    .await;
    check_errors(&[
        ("SELECT slice([1, 2], 0, 1)", "sql array indices start at 1"),
        (
            "SELECT slice([1, 2], 1, -1)",
            "length `-1` must be greater than or equal to 0",
        ),
    ])
    .await;
}

#[tokio::test]
async fn datafusion_builtins_kept_match_trino() {
    check(&[
        ("SELECT cardinality([1, 2, 3])", "3"),
        ("SELECT cardinality(MAP {'a': 1})", "1"),
        ("SELECT map_keys(MAP {'a': 1, 'b': 2})", "[a, b]"),
        ("SELECT map_values(MAP {'a': 1, 'b': 2})", "[1, 2]"),
        ("SELECT array_join(['a', NULL, 'c'], ',')", "a,c"),
        ("SELECT array_join(['a', NULL, 'c'], ',', 'x')", "a,x,c"),
        ("SELECT array_distinct([3, 1, 3, 2, 1])", "[3, 1, 2]"),
        ("SELECT MAP {'a': 1}['a']", "1"),
    ])
    .await;
}

#[tokio::test]
async fn lambda_functions_answer_to_trino_names() {
    let ctx = crate::support::lambda_context();
    for (sql, expected) in [
        ("SELECT transform([1, 2], x -> x * 10)", "[10, 20]"),
        ("SELECT filter([1, 2, 3], x -> x > 1)", "[2, 3]"),
        (
            "SELECT transform(filter(['a', 'bb'], s -> length(s) > 1), s -> upper(s))",
            "[BB]",
        ),
    ] {
        let values = crate::support::column_in(&ctx, sql).await.unwrap();
        assert_eq!(values, [expected], "{sql}");
    }
}
