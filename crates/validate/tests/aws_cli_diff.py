"""Replays the integration tests' compatibility cases with the real aws CLI and diffs the
output with ours, byte for byte.

    VALIDATE_DUMP_DIR=/tmp/cases cargo test -p opentrail-validate --test tests
    python3 crates/validate/tests/aws_cli_diff.py /tmp/cases

Each case folder (written by `Fixture::dump` in tests/support.rs) holds the local bucket
directories of the run (`buckets/<name>/`, metadata in `<key>.meta.json` sidecars) and
`case.json`: the options, the public keys and trails the run's sources answered with, and
what `opentrail-validate` printed. For each case this script empties a moto_server (S3),
uploads the buckets with their metadata, points a stub CloudTrail/Organizations endpoint
at the case's keys and trails, runs `aws cloudtrail validate-logs` with the same options,
and compares stdout, stderr and the exit status. Cases without an end time (the aws CLI
would use its own clock) or with bucket names S3 refuses are skipped.

Needs `moto[server]`, `boto3` and `awscli` (`pip install 'moto[server]' boto3 awscli`).
Exits 1 when any case differs.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import boto3
from botocore.config import Config

SIDECAR = ".meta.json"
CASE = {}


class Stub(BaseHTTPRequestHandler):
    """DescribeTrails, ListPublicKeys and DescribeOrganization for the current case."""

    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        operation = self.headers.get("X-Amz-Target", "").rsplit(".", 1)[-1]
        status, payload = 200, {}
        if operation == "DescribeTrails":
            payload = {"trailList": [
                {name: value for name, value in trail.items() if value is not None}
                for trail in CASE["trails"]
            ]}
        elif operation == "ListPublicKeys":
            start, end = body.get("StartTime"), body.get("EndTime")
            payload = {"PublicKeyList": [
                {name: value for name, value in key.items() if value is not None}
                for key in CASE["keys"]
                if (end is None or key["ValidityStartTime"] <= end)
                and (start is None or key["ValidityEndTime"] >= start)
            ]}
        elif operation == "DescribeOrganization":
            payload = {"Organization": {"Id": CASE["organization_id"]}}
        else:
            status, payload = 400, {"__type": "UnknownOperationException", "message": operation}
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *arguments):
        pass


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def upload(client, root):
    for bucket in sorted(os.listdir(root)):
        folder = os.path.join(root, bucket)
        if not os.path.isdir(folder):
            continue
        client.create_bucket(Bucket=bucket)
        for parent, _, names in os.walk(folder):
            for name in names:
                if name.endswith(SIDECAR) or name.startswith(".tmp-"):
                    continue
                path = os.path.join(parent, name)
                key = os.path.relpath(path, folder).replace(os.sep, "/")
                metadata = {}
                if os.path.isfile(path + SIDECAR):
                    with open(path + SIDECAR, encoding="utf-8") as file:
                        metadata = json.load(file)
                with open(path, "rb") as file:
                    client.put_object(Bucket=bucket, Key=key, Body=file.read(), Metadata=metadata)


def main():
    cases_root = sys.argv[1]
    moto_port = free_port()
    scratch = tempfile.mkdtemp()
    moto = subprocess.Popen(
        ["moto_server", "-H", "127.0.0.1", "-p", str(moto_port)],
        stdout=open(os.path.join(scratch, "moto.log"), "w"),
        stderr=subprocess.STDOUT,
    )
    moto_url = f"http://127.0.0.1:{moto_port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(moto_url + "/")
            break
        except OSError:
            time.sleep(0.2)
    stub = ThreadingHTTPServer(("127.0.0.1", 0), Stub)
    threading.Thread(target=stub.serve_forever, daemon=True).start()
    stub_url = f"http://127.0.0.1:{stub.server_address[1]}"
    env = dict(os.environ)
    for name in ("AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_SESSION_TOKEN"):
        env.pop(name, None)
    env.update({
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_ENDPOINT_URL_S3": moto_url,
        "AWS_ENDPOINT_URL_CLOUDTRAIL": stub_url,
        "AWS_ENDPOINT_URL_ORGANIZATIONS": stub_url,
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    })
    client = boto3.client(
        "s3", endpoint_url=moto_url, region_name="us-east-1",
        aws_access_key_id="testing", aws_secret_access_key="testing",
        config=Config(s3={"addressing_style": "path"}),
    )
    failures = 0
    compared = 0
    try:
        for name in sorted(os.listdir(cases_root)):
            folder = os.path.join(cases_root, name)
            with open(os.path.join(folder, "case.json"), encoding="utf-8") as file:
                case = json.load(file)
            buckets = [entry for entry in os.listdir(os.path.join(folder, "buckets"))
                       if os.path.isdir(os.path.join(folder, "buckets", entry))]
            if case["end"] is None or any(len(bucket) < 3 for bucket in buckets):
                print(f"skip {name}")
                continue
            CASE.clear()
            CASE.update(case)
            urllib.request.urlopen(urllib.request.Request(moto_url + "/moto-api/reset", method="POST"))
            upload(client, os.path.join(folder, "buckets"))
            command = ["aws", "--region", case["region"], "cloudtrail", "validate-logs",
                       "--trail-arn", case["trail_arn"], "--start-time", case["start"],
                       "--end-time", case["end"]]
            for option in ("s3_bucket", "s3_prefix", "account_id"):
                if case[option] is not None:
                    command += ["--" + option.replace("_", "-"), case[option]]
            if case["verbose"]:
                command.append("--verbose")
            run = subprocess.run(command, env=env, capture_output=True, text=True)
            compared += 1
            same = (run.stdout, run.stderr, run.returncode) == (case["stdout"], case["stderr"], case["exit"])
            print(f"{'same' if same else 'DIFFERENT'} {name}")
            if not same:
                failures += 1
                print(f"  exit: aws {run.returncode}, ours {case['exit']}")
                for stream in ("stdout", "stderr"):
                    theirs, ours = getattr(run, stream), case[stream]
                    if theirs != ours:
                        print(f"  --- aws {stream}\n{theirs}  --- our {stream}\n{ours}")
    finally:
        moto.terminate()
        stub.shutdown()
    print(f"{compared} cases compared, {failures} different")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
