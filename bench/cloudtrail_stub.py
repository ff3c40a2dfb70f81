"""A stub CloudTrail endpoint for bench/validate.sh: answers the two calls a validator makes,
DescribeTrails and ListPublicKeys, for a trail written by `opentrail-bench make-trail`.

    python3 bench/cloudtrail_stub.py DIR/trail.json DIR/public-keys.json

Listens on 127.0.0.1 (a free port), prints the port on its first line, serves until
killed. AWS JSON 1.1 as botocore speaks it: POST /, the operation in X-Amz-Target (the
text after the last '.'), errors as {"__type", "message"} with HTTP 400. Requests are
not authenticated (the validators sign them; nobody checks).

- DescribeTrails: {"trailList": [the "Trail" of trail.json]}, whatever the request asks
  (validators call it without arguments and pick the trail by ARN).
- ListPublicKeys: the keys of public-keys.json whose validity overlaps
  [StartTime, EndTime] (epoch seconds; a missing bound is open).

A real `opentrail serve` cannot answer for a generated trail yet (its keys and trail live
in the data directory of the server that delivered them), hence this stub.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

with open(sys.argv[1], encoding="utf-8") as source:
    TRAIL = json.load(source)["Trail"]
with open(sys.argv[2], encoding="utf-8") as source:
    KEYS = json.load(source)["PublicKeyList"]


def describe_trails(_request):
    return 200, {"trailList": [TRAIL]}


def list_public_keys(request):
    start = request.get("StartTime")
    end = request.get("EndTime")
    if start is not None and end is not None and start > end:
        return 400, {
            "__type": "InvalidTimeRangeException",
            "message": "Start time must be before end time.",
        }
    keys = [
        key
        for key in KEYS
        if (end is None or key["ValidityStartTime"] <= end)
        and (start is None or key["ValidityEndTime"] >= start)
    ]
    return 200, {"PublicKeyList": keys}


OPERATIONS = {"DescribeTrails": describe_trails, "ListPublicKeys": list_public_keys}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        operation = self.headers.get("X-Amz-Target", "").rsplit(".", 1)[-1]
        handler = OPERATIONS.get(operation)
        if handler is None:
            status, payload = 400, {
                "__type": "UnknownOperationException",
                "message": f"the bench stub does not answer `{operation}`",
            }
        else:
            try:
                status, payload = handler(json.loads(body or b"{}"))
            except (ValueError, TypeError) as error:
                status, payload = 400, {"__type": "SerializationException", "message": str(error)}
        data = json.dumps(payload).encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "application/x-amz-json-1.1")
        self.send_header("x-amzn-RequestId", "11111111-2222-3333-4444-555555555555")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *arguments):
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
