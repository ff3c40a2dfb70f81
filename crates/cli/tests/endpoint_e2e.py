"""End-to-end checks of a recording endpoint of `opentrail serve`: boto3 and the aws CLI
(`s3`, `s3api`) → the endpoint → moto_server, with moto checking every signature, so a
call the endpoint altered would fail there.

Run by `tests/endpoint.rs` in two phases:

  setup   (before OpenTrail starts) makes two IAM users with access keys in moto (whose
          first requests need no signature) and prints them as JSON: "member" becomes a
          [[keys]] principal of OpenTrail (account 222222222222), "outsider" stays unknown.
  calls   (OpenTrail running) drives the endpoint and checks the records.

Environment:

  MOTO_ENDPOINT           http://127.0.0.1:PORT of moto_server
  OPENTRAIL_ENDPOINT      OpenTrail's API (calls phase), OPENTRAIL_CREDENTIALS its admin key
  RECORDING_ENDPOINT      http://127.0.0.1:PORT of the recording endpoint
  ENDPOINT_ID             its vpcEndpointId; its owner is the admin account 111111111111
  MEMBER, OUTSIDER        KEY:SECRET of the two moto keys (calls phase)
  SERVE_PID               the server's process id (its peak memory is read from /proc)
  WORK_DIR                a scratch folder

Exits non-zero with a message on the first failed check.
"""

import gzip
import hashlib
import json
import os
import subprocess
import sys
import time

import boto3
import botocore

from e2e_support import aws, check, fail, until

REGION = "us-east-1"
OWNER = "111111111111"
MEMBER_ACCOUNT = "222222222222"
BUCKET = "endpoint-bucket"
TRAIL_BUCKET = "trail-bucket"
MOTO = os.environ["MOTO_ENDPOINT"]
DENIED_MESSAGE = "The request was denied due to a VPC endpoint policy"
BIG_BYTES = 200 * 1024 * 1024


def s3_client(endpoint, key):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=key[0],
        aws_secret_access_key=key[1],
        config=botocore.config.Config(retries={"max_attempts": 1}, s3={"addressing_style": "path"}),
    )


def setup_phase():
    iam = boto3.client("iam", endpoint_url=MOTO, region_name=REGION,
                       aws_access_key_id="setup", aws_secret_access_key="setup")
    keys = {}
    for name in ["member", "outsider"]:
        iam.create_user(UserName=name)
        iam.put_user_policy(UserName=name, PolicyName="all", PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}))
        key = iam.create_access_key(UserName=name)["AccessKey"]
        keys[name] = f"{key['AccessKeyId']}:{key['SecretAccessKey']}"
    print(json.dumps(keys))


def error_of(call, *args, **kwargs):
    try:
        call(*args, **kwargs)
    except botocore.exceptions.ClientError as error:
        return error.response
    fail(f"{call.__name__}{args}{kwargs} was not refused")


