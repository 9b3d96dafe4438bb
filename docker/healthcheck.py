"""The image's HEALTHCHECK: exit 0 when ``HEALTHCHECK_URL`` answers 200, else 1.

Every service runs from one image, each on its own port, so the URL comes from the
environment (docker-compose.yml sets it to the service's ``/health/ready``). The
default is the gateway's. Standard library only, and no proxy from the environment.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8000/health/ready"
TIMEOUT_S = 4.0


def check(url: str) -> str | None:
    """None when healthy, else what went wrong."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=TIMEOUT_S) as response:
            status = response.status
    except urllib.error.HTTPError as exc:  # 503 while not ready
        status = exc.code
    except (OSError, ValueError) as exc:  # refused, timed out, bad URL
        return f"{url}: {exc}"
    return None if status == 200 else f"{url}: answered {status}"


def main() -> int:
    problem = check(os.environ.get("HEALTHCHECK_URL") or DEFAULT_URL)
    if problem:
        sys.stderr.write(problem + "\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
