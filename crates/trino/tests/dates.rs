//! Date and time functions (UTC).

use crate::support::{check, check_errors};

const T: &str = "TIMESTAMP '2026-01-22 10:15:05.123'";

#[tokio::test]
async fn field_extraction_follows_trino() {
    let cases: Vec<(String, &str)> = vec![
        (format!("SELECT year({T})"), "2026"),
        (format!("SELECT quarter({T})"), "1"),
        (format!("SELECT month({T})"), "1"),
        (format!("SELECT week({T})"), "4"),
        (format!("SELECT week_of_year({T})"), "4"),
        (format!("SELECT day({T})"), "22"),
        (format!("SELECT day_of_month({T})"), "22"),
        (format!("SELECT day_of_week({T})"), "4"),
        (format!("SELECT dow({T})"), "4"),
        (format!("SELECT day_of_year({T})"), "22"),
        (format!("SELECT doy({T})"), "22"),
        (format!("SELECT hour({T})"), "10"),
        (format!("SELECT minute({T})"), "15"),
        (format!("SELECT second({T})"), "5"),
        (format!("SELECT millisecond({T})"), "123"),
        ("SELECT year_of_week(TIMESTAMP '2027-01-01 00:00:00')".to_owned(), "2026"),
        ("SELECT yow(TIMESTAMP '2027-01-01 00:00:00')".to_owned(), "2026"),
        ("SELECT week(TIMESTAMP '2027-01-01 00:00:00')".to_owned(), "53"),
        ("SELECT day_of_week(TIMESTAMP '2026-01-25 23:59:59')".to_owned(), "7"),
        ("SELECT month(DATE '2026-03-01')".to_owned(), "3"),
        ("SELECT year('2026-01-22 00:00:00')".to_owned(), "2026"),
        ("SELECT hour(arrow_cast(TIMESTAMP '2026-01-22 10:00:00', 'Timestamp(Millisecond, None)'))".to_owned(), "10"),
        ("SELECT year(CAST(NULL AS TIMESTAMP))".to_owned(), "NULL"),
    ];
    let cases: Vec<(&str, &str)> = cases
        .iter()
        .map(|(sql, expected)| (sql.as_str(), *expected))
        .collect();
    check(&cases).await;
}

#[tokio::test]
async fn date_diff_counts_whole_units() {
    check(&[
        ("SELECT date_diff('day', TIMESTAMP '2026-01-22 10:00:00', TIMESTAMP '2026-01-24 09:59:59')", "1"),
        ("SELECT date_diff('day', TIMESTAMP '2026-01-24 10:00:00', TIMESTAMP '2026-01-22 10:00:00')", "-2"),
        ("SELECT date_diff('hour', TIMESTAMP '2026-01-22 10:00:00', TIMESTAMP '2026-01-22 12:30:00')", "2"),
        ("SELECT date_diff('second', TIMESTAMP '2026-01-22 10:00:00', TIMESTAMP '2026-01-22 10:01:00.999')", "60"),
        ("SELECT date_diff('millisecond', TIMESTAMP '2026-01-22 10:00:00', TIMESTAMP '2026-01-22 10:00:00.250')", "250"),
        ("SELECT date_diff('week', TIMESTAMP '2026-01-01 00:00:00', TIMESTAMP '2026-01-22 00:00:00')", "3"),
        ("SELECT date_diff('month', TIMESTAMP '2026-01-31 00:00:00', TIMESTAMP '2026-02-28 00:00:00')", "1"),
        ("SELECT date_diff('month', TIMESTAMP '2026-03-15 00:00:00', TIMESTAMP '2026-01-16 00:00:00')", "-1"),
        ("SELECT date_diff('quarter', TIMESTAMP '2026-01-01 00:00:00', TIMESTAMP '2026-12-31 00:00:00')", "3"),
        ("SELECT date_diff('YEAR', TIMESTAMP '2024-02-29 00:00:00', TIMESTAMP '2026-02-28 00:00:00')", "2"),
        ("SELECT date_diff('day', DATE '2026-01-01', DATE '2026-03-01')", "59"),
        ("SELECT date_diff('day', NULL, TIMESTAMP '2026-01-01 00:00:00')", "NULL"),
    ])
    .await;
    check_errors(&[(
        "SELECT date_diff('fortnight', TIMESTAMP '2026-01-01 00:00:00', TIMESTAMP '2026-01-02 00:00:00')",
        "`fortnight` is not a valid timestamp field",
    )])
    .await;
}

