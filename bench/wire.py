"""HTTP/1.1 on the wire for the load generator: request bytes and a minimal response parser.

Only what a closed-loop keep-alive client needs: one request in flight per connection,
responses framed by ``Content-Length`` or ``Transfer-Encoding: chunked``. Anything else
(no framing, garbage, huge heads) raises :class:`ProtocolError` and the connection is
dropped, so a broken server shows up as errors rather than as fast, wrong numbers.
"""

from __future__ import annotations

import ipaddress
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

RequestFactory = Callable[[int], tuple[Mapping[str, str], bytes | None]]
"""``factory(seq) -> (extra_headers, body)``, called once per request in the generator."""

SEQ_TOKEN = "{{seq}}"
UUID_TOKEN = "{{uuid}}"
MAX_HEAD = 64 * 1024
_HEAD = 0
_BODY = 1
_CHUNKS = 2


class ProtocolError(Exception):
    """The server sent bytes this parser does not accept."""


class TargetError(ValueError):
    """The URL is not an ``http://`` URL on a loopback address."""


@dataclass(frozen=True)
class Endpoint:
    """Where to connect and what to put on the request line."""

    host: str
    port: int
    target: str

    @property
    def authority(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


def parse_url(url: str) -> Endpoint:
    """Split ``url``; refuse anything but plain HTTP to a loopback address."""
    parts = urlsplit(url)
    if parts.scheme != "http" or not parts.hostname:
        raise TargetError(f"expected an http:// URL with a host, got {url!r}")
    host = parts.hostname
    if host != "localhost" and not _is_loopback_ip(host):
        raise TargetError(f"load goes to loopback only (127.0.0.1, ::1, localhost); got {host!r}")
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Endpoint(host=host, port=parts.port or 80, target=target)


def _is_loopback_ip(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a name other than localhost: never resolved, never loaded
        return False


class RequestTemplate:
    """The bytes of request number ``seq``.

    A request without ``{{seq}}``/``{{uuid}}`` tokens and without a factory is encoded
    once and reused. Otherwise each request is rebuilt: tokens in header values and body
    are replaced (one fresh UUID per request, shared by head and body) and the factory's
    headers and body, if any, are merged in.
    """

    def __init__(
        self,
        *,
        method: str,
        endpoint: Endpoint,
        headers: Mapping[str, str],
        body: bytes | None,
        factory: RequestFactory | None = None,
    ) -> None:
        self._method = method.upper()
        self._endpoint = endpoint
        self._headers = {"Host": endpoint.authority, **dict(headers)}
        self._body = body
        self._factory = factory
        text = "".join(f"{k}{v}" for k, v in self._headers.items()) + (body or b"").decode(
            "latin-1"
        )
        self._tokens = SEQ_TOKEN in text or UUID_TOKEN in text
        self._static = None if (self._tokens or factory) else self._encode(self._headers, body)

    @property
    def is_static(self) -> bool:
        return self._static is not None

    def build(self, seq: int) -> bytes:
        if self._static is not None:
            return self._static
        headers, body = self._headers, self._body
        if self._factory is not None:
            extra, made = self._factory(seq)
            headers = {**headers, **extra}
            body = made if made is not None else body
        if self._tokens:
            uid = str(uuid.uuid4())
            headers = {k: _fill(v, seq, uid) for k, v in headers.items()}
            if body:
                body = _fill(body.decode("latin-1"), seq, uid).encode("latin-1")
        return self._encode(headers, body)

    def _encode(self, headers: Mapping[str, str], body: bytes | None) -> bytes:
        lines = [f"{self._method} {self._endpoint.target} HTTP/1.1"]
        lines += [f"{k}: {v}" for k, v in headers.items() if k.lower() != "content-length"]
        if body is not None or self._method in ("POST", "PUT", "PATCH"):
            lines.append(f"Content-Length: {len(body or b'')}")
        return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + (body or b"")


def _fill(text: str, seq: int, uid: str) -> str:
    return text.replace(SEQ_TOKEN, str(seq)).replace(UUID_TOKEN, uid)


class ResponseParser:
    """Incremental parser for responses arriving one at a time on a keep-alive connection.

    :meth:`feed` returns the status code when a whole response has arrived, else 0.
    After a response, :attr:`must_close` says whether the server will close.
    """

    __slots__ = ("_buf", "_need", "_state", "must_close", "status")

    def __init__(self) -> None:
        self._buf = bytearray()
        self._state = _HEAD
        self._need = 0
        self.status = 0
        self.must_close = False

    def feed(self, data: bytes) -> int:
        buf = self._buf
        buf += data
        while True:
            if self._state == _HEAD:
                end = buf.find(b"\r\n\r\n")
                if end < 0:
                    if len(buf) > MAX_HEAD:
                        raise ProtocolError(f"response head larger than {MAX_HEAD} bytes")
                    return 0
                self._read_head(end)
                if self._state == _HEAD:  # an interim 1xx; the real response follows
                    continue
            if self._state == _CHUNKS:
                if not self._read_chunks():
                    return 0
            elif len(buf) < self._need:
                return 0
            else:
                del buf[: self._need]
            self._state = _HEAD
            return self.status

    def _read_head(self, end: int) -> None:
        buf = self._buf
        head = bytes(buf[:end]).lower()
        del buf[: end + 4]
        if not head.startswith(b"http/1.") or len(head) < 12:
            raise ProtocolError(f"not an HTTP/1.x status line: {head[:40]!r}")
        try:
            self.status = int(head[9:12])
        except ValueError:
            raise ProtocolError(f"bad status line: {head[:40]!r}") from None
        self.must_close = b"\r\nconnection: close" in head or head.startswith(b"http/1.0")
        self._state, self._need = _BODY, 0
        if self.status < 200:  # interim response: no body, read the next head
            self._state = _HEAD
            return
        at = head.find(b"\r\ncontent-length:")
        if at >= 0:
            stop = head.find(b"\r\n", at + 17)
            self._need = int(head[at + 17 : stop if stop >= 0 else len(head)])
        elif b"\r\ntransfer-encoding:" in head and b"chunked" in head:
            self._state = _CHUNKS
        elif self.status not in (204, 304):
            raise ProtocolError("response has neither Content-Length nor chunked framing")

    def _read_chunks(self) -> bool:
        buf = self._buf
        while True:
            if self._need == 0:  # expecting a chunk-size line
                eol = buf.find(b"\r\n")
                if eol < 0:
                    return False
                size = int(bytes(buf[:eol]).split(b";", 1)[0], 16)
                if size == 0:
                    end = buf.find(b"\r\n\r\n", eol)  # optional trailers, then a blank line
                    if end < 0:
                        return False
                    del buf[: end + 4]
                    return True
                del buf[: eol + 2]
                self._need = size + 2
            if len(buf) < self._need:
                return False
            del buf[: self._need]
            self._need = 0
