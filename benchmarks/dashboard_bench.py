"""Dashboard benchmark: the real app against a naive peer, in headless chromium.

For generated stores of 1k, 10k and 100k events (synthetic events around
real gazetteer places, plus the seed) it starts ``dashboard/app.py`` and a
naive app (one ``folium.Marker`` per event, filtered in Python, the pattern
most Streamlit + Folium demos follow), both offline, and measures:

- first map: navigation start to every feature drawn in the map's iframe,
  on a cold server (its first visit) and on a warm one (median of
  ``--repeat`` later visits);
- filter: typing a quote search and pressing Enter, to the redrawn map;
- page: bytes the browser received (HTTP bodies and websocket frames);
- RSS: the server's resident memory after both, and its peak.

Run from the repository root::

    python benchmarks/dashboard_bench.py                  # seed, 1k, 10k, 100k
    python benchmarks/dashboard_bench.py --sizes 1000 --naive-max 1000

Generated stores are kept in ``--work`` (default: a folder under /tmp) and
reused when they already hold the right number of events.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import hashlib
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.intake.service import open_seeded  # noqa: E402
from geo.store import EventFilter, Store  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
SEARCH = "kyiv"  # in the seed and in every generated quote about Kyiv
BATCH = 200  # events per generated report
TIMEOUT_S = 180.0

_TEMPLATES = {
    "strike": "{actor} forces shelled {place} overnight, officials said.",
    "battle": "Fighting was reported on the outskirts of {place}.",
    "capture": "{actor} troops took control of {place}.",
    "encirclement": "{place} was surrounded, according to local officials.",
    "troop_movement": "A convoy of {actor} vehicles was seen moving towards {place}.",
    "civilian_harm": "Civilians were wounded when a school was hit in {place}.",
    "losses": "{actor} units lost several tanks near {place}.",
    "mobilization": "Reservists were called up in {place}.",
    "diplomacy": "Delegations met in {place} to discuss a ceasefire.",
    "strategic": "New sanctions were announced after events in {place}.",
    "humanitarian": "An evacuation corridor opened from {place}.",
    "protest": "Residents of {place} protested in the central square.",
    "other": "Officials in {place} gave a briefing.",
}


# -- generated stores -----------------------------------------------------------


def _cities(gaz, min_population: int = 20_000) -> list[int]:
    import numpy as np

    rows = np.flatnonzero((gaz.kind == "city") & (gaz.cc == "UA") & (gaz.population >= min_population))
    return rows.tolist()


def _event(gaz, rng: random.Random, rows: list[int], weights: list[float], source: str, i: int):
    from geo.records import Event

    etype = rng.choice(list(_TEMPLATES))
    row = rng.choices(rows, weights)[0]
    lon = round(float(gaz.lon[row]) + rng.uniform(-0.03, 0.03), 5)
    lat = round(float(gaz.lat[row]) + rng.uniform(-0.03, 0.03), 5)
    actor = rng.choice(("Russia", "Ukraine"))
    date = (dt.date(2022, 2, 24) + dt.timedelta(days=rng.randrange(60))).isoformat()
    place = str(gaz.name[row])
    quote = _TEMPLATES[etype].format(actor="Russian" if actor == "Russia" else "Ukrainian", place=place)
    eid = hashlib.sha1(f"{source}|{i}".encode()).hexdigest()[:16]
    return Event(eid, etype, None, place, {"type": "Point", "coordinates": [lon, lat]}, (actor,), date,
                 rng.choice(("confirmed", "reported", "claimed")), None, quote, 0, len(quote),
                 trigger=quote.split()[1], source=source, place_kind="city", lat=lat, lon=lon)


def generate_store(path: Path, n_events: int, seed: int = 7) -> Store:
    """A store with the seed plus ``n_events`` synthetic events, made once and reused."""
    from geo.gazetteer.loader import load_gazetteer
    from geo.records import Report, Result

    gaz = load_gazetteer()
    store = open_seeded(str(path), gaz)
    have = sum(r.events for r in store.list_reports() if r.source.startswith("bench-"))
    if have == n_events:
        return store
    if have:
        raise SystemExit(f"{path} holds {have} generated events, not {n_events}; remove it first")
    rng = random.Random(seed)
    rows = _cities(gaz)
    weights = [float(gaz.population[r]) ** 0.5 for r in rows]
    results = []
    for start in range(0, n_events, BATCH):
        source = f"bench-{start // BATCH:05d}.txt"
        events = tuple(_event(gaz, rng, rows, weights, source, i) for i in range(start, min(n_events, start + BATCH)))
        text = f"generated report {source} ({len(events)} events)"
        results.append(Result(Report(source[:-4], text, source, events[0].date), (), events))
    store.add_results(results)
    return store


# -- servers ----------------------------------------------------------------------

_NAIVE_APP = '''
import os, sys
sys.path.insert(0, os.environ["SITMAP_ROOT"])
import folium
import streamlit as st
from streamlit_folium import st_folium
from dashboard.offline import offline_map
from geo.store import open_store

st.set_page_config(layout="wide")
store = st.cache_resource(open_store)(os.environ["SITMAP_STORE"])
events = st.cache_data(lambda: store.query_events()["features"])()
q = st.sidebar.text_input("Search quotes").lower()
m = offline_map(location=(48.5, 31.5), zoom_start=6)
for f in events:
    p = f["properties"]
    if p["lat"] is None or (q and q not in p["quote"].lower()):
        continue
    folium.Marker((p["lat"], p["lon"]), popup=p["quote"], tooltip=p["event_type"]).add_to(m)
st_folium(m, height=640, use_container_width=True, returned_objects=[])
'''


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    process: subprocess.Popen

    def rss_mb(self) -> tuple[float, float]:
        """Resident and peak resident memory of the server process, in MB."""
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines())
        kb = lambda name: float(fields[name].split()[0])  # noqa: E731
        return kb("VmRSS") / 1024, kb("VmHWM") / 1024


@contextlib.contextmanager
def serve(script: Path, store: Path, log: Path) -> Iterator[Server]:
    """``streamlit run script`` on a free port, on the given store, stopped afterwards."""
    port = _free_port()
    env = {**os.environ, "SITMAP_STORE": str(store), "SITMAP_ROOT": str(ROOT),
           "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--server.enableStaticServing",
           "true", "--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
    with log.open("wb") as out:
        process = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        _wait_healthy(server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_healthy(server: Server) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError("streamlit exited early")
        with contextlib.suppress(OSError):
            if opener.open(f"{server.url}/_stcore/health", timeout=2).status == 200:
                return
        time.sleep(0.25)
    raise RuntimeError("streamlit did not start")


def _naive_script(work: Path) -> Path:
    folder = work / "naive"
    folder.mkdir(parents=True, exist_ok=True)
    static = folder / "static"
    if not static.exists():
        static.symlink_to(ROOT / "dashboard" / "static")  # same /app/static/vendor URLs
    script = folder / "naive_app.py"
    script.write_text(_NAIVE_APP)
    return script


# -- browser -----------------------------------------------------------------------

_COUNT_JS = """([selector, n]) => {
    const f = document.querySelector("iframe[title*='streamlit_folium']");
    const d = f && f.contentDocument;
    return !!d && d.querySelectorAll(selector).length === n;
}"""


@dataclass
class Visit:
    first_s: float | None
    filter_s: float | None
    bytes: int


def _page_bytes(page) -> list[int]:
    """A running total of bytes received over HTTP and the websocket."""
    total = [0]
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.on("Network.loadingFinished", lambda e: total.__setitem__(0, total[0] + int(e["encodedDataLength"])))
    cdp.on("Network.webSocketFrameReceived", lambda e: total.__setitem__(0, total[0] + _frame_size(e)))
    return total


def _frame_size(event: dict) -> int:
    # binary frames (Streamlit's protobuf messages) arrive base64-encoded
    payload = event["response"]["payloadData"]
    return len(payload) * 3 // 4 if event["response"].get("opcode") == 2 else len(payload.encode())


def visit(browser, url: str, selector: str, first_n: int, filtered_n: int) -> Visit:
    """Open the app, wait for ``first_n`` features, search, wait for ``filtered_n``."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.route(lambda u: not u.startswith(("http://127.0.0.1", "data:", "blob:", "about:")),
                  lambda r: r.abort())
    page = context.new_page()
    received = _page_bytes(page)
    first = filtered = None
    try:
        t0 = time.perf_counter()
        page.goto(url)
        page.wait_for_function(_COUNT_JS, arg=[selector, first_n], timeout=TIMEOUT_S * 1000, polling="raf")
        first = time.perf_counter() - t0
        size = received[0]
        box = page.get_by_label("Search quotes")
        box.fill(SEARCH)
        t1 = time.perf_counter()
        box.press("Enter")
        page.wait_for_function(_COUNT_JS, arg=[selector, filtered_n], timeout=TIMEOUT_S * 1000, polling="raf")
        filtered = time.perf_counter() - t1
    except PlaywrightTimeout:
        size = received[0]
    finally:
        context.close()
    return Visit(first, filtered, size)


