"""A stub CloudTrail endpoint for the differential test of `opentrail lookup-events`.

It answers each request with the wire response the test computed beforehand with
OpenTrail's own API layer, keyed by the request body (canonical JSON: sorted keys, no
spaces). Listens on 127.0.0.1, prints its port, serves until killed.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

with open(sys.argv[1], encoding="utf-8") as source:
    PAGES = json.load(source)


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        key = json.dumps(json.loads(body or b"{}"), sort_keys=True, separators=(",", ":"))
        entry = PAGES.get(key)
        if entry is None:
            status, payload = 500, json.dumps({"__type": "InternalFailure", "message": "no page for " + key})
        else:
            status, payload = entry["status"], entry["body"]
        data = payload.encode("utf-8")
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
