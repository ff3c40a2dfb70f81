//! Real answers over the store of every fixture record, each checked against
//! the same records read with `serde_json`.

use std::collections::BTreeMap;

use opentrail_sql::{
    CancelFlag, EngineConfig, QueryOutput, SqlEngine, StoreTable, parse_statement,
};
use serde_json::Value;

use crate::support::{FIXTURE_STORE, fixture_record_files, test_stores};

/// Every fixture record, parsed.
fn records() -> Vec<Value> {
    fixture_record_files()
        .into_iter()
        .flatten()
        .map(|text| serde_json::from_str(&text).unwrap())
        .collect()
}

fn text_at<'a>(record: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut value = record;
    for member in path {
        value = value.get(member)?;
    }
    value.as_str()
}

async fn run(sql: &str) -> QueryOutput {
    let (object_store, tables) = test_stores().await;
    run_in(
        &SqlEngine::new(EngineConfig::default(), object_store).unwrap(),
        &tables,
        sql,
    )
    .await
}

async fn run_in(engine: &SqlEngine, tables: &[StoreTable], sql: &str) -> QueryOutput {
    let checked = parse_statement(sql).unwrap_or_else(|error| panic!("{sql}: {error}"));
    engine
        .execute(&checked, tables, &CancelFlag::new(), 1 << 24)
        .await
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
}

