"""Filter-query latency at a million events: the embedded SQLite store and PostGIS.

Writes N synthetic events (no parsing: random types, dates over a year,
points over Ukraine) straight into each store through ``add_results``, in
reports of 500 events, and times that write.  Then it runs the dashboard's
typical query, type + date range + bounding box, through ``query_events``
(full GeoJSON features) and ``count_events``, and prints the median and p95
of each, and the PostGIS / SQLite ratio.

    bash scripts/pg_test_server.sh run -- python benchmarks/store_bench.py [--events 1000000]

Without ``SITMAP_TEST_PG_URL`` (or ``--pg-url``) only the SQLite store is measured.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.records import Event, Report, Result  # noqa: E402
from geo.store import EventFilter, Store, open_store  # noqa: E402
from geo.taxonomy import TYPE_KEYS  # noqa: E402

PER_REPORT = 500
UKRAINE = (22.0, 44.4, 40.2, 52.4)  # lon/lat box the points fall in
START = dt.date(2022, 2, 24)
PLACES = ("Kyiv", "Kharkiv", "Odesa", "Dnipro", "Lviv", "Mariupol", "Kherson", "Sumy", "Izium",
          "Bakhmut", "Chernihiv", "Mykolaiv", "Zaporizhzhia", "Poltava", "Irpin", "Bucha")


def synthetic_reports(n_events: int, seed: int = 8) -> list[Result]:
    """``n_events`` random events in reports of :data:`PER_REPORT`."""
    rng = random.Random(seed)
    results = []
    for r in range(0, n_events, PER_REPORT):
        source = f"bench-{r // PER_REPORT:05d}.txt"
        events = tuple(_event(rng, source, r + i) for i in range(min(PER_REPORT, n_events - r)))
        results.append(Result(Report(f"bench{r // PER_REPORT:011d}", f"synthetic report {r}", source), (), events))
    return results


def _event(rng: random.Random, source: str, n: int) -> Event:
    lon, lat = rng.uniform(UKRAINE[0], UKRAINE[2]), rng.uniform(UKRAINE[1], UKRAINE[3])
    place = rng.choice(PLACES)
    quote = f"Event {n}: reports from near {place} describe it."
    return Event(id=f"e{n:08d}", event_type=rng.choice(TYPE_KEYS), subtype=None, place=place,
                 geometry={"type": "Point", "coordinates": [round(lon, 5), round(lat, 5)]},
                 actors=(rng.choice(("Russia", "Ukraine")),),
                 date=(START + dt.timedelta(days=rng.randrange(365))).isoformat(),
                 certainty="reported", attributed_to=None, quote=quote, start=0, end=len(quote),
                 source=source, place_kind="city", lat=round(lat, 5), lon=round(lon, 5))


def queries(n: int, seed: int = 9, days: int = 30, box_deg: float = 2.0,
            types: int = 1) -> list[EventFilter]:
    """Random type + date-range + bbox filters, as an analyst sets them."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        d0 = START + dt.timedelta(days=rng.randrange(365 - days))
        x, y = rng.uniform(UKRAINE[0], UKRAINE[2] - box_deg), rng.uniform(UKRAINE[1], UKRAINE[3] - box_deg)
        out.append(EventFilter(types=tuple(rng.sample(TYPE_KEYS, types)), date_from=d0.isoformat(),
                               date_to=(d0 + dt.timedelta(days=days)).isoformat(),
                               bbox=(x, y, x + box_deg, y + box_deg)))
    return out


def load(store: Store, results: list[Result]) -> float:
    """Write every report; return events per second."""
    t0 = time.perf_counter()
    for i in range(0, len(results), 20):
        store.add_results(results[i:i + 20])
    return sum(len(r.events) for r in results) / (time.perf_counter() - t0)


def timed(fn, filters: list[EventFilter]) -> tuple[float, float, float]:
    """Median and p95 latency in ms, and the mean result size."""
    fn(filters[0])  # warm caches, as a running dashboard has them
    times, sizes = [], []
    for f in filters:
        t0 = time.perf_counter()
        out = fn(f)
        times.append((time.perf_counter() - t0) * 1000)
        sizes.append(out if isinstance(out, int) else len(out["features"]))
    return statistics.median(times), statistics.quantiles(times, n=20)[-1], statistics.mean(sizes)


def measure(name: str, store: Store, results: list[Result], n_queries: int, after_load=None) -> dict:
    rate = load(store, results)
    if after_load is not None:
        after_load()
    print(f"{name}: wrote {store.count_events(EventFilter()):,} events at {rate:,.0f} events/s", flush=True)
    row = {"write": rate}
    for label, filters in (("narrow", queries(n_queries)),
                           ("wide", queries(n_queries, seed=10, days=90, box_deg=5.0, types=2))):
        q = timed(store.query_events, filters)
        c = timed(store.count_events, filters)
        row[label] = (q, c)
        print(f"  {label:6s} query_events median {q[0]:7.1f} ms  p95 {q[1]:7.1f} ms  ({q[2]:,.0f} events)"
              f" | count_events median {c[0]:6.1f} ms  p95 {c[1]:6.1f} ms", flush=True)
    return row


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--pg-url", default=os.environ.get("SITMAP_TEST_PG_URL", ""))
    args = ap.parse_args()
    results = synthetic_reports(args.events)
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = open_store(f"sqlite:///{tmp}/bench.sqlite")
        rows["sqlite"] = measure("SQLite", sqlite, results, args.queries)
        sqlite.close()
    if args.pg_url:
        schema = f"bench_{uuid.uuid4().hex[:8]}"
        pg = open_store(f"{args.pg_url}?schema={schema}")
        try:
            # fresh statistics, as autovacuum would gather them a minute after a bulk load
            rows["postgis"] = measure("PostGIS", pg, results, args.queries,
                                      after_load=lambda: _sql(args.pg_url, f'ANALYZE "{schema}".events'))
        finally:
            pg.close()
            _sql(args.pg_url, f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        for label in ("narrow", "wide"):
            ratio = rows["postgis"][label][0][1] / rows["sqlite"][label][0][1]
            print(f"{label} query_events p95, PostGIS / SQLite: {ratio:.2f}")
    return 0


def _sql(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as con:
        con.execute(statement)


if __name__ == "__main__":
    raise SystemExit(main())
