"""End-to-end checks of CloudTrail Lake in `opentrail serve` with the real aws CLI and
boto3: event data stores, queries, channels and `PutAuditEvents`, imports, result
delivery, and what survives a restart.

Run by `tests/lake_api.rs`, which starts the server on 127.0.0.1 (region us-east-1,
admin account 111111111111, Lake writers flushing every 200 ms) and stops it afterwards.
Environment:

  OPENTRAIL_ENDPOINT      http://127.0.0.1:PORT
  OPENTRAIL_CREDENTIALS   the admin key's shared-credentials file (DIR/credentials)
  OPENTRAIL_DATA_DIR      the server's data directory (local buckets live in DIR/buckets/)
  OPENTRAIL_FIXTURES      a trail bucket of log files (crates/imports/testdata/bucket)
  OPENTRAIL_STATE         a JSON file the first phase leaves for the second
  OPENTRAIL_PHASE         "first" (exercise everything) or "restarted" (what the first
                          phase left is still there)

Exits non-zero with a message on the first failed check.
"""

import base64
import collections
import csv
import datetime
import glob
import gzip
import hashlib
import io
import json
import os
import re
import shutil
import time
import uuid

import boto3
import botocore

from e2e_support import admin_key, aws, check, fail, signed_post

ENDPOINT = os.environ["OPENTRAIL_ENDPOINT"]
REGION = "us-east-1"
ACCOUNT = "111111111111"
DATA_DIR = os.environ["OPENTRAIL_DATA_DIR"]
FIXTURES = os.environ["OPENTRAIL_FIXTURES"]
STATE = os.environ["OPENTRAIL_STATE"]
PHASE = os.environ.get("OPENTRAIL_PHASE", "first")
# The agent of the records sent through /ingest: it tells them apart from the server's
# own audit records, which enter the same stores.
AGENT = "lake-e2e"
DEFAULT_SELECTORS = [
    {"Name": "Default management events", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["Management"]}]}
]
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$")
DEADLINE_SECS = 30


KEY = admin_key()


def client(service="cloudtrail"):
    return boto3.client(
        service,
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id=KEY[0],
        aws_secret_access_key=KEY[1],
        config=botocore.config.Config(retries={"max_attempts": 1}),
    )


CT = client()


def raises(exception, call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except exception as error:
        return error.response["Error"]["Message"]
    fail(f"{call.__name__}{args}{kwargs} did not raise {exception.__name__}")


def until(what, probe, deadline_secs=DEADLINE_SECS):
    """Calls `probe` until it returns something true; fails after the deadline."""
    deadline = time.time() + deadline_secs
    last = None
    while time.time() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(0.1)
    fail(f"{what}: not within {deadline_secs} s (last: {last})")


def store_id(arn):
    return arn.rsplit("/", 1)[1]


def store_arn(identifier):
    return f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:eventdatastore/{identifier}"


# --- Queries ----------------------------------------------------------------------------


def finish(query_id):
    """Polls DescribeQuery until the query leaves QUEUED/RUNNING; returns the description."""
    return until(
        f"query {query_id} finishing",
        lambda: (lambda described: described if described["QueryStatus"] not in ("QUEUED", "RUNNING") else None)(
            CT.describe_query(QueryId=query_id)
        ),
    )


def all_rows(query_id, page_size=None):
    """Every row of a finished query, page after page; returns (rows, pages)."""
    rows, pages, token = [], [], None
    while True:
        arguments = {"QueryId": query_id}
        if page_size:
            arguments["MaxQueryResults"] = page_size
        if token:
            arguments["NextToken"] = token
        page = CT.get_query_results(**arguments)
        check(page["QueryStatus"] == "FINISHED", f"results of {query_id}: {page}")
        pages.append(page)
        rows += page["QueryResultRows"]
        token = page.get("NextToken")
        if not token:
            return rows, pages
        check(len(pages) < 100, f"paging of {query_id} does not end")


def query(statement, **extra):
    """Runs a statement with boto3; returns (query id, description, rows)."""
    query_id = CT.start_query(QueryStatement=statement, **extra)["QueryId"]
    check(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", query_id) is not None,
          f"QueryId {query_id!r}")
    described = finish(query_id)
    check(described["QueryStatus"] == "FINISHED", f"{statement}: {described}")
    rows, _ = all_rows(query_id)
    return query_id, described, rows


def values(rows):
    """Rows as lists of values, after checking every cell is a one-member object."""
    out = []
    for row in rows:
        check(isinstance(row, list) and all(isinstance(cell, dict) and len(cell) == 1 for cell in row),
              f"row shape: {row}")
        out.append([next(iter(cell.values())) for cell in row])
    return out


def count(statement):
    return int(values(query(statement)[2])[0][0])


def wait_count(statement, wanted):
    until(f"{wanted} rows of `{statement}`", lambda: count(statement) == wanted or None)


# --- Records sent through /ingest --------------------------------------------------------


def signed(path, body, headers):
    status, _, answer = signed_post(path, body, headers, KEY)
    return status, answer


NAMES = ["GetObject", "PutObject", "ListBuckets", "CreateUser", "DeleteUser"]
USERS = ["alice", "bob", "carol"]
# Whole seconds, two hours ago: recent enough for any retention.
BASE = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0) - datetime.timedelta(hours=2)


