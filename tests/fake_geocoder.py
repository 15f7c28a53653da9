"""A fake Nominatim on 127.0.0.1 that answers, or fails the ways a real service does.

Shared by the geocoder tests (``tests/test_geocoders.py``) and the dashboard's
intake tests (``tests/dashboard/test_dash_geocoder.py``).  Nothing here ever
reaches the internet: the server listens on a random loopback port, and
:func:`closed_port_url` names a port nothing listens on.

Modes (``server.mode``): ``ok`` (answers Zorvania, nothing else), ``429``,
``500``, ``garbled`` (truncated JSON), ``no-coordinates``; ``server.delay_s``
holds every answer back, for timeouts.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

# a made-up village: no gazetteer has it, so only the online service can place it
REPORT = ("Shelling hit Kharkiv overnight. Heavy fighting was reported near Zorvania, "
          "where Russian troops massed, the governor said.")
ZORVANIA = {"place_id": 4242, "osm_type": "node", "osm_id": 777, "lat": "49.8123", "lon": "36.5012",
            "name": "Zorvania", "display_name": "Zorvania, Kharkiv Oblast, Ukraine",
            "class": "place", "type": "village", "addresstype": "village", "importance": 0.31,
            "address": {"village": "Zorvania", "country": "Ukraine", "country_code": "ua"}}


class FakeNominatim(ThreadingHTTPServer):
    """A loopback HTTP server that answers ``/search`` like Nominatim, or fails on purpose."""

    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), _Handler)
        self.mode = "ok"
        self.delay_s = 0.0
        self.queries: list[str] = []
        self.user_agents: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FakeNominatim

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        query = parse_qs(urlsplit(self.path).query).get("q", [""])[0]
        self.server.queries.append(query)
        self.server.user_agents.append(self.headers.get("User-Agent", ""))
        if self.server.delay_s:
            time.sleep(self.server.delay_s)
        mode = self.server.mode
        if mode == "429":
            self._send(429, b'{"error": "Too Many Requests"}')
        elif mode == "500":
            self._send(500, b"<html>Internal Server Error</html>", "text/html")
        elif mode == "garbled":
            self._send(200, b'[{"lat": "49.8", "lon": ')
        elif mode == "no-coordinates":
            self._send(200, json.dumps([{"name": query, "osm_id": 1}]).encode())
        else:
            hits = [ZORVANIA] if query.lower() == "zorvania" else []
            self._send(200, json.dumps(hits).encode())

    def _send(self, status: int, body: bytes, ctype: str = "application/json") -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout case)
            pass

    def log_message(self, *args) -> None:  # keep pytest's output clean
        pass


@contextmanager
def running_fake() -> Iterator[FakeNominatim]:
    """A started fake server, shut down on exit (use it as a pytest fixture's body)."""
    server = FakeNominatim()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def closed_port_url() -> str:
    """A loopback URL where nothing listens: connections are refused at once."""
    with socket.socket() as sock:  # bind, note the port, close: nothing listens there now
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
