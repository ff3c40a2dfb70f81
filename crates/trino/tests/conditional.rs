//! Conditional and type functions.

use crate::support::check;

#[tokio::test]
async fn if_follows_trino() {
    check(&[
        ("SELECT if(1 < 2, 'yes', 'no')", "yes"),
        ("SELECT if(1 > 2, 'yes', 'no')", "no"),
        ("SELECT if(1 > 2, 'yes')", "NULL"),
        ("SELECT if(NULL, 1, 2)", "2"),
        ("SELECT if(true, 1, 2.5)", "1.0"),
        ("SELECT try_cast('x' AS INT)", "NULL"),
    ])
    .await;
}

#[tokio::test]
async fn typeof_names_trino_types() {
    check(&[
        ("SELECT typeof('a')", "varchar"),
        ("SELECT typeof(1)", "bigint"),
        ("SELECT typeof(CAST(1 AS INT))", "integer"),
        ("SELECT typeof(1.5)", "double"),
        ("SELECT typeof(true)", "boolean"),
        ("SELECT typeof(DATE '2026-01-01')", "date"),
        ("SELECT typeof(arrow_cast(TIMESTAMP '2026-01-01 00:00:00', 'Timestamp(Millisecond, None)'))", "timestamp(3)"),
        ("SELECT typeof(['a'])", "array(varchar)"),
        ("SELECT typeof(MAP {'a': 1})", "map(varchar, bigint)"),
        ("SELECT typeof(named_struct('arn', 'x', 'n', 1))", "row(arn varchar, n bigint)"),
        ("SELECT typeof(NULL)", "unknown"),
    ])
    .await;
}
