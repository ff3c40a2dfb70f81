"""End-to-end checks of Insights in `opentrail serve` with the real aws CLI and boto3:
Insights selectors on a trail and on an event data store, eight days of history through
/ingest, a burst now, and the Insights event in event history, in the trail's
`CloudTrail-Insight/` files, in the Insights store, and the rate line in
ListInsightsMetricData; after a restart, the analyzer's state is still there.

Run by `tests/insights_api.rs`, which starts the server on 127.0.0.1 (region us-east-1,
admin account 111111111111, late history taken into baselines at once, trail files
written every second) and stops it afterwards. Environment:

  OPENTRAIL_ENDPOINT      http://127.0.0.1:PORT
  OPENTRAIL_CREDENTIALS   the admin key's shared-credentials file (DIR/credentials)
  OPENTRAIL_DATA_DIR      the server's data directory (local buckets live in DIR/buckets/)
  OPENTRAIL_STATE         a JSON file the first phase leaves for the second
  OPENTRAIL_PHASE         "first" or "restarted"

Exits non-zero with a message on the first failed check.
"""

import datetime
import glob
import gzip
import json
import os
import time

import boto3
import botocore

from e2e_support import admin_key, aws, check, signed_post, until

ENDPOINT = os.environ["OPENTRAIL_ENDPOINT"]
REGION = "us-east-1"
ACCOUNT = "111111111111"
DATA_DIR = os.environ["OPENTRAIL_DATA_DIR"]
STATE = os.environ["OPENTRAIL_STATE"]
PHASE = os.environ.get("OPENTRAIL_PHASE", "first")
BUCKET = "insights-trail"
ROLE = "arn:aws:sts::111111111111:assumed-role/Cleanup/cleanup-fn"
ALICE = "arn:aws:iam::111111111111:user/alice"
DEADLINE_SECS = 60


KEY = admin_key()
CT = boto3.client(
    "cloudtrail",
    endpoint_url=ENDPOINT,
    region_name=REGION,
    aws_access_key_id=KEY[0],
    aws_secret_access_key=KEY[1],
    config=botocore.config.Config(retries={"max_attempts": 1}),
)


def ingest(records):
    for start in range(0, len(records), 5000):
        body = "\n".join(json.dumps(one) for one in records[start : start + 5000]).encode()
        status, _, answer = signed_post("/ingest", body, {"Content-Type": "application/x-ndjson"}, KEY)
        check(status == 200, f"/ingest answered {status}: {answer}")


def record(time_, arn):
    return {
        "eventVersion": "1.08",
        "userIdentity": {"type": "IAMUser", "arn": arn, "accountId": ACCOUNT},
        "eventTime": time_.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": "ec2.amazonaws.com",
        "eventName": "RunInstances",
        "awsRegion": REGION,
        "sourceIPAddress": "192.0.2.7",
        "userAgent": "insights-e2e",
        "requestParameters": None,
        "responseElements": None,
        "readOnly": False,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management",
    }


def metric(args):
    return aws(
        [
            "list-insights-metric-data",
            "--event-source",
            "ec2.amazonaws.com",
            "--event-name",
            "RunInstances",
            "--insight-type",
            "ApiCallRateInsight",
        ]
        + args
    )


def per_minute(now):
    """The burst's minutes and the two before, zeros filled."""
    return metric(
        [
            "--period",
            "60",
            "--data-type",
            "FillWithZeros",
            "--start-time",
            (now - datetime.timedelta(minutes=3)).isoformat(),
            "--end-time",
            (now + datetime.timedelta(minutes=1)).isoformat(),
        ]
    )


def insight_events():
    found = aws(["lookup-events", "--event-category", "insight", "--start-time", "2000-01-01T00:00:00Z"])
    return [json.loads(event["CloudTrailEvent"]) for event in found.get("Events", [])]


