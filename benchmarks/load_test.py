"""Load: about 20 browser sessions at once on one dashboard server, all on loopback.

Run from the repository root::

    python -m benchmarks.load_test --sessions 20 --waves 3 --hold 20

It starts ``dashboard/app.py`` on 127.0.0.1 with a fresh store (the seed), then
opens ``--sessions`` headless chromium sessions at once, each in a browser
context of its own (so each is a separate Streamlit session with its own
websocket).  Every session waits for its map (every seed feature drawn in the
map's frame), changes a filter (a quote search) and waits for the redrawn map,
then stays connected for ``--hold`` seconds.  One session goes first on its
own, so the cold start (seed parse, gazetteer load) is timed apart from the
load.  The wave is closed and the next one opened, ``--waves`` times, so
growth between waves shows a leak.  The server's resident memory (with its
child processes) is sampled every half second throughout.  Requests to any
other host are refused, as offline.

It prints, per wave, sessions that got their map, time to map and to the
redrawn map (median, 95th percentile, max), the CPU time the server used
against the wave's wall time (the browsers share the machine: a small ratio
means chromium, not the server, set the pace), and the server's memory:
before, peak, and after the wave closed.  Exit status 1 if any session failed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psutil

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
MAP = "iframe[title*='streamlit_folium']"
SEED_FEATURES = 10  # drawn shapes of the seed report
LOCAL = {"127.0.0.1", "localhost", "::1"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(store_dir: Path, port: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "SITMAP_STORE_DIR": str(store_dir), "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
           "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
           "--server.enableStaticServing", "true", "--server.fileWatcherType", "none",
           "--browser.gatherUsageStats", "false"]
    with log.open("wb") as out:
        return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def wait_healthy(url: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}")
        try:
            with opener.open(f"{url}/_stcore/health", timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not answer in time")


class RssSampler(threading.Thread):
    """The server's resident memory (its children included), every ``every`` seconds."""

    def __init__(self, pid: int, every: float = 0.5):
        super().__init__(daemon=True)
        self.proc, self.every = psutil.Process(pid), every
        self.samples: list[tuple[float, int]] = []
        self._halt = threading.Event()

    def rss(self) -> int:
        procs = [self.proc, *self.proc.children(recursive=True)]
        total = 0
        for p in procs:
            try:
                total += p.memory_info().rss
            except psutil.NoSuchProcess:
                continue
        return total

    def run(self) -> None:
        while not self._halt.is_set():
            self.samples.append((time.monotonic(), self.rss()))
            self._halt.wait(self.every)

    def stop(self) -> None:
        self._halt.set()
        self.join(timeout=5)

    def cpu_seconds(self) -> float:
        """CPU time (user + system) used so far by the server and its live children."""
        total = 0.0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            try:
                times = p.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total

    def peak_between(self, t0: float, t1: float) -> int:
        return max((r for t, r in self.samples if t0 <= t <= t1), default=0)


@dataclass
class Session:
    ok: bool = False
    to_map: float | None = None
    to_redraw: float | None = None
    error: str = ""
    remote: list[str] = field(default_factory=list)


async def block_remote(route) -> None:
    if urlsplit(route.request.url).hostname in LOCAL or route.request.url.startswith(("data:", "blob:")):
        await route.continue_()
    else:
        await route.abort("blockedbyclient")


async def features(page) -> int:
    return await page.frame_locator(MAP).locator("path.leaflet-interactive").count()


async def wait_features(page, predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate(await features(page)):
            return
        await asyncio.sleep(0.1)
    raise TimeoutError(f"map has {await features(page)} features")


async def one_session(browser, url: str, hold: float, timeout: float) -> Session:
    s = Session()
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    context.on("request", lambda r: urlsplit(r.url).hostname not in LOCAL
               and not r.url.startswith(("data:", "blob:", "about:")) and s.remote.append(r.url))
    await context.route("**/*", block_remote)
    page = await context.new_page()
    try:
        t0 = time.monotonic()
        await page.goto(url, timeout=timeout * 1000)
        await page.wait_for_selector(MAP, state="attached", timeout=timeout * 1000)
        await wait_features(page, lambda n: n >= SEED_FEATURES, timeout)
        s.to_map = time.monotonic() - t0
        # a filter change: only the events quoting "surrounded" stay
        t1 = time.monotonic()
        search = page.get_by_label("Search quotes")
        await search.fill("surrounded")
        await search.press("Enter")
        await wait_features(page, lambda n: 0 < n < SEED_FEATURES, timeout)
        s.to_redraw = time.monotonic() - t1
        await asyncio.sleep(hold)  # stay connected, as an analyst would
        s.ok = True
    except Exception as exc:  # noqa: BLE001 (a load run records every failure and goes on)
        s.error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
    finally:
        await context.close()
    return s


async def wave(url: str, sessions: int, hold: float, timeout: float) -> list[Session]:
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True,
                                           args=["--no-sandbox", "--disable-gpu", "--no-proxy-server"])
        try:
            return await asyncio.gather(*(one_session(browser, url, hold, timeout) for _ in range(sessions)))
        finally:
            await browser.close()


