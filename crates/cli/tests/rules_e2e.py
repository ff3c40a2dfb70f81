"""End-to-end checks of EventBridge-style rules in `opentrail serve` with the real aws CLI
(`aws events …`) and boto3's `events` client: rules and targets through the API, the
envelope a webhook and a file target receive, an input transformer, the rule-state rule
for read-only management events, TestEventPattern, the self-audit of the calls with
`eventSource` `events.amazonaws.com`, and, after a restart, that no routed event was
lost or sent twice.

Run by `tests/rules_api.rs`, which starts the server on 127.0.0.1 (region us-east-1,
admin account 111111111111) and stops it between the phases. Environment:

  OPENTRAIL_ENDPOINT      http://127.0.0.1:PORT
  OPENTRAIL_CREDENTIALS   the admin key's shared-credentials file (DIR/credentials)
  OPENTRAIL_DATA_DIR      the server's data directory (file targets live in DIR/rules/files/)
  OPENTRAIL_PHASE         "first" or "restarted"

The webhook receiver is this script's own HTTP server on 127.0.0.1, stopped when it ends.
Exits non-zero with a message on the first failed check.
"""

import http.server
import json
import os
import threading

import boto3
import botocore

from e2e_support import admin_key, aws, aws_service, check, until

ENDPOINT = os.environ["OPENTRAIL_ENDPOINT"]
REGION = "us-east-1"
ACCOUNT = "111111111111"
DATA_DIR = os.environ["OPENTRAIL_DATA_DIR"]
PHASE = os.environ.get("OPENTRAIL_PHASE", "first")
BUCKET = "rules-trail"
FILES = os.path.join(DATA_DIR, "rules", "files")
TAG_FILE = os.path.join(FILES, "e2e", "tags.ndjson")
READS_FILE = os.path.join(FILES, "e2e", "reads.ndjson")
DEADLINE_SECS = 60

KEY = admin_key()
EVENTS = boto3.client(
    "events",
    endpoint_url=ENDPOINT,
    region_name=REGION,
    aws_access_key_id=KEY[0],
    aws_secret_access_key=KEY[1],
    config=botocore.config.Config(retries={"max_attempts": 1}),
)


def events(args, expect_ok=True):
    return aws_service("events", args, expect_ok)


class Receiver(http.server.BaseHTTPRequestHandler):
    """Keeps every POSTed body and its headers."""

    received = []
    lock = threading.Lock()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        with Receiver.lock:
            Receiver.received.append((self.path, dict(self.headers.items()), body))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def start_receiver():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def posted(path):
    with Receiver.lock:
        return [json.loads(body) for (at, _, body) in Receiver.received if at == path]


def lines(path):
    if not os.path.exists(path):
        return []
    with open(path) as file:
        return [json.loads(line) for line in file if line.strip()]


def tag_calls(count, prefix):
    for index in range(count):
        aws(["add-tags", "--resource-id", trail_arn(), "--tags-list", f"Key={prefix}{index},Value=v"])


def trail_arn():
    return f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/audit"


def recorded_add_tags():
    """The eventIDs of every AddTags call event history holds."""
    found, token = [], None
    while True:
        args = ["lookup-events", "--lookup-attributes", "AttributeKey=EventName,AttributeValue=AddTags", "--max-results", "50"]
        if token:
            args += ["--next-token", token]
        page = aws(args)
        found += [event["EventId"] for event in page["Events"]]
        token = page.get("NextToken")
        if not token:
            return found


TAG_PATTERN = {
    "source": ["aws.cloudtrail"],
    "detail-type": ["AWS API Call via CloudTrail"],
    "detail": {"eventSource": ["cloudtrail.amazonaws.com"], "eventName": ["AddTags"], "readOnly": [False]},
}