def record(index):
    user = USERS[index % len(USERS)]
    name = NAMES[index % len(NAMES)]
    s3 = name in ("GetObject", "PutObject")
    return {
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDAEXAMPLE" + user.upper(),
            "arn": f"arn:aws:iam::{ACCOUNT}:user/{user}",
            "accountId": ACCOUNT,
            "accessKeyId": f"AKIAEXAMPLE{user.upper():0>9}",
            "userName": user,
        },
        "eventTime": (BASE + datetime.timedelta(minutes=index)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": "s3.amazonaws.com" if s3 else "iam.amazonaws.com",
        "eventName": name,
        "awsRegion": REGION,
        "sourceIPAddress": "192.0.2.10",
        "userAgent": AGENT,
        "requestParameters": {"bucketName": f"bucket-{index % 3}", "key": f"k/{index}"} if s3 else None,
        "responseElements": None,
        "requestID": f"req-{index}",
        "eventID": f"lake-e2e-{index:04d}",
        "readOnly": name in ("GetObject", "ListBuckets"),
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management",
    }


RECORDS = [record(index) for index in range(30)]


def ingest_one(event_id):
    """Sends one record (an agent of its own, outside the counts of `AGENT`)."""
    one = dict(record(0), eventID=event_id, userAgent=f"{AGENT}-single")
    status, body = signed("/ingest", json.dumps(one).encode(), {"Content-Type": "application/x-ndjson"})
    check(status == 200 and body["Accepted"] == 1, f"ingest {event_id}: {status} {body}")


def sql_time(text):
    """`2026-01-22T16:53:53Z` as Lake renders it: `2026-01-22 16:53:53.000`."""
    return text.replace("T", " ").replace("Z", ".000")


# --- 1. Event data stores with the aws CLI ----------------------------------------------