# -- one row -------------------------------------------------------------------------


def expected_counts(store: Store) -> dict[str, int]:
    """Features each app should draw, before and after the search, from the same code."""
    from dashboard import mapview

    facets = store.facets()
    everything = mapview.map_content(store, EventFilter(), facets).feature_count
    searched = mapview.map_content(store, EventFilter(text=SEARCH), facets).feature_count
    points = [f for f in store.query_events()["features"] if f["properties"]["lat"] is not None]
    naive_searched = sum(SEARCH in f["properties"]["quote"].lower() for f in points)
    return {"app": everything, "app_search": searched, "naive": len(points), "naive_search": naive_searched}


def measure(browser, script: Path, store_path: Path, work: Path, selector: str, first_n: int,
            filtered_n: int, repeat: int) -> tuple[Visit, Visit, tuple[float, float]]:
    """A cold visit (the first after the server starts), the median of ``repeat`` warm ones,
    and the server's memory."""
    log = work / f"{script.stem}-{store_path.parent.name}.log"
    with serve(script, store_path, log) as server:
        cold = visit(browser, server.url, selector, first_n, filtered_n)
        warm = [visit(browser, server.url, selector, first_n, filtered_n) for _ in range(repeat)]
        return cold, _median_visit(warm), server.rss_mb()


