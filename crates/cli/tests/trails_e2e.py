"""End-to-end checks of the trail operations of `opentrail serve` with the real aws CLI
and boto3.

Run by `tests/trails_api.rs`, which starts the server on 127.0.0.1 (region us-east-1,
admin account 111111111111) and stops it afterwards. Environment:

  OPENTRAIL_ENDPOINT      http://127.0.0.1:PORT
  OPENTRAIL_CREDENTIALS   the admin key's shared-credentials file (DIR/credentials)
  OPENTRAIL_DATA_DIR      the server's data directory (local buckets live in DIR/buckets/)
  OPENTRAIL_AUDITOR       KEY:SECRET of a read-only key of account 222222222222
  OPENTRAIL_PHASE         "first" (create and exercise trails) or "restarted" (what the
                          first phase left is still there)

Exits non-zero with a message on the first failed check.
"""

import os

import boto3
import botocore

from e2e_support import admin_key, aws, check, fail

ENDPOINT = os.environ["OPENTRAIL_ENDPOINT"]
REGION = "us-east-1"
ADMIN_ACCOUNT = "111111111111"
AUDITOR = tuple(os.environ["OPENTRAIL_AUDITOR"].split(":"))
DATA_DIR = os.environ["OPENTRAIL_DATA_DIR"]
PHASE = os.environ.get("OPENTRAIL_PHASE", "first")
BUCKET = "audit-logs"


def arn(name):
    return f"arn:aws:cloudtrail:{REGION}:{ADMIN_ACCOUNT}:trail/{name}"


def client(key):
    return boto3.client(
        "cloudtrail",
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id=key[0],
        aws_secret_access_key=key[1],
        config=botocore.config.Config(retries={"max_attempts": 1}),
    )