def stores_phase():
    created = aws(["create-event-data-store", "--name", "lake-cli"])
    arn = created["EventDataStoreArn"]
    check(re.fullmatch(rf"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:eventdatastore/[0-9a-f-]{{36}}", arn) is not None,
          f"store ARN: {arn}")
    check(created["Name"] == "lake-cli" and created["Status"] in ("CREATED", "ENABLED"), f"create: {created}")
    check(created["RetentionPeriod"] == 366 and created["TerminationProtectionEnabled"] is True, str(created))
    check(created["MultiRegionEnabled"] is True and created["OrganizationEnabled"] is False, str(created))
    check(created["AdvancedEventSelectors"] == DEFAULT_SELECTORS, f"default selectors: {created}")
    check(created["BillingMode"] == "EXTENDABLE_RETENTION_PRICING", str(created))
    identifier = store_id(arn)

    got = until("the new store ENABLED", lambda: (lambda got: got if got["Status"] == "ENABLED" else None)(
        aws(["get-event-data-store", "--event-data-store", identifier])))
    check(got["EventDataStoreArn"] == arn and got["AdvancedEventSelectors"] == DEFAULT_SELECTORS, f"get: {got}")
    listed = aws(["list-event-data-stores"])["EventDataStores"]
    check([store["EventDataStoreArn"] for store in listed] == [arn], f"list: {listed}")

    updated = aws(["update-event-data-store", "--event-data-store", arn, "--retention-period", "400"])
    check(updated["RetentionPeriod"] == 400 and updated["Name"] == "lake-cli", f"update: {updated}")
    check(aws(["get-event-data-store", "--event-data-store", arn])["RetentionPeriod"] == 400, "retention kept")

    aws(["stop-event-data-store-ingestion", "--event-data-store", identifier])
    until("STOPPED_INGESTION", lambda: aws(["get-event-data-store", "--event-data-store", arn])["Status"]
          == "STOPPED_INGESTION")
    # A stopped store takes no events; once started again it does.
    ingest_one("while-stopped")
    aws(["start-event-data-store-ingestion", "--event-data-store", arn])
    until("ENABLED again", lambda: aws(["get-event-data-store", "--event-data-store", arn])["Status"] == "ENABLED")
    ingest_one("after-start")
    wait_count(f"SELECT COUNT(*) FROM {identifier} WHERE eventID = 'after-start'", 1)
    check(count(f"SELECT COUNT(*) FROM {identifier} WHERE eventID = 'while-stopped'") == 0,
          "a stopped store took an event")
    earlier_query = CT.start_query(QueryStatement=f"SELECT COUNT(*) FROM {identifier}")["QueryId"]
    finish(earlier_query)

    aws(["add-tags", "--resource-id", arn, "--tags-list", "Key=team,Value=security", "Key=stage,Value=test"])
    tags = aws(["list-tags", "--resource-id-list", arn])["ResourceTagList"]
    check(tags == [{"ResourceId": arn, "TagsList": [{"Key": "team", "Value": "security"},
                                                    {"Key": "stage", "Value": "test"}]}], f"list-tags: {tags}")
    aws(["remove-tags", "--resource-id", arn, "--tags-list", "Key=team"])
    tags = aws(["list-tags", "--resource-id-list", arn])["ResourceTagList"][0]["TagsList"]
    check(tags == [{"Key": "stage", "Value": "test"}], f"after remove-tags: {tags}")

    stderr = aws(["create-event-data-store", "--name", "lake-cli"], expect_ok=False)
    check("EventDataStoreAlreadyExistsException" in stderr, f"duplicate name: {stderr}")
    unknown = "00000000-1111-2222-3333-444444444444"
    stderr = aws(["get-event-data-store", "--event-data-store", unknown], expect_ok=False)
    check("EventDataStoreNotFoundException" in stderr, f"unknown store: {stderr}")
    stderr = aws(["get-event-data-store", "--event-data-store", store_arn(unknown)], expect_ok=False)
    check("EventDataStoreNotFoundException" in stderr, f"unknown store ARN: {stderr}")

    stderr = aws(["delete-event-data-store", "--event-data-store", arn], expect_ok=False)
    check("EventDataStoreTerminationProtectedException" in stderr, f"protected delete: {stderr}")
    aws(["update-event-data-store", "--event-data-store", arn, "--no-termination-protection-enabled"])
    aws(["delete-event-data-store", "--event-data-store", arn])
    got = aws(["get-event-data-store", "--event-data-store", arn])
    check(got["Status"] == "PENDING_DELETION" and got["TerminationProtectionEnabled"] is False, f"deleted: {got}")
    stderr = aws(["start-query", "--query-statement", f"SELECT COUNT(*) FROM {identifier}"], expect_ok=False)
    check("InactiveEventDataStoreException" in stderr, f"query of a deleted store: {stderr}")
    raises(CT.exceptions.InactiveEventDataStoreException, CT.describe_query, QueryId=earlier_query)
    raises(CT.exceptions.InactiveEventDataStoreException, CT.get_query_results, QueryId=earlier_query)
    restored = aws(["restore-event-data-store", "--event-data-store", arn])
    check(restored["Status"] == "ENABLED" and restored["RetentionPeriod"] == 400, f"restore: {restored}")
    check(CT.describe_query(QueryId=earlier_query)["QueryStatus"] == "FINISHED", "a query of the restored store")
    stderr = aws(["restore-event-data-store", "--event-data-store", arn], expect_ok=False)
    check("InvalidEventDataStoreStatusException" in stderr, f"restore of a live store: {stderr}")
    print("ok event data stores (aws cli)")
    return arn


# --- 2. Events and SQL --------------------------------------------------------------------