def first_phase():
    receiver = start_receiver()
    hook = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
    os.makedirs(os.path.join(DATA_DIR, "buckets", BUCKET), exist_ok=True)
    aws(["create-trail", "--name", "audit", "--s3-bucket-name", BUCKET])
    aws(["start-logging", "--name", "audit"])

    # Rules and targets through the aws CLI.
    put = events(["put-rule", "--name", "trail-tags", "--event-pattern", json.dumps(TAG_PATTERN), "--description", "tags on trails"])
    rule_arn = f"arn:aws:events:{REGION}:{ACCOUNT}:rule/trail-tags"
    check(put == {"RuleArn": rule_arn}, f"put-rule: {put}")
    transformer = {
        "InputPathsMap": {"name": "$.detail.eventName", "who": "$.detail.userIdentity.arn"},
        "InputTemplate": '{"what": <name>, "by": "<who>", "rule": "<aws.events.rule-name>"}',
    }
    targets = [
        {"Id": "hook", "Arn": hook},
        {"Id": "shaped", "Arn": hook + "-shaped", "InputTransformer": transformer},
        {"Id": "file", "Arn": "file:e2e/tags.ndjson"},
    ]
    answer = events(["put-targets", "--rule", "trail-tags", "--targets", json.dumps(targets)])
    check(answer.get("FailedEntryCount") == 0, f"put-targets: {answer}")
    bad = events(["put-targets", "--rule", "trail-tags", "--targets", json.dumps([{"Id": "sqs", "Arn": "arn:aws:sqs:us-east-1:111111111111:q"}])])
    check(bad.get("FailedEntryCount") == 1 and bad["FailedEntries"][0]["TargetId"] == "sqs", f"an SQS target was not refused: {bad}")

    described = events(["describe-rule", "--name", "trail-tags"])
    check(described["Arn"] == rule_arn and described["State"] == "ENABLED", f"describe-rule: {described}")
    check(json.loads(described["EventPattern"]) == TAG_PATTERN, f"describe-rule pattern: {described}")
    check(described["EventBusName"] == "default", f"describe-rule bus: {described}")
    listed = events(["list-targets-by-rule", "--rule", "trail-tags"])["Targets"]
    check(sorted(target["Id"] for target in listed) == ["file", "hook", "shaped"], f"list-targets-by-rule: {listed}")

    # Read-only management events reach only rules in ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS.
    reads = {"source": ["aws.cloudtrail"], "detail": {"eventName": ["DescribeTrails"]}}
    events(["put-rule", "--name", "reads-all", "--event-pattern", json.dumps(reads), "--state", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS"])
    events(["put-targets", "--rule", "reads-all", "--targets", json.dumps([{"Id": "f", "Arn": "file:e2e/reads.ndjson"}])])
    events(["put-rule", "--name", "reads-enabled", "--event-pattern", json.dumps(reads)])
    events(["put-targets", "--rule", "reads-enabled", "--targets", json.dumps([{"Id": "f", "Arn": "file:e2e/reads-enabled.ndjson"}])])
    rules = events(["list-rules", "--name-prefix", "reads-"])["Rules"]
    check(sorted(rule["Name"] for rule in rules) == ["reads-all", "reads-enabled"], f"list-rules: {rules}")

    # The EventBridge API's own calls are audited as events.amazonaws.com and routable.
    audit = {"source": ["aws.events"], "detail": {"eventName": ["DisableRule"]}}
    events(["put-rule", "--name", "rule-changes", "--event-pattern", json.dumps(audit)])
    events(["put-targets", "--rule", "rule-changes", "--targets", json.dumps([{"Id": "hook", "Arn": hook + "-audit"}])])

    # TestEventPattern with the CLI and boto3.
    sample = {
        "id": "7bf73129-1428-4cd3-a780-95db273d1602", "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.cloudtrail", "account": ACCOUNT, "time": "2026-11-22T10:00:00Z", "region": REGION,
        "resources": [], "detail": {"eventSource": "cloudtrail.amazonaws.com", "eventName": "AddTags", "readOnly": False},
    }
    result = events(["test-event-pattern", "--event-pattern", json.dumps(TAG_PATTERN), "--event", json.dumps(sample)])
    check(result == {"Result": True}, f"test-event-pattern: {result}")
    sample["detail"]["readOnly"] = True
    check(EVENTS.test_event_pattern(EventPattern=json.dumps(TAG_PATTERN), Event=json.dumps(sample))["Result"] is False, "boto3 test_event_pattern matched a read")
    error = events(["test-event-pattern", "--event-pattern", json.dumps({"detail": {"eventName": []}}), "--event", json.dumps(sample)], expect_ok=False)
    check("InvalidEventPatternException" in error and "Empty arrays are not allowed" in error, f"an empty array was not refused: {error}")
    try:
        EVENTS.put_rule(Name="bad", EventPattern=json.dumps({"detail": {"x": [{"numeric": [">", "a"]}]}}))
        check(False, "put_rule took an invalid numeric pattern")
    except EVENTS.exceptions.InvalidEventPatternException as invalid:
        check("Event pattern is not valid" in str(invalid), f"put_rule error: {invalid}")
    try:
        EVENTS.put_rule(Name="scheduled", ScheduleExpression="rate(5 minutes)")
        check(False, "put_rule took a schedule")
    except botocore.exceptions.ClientError as refused:
        check(refused.response["Error"]["Code"] == "ValidationException", f"schedule: {refused.response}")
    try:
        EVENTS.describe_rule(Name="nope")
        check(False, "describe_rule found a missing rule")
    except EVENTS.exceptions.ResourceNotFoundException:
        pass
    boto_rule = EVENTS.describe_rule(Name="trail-tags")
    check(boto_rule["Arn"] == rule_arn, f"boto3 describe_rule: {boto_rule}")

    # A rule with targets cannot be deleted; without them it can.
    error = events(["delete-rule", "--name", "reads-enabled"], expect_ok=False)
    check("ValidationException" in error, f"delete-rule with targets: {error}")
    events(["disable-rule", "--name", "reads-enabled"])
    check(events(["describe-rule", "--name", "reads-enabled"])["State"] == "DISABLED", "disable-rule did not take")
    EVENTS.remove_targets(Rule="reads-enabled", Ids=["f"])
    EVENTS.delete_rule(Name="reads-enabled")
    check("reads-enabled" not in [rule["Name"] for rule in EVENTS.list_rules()["Rules"]], "delete-rule did not take")
    # The disable above is a write, so rule-changes (source aws.events) sees it.
    events(["put-rule", "--name", "later", "--event-pattern", json.dumps(reads)])
    events(["disable-rule", "--name", "later"])

    # Events: AddTags calls (writes) and DescribeTrails calls (reads).
    tag_calls(10, "first")
    for _ in range(3):
        aws(["describe-trails"])

    until("the webhook got every AddTags call", lambda: len(posted("/hook")) >= 10, DEADLINE_SECS)
    envelopes = posted("/hook")
    check(len(envelopes) == 10, f"the webhook got {len(envelopes)} envelopes, not 10")
    for envelope in envelopes:
        check(list(envelope)[:8] == ["version", "id", "detail-type", "source", "account", "time", "region", "resources"], f"envelope members: {list(envelope)}")
        check(envelope["version"] == "0" and envelope["detail-type"] == "AWS API Call via CloudTrail", f"envelope: {envelope}")
        check(envelope["source"] == "aws.cloudtrail" and envelope["account"] == ACCOUNT and envelope["region"] == REGION, f"envelope: {envelope}")
        check(envelope["resources"] == [] and envelope["detail"]["eventName"] == "AddTags", f"envelope: {envelope}")
        check(envelope["id"] != envelope["detail"]["eventID"], "the envelope id is the eventID")
        check("eventContext" not in envelope["detail"], "eventContext was routed")
    until("the transformed target got every call", lambda: len(posted("/hook-shaped")) >= 10, DEADLINE_SECS)
    shaped = posted("/hook-shaped")[0]
    check(sorted(shaped) == ["by", "rule", "what"] and shaped["what"] == "AddTags", f"input transformer: {shaped}")
    check(shaped["rule"] == "trail-tags" and shaped["by"].startswith(f"arn:aws:iam::{ACCOUNT}:"), f"input transformer: {shaped}")
    until("the file target got every call", lambda: len(lines(TAG_FILE)) >= 10, DEADLINE_SECS)
    until("the read rule got the DescribeTrails calls", lambda: len(lines(READS_FILE)) >= 3, DEADLINE_SECS)
    check(all(line["detail"]["readOnly"] is True for line in lines(READS_FILE)), "reads file holds a write")
    check(not os.path.exists(os.path.join(FILES, "e2e", "reads-enabled.ndjson")), "an ENABLED rule got read-only management events")
    until("DisableRule reached the aws.events rule", lambda: posted("/hook-audit"), DEADLINE_SECS)
    audited = posted("/hook-audit")[0]
    check(audited["source"] == "aws.events" and audited["detail"]["eventSource"] == "events.amazonaws.com", f"audited: {audited}")

    # The API calls are in event history under events.amazonaws.com.
    history = aws(["lookup-events", "--lookup-attributes", "AttributeKey=EventSource,AttributeValue=events.amazonaws.com", "--max-results", "50"])
    names = {event["EventName"] for event in history["Events"]}
    check({"PutRule", "PutTargets", "DeleteRule", "TestEventPattern"} <= names, f"self-audit of the EventBridge API: {names}")

    # The receiver ends with this phase: its targets go too (the file target stays).
    removed = EVENTS.remove_targets(Rule="trail-tags", Ids=["hook", "shaped"])
    check(removed["FailedEntryCount"] == 0, f"remove_targets: {removed}")
    EVENTS.remove_targets(Rule="rule-changes", Ids=["hook"])
    receiver.shutdown()


def restarted_phase():
    # Rules and targets survived the restart.
    check(EVENTS.describe_rule(Name="trail-tags")["State"] == "ENABLED", "trail-tags is gone after the restart")
    targets = EVENTS.list_targets_by_rule(Rule="trail-tags")["Targets"]
    check([target["Id"] for target in targets] == ["file"], f"targets after the restart: {targets}")
    tag_calls(5, "second")
    expected = set(recorded_add_tags())
    check(len(expected) == 15, f"event history holds {len(expected)} AddTags calls, not 15")

    def delivered():
        got = [line["detail"]["eventID"] for line in lines(TAG_FILE)]
        return got if set(got) >= expected else None

    got = until("the file target got every AddTags call across the restart", delivered, DEADLINE_SECS)
    check(len(got) == len(set(got)), f"a graceful restart sent {len(got) - len(set(got))} events twice")


if PHASE == "first":
    first_phase()
else:
    restarted_phase()
print(f"rules_e2e {PHASE}: ok")
