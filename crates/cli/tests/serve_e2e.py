"""End-to-end checks of `opentrail serve` with the real aws CLI and boto3.

Run by `tests/serve.rs`, which starts the server on 127.0.0.1 with the config it wrote
and stops it afterwards. Environment:

  OPENTRAIL_ENDPOINT      http://127.0.0.1:PORT
  OPENTRAIL_CREDENTIALS   the admin key's shared-credentials file (DIR/credentials)
  OPENTRAIL_AUDITOR       KEY:SECRET of a read-only key of account 222222222222
  OPENTRAIL_SHIPPER       KEY:SECRET of an ingest-only key of account 222222222222
  OPENTRAIL_PHASE         "first" (ingest and check everything) or "restarted" (the
                          events ingested before a restart are still there)

Exits non-zero with a message on the first failed check.
"""

import gzip
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.request

import boto3
import botocore

from e2e_support import admin_key, check, fail, signed_post

ENDPOINT = os.environ["OPENTRAIL_ENDPOINT"]
REGION = "us-east-1"
ADMIN_ACCOUNT = "111111111111"
OTHER_ACCOUNT = "222222222222"
AUDITOR = tuple(os.environ["OPENTRAIL_AUDITOR"].split(":"))
SHIPPER = tuple(os.environ["OPENTRAIL_SHIPPER"].split(":"))
PHASE = os.environ.get("OPENTRAIL_PHASE", "first")
# Ingested events sit on 2020-01-01, far from the self-audit events (now), so a time
# range selects exactly them.
WINDOW = ["--start-time", "2020-01-01T00:00:00Z", "--end-time", "2020-01-02T00:00:00Z"]
NAMES = ["GetObject", "PutObject", "ListBuckets", "CreateUser", "DeleteUser"]
USERS = ["alice", "bob", "carol"]


def record(index, account):
    user = USERS[index % len(USERS)]
    name = NAMES[index % len(NAMES)]
    return {
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDAEXAMPLE" + user.upper(),
            "arn": f"arn:aws:iam::{account}:user/{user}",
            "accountId": account,
            "accessKeyId": f"AKIAEXAMPLE{user.upper():0>9}",
            "userName": user,
        },
        "eventTime": f"2020-01-01T{index // 60 % 24:02d}:{index % 60:02d}:00Z",
        "eventSource": "s3.amazonaws.com" if index % 5 < 3 else "iam.amazonaws.com",
        "eventName": name,
        "awsRegion": REGION,
        "sourceIPAddress": "192.0.2.10",
        "userAgent": "e2e",
        "requestParameters": None,
        "responseElements": None,
        "requestID": f"req-{account}-{index}",
        "eventID": f"e2e-{account}-{index:04d}",
        "readOnly": name in ("GetObject", "ListBuckets"),
        "resources": [{"ARN": f"arn:aws:s3:::bucket-{index % 4}", "type": "AWS::S3::Bucket"}],
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": account,
        "eventCategory": "Management",
    }


OTHER_RECORDS = [record(index, OTHER_ACCOUNT) for index in range(120)]
ADMIN_RECORDS = [record(index, ADMIN_ACCOUNT) for index in range(5)]