def events_phase():
    created = CT.create_event_data_store(Name="lake-events", TagsList=[{"Key": "k", "Value": "v"}])
    arn = created["EventDataStoreArn"]
    table = store_id(arn)
    until("lake-events ENABLED", lambda: CT.get_event_data_store(EventDataStore=arn)["Status"] == "ENABLED")

    status, body = signed("/ingest", "\n".join(json.dumps(one) for one in RECORDS).encode(),
                          {"Content-Type": "application/x-ndjson"})
    check(status == 200 and body["Accepted"] == 30, f"ingest: {status} {body}")
    mine = f"FROM {table} WHERE userAgent = '{AGENT}'"
    wait_count(f"SELECT COUNT(*) {mine}", 30)

    # The shape of QueryResultRows: one-member objects in select-list order, strings,
    # timestamps with milliseconds, NULL as JSON null.
    statement = (f"SELECT eventID, eventTime, userIdentity.arn, element_at(requestParameters, 'bucketName') AS bucket, "
                 f"readOnly {mine} ORDER BY eventID")
    query_id, described, rows = query(statement)
    check(len(rows) == 30, f"{len(rows)} rows")
    for row, one in zip(rows, RECORDS):
        check([list(cell) for cell in row] == [["eventID"], ["eventTime"], ["arn"], ["bucket"], ["readOnly"]],
              f"column names: {row}")
        got = values([row])[0]
        bucket = one["requestParameters"]["bucketName"] if one["requestParameters"] else None
        check(got == [one["eventID"], sql_time(one["eventTime"]), one["userIdentity"]["arn"], bucket,
                      "true" if one["readOnly"] else "false"], f"row {got} for {one['eventID']}")
        check(TIMESTAMP.match(got[1]) is not None, f"timestamp form: {got[1]}")
    check(any(values([row])[0][3] is None for row in rows), "no NULL bucket among the rows")
    stats = described["QueryStatistics"]
    check(stats["EventsScanned"] >= stats["EventsMatched"] > 0 and stats["BytesScanned"] > 0, f"statistics: {stats}")
    check(described["QueryString"] == statement, f"QueryString: {described}")
    check("CreationTime" in stats and stats["ExecutionTimeInMillis"] >= 0, f"statistics: {stats}")
    check(all(isinstance(value, str) or value is None for row in values(rows) for value in row), "non-string value")

    # Unnamed columns are _col<n>.
    got = query(f"SELECT COUNT(*), MAX(eventTime) {mine}")[2]
    check([list(cell) for cell in got[0]] == [["_col0"], ["_col1"]], f"unnamed columns: {got}")
    check(values(got) == [["30", sql_time(RECORDS[-1]["eventTime"])]], f"count and max: {got}")

    # GROUP BY.
    got = values(query(f"SELECT eventName, COUNT(*) AS n {mine} GROUP BY eventName ORDER BY eventName")[2])
    wanted = sorted(collections.Counter(one["eventName"] for one in RECORDS).items())
    check(got == [[name, str(n)] for name, n in wanted], f"GROUP BY eventName: {got} (wanted {wanted})")

    # Dotted access and element_at in WHERE.
    got = values(query(f"SELECT eventID {mine} AND userIdentity.arn = 'arn:aws:iam::{ACCOUNT}:user/bob' "
                       f"AND element_at(requestParameters, 'bucketName') = 'bucket-1' ORDER BY eventID")[2])
    wanted = [[one["eventID"]] for one in RECORDS if one["userIdentity"]["userName"] == "bob"
              and (one["requestParameters"] or {}).get("bucketName") == "bucket-1"]
    check(got == wanted and wanted, f"bob in bucket-1: {got} (wanted {wanted})")

    # An eventTime range written as string literals.
    low, high = BASE + datetime.timedelta(minutes=5), BASE + datetime.timedelta(minutes=12)
    got = count(f"SELECT COUNT(*) {mine} AND eventTime >= '{low:%Y-%m-%d %H:%M:%S}' "
                f"AND eventTime < '{high:%Y-%m-%d %H:%M:%S}'")
    check(got == 7, f"eventTime range: {got} rows")

    # Paging.
    paged = f"SELECT eventID {mine} ORDER BY eventID"
    page_query = CT.start_query(QueryStatement=paged)["QueryId"]
    finish(page_query)
    paged_rows, pages = all_rows(page_query, page_size=7)
    check(values(paged_rows) == [[one["eventID"]] for one in RECORDS], f"paged rows: {values(paged_rows)}")
    check([page["QueryStatistics"]["ResultsCount"] for page in pages] == [7, 7, 7, 7, 2], f"pages: {pages}")
    check(all(page["QueryStatistics"]["TotalResultsCount"] == 30 for page in pages), f"totals: {pages}")
    check("NextToken" not in pages[-1] and all("NextToken" in page for page in pages[:-1]), "NextToken")
    raises(CT.exceptions.InvalidNextTokenException, CT.get_query_results, QueryId=query_id,
           NextToken=pages[0]["NextToken"])
    try:
        CT.get_query_results(QueryId=page_query, MaxQueryResults=0)
        fail("MaxQueryResults=0 was accepted")
    except (botocore.exceptions.ParamValidationError, CT.exceptions.InvalidMaxResultsException):
        pass

    # ListQueries, CancelQuery on a finished query, bad statements.
    listed = CT.list_queries(EventDataStore=arn)["Queries"]
    check({query_id, page_query} <= {one["QueryId"] for one in listed}, f"list_queries: {listed}")
    check(all(one["QueryStatus"] == "FINISHED" and "CreationTime" in one for one in listed), f"list_queries: {listed}")
    check([one["QueryId"] for one in CT.list_queries(EventDataStore=table, QueryStatus="FAILED")["Queries"]] == [],
          "FAILED queries")
    raises(CT.exceptions.InactiveQueryException, CT.cancel_query, QueryId=query_id)
    raises(CT.exceptions.QueryIdNotFoundException, CT.describe_query, QueryId=str(uuid.uuid4()))
    raises(CT.exceptions.InvalidQueryStatementException, CT.start_query, QueryStatement=f"SELEC * FROM {table}")
    raises(CT.exceptions.InvalidQueryStatementException, CT.start_query, QueryStatement=f"DROP TABLE {table}")
    raises(CT.exceptions.InvalidQueryStatementException, CT.start_query,
           QueryStatement=f"INSERT INTO {table} SELECT * FROM {table}")
    raises(CT.exceptions.InvalidQueryStatementException, CT.start_query,
           QueryStatement="SELECT COUNT(*) FROM 00000000-1111-2222-3333-444444444444")

    # The server's own audit records of these calls enter the store too.
    until("StartQuery audit records in the store",
          lambda: count(f"SELECT COUNT(*) FROM {table} WHERE eventSource = 'cloudtrail.amazonaws.com' "
                        f"AND eventName = 'StartQuery'") > 0)

    # The same flow with the aws CLI.
    started = aws(["start-query", "--query-statement",
                   f"SELECT eventName, COUNT(*) AS calls {mine} GROUP BY eventName ORDER BY calls DESC, eventName"])
    cli_query = started["QueryId"]
    until("the CLI query finishing",
          lambda: aws(["describe-query", "--query-id", cli_query])["QueryStatus"] == "FINISHED")
    results = aws(["get-query-results", "--query-id", cli_query])
    check(results["QueryStatus"] == "FINISHED" and results["QueryStatistics"]["TotalResultsCount"] == 5,
          f"get-query-results: {results}")
    got = [[cell for cell in row] for row in results["QueryResultRows"]]
    check(got[0] == [{"eventName": "CreateUser"}, {"calls": "6"}] and len(got) == 5, f"CLI rows: {got}")
    print("ok events and SQL")
    return {"events_store": arn, "query_id": query_id, "query_rows": rows, "statement": described["QueryString"]}