def raises(exception, call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except exception as error:
        return error.response["Error"]["Message"]
    fail(f"{call.__name__}{args}{kwargs} did not raise {exception.__name__}")


def cli_phase():
    os.makedirs(os.path.join(DATA_DIR, "buckets", BUCKET), exist_ok=True)
    created = aws(["create-trail", "--name", "cli-trail", "--s3-bucket-name", BUCKET, "--s3-key-prefix", "logs",
                   "--is-multi-region-trail", "--enable-log-file-validation",
                   "--tags-list", "Key=team,Value=security"])
    check(created["TrailARN"] == arn("cli-trail"), f"create-trail: {created}")
    check(created["IsMultiRegionTrail"] is True and created["LogFileValidationEnabled"] is True, str(created))
    check(created["S3KeyPrefix"] == "logs" and "KmsKeyId" not in created, str(created))

    described = aws(["describe-trails"])["trailList"]
    check([trail["Name"] for trail in described] == ["cli-trail"], f"describe-trails: {described}")
    check(described[0]["HomeRegion"] == REGION and described[0]["HasCustomEventSelectors"] is False, str(described))
    described = aws(["describe-trails", "--trail-name-list", arn("cli-trail"), "unknown", "--no-include-shadow-trails"])
    check(len(described["trailList"]) == 1, f"describe-trails by name: {described}")
    trail = aws(["get-trail", "--name", "cli-trail"])["Trail"]
    check(trail["TrailARN"] == arn("cli-trail") and trail["HasInsightSelectors"] is False, f"get-trail: {trail}")

    status = aws(["get-trail-status", "--name", "cli-trail"])
    check(status["IsLogging"] is False and status["TimeLoggingStarted"] == "", f"new trail status: {status}")
    aws(["start-logging", "--name", "cli-trail"])
    aws(["start-logging", "--name", arn("cli-trail")])
    status = aws(["get-trail-status", "--name", arn("cli-trail")])
    check(status["IsLogging"] is True and "StartLoggingTime" in status, f"logging status: {status}")
    check(status["TimeLoggingStarted"].endswith("Z"), str(status))
    aws(["stop-logging", "--name", "cli-trail"])
    status = aws(["get-trail-status", "--name", "cli-trail"])
    check(status["IsLogging"] is False and "StopLoggingTime" in status, f"stopped status: {status}")

    basic = aws(["put-event-selectors", "--trail-name", "cli-trail", "--event-selectors",
                 '[{"ReadWriteType":"WriteOnly","IncludeManagementEvents":true,'
                 '"DataResources":[{"Type":"AWS::S3::Object","Values":["arn:aws:s3:::audit-logs/"]}]}]'])
    check(basic["EventSelectors"][0]["ReadWriteType"] == "WriteOnly", f"put-event-selectors basic: {basic}")
    check(basic["EventSelectors"][0]["ExcludeManagementEventSources"] == [], str(basic))
    fetched = aws(["get-event-selectors", "--trail-name", "cli-trail"])
    check(fetched["EventSelectors"] == basic["EventSelectors"] and "AdvancedEventSelectors" not in fetched, str(fetched))
    advanced = aws(["put-event-selectors", "--trail-name", "cli-trail", "--advanced-event-selectors",
                    '[{"Name":"Management events selector","FieldSelectors":[{"Field":"eventCategory","Equals":["Management"]}]}]'])
    check(advanced["AdvancedEventSelectors"][0]["Name"] == "Management events selector", str(advanced))
    fetched = aws(["get-event-selectors", "--trail-name", arn("cli-trail")])
    check("EventSelectors" not in fetched and len(fetched["AdvancedEventSelectors"]) == 1, str(fetched))
    stderr = aws(["put-event-selectors", "--trail-name", "cli-trail", "--event-selectors", "[]",
                  "--advanced-event-selectors", "[]"], expect_ok=False)
    check("InvalidEventSelectorsException" in stderr, f"both selector kinds: {stderr}")

    insights = aws(["put-insight-selectors", "--trail-name", "cli-trail", "--insight-selectors",
                    '[{"InsightType":"ApiCallRateInsight"}]'])
    check(insights["InsightSelectors"] == [{"InsightType": "ApiCallRateInsight"}], f"put-insight-selectors: {insights}")
    check(aws(["get-insight-selectors", "--trail-name", "cli-trail"])["InsightSelectors"] == insights["InsightSelectors"],
          "get-insight-selectors")
    aws(["put-insight-selectors", "--trail-name", "cli-trail", "--insight-selectors", "[]"])
    stderr = aws(["get-insight-selectors", "--trail-name", "cli-trail"], expect_ok=False)
    check("InsightNotEnabledException" in stderr and "does not have Insights enabled" in stderr, stderr)

    aws(["add-tags", "--resource-id", arn("cli-trail"), "--tags-list", "Key=stage,Value=test", "Key=flag"])
    tags = aws(["list-tags", "--resource-id-list", arn("cli-trail")])["ResourceTagList"]
    check(tags == [{"ResourceId": arn("cli-trail"), "TagsList": [
        {"Key": "team", "Value": "security"}, {"Key": "stage", "Value": "test"}, {"Key": "flag"}]}], f"list-tags: {tags}")
    aws(["remove-tags", "--resource-id", arn("cli-trail"), "--tags-list", "Key=flag"])
    tags = aws(["list-tags", "--resource-id-list", arn("cli-trail")])["ResourceTagList"][0]["TagsList"]
    check([tag["Key"] for tag in tags] == ["team", "stage"], f"after remove-tags: {tags}")

    aws(["create-trail", "--name", "second", "--s3-bucket-name", BUCKET])
    listed = aws(["list-trails"])["Trails"]
    check([trail["Name"] for trail in listed] == ["cli-trail", "second"], f"list-trails: {listed}")
    updated = aws(["update-trail", "--name", "second", "--no-enable-log-file-validation", "--s3-key-prefix", "other",
                   "--kms-key-id", "alias/trail-key"])
    check(updated["S3KeyPrefix"] == "other" and updated["LogFileValidationEnabled"] is False, f"update-trail: {updated}")
    check(updated["KmsKeyId"] == f"arn:aws:kms:{REGION}:{ADMIN_ACCOUNT}:alias/trail-key", str(updated))
    aws(["delete-trail", "--name", "second"])
    stderr = aws(["get-trail", "--name", "second"], expect_ok=False)
    check("TrailNotFoundException" in stderr and f"Unknown trail: second for the user: {ADMIN_ACCOUNT}" in stderr, stderr)
    stderr = aws(["create-trail", "--name", "x", "--s3-bucket-name", BUCKET], expect_ok=False)
    check("InvalidTrailNameException" in stderr and "Trail name too short" in stderr, stderr)
    print("ok aws cli")


def boto3_phase():
    admin = client(admin_key())
    created = admin.create_trail(Name="boto-trail", S3BucketName=BUCKET, TagsList=[{"Key": "k", "Value": "v"}])
    check(created["TrailARN"] == arn("boto-trail"), str(created))
    check(admin.get_trail(Name=arn("boto-trail"))["Trail"]["Name"] == "boto-trail", "get_trail")
    names = [trail["Name"] for trail in admin.describe_trails(includeShadowTrails=True)["trailList"]]
    check(names == ["boto-trail", "cli-trail"], f"describe_trails: {names}")
    pages = list(admin.get_paginator("list_trails").paginate())
    check(sum(len(page["Trails"]) for page in pages) == 2, f"list_trails pages: {pages}")
    admin.start_logging(Name="boto-trail")
    status = admin.get_trail_status(Name="boto-trail")
    check(status["IsLogging"] is True and status["StartLoggingTime"].year >= 2024, f"get_trail_status: {status}")
    admin.stop_logging(Name="boto-trail")
    selectors = admin.put_event_selectors(TrailName="boto-trail", EventSelectors=[{"ReadWriteType": "ReadOnly"}])
    check(selectors["EventSelectors"][0]["IncludeManagementEvents"] is True, str(selectors))
    check(admin.get_event_selectors(TrailName="boto-trail")["EventSelectors"] == selectors["EventSelectors"], "get_event_selectors")
    advanced = [{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}]
    check("AdvancedEventSelectors" in admin.put_event_selectors(TrailName="boto-trail", AdvancedEventSelectors=advanced),
          "put_event_selectors advanced")
    admin.put_insight_selectors(TrailName="boto-trail", InsightSelectors=[{"InsightType": "ApiErrorRateInsight"}])
    got = admin.get_insight_selectors(TrailName="boto-trail")["InsightSelectors"]
    check(got == [{"InsightType": "ApiErrorRateInsight"}], f"get_insight_selectors: {got}")
    admin.add_tags(ResourceId=arn("boto-trail"), TagsList=[{"Key": "more"}])
    tags = admin.list_tags(ResourceIdList=[arn("boto-trail")])["ResourceTagList"][0]["TagsList"]
    check(tags == [{"Key": "k", "Value": "v"}, {"Key": "more"}], f"list_tags: {tags}")
    admin.remove_tags(ResourceId=arn("boto-trail"), TagsList=[{"Key": "k"}])
    updated = admin.update_trail(Name="boto-trail", IsMultiRegionTrail=True)
    check(updated["IsMultiRegionTrail"] is True, str(updated))

    # The modeled exceptions boto3 raises.
    exceptions = admin.exceptions
    message = raises(exceptions.TrailNotFoundException, admin.get_trail, Name="missing")
    check(message == f"Unknown trail: missing for the user: {ADMIN_ACCOUNT}", message)
    message = raises(exceptions.TrailNotFoundException, admin.get_trail_status, Name="missing")
    check(message == f"Unknown trail: {arn('missing')} for the user: {ADMIN_ACCOUNT}", message)
    raises(exceptions.TrailAlreadyExistsException, admin.create_trail, Name="boto-trail", S3BucketName=BUCKET)
    raises(exceptions.InvalidTrailNameException, admin.create_trail, Name="my--trail", S3BucketName=BUCKET)
    raises(exceptions.S3BucketDoesNotExistException, admin.create_trail, Name="nobucket", S3BucketName="no-such-bucket")
    raises(exceptions.InvalidS3BucketNameException, admin.create_trail, Name="badbucket", S3BucketName="Bad_Bucket")
    message = raises(exceptions.InvalidParameterCombinationException, admin.create_trail, Name="noglobal",
                     S3BucketName=BUCKET, IsMultiRegionTrail=True, IncludeGlobalServiceEvents=False)
    check(message == "Multi-Region trail must include global service events.", message)
    raises(exceptions.InsufficientSnsTopicPolicyException, admin.create_trail, Name="topic", S3BucketName=BUCKET,
           SnsTopicName="alerts")
    raises(exceptions.InvalidKmsKeyIdException, admin.create_trail, Name="kms", S3BucketName=BUCKET, KmsKeyId="nope")
    raises(exceptions.OrganizationsNotInUseException, admin.create_trail, Name="org", S3BucketName=BUCKET,
           IsOrganizationTrail=True)
    raises(exceptions.CloudTrailARNInvalidException, admin.get_trail, Name="arn:aws:cloudtrail:us-east-1:1:trail/x")
    raises(exceptions.InvalidEventSelectorsException, admin.put_event_selectors, TrailName="boto-trail",
           AdvancedEventSelectors=[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Insight"]}]}])
    raises(exceptions.InvalidInsightSelectorsException, admin.put_insight_selectors, TrailName="boto-trail",
           InsightSelectors=[{"InsightType": "ApiCallRateInsight", "EventCategories": ["Data"]}])
    raises(exceptions.InvalidTagParameterException, admin.add_tags, ResourceId=arn("boto-trail"),
           TagsList=[{"Key": "dup"}, {"Key": "dup"}])
    raises(exceptions.TagsLimitExceededException, admin.add_tags, ResourceId=arn("boto-trail"),
           TagsList=[{"Key": f"k{index}"} for index in range(50)])
    raises(exceptions.ResourceNotFoundException, admin.list_tags, ResourceIdList=[arn("missing")])
    raises(exceptions.InvalidParameterException, admin.list_tags, ResourceIdList=[arn("boto-trail")] * 21)
    for name in ["third", "fourth", "fifth"]:
        admin.create_trail(Name=name, S3BucketName=BUCKET)
    raises(exceptions.MaximumNumberOfTrailsExceededException, admin.create_trail, Name="sixth", S3BucketName=BUCKET)
    for name in ["third", "fourth", "fifth"]:
        admin.delete_trail(Name=name)

    # Another account sees none of these trails, and a read-only key cannot change them.
    auditor = client(AUDITOR)
    check(auditor.describe_trails()["trailList"] == [], "another account's describe_trails")
    raises(auditor.exceptions.TrailNotFoundException, auditor.get_trail, Name=arn("boto-trail"))
    try:
        auditor.delete_trail(Name=arn("boto-trail"))
        fail("a read-only key deleted a trail")
    except botocore.exceptions.ClientError as error:
        check(error.response["Error"]["Code"] == "AccessDeniedException", str(error))
    print("ok boto3")


def restarted_phase():
    admin = client(admin_key())
    trails = {trail["Name"]: trail for trail in admin.describe_trails()["trailList"]}
    check(sorted(trails) == ["boto-trail", "cli-trail"], f"trails after restart: {sorted(trails)}")
    check(trails["boto-trail"]["IsMultiRegionTrail"] is True and trails["boto-trail"]["HasInsightSelectors"] is True,
          str(trails["boto-trail"]))
    tags = admin.list_tags(ResourceIdList=[arn("cli-trail")])["ResourceTagList"][0]["TagsList"]
    check([tag["Key"] for tag in tags] == ["team", "stage"], f"tags after restart: {tags}")
    status = admin.get_trail_status(Name="cli-trail")
    check(status["IsLogging"] is False and "StopLoggingTime" in status, f"status after restart: {status}")
    admin.delete_trail(Name="boto-trail")
    admin.delete_trail(Name="cli-trail")
    check(admin.list_trails()["Trails"] == [], "list_trails after deleting everything")
    print("ok after restart")


if __name__ == "__main__":
    if PHASE == "first":
        cli_phase()
        boto3_phase()
    else:
        restarted_phase()
