"""A stand-in for a reference service, run as ``python fake_service.py NAME [options]``.

It reads the runtime contract's environment (``{P}HOST``, ``{P}PORT``, ...), answers
``GET /health/ready`` (200 once its Kafka bootstrap, if any, accepts a connection) and
``GET /env`` (its ``{P}*`` and ``USERS_*`` variables), and exits 0 on SIGTERM.
Options pick misbehaviour for named services, so one command line serves a whole stack:

  --crash=a,b        exit 3 at once, after a line on stderr
  --never-ready=a,b  answer 503 forever
  --ignore-term=a,b  ignore SIGTERM (the supervisor must escalate to SIGKILL)
  --child=a,b        start a grandchild (``sleep``) in the same process group
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def chosen(option: str, name: str) -> bool:
    for arg in sys.argv[2:]:
        if arg.startswith(f"--{option}="):
            return name in arg.split("=", 1)[1].split(",")
    return False


def kafka_reachable(bootstrap: str | None) -> bool:
    if not bootstrap:
        return True
    host, port = bootstrap.rsplit(":", 1)
    try:
        with socket.create_connection((host, int(port)), timeout=0.5):
            return True
    except OSError:
        return False


def main() -> int:
    name = sys.argv[1]
    prefix = name.upper() + "_"
    if chosen("crash", name):
        print(f"{name}: fatal: simulated crash at startup", file=sys.stderr, flush=True)
        return 3
    if chosen("ignore-term", name):
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    else:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    env = {k: v for k, v in os.environ.items() if k.startswith((prefix, "USERS_"))}
    if chosen("child", name):
        child = subprocess.Popen(["sleep", "600"])
        env["FAKE_CHILD_PID"] = str(child.pid)
    never_ready = chosen("never-ready", name)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/env":
                self.answer(200, env)
            elif self.path == "/health/ready":
                ok = not never_ready and kafka_reachable(env.get(prefix + "KAFKA_BOOTSTRAP"))
                self.answer(200 if ok else 503, {"ready": ok})
            else:
                self.answer(404, {})

        def answer(self, status: int, body: object) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer((env[prefix + "HOST"], int(env[prefix + "PORT"])), Handler)
    print(f"{name}: listening on {server.server_address}", file=sys.stderr, flush=True)
    server.serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