# --- 3. Channels and PutAuditEvents -------------------------------------------------------


def event_data(uid, name, recipient=ACCOUNT, drop=None):
    data = {
        "version": "1.0",
        "userIdentity": {"type": "GitHubUser", "principalId": "octo-dev", "details": {"org": "acme"}},
        "userAgent": "GitHub-Hookshot/abc1234",
        "eventSource": "github.com",
        "eventName": name,
        "eventTime": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "UID": uid,
        "requestParameters": {"repo": "acme/new-service", "visibility": "private"},
        "sourceIPAddress": "192.0.2.15",
        "recipientAccountId": recipient,
    }
    if drop:
        del data[drop]
    return json.dumps(data)


def checksum(text):
    return base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


def channels_phase():
    selectors = [{"Name": "activity", "FieldSelectors": [{"Field": "eventCategory", "Equals": ["ActivityAuditLog"]}]}]
    # Without termination protection, so that the refusal below is the channel's.
    store = CT.create_event_data_store(Name="lake-activity", AdvancedEventSelectors=selectors,
                                       TerminationProtectionEnabled=False)
    check(store["AdvancedEventSelectors"] == selectors, f"activity store: {store}")
    arn = store["EventDataStoreArn"]
    until("lake-activity ENABLED", lambda: CT.get_event_data_store(EventDataStore=arn)["Status"] == "ENABLED")
    channel = CT.create_channel(Name="lake-channel", Source="Custom",
                                Destinations=[{"Type": "EVENT_DATA_STORE", "Location": arn}])
    channel_arn = channel["ChannelArn"]
    check(re.fullmatch(rf"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:channel/[0-9a-f-]{{36}}", channel_arn) is not None,
          f"channel: {channel}")
    check(channel["Source"] == "Custom" and channel["Destinations"][0]["Location"] == arn, f"channel: {channel}")
    listed = CT.list_channels()["Channels"]
    check(listed == [{"ChannelArn": channel_arn, "Name": "lake-channel"}], f"list_channels: {listed}")
    raises(CT.exceptions.ChannelExistsForEDSException, CT.delete_event_data_store, EventDataStore=arn)

    data = client("cloudtrail-data")
    first, second = event_data("uid-1", "repo.create"), event_data("uid-2", "repo.delete")
    answer = data.put_audit_events(channelArn=channel_arn, auditEvents=[
        {"id": "good-1", "eventData": first},
        {"id": "good-2", "eventData": second, "eventDataChecksum": checksum(second)},
    ])
    check(answer["failed"] == [] and [one["id"] for one in answer["successful"]] == ["good-1", "good-2"],
          f"good events: {answer}")
    good_ids = {one["id"]: one["eventID"] for one in answer["successful"]}
    status = CT.get_channel(Channel=channel_arn)["IngestionStatus"]
    check(status.get("LatestIngestionSuccessEventID") == good_ids["good-2"], f"IngestionStatus: {status}")
    check("LatestIngestionSuccessTime" in status and "LatestIngestionAttemptTime" in status, f"status: {status}")
    check("LatestIngestionErrorCode" not in status, f"IngestionStatus after success: {status}")

    third = event_data("uid-3", "repo.archive")
    answer = data.put_audit_events(channelArn=store_id(channel_arn), auditEvents=[
        {"id": "good-3", "eventData": third, "eventDataChecksum": checksum(third)},
        {"id": "bad-sum", "eventData": third, "eventDataChecksum": checksum(third + " ")},
        {"id": "no-name", "eventData": event_data("uid-4", "x", drop="eventName")},
        {"id": "elsewhere", "eventData": event_data("uid-5", "x", recipient="999999999999")},
    ])
    check([one["id"] for one in answer["successful"]] == ["good-3"], f"mixed call: {answer}")
    good_ids["good-3"] = answer["successful"][0]["eventID"]
    codes = {one["id"]: one["errorCode"] for one in answer["failed"]}
    check(codes == {"bad-sum": "InvalidChecksum", "no-name": "FieldNotFound", "elsewhere": "InvalidRecipient"},
          f"failures: {answer['failed']}")
    check(all(one.get("errorMessage") for one in answer["failed"]), f"error messages: {answer['failed']}")
    status = CT.get_channel(Channel=channel_arn)["IngestionStatus"]
    check(status.get("LatestIngestionErrorCode") == "InvalidChecksum", f"IngestionStatus after failures: {status}")
    check(status.get("LatestIngestionAttemptEventID") == good_ids["good-3"], f"attempt event: {status}")

    raises(data.exceptions.DuplicatedAuditEventId, data.put_audit_events, channelArn=channel_arn,
           auditEvents=[{"id": "twice", "eventData": first}, {"id": "twice", "eventData": second}])
    status = CT.get_channel(Channel=channel_arn)["IngestionStatus"]
    check(status.get("LatestIngestionErrorCode") == "DuplicatedAuditEventId", f"after a refused call: {status}")
    check(status.get("LatestIngestionSuccessEventID") == good_ids["good-3"], f"last success: {status}")
    raises(data.exceptions.ChannelNotFound, data.put_audit_events,
           channelArn=f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:channel/{uuid.uuid4()}",
           auditEvents=[{"id": "lost", "eventData": first}])

    table = store_id(arn)
    statement = (f"SELECT eventData.eventName, metadata.channelArn, eventData.uid, eventID, eventCategory "
                 f"FROM {table} ORDER BY eventData.uid")
    until("the channel's events in the store", lambda: len(query(statement)[2]) == 3)
    rows = query(statement)[2]
    check([list(cell) for cell in rows[0]] == [["eventName"], ["channelArn"], ["uid"], ["eventID"], ["eventCategory"]],
          f"column names: {rows[0]}")
    check(values(rows) == [
        ["repo.create", channel_arn, "uid-1", good_ids["good-1"], "ActivityAuditLog"],
        ["repo.delete", channel_arn, "uid-2", good_ids["good-2"], "ActivityAuditLog"],
        ["repo.archive", channel_arn, "uid-3", good_ids["good-3"], "ActivityAuditLog"],
    ], f"activity rows: {values(rows)}")
    print("ok channels and PutAuditEvents")
    return {"activity_store": arn, "channel": channel_arn}


