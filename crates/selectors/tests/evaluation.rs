//! Evaluation table: (selector config, record, expected decision), §5.1 and §5.2.

use crate::support::{compile, selects};

const MGMT_READ: &str = r#"{"eventVersion":"1.09","eventCategory":"Management","eventType":"AwsApiCall",
    "eventSource":"ec2.amazonaws.com","eventName":"DescribeInstances","readOnly":true,
    "managementEvent":true,"userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice"}}"#;
const MGMT_WRITE: &str = r#"{"eventVersion":"1.09","eventCategory":"Management","eventType":"AwsApiCall",
    "eventSource":"iam.amazonaws.com","eventName":"CreateUser","readOnly":false,"managementEvent":true}"#;
/// A console sign-in: no `readOnly` member.
const MGMT_UNKNOWN_READ_ONLY: &str = r#"{"eventVersion":"1.08","eventCategory":"Management",
    "eventType":"AwsConsoleSignIn","eventSource":"signin.amazonaws.com","eventName":"ConsoleLogin"}"#;
/// `readOnly` as a string, as some producers write it.
const MGMT_READ_STRING: &str = r#"{"eventCategory":"Management","eventSource":"s3.amazonaws.com",
    "eventName":"ListBuckets","readOnly":"true"}"#;
const KMS_READ: &str = r#"{"eventCategory":"Management","eventSource":"kms.amazonaws.com",
    "eventName":"Decrypt","readOnly":true}"#;
const RDSDATA_WRITE: &str = r#"{"eventCategory":"Management","eventSource":"rdsdata.amazonaws.com",
    "eventName":"ExecuteStatement","readOnly":false}"#;
const S3_GET: &str = r#"{"eventVersion":"1.09","eventCategory":"Data","eventType":"AwsApiCall",
    "eventSource":"s3.amazonaws.com","eventName":"GetObject","readOnly":true,"managementEvent":false,
    "userIdentity":{"type":"AssumedRole","arn":"arn:aws:sts::111122223333:assumed-role/Admin/alice"},
    "sessionCredentialFromConsole":"true",
    "resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::bucket/logs/a.txt"},
                 {"accountId":"111122223333","type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::bucket"}]}"#;
const S3_PUT: &str = r#"{"eventVersion":"1.09","eventCategory":"Data","eventType":"AwsApiCall",
    "eventSource":"s3.amazonaws.com","eventName":"PutObject","readOnly":false,"managementEvent":false,
    "userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/bob"},
    "resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::other/x.json"},
                 {"type":"AWS::S3::Bucket","ARN":"arn:aws:s3:::other"}]}"#;
/// An old data record: no `eventCategory`, `managementEvent: false`.
const S3_OLD_DATA: &str = r#"{"eventVersion":"1.05","eventSource":"s3.amazonaws.com",
    "eventName":"DeleteObject","readOnly":false,"managementEvent":false,
    "resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::bucket/old"}]}"#;
const LAMBDA_HELLOWORLD: &str = r#"{"eventCategory":"Data","eventSource":"lambda.amazonaws.com",
    "eventName":"Invoke","readOnly":false,
    "resources":[{"type":"AWS::Lambda::Function","ARN":"arn:aws:lambda:us-west-2:111111111111:function:helloworld"}]}"#;
const LAMBDA_HELLOWORLD2: &str = r#"{"eventCategory":"Data","eventSource":"lambda.amazonaws.com",
    "eventName":"Invoke","readOnly":false,
    "resources":[{"type":"AWS::Lambda::Function","ARN":"arn:aws:lambda:us-west-2:111111111111:function:helloworld2"}]}"#;
const DDB_GET: &str = r#"{"eventCategory":"Data","eventSource":"dynamodb.amazonaws.com",
    "eventName":"GetItem","readOnly":true,
    "resources":[{"type":"AWS::DynamoDB::Table","ARN":"arn:aws:dynamodb:us-east-1:111122223333:table/Music"}]}"#;
