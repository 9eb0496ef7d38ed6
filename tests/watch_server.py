"""A local HTTP server for the watch tests: 127.0.0.1 only, started and stopped by the test.

Routes are set per test (``server.routes[path] = Route(...)``) and may change between polls;
every request is logged with its headers, so tests can tell what was fetched and whether it
was asked conditionally. Slow answers wait on an event that ``stop`` sets, so no handler
outlives its test by more than a moment.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    """What a path answers. ``delay``: seconds to wait before answering (``hold``: until the
    test's end); ``redirect``: a Location to send with 302; ``stream``: bytes to send without a
    Content-Length (a huge page)."""

    body: bytes = b""
    ctype: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    hold: bool = False
    redirect: str | None = None
    stream: int = 0


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, dict[str, str]]] = []
        self.release = threading.Event()
        self.requested = threading.Condition()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: object) -> None:  # quiet
                pass

            def do_GET(self) -> None:
                server._handle(self)

            def do_POST(self) -> None:
                n = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(n)
                server.log.append((self.path, {**dict(self.headers.items()), "_body": body.decode()}))
                route = server.routes.get(self.path, Route(status=404))
                self.send_response(route.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        with self.requested:
            self.log.append((h.path, dict(h.headers.items())))
            self.requested.notify_all()
        route = self.routes.get(h.path, Route(body=b"not found", status=404, ctype="text/plain"))
        if route.hold:
            self.release.wait(timeout=60)
            return
        if route.delay:
            self.release.wait(timeout=route.delay)
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # the client gave up: expected
            self._answer(h, route)

    def _answer(self, h: BaseHTTPRequestHandler, route: Route) -> None:
        if route.redirect:
            h.send_response(302)
            h.send_header("Location", route.redirect)
            h.send_header("Content-Length", "0")
            h.end_headers()
            return
        inm, ims = h.headers.get("If-None-Match"), h.headers.get("If-Modified-Since")
        # RFC 9110: If-None-Match, when sent, decides; If-Modified-Since only without it.
        fresh = (inm == route.etag) if inm else bool(route.last_modified and ims == route.last_modified)
        if route.status == 200 and fresh:
            h.send_response(304)
            h.end_headers()
            return
        h.send_response(route.status)
        h.send_header("Content-Type", route.ctype)
        if route.etag:
            h.send_header("ETag", route.etag)
        if route.last_modified:
            h.send_header("Last-Modified", route.last_modified)
        if route.stream:
            h.end_headers()
            chunk = b"<p>" + b"x" * 65_530 + b"</p>"
            sent = 0
            while sent < route.stream and not self.release.is_set():
                h.wfile.write(chunk)
                sent += len(chunk)
            return
        h.send_header("Content-Length", str(len(route.body)))
        h.end_headers()
        h.wfile.write(route.body)

    def paths(self) -> list[str]:
        return [p for p, _ in self.log]

    def count(self, path: str) -> int:
        return sum(1 for p, _ in self.log if p == path)

    def headers_of(self, path: str) -> list[dict[str, str]]:
        return [h for p, h in self.log if p == path]

    def wait_for(self, path: str, timeout: float) -> bool:
        """Block until ``path`` was requested (True) or ``timeout`` seconds passed (False)."""
        with self.requested:
            return self.requested.wait_for(lambda: path in self.paths(), timeout=timeout)

    def url(self, path: str) -> str:
        return self.base + path

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@contextmanager
def local_server() -> Iterator[LocalServer]:
    server = LocalServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
