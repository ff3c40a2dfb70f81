//! Table tests of the record-to-row rules of spec §3.4.2 (CloudTrail kind).

use opentrail_columnar::{RowErrorKind, RowsBuilder, TableKind, checksum_hex, dedupe_key};
use serde_json::{Value, json};

use crate::support::{entries, map_entries, one_batch, one_row, rows_json};

const TIME: &str = r#""eventTime":"2026-01-22T16:53:53Z""#;

fn record(members: &str) -> String {
    if members.is_empty() {
        format!("{{{TIME}}}")
    } else {
        format!("{{{TIME},{members}}}")
    }
}

#[test]
fn absent_members_are_null() {
    let text = record("");
    let row = one_row(TableKind::CloudTrail, &text);
    let Value::Object(columns) = row else {
        panic!()
    };
    assert_eq!(columns.len(), 34);
    for (name, value) in &columns {
        match name.as_str() {
            "eventtime" => assert_eq!(value, "2026-01-22T16:53:53"),
            "eventjson" => assert_eq!(value, &json!(text)),
            "eventjsonchecksum" => assert_eq!(value, &json!(checksum_hex(&text))),
            _ => assert!(value.is_null(), "{name} is {value}"),
        }
    }
}

#[test]
fn string_columns_take_strings_unescaped_and_scalars_as_text() {
    let cases = [
        (
            r#""eventName":"CreateUser""#,
            "eventname",
            json!("CreateUser"),
        ),
        (
            r#""eventName":"a\"b\u00e9\/""#,
            "eventname",
            json!("a\"bé/"),
        ),
        (r#""eventName":null"#, "eventname", Value::Null),
        (
            r#""recipientAccountId":210987654321"#,
            "recipientaccountid",
            json!("210987654321"),
        ),
        (r#""annotation":true"#, "annotation", json!("true")),
        (
            r#""apiVersion":"2012-10-17""#,
            "apiversion",
            json!("2012-10-17"),
        ),
        (r#""sharedEventID":"s-1""#, "sharedeventid", json!("s-1")),
        (
            r#""vpcEndpointAccountId":"111""#,
            "vpcendpointaccountid",
            json!("111"),
        ),
        (
            r#""sourceIPAddress":"AWS Internal""#,
            "sourceipaddress",
            json!("AWS Internal"),
        ),
        (r#""requestID":"r-1""#, "requestid", json!("r-1")),
        (r#""eventID":"e-1""#, "eventid", json!("e-1")),
        (
            r#""sessionCredentialFromConsole":"true""#,
            "sessioncredentialfromconsole",
            json!("true"),
        ),
        (
            r#""sessionCredentialFromConsole":true"#,
            "sessioncredentialfromconsole",
            json!("true"),
        ),
    ];
    for (members, column, expected) in cases {
        let row = one_row(TableKind::CloudTrail, &record(members));
        assert_eq!(row[column], expected, "{members}");
    }
}

#[test]
fn booleans_accept_json_booleans_and_their_string_forms() {
    let cases = [
        ("true", Some(true)),
        ("false", Some(false)),
        (r#""true""#, Some(true)),
        (r#""false""#, Some(false)),
        (r#""TRUE""#, Some(true)),
        ("null", None),
    ];
    for (value, expected) in cases {
        for (member, column) in [
            ("readOnly", "readonly"),
            ("managementEvent", "managementevent"),
        ] {
            let row = one_row(
                TableKind::CloudTrail,
                &record(&format!(r#""{member}":{value}"#)),
            );
            assert_eq!(row[column], json!(expected), "{member} {value}");
        }
    }
    for bad in [r#""yes""#, "1", "{}"] {
        let mut rows = RowsBuilder::new(TableKind::CloudTrail);
        let error = rows
            .push(record(&format!(r#""readOnly":{bad}"#)).as_bytes())
            .unwrap_err();
        assert_eq!(error.kind(), RowErrorKind::InvalidMember, "{bad}");
        assert_eq!(error.member(), "readOnly", "{bad}");
    }
}

#[test]
fn map_values_follow_the_spec_rules_in_record_order() {
    let text = record(
        r#""requestParameters": {
            "bucketName": "acme",
            "maxKeys": 1000,
            "ratio": 9.82222E-5,
            "negative": -1.50,
            "flag": false,
            "nothing": null,
            "escaped": "a\"b\u00e9",
            "nested": { "items" : [ { "instanceId" : "i-0abc" } ],
                        "text": "keep  these  spaces" },
            "list": [ 1, "two", null ],
            "empty": {}
        }"#,
    );
    let batch = one_batch(TableKind::CloudTrail, &text);
    assert_eq!(
        map_entries(&batch, "requestparameters", 0),
        entries(&[
            ("bucketName", Some("acme")),
            ("maxKeys", Some("1000")),
            ("ratio", Some("9.82222E-5")),
            ("negative", Some("-1.50")),
            ("flag", Some("false")),
            ("nothing", None),
            ("escaped", Some("a\"bé")),
            (
                "nested",
                Some(r#"{"items":[{"instanceId":"i-0abc"}],"text":"keep  these  spaces"}"#)
            ),
            ("list", Some(r#"[1,"two",null]"#)),
            ("empty", Some("{}")),
        ])
    );
}

#[test]
fn map_columns_are_null_when_absent_or_null_and_empty_for_empty_objects() {
    let text = record(r#""responseElements":null,"additionalEventData":{}"#);
    let batch = one_batch(TableKind::CloudTrail, &text);
    assert_eq!(map_entries(&batch, "requestparameters", 0), None);
    assert_eq!(map_entries(&batch, "responseelements", 0), None);
    assert_eq!(
        map_entries(&batch, "additionaleventdata", 0),
        Some(Vec::new())
    );
}

#[test]
fn every_map_column_reads_its_member() {
    let cases = [
        ("requestParameters", "requestparameters"),
        ("responseElements", "responseelements"),
        ("additionalEventData", "additionaleventdata"),
        ("serviceEventDetails", "serviceeventdetails"),
        ("addendum", "addendum"),
        ("edgeDeviceDetails", "edgedevicedetails"),
        ("insightDetails", "insightdetails"),
    ];
    for (member, column) in cases {
        let text = record(&format!(r#""{member}":{{"k":"v","n":2}}"#));
        let batch = one_batch(TableKind::CloudTrail, &text);
        assert_eq!(
            map_entries(&batch, column, 0),
            entries(&[("k", Some("v")), ("n", Some("2"))]),
            "{member}"
        );
    }
}

#[test]
fn map_members_that_are_not_objects_are_refused() {
    for value in [r#""text""#, "[1]", "3"] {
        let mut rows = RowsBuilder::new(TableKind::CloudTrail);
        let error = rows
            .push(record(&format!(r#""requestParameters":{value}"#)).as_bytes())
            .unwrap_err();
        assert_eq!(error.kind(), RowErrorKind::InvalidMember);
        assert_eq!(error.member(), "requestParameters", "{value}");
    }
}

#[test]
fn resources_map_arn_and_derive_arnprefix() {
    let text = record(
        r#""resources":[
            {"type":"AWS::S3::Object","ARN":"arn:aws:s3:::acme-reports/2026/03/q1.pdf"},
            {"accountId":"210987654321","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::acme-reports"},
            {"accountId":"210987654321"},
            null,
            {"ARN":"no-separators"}
        ]"#,
    );
    let row = one_row(TableKind::CloudTrail, &text);
    assert_eq!(
        row["resources"],
        json!([
            {"accountid": null, "type": "AWS::S3::Object",
             "arn": "arn:aws:s3:::acme-reports/2026/03/q1.pdf",
             "arnprefix": "arn:aws:s3:::acme-reports/2026/03/"},
            {"accountid": "210987654321", "type": "AWS::S3::Bucket",
             "arn": "arn:aws:s3:::acme-reports", "arnprefix": "arn:aws:s3:::"},
            {"accountid": "210987654321", "type": null, "arn": null, "arnprefix": null},
            null,
            {"accountid": null, "type": null, "arn": "no-separators", "arnprefix": null},
        ])
    );
    assert_eq!(
        one_row(TableKind::CloudTrail, &record(r#""resources":[]"#))["resources"],
        json!([])
    );
    assert_eq!(
        one_row(TableKind::CloudTrail, &record(r#""resources":null"#))["resources"],
        Value::Null
    );
}

#[test]
fn user_identity_maps_every_member_of_the_spec() {
    let text = record(
        r#""userIdentity":{
            "type":"AssumedRole","principalId":"AROA:s","arn":"arn:aws:sts::1:assumed-role/R/s",
            "accountId":"1","accessKeyId":"ASIA1","userName":"u",
            "sessionContext":{
                "attributes":{"creationDate":"20131102T010628Z","mfaAuthenticated":"true"},
                "sessionIssuer":{"type":"Role","principalId":"AROA","arn":"arn:aws:iam::1:role/R",
                                 "accountId":"1","userName":"R"},
                "webIdFederationData":{"federatedProvider":"accounts.google.com",
                                       "attributes":{"accounts.google.com:aud":"app"}},
                "sourceIdentity":"alice","ec2RoleDelivery":"2.0","ec2IssuedInVPC":"vpc-1",
                "assumedRoot":"true"
            },
            "onBehalfOf":{"userId":"uid","identityStoreArn":"arn:aws:identitystore::1:identitystore/d-1"},
            "inScopeOf":{"sourceArn":"arn:aws:lambda:us-east-1:1:function:f","sourceAccount":"1",
                         "issuerType":"AWS::Lambda::Function","credentialsIssuedTo":"arn:f"},
            "invokedBy":"lambda.amazonaws.com","identityProvider":"accounts.google.com",
            "credentialId":"not-a-column"
        }"#,
    );
    let row = one_row(TableKind::CloudTrail, &text);
    assert_eq!(
        row["useridentity"],
        json!({
            "type": "AssumedRole", "principalid": "AROA:s", "arn": "arn:aws:sts::1:assumed-role/R/s",
            "accountid": "1", "accesskeyid": "ASIA1", "username": "u",
            "sessioncontext": {
                "attributes": {"creationdate": "2013-11-02T01:06:28", "mfaauthenticated": "true"},
                "sessionissuer": {"type": "Role", "principalid": "AROA", "arn": "arn:aws:iam::1:role/R",
                                  "accountid": "1", "username": "R"},
                "webidfederationdata": {"federatedprovider": "accounts.google.com",
                                        "attributes": {"accounts.google.com:aud": "app"}},
                "sourceidentity": "alice", "ec2roledelivery": "2.0", "ec2issuedinvpc": "vpc-1"
            },
            "onbehalfof": {"userid": "uid", "identitystorearn": "arn:aws:identitystore::1:identitystore/d-1"},
            "inscopeof": {"sourcearn": "arn:aws:lambda:us-east-1:1:function:f", "sourceaccount": "1",
                          "issuertype": "AWS::Lambda::Function", "credentialsissuedto": "arn:f"},
            "invokedby": "lambda.amazonaws.com", "identityprovider": "accounts.google.com"
        })
    );
}

#[test]
fn nested_structs_are_null_only_when_absent_and_bad_dates_become_null() {
    let text = record(
        r#""userIdentity":{"type":"Root","sessionContext":{"attributes":{"creationDate":"Jan 22, 2021"},
            "webIdFederationData":{}}}"#,
    );
    let row = one_row(TableKind::CloudTrail, &text);
    let context = &row["useridentity"]["sessioncontext"];
    assert_eq!(
        context["attributes"],
        json!({"creationdate": null, "mfaauthenticated": null})
    );
    assert_eq!(context["sessionissuer"], Value::Null);
    assert_eq!(
        context["webidfederationdata"],
        json!({"federatedprovider": null, "attributes": null})
    );
    assert_eq!(row["useridentity"]["onbehalfof"], Value::Null);
    assert_eq!(row["tlsdetails"], Value::Null);
    let partial = one_row(
        TableKind::CloudTrail,
        &record(r#""tlsDetails":{"tlsVersion":"TLSv1.3"}"#),
    );
    assert_eq!(
        partial["tlsdetails"],
        json!({"tlsversion": "TLSv1.3", "ciphersuite": null, "clientprovidedhostheader": null})
    );
}

#[test]
fn event_time_forms_and_failures() {
    let cases = [
        ("2026-01-22T16:53:53Z", 1_769_100_833_000_i64),
        ("2026-01-22T16:53:53.123Z", 1_769_100_833_123),
        ("2026-01-22T16:53:53.5Z", 1_769_100_833_500),
        ("2026-01-22T17:53:53+01:00", 1_769_100_833_000),
        ("1970-01-01T00:00:00Z", 0),
    ];
    for (text, expected) in cases {
        let mut rows = RowsBuilder::new(TableKind::CloudTrail);
        rows.push(format!(r#"{{"eventTime":"{text}"}}"#).as_bytes())
            .unwrap();
        assert_eq!(rows.facts()[0].event_time_ms, expected, "{text}");
        let batch = rows.finish().unwrap();
        let times = batch
            .column_by_name("eventtime")
            .unwrap()
            .as_any()
            .downcast_ref::<arrow::array::TimestampMillisecondArray>()
            .unwrap();
        assert_eq!(times.value(0), expected);
    }
    let failures = [
        (
            r#"{"eventName":"x"}"#,
            RowErrorKind::MissingMember,
            "eventTime",
        ),
        (
            r#"{"eventTime":null}"#,
            RowErrorKind::MissingMember,
            "eventTime",
        ),
        (
            r#"{"eventTime":"yesterday"}"#,
            RowErrorKind::InvalidMember,
            "eventTime",
        ),
        (
            r#"{"eventTime":1700000000}"#,
            RowErrorKind::InvalidMember,
            "eventTime",
        ),
        (
            r#"{"eventTime":{}}"#,
            RowErrorKind::InvalidMember,
            "eventTime",
        ),
    ];
    for (text, kind, member) in failures {
        let error = RowsBuilder::new(TableKind::CloudTrail)
            .push(text.as_bytes())
            .unwrap_err();
        assert_eq!(
            (error.kind(), error.member()),
            (kind, member),
            "{text}: {error}"
        );
        assert!(error.to_string().contains("`eventTime`"), "{error}");
    }
}

#[test]
fn records_that_are_not_objects_or_not_json_are_refused() {
    let cases: [(&[u8], RowErrorKind); 7] = [
        (b"[]", RowErrorKind::NotObject),
        (b"\"text\"", RowErrorKind::NotObject),
        (b"42", RowErrorKind::NotObject),
        (b"{", RowErrorKind::NotJson),
        (
            b"{\"eventTime\":\"2026-01-22T16:53:53Z\",}",
            RowErrorKind::NotJson,
        ),
        (b"", RowErrorKind::NotJson),
        (b"{\"eventName\":\"\xff\"}", RowErrorKind::NotJson),
    ];
    for (bytes, kind) in cases {
        let error = RowsBuilder::new(TableKind::CloudTrail)
            .push(bytes)
            .unwrap_err();
        assert_eq!(error.kind(), kind, "{}", String::from_utf8_lossy(bytes));
    }
}

#[test]
fn type_errors_name_the_member_path() {
    let cases = [
        (
            r#""userIdentity":{"sessionContext":"oops"}"#,
            "userIdentity.sessionContext",
        ),
        (
            r#""userIdentity":{"sessionContext":{"sessionIssuer":{"arn":["x"]}}}"#,
            "userIdentity.sessionContext.sessionIssuer.arn",
        ),
        (r#""eventName":{"a":1}"#, "eventName"),
        (r#""resources":"x""#, "resources"),
        (
            r#""resources":[{"ARN":"a"},{"ARN":{}}]"#,
            "resources[1].ARN",
        ),
        (r#""tlsDetails":[]"#, "tlsDetails"),
        (r#""eventID":"a","eventID":"b""#, "eventID"),
    ];
    for (members, path) in cases {
        let error = RowsBuilder::new(TableKind::CloudTrail)
            .push(record(members).as_bytes())
            .unwrap_err();
        assert_eq!(error.kind(), RowErrorKind::InvalidMember, "{members}");
        assert_eq!(error.member(), path, "{members}: {error}");
        assert!(error.to_string().contains(&format!("`{path}`")), "{error}");
    }
}

#[test]
fn eventjson_is_the_record_text_and_the_checksum_is_xxh3_hex() {
    let text = "{\n  \"eventTime\": \"2026-01-22T16:53:53Z\",\n  \"eventID\": \"e\"\n}";
    let row = one_row(TableKind::CloudTrail, &format!("  {text}\n"));
    assert_eq!(row["eventjson"], json!(text));
    assert_eq!(row["eventjsonchecksum"], json!(checksum_hex(text)));
    assert_eq!(checksum_hex(text).len(), 16);
}

#[test]
fn facts_give_event_time_and_dedupe_key_per_row() {
    let mut rows = RowsBuilder::new(TableKind::CloudTrail);
    rows.push(br#"{"eventTime":"2026-01-22T16:53:53Z","eventID":"e1","recipientAccountId":"111"}"#)
        .unwrap();
    rows.push(br#"{"eventTime":"2026-01-22T16:53:54Z"}"#)
        .unwrap();
    let facts = rows.facts().to_vec();
    assert_eq!(facts[0].dedupe_key, dedupe_key("e1", "111"));
    assert_eq!(facts[1].dedupe_key, dedupe_key("", ""));
    assert_eq!(facts[1].event_time_ms - facts[0].event_time_ms, 1000);
    let (batch, finished) = rows.finish_with_facts().unwrap();
    assert_eq!(finished, facts);
    assert_eq!(batch.num_rows(), 2);
    assert!(rows.is_empty());
}

#[test]
fn a_refused_record_leaves_no_trace_and_the_builder_is_reusable() {
    let mut rows = RowsBuilder::new(TableKind::CloudTrail);
    rows.push(record(r#""eventName":"A","resources":[{"ARN":"a:b"}]"#).as_bytes())
        .unwrap();
    // Fails late: after `resources` was read, at `userIdentity`.
    let late =
        record(r#""resources":[{"ARN":"x:y"}],"requestParameters":{"k":1},"userIdentity":5"#);
    assert!(rows.push(late.as_bytes()).is_err());
    rows.push(record(r#""eventName":"B""#).as_bytes()).unwrap();
    assert_eq!(rows.len(), 2);
    let batch = rows.finish().unwrap();
    let json = rows_json(&batch);
    assert_eq!(json.len(), 2);
    assert_eq!(json[1]["eventname"], "B");
    assert_eq!(json[1]["resources"], Value::Null);
    assert_eq!(map_entries(&batch, "requestparameters", 1), None);

    let empty = rows.finish().unwrap();
    assert_eq!(empty.num_rows(), 0);
    rows.push(record("").as_bytes()).unwrap();
    assert_eq!(rows.finish().unwrap().num_rows(), 1);
}