const NET_DENIED: &str = r#"{"eventVersion":"1.09","eventCategory":"NetworkActivity","eventType":"AwsVpceEvent",
    "eventSource":"s3.amazonaws.com","eventName":"GetObject","errorCode":"VpceAccessDenied",
    "vpcEndpointId":"vpce-0123","userIdentity":{"type":"AWSAccount","arn":"arn:aws:iam::444455556666:root"},
    "resources":[{"type":"AWS::S3::Object","ARN":"arn:aws:s3:::bucket/logs/a.txt"}]}"#;
const NET_KMS_OK: &str = r#"{"eventCategory":"NetworkActivity","eventType":"AwsVpceEvent",
    "eventSource":"kms.amazonaws.com","eventName":"Decrypt","vpcEndpointId":"vpce-9999"}"#;
/// An old network record: category derived from `eventType`.
const NET_OLD: &str =
    r#"{"eventType":"AwsVpceEvent","eventSource":"s3.amazonaws.com","eventName":"PutObject"}"#;
const INSIGHT: &str = r#"{"eventVersion":"1.07","eventCategory":"Insight","eventType":"AwsCloudTrailInsight",
    "insightDetails":{"state":"Start","eventSource":"ec2.amazonaws.com","eventName":"RunInstances"}}"#;

const DEFAULT_BASIC: &str = r#"{"EventSelectors":[{}]}"#;
const MANAGEMENT_ADVANCED: &str = r#"{"AdvancedEventSelectors":[{"Name":"Management events selector","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]}"#;

/// One evaluation case.
struct Case {
    name: &'static str,
    config: String,
    record: &'static str,
    expected: bool,
}

fn case(name: &'static str, config: &str, record: &'static str, expected: bool) -> Case {
    Case {
        name,
        config: config.to_owned(),
        record,
        expected,
    }
}

