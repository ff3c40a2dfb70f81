#!/usr/bin/env python3
"""Captures SigV4-signed requests sent by the real aws CLI, for the golden tests.

Listens on 127.0.0.1 (a free port), runs the aws CLI (aws-cli 1.x / botocore) against it
with fixed test-only credentials, and writes each raw request (request line, headers as
sent, body) to `<name>.http` next to this script. The stub answers every request with an
empty JSON object so the CLI exits after one attempt.

Usage: python3 capture_aws_cli.py   (needs `pip install 'awscli>=1.45,<2'`)

The credentials below are test-only values, never real keys.
"""

import http.server
import os
import pathlib
import subprocess
import threading

HERE = pathlib.Path(__file__).resolve().parent
ACCESS_KEY_ID = "AKIDOPENTRAILTEST"
SECRET_ACCESS_KEY = "opentrail/test/secret/key/do-not-use/0000000"
SESSION_TOKEN = "FQoGZXIvYXdzEOPENTRAILTESTSESSIONTOKEN//////////wEaDOPENTRAIL"

captured = []


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        raw_headers = "".join(f"{name}: {value}\r\n" for name, value in self.headers.items())
        captured.append(f"{self.requestline}\r\n{raw_headers}\r\n".encode() + body)
        reply = b"{}"
        self.send_response(200)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


def run_cli(port, args, session_token=None):
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(HERE),
        "AWS_ACCESS_KEY_ID": ACCESS_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": SECRET_ACCESS_KEY,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_MAX_ATTEMPTS": "1",
        "AWS_CONFIG_FILE": "/dev/null",
        "AWS_SHARED_CREDENTIALS_FILE": "/dev/null",
    }
    if session_token:
        env["AWS_SESSION_TOKEN"] = session_token
    before = len(captured)
    subprocess.run(
        ["aws", "--endpoint-url", f"http://127.0.0.1:{port}", *args],
        env=env,
        check=False,
        capture_output=True,
    )
    assert len(captured) == before + 1, f"expected one request from {args}"
    return captured[-1]


def main():
    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    cases = {
        "cli_lookup_events": (
            [
                "cloudtrail",
                "lookup-events",
                "--max-results",
                "5",
                "--lookup-attributes",
                "AttributeKey=EventName,AttributeValue=ConsoleLogin",
            ],
            None,
        ),
        "cli_describe_trails_session_token": (["cloudtrail", "describe-trails"], SESSION_TOKEN),
        "cli_put_audit_events": (
            [
                "cloudtrail-data",
                "put-audit-events",
                "--channel-arn",
                "arn:aws:cloudtrail:us-east-1:123456789012:channel/01234567-89ab-cdef-0123-456789abcdef",
                "--external-id",
                "ext id+1=2",
                "--audit-events",
                'id=one,eventData="{\\"version\\":\\"1.0\\"}"',
            ],
            None,
        ),
    }
    for name, (args, token) in cases.items():
        raw = run_cli(port, args, token)
        # The stub is reached through an ephemeral port; keep it, since Host is signed.
        (HERE / f"{name}.http").write_bytes(raw)
        print(f"wrote {name}.http ({len(raw)} bytes)")
    server.shutdown()


if __name__ == "__main__":
    main()
