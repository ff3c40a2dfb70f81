"""What the end-to-end scripts share: failing with a message, the admin key of the
server under test, the real aws CLI, waiting, and SigV4-signed posts to OpenTrail's own
endpoints (`/ingest`).

The scripts run as `python3 tests/<name>.py`, so this module is found next to them.
Environment: OPENTRAIL_ENDPOINT and OPENTRAIL_CREDENTIALS (the admin key's
shared-credentials file), as each script's runner sets them.
"""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

REGION = "us-east-1"
SCRIPT = os.path.splitext(os.path.basename(sys.argv[0]))[0]


def fail(message):
    print(f"{SCRIPT}: FAILED: {message}", file=sys.stderr)
    sys.exit(1)


def check(condition, message):
    if not condition:
        fail(message)


def admin_key():
    """The access key id and secret of the credentials file."""
    profile = {}
    with open(os.environ["OPENTRAIL_CREDENTIALS"]) as file:
        for line in file:
            if "=" in line and not line.startswith("#"):
                name, value = line.split("=", 1)
                profile[name.strip()] = value.strip()
    return profile["aws_access_key_id"], profile["aws_secret_access_key"]


def aws(args, expect_ok=True):
    """Runs the real aws CLI (`aws cloudtrail ARGS`) with the admin key; returns the parsed
    output, or stderr when the call is expected to fail."""
    return aws_service("cloudtrail", args, expect_ok)


def aws_service(service, args, expect_ok=True):
    """Runs `aws SERVICE ARGS` against the server with the admin key, as `aws` does."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("AWS_")}
    env["AWS_CONFIG_FILE"] = os.devnull
    env["AWS_SHARED_CREDENTIALS_FILE"] = os.environ["OPENTRAIL_CREDENTIALS"]
    command = ["aws", "--endpoint-url", os.environ["OPENTRAIL_ENDPOINT"], "--region", REGION, "--output", "json", service]
    completed = subprocess.run(command + args, env=env, capture_output=True, text=True, timeout=120)
    if expect_ok:
        check(completed.returncode == 0, f"aws {service} {' '.join(args)} failed: {completed.stderr}")
        return json.loads(completed.stdout) if completed.stdout.strip() else {}
    check(completed.returncode != 0, f"aws {service} {' '.join(args)} should have failed")
    return completed.stderr


def until(what, probe, deadline_secs=30, pause_secs=0.1):
    """Calls `probe` until it returns something true; fails after the deadline."""
    deadline = time.time() + deadline_secs
    last = None
    while time.time() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(pause_secs)
    fail(f"{what}: not within {deadline_secs} s (last: {last})")


def signed_post(path, body, headers, key):
    """POSTs `body` to the server's `path`, signed for `cloudtrail` with `key`; returns the
    status, the response headers and the JSON answer."""
    endpoint = os.environ["OPENTRAIL_ENDPOINT"]
    request = AWSRequest(method="POST", url=endpoint + path, data=body, headers=headers)
    SigV4Auth(Credentials(key[0], key[1]), "cloudtrail", REGION).add_auth(request)
    prepared = urllib.request.Request(endpoint + path, data=body, method="POST", headers=dict(request.headers.items()))
    try:
        with urllib.request.urlopen(prepared, timeout=60) as response:
            return response.status, dict(response.headers.items()), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers.items()), json.loads(error.read())