def spread(values: list[float]) -> str:
    if not values:
        return "-"
    values = sorted(values)
    p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
    return f"{statistics.median(values):5.2f} / {p95:5.2f} / {values[-1]:5.2f} s"


def mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.load_test", description=__doc__.split("\n")[0])
    ap.add_argument("--sessions", type=int, default=20)
    ap.add_argument("--waves", type=int, default=3)
    ap.add_argument("--hold", type=float, default=20.0, help="seconds each session stays connected")
    ap.add_argument("--timeout", type=float, default=120.0, help="seconds a session may wait for its map")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="sitmap-load-") as tmp:
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        server = start_server(Path(tmp) / "store", port, Path(tmp) / "server.log")
        try:
            wait_healthy(url, server)
            sampler = RssSampler(server.pid)
            sampler.start()
            failed = run_waves(url, args, sampler)
            sampler.stop()
        finally:
            os.killpg(server.pid, 15)  # the server we started, and its children
            server.wait(timeout=30)
    return 1 if failed else 0


def run_waves(url: str, args: argparse.Namespace, sampler: RssSampler) -> int:
    print(f"{args.sessions} sessions x {args.waves} waves, {args.hold:g} s held, on {url}")
    # one session first, so the waves measure load and not the cold start (seed parse, gazetteer)
    t0 = time.monotonic()
    (warm,) = asyncio.run(wave(url, 1, 0, args.timeout))
    print(f"warm-up: one session, first map {warm.to_map or 0:.1f} s, {time.monotonic() - t0:.1f} s in all, "
          f"server RSS {mb(sampler.rss())}" + ("" if warm.ok else f"; failed: {warm.error}"))
    print("wave  maps   time to map (median/p95/max)   redraw (median/p95/max)   server CPU / wall"
          "   RSS before -> peak -> after")
    failed = 0 if warm.ok else 1
    served = 0
    for w in range(1, args.waves + 1):
        before, t0, cpu0 = sampler.rss(), time.monotonic(), sampler.cpu_seconds()
        results = asyncio.run(wave(url, args.sessions, args.hold, args.timeout))
        time.sleep(3)  # let the server notice the closed sockets
        after, t1, cpu1 = sampler.rss(), time.monotonic(), sampler.cpu_seconds()
        ok = [r for r in results if r.ok]
        failed += len(results) - len(ok)
        served += len(ok)
        print(f"{w:>4}  {len(ok):>2}/{len(results):<2}  {spread([r.to_map for r in ok]):>26}   "
              f"{spread([r.to_redraw for r in ok]):>24}   {cpu1 - cpu0:6.0f} s / {t1 - t0:4.0f} s"
              f"   {mb(before)} -> {mb(sampler.peak_between(t0, t1))} -> {mb(after)}")
        for r in results:
            if not r.ok:
                print(f"      failed: {r.error}")
            if r.remote:
                print(f"      requests to other hosts: {r.remote[:3]}")
                failed += 1
    peak = max((r for _, r in sampler.samples), default=0)
    print(f"sessions served: {served} of {args.sessions * args.waves}; load average (1/5/15 min) "
          + " / ".join(f"{x:.1f}" for x in os.getloadavg()) + f" on {os.cpu_count()} cores")
    print(f"server RSS: first sample {mb(sampler.samples[0][1])}, peak {mb(peak)}, "
          f"last {mb(sampler.samples[-1][1])}; {len(sampler.samples)} samples")
    return failed


if __name__ == "__main__":
    raise SystemExit(main())
