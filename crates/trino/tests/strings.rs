//! String and regular-expression functions.

use crate::support::{check, check_errors};

#[tokio::test]
async fn replace_removes_with_two_arguments() {
    check(&[
        ("SELECT replace('AWS::SSM::ManagedInstanceInventory/i-1', 'AWS::SSM::ManagedInstanceInventory/')", "i-1"),
        ("SELECT replace('a-b-c', '-', '+')", "a+b+c"),
        ("SELECT replace('abc', '', 'x')", "xaxbxcx"),
        ("SELECT replace(NULL, 'a')", "NULL"),
        ("SELECT replace('abc', 'a', NULL)", "NULL"),
    ])
    .await;
}

#[tokio::test]
async fn concat_is_null_when_an_argument_is_null() {
    check(&[
        ("SELECT concat('a', 'b', 'c')", "abc"),
        ("SELECT concat('a', NULL, 'c')", "NULL"),
        ("SELECT concat([1, 2], [3])", "[1, 2, 3]"),
        ("SELECT 'a' || 'b'", "ab"),
    ])
    .await;
}

#[tokio::test]
async fn substr_counts_like_trino() {
    check(&[
        ("SELECT substr('abcdef', 3)", "cdef"),
        ("SELECT substr('abcdef', 2, 3)", "bcd"),
        ("SELECT substr('abcdef', -2)", "ef"),
        ("SELECT substr('abcdef', -3, 2)", "de"),
        ("SELECT substr('abcdef', 0, 2)", ""),
        ("SELECT substr('abcdef', 10)", ""),
        ("SELECT substring('abcdef', 2, 2)", "bc"),
        ("SELECT substring('abcdef' FROM 2 FOR 3)", "bcd"),
        ("SELECT substr(NULL, 1)", "NULL"),
    ])
    .await;
}

#[tokio::test]
async fn split_part_and_split_follow_trino() {
    check(&[
        ("SELECT split_part('a.b.c', '.', 1)", "a"),
        ("SELECT split_part('a.b.c', '.', 3)", "c"),
        ("SELECT split_part('a.b.c', '.', 4)", "NULL"),
        ("SELECT split_part('abc', '', 1)", "abc"),
        ("SELECT split_part('abc', '', 2)", "NULL"),
        ("SELECT split('a,b,,c', ',')", "[a, b, , c]"),
        ("SELECT split('a,b,c', ',', 2)", "[a, b,c]"),
        ("SELECT split('abc', ',')", "[abc]"),
        (
            "SELECT cardinality(split('arn:aws:iam::1:role/x', ':'))",
            "6",
        ),
        ("SELECT split(NULL, ',')", "NULL"),
    ])
    .await;
    check_errors(&[
        (
            "SELECT split_part('a.b', '.', 0)",
            "index `0` must be greater than zero",
        ),
        (
            "SELECT split('a', '')",
            "the delimiter may not be the empty string",
        ),
        ("SELECT split('a', ',', 0)", "limit `0` must be positive"),
    ])
    .await;
}

#[tokio::test]
async fn regexp_functions_follow_trino() {
    check(&[
        ("SELECT regexp_extract('1a 2b 14m', '\\d+')", "1"),
        (
            "SELECT regexp_extract('1a 2b 14m', '(\\d+)([a-z]+)', 2)",
            "a",
        ),
        (
            "SELECT regexp_extract('1a 2b 14m', '(\\d+)([a-z]+)', 0)",
            "1a",
        ),
        ("SELECT regexp_extract('abc', '\\d+')", "NULL"),
        (
            "SELECT regexp_extract('role/admin-x', 'role/([^-]+)', 1)",
            "admin",
        ),
        ("SELECT regexp_extract('ab', '(x)?b', 1)", "NULL"),
        ("SELECT regexp_replace('1a 2b 14m', '\\d+[ab] ')", "14m"),
        (
            "SELECT regexp_replace('1a 2b 14m', '(\\d+)([ab]) ', '3c$2 ')",
            "3ca 3cb 14m",
        ),
        ("SELECT regexp_replace('abcb', 'b', 'x')", "axcx"),
        ("SELECT regexp_replace('a.b', '\\.', '\\$')", "a$b"),
        ("SELECT regexp_like('1a 2b 14m', '\\d+b')", "true"),
        ("SELECT regexp_like('abc', '^b')", "false"),
    ])
    .await;
    check_errors(&[
        (
            "SELECT regexp_extract('abc', '(a)', 2)",
            "pattern has 1 groups, cannot access group `2`",
        ),
        (
            "SELECT regexp_replace('abc', 'a', '$x')",
            "illegal group reference",
        ),
    ])
    .await;
}

#[tokio::test]
async fn datafusion_string_builtins_kept_match_trino() {
    check(&[
        ("SELECT length('héllo')", "5"),
        ("SELECT lower('AbC')", "abc"),
        ("SELECT upper('AbC')", "ABC"),
        ("SELECT trim('  a b  ')", "a b"),
        ("SELECT strpos('high', 'ig')", "2"),
        ("SELECT strpos('high', 'x')", "0"),
        (
            "SELECT starts_with('signin.amazonaws.com', 'signin')",
            "true",
        ),
    ])
    .await;
}
