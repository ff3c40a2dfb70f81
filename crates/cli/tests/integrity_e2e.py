"""Proof against the real validator: `opentrail serve` delivers a trail to a real S3
emulator (moto_server), and `aws cloudtrail validate-logs` (the aws CLI's own code) must
call every digest and log file valid; then each tampering must be reported by both the
aws CLI and `opentrail validate-logs`, with the same verdicts and the same output.

Run by `tests/integrity.rs`, which starts moto_server and the server (short delivery
interval and digest period) on 127.0.0.1 and stops both afterwards. Environment:

  OPENTRAIL_ENDPOINT      http://127.0.0.1:PORT of opentrail serve
  OPENTRAIL_CREDENTIALS   the admin key's shared-credentials file
  OPENTRAIL_BIN           the opentrail binary
  MOTO_ENDPOINT           http://127.0.0.1:PORT of moto_server
  DIGEST_PERIOD_SECS      the server's digest period

Exits non-zero with a message on the first failed check.
"""

import gzip
import hashlib
import json
import os
import subprocess
import time
import uuid
from datetime import datetime, timedelta, timezone

import boto3
import rsa

from e2e_support import admin_key, check, signed_post

ENDPOINT = os.environ["OPENTRAIL_ENDPOINT"]
MOTO = os.environ["MOTO_ENDPOINT"]
BIN = os.environ["OPENTRAIL_BIN"]
PERIOD = int(os.environ["DIGEST_PERIOD_SECS"])
REGION = "us-east-1"
ACCOUNT = "111111111111"
BUCKET = "audit-archive"
TRAIL = "proof-trail"


KEY = admin_key()
BASE_ENV = dict(os.environ)
BASE_ENV.update(
    {
        "AWS_ACCESS_KEY_ID": KEY[0],
        "AWS_SECRET_ACCESS_KEY": KEY[1],
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        # The aws CLI's --endpoint-url reaches CloudTrail only; S3 goes to moto.
        "AWS_ENDPOINT_URL_CLOUDTRAIL": ENDPOINT,
        "AWS_ENDPOINT_URL_S3": MOTO,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    }
)
BASE_ENV.pop("AWS_PROFILE", None)


def cloudtrail():
    return boto3.client(
        "cloudtrail",
        endpoint_url=ENDPOINT,
        region_name=REGION,
        aws_access_key_id=KEY[0],
        aws_secret_access_key=KEY[1],
    )


def s3():
    return boto3.client(
        "s3",
        endpoint_url=MOTO,
        region_name=REGION,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


def ingest(records):
    body = "\n".join(json.dumps(record) for record in records).encode()
    status, _, answer = signed_post("/ingest", body, {"Content-Type": "application/x-ndjson"}, KEY)
    check(status == 200, f"ingest answered {status}: {answer}")
    check(answer.get("FailedRecordCount", 0) == 0, f"ingest refused records: {answer}")


def record(index):
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {
        "eventVersion": "1.11",
        "userIdentity": {
            "type": "IAMUser",
            "principalId": "AIDAEXAMPLE",
            "arn": f"arn:aws:iam::{ACCOUNT}:user/alice",
            "accountId": ACCOUNT,
            "accessKeyId": "AKIAEXAMPLE",
            "userName": "alice",
        },
        "eventTime": now,
        "eventSource": "ec2.amazonaws.com",
        "eventName": "RunInstances" if index % 2 else "DescribeInstances",
        "awsRegion": REGION,
        "sourceIPAddress": "192.0.2.10",
        "userAgent": "integrity-e2e",
        "requestParameters": {"index": index},
        "responseElements": None,
        "requestID": str(uuid.uuid4()),
        "eventID": str(uuid.uuid4()),
        "readOnly": index % 2 == 0,
        "eventType": "AwsApiCall",
        "managementEvent": True,
        "recipientAccountId": ACCOUNT,
        "eventCategory": "Management",
    }


def run(command):
    result = subprocess.run(command, env=BASE_ENV, capture_output=True, text=True, timeout=600)
    return result.returncode, result.stdout, result.stderr


def validators(trail_arn, start, end, extra=()):
    """Runs the aws CLI's validator and ours with the same arguments."""
    args = [
        "--trail-arn",
        trail_arn,
        "--start-time",
        start,
        "--end-time",
        end,
        "--verbose",
        *extra,
    ]
    theirs = run(["aws", "--region", REGION, "cloudtrail", "validate-logs", *args])
    ours = run([BIN, "validate-logs", "--region", REGION, "--endpoint-url", ENDPOINT, *args])
    return theirs, ours


def same(theirs, ours, case):
    check(
        theirs[0] == ours[0],
        f"{case}: exit status differs: aws {theirs[0]}, opentrail {ours[0]}\naws:\n{theirs[1]}{theirs[2]}\nopentrail:\n{ours[1]}{ours[2]}",
    )
    check(
        theirs[1] == ours[1],
        f"{case}: stdout differs\n--- aws\n{theirs[1]}\n--- opentrail\n{ours[1]}",
    )
    check(
        theirs[2] == ours[2],
        f"{case}: stderr differs\n--- aws\n{theirs[2]}\n--- opentrail\n{ours[2]}",
    )


def objects(client):
    keys = []
    paginator = client.get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=BUCKET):
        keys.extend(item["Key"] for item in page.get("Contents", []))
    return keys


