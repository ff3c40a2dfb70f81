"""Writes N compact CloudTrail management-event records as gzipped NDJSON files, spread
over the last DAYS days, for the console benchmark (bench/console.sh). Like a trail's log
files, each file covers its own slice of time (the files in name order cover the days in
order), its records in time order; an import in name order therefore writes the history
in time order, as a trail archive's import or live ingest does. Compact: no
request parameters or response elements, so 10 M events fit a small disk (~4.5 GB of
journal instead of ~15 GB); everything the console's pages index, count and show is
there, with realistic cardinalities (3 accounts, 40 services, ~300 event names, 2,000
users, 25 error codes on 6 % of calls, ~20,000 source IPs with a skewed distribution,
resources on a third of the events).

    python3 bench/console_data.py OUT EVENTS DAYS ACCOUNT SEED

ACCOUNT is the first of the three accounts (60 % of the events); the benchmark signs in
as the admin key of that account. Deterministic for a given SEED and END (the end of the
range is now, rounded down to the minute, unless BENCH_END gives epoch seconds).
"""

import datetime
import gzip
import json
import multiprocessing
import os
import random
import sys
import time

SERVICES = [
    "ec2", "s3", "iam", "sts", "lambda", "dynamodb", "kms", "cloudtrail", "logs", "monitoring",
    "rds", "ecs", "eks", "sns", "sqs", "ssm", "secretsmanager", "cloudformation", "route53",
    "elasticloadbalancing", "autoscaling", "config", "guardduty", "organizations", "glue",
    "athena", "kinesis", "firehose", "ecr", "codebuild", "codepipeline", "apigateway",
    "events", "states", "cognito-idp", "acm", "waf", "backup", "elasticfilesystem", "redshift",
]
VERBS = ["Describe", "List", "Get", "Create", "Update", "Delete", "Put"]
NOUNS = ["Instances", "Buckets", "Roles", "Functions", "Tables", "Keys", "Trails", "LogGroups",
         "Alarms", "Clusters", "Services", "Topics", "Queues", "Parameters", "Secrets", "Stacks"]
ERRORS = ["AccessDenied", "AccessDeniedException", "ThrottlingException", "ValidationException",
          "ResourceNotFoundException", "NoSuchBucket", "NoSuchKey", "InvalidParameterValue",
          "UnauthorizedOperation", "Client.UnauthorizedOperation", "ExpiredToken",
          "InvalidClientTokenId", "ConditionalCheckFailedException", "LimitExceededException",
          "ServiceUnavailable", "InternalError", "RequestLimitExceeded", "DryRunOperation",
          "InvalidInstanceID.NotFound", "NoSuchEntity", "EntityAlreadyExists",
          "KMSInvalidStateException", "TooManyRequestsException", "ConflictException",
          "InvalidRequest"]
AGENTS = ["aws-cli/2.15.30 Python/3.11.8 Linux/6.1", "Boto3/1.34.69 Python/3.12.2",
          "aws-sdk-go-v2/1.26.0", "console.amazonaws.com", "terraform/1.7.5",
          "aws-sdk-java/2.25.16"]


def world(seed, first_account):
    rng = random.Random(seed)
    accounts = [first_account] + ["%012d" % rng.randrange(10**11, 10**12) for _ in range(2)]
    names = []
    for service in SERVICES:
        for _ in range(rng.randrange(4, 12)):
            names.append((service, rng.choice(VERBS) + rng.choice(NOUNS)))
    users = ["user-%04d" % index for index in range(2000)]
    ips = ["%d.%d.%d.%d" % (rng.randrange(1, 223), rng.randrange(256), rng.randrange(256),
                            rng.randrange(1, 255)) for _ in range(20000)]
    return accounts, names, users, ips


def write_part(task):
    out, part, count, start_s, span_s, seed, first_account = task
    # Successive times inside this file's slice.
    clock = random.Random(seed * 7 + part)
    times = sorted(start_s + clock.random() * span_s for _ in range(count))
    accounts, names, users, ips = world(seed, first_account)
    rng = random.Random(seed * 1000 + part)
    path = os.path.join(out, "part-%04d.json.gz" % part)
    lines = []
    for when in times:
        account = accounts[0] if rng.random() < 0.6 else rng.choice(accounts[1:])
        service, name = names[min(int(rng.paretovariate(0.9)) - 1, len(names) - 1)] \
            if rng.random() < 0.5 else rng.choice(names)
        user = users[min(int(rng.paretovariate(0.8)) - 1, len(users) - 1)] \
            if rng.random() < 0.7 else rng.choice(users)
        ip = ips[min(int(rng.paretovariate(0.7)) - 1, len(ips) - 1)] \
            if rng.random() < 0.6 else rng.choice(ips)
        record = {
            "eventVersion": "1.08",
            "userIdentity": {
                "type": "IAMUser",
                "principalId": "AIDA" + user.upper().replace("-", ""),
                "arn": "arn:aws:iam::%s:user/%s" % (account, user),
                "accountId": account,
                "accessKeyId": "AKIA%016d" % (int(user[5:]) * 7919),
                "userName": user,
            },
            "eventTime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when)),
            "eventSource": service + ".amazonaws.com",
            "eventName": name,
            "awsRegion": "us-east-1",
            "sourceIPAddress": ip,
            "userAgent": rng.choice(AGENTS),
            "requestParameters": None,
            "responseElements": None,
            "requestID": "%032x" % rng.getrandbits(128),
            "eventID": "%08x-%04x-4%03x-8%03x-%012x" % (
                rng.getrandbits(32), rng.getrandbits(16), rng.getrandbits(12),
                rng.getrandbits(12), rng.getrandbits(48)),
            "readOnly": name.startswith(("Describe", "List", "Get")),
            "eventType": "AwsApiCall",
            "managementEvent": True,
            "recipientAccountId": account,
            "eventCategory": "Management",
        }
        if rng.random() < 0.06:
            record["errorCode"] = ERRORS[min(int(rng.paretovariate(1.0)) - 1, len(ERRORS) - 1)]
            record["errorMessage"] = "The request failed."
        if rng.random() < 0.33:
            record["resources"] = [{
                "accountId": account,
                "type": "AWS::%s::Resource" % service.upper(),
                "ARN": "arn:aws:%s:us-east-1:%s:resource/r-%05d" % (service, account,
                                                                   rng.randrange(50000)),
            }]
        lines.append(json.dumps(record, separators=(",", ":")))
    with gzip.open(path + ".tmp", "wt", compresslevel=1) as file:
        file.write("\n".join(lines))
        file.write("\n")
    os.replace(path + ".tmp", path)
    return count


def main():
    out, events, days, account, seed = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), \
        sys.argv[4], int(sys.argv[5])
    end_s = int(os.environ.get("BENCH_END", int(time.time()) // 60 * 60))
    span_s = days * 86400
    os.makedirs(out, exist_ok=True)
    per_part = 100_000
    parts = (events + per_part - 1) // per_part
    slice_s = span_s / parts
    tasks = []
    for part in range(parts):
        count = min(per_part, events - part * per_part)
        tasks.append((out, part, count, end_s - span_s + part * slice_s, slice_s, seed, account))
    started = time.time()
    with multiprocessing.Pool(os.cpu_count()) as pool:
        written = sum(pool.imap_unordered(write_part, tasks))
    end = datetime.datetime.fromtimestamp(end_s, datetime.timezone.utc)
    print("wrote %d events in %d files over %.0f days ending %s in %.0f s" % (
        written, len(tasks), days, end.isoformat(), time.time() - started))


if __name__ == "__main__":
    main()