#[tokio::test]
async fn date_add_moves_by_units() {
    check(&[
        (
            "SELECT date_add('day', 1, TIMESTAMP '2026-01-22 10:00:00')",
            "2026-01-23T10:00:00",
        ),
        (
            "SELECT date_add('hour', -3, TIMESTAMP '2026-01-22 01:00:00')",
            "2026-01-21T22:00:00",
        ),
        (
            "SELECT date_add('month', 1, TIMESTAMP '2026-01-31 10:00:00')",
            "2026-02-28T10:00:00",
        ),
        (
            "SELECT date_add('year', -1, TIMESTAMP '2024-02-29 00:00:00')",
            "2023-02-28T00:00:00",
        ),
        (
            "SELECT date_add('quarter', 1, TIMESTAMP '2026-01-22 00:00:00')",
            "2026-04-22T00:00:00",
        ),
        (
            "SELECT date_add('millisecond', 5, TIMESTAMP '2026-01-22 00:00:00')",
            "2026-01-22T00:00:00.005",
        ),
        (
            "SELECT date_add('day', 10, DATE '2026-01-22')",
            "2026-02-01",
        ),
        (
            "SELECT date_add('day', -7, '2026-01-22 00:00:00')",
            "2026-01-15T00:00:00",
        ),
    ])
    .await;
    check_errors(&[(
        "SELECT date_add('hour', 1, DATE '2026-01-22')",
        "`hour` is not a valid date field",
    )])
    .await;
}

#[tokio::test]
async fn iso8601_and_unix_time_conversions() {
    check(&[
        (
            "SELECT from_iso8601_timestamp('2026-01-22T10:15:05.5Z')",
            "2026-01-22T10:15:05.500",
        ),
        (
            "SELECT from_iso8601_timestamp('2026-01-22T10:15:05+02:00')",
            "2026-01-22T08:15:05",
        ),
        (
            "SELECT from_iso8601_timestamp('2026-01-22')",
            "2026-01-22T00:00:00",
        ),
        ("SELECT from_iso8601_date('2026-01-22')", "2026-01-22"),
        (
            "SELECT to_iso8601(TIMESTAMP '2026-01-22 10:15:05')",
            "2026-01-22T10:15:05.000",
        ),
        ("SELECT to_iso8601(DATE '2026-01-22')", "2026-01-22"),
        (
            "SELECT to_iso8601(from_iso8601_timestamp('2026-01-22T10:15:05.120Z'))",
            "2026-01-22T10:15:05.120",
        ),
        (
            "SELECT from_unixtime(1769076905.5)",
            "2026-01-22T10:15:05.500",
        ),
        ("SELECT from_unixtime(0)", "1970-01-01T00:00:00"),
        (
            "SELECT to_unixtime(TIMESTAMP '2026-01-22 10:15:05.500')",
            "1769076905.5",
        ),
        ("SELECT to_unixtime(from_unixtime(12345))", "12345.0"),
        ("SELECT date('2026-01-22')", "2026-01-22"),
        ("SELECT date(TIMESTAMP '2026-01-22 23:59:59')", "2026-01-22"),
    ])
    .await;
    check_errors(&[
        (
            "SELECT from_iso8601_timestamp('22/01/2026')",
            "invalid iso 8601 timestamp `22/01/2026`",
        ),
        (
            "SELECT from_iso8601_date('2026-02-30')",
            "invalid iso 8601 date `2026-02-30`",
        ),
    ])
    .await;
}

#[tokio::test]
async fn formatting_and_parsing() {
    check(&[
        (
            &format!("SELECT date_format({T}, '%Y-%m-%d %H:%i:%s')"),
            "2026-01-22 10:15:05",
        ),
        (
            &format!("SELECT date_format({T}, '%W %M %D, %l:%i %p')"),
            "Thursday January 22nd, 10:15 AM",
        ),
        (
            &format!("SELECT format_datetime({T}, 'yyyy-MM-dd''T''HH:mm:ss.SSS')"),
            "2026-01-22T10:15:05.123",
        ),
        (
            &format!("SELECT format_datetime({T}, 'EEE, d MMM yyyy')"),
            "Thu, 22 Jan 2026",
        ),
        (
            "SELECT date_parse('2026-01-22 10:15:05', '%Y-%m-%d %H:%i:%s')",
            "2026-01-22T10:15:05",
        ),
        (
            "SELECT date_parse('22/01/2026', '%d/%m/%Y')",
            "2026-01-22T00:00:00",
        ),
        ("SELECT date_format(NULL, '%Y')", "NULL"),
    ])
    .await;
    check_errors(&[
        (
            "SELECT date_parse('2026-01', '%Y-%m-%d')",
            "date_parse: invalid format",
        ),
        (
            &format!("SELECT date_format({T}, '%U')"),
            "%U not supported in date format string",
        ),
    ])
    .await;
}

#[tokio::test]
async fn datafusion_date_builtins_kept_match_trino() {
    check(&[
        (
            "SELECT date_trunc('day', TIMESTAMP '2026-01-22 10:15:05')",
            "2026-01-22T00:00:00",
        ),
        (
            "SELECT date_trunc('week', TIMESTAMP '2026-01-22 10:15:05')",
            "2026-01-19T00:00:00",
        ),
        (
            "SELECT date_trunc('month', TIMESTAMP '2026-01-22 10:15:05')",
            "2026-01-01T00:00:00",
        ),
        (
            "SELECT date_trunc('quarter', TIMESTAMP '2026-05-22 10:15:05')",
            "2026-04-01T00:00:00",
        ),
        ("SELECT now() = current_timestamp", "true"),
    ])
    .await;
}