def aws(args, key=None, expect_ok=True, no_sign=False):
    """Runs the real aws CLI; `key` is (id, secret), or None for the admin credentials file."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env["AWS_CONFIG_FILE"] = os.devnull
    if key is None:
        env["AWS_SHARED_CREDENTIALS_FILE"] = os.environ["OPENTRAIL_CREDENTIALS"]
    else:
        env["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
        env["AWS_ACCESS_KEY_ID"], env["AWS_SECRET_ACCESS_KEY"] = key
    command = ["aws", "--endpoint-url", ENDPOINT, "--region", REGION, "--output", "json"]
    if no_sign:
        command.append("--no-sign-request")
    completed = subprocess.run(command + args, env=env, capture_output=True, text=True, timeout=120)
    if expect_ok:
        check(completed.returncode == 0, f"aws {' '.join(args)} failed: {completed.stderr}")
        return json.loads(completed.stdout) if completed.stdout.strip() else {}
    check(completed.returncode != 0, f"aws {' '.join(args)} should have failed")
    return completed.stderr


def client(key):
    return boto3.client(
        "cloudtrail",
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id=key[0],
        aws_secret_access_key=key[1],
    )


def signed(path, body, key, headers):
    return signed_post(path, body, headers, key)


def ingest(key, records, lines=True, gzipped=False):
    if lines:
        body = "\n".join(json.dumps(one) for one in records).encode()
        headers = {"Content-Type": "application/x-ndjson"}
    else:
        body = json.dumps({"Records": records}).encode()
        headers = {"Content-Type": "application/json"}
    if gzipped:
        body = gzip.compress(body)
        headers["Content-Encoding"] = "gzip"
    return signed("/ingest", body, key, headers)


def lookup_ids(attributes, key, extra=()):
    args = ["cloudtrail", "lookup-events", *WINDOW, *extra]
    if attributes:
        # One flag with several values: the aws CLI keeps only the last of repeated flags.
        args.append("--lookup-attributes")
        args += [f"AttributeKey={name},AttributeValue={value}" for name, value in attributes]
    return [event["EventId"] for event in aws(args, key)["Events"]]


def newest_first(records):
    return [one["eventID"] for one in sorted(records, key=lambda one: one["eventTime"], reverse=True)]


def expected(predicate):
    return newest_first([one for one in OTHER_RECORDS if predicate(one)])


def wait_visible(key, count):
    deadline = time.time() + 10
    while time.time() < deadline:
        if len(lookup_ids([], key)) >= count:
            return
        time.sleep(0.2)
    fail(f"ingested events did not become visible (wanted {count})")


def first_phase():
    admin = admin_key()

    # Ingest: NDJSON by the ingest-only key, per-record refusals, duplicates on retry.
    status, headers, body = ingest(SHIPPER, OTHER_RECORDS + ADMIN_RECORDS[:2] + [{"eventName": "x"}])
    check(status == 200, f"ingest status {status}: {body}")
    check("x-amzn-RequestId" in headers or "x-amzn-requestid" in headers, f"no request id: {headers}")
    check(body["Accepted"] == 120 and body["Duplicates"] == 0, f"ingest counts: {body}")
    codes = sorted((one["Index"], one["ErrorCode"]) for one in body["Failed"])
    check(codes == [(120, "AccountMismatch"), (121, "AccountMismatch"), (122, "InvalidRecord")], f"failures: {codes}")
    status, _, body = ingest(SHIPPER, OTHER_RECORDS[:10])
    check(status == 200 and body["Duplicates"] == 10 and body["Accepted"] == 0, f"retry: {body}")
    # The admin may send any account's records; gzip log-file form.
    status, _, body = ingest(admin, ADMIN_RECORDS, lines=False, gzipped=True)
    check(status == 200 and body["Accepted"] == 5, f"admin gzip ingest: {status} {body}")
    # A read-only key may not ingest.
    status, _, body = ingest(AUDITOR, OTHER_RECORDS[:1])
    check(status == 400 and body["__type"] == "AccessDeniedException", f"auditor ingest: {status} {body}")
    print("ok ingest")

    wait_visible(AUDITOR, 120)

    # Every lookup attribute, through the real aws CLI, against what the records say.
    sample = OTHER_RECORDS[7]
    cases = [
        ("EventId", sample["eventID"], lambda one: one["eventID"] == sample["eventID"]),
        ("EventName", "PutObject", lambda one: one["eventName"] == "PutObject"),
        ("ReadOnly", "true", lambda one: one["readOnly"]),
        ("ReadOnly", "false", lambda one: not one["readOnly"]),
        ("Username", "bob", lambda one: one["userIdentity"]["userName"] == "bob"),
        ("ResourceType", "AWS::S3::Bucket", lambda one: True),
        ("ResourceName", "arn:aws:s3:::bucket-2", lambda one: one["resources"][0]["ARN"].endswith("-2")),
        ("EventSource", "iam.amazonaws.com", lambda one: one["eventSource"] == "iam.amazonaws.com"),
        ("AccessKeyId", "AKIAEXAMPLE000000BOB", lambda one: one["userIdentity"]["accessKeyId"].endswith("BOB")),
    ]
    for name, value, predicate in cases:
        found = lookup_ids([(name, value)], AUDITOR)
        want = expected(predicate)
        check(found == want, f"{name}={value}: got {len(found)} events, want {len(want)}")
    both = lookup_ids([("EventName", "GetObject"), ("Username", "alice")], AUDITOR)
    check(
        both == expected(lambda one: one["eventName"] == "GetObject" and one["userIdentity"]["userName"] == "alice"),
        "two attributes are AND-ed",
    )
    print("ok lookup attributes")

    # Paging: --max-items / --starting-token walks, --page-size, all equal to one listing.
    everything = expected(lambda one: True)
    walked, token = [], None
    while True:
        args = ["cloudtrail", "lookup-events", *WINDOW, "--max-items", "7"]
        if token:
            args += ["--starting-token", token]
        page = aws(args, AUDITOR)
        walked += [event["EventId"] for event in page["Events"]]
        token = page.get("NextToken")
        if not token:
            break
    check(walked == everything, f"--max-items walk gave {len(walked)} events, want {len(everything)}")
    paged = lookup_ids([], AUDITOR, ["--page-size", "9"])
    check(paged == everything, "--page-size listing differs")
    manual = aws(["cloudtrail", "lookup-events", *WINDOW, "--max-results", "50"], AUDITOR)
    check(len(manual["Events"]) == 50 and "NextToken" in manual, "one raw page of 50 with a NextToken")
    print("ok paging")

    # Accounts are isolated: the admin (another account) sees only its own five.
    admin_view = lookup_ids([], None)
    check(admin_view == newest_first(ADMIN_RECORDS), f"admin sees {len(admin_view)} events, want its 5")
    check(lookup_ids([("EventId", OTHER_RECORDS[0]["eventID"])], None) == [], "EventId lookup crosses accounts")
    print("ok account isolation")

    # boto3: paginator, modeled exceptions, request id recorded in the self-audit event.
    auditor = client(AUDITOR)
    paginator = auditor.get_paginator("lookup_events")
    pages = paginator.paginate(
        StartTime="2020-01-01T00:00:00Z",
        EndTime="2020-01-02T00:00:00Z",
        PaginationConfig={"PageSize": 13},
    )
    boto_ids = [event["EventId"] for page in pages for event in page["Events"]]
    check(boto_ids == everything, "boto3 paginator differs from the aws CLI")
    try:
        auditor.lookup_events(MaxResults=51)
        fail("MaxResults=51 accepted")
    except auditor.exceptions.InvalidMaxResultsException:
        pass
    try:
        auditor.lookup_events(LookupAttributes=[{"AttributeKey": "EventName", "AttributeValue": "x" * 2001}])
        fail("a 2001-character attribute value accepted")
    except auditor.exceptions.InvalidLookupAttributesException:
        pass
    response = auditor.lookup_events(MaxResults=1)
    request_id = response["ResponseMetadata"]["RequestId"]
    check(len(request_id) == 36, f"request id {request_id!r}")
    print("ok boto3")

    # Denied calls, unsupported operations, bad signatures.
    stderr = aws(["cloudtrail", "create-trail", "--name", "t1", "--s3-bucket-name", "b"], AUDITOR, expect_ok=False)
    check("AccessDeniedException" in stderr, f"create-trail by a read-only key: {stderr}")
    stderr = aws(["cloudtrail", "lookup-events", "--max-results", "1"], SHIPPER, expect_ok=False)
    check("AccessDeniedException" in stderr, f"lookup-events by an ingest-only key: {stderr}")
    stderr = aws(["cloudtrail", "list-dashboards"], None, expect_ok=False)
    check("UnsupportedOperationException" in stderr, f"list-dashboards: {stderr}")
    stderr = aws(["cloudtrail", "lookup-events"], (AUDITOR[0], "wrong" + AUDITOR[1]), expect_ok=False)
    check("InvalidSignatureException" in stderr, f"wrong secret: {stderr}")
    stderr = aws(["cloudtrail", "lookup-events"], ("AKIAUNKNOWN000000000", "x" * 40), expect_ok=False)
    check("UnrecognizedClientException" in stderr, f"unknown key: {stderr}")
    stderr = aws(["cloudtrail", "lookup-events"], None, expect_ok=False, no_sign=True)
    check("MissingAuthenticationTokenException" in stderr, f"unsigned: {stderr}")
    try:
        client((AUDITOR[0], "wrong" + AUDITOR[1])).lookup_events()
        fail("a wrong secret was accepted by boto3's call")
    except botocore.exceptions.ClientError as error:
        check(error.response["Error"]["Code"] == "InvalidSignatureException", str(error))
    print("ok refusals")

    # The short X-Amz-Target form, malformed JSON, a wrong content type.
    target = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "CloudTrail_20131101.LookupEvents"}
    status, _, body = signed("/", b'{"MaxResults": 2}', AUDITOR, target)
    check(status == 200 and len(body["Events"]) == 2, f"short target: {status} {body}")
    status, _, body = signed("/", b'{"MaxResults": ', AUDITOR, target)
    check(status == 400 and body["__type"] == "SerializationException", f"malformed JSON: {status} {body}")
    status, _, body = signed("/", b"{}", AUDITOR, {**target, "Content-Type": "text/plain"})
    check(status == 400 and body["__type"] == "SerializationException", f"content type: {status} {body}")
    status, _, body = signed("/", b"{}", AUDITOR, {**target, "X-Amz-Target": "CloudTrail_20131101.Nope"})
    check(status == 400 and body["__type"] == "UnknownOperationException", f"unknown op: {status} {body}")
    # A body over server.max_body_bytes is refused from its Content-Length, before it is
    # sent (a client that keeps sending would see the connection close).
    host, port = ENDPOINT.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=30) as connection:
        connection.sendall(
            b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amz-json-1.1\r\n"
            b"Content-Length: 2097152\r\n\r\n"
        )
        answer = connection.recv(65536).decode()
    check(answer.startswith("HTTP/1.1 413") and "RequestEntityTooLargeException" in answer, f"oversized: {answer}")
    print("ok wire errors")

    # Self-audit: the calls above are events of the caller's account.
    def audit_events(name):
        found = aws(
            ["cloudtrail", "lookup-events", "--lookup-attributes", f"AttributeKey=EventName,AttributeValue={name}"],
            AUDITOR,
        )["Events"]
        return [json.loads(event["CloudTrailEvent"]) for event in found]

    deadline = time.time() + 10
    while True:
        lookups = [one for one in audit_events("LookupEvents") if one.get("requestID") == request_id]
        if lookups or time.time() > deadline:
            break
        time.sleep(0.2)
    check(len(lookups) == 1, f"the boto3 call's self-audit event (requestID {request_id}) was not found")
    event = lookups[0]
    check(event["eventSource"] == "cloudtrail.amazonaws.com", str(event))
    check(event["userIdentity"]["accessKeyId"] == AUDITOR[0], str(event))
    check(event["userIdentity"]["userName"] == "auditor", str(event))
    check(event["readOnly"] is True and event["eventType"] == "AwsApiCall", str(event))
    check(event["recipientAccountId"] == OTHER_ACCOUNT and event["awsRegion"] == REGION, str(event))
    check(event["sourceIPAddress"] == "127.0.0.1" and "Boto3" in event["userAgent"], str(event))
    check(event["requestParameters"] == {"maxResults": 1}, str(event["requestParameters"]))
    denied = [one for one in audit_events("CreateTrail")]
    check(len(denied) == 1 and denied[0]["errorCode"] == "AccessDeniedException", f"denied call: {denied}")
    check(denied[0]["readOnly"] is False and denied[0]["requestParameters"]["name"] == "t1", str(denied[0]))
    wrong = [one for one in audit_events("LookupEvents") if one.get("errorCode") == "InvalidSignatureException"]
    check(len(wrong) == 2, f"wrong-secret calls recorded: {len(wrong)}")
    ingests = audit_events("IngestRecords")
    shipped = [one for one in ingests if one["userIdentity"]["userName"] == "shipper"]
    check(len(shipped) == 2 and all("errorCode" not in one for one in shipped), f"ingest audit: {shipped}")
    check(shipped[-1]["requestParameters"]["recordCount"] == 123, str(shipped[-1]))
    refused = [one for one in ingests if one["userIdentity"]["userName"] == "auditor"]
    check(len(refused) == 1 and refused[0]["errorCode"] == "AccessDeniedException", f"denied ingest: {refused}")
    lookup_by_username = aws(
        ["cloudtrail", "lookup-events", "--lookup-attributes", "AttributeKey=Username,AttributeValue=auditor"],
        AUDITOR,
    )["Events"]
    check(len(lookup_by_username) >= 5, "self-audit events are found by Username")
    print("ok self-audit")

    # Health and metrics.
    with urllib.request.urlopen(ENDPOINT + "/healthz", timeout=10) as response:
        health = json.loads(response.read())
    check(health["status"] == "ok" and health["journalCommittedEvents"] >= 125, f"healthz: {health}")
    with urllib.request.urlopen(ENDPOINT + "/metrics", timeout=10) as response:
        metrics = response.read().decode()
    for needle in [
        'opentrail_api_requests_total{operation="LookupEvents",status="200"}',
        'opentrail_api_requests_total{operation="CreateTrail",status="400"}',
        'opentrail_api_request_duration_seconds_bucket{operation="LookupEvents",status="200",le="0.01"}',
        'opentrail_ingest_records_total{outcome="accepted"} 125',
        'opentrail_consumer_lag_events{consumer="history"}',
        "opentrail_journal_committed_events",
    ]:
        check(needle in metrics, f"/metrics lacks {needle}")
    print("ok healthz and metrics")


def restarted_phase():
    everything = expected(lambda one: True)
    wait_visible(AUDITOR, 120)
    check(lookup_ids([], AUDITOR) == everything, "events ingested before the restart are not all there")
    print("ok after restart")


if __name__ == "__main__":
    if PHASE == "first":
        first_phase()
    else:
        restarted_phase()