# --- 4. Imports ---------------------------------------------------------------------------


def fixture_files():
    files = sorted(glob.glob(os.path.join(FIXTURES, "AWSLogs", "*", "*", "*", "*", "*", "*", "*")))
    return [path for path in files if "Corrupt" not in path]


def imports_phase():
    bucket = os.path.join(DATA_DIR, "buckets", "lake-import-src")
    for path in fixture_files():
        target = os.path.join(bucket, os.path.relpath(path, FIXTURES))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copyfile(path, target)
    trail_files = [path for path in fixture_files() if f"{os.sep}CloudTrail{os.sep}" in path]
    records = [one for path in trail_files for one in json.loads(gzip.decompress(open(path, "rb").read()))["Records"]]
    check(len(trail_files) == 7 and len(records) == 182, f"fixtures: {len(trail_files)} files, {len(records)} records")

    # Retention counts from eventTime: the 2023 fixtures need the longest one.
    created = CT.create_event_data_store(Name="lake-imported", RetentionPeriod=3653)
    arn = created["EventDataStoreArn"]
    table = store_id(arn)
    until("lake-imported ENABLED", lambda: CT.get_event_data_store(EventDataStore=arn)["Status"] == "ENABLED")
    source = json.dumps({"S3": {"S3LocationUri": "s3://lake-import-src/", "S3BucketRegion": REGION,
                                "S3BucketAccessRoleArn": f"arn:aws:iam::{ACCOUNT}:role/import"}})

    def run_import():
        started = aws(["start-import", "--destinations", arn, "--import-source", source])
        import_id = started["ImportId"]
        check(started["Destinations"] == [arn] and started["ImportStatus"] in ("INITIALIZING", "IN_PROGRESS"),
              f"start-import: {started}")
        done = until("the import finishing", lambda: (lambda got: got if got["ImportStatus"] not in
                                                      ("INITIALIZING", "IN_PROGRESS") else None)(
            aws(["get-import", "--import-id", import_id])), deadline_secs=60)
        check(done["ImportStatus"] == "COMPLETED", f"get-import: {done}")
        return import_id, done["ImportStatistics"]

    first_import, stats = run_import()
    check(stats == {"PrefixesFound": 2, "PrefixesCompleted": 2, "FilesCompleted": 7, "EventsCompleted": 182,
                    "FailedEntries": 0}, f"ImportStatistics: {stats}")
    listed = aws(["list-imports"])["Imports"]
    check([(one["ImportId"], one["ImportStatus"], one["Destinations"]) for one in listed]
          == [(first_import, "COMPLETED", [arn])], f"list-imports: {listed}")
    check(aws(["list-import-failures", "--import-id", first_import])["Failures"] == [], "import failures")

    # The store also takes the server's own (recent) audit records; the imported ones are
    # those of 2023.
    old = f"FROM {table} WHERE eventTime < '2024-01-01 00:00:00'"
    wait_count(f"SELECT COUNT(*) {old}", 182)
    got = values(query(f"SELECT recipientAccountId, COUNT(*) {old} GROUP BY recipientAccountId "
                       f"ORDER BY recipientAccountId")[2])
    check(got == [["123837392027", "179"], ["218007301253", "3"]], f"imported accounts: {got}")
    got = values(query(f"SELECT eventID, eventTime {old} ORDER BY eventTime DESC, eventID LIMIT 1")[2])
    newest = max(records, key=lambda one: one["eventTime"])
    check(got == [[newest["eventID"], sql_time(newest["eventTime"])]], f"newest imported: {got}")

    second_import, _ = run_import()
    check(second_import != first_import, "a second import id")
    check(count(f"SELECT COUNT(*) {old}") == 182, "the second import added rows")
    check(len(aws(["list-imports"])["Imports"]) == 2, "two imports listed")
    print("ok imports")
    return {"imported_store": arn}


