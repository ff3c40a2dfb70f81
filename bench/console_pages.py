"""Times the web console's pages on a running server (bench/console.sh): signs in with the
admin key, then requests each page's default view RUNS times on one keep-alive
connection and prints p50, p99 and max of the server's own time (its `Server-Timing`
header: from the request's arrival to the answer built), p99 of the time the client
waited for the whole answer over loopback, and each page's weight: the HTML plus the
stylesheet and script it loads.

    python3 bench/console_pages.py ENDPOINT CREDENTIALS_FILE RUNS
"""

import configparser
import http.client
import json
import re
import sys
import time
import urllib.parse


def main():
    endpoint, credentials, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    parser = configparser.ConfigParser()
    parser.read(credentials)
    key = parser["default"]["aws_access_key_id"]
    secret = parser["default"]["aws_secret_access_key"]
    host = urllib.parse.urlparse(endpoint).netloc
    connection = http.client.HTTPConnection(host, timeout=120)
    cookies = {}

    def request(method, path, body=None):
        headers = {"Cookie": "; ".join("%s=%s" % pair for pair in cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = endpoint
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        answer = connection.getresponse()
        data = answer.read()
        elapsed = time.perf_counter() - started
        for name, value in answer.getheaders():
            if name.lower() == "set-cookie":
                pair = value.split(";", 1)[0]
                cookie_name, cookie_value = pair.split("=", 1)
                cookies[cookie_name] = cookie_value
        return answer.status, data, elapsed, dict(answer.getheaders())

    status, page, _, _ = request("GET", "/console/signin")
    csrf = re.search(rb'name="csrf" value="([^"]*)"', page).group(1).decode()
    form = urllib.parse.urlencode({"csrf": csrf, "access_key_id": key,
                                   "secret_access_key": secret})
    status, _, _, _ = request("POST", "/console/signin", form)
    if status != 303 or "ot_session" not in cookies:
        sys.exit("sign-in failed: %d" % status)

    # The pages' default views, and the views their first clicks lead to.
    status, events_page, _, _ = request("GET", "/console/events")
    event_link = re.search(rb'href="(/console/events/[^"]+)"', events_page).group(1).decode()
    next_link = re.search(rb'href="([^"]+)" rel="next"', events_page).group(1).decode()
    next_link = next_link.replace("&amp;", "&")
    # A generated event's name (the newest events are the benchmark's own sign-ins).
    name = next(found.decode() for found in
                re.findall(rb'href="/console/events/[^"]+">([^<]+)</a>', events_page)
                if found != b"ConsoleLogin")
    pages = [
        ("dashboard, 1 day (default)", "/console/"),
        ("dashboard, 7 days", "/console/?range=7d"),
        ("dashboard, 30 days", "/console/?range=30d"),
        ("event history (default: 90 days, 50 rows)", "/console/events"),
        ("event history, next page", next_link),
        ("event history, filtered by event name", "/console/events?" + urllib.parse.urlencode(
            {"attr": "EventName", "value": name})),
        ("event history, two attributes, 7 days", "/console/events?" + urllib.parse.urlencode(
            [("attr", "EventName"), ("value", name), ("attr", "ReadOnly"), ("value", "true"),
             ("range", "7d")])),
        ("one event record", event_link),
        ("insights (default: 90 days)", "/console/insights"),
        ("trails", "/console/trails"),
        ("event data stores", "/console/stores"),
        ("Lake query editor", "/console/lake"),
    ]
    _, css, _, _ = request("GET", re.search(rb'href="(/console/assets/console.css[^"]*)"', events_page).group(1).decode())
    _, js, _, _ = request("GET", re.search(rb'src="(/console/assets/console.js[^"]*)"', events_page).group(1).decode())
    results = []
    print("%-44s %8s %8s %8s %12s %10s" % ("page (server time)", "p50 ms", "p99 ms", "max ms",
                                           "client p99", "weight KB"))
    for label, path in pages:
        status, body, _, _ = request("GET", path)
        if status != 200:
            sys.exit("%s: %s answered %d" % (label, path, status))
        times = []
        server_times = []
        for _ in range(runs):
            status, body, elapsed, headers = request("GET", path)
            times.append(elapsed * 1000)
            timing = {name.lower(): value for name, value in headers.items()}["server-timing"]
            server_times.append(float(timing.split("dur=")[1]))
        times.sort()
        server_times.sort()

        def p99_of(values):
            return values[min(len(values) - 1, int(len(values) * 0.99))]

        p50 = server_times[len(server_times) // 2]
        p99 = p99_of(server_times)
        weight = (len(body) + len(css) + len(js)) / 1024
        results.append({"page": label, "path": path, "server_p50_ms": p50,
                        "server_p99_ms": p99, "server_max_ms": server_times[-1],
                        "client_p99_ms": round(p99_of(times), 2),
                        "weight_kb": round(weight, 1)})
        print("%-44s %8.1f %8.1f %8.1f %12.2f %10.1f" % (label, p50, p99, server_times[-1],
                                                        p99_of(times), weight))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