/// The first column of every row, NULL as `None`.
fn first_column(output: &QueryOutput) -> Vec<Option<String>> {
    output.rows.iter().map(|row| row[0].clone()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn counts_by_event_name_match_the_records() {
    let mut expected: BTreeMap<Option<String>, u64> = BTreeMap::new();
    for record in records() {
        let name = text_at(&record, &["eventName"]).map(str::to_owned);
        *expected.entry(name).or_default() += 1;
    }
    // Insights records have no eventName: one NULL group.
    assert_eq!(expected.get(&None), Some(&2));

    let output = run(&format!(
        "SELECT eventName, COUNT(*) AS n FROM {FIXTURE_STORE} GROUP BY eventName ORDER BY n DESC, eventName"
    ))
    .await;
    assert_eq!(output.columns, ["eventName", "n"]);
    let actual: BTreeMap<Option<String>, u64> = output
        .rows
        .iter()
        .map(|row| (row[0].clone(), row[1].as_deref().unwrap().parse().unwrap()))
        .collect();
    assert_eq!(actual, expected);
    assert_eq!(output.rows.len(), expected.len());
    // Busiest first: GetUser (4 calls in the Invictus log).
    assert_eq!(
        output.rows[0],
        [Some("GetUser".to_owned()), Some("4".to_owned())]
    );
    let total: u64 = expected.values().sum();
    assert_eq!(output.stats.events_scanned, total);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_identity_arn_filter_matches_the_records() {
    let arn = "arn:aws:iam::123837392027:user/bert-jan";
    let mut expected: Vec<Option<String>> = records()
        .iter()
        .filter(|record| text_at(record, &["userIdentity", "arn"]) == Some(arn))
        .map(|record| text_at(record, &["eventID"]).map(str::to_owned))
        .collect();
    expected.sort();
    assert!(expected.len() >= 3, "{expected:?}");

    let output = run(&format!(
        "SELECT eventID, userIdentity.userName FROM {FIXTURE_STORE} WHERE userIdentity.arn = '{arn}' ORDER BY eventID"
    ))
    .await;
    assert_eq!(output.columns, ["eventID", "userName"]);
    assert_eq!(first_column(&output), expected);
    assert!(
        output
            .rows
            .iter()
            .all(|row| row[1].as_deref() == Some("bert-jan"))
    );

    // The session issuer of assumed roles, nested two structs deep.
    let issuers: Vec<Option<String>> = {
        let mut issuers: Vec<Option<String>> = records()
            .iter()
            .filter_map(|record| {
                text_at(
                    record,
                    &["userIdentity", "sessionContext", "sessionIssuer", "arn"],
                )
            })
            .map(|arn| Some(arn.to_owned()))
            .collect();
        issuers.sort();
        issuers
    };
    let output = run(&format!(
        "SELECT userIdentity.sessionContext.sessionIssuer.arn FROM {FIXTURE_STORE} WHERE userIdentity.sessionContext.sessionIssuer.arn IS NOT NULL ORDER BY 1"
    ))
    .await;
    assert!(!issuers.is_empty());
    assert_eq!(first_column(&output), issuers);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn event_time_range_matches_the_records_and_prunes_files() {
    // `eventTime` as AWS writes it: `YYYY-MM-DDTHH:MM:SS[.fff]Z`; compare to the second.
    let in_range = |record: &Value| {
        let time = text_at(record, &["eventTime"]).unwrap();
        let second = time[..19].replace('T', " ");
        ("2023-07-10 12:20:00"..="2023-07-10 12:23:59").contains(&second.as_str())
    };
    let mut expected: Vec<Option<String>> = records()
        .iter()
        .filter(|record| in_range(record))
        .map(|record| text_at(record, &["eventID"]).map(str::to_owned))
        .collect();
    expected.sort();
    assert!(!expected.is_empty());

    let output = run(&format!(
        "SELECT eventID FROM {FIXTURE_STORE} WHERE eventTime >= '2023-07-10 12:20:00' AND eventTime < '2023-07-10 12:24:00' ORDER BY eventID"
    ))
    .await;
    assert_eq!(first_column(&output), expected);
    // Only the Invictus log file (12 records) spans that window.
    assert_eq!(output.stats.events_scanned, 12);
    assert_eq!(output.stats.events_matched, expected.len() as u64);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn maps_arrays_and_event_json_match_the_records() {
    let records = records();
    let (object_store, tables) = test_stores().await;
    let engine = SqlEngine::new(EngineConfig::default(), object_store).unwrap();

    // Errors by code.
    let mut errors: BTreeMap<Option<String>, u64> = BTreeMap::new();
    for record in &records {
        if let Some(code) = text_at(record, &["errorCode"]) {
            *errors.entry(Some(code.to_owned())).or_default() += 1;
        }
    }
    let output = run_in(
        &engine,
        &tables,
        &format!(
            "SELECT errorCode, count(*) FROM {FIXTURE_STORE} WHERE errorCode IS NOT NULL GROUP BY errorCode"
        ),
    )
    .await;
    let actual: BTreeMap<Option<String>, u64> = output
        .rows
        .iter()
        .map(|row| (row[0].clone(), row[1].as_deref().unwrap().parse().unwrap()))
        .collect();
    assert!(!errors.is_empty());
    assert_eq!(actual, errors);

    // One row per element of `resources`.
    let resources: usize = records
        .iter()
        .filter_map(|record| record.get("resources")?.as_array().map(Vec::len))
        .sum();
    let output = run_in(
        &engine,
        &tables,
        &format!("SELECT count(*) FROM {FIXTURE_STORE} CROSS JOIN UNNEST(resources) AS t(r)"),
    )
    .await;
    assert!(resources > 0);
    assert_eq!(output.rows, [[Some(resources.to_string())]]);

    // Map values: strings as is.
    let output = run_in(
        &engine,
        &tables,
        &format!(
            "SELECT requestParameters['keyName'], element_at(responseElements, 'keyFingerprint') FROM {FIXTURE_STORE} WHERE eventName = 'CreateKeyPair'"
        ),
    )
    .await;
    assert_eq!(
        output.rows,
        [[
            Some("mykeypair".to_owned()),
            Some("30:1d:46:d0:5b:ad:7e:1b:b6:70:62:8b:ff:38:b5:e9:ab:5d:b8:21".to_owned())
        ]]
    );

    // `insightDetails` of the Insights pair, a map whose nested object is JSON text.
    let output = run_in(
        &engine,
        &tables,
        &format!(
            "SELECT insightDetails['state'], json_extract_scalar(insightDetails['insightContext'], '$.statistics.insight.average') FROM {FIXTURE_STORE} WHERE eventCategory = 'Insight' ORDER BY eventTime"
        ),
    )
    .await;
    let expected: Vec<Vec<Option<String>>> = records
        .iter()
        .filter(|record| text_at(record, &["eventCategory"]) == Some("Insight"))
        .map(|record| {
            let details = &record["insightDetails"];
            vec![
                details["state"].as_str().map(str::to_owned),
                Some(details["insightContext"]["statistics"]["insight"]["average"].to_string()),
            ]
        })
        .collect();
    assert_eq!(output.rows, expected);

    // `eventjson` is each record's text: the same JSON values.
    let output = run_in(
        &engine,
        &tables,
        &format!("SELECT eventjson, eventjsonchecksum FROM {FIXTURE_STORE}"),
    )
    .await;
    let mut stored: Vec<String> = output
        .rows
        .iter()
        .map(|row| {
            let json = row[0].as_deref().unwrap();
            assert_eq!(
                row[1].as_deref(),
                Some(opentrail_columnar::checksum_hex(json).as_str())
            );
            serde_json::from_str::<Value>(json).unwrap().to_string()
        })
        .collect();
    let mut original: Vec<String> = records.iter().map(Value::to_string).collect();
    stored.sort();
    original.sort();
    assert_eq!(stored, original);
}
