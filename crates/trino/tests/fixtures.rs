//! Expressions as the CloudTrail Lake fixture queries write them, over rows shaped like
//! an event data store's.

use crate::support::{column, column_in, lambda_context};

const EVENTS: &str = r#"(VALUES
    (MAP {'ModifySecurityGroupRulesRequest': '{"GroupId":"sg-1","SecurityGroupRule":{"CidrIpv4":"0.0.0.0/0"}}', 'bucketName': 'b1'},
     [named_struct('arn', 'arn:aws:iam::1:role/r', 'type', 'AWS::IAM::Role')],
     '{"eventData":{"resourceId":"AWS::SSM::ManagedInstanceInventory/i-1","configuration":{"AWS:ComplianceItem":{"Content":{"Patch":{"KB1":{"PatchState":"Installed","Id":"KB1"},"KB2":{"PatchState":"Missing","Id":"KB2"}}}}}}}')
) t(requestParameters, resources, eventJson)"#;

#[tokio::test]
async fn sample_query_expressions_run() {
    let cases = [
        (
            "json_extract_scalar(element_at(requestParameters, 'ModifySecurityGroupRulesRequest'), '$.GroupId')",
            "sg-1",
        ),
        ("element_at(requestParameters, 'bucketName')", "b1"),
        ("element_at(requestParameters, 'missing')", "NULL"),
        // `element_at(resources, 1).arn` needs the SQL layer: DataFusion's planner rejects
        // a field access on a function call or subscript, so these use subscripts.
        ("element_at(resources, 1)['arn']", "arn:aws:iam::1:role/r"),
        ("resources[1]['type']", "AWS::IAM::Role"),
        (
            "replace(json_extract_scalar(eventJson, '$.eventData.resourceId'), 'AWS::SSM::ManagedInstanceInventory/')",
            "i-1",
        ),
        (
            "json_extract(json_parse(eventJson), '$.eventData.configuration.AWS:ComplianceItem.Content.Patch.KB2')",
            r#"{"Id":"KB2","PatchState":"Missing"}"#,
        ),
        (
            "CAST(json_extract(eventJson, '$.eventData.configuration.AWS:ComplianceItem.Content.Patch.KB1.PatchState') AS VARCHAR)",
            "\"Installed\"",
        ),
    ];
    for (expression, expected) in cases {
        let values = column(&format!("SELECT {expression} FROM {EVENTS}"))
            .await
            .unwrap();
        assert_eq!(values, [expected], "{expression}");
    }
}

#[tokio::test]
async fn patch_compliance_lambdas_run_on_arrays_of_json() {
    // The fixture casts JSON to `map(varchar, json)` first, which needs the SQL layer; the
    // lambda part runs on the array of JSON texts that cast would give.
    let ctx = lambda_context();
    let values = column_in(
        &ctx,
        r#"SELECT transform(filter(PatchResult, PatchItem -> json_extract_scalar(PatchItem, '$.PatchState') = 'Installed'), FoundItem -> json_extract(FoundItem, '$.Id'))
           FROM (SELECT ['{"PatchState":"Installed","Id":"KB1"}', '{"PatchState":"Missing","Id":"KB2"}'] AS PatchResult) t"#,
    )
    .await
    .unwrap();
    assert_eq!(values, [r#"["KB1"]"#]);
}
