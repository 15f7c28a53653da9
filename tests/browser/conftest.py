"""Fixtures for tests that drive a real Streamlit server with a real browser.

``streamlit_server`` starts ``python -m streamlit run SCRIPT`` on a free port of
127.0.0.1 and returns its base URL; ``page`` is a Playwright page in Debian's
chromium that records every request in ``request_log`` and blocks any request
to a host other than this machine, so a test sees exactly what an offline user
would. Browser tests are skipped only when /usr/bin/chromium is missing
(``make test-deps`` installs it; CI always has it).

Example, for a test of the dashboard::

    def test_dashboard_draws(dashboard_url, page, request_log):
        page.goto(dashboard_url)
        ...
        request_log.assert_only_local()
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
APPS_DIR = Path(__file__).resolve().parent / "apps"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-proxy-server",
]
SERVER_START_TIMEOUT = 90.0  # seconds; a cold start imports geopandas and friends

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})

StartStreamlit = Callable[..., str]


def is_local_url(url: str) -> bool:
    """True for URLs that stay on this machine (loopback, data:, blob:, about:)."""
    parts = urlsplit(url)
    if parts.scheme in LOCAL_SCHEMES:
        return True
    return parts.hostname in LOCAL_HOSTS


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthy(url: str) -> bool:
    # no proxy, whatever the environment says: the server is on loopback
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class StreamlitServer:
    """One ``streamlit run`` subprocess serving on 127.0.0.1."""

    script: Path
    url: str
    process: subprocess.Popen
    log_path: Path

    @classmethod
    def start(cls, script: Path, env: Mapping[str, str] | None, log_dir: Path) -> StreamlitServer:
        """Start the server and wait until its health check answers."""
        port = free_port()
        environment = {**os.environ, **(env or {})}
        # the test apps and dashboard/app.py import the project's packages
        environment["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(REPO_ROOT), environment.get("PYTHONPATH", "")) if p
        )
        command = [
            sys.executable, "-m", "streamlit", "run", str(script),
            "--server.port", str(port),
            "--server.address", "127.0.0.1",
            "--server.headless", "true",
            "--server.enableStaticServing", "true",
            "--server.fileWatcherType", "none",
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        log_path = log_dir / f"streamlit-{script.stem}-{port}.log"
        with log_path.open("wb") as log:
            process = subprocess.Popen(
                command, cwd=REPO_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
        server = cls(script=script, url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)
        server._wait_until_healthy()
        return server

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"streamlit exited with {self.process.returncode}:\n{self.log()}")
            if _healthy(self.url):
                return
            time.sleep(0.25)
        self.stop()
        pytest.fail(f"streamlit did not answer within {SERVER_START_TIMEOUT:.0f} s:\n{self.log()}")

    def log(self) -> str:
        """What the server printed so far."""
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        """End the subprocess (this one only), politely first."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


DASHBOARD = "dashboard/app.py"
MAP_FRAME = "iframe[title*='streamlit_folium']"  # the st_folium component's frame


@pytest.fixture(scope="session")
def streamlit_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[StartStreamlit]:
    """Start Streamlit servers on demand; all are stopped at the end of the session.

    Yields a function ``start(script, env=None) -> base_url``. ``script`` is a
    path, relative to the repository root or absolute; ``env`` holds extra
    environment variables (for example ``{"SITMAP_DATA_DIR": str(tmp)}``).
    The same script with the same env reuses the running server.
    """
    log_dir = tmp_path_factory.mktemp("streamlit-logs")
    servers: dict[tuple, StreamlitServer] = {}

    def start(script: str | os.PathLike[str], env: Mapping[str, str] | None = None) -> str:
        path = (REPO_ROOT / script).resolve()
        if not path.is_file():
            pytest.fail(f"no Streamlit script at {path}")
        key = (path, tuple(sorted((env or {}).items())))
        if key not in servers:
            servers[key] = StreamlitServer.start(path, env, log_dir)
        return servers[key].url

    yield start
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def dashboard_url(streamlit_server: StartStreamlit) -> str:
    """Base URL of ``dashboard/app.py`` served on the bundled seed."""
    return streamlit_server(DASHBOARD)


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright, headless, for the whole session."""
    if not CHROMIUM.is_file():
        pytest.skip(f"browser tests need Debian's chromium at {CHROMIUM}; run `make test-deps`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@dataclass
class RequestLog:
    """Every URL a page asked for, and the local requests that failed."""

    urls: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def remote(self) -> list[str]:
        """The URLs that would have left this machine, in order, without repeats."""
        return list(dict.fromkeys(url for url in self.urls if not is_local_url(url)))

    def assert_only_local(self) -> None:
        """Fail if any request went (or tried to go) to another host."""
        remote = self.remote()
        assert not remote, f"{len(remote)} request(s) to other hosts:\n" + "\n".join(remote)

    def assert_no_failures(self) -> None:
        """Fail if a request to this machine got an error status or no answer."""
        assert not self.failures, "failed local requests:\n" + "\n".join(self.failures)


@pytest.fixture
def request_log() -> RequestLog:
    """The requests of the ``page`` fixture's browser context."""
    return RequestLog()