def snapshot(client):
    saved = {}
    for key in objects(client):
        got = client.get_object(Bucket=BUCKET, Key=key)
        saved[key] = (got["Body"].read(), got.get("Metadata", {}))
    return saved


def restore(client, saved):
    for key in objects(client):
        if key not in saved:
            client.delete_object(Bucket=BUCKET, Key=key)
    for key, (body, metadata) in saved.items():
        client.put_object(Bucket=BUCKET, Key=key, Body=body, Metadata=metadata)


def main():
    storage = s3()
    storage.create_bucket(Bucket=BUCKET)
    trails = cloudtrail()
    created = trails.create_trail(
        Name=TRAIL, S3BucketName=BUCKET, EnableLogFileValidation=True
    )
    arn = created["TrailARN"]
    check(created["LogFileValidationEnabled"] is True, f"validation not on: {created}")
    begin = datetime.now(timezone.utc) - timedelta(minutes=2)
    trails.start_logging(Name=TRAIL)

    # A few batches over several digest periods, and one quiet period (empty digest).
    for round_ in range(3):
        ingest([record(round_ * 10 + index) for index in range(10)])
        time.sleep(PERIOD + 1)
    time.sleep(PERIOD + 2)
    status = trails.get_trail_status(Name=TRAIL)
    check(status["IsLogging"], f"not logging: {status}")
    check("LatestDeliveryTime" in status, f"no delivery time: {status}")
    check("LatestDigestDeliveryTime" in status, f"no digest time: {status}")
    check("LatestDeliveryError" not in status, f"delivery error: {status}")
    trails.stop_logging(Name=TRAIL)
    time.sleep(5)  # the final digest, after the StopLogging record's grace
    end = datetime.now(timezone.utc) + timedelta(minutes=1)
    start_text = begin.strftime("%Y-%m-%dT%H:%M:%SZ")
    end_text = end.strftime("%Y-%m-%dT%H:%M:%SZ")

    keys = objects(storage)
    digests = sorted(key for key in keys if "/CloudTrail-Digest/" in key)
    logs = sorted(key for key in keys if "/CloudTrail/" in key)
    check(len(digests) >= 4, f"expected several digests, found {digests}")
    check(len(logs) >= 3, f"expected several log files, found {logs}")

    # 1. Untouched: the aws CLI says every digest and log file is valid.
    theirs, ours = validators(arn, start_text, end_text)
    check(theirs[0] == 0, f"aws validate-logs failed on an untouched trail:\n{theirs[1]}{theirs[2]}")
    check("INVALID" not in theirs[1] + theirs[2], f"aws reported INVALID:\n{theirs[1]}{theirs[2]}")
    check(
        f"{len(digests)}/{len(digests)} digest files valid" in theirs[1],
        f"not every digest valid:\n{theirs[1]}",
    )
    check(f"{len(logs)}/{len(logs)} log files valid" in theirs[1], f"not every log file valid:\n{theirs[1]}")
    same(theirs, ours, "untouched")

    saved = snapshot(storage)
    newest_log = logs[-1]
    middle_digest = digests[len(digests) // 2]

    # A log file holding one of the sent records (on a busy machine the first files may
    # hold only the server's own audit records).
    sent_log = next((key for key in logs if b"integrity-e2e" in gzip.decompress(saved[key][0])), None)
    check(sent_log is not None, f"no log file holds the sent records: {logs}")

    def tamper_byte(client):
        body = gzip.decompress(saved[sent_log][0])
        changed = body.replace(b"integrity-e2e", b"integrity-e2f", 1)
        client.put_object(Bucket=BUCKET, Key=sent_log, Body=gzip.compress(changed))

    def delete_log(client):
        client.delete_object(Bucket=BUCKET, Key=logs[1 % len(logs)])

    def delete_digest(client):
        client.delete_object(Bucket=BUCKET, Key=middle_digest)

    def other_key(client):
        body, metadata = saved[middle_digest]
        inflated = gzip.decompress(body)
        fields = json.loads(inflated)
        previous = fields["previousDigestSignature"] or "null"
        message = "\n".join(
            [
                fields["digestEndTime"],
                f"{fields['digestS3Bucket']}/{fields['digestS3Object']}",
                hashlib.sha256(inflated).hexdigest(),
                previous,
            ]
        )
        _, private = rsa.newkeys(2048)
        signature = rsa.sign(message.encode(), private, "SHA-256").hex()
        metadata = dict(metadata)
        metadata["signature"] = signature
        client.put_object(Bucket=BUCKET, Key=middle_digest, Body=body, Metadata=metadata)

    def truncate_newest(client):
        body, _ = saved[newest_log]
        client.put_object(Bucket=BUCKET, Key=newest_log, Body=body[: len(body) // 2])

    cases = [
        ("one byte of a log file", tamper_byte, "hash value doesn't match"),
        ("a deleted log file", delete_log, "INVALID: not found"),
        ("a deleted digest", delete_digest, "INVALID: not found"),
        ("a digest signed by another key", other_key, "INVALID: signature verification failed"),
        ("the newest hour truncated", truncate_newest, "INVALID"),
    ]
    for name, tamper, verdict in cases:
        tamper(storage)
        theirs, ours = validators(arn, start_text, end_text)
        check(theirs[0] == 1, f"{name}: aws validate-logs did not fail:\n{theirs[1]}{theirs[2]}")
        check(verdict in theirs[2], f"{name}: aws did not report `{verdict}`:\n{theirs[2]}")
        same(theirs, ours, name)
        restore(storage, saved)
        print(f"integrity_e2e: {name}: both validators report `{verdict}`")

    # Strict mode sees what the aws CLI cannot: two consecutive digests gone are two
    # problems, not one (aws/aws-cli#7054).
    gone = digests[1:3]
    for key in gone:
        storage.delete_object(Bucket=BUCKET, Key=key)
    theirs, ours = validators(arn, start_text, end_text)
    same(theirs, ours, "two consecutive digests deleted (compatibility mode)")
    check(theirs[2].count("INVALID: not found") == 1, f"aws reports these differently now:\n{theirs[2]}")
    strict = run(
        [BIN, "validate-logs", "--region", REGION, "--endpoint-url", ENDPOINT, "--trail-arn", arn,
         "--start-time", start_text, "--end-time", end_text, "--strict"]
    )
    check(strict[0] == 1, f"strict mode passed with two digests deleted:\n{strict[1]}{strict[2]}")
    # The walk reports the newer one as not found (it is pointed at); strict mode adds the
    # window of the older one, which nothing points at any more.
    check(
        gone[1] in strict[2] and "INVALID: not found" in strict[2],
        f"strict mode did not report {gone[1]}:\n{strict[1]}{strict[2]}",
    )
    check(
        strict[2].count("STRICT: missing") == len(gone) - 1,
        f"strict mode did not report the other missing digest:\n{strict[1]}{strict[2]}",
    )
    restore(storage, saved)
    print("integrity_e2e: all checks passed")


if __name__ == "__main__":
    main()