def cli(args, key, expect_ok=True):
    """`aws ARGS` against the recording endpoint with `key`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env.update({"AWS_ACCESS_KEY_ID": key[0], "AWS_SECRET_ACCESS_KEY": key[1], "AWS_CONFIG_FILE": os.devnull,
                "AWS_SHARED_CREDENTIALS_FILE": os.devnull})
    command = ["aws", "--endpoint-url", os.environ["RECORDING_ENDPOINT"], "--region", REGION, "--output", "json"]
    done = subprocess.run(command + args, env=env, capture_output=True, text=True, timeout=600)
    if expect_ok:
        check(done.returncode == 0, f"aws {' '.join(args)} failed: {done.stderr}")
    else:
        check(done.returncode != 0, f"aws {' '.join(args)} should have failed")
    return done


def peak_memory_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    fail("no VmHWM in /proc status")


def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def lookup_s3_records():
    """Every record of account 111111111111 whose eventSource is s3.amazonaws.com, from
    LookupEvents (history keeps network activity and data events in this test's config)."""
    records = []
    arguments = ["lookup-events", "--lookup-attributes", "AttributeKey=EventSource,AttributeValue=s3.amazonaws.com",
                 "--max-results", "50"]
    token = None
    while True:
        page = aws(arguments + (["--next-token", token] if token else []))
        records += [json.loads(event["CloudTrailEvent"]) for event in page.get("Events", [])]
        token = page.get("NextToken")
        if not token:
            return records


def calls_phase():
    member = tuple(os.environ["MEMBER"].split(":"))
    outsider = tuple(os.environ["OUTSIDER"].split(":"))
    endpoint = os.environ["RECORDING_ENDPOINT"]
    endpoint_id = os.environ["ENDPOINT_ID"]
    work = os.environ["WORK_DIR"]
    direct = s3_client(MOTO, member)
    through = s3_client(endpoint, member)

    # A trail taking denied network activity and S3 object data events (the console's
    # "log network activity access denied events" template), delivering to moto.
    direct.create_bucket(Bucket=TRAIL_BUCKET)
    aws(["create-trail", "--name", "endpoint-trail", "--s3-bucket-name", TRAIL_BUCKET])
    aws(["put-event-selectors", "--trail-name", "endpoint-trail", "--advanced-event-selectors", json.dumps([
        {"Name": "denied network activity", "FieldSelectors": [
            {"Field": "eventCategory", "Equals": ["NetworkActivity"]},
            {"Field": "eventSource", "Equals": ["s3.amazonaws.com"]},
            {"Field": "errorCode", "Equals": ["VpceAccessDenied"]}]},
        {"Name": "object calls", "FieldSelectors": [
            {"Field": "eventCategory", "Equals": ["Data"]},
            {"Field": "resources.type", "Equals": ["AWS::S3::Object"]}]}])])
    aws(["start-logging", "--name", "endpoint-trail"])

    # boto3 through the endpoint.
    through.create_bucket(Bucket=BUCKET)
    put = through.put_object(Bucket=BUCKET, Key="docs/a b.txt", Body=b"hello endpoint")
    got = through.get_object(Bucket=BUCKET, Key="docs/a b.txt")
    check(got["Body"].read() == b"hello endpoint", "GetObject through the endpoint")
    get_request_id = got["ResponseMetadata"]["RequestId"]
    check(through.head_object(Bucket=BUCKET, Key="docs/a b.txt")["ContentLength"] == 14, "HeadObject")
    through.put_object(Bucket=BUCKET, Key="docs/b.txt", Body=b"b")
    through.put_object(Bucket=BUCKET, Key="protected/keep.txt", Body=b"keep")
    # "docs", not "docs/": moto's own signature check fails on an encoded "/" in a query
    # (it does so without the endpoint too).
    listed = through.list_objects_v2(Bucket=BUCKET, Prefix="docs")
    check(sorted(item["Key"] for item in listed["Contents"]) == ["docs/a b.txt", "docs/b.txt"], f"listing: {listed}")
    deleted = through.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": "docs/b.txt"}]})
    check([item["Key"] for item in deleted["Deleted"]] == ["docs/b.txt"], f"DeleteObjects: {deleted}")
    missing = error_of(through.head_object, Bucket=BUCKET, Key="docs/none.txt")
    check(missing["ResponseMetadata"]["HTTPStatusCode"] == 404, f"HeadObject of a missing key: {missing}")

    upload = through.create_multipart_upload(Bucket=BUCKET, Key="multi.bin")["UploadId"]
    part = os.urandom(5 * 1024 * 1024)
    parts = []
    for number in [1, 2]:
        etag = through.upload_part(Bucket=BUCKET, Key="multi.bin", UploadId=upload, PartNumber=number, Body=part)["ETag"]
        parts.append({"PartNumber": number, "ETag": etag})
    through.complete_multipart_upload(Bucket=BUCKET, Key="multi.bin", UploadId=upload,
                                      MultipartUpload={"Parts": parts})
    check(direct.head_object(Bucket=BUCKET, Key="multi.bin")["ContentLength"] == 10 * 1024 * 1024, "multipart object")

    # The denied calls: a delete the policy forbids, and a key from outside the organisation.
    refused = error_of(through.delete_object, Bucket=BUCKET, Key="protected/keep.txt")
    check(refused["Error"]["Code"] == "AccessDenied", f"denied delete: {refused}")
    check("explicit deny in a VPC endpoint policy" in refused["Error"]["Message"], f"denial message: {refused}")
    check(direct.get_object(Bucket=BUCKET, Key="protected/keep.txt")["Body"].read() == b"keep",
          "a denied call reached the store")
    foreign = error_of(s3_client(endpoint, outsider).list_objects_v2, Bucket=BUCKET)
    check(foreign["Error"]["Code"] == "AccessDenied", f"outsider: {foreign}")
    check("no VPC endpoint policy allows" in foreign["Error"]["Message"], f"outsider message: {foreign}")

    # The aws CLI: s3api, and a 200 MB object both ways with the server's memory bounded.
    cli(["s3api", "put-object", "--bucket", BUCKET, "--key", "cli.txt", "--body", __file__], member)
    cli(["s3api", "get-object", "--bucket", BUCKET, "--key", "cli.txt", os.path.join(work, "cli.txt")], member)
    listing = json.loads(cli(["s3api", "list-objects-v2", "--bucket", BUCKET, "--prefix", "cli"], member).stdout)
    check([item["Key"] for item in listing["Contents"]] == ["cli.txt"], f"s3api listing: {listing}")
    big = os.path.join(work, "big.bin")
    with open(big, "wb") as file:
        for _ in range(BIG_BYTES // (1 << 20)):
            file.write(os.urandom(1 << 20))
    pid = int(os.environ["SERVE_PID"])
    before = peak_memory_kib(pid)
    cli(["s3", "cp", big, f"s3://{BUCKET}/big.bin"], member)
    back = os.path.join(work, "back.bin")
    cli(["s3", "cp", f"s3://{BUCKET}/big.bin", back], member)
    check(sha256_of(back) == sha256_of(big), "the 200 MB object came back different")
    grown_mib = (peak_memory_kib(pid) - before) / 1024
    check(grown_mib < 64, f"the server's peak memory grew by {grown_mib:.0f} MiB moving 200 MB each way")
    cli(["s3", "rm", f"s3://{BUCKET}/big.bin"], member)
    cli(["s3", "ls", f"s3://{BUCKET}/"], outsider, expect_ok=False)
    print(f"ok calls (peak memory grew {grown_mib:.1f} MiB over 400 MB moved)")

    # The records, through LookupEvents.
    def all_recorded():
        records = lookup_s3_records()
        names = {(record["eventCategory"], record["eventName"]) for record in records}
        wanted = {("NetworkActivity", "DeleteObject"), ("NetworkActivity", "ListObjects"),
                  ("Data", "CompleteMultipartUpload"), ("Data", "GetObject"), ("Data", "DeleteObjects")}
        return records if wanted <= names else None
    records = until("the endpoint's records in LookupEvents", all_recorded, deadline_secs=30)
    network = [record for record in records if record["eventCategory"] == "NetworkActivity"]
    data = [record for record in records if record["eventCategory"] == "Data"]
    for record in network:
        check(record["eventType"] == "AwsVpceEvent" and record["vpcEndpointId"] == endpoint_id, str(record))
        check(record["vpcEndpointAccountId"] == OWNER and record["recipientAccountId"] == OWNER, str(record))
        check(record["sourceIPAddress"] == "127.0.0.1" and "managementEvent" not in record, str(record))
    gets = [record for record in network if record["eventName"] == "GetObject" and "errorCode" not in record
            and record["userIdentity"].get("userName") == "member"]
    check(any(record.get("requestID") == get_request_id for record in gets),
          f"no GetObject network event with moto's request id {get_request_id}: {gets}")
    check(all(record["userIdentity"]["accountId"] == MEMBER_ACCOUNT for record in gets), str(gets))
    missing_heads = [record for record in network if record["eventName"] == "HeadObject" and "errorCode" in record]
    check(missing_heads and missing_heads[0]["errorCode"] == "NotFound", f"HeadObject 404: {missing_heads}")
    denied = [record for record in network if record.get("errorCode") == "VpceAccessDenied"]
    check(len(denied) >= 3, f"denied network events: {denied}")
    check(all(record["errorMessage"] == DENIED_MESSAGE for record in denied), str(denied))
    outsiders = [record for record in denied if record["userIdentity"].get("accessKeyId") == outsider[0]]
    check(outsiders and all(record["userIdentity"]["type"] == "AWSAccount"
                            and record["additionalEventData"]["outsideOrganization"] is True for record in outsiders),
          f"outsider records: {outsiders}")
    puts = [record for record in data if record["eventName"] == "PutObject"
            and record["requestParameters"].get("key") == "docs/a b.txt"]
    check(len(puts) == 1, f"one owner copy of the PutObject data event: {puts}")
    put_record = puts[0]
    check(put_record["resources"] == [
        {"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{BUCKET}/docs/a b.txt"},
        {"accountId": OWNER, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{BUCKET}"}], str(put_record))
    check(put_record["requestParameters"]["bucketName"] == BUCKET, str(put_record))
    check(put_record["additionalEventData"]["bytesTransferredIn"] == 14, str(put_record))
    check(put_record["readOnly"] is False and put_record["managementEvent"] is False, str(put_record))
    check(put_record["requestID"] == put["ResponseMetadata"]["RequestId"], str(put_record))
    check("sharedEventID" in put_record and put_record["vpcEndpointId"] == endpoint_id, str(put_record))
    data_gets = [record for record in data if record["eventName"] == "GetObject" and record["readOnly"] is True]
    check(any(record["additionalEventData"]["bytesTransferredOut"] == 14 for record in data_gets), str(data_gets))
    check(not any(record["eventName"] == "DeleteObject" and record["requestParameters"]["key"] == "protected/keep.txt"
                  for record in data), "the denied delete has a data event")
    check(not any(record["eventName"] == "CreateBucket" for record in data), "CreateBucket is not a data event")
    listings = [record for record in data if record["eventName"] == "ListObjects"]
    check(any(resource.get("ARNPrefix") == f"arn:aws:s3:::{BUCKET}/docs" for record in listings
              for resource in record["resources"]), f"ListObjects data events name the prefix: {listings}")
    print(f"ok lookup ({len(network)} network activity, {len(data)} data records)")

    # The trail's delivered log files hold exactly what its selectors take.
    def delivered():
        listed = direct.list_objects_v2(Bucket=TRAIL_BUCKET, Prefix="AWSLogs")  # (moto and "/": see above)
        found = []
        for item in listed.get("Contents", []):
            if not item["Key"].startswith(f"AWSLogs/{OWNER}/CloudTrail/"):
                continue
            body = direct.get_object(Bucket=TRAIL_BUCKET, Key=item["Key"])["Body"].read()
            found += json.loads(gzip.decompress(body))["Records"]
        kinds = {(record["eventCategory"], record.get("errorCode")) for record in found}
        return found if {("NetworkActivity", "VpceAccessDenied"), ("Data", None)} <= kinds else None
    logged = until("the trail's log files", delivered, deadline_secs=60, pause_secs=1)
    for record in logged:
        taken = (record["eventCategory"] == "NetworkActivity" and record.get("errorCode") == "VpceAccessDenied") or (
            record["eventCategory"] == "Data" and any(resource["type"] == "AWS::S3::Object"
                                                      for resource in record["resources"]))
        check(taken, f"the trail delivered a record its selectors do not take: {record}")
    check(any(record["eventName"] == "UploadPart" for record in logged), "no UploadPart data event delivered")
    print(f"ok trail ({len(logged)} records delivered)")


def main():
    phase = os.environ.get("OPENTRAIL_PHASE", "calls")
    if phase == "setup":
        setup_phase()
    else:
        calls_phase()


if __name__ == "__main__":
    main()