def _record_response(log: RequestLog, response) -> None:
    if response.status >= 400 and is_local_url(response.url):
        log.failures.append(f"{response.status} {response.url}")


def _record_failure(log: RequestLog, request) -> None:
    # ERR_ABORTED is a request the page itself gave up (navigation, cancelled fetch)
    reason = request.failure or ""
    if is_local_url(request.url) and "ERR_ABORTED" not in reason:
        log.failures.append(f"{reason} {request.url}")


def offline_context(browser, request_log: RequestLog | None = None, timeout_ms: int = 30_000):
    """A browser context (one analyst's session) whose requests to other hosts are refused.

    With ``request_log``, every request, error status and failure is recorded in it.
    """
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    if request_log is not None:
        context.on("request", lambda request: request_log.urls.append(request.url))
        context.on("response", lambda response: _record_response(request_log, response))
        context.on("requestfailed", lambda request: _record_failure(request_log, request))
    context.route(lambda url: not is_local_url(url), lambda route: route.abort("blockedbyclient"))
    context.set_default_timeout(timeout_ms)
    return context


def map_frame(page, features: int | None = None, timeout_ms: int = 90_000):
    """The dashboard map's frame, once its first event shape (or ``features`` shapes) is drawn
    and the land, which the browser fetches beside the map's script, is in."""
    page.wait_for_selector(MAP_FRAME, state="attached", timeout=timeout_ms)
    frame = page.frame_locator(MAP_FRAME)
    frame.locator("path.leaflet-interactive").first.wait_for(state="attached", timeout=timeout_ms)
    frame.locator(".leaflet-sm-land-pane path").first.wait_for(state="attached", timeout=timeout_ms)
    if features is not None:
        frame.locator(f"path.leaflet-interactive >> nth={features - 1}").wait_for(state="attached")
    return frame


def wait_until_idle(page, timeout_ms: int = 90_000) -> None:
    """Until the app's script run has finished (Streamlit marks its root with the run state).

    Clicking while a run is still drawing the page can land on elements that run
    replaces; waiting first makes the test see what an analyst would.
    """
    page.wait_for_function(
        """() => { const app = document.querySelector('[data-testid="stApp"]');
                   return app !== null && app.getAttribute('data-test-script-state') === 'notRunning'; }""",
        timeout=timeout_ms)


def eventually(check: Callable[[], object], timeout_s: float = 20.0, every_s: float = 0.25):
    """Run ``check`` (which asserts) until it passes; after ``timeout_s`` its last failure is raised.

    The page redraws after Streamlit's rerun and Leaflet's own debounced passes,
    so a state the analyst would see a moment later is awaited, not assumed after
    a fixed pause: a slow machine then waits longer, and a wrong page still fails.
    """
    from playwright.sync_api import Error as PageError  # a frame replaced while it was read

    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return check()
        except (AssertionError, PageError):
            if time.monotonic() > deadline:
                raise
        time.sleep(every_s)


@pytest.fixture
def page(browser, request_log: RequestLog):
    """A fresh page (in its own context) that records requests and blocks remote ones."""
    context = offline_context(browser, request_log)
    yield context.new_page()
    context.close()