def first_phase():
    os.makedirs(os.path.join(DATA_DIR, "buckets", BUCKET), exist_ok=True)
    aws(["create-trail", "--name", "audit", "--s3-bucket-name", BUCKET])
    aws(["start-logging", "--name", "audit"])
    put = aws(
        [
            "put-insight-selectors",
            "--trail-name",
            "audit",
            "--insight-selectors",
            '[{"InsightType":"ApiCallRateInsight"},{"InsightType":"ApiErrorRateInsight"}]',
        ]
    )
    check(len(put["InsightSelectors"]) == 2, f"put-insight-selectors: {put}")
    got = aws(["get-insight-selectors", "--trail-name", "audit"])
    check(got["InsightSelectors"] == put["InsightSelectors"], f"get-insight-selectors: {got}")

    source = CT.create_event_data_store(Name="events", MultiRegionEnabled=False)
    destination = CT.create_event_data_store(
        Name="insights",
        MultiRegionEnabled=False,
        AdvancedEventSelectors=[{"FieldSelectors": [{"Field": "eventCategory", "Equals": ["Insight"]}]}],
    )
    CT.put_insight_selectors(
        EventDataStore=source["EventDataStoreArn"],
        InsightsDestination=destination["EventDataStoreArn"],
        InsightSelectors=[{"InsightType": "ApiCallRateInsight"}],
    )
    store_selectors = CT.get_insight_selectors(EventDataStore=source["EventDataStoreArn"])
    check(
        store_selectors["InsightsDestination"] == destination["EventDataStoreArn"],
        f"get_insight_selectors of the store: {store_selectors}",
    )

    # Eight days of one call a minute, up to ten minutes ago.
    now = datetime.datetime.now(datetime.timezone.utc).replace(second=0, microsecond=0)
    history = [record(now - datetime.timedelta(minutes=minute), ALICE) for minute in range(10, 8 * 1440 + 10)]
    ingest(history)

    def history_counted():
        series = metric(["--start-time", (now - datetime.timedelta(days=9)).isoformat()])
        return sum(series["Values"]) == len(history)

    until("the history counted", history_counted, DEADLINE_SECS, 0.2)

    # The burst: 40 calls in the minute before and 40 in this one, by a role.
    burst = []
    for minute in (1, 0):
        start = now - datetime.timedelta(minutes=minute)
        burst += [record(start + datetime.timedelta(seconds=second), ROLE) for second in range(40)]
    ingest(burst)

    starts = until("the Start in event history", insight_events, DEADLINE_SECS, 0.2)
    check(len(starts) == 1, f"one Insights event: {starts}")
    start = starts[0]
    details = start["insightDetails"]
    check(start["eventCategory"] == "Insight" and start["eventType"] == "AwsCloudTrailInsight", f"{start}")
    check(details["state"] == "Start" and details["insightType"] == "ApiCallRateInsight", f"{details}")
    check(details["eventSource"] == "ec2.amazonaws.com" and details["eventName"] == "RunInstances", f"{details}")
    statistics = details["insightContext"]["statistics"]
    check(statistics["baseline"]["average"] == 1.0, f"baseline: {statistics}")
    check(statistics["baselineDuration"] >= 7 * 1440, f"baselineDuration: {statistics}")
    who = details["insightContext"]["attributions"][0]
    check(who["attribute"] == "userIdentityArn" and who["insight"][0]["value"] == ROLE, f"{who}")
    check(who["baseline"][0]["value"] == ALICE, f"{who}")

    def insight_file():
        pattern = os.path.join(DATA_DIR, "buckets", BUCKET, "AWSLogs", ACCOUNT, "CloudTrail-Insight", REGION, "**", "*.json.gz")
        return glob.glob(pattern, recursive=True)

    files = until("the trail's CloudTrail-Insight file", insight_file, DEADLINE_SECS, 0.2)
    with gzip.open(files[0]) as file:
        delivered = json.load(file)["Records"]
    check([one["eventID"] for one in delivered] == [start["eventID"]], f"delivered: {delivered}")

    destination_id = destination["EventDataStoreArn"].rsplit("/", 1)[1]

    def insight_rows():
        query = CT.start_query(
            QueryStatement=f"SELECT insightstate, insightsource, insighteventname FROM {destination_id}"
        )
        for _ in range(200):
            status = CT.describe_query(QueryId=query["QueryId"])["QueryStatus"]
            if status == "FINISHED":
                break
            check(status in ("QUEUED", "RUNNING"), f"query {status}")
            time.sleep(0.1)
        return CT.get_query_results(QueryId=query["QueryId"])["QueryResultRows"]

    rows = until("the row in the Insights store", insight_rows, DEADLINE_SECS, 0.2)
    check(
        rows == [[{"insightstate": "Start"}, {"insightsource": source["EventDataStoreArn"]}, {"insighteventname": "RunInstances"}]],
        f"rows: {rows}",
    )

    minutes = per_minute(now)
    check(minutes["Values"] == [0.0, 0.0, 40.0, 40.0], f"per-minute values: {minutes}")
    check(len(minutes["Timestamps"]) == 4, f"timestamps: {minutes}")
    paged = CT.list_insights_metric_data(
        EventSource="ec2.amazonaws.com",
        EventName="RunInstances",
        InsightType="ApiCallRateInsight",
        Period=60,
        DataType="FillWithZeros",
        StartTime=now - datetime.timedelta(minutes=3),
        EndTime=now + datetime.timedelta(minutes=1),
        MaxResults=3,
    )
    check(paged["Values"] == [0.0, 0.0, 40.0] and "NextToken" in paged, f"first page: {paged}")
    error = aws(
        ["list-insights-metric-data", "--event-source", "ec2.amazonaws.com", "--event-name", "RunInstances", "--insight-type", "ApiErrorRateInsight"],
        expect_ok=False,
    )
    check("InvalidParameterException" in error and "ErrorCode" in error, f"error rate without ErrorCode: {error}")
    with open(STATE, "w") as file:
        json.dump({"now": now.isoformat(), "start": start, "minutes": minutes["Values"]}, file)


def restarted_phase():
    with open(STATE) as file:
        state = json.load(file)
    now = datetime.datetime.fromisoformat(state["now"])
    starts = insight_events()
    check([one["eventID"] for one in starts] == [state["start"]["eventID"]], f"after the restart: {starts}")
    minutes = per_minute(now)
    check(minutes["Values"] == state["minutes"], f"the metric series after a restart: {minutes}")


if PHASE == "first":
    first_phase()
else:
    restarted_phase()
print("insights_e2e: ok")