fn basic(selectors: &str) -> String {
    format!(r#"{{"EventSelectors":{selectors}}}"#)
}

/// One Data selector for `resource_type` plus `extra` field selectors.
fn data_with(resource_type: &str, extra: &str) -> String {
    let separator = if extra.is_empty() { "" } else { "," };
    format!(
        r#"{{"AdvancedEventSelectors":[{{"FieldSelectors":[{{"Field":"eventCategory","Equals":["Data"]}},{{"Field":"resources.type","Equals":["{resource_type}"]}}{separator}{extra}]}}]}}"#
    )
}

fn s3_data_with(extra: &str) -> String {
    data_with("AWS::S3::Object", extra)
}

/// One NetworkActivity selector for `source` plus `extra` field selectors.
fn network_with(source: &str, extra: &str) -> String {
    let separator = if extra.is_empty() { "" } else { "," };
    format!(
        r#"{{"AdvancedEventSelectors":[{{"FieldSelectors":[{{"Field":"eventCategory","Equals":["NetworkActivity"]}},{{"Field":"eventSource","Equals":["{source}"]}}{separator}{extra}]}}]}}"#
    )
}

/// One Management selector with `extra` field selectors.
fn management_with(extra: &str) -> String {
    format!(
        r#"{{"AdvancedEventSelectors":[{{"FieldSelectors":[{{"Field":"eventCategory","Equals":["Management"]}},{extra}]}}]}}"#
    )
}

fn basic_cases() -> Vec<Case> {
    let read_only = basic(r#"[{"ReadWriteType":"ReadOnly"}]"#);
    let write_only = basic(r#"[{"ReadWriteType":"WriteOnly"}]"#);
    let exclude_kms = basic(r#"[{"ExcludeManagementEventSources":["kms.amazonaws.com"]}]"#);
    let exclude_both = basic(
        r#"[{"ExcludeManagementEventSources":["kms.amazonaws.com","rdsdata.amazonaws.com"]}]"#,
    );
    let all_s3_only = basic(
        r#"[{"IncludeManagementEvents":false,"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3"]}]}]"#,
    );
    let legacy_all_s3 = basic(
        r#"[{"IncludeManagementEvents":false,"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::"]}]}]"#,
    );
    let bucket = basic(
        r#"[{"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::bucket/"]}]}]"#,
    );
    let bucket_prefix = basic(
        r#"[{"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::bucket/logs/"]}]}]"#,
    );
    let other_prefix = basic(
        r#"[{"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::bucket/other"]}]}]"#,
    );
    let s3_write_only = basic(
        r#"[{"ReadWriteType":"WriteOnly","DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3"]}]}]"#,
    );
    let lambda_exact = basic(
        r#"[{"IncludeManagementEvents":false,"DataResources":[{"Type":"AWS::Lambda::Function","Values":["arn:aws:lambda:us-west-2:111111111111:function:helloworld"]}]}]"#,
    );
    let lambda_all = basic(
        r#"[{"IncludeManagementEvents":false,"DataResources":[{"Type":"AWS::Lambda::Function","Values":["arn:aws:lambda"]}]}]"#,
    );
    let ddb_exact = basic(
        r#"[{"IncludeManagementEvents":false,"DataResources":[{"Type":"AWS::DynamoDB::Table","Values":["arn:aws:dynamodb:us-east-1:111122223333:table/Music"]}]}]"#,
    );
    let ddb_other = basic(
        r#"[{"IncludeManagementEvents":false,"DataResources":[{"Type":"AWS::DynamoDB::Table","Values":["arn:aws:dynamodb:us-east-1:111122223333:table/Musical"]}]}]"#,
    );
    let ddb_all = basic(
        r#"[{"IncludeManagementEvents":false,"DataResources":[{"Type":"AWS::DynamoDB::Table","Values":["arn:aws:dynamodb"]}]}]"#,
    );
    let two_selectors = basic(
        r#"[{"ReadWriteType":"ReadOnly"},{"IncludeManagementEvents":false,"DataResources":[{"Type":"AWS::Lambda::Function","Values":["arn:aws:lambda"]}]}]"#,
    );
    vec![
        case("default: management read", DEFAULT_BASIC, MGMT_READ, true),
        case("default: management write", DEFAULT_BASIC, MGMT_WRITE, true),
        case(
            "default: unknown readOnly",
            DEFAULT_BASIC,
            MGMT_UNKNOWN_READ_ONLY,
            true,
        ),
        case("default: no data events", DEFAULT_BASIC, S3_GET, false),
        case(
            "default: no network activity",
            DEFAULT_BASIC,
            NET_DENIED,
            false,
        ),
        case("default: no insights", DEFAULT_BASIC, INSIGHT, false),
        case("ReadOnly: read", &read_only, MGMT_READ, true),
        case(
            "ReadOnly: readOnly as string",
            &read_only,
            MGMT_READ_STRING,
            true,
        ),
        case("ReadOnly: write", &read_only, MGMT_WRITE, false),
        case(
            "ReadOnly: unknown counts as write",
            &read_only,
            MGMT_UNKNOWN_READ_ONLY,
            false,
        ),
        case("WriteOnly: read", &write_only, MGMT_READ, false),
        case("WriteOnly: write", &write_only, MGMT_WRITE, true),
        case(
            "WriteOnly: unknown counts as write",
            &write_only,
            MGMT_UNKNOWN_READ_ONLY,
            true,
        ),
        case("exclude kms: kms", &exclude_kms, KMS_READ, false),
        case(
            "exclude kms: rdsdata kept",
            &exclude_kms,
            RDSDATA_WRITE,
            true,
        ),
        case("exclude kms: others kept", &exclude_kms, MGMT_READ, true),
        case("exclude both: rdsdata", &exclude_both, RDSDATA_WRITE, false),
        case(
            "exclusions apply to management only",
            &exclude_kms,
            NET_KMS_OK,
            false,
        ),
        case("data only: no management", &all_s3_only, MGMT_READ, false),
        case("arn:aws:s3: object read", &all_s3_only, S3_GET, true),
        case("arn:aws:s3: object write", &all_s3_only, S3_PUT, true),
        case(
            "arn:aws:s3: old derived data record",
            &all_s3_only,
            S3_OLD_DATA,
            true,
        ),
        case(
            "arn:aws:s3: not lambda",
            &all_s3_only,
            LAMBDA_HELLOWORLD,
            false,
        ),
        case(
            "arn:aws:s3: not network activity",
            &all_s3_only,
            NET_DENIED,
            false,
        ),
        case("arn:aws:s3::: legacy form", &legacy_all_s3, S3_PUT, true),
        case("bucket/: object in bucket", &bucket, S3_GET, true),
        case("bucket/: other bucket", &bucket, S3_PUT, false),
        case("bucket/: management still in", &bucket, MGMT_WRITE, true),
        case("bucket/logs/: prefix", &bucket_prefix, S3_GET, true),
        case("bucket/other: prefix", &other_prefix, S3_GET, false),
        case("data WriteOnly: read object", &s3_write_only, S3_GET, false),
        case(
            "data WriteOnly: written object",
            &s3_write_only,
            S3_PUT,
            true,
        ),
        case(
            "lambda exact: same function",
            &lambda_exact,
            LAMBDA_HELLOWORLD,
            true,
        ),
        case(
            "lambda exact: helloworld2",
            &lambda_exact,
            LAMBDA_HELLOWORLD2,
            false,
        ),
        case("lambda all", &lambda_all, LAMBDA_HELLOWORLD2, true),
        case("lambda all: not dynamodb", &lambda_all, DDB_GET, false),
        case("dynamodb exact", &ddb_exact, DDB_GET, true),
        case("dynamodb exact: other table", &ddb_other, DDB_GET, false),
        case("dynamodb all", &ddb_all, DDB_GET, true),
        case("two selectors: first", &two_selectors, MGMT_READ, true),
        case(
            "two selectors: second",
            &two_selectors,
            LAMBDA_HELLOWORLD,
            true,
        ),
        case("two selectors: neither", &two_selectors, MGMT_WRITE, false),
    ]
}

fn management_cases() -> Vec<Case> {
    let reads = management_with(r#"{"Field":"readOnly","Equals":["true"]}"#);
    let writes = management_with(r#"{"Field":"readOnly","Equals":["false"]}"#);
    let no_kms = management_with(r#"{"Field":"eventSource","NotEquals":["kms.amazonaws.com"]}"#);
    let no_kms_rdsdata = management_with(
        r#"{"Field":"eventSource","NotEquals":["kms.amazonaws.com","rdsdata.amazonaws.com"]}"#,
    );
    vec![
        case("management: read", MANAGEMENT_ADVANCED, MGMT_READ, true),
        case("management: write", MANAGEMENT_ADVANCED, MGMT_WRITE, true),
        case("management: not data", MANAGEMENT_ADVANCED, S3_GET, false),
        case(
            "management: not network",
            MANAGEMENT_ADVANCED,
            NET_DENIED,
            false,
        ),
        case(
            "management: not insights",
            MANAGEMENT_ADVANCED,
            INSIGHT,
            false,
        ),
        case("readOnly true: read", &reads, MGMT_READ, true),
        case("readOnly true: string read", &reads, MGMT_READ_STRING, true),
        case("readOnly true: write", &reads, MGMT_WRITE, false),
        case(
            "readOnly true: unknown",
            &reads,
            MGMT_UNKNOWN_READ_ONLY,
            false,
        ),
        case("readOnly false: write", &writes, MGMT_WRITE, true),
        case(
            "readOnly false: unknown counts as write",
            &writes,
            MGMT_UNKNOWN_READ_ONLY,
            true,
        ),
        case("readOnly false: read", &writes, MGMT_READ, false),
        case("NotEquals kms: kms", &no_kms, KMS_READ, false),
        case("NotEquals kms: rdsdata", &no_kms, RDSDATA_WRITE, true),
        case(
            "NotEquals kms, rdsdata: rdsdata",
            &no_kms_rdsdata,
            RDSDATA_WRITE,
            false,
        ),
        case(
            "NotEquals kms, rdsdata: ec2",
            &no_kms_rdsdata,
            MGMT_READ,
            true,
        ),
    ]
}

fn data_cases() -> Vec<Case> {
    let s3 = s3_data_with("");
    let arn = |operator: &str, value: &str| {
        s3_data_with(&format!(
            r#"{{"Field":"resources.ARN","{operator}":["{value}"]}}"#
        ))
    };
    let field = |field: &str, operator: &str, values: &str| {
        s3_data_with(&format!(r#"{{"Field":"{field}","{operator}":{values}}}"#))
    };
    vec![
        case("resources.type S3: get", &s3, S3_GET, true),
        case("resources.type S3: old record", &s3, S3_OLD_DATA, true),
        case(
            "resources.type S3: not lambda",
            &s3,
            LAMBDA_HELLOWORLD,
            false,
        ),
        case("resources.type S3: not management", &s3, MGMT_READ, false),
        case(
            "resources.type S3: not network activity",
            &s3,
            NET_DENIED,
            false,
        ),
        case(
            "ARN Equals: exact",
            &arn("Equals", "arn:aws:s3:::bucket/logs/a.txt"),
            S3_GET,
            true,
        ),
        case(
            "ARN Equals: other",
            &arn("Equals", "arn:aws:s3:::bucket/logs/b.txt"),
            S3_GET,
            false,
        ),
        case(
            "ARN NotEquals: exact",
            &arn("NotEquals", "arn:aws:s3:::bucket/logs/a.txt"),
            S3_GET,
            false,
        ),
        case(
            "ARN NotEquals: other",
            &arn("NotEquals", "arn:aws:s3:::bucket/logs/a.txt"),
            S3_PUT,
            true,
        ),
        case(
            "ARN StartsWith: bucket",
            &arn("StartsWith", "arn:aws:s3:::bucket/"),
            S3_GET,
            true,
        ),
        case(
            "ARN StartsWith: other bucket",
            &arn("StartsWith", "arn:aws:s3:::bucket/"),
            S3_PUT,
            false,
        ),
        // The bucket element (`arn:aws:s3:::bucket`, no slash) must not satisfy the
        // exclusion meant for the object element: all resources.* hold on one element.
        case(
            "ARN NotStartsWith: excluded bucket",
            &arn("NotStartsWith", "arn:aws:s3:::bucket/"),
            S3_GET,
            false,
        ),
        case(
            "ARN NotStartsWith: other bucket",
            &arn("NotStartsWith", "arn:aws:s3:::bucket/"),
            S3_PUT,
            true,
        ),
        case("ARN EndsWith: .txt", &arn("EndsWith", ".txt"), S3_GET, true),
        case(
            "ARN EndsWith: .txt on json",
            &arn("EndsWith", ".txt"),
            S3_PUT,
            false,
        ),
        case(
            "ARN NotEndsWith: .txt",
            &arn("NotEndsWith", ".txt"),
            S3_GET,
            false,
        ),
        case(
            "ARN NotEndsWith: .txt on json",
            &arn("NotEndsWith", ".txt"),
            S3_PUT,
            true,
        ),
        case(
            "ARN wildcard is literal",
            &arn("StartsWith", "arn:aws:s3:::*"),
            S3_GET,
            false,
        ),
        case(
            "eventName Equals any of",
            &field("eventName", "Equals", r#"["PutObject","GetObject"]"#),
            S3_GET,
            true,
        ),
        case(
            "eventName Equals: case-sensitive",
            &field("eventName", "Equals", r#"["getobject"]"#),
            S3_GET,
            false,
        ),
        case(
            "eventName NotEquals none of",
            &field("eventName", "NotEquals", r#"["PutObject","DeleteObject"]"#),
            S3_GET,
            true,
        ),
        case(
            "eventName NotEquals: listed",
            &field("eventName", "NotEquals", r#"["PutObject","GetObject"]"#),
            S3_GET,
            false,
        ),
        case(
            "eventName StartsWith",
            &field("eventName", "StartsWith", r#"["Get"]"#),
            S3_GET,
            true,
        ),
        case(
            "eventName StartsWith: no",
            &field("eventName", "StartsWith", r#"["Get"]"#),
            S3_PUT,
            false,
        ),
        case(
            "eventName NotStartsWith",
            &field("eventName", "NotStartsWith", r#"["Get"]"#),
            S3_PUT,
            true,
        ),
        case(
            "eventName NotStartsWith: no",
            &field("eventName", "NotStartsWith", r#"["Get"]"#),
            S3_GET,
            false,
        ),
        case(
            "eventName EndsWith",
            &field("eventName", "EndsWith", r#"["Object"]"#),
            S3_GET,
            true,
        ),
        case(
            "eventName NotEndsWith",
            &field("eventName", "NotEndsWith", r#"["Object"]"#),
            S3_GET,
            false,
        ),
        case(
            "eventSource StartsWith",
            &field("eventSource", "StartsWith", r#"["s3."]"#),
            S3_GET,
            true,
        ),
        case(
            "eventSource NotEquals",
            &field("eventSource", "NotEquals", r#"["s3.amazonaws.com"]"#),
            S3_GET,
            false,
        ),
        case(
            "eventType Equals",
            &field("eventType", "Equals", r#"["AwsApiCall"]"#),
            S3_GET,
            true,
        ),
        case(
            "eventType NotEquals",
            &field("eventType", "NotEquals", r#"["AwsApiCall"]"#),
            S3_GET,
            false,
        ),
        case(
            "eventType absent: Equals",
            &field("eventType", "Equals", r#"["AwsApiCall"]"#),
            S3_OLD_DATA,
            false,
        ),
        case(
            "eventType absent: NotEquals",
            &field("eventType", "NotEquals", r#"["AwsApiCall"]"#),
            S3_OLD_DATA,
            true,
        ),
        case(
            "readOnly true: read object",
            &field("readOnly", "Equals", r#"["true"]"#),
            S3_GET,
            true,
        ),
        case(
            "readOnly true: written object",
            &field("readOnly", "Equals", r#"["true"]"#),
            S3_PUT,
            false,
        ),
        case(
            "console Equals true",
            &field("sessionCredentialFromConsole", "Equals", r#"["true"]"#),
            S3_GET,
            true,
        ),
        case(
            "console Equals true: absent",
            &field("sessionCredentialFromConsole", "Equals", r#"["true"]"#),
            S3_PUT,
            false,
        ),
        case(
            "console NotEquals true",
            &field("sessionCredentialFromConsole", "NotEquals", r#"["true"]"#),
            S3_GET,
            false,
        ),
        case(
            "console NotEquals true: absent",
            &field("sessionCredentialFromConsole", "NotEquals", r#"["true"]"#),
            S3_PUT,
            true,
        ),
        case(
            "userIdentity.arn EndsWith",
            &field("userIdentity.arn", "EndsWith", r#"["/alice"]"#),
            S3_GET,
            true,
        ),
        case(
            "userIdentity.arn StartsWith",
            &field("userIdentity.arn", "StartsWith", r#"["arn:aws:sts::"]"#),
            S3_PUT,
            false,
        ),
        case(
            "userIdentity.arn NotStartsWith",
            &field("userIdentity.arn", "NotStartsWith", r#"["arn:aws:sts::"]"#),
            S3_PUT,
            true,
        ),
        case(
            "userIdentity.arn absent: NotEndsWith",
            &field("userIdentity.arn", "NotEndsWith", r#"["/alice"]"#),
            S3_OLD_DATA,
            true,
        ),
        case(
            "two lists on one field: both hold",
            &s3_data_with(
                r#"{"Field":"eventName","StartsWith":["Get","Put"],"NotEquals":["PutObject"]}"#,
            ),
            S3_GET,
            true,
        ),
        case(
            "two lists on one field: negative fails",
            &s3_data_with(
                r#"{"Field":"eventName","StartsWith":["Get","Put"],"NotEquals":["PutObject"]}"#,
            ),
            S3_PUT,
            false,
        ),
        case(
            "field selectors are ANDed",
            &s3_data_with(
                r#"{"Field":"eventName","Equals":["GetObject"]},{"Field":"readOnly","Equals":["false"]}"#,
            ),
            S3_GET,
            false,
        ),
        case(
            "lambda exact ARN",
            &data_with(
                "AWS::Lambda::Function",
                r#"{"Field":"resources.ARN","Equals":["arn:aws:lambda:us-west-2:111111111111:function:helloworld"]}"#,
            ),
            LAMBDA_HELLOWORLD2,
            false,
        ),
        case(
            "dynamodb type",
            &data_with("AWS::DynamoDB::Table", ""),
            DDB_GET,
            true,
        ),
    ]
}

fn network_cases() -> Vec<Case> {
    let s3 = network_with("s3.amazonaws.com", "");
    let denied = network_with(
        "s3.amazonaws.com",
        r#"{"Field":"errorCode","Equals":["VpceAccessDenied"]}"#,
    );
    let kms_denied = network_with(
        "kms.amazonaws.com",
        r#"{"Field":"errorCode","Equals":["VpceAccessDenied"]}"#,
    );
    let kms = network_with("kms.amazonaws.com", "");
    let endpoint = |operator: &str, value: &str| {
        network_with(
            "kms.amazonaws.com",
            &format!(r#"{{"Field":"vpcEndpointId","{operator}":["{value}"]}}"#),
        )
    };
    let two_sources = r#"{"AdvancedEventSelectors":[
        {"FieldSelectors":[{"Field":"eventCategory","Equals":["NetworkActivity"]},{"Field":"eventSource","Equals":["kms.amazonaws.com"]}]},
        {"FieldSelectors":[{"Field":"eventCategory","Equals":["NetworkActivity"]},{"Field":"eventSource","Equals":["s3.amazonaws.com"]}]},
        {"FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]}"#;
    vec![
        case("network s3: s3 event", &s3, NET_DENIED, true),
        case("network s3: old derived record", &s3, NET_OLD, true),
        case("network s3: kms event", &s3, NET_KMS_OK, false),
        case("network s3: not the data event", &s3, S3_GET, false),
        case("network s3: not management", &s3, MGMT_READ, false),
        case("access denied template: denied", &denied, NET_DENIED, true),
        case(
            "access denied template: no error",
            &kms_denied,
            NET_KMS_OK,
            false,
        ),
        case("network kms: no error", &kms, NET_KMS_OK, true),
        case(
            "vpcEndpointId Equals",
            &endpoint("Equals", "vpce-9999"),
            NET_KMS_OK,
            true,
        ),
        case(
            "vpcEndpointId NotEquals",
            &endpoint("NotEquals", "vpce-9999"),
            NET_KMS_OK,
            false,
        ),
        case(
            "vpcEndpointId StartsWith",
            &endpoint("StartsWith", "vpce-"),
            NET_KMS_OK,
            true,
        ),
        case(
            "vpcEndpointId NotStartsWith",
            &endpoint("NotStartsWith", "vpce-1"),
            NET_KMS_OK,
            true,
        ),
        case(
            "vpcEndpointId EndsWith",
            &endpoint("EndsWith", "99"),
            NET_KMS_OK,
            true,
        ),
        case(
            "vpcEndpointId NotEndsWith",
            &endpoint("NotEndsWith", "99"),
            NET_KMS_OK,
            false,
        ),
        case(
            "network eventName",
            &network_with(
                "s3.amazonaws.com",
                r#"{"Field":"eventName","Equals":["GetObject"]}"#,
            ),
            NET_DENIED,
            true,
        ),
        case(
            "network userIdentity.arn",
            &network_with(
                "s3.amazonaws.com",
                r#"{"Field":"userIdentity.arn","NotEndsWith":[":root"]}"#,
            ),
            NET_DENIED,
            false,
        ),
        case("selectors are ORed: kms", two_sources, NET_KMS_OK, true),
        case("selectors are ORed: s3", two_sources, NET_DENIED, true),
        case(
            "selectors are ORed: management",
            two_sources,
            MGMT_WRITE,
            true,
        ),
        case("selectors are ORed: data", two_sources, S3_GET, false),
        case("selectors are ORed: insights", two_sources, INSIGHT, false),
    ]
}

fn run(cases: Vec<Case>) {
    let mut failures = Vec::new();
    for case in &cases {
        let compiled = compile(&case.config);
        let found = selects(&compiled, case.record);
        if found != case.expected {
            failures.push(format!(
                "{}: expected {}, got {found}\n  config: {}",
                case.name, case.expected, case.config
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn basic_selectors_select_per_section_5_1() {
    run(basic_cases());
}

#[test]
fn advanced_management_selectors_select_per_section_5_2() {
    run(management_cases());
}

#[test]
fn advanced_data_selectors_select_per_section_5_2() {
    run(data_cases());
}

#[test]
fn advanced_network_activity_selectors_select_per_section_5_2() {
    run(network_cases());
}
