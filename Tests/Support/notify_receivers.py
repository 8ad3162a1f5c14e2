#!/usr/bin/env python3
"""Receivers for Keepwatch's notification tests, on 127.0.0.1.

http DIR PORTFILE   an HTTP server that appends each request as a JSON line to DIR/requests.jsonl
                    ({"method","path","headers","body"}) and answers with the status in DIR/status
                    (default 200; a file with "500 3" answers 500 three times, then 200)
smtp DIR PORTFILE CERT KEY USER PASSWORD
                    an aiosmtpd server with STARTTLS (required before AUTH) and AUTH PLAIN/LOGIN,
                    saving each message as DIR/<n>.eml and its envelope in DIR/<n>.json
The chosen port is written to PORTFILE once the server listens.
"""
import json
import os
import signal
import socket
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def write_port(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w") as handle:
        handle.write(str(port))
    os.rename(tmp, path)


def serve_http(directory, port_file, port=0):
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        def answer(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            status = 200
            with lock:
                status_file = os.path.join(directory, "status")
                if os.path.exists(status_file):
                    parts = open(status_file).read().split()
                    if parts:
                        status = int(parts[0])
                        if len(parts) > 1:
                            left = int(parts[1]) - 1
                            if left <= 0:
                                os.remove(status_file)
                            else:
                                open(status_file, "w").write(f"{status} {left}")
                with open(os.path.join(directory, "requests.jsonl"), "a") as handle:
                    handle.write(json.dumps({"method": self.command, "path": self.path, "headers": dict(self.headers.items()),
                                             "body": body, "status": status}) + "\n")
            self.send_response(status)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        do_POST = do_PUT = do_GET = do_PATCH = answer

        def log_message(self, *args):
            pass

    ThreadingHTTPServer.allow_reuse_address = True
    server = ThreadingHTTPServer(("127.0.0.1", int(port)), Handler)
    write_port(port_file, server.server_address[1])
    server.serve_forever()


def serve_smtp(directory, port_file, cert, key, user, password):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM, signal.SIGINT])
    counter = {"n": 0}

    class Store:
        async def handle_DATA(self, server, session, envelope):
            counter["n"] += 1
            base = os.path.join(directory, str(counter["n"]))
            auth = getattr(session, "auth_data", None)
            login = auth.login.decode() if isinstance(auth, LoginPassword) else None
            # The envelope first, each file renamed into place whole: a reader that sees the message sees both.
            with open(base + ".json.tmp", "w") as handle:
                json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                           "tls": session.ssl is not None or bool(os.environ.get("SMTP_IMPLICIT_TLS")),
                           "login": login}, handle)
            os.replace(base + ".json.tmp", base + ".json")
            with open(base + ".eml.tmp", "wb") as handle:
                handle.write(envelope.original_content or envelope.content)
            os.replace(base + ".eml.tmp", base + ".eml")
            return "250 Message accepted for delivery"

    def authenticator(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password:
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    if os.environ.get("SMTP_IMPLICIT_TLS"):
        # TLS from the first byte (SMTPS, port 465 style).
        controller = Controller(Store(), hostname="127.0.0.1", port=port, ssl_context=context,
                                authenticator=authenticator, auth_required=True, auth_require_tls=False)
    else:
        controller = Controller(Store(), hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                                authenticator=authenticator, auth_required=True, auth_require_tls=True)
    controller.start()
    write_port(port_file, port)
    signal.sigwait([signal.SIGTERM, signal.SIGINT])
    controller.stop()


def parse_mail(path):
    """Prints a saved mail as JSON, read by Python's own mail parser: headers and the decoded parts."""
    import email
    from email import policy
    with open(path, "rb") as handle:
        message = email.message_from_binary_file(handle, policy=policy.default)
    parts = {}
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts[part.get_content_type()] = part.get_content()
    print(json.dumps({"subject": str(message["subject"]), "from": str(message["from"]), "to": str(message["to"]),
                      "date": str(message["date"]), "message_id": str(message["message-id"]),
                      "multipart": message.get_content_type(), "text": parts.get("text/plain"), "html": parts.get("text/html"),
                      "defects": [str(d) for d in message.defects]}))


if __name__ == "__main__":
    if sys.argv[1] == "parse-mail":
        parse_mail(sys.argv[2])
    elif sys.argv[1] == "http":
        serve_http(sys.argv[2], sys.argv[3], *sys.argv[4:5])
    else:
        serve_smtp(*sys.argv[2:8])