# --- 5. Results delivered to DeliveryS3Uri -----------------------------------------------


def delivery_phase(events_store):
    os.makedirs(os.path.join(DATA_DIR, "buckets", "lake-results"), exist_ok=True)
    table = store_id(events_store)
    statement = f"SELECT eventID, eventName, element_at(requestParameters, 'key') AS k FROM {table} " \
                f"WHERE userAgent = '{AGENT}' ORDER BY eventID LIMIT 6"
    query_id = CT.start_query(QueryStatement=statement, DeliveryS3Uri="s3://lake-results/results")["QueryId"]
    described = until("the delivery", lambda: (lambda got: got if got.get("DeliveryStatus") not in
                                               (None, "PENDING") else None)(CT.describe_query(QueryId=query_id)))
    check(described["QueryStatus"] == "FINISHED" and described["DeliveryStatus"] == "SUCCESS", f"delivery: {described}")
    check(described["DeliveryS3Uri"] == "s3://lake-results/results", f"DeliveryS3Uri: {described}")
    pattern = os.path.join(DATA_DIR, "buckets", "lake-results", "results", "AWSLogs", ACCOUNT, "CloudTrail-Lake",
                           "Query", "*", "*", "*", query_id, "result_1.csv.gz")
    found = glob.glob(pattern)
    check(len(found) == 1, f"result files {found} ({pattern})")
    year, month, day = found[0].split(os.sep)[-5:-2]
    delivered = datetime.date(int(year), int(month), int(day))
    today = datetime.datetime.now(datetime.timezone.utc).date()
    check(delivered in (today, today - datetime.timedelta(days=1)) and len(month) == 2 and len(day) == 2,
          f"date folders {year}/{month}/{day}")
    text = gzip.decompress(open(found[0], "rb").read()).decode()
    check(text.endswith("\r\n"), "CSV records end with CRLF")
    table_rows = list(csv.reader(io.StringIO(text)))
    wanted = [["eventID", "eventName", "k"]] + [
        [one["eventID"], one["eventName"], (one["requestParameters"] or {}).get("key", "")] for one in RECORDS[:6]]
    check(table_rows == wanted, f"CSV: {table_rows}")
    raises(CT.exceptions.S3BucketDoesNotExistException, CT.start_query, QueryStatement=statement,
           DeliveryS3Uri="s3://lake-no-such-bucket/results")
    print("ok DeliveryS3Uri")