def _median_visit(visits: list[Visit]) -> Visit:
    def med(values):
        values = [v for v in values if v is not None]
        return statistics.median(values) if len(values) == len(visits) else None

    return Visit(med([v.first_s for v in visits]), med([v.filter_s for v in visits]),
                 int(statistics.median(v.bytes for v in visits)))


def _fmt(x: float | None, unit: str = "s") -> str:
    return "timeout" if x is None else f"{x:.2f} {unit}"


def _ratio(a: float | None, b: float | None) -> str:
    return "n/a" if a is None or b is None or a == 0 else f"{b / a:.1f}x"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", default="0,1000,10000,100000", help="generated events per store (0: the seed only)")
    ap.add_argument("--naive-max", type=int, default=10_000, help="largest store the naive app is run on")
    ap.add_argument("--repeat", type=int, default=3, help="warm visits per app and store (the median is shown)")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "sitmap-dashboard-bench")
    args = ap.parse_args(argv)
    from dashboard.offline import missing_vendored_files

    missing = missing_vendored_files()
    if missing:
        # without them the map never draws and every visit would wait out its timeout
        raise SystemExit(f"dashboard_bench: {len(missing)} vendored map assets are missing "
                         f"(first: {missing[0]}); run `make setup` first")
    from playwright.sync_api import sync_playwright

    args.work.mkdir(parents=True, exist_ok=True)
    app, naive = ROOT / "dashboard" / "app.py", _naive_script(args.work)
    rows = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        for n in (int(s) for s in args.sizes.split(",")):
            path = args.work / f"store-{n}" / "sitmap.sqlite"
            store = generate_store(path, n)
            want = expected_counts(store)
            total = store.count_events()
            store.close()
            if want["app"] == want["app_search"] or want["naive"] == want["naive_search"]:
                raise SystemExit(f"the search for {SEARCH!r} changes nothing at {total} events")
            a = measure(browser, app, path, args.work, "path.leaflet-interactive", want["app"],
                        want["app_search"], args.repeat)
            b = (measure(browser, naive, path, args.work, ".leaflet-marker-icon", want["naive"],
                         want["naive_search"], args.repeat) if n <= args.naive_max else None)
            rows.append((total, a, b))
            _print_row(total, a, b)
        browser.close()
    return 0


def _print_row(total: int, app, naive) -> None:
    (cold, warm, (rss, peak)) = app
    print(f"\n== {total:,} events ==")
    print(f"  {'':28}{'dashboard':>14}{'naive markers':>16}{'naive/dashboard':>17}")
    n_cold, n_warm, n_rss = (naive if naive else (None, None, (None, None)))
    lines = [
        ("first map, cold server", cold.first_s, n_cold.first_s if naive else None, "s"),
        ("first map, warm server", warm.first_s, n_warm.first_s if naive else None, "s"),
        ("filter change redrawn", warm.filter_s, n_warm.filter_s if naive else None, "s"),
        ("page received", warm.bytes / 1e6, n_warm.bytes / 1e6 if naive else None, "MB"),
        ("server RSS", rss, n_rss[0], "MB"),
        ("server peak RSS", peak, n_rss[1], "MB"),
    ]
    for label, a, b, unit in lines:
        shown_b = _fmt(b, unit) if naive else "not run"
        print(f"  {label:28}{_fmt(a, unit):>14}{shown_b:>16}{_ratio(a, b) if naive else '':>17}")
    sys.stdout.flush()


if __name__ == "__main__":
    raise SystemExit(main())
