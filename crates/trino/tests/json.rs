//! JSON functions over JSON text.

use crate::support::{check, check_errors, column};

#[tokio::test]
async fn json_extract_scalar_follows_trino() {
    check(&[
        (
            r#"SELECT json_extract_scalar('{"a":{"b":1}}', '$.a.b')"#,
            "1",
        ),
        (
            r#"SELECT json_extract_scalar('{"a":"x\"y"}', '$.a')"#,
            "x\"y",
        ),
        (r#"SELECT json_extract_scalar('{"a":true}', '$.a')"#, "true"),
        (r#"SELECT json_extract_scalar('{"a":1.50}', '$.a')"#, "1.50"),
        (r#"SELECT json_extract_scalar('{"a":null}', '$.a')"#, "NULL"),
        (
            r#"SELECT json_extract_scalar('{"a":{"b":1}}', '$.a')"#,
            "NULL",
        ),
        (r#"SELECT json_extract_scalar('{"a":[1]}', '$.a')"#, "NULL"),
        (r#"SELECT json_extract_scalar('{"a":1}', '$.b')"#, "NULL"),
        (
            r#"SELECT json_extract_scalar('{"a":[{"c":"x"},{"c":"y"}]}', '$.a[1].c')"#,
            "y",
        ),
        (
            r#"SELECT json_extract_scalar('{"a":[1]}', '$.a[5]')"#,
            "NULL",
        ),
        (
            r#"SELECT json_extract_scalar('{"a b":2}', '$["a b"]')"#,
            "2",
        ),
        (
            r#"SELECT json_extract_scalar('{"0":"zero"}', '$[0]')"#,
            "zero",
        ),
        (r#"SELECT json_extract_scalar('[10,20]', '$[1]')"#, "20"),
        (r#"SELECT json_extract_scalar('"text"', '$')"#, "text"),
        (
            r#"SELECT json_extract_scalar('{"AWS:Item":{"Id":"i-1"}}', '$.AWS:Item.Id')"#,
            "i-1",
        ),
        (
            r#"SELECT json_extract_scalar('{"GroupId": "sg-1", "x": [ ] }', '$.GroupId')"#,
            "sg-1",
        ),
        ("SELECT json_extract_scalar('not json', '$.a')", "NULL"),
        (r#"SELECT json_extract_scalar('{"a":1', '$.a')"#, "NULL"),
        ("SELECT json_extract_scalar(NULL, '$.a')", "NULL"),
        (r#"SELECT json_extract_scalar('{"a":1}', NULL)"#, "NULL"),
    ])
    .await;
}

#[tokio::test]
async fn json_extract_returns_compact_json_in_document_order() {
    check(&[
        (
            r#"SELECT json_extract('{"a":{"z": 1, "b": [1, 2]}}', '$.a')"#,
            r#"{"z":1,"b":[1,2]}"#,
        ),
        (r#"SELECT json_extract('{"a":"x"}', '$.a')"#, r#""x""#),
        (r#"SELECT json_extract('{"a":1}', '$')"#, r#"{"a":1}"#),
        (
            r#"SELECT json_extract('{"a":[{"Id":"p1"}]}', '$.a[0].Id')"#,
            r#""p1""#,
        ),
        (r#"SELECT json_extract('{"a":null}', '$.a')"#, "null"),
        (r#"SELECT json_extract('{"a":1}', '$.b')"#, "NULL"),
        ("SELECT json_extract('{bad', '$')", "NULL"),
        (
            r#"SELECT json_extract(json_extract('{"a":{"b":2}}', '$.a'), '$.b')"#,
            "2",
        ),
    ])
    .await;
}

#[tokio::test]
async fn invalid_json_paths_are_errors() {
    check_errors(&[
        (
            r#"SELECT json_extract('{"a":1}', 'a')"#,
            "invalid json path `a`",
        ),
        (
            r#"SELECT json_extract_scalar('{"a":1}', '$.')"#,
            "invalid json path `$.`",
        ),
        (
            r#"SELECT json_extract_scalar('{"a":1}', '$[*]')"#,
            "invalid json path",
        ),
        (r#"SELECT json_size('{"a":1}', '$a')"#, "invalid json path"),
    ])
    .await;
}

#[tokio::test]
async fn json_size_counts_members_and_elements() {
    check(&[
        (r#"SELECT json_size('{"x":{"a":1,"b":2}}', '$.x')"#, "2"),
        (r#"SELECT json_size('{"x":[1,2,3]}', '$.x')"#, "3"),
        (r#"SELECT json_size('{"x":1}', '$.x')"#, "0"),
        (r#"SELECT json_size('{"x":1}', '$.y')"#, "NULL"),
        ("SELECT json_size('nope', '$')", "NULL"),
    ])
    .await;
}

#[tokio::test]
async fn json_parse_and_format() {
    check(&[
        (
            r#"SELECT json_parse('{"b": 1, "a": [true, null]}')"#,
            r#"{"a":[true,null],"b":1}"#,
        ),
        ("SELECT json_parse('\"x\"')", "\"x\""),
        ("SELECT json_parse(' 12 ')", "12"),
        ("SELECT json_parse(NULL)", "NULL"),
        (
            r#"SELECT json_format(json_parse('[1, "a"]'))"#,
            r#"[1,"a"]"#,
        ),
        (
            r#"SELECT json_extract_scalar(json_parse('{"a":{"b":"c"}}'), '$.a.b')"#,
            "c",
        ),
    ])
    .await;
    check_errors(&[
        (
            "SELECT json_parse('{oops')",
            "json_parse: cannot convert `{oops` to json",
        ),
        ("SELECT json_parse('1 2')", "cannot convert"),
    ])
    .await;
}

#[tokio::test]
async fn is_json_scalar_follows_trino() {
    check(&[
        ("SELECT is_json_scalar('1')", "true"),
        ("SELECT is_json_scalar('\"a\"')", "true"),
        ("SELECT is_json_scalar('null')", "true"),
        ("SELECT is_json_scalar('[1]')", "false"),
        ("SELECT is_json_scalar('{}')", "false"),
        ("SELECT is_json_scalar(NULL)", "NULL"),
    ])
    .await;
    check_errors(&[(
        "SELECT is_json_scalar('[1')",
        "is_json_scalar: cannot convert",
    )])
    .await;
}

#[tokio::test]
async fn json_array_functions_follow_trino() {
    check(&[
        ("SELECT json_array_length('[1, 2, [3, 4]]')", "3"),
        ("SELECT json_array_length('[]')", "0"),
        ("SELECT json_array_length('{\"a\":1}')", "NULL"),
        ("SELECT json_array_length('[1,')", "NULL"),
        (r#"SELECT json_array_get('["a", [3, 9], "c"]', 0)"#, "a"),
        (r#"SELECT json_array_get('["a", [3, 9], "c"]', 1)"#, "[3,9]"),
        (r#"SELECT json_array_get('["a", [3, 9], "c"]', -1)"#, "c"),
        (r#"SELECT json_array_get('["a", [3, 9], "c"]', -3)"#, "a"),
        (r#"SELECT json_array_get('["a", [3, 9], "c"]', 3)"#, "NULL"),
        (r#"SELECT json_array_get('["a", [3, 9], "c"]', -4)"#, "NULL"),
        ("SELECT json_array_get('[null]', 0)", "NULL"),
        ("SELECT json_array_get('{}', 0)", "NULL"),
        ("SELECT json_array_contains('[1, 2, 3]', 2)", "true"),
        ("SELECT json_array_contains('[1, 2, 3]', 4)", "false"),
        ("SELECT json_array_contains('[1.5, 2]', 1.5)", "true"),
        (r#"SELECT json_array_contains('["a", "b"]', 'b')"#, "true"),
        (
            r#"SELECT json_array_contains('["a", ["b"]]', 'b')"#,
            "false",
        ),
        ("SELECT json_array_contains('[true]', true)", "true"),
        ("SELECT json_array_contains('[\"true\"]', true)", "false"),
        ("SELECT json_array_contains('not json', 1)", "NULL"),
        (
            "SELECT json_array_contains('[1]', CAST(NULL AS BIGINT))",
            "NULL",
        ),
    ])
    .await;
}

#[tokio::test]
async fn json_functions_work_per_row() {
    let values = column(
        r#"SELECT json_extract_scalar(doc, path) FROM (VALUES ('{"a":1}', '$.a'), ('{"a":{"b":"x"}}', '$.a.b'), ('[]', '$.a'), (NULL, '$.a')) t(doc, path)"#,
    )
    .await
    .unwrap();
    assert_eq!(values, ["1", "x", "NULL", "NULL"]);
}
