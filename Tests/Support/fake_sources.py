#!/usr/bin/env python3
"""Fake remote backup systems for Keepwatch's end-to-end tests.

One process stands in for one remote system, bound to 127.0.0.1:

  --kind cmon             ClusterControl controller, cmon RPC v2 (POST <prefix>/v2/<module>)
  --kind mgob             mgob HTTP API (GET /status, /status/<plan>, /version)
  --kind ethoscope-mysql  Ethoscope MySQL backup daemon (port 8090 in production; GET /status)
  --kind ethoscope-rsync  Ethoscope rsync backup daemon (port 8093 in production; GET /status)

Usage:
  python3 fake_sources.py --kind KIND --fixture FILE.json --port-file PATH [--port 0]
  python3 fake_sources.py --self-test

The bound port is written to PATH atomically (PATH.tmp, then os.replace). Nothing goes to stdout.

Control routes (every kind; never affected by the failure mode):
  POST /__control  JSON object, all keys optional:
      "mode": "ok" | "hang" | "500" | "garbage" | "oversized"
      "fixture": <object>          replaces the fixture
      "expire_sessions": true      (cmon) forgets every cmon-sid issued so far
    → {"ok": true}
  GET /__requests  → JSON array of every non-control request so far:
      {"method", "path", "cookie", "authorization", "body"}
"""
import argparse
import json
import os
import re
import secrets
import signal
import sys
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

KINDS = ("cmon", "mgob", "ethoscope-mysql", "ethoscope-rsync")
MODES = ("ok", "hang", "500", "garbage", "oversized")

HANG_SECONDS = 3600
GARBAGE_BODY = b'{"clusters": [1, 2,'
OVERSIZED_CHUNK = b"x" * (1 << 20)
OVERSIZED_CHUNKS = 40
OVERSIZED_PREFIX = b'{"blob": "'
OVERSIZED_SUFFIX = b'"}'
DEFAULT_PAGE_LIMIT = 32

CMON_PATH = re.compile(r"^(?P<prefix>.*)/v2/(?P<module>[^/]+)$")


class HTTPReply(Exception):
    """Raised by a route to answer immediately with a status and JSON body."""

    def __init__(self, status, body):
        super().__init__(status)
        self.status = status
        self.body = body


# --------------------------------------------------------------------------------------------
# Shared state
# --------------------------------------------------------------------------------------------


class FakeState:
    """Fixture, failure mode, cmon sessions and the request log, shared by all handler threads."""

    def __init__(self, kind, fixture):
        self.kind = kind
        self.lock = threading.Lock()
        self.stop = threading.Event()  # set on shutdown so hanging requests finish
        self._fixture = fixture
        self._mode = "ok"
        self._sessions = {}  # cmon-sid → user_name
        self._requests = []

    def fixture(self):
        with self.lock:
            return self._fixture

    def mode(self):
        with self.lock:
            return self._mode

    def apply_control(self, command):
        with self.lock:
            if "mode" in command:
                if command["mode"] not in MODES:
                    raise HTTPReply(400, {"error": "unknown mode", "modes": list(MODES)})
                self._mode = command["mode"]
            if "fixture" in command:
                if not isinstance(command["fixture"], dict):
                    raise HTTPReply(400, {"error": "fixture must be an object"})
                self._fixture = command["fixture"]
            if command.get("expire_sessions"):
                self._sessions.clear()

    def record(self, entry):
        with self.lock:
            self._requests.append(entry)

    def requests(self):
        with self.lock:
            return list(self._requests)

    def open_session(self, user_name):
        sid = secrets.token_hex(16)
        with self.lock:
            self._sessions[sid] = user_name
        return sid

    def session_user(self, sid):
        with self.lock:
            return self._sessions.get(sid) if sid else None


# --------------------------------------------------------------------------------------------
# Request handler: transport, control routes and failure modes
# --------------------------------------------------------------------------------------------


class FakeHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and Expect: 100-continue, like the real servers
    state = None  # FakeState, bound per server by make_server

    def log_message(self, format, *args):  # noqa: A002 - signature fixed by the base class
        pass

    def version_string(self):
        if self.state.kind == "cmon":
            return "cmon/%s" % self.state.fixture().get("version", "")
        return "fake-%s" % self.state.kind

    # -- body and headers --------------------------------------------------------------------

    def read_body(self):
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            parts = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass
                    return b"".join(parts)
                parts.append(self.rfile.read(size))
                self.rfile.readline()
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def cookie(self, name):
        for part in (self.headers.get("Cookie") or "").split(";"):
            key, _, value = part.strip().partition("=")
            if key == name:
                return value
        return None

    # -- replies -------------------------------------------------------------------------------

    def send_bytes(self, status, body, content_type="application/json", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in headers:
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def send_json(self, status, obj, headers=()):
        content_type = "application/json"
        if self.state.kind == "mgob":
            content_type = "application/json; charset=utf-8"  # go-chi/render
        body = (json.dumps(obj) + "\n").encode()
        self.send_bytes(status, body, content_type, headers)

    def send_oversized(self):
        length = len(OVERSIZED_PREFIX) + OVERSIZED_CHUNKS * len(OVERSIZED_CHUNK) + len(OVERSIZED_SUFFIX)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(length))
        self.end_headers()
        self.wfile.write(OVERSIZED_PREFIX)
        for _ in range(OVERSIZED_CHUNKS):
            self.wfile.write(OVERSIZED_CHUNK)
        self.wfile.write(OVERSIZED_SUFFIX)

    # -- dispatch ------------------------------------------------------------------------------

    def do_GET(self):
        self.dispatch()

    def do_POST(self):
        self.dispatch()

    def do_PUT(self):
        self.dispatch()

    def do_DELETE(self):
        self.dispatch()

    def dispatch(self):
        raw = self.read_body()
        path = self.path.split("?", 1)[0]
        try:
            if path in ("/__control", "/__requests"):
                self.handle_control(path, raw)
                return
            body = parse_json(raw)
            self.state.record({
                "method": self.command,
                "path": self.path,
                "cookie": self.headers.get("Cookie"),
                "authorization": self.headers.get("Authorization"),
                "body": body,
            })
            if self.apply_mode():
                return
            route = ROUTES[self.state.kind]
            status, reply, headers = route(self, path, raw, body)
            self.send_json(status, reply, headers)
        except HTTPReply as reply:
            self.send_json(reply.status, reply.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def handle_control(self, path, raw):
        if path == "/__requests" and self.command == "GET":
            self.send_json(200, self.state.requests())
        elif path == "/__control" and self.command == "POST":
            command = parse_json(raw)
            if not isinstance(command, dict):
                raise HTTPReply(400, {"error": "control body must be a JSON object"})
            self.state.apply_control(command)
            self.send_json(200, {"ok": True})
        else:
            raise HTTPReply(405, {"error": "method not allowed"})

    def apply_mode(self):
        """Answer according to the failure mode; return True if the request was consumed."""
        mode = self.state.mode()
        if mode == "hang":
            self.state.stop.wait(HANG_SECONDS)
            self.close_connection = True
        elif mode == "500":
            self.send_json(500, {"error": "boom"})
        elif mode == "garbage":
            self.send_bytes(200, GARBAGE_BODY)
        elif mode == "oversized":
            self.send_oversized()
        else:
            return False
        return True


def parse_json(raw):
    if not raw:
        return None
    try:
        return json.loads(raw)
    except ValueError:
        return None


# --------------------------------------------------------------------------------------------
# cmon RPC v2
# --------------------------------------------------------------------------------------------


def cmon_ok(**fields):
    return dict(request_status="Ok", **fields)


def cmon_invalid(message="unknown operation"):
    return {"request_status": "InvalidRequest", "error_string": message}


def now_rfc3339():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


def page(items, request, default_limit=DEFAULT_PAGE_LIMIT):
    offset = max(int(request.get("offset") or 0), 0)
    limit = request.get("limit")
    limit = default_limit if limit is None else int(limit)
    if limit <= 0:
        return items[offset:]
    return items[offset:offset + limit]


def cmon_user(fixture, user_name):
    for user in fixture.get("users", []):
        if user.get("user_name") == user_name:
            public = {key: value for key, value in user.items() if key != "password"}
            return {
                "user_name": user_name,
                "first_name": "",
                "last_name": "",
                "email_address": "",
                "origin": "CmonDb",
                "groups": [{"group_name": "admins"}],
                **public,
            }
    return None


def cmon_info(handler, fixture, request, user_name):
    if request.get("operation") != "ping":
        return 200, cmon_invalid(), ()
    return 200, cmon_ok(controller_id=fixture.get("controller_id", ""), pool_id="",
                        package_version=fixture.get("version", "")), ()


def cmon_auth(handler, fixture, request, user_name):
    if request.get("operation") != "authenticateWithPassword":
        return 200, cmon_invalid(), ()
    name, password = request.get("user_name"), request.get("password")
    for user in fixture.get("users", []):
        if user.get("user_name") == name and user.get("password") == password:
            sid = handler.state.open_session(name)
            cookie = ("Set-Cookie", "cmon-sid=%s; Path=/; HttpOnly" % sid)
            reply = cmon_ok(controller_id=fixture.get("controller_id", ""), user=cmon_user(fixture, name))
            return 200, reply, (cookie,)
    return 200, {"request_status": "AccessDenied",
                 "error_string": "Username or password is incorrect."}, ()


def cmon_clusters(handler, fixture, request, user_name):
    operation = request.get("operation")
    if operation == "ping":
        return 200, cmon_ok(package_version=fixture.get("version", "")), ()
    if operation == "getAllClusterInfo":
        clusters = fixture.get("clusters", [])
        if request.get("with_hosts") is False:
            clusters = [{k: v for k, v in cluster.items() if k != "hosts"} for cluster in clusters]
        return 200, cmon_ok(request_processed=now_rfc3339(), clusters=clusters, total=len(clusters)), ()
    return 200, cmon_invalid(), ()


def cmon_alarm(handler, fixture, request, user_name):
    if request.get("operation") != "getAlarms":
        return 200, cmon_invalid(), ()
    alarms = fixture.get("alarms", {}).get(str(request.get("cluster_id")), [])
    return 200, cmon_ok(alarms=alarms, total=len(alarms)), ()


def cmon_jobs(handler, fixture, request, user_name):
    if request.get("operation") != "getJobInstances":
        return 200, cmon_invalid(), ()
    if request.get("show_scheduled"):
        scheduled = fixture.get("scheduled", [])
        return 200, cmon_ok(jobs=scheduled, total=len(scheduled)), ()
    jobs = fixture.get("jobs", [])
    cluster_ids = request.get("cluster_ids")
    if cluster_ids:
        jobs = [job for job in jobs if job.get("cluster_id") in cluster_ids]
    elif request.get("cluster_id"):
        jobs = [job for job in jobs if job.get("cluster_id") == request["cluster_id"]]
    jobs = sorted(jobs, key=lambda job: job.get("job_id", 0), reverse=True)
    return 200, cmon_ok(jobs=page(jobs, request), total=len(jobs)), ()


def cmon_backup(handler, fixture, request, user_name):
    if request.get("operation") != "getBackups":
        return 200, cmon_invalid(), ()
    records = fixture.get("backups", [])
    if request.get("cluster_id"):
        records = [r for r in records if r.get("metadata", {}).get("cid") == request["cluster_id"]]
    ascending = request.get("ascending") is True
    records = sorted(records, key=lambda r: str(r.get("metadata", {}).get("created", "")),
                     reverse=not ascending)
    return 200, cmon_ok(backup_records=page(records, request), total=len(records)), ()


def cmon_users(handler, fixture, request, user_name):
    if request.get("operation") != "whoAmI":
        return 200, cmon_invalid(), ()
    return 200, cmon_ok(user=cmon_user(fixture, user_name)), ()


CMON_MODULES = {
    "info": cmon_info,
    "auth": cmon_auth,
    "clusters": cmon_clusters,
    "alarm": cmon_alarm,
    "jobs": cmon_jobs,
    "backup": cmon_backup,
    "users": cmon_users,
}
CMON_PUBLIC_MODULES = ("info", "auth")


def route_cmon(handler, path, raw, body):
    match = CMON_PATH.match(path)
    if not match:
        raise HTTPReply(404, {"request_status": "InvalidRequest", "error_string": "not found"})
    if handler.command != "POST":
        raise HTTPReply(405, {"request_status": "InvalidRequest", "error_string": "method not allowed"})
    module = match.group("module")
    fixture = handler.state.fixture()
    user_name = None
    if module not in CMON_PUBLIC_MODULES:
        user_name = handler.state.session_user(handler.cookie("cmon-sid"))
        if user_name is None:
            raise HTTPReply(401, {"request_status": "AuthRequired",
                                  "error_string": "Authentication required."})
    if module not in CMON_MODULES:
        return 200, cmon_ok(echo=body, path=path), ()
    if not isinstance(body, dict):
        return 200, cmon_invalid("request body must be a JSON object"), ()
    return CMON_MODULES[module](handler, fixture, body, user_name)


# --------------------------------------------------------------------------------------------
# mgob and Ethoscope
# --------------------------------------------------------------------------------------------


def require_get(handler):
    if handler.command not in ("GET", "HEAD"):
        raise HTTPReply(405, {"error": "method not allowed"})


def route_mgob(handler, path, raw, body):
    fixture = handler.state.fixture()
    token = fixture.get("token")
    if token and handler.headers.get("Authorization") != "Bearer %s" % token:
        raise HTTPReply(401, {"error": "unauthorized"})
    if path == "/status":
        require_get(handler)
        return 200, fixture.get("status", []), ()
    if path.startswith("/status/"):
        require_get(handler)
        plan = path[len("/status/"):]
        for entry in fixture.get("status", []):
            if entry.get("plan") == plan:
                return 200, entry, ()
        raise HTTPReply(404, {"error": "Plan not found"})
    if path == "/version":
        require_get(handler)
        return 200, fixture.get("version", {}), ()
    raise HTTPReply(404, {"error": "404 page not found"})


def route_ethoscope(handler, path, raw, body):
    if path != "/status":
        raise HTTPReply(404, {"error": "not found"})
    require_get(handler)
    return 200, handler.state.fixture().get("status", {}), ()


ROUTES = {
    "cmon": route_cmon,
    "mgob": route_mgob,
    "ethoscope-mysql": route_ethoscope,
    "ethoscope-rsync": route_ethoscope,
}


# --------------------------------------------------------------------------------------------
# Server lifecycle
# --------------------------------------------------------------------------------------------


class FakeServer(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # never wait for hanging requests on close

    def server_close(self):
        self.state.stop.set()
        super().server_close()


def make_server(kind, fixture, port=0):
    state = FakeState(kind, fixture)
    handler = type("FakeHandlerBound", (FakeHandler,), {"state": state})
    server = FakeServer(("127.0.0.1", port), handler)
    server.state = state
    return server


def write_port_file(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w") as file:
        file.write("%d\n" % port)
    os.replace(tmp, path)


def serve(args):
    with open(args.fixture) as file:
        fixture = json.load(file)
    server = make_server(args.kind, fixture, args.port)

    def on_sigterm(signum, frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, on_sigterm)
    write_port_file(args.port_file, server.server_address[1])
    try:
        server.serve_forever(poll_interval=0.1)  # short poll: prompt exit if SIGTERM lands on a worker
    except (SystemExit, KeyboardInterrupt):
        pass
    finally:
        server.server_close()
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kind", choices=KINDS)
    parser.add_argument("--fixture")
    parser.add_argument("--port-file")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--self-test", action="store_true")
    args = parser.parse_args(argv)
    if args.self_test:
        return self_test()
    if not (args.kind and args.fixture and args.port_file):
        parser.error("--kind, --fixture and --port-file are required")
    return serve(args)


# --------------------------------------------------------------------------------------------
# Self-test
# --------------------------------------------------------------------------------------------

SELF_TEST_CMON = {
    "version": "2.2.0",
    "controller_id": "00000000-1111-2222-3333-444444444444",
    "users": [{"user_name": "admin", "password": "secret"}],
    "clusters": [
        {"cluster_id": 1, "cluster_name": "galera", "cluster_type": "GALERA", "state": "STARTED",
         "tags": ["prod"], "hosts": [{"hostname": "10.0.0.1", "port": 3306, "hoststatus": "CmonHostOnline",
                                      "role": "master", "nodetype": "galera", "clusterid": 1, "hostId": 1}]},
        {"cluster_id": 2, "cluster_name": "pg", "cluster_type": "POSTGRESQL_SINGLE", "state": "STARTED",
         "tags": [], "hosts": []},
    ],
    "alarms": {"1": [{"alarm_id": 7, "cluster_id": 1, "severity_name": "ALARM_CRITICAL"}]},
    "jobs": [{"job_id": n, "cluster_id": 1 + n % 2, "status": "FINISHED", "title": "job %d" % n,
              "created": "2024-01-%02dT00:00:00.000Z" % n, "job_spec": {"command": "backup"}}
             for n in range(1, 11)],
    "scheduled": [{"job_id": 100, "cluster_id": 1, "status": "SCHEDULED", "title": "nightly",
                   "created": "2024-01-01T00:00:00.000Z", "job_spec": {"command": "backup"}}],
    "backups": [{"metadata": {"id": n, "cid": 1, "method": "mariabackup", "status": "Completed",
                              "created": "2024-02-%02dT00:00:00.000Z" % n},
                 "host_locations": [], "cloud_locations": []} for n in (3, 1, 2)],
}
SELF_TEST_MGOB = {
    "token": "t0k",
    "status": [{"plan": "mongo-debug", "next_run": "2017-05-13T14:32:00+03:00",
                "last_run": "2017-05-13T11:31:00.000622589Z", "last_run_status": "200",
                "last_run_log": "Backup finished"}],
    "version": {"mgob_version": "1.12.0", "repository": "github.com/stefanprodan/mgob"},
}
SELF_TEST_MYSQL = {"status": {"abc123": {"name": "ETHOSCOPE_001", "status": "running", "started": 1,
                                         "ended": 2, "processing": False, "count": 1, "synced": {},
                                         "progress": {"status": "success", "message": "ok"},
                                         "data_duplication": False}}}
SELF_TEST_RSYNC = {"status": {"devices": {}, "disk_usage_summary": {
    "combined": {"total_files": 0, "total_size_bytes": 0, "total_size_human": "0 B"}}}}


class Client:
    """Minimal HTTP client over http.client (no proxies, no redirects)."""

    def __init__(self, port):
        self.port = port
        self.cookie = None

    def request(self, method, path, body=None, headers=None, timeout=10):
        import http.client
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            all_headers = dict(headers or {})
            data = None
            if body is not None:
                data = json.dumps(body).encode()
                all_headers["Content-Type"] = "application/json"
            if self.cookie:
                all_headers["Cookie"] = self.cookie
            connection.request(method, path, body=data, headers=all_headers)
            response = connection.getresponse()
            raw = response.read()
            return response.status, response.headers, raw
        finally:
            connection.close()

    def json(self, method, path, body=None, headers=None):
        status, headers, raw = self.request(method, path, body, headers)
        return status, headers, json.loads(raw)

    def control(self, **command):
        status, _, reply = self.json("POST", "/__control", command)
        check(status == 200 and reply == {"ok": True}, "control %r" % command)


def check(condition, what):
    if not condition:
        raise AssertionError(what)


def start_thread_server(kind, fixture):
    server = make_server(kind, json.loads(json.dumps(fixture)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_cmon(port):
    client = Client(port)
    rpc = lambda module, body, prefix="": client.json("POST", "%s/v2/%s" % (prefix, module), body)

    status, headers, reply = rpc("info", {"operation": "ping"})
    check(status == 200 and reply["package_version"] == "2.2.0" and reply["pool_id"] == "", "info ping")
    check(headers["Server"] == "cmon/2.2.0", "Server header")

    status, _, reply = rpc("clusters", {"operation": "getAllClusterInfo"})
    check(status == 401 and reply["request_status"] == "AuthRequired", "no cookie → 401")
    client.cookie = "cmon-sid=deadbeef"
    status, _, _ = rpc("clusters", {"operation": "ping"})
    check(status == 401, "unknown cookie → 401")
    client.cookie = None

    status, headers, reply = rpc("auth", {"operation": "authenticateWithPassword",
                                          "user_name": "admin", "password": "nope"})
    check(status == 200 and reply["request_status"] == "AccessDenied", "wrong password")
    check(headers.get("Set-Cookie") is None, "no cookie on denial")

    def login():
        status, headers, reply = rpc("auth", {"operation": "authenticateWithPassword",
                                              "user_name": "admin", "password": "secret"})
        check(status == 200 and reply["request_status"] == "Ok", "login")
        check(reply["user"]["groups"] == [{"group_name": "admins"}], "login user")
        set_cookie = headers["Set-Cookie"]
        check(set_cookie.startswith("cmon-sid=") and "HttpOnly" in set_cookie, "Set-Cookie")
        client.cookie = "other=1; " + set_cookie.split(";")[0]

    login()
    status, _, reply = rpc("clusters", {"operation": "getAllClusterInfo", "with_hosts": True})
    check(status == 200 and reply["total"] == 2 and reply["clusters"][0]["hosts"], "getAllClusterInfo")
    check(reply["request_processed"].endswith("Z"), "request_processed")
    _, _, reply = rpc("clusters", {"operation": "getAllClusterInfo", "with_hosts": False}, "/c7")
    check(all("hosts" not in c for c in reply["clusters"]), "prefixed path, with_hosts false")
    _, _, reply = rpc("clusters", {"operation": "ping", "cluster_id": 0})
    check(reply["package_version"] == "2.2.0", "clusters ping")

    _, _, reply = rpc("alarm", {"operation": "getAlarms", "cluster_id": 1})
    check(reply["total"] == 1 and reply["alarms"][0]["alarm_id"] == 7, "alarms")
    _, _, reply = rpc("alarm", {"operation": "getAlarms", "cluster_id": 9})
    check(reply["alarms"] == [] and reply["total"] == 0, "no alarms")

    _, _, reply = rpc("jobs", {"operation": "getJobInstances", "limit": 3, "offset": 2})
    check([j["job_id"] for j in reply["jobs"]] == [8, 7, 6] and reply["total"] == 10, "job paging")
    _, _, reply = rpc("jobs", {"operation": "getJobInstances", "cluster_ids": [2]})
    check([j["job_id"] for j in reply["jobs"]] == [9, 7, 5, 3, 1] and reply["total"] == 5, "job filter")
    _, _, reply = rpc("jobs", {"operation": "getJobInstances", "show_scheduled": True})
    check(reply["jobs"][0]["job_id"] == 100 and reply["total"] == 1, "scheduled jobs")

    _, _, reply = rpc("backup", {"operation": "getBackups", "limit": 2, "offset": 0, "ascending": False})
    check([b["metadata"]["id"] for b in reply["backup_records"]] == [3, 2] and reply["total"] == 3,
          "backup paging")
    _, _, reply = rpc("backup", {"operation": "getBackups", "limit": 2, "offset": 2})
    check([b["metadata"]["id"] for b in reply["backup_records"]] == [1], "backup second page")

    _, _, reply = rpc("users", {"operation": "whoAmI"})
    check(reply["user"]["user_name"] == "admin", "whoAmI")
    _, _, reply = rpc("jobs", {"operation": "frobnicate"})
    check(reply["request_status"] == "InvalidRequest", "unknown operation")
    status, _, reply = rpc("reports", {"operation": "getReports", "x": 1}, "/c7")
    check(status == 200 and reply["echo"] == {"operation": "getReports", "x": 1}
          and reply["path"] == "/c7/v2/reports", "passthrough echo")

    client.control(expire_sessions=True)
    status, _, _ = rpc("users", {"operation": "whoAmI"})
    check(status == 401, "expired session → 401")
    login()
    status, _, _ = rpc("users", {"operation": "whoAmI"})
    check(status == 200, "re-auth after expiry")

    fixture = json.loads(json.dumps(SELF_TEST_CMON))
    fixture["version"] = "2.3.1"
    client.control(fixture=fixture)
    _, headers, reply = rpc("clusters", {"operation": "ping"})
    check(reply["package_version"] == "2.3.1" and headers["Server"] == "cmon/2.3.1", "fixture swap")

    _, _, log = client.json("GET", "/__requests")
    check(all(entry["path"] not in ("/__control", "/__requests") for entry in log), "control not logged")
    check(log[0] == {"method": "POST", "path": "/v2/info", "cookie": None, "authorization": None,
                     "body": {"operation": "ping"}}, "request log entry")
    check(log[-1]["cookie"] and "cmon-sid=" in log[-1]["cookie"], "request log cookie")
    test_modes(client, "POST", "/v2/clusters", {"operation": "ping"})


def test_modes(client, method, path, body):
    import socket

    client.control(mode="500")
    status, _, reply = client.json(method, path, body)
    check(status == 500 and reply == {"error": "boom"}, "mode 500")

    client.control(mode="garbage")
    status, headers, raw = client.request(method, path, body)
    check(status == 200 and raw == GARBAGE_BODY and headers["Content-Type"] == "application/json",
          "mode garbage")

    client.control(mode="oversized")
    status, _, raw = client.request(method, path, body, timeout=30)
    check(status == 200 and len(raw) > 40_000_000 and len(json.loads(raw)["blob"]) > 40_000_000,
          "mode oversized")

    client.control(mode="hang")
    try:
        client.request(method, path, body, timeout=1)
        raise AssertionError("mode hang answered")
    except (socket.timeout, TimeoutError):
        pass
    _, _, log = client.json("GET", "/__requests")
    check(log[-1]["path"] == path, "hung request logged")

    client.control(mode="ok")
    status, _, _ = client.request(method, path, body)
    check(status in (200, 401), "mode back to ok")


def test_mgob(port):
    client = Client(port)
    status, _, reply = client.json("GET", "/status")
    check(status == 401 and reply == {"error": "unauthorized"}, "mgob no token")
    auth = {"Authorization": "Bearer t0k"}
    status, headers, reply = client.json("GET", "/status", headers=auth)
    check(status == 200 and reply[0]["plan"] == "mongo-debug", "mgob status")
    check(headers["Content-Type"].startswith("application/json"), "mgob content type")
    status, _, reply = client.json("GET", "/status/mongo-debug", headers=auth)
    check(status == 200 and reply["last_run_status"] == "200", "mgob plan")
    status, _, reply = client.json("GET", "/status/nope", headers=auth)
    check(status == 404 and reply == {"error": "Plan not found"}, "mgob missing plan")
    status, _, reply = client.json("GET", "/version", headers=auth)
    check(status == 200 and reply["mgob_version"] == "1.12.0", "mgob version")
    client.control(fixture={k: v for k, v in SELF_TEST_MGOB.items() if k != "token"})
    status, _, _ = client.json("GET", "/version")
    check(status == 200, "mgob without token")
    _, _, log = client.json("GET", "/__requests")
    check(log[1]["authorization"] == "Bearer t0k" and log[0]["body"] is None, "mgob request log")
    test_modes(client, "GET", "/status", None)


def test_ethoscope(port, fixture):
    client = Client(port)
    status, _, reply = client.json("GET", "/status")
    check(status == 200 and reply == fixture["status"], "ethoscope status")
    status, _, _ = client.json("GET", "/nope")
    check(status == 404, "ethoscope unknown path")
    test_modes(client, "GET", "/status", None)


def test_cli():
    """Run the real command line once: port file, one request, SIGTERM, clean exit."""
    import subprocess
    import tempfile
    import time

    with tempfile.TemporaryDirectory() as directory:
        fixture_path = os.path.join(directory, "fixture.json")
        port_path = os.path.join(directory, "port")
        with open(fixture_path, "w") as file:
            json.dump(SELF_TEST_RSYNC, file)
        process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), "--kind", "ethoscope-rsync",
             "--fixture", fixture_path, "--port-file", port_path],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 10
            while not os.path.exists(port_path):
                check(time.monotonic() < deadline and process.poll() is None, "CLI wrote no port file")
                time.sleep(0.05)
            with open(port_path) as file:
                port = int(file.read())
            status, _, reply = Client(port).json("GET", "/status")
            check(status == 200 and reply == SELF_TEST_RSYNC["status"], "CLI status")
            Client(port).control(mode="hang")
            hanging = threading.Thread(target=lambda: _ignore_errors(
                lambda: Client(port).request("GET", "/status", timeout=5)), daemon=True)
            hanging.start()
            time.sleep(0.3)
            process.send_signal(signal.SIGTERM)
            stdout, stderr = process.communicate(timeout=5)
            check(process.returncode == 0, "CLI exit code %r: %s" % (process.returncode, stderr))
            check(stdout == b"", "CLI wrote to stdout")
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def _ignore_errors(function):
    try:
        function()
    except Exception:
        pass


def self_test():
    servers = []
    try:
        for kind, fixture in (("cmon", SELF_TEST_CMON), ("mgob", SELF_TEST_MGOB),
                              ("ethoscope-mysql", SELF_TEST_MYSQL), ("ethoscope-rsync", SELF_TEST_RSYNC)):
            servers.append((kind, fixture, start_thread_server(kind, fixture)))
        for kind, fixture, server in servers:
            port = server.server_address[1]
            if kind == "cmon":
                test_cmon(port)
            elif kind == "mgob":
                test_mgob(port)
            else:
                test_ethoscope(port, fixture)
        test_cli()
    except AssertionError as error:
        print("self-test FAILED: %s" % error, file=sys.stderr)
        return 1
    finally:
        for _, _, server in servers:
            server.shutdown()
            server.server_close()
    print("self-test passed", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