# --- 6. After a restart --------------------------------------------------------------------


def restarted_phase(state):
    stores = {store["Name"]: store for store in CT.list_event_data_stores()["EventDataStores"]}
    check(sorted(stores) == ["lake-activity", "lake-cli", "lake-events", "lake-imported"], f"stores: {sorted(stores)}")
    check(all(store["Status"] == "ENABLED" for store in stores.values()), f"statuses: {stores}")
    check(stores["lake-cli"]["RetentionPeriod"] == 400 and stores["lake-imported"]["RetentionPeriod"] == 3653,
          f"retention after restart: {stores}")

    described = CT.describe_query(QueryId=state["query_id"])
    check(described["QueryStatus"] == "FINISHED" and described["QueryString"] == state["statement"],
          f"old query: {described}")
    rows, _ = all_rows(state["query_id"])
    check(rows == state["query_rows"], "the old query's rows changed across the restart")
    check(state["query_id"] in {one["QueryId"] for one in
                                CT.list_queries(EventDataStore=state["events_store"])["Queries"]}, "old query listed")

    events = store_id(state["events_store"])
    check(count(f"SELECT COUNT(*) FROM {events} WHERE userAgent = '{AGENT}'") == 30, "events after restart")
    imported = store_id(state["imported_store"])
    check(count(f"SELECT COUNT(*) FROM {imported} WHERE eventTime < '2024-01-01 00:00:00'") == 182,
          "imported events after restart")
    activity = store_id(state["activity_store"])
    check(count(f"SELECT COUNT(*) FROM {activity}") == 3, "activity events after restart")
    channel = CT.get_channel(Channel=state["channel"])
    check(channel["Name"] == "lake-channel" and channel["IngestionStatus"].get("LatestIngestionErrorCode")
          == "DuplicatedAuditEventId", f"channel after restart: {channel}")

    # New records still flow into the store after the restart.
    ingest_one("after-restart")
    wait_count(f"SELECT COUNT(*) FROM {events} WHERE eventID = 'after-restart'", 1)
    print("ok after restart")


if __name__ == "__main__":
    if PHASE == "first":
        state = {"cli_store": stores_phase()}
        state.update(events_phase())
        state.update(channels_phase())
        state.update(imports_phase())
        delivery_phase(state["events_store"])
        with open(STATE, "w") as file:
            json.dump(state, file)
    else:
        with open(STATE) as file:
            restarted_phase(json.load(file))
