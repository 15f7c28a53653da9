"""Ingest throughput on Dask: reports/s and events/s with 1 and 2 workers.

Generates the template corpus (``benchmarks/corpus.py``) in a temporary
folder unless ``--corpus`` names one, then ingests the first ``--reports`` of
it into a fresh store once per worker count.  Each run gets a warm local
cluster (workers started, gazetteer loaded), so the figures are the steady
rate; the start-up is printed apart.  The peer is the same parse-and-store
loop in one process without Dask, on a slice of the corpus.

    python benchmarks/ingest_bench.py [--reports 20000] [--workers 1,2] [--corpus DIR]
    bash scripts/pg_test_server.sh run -- python benchmarks/ingest_bench.py --store postgis
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus import write_corpus  # noqa: E402

from geo.intake.batch import GazetteerPlugin, dask_client, ingest  # noqa: E402


def serial_rate(files: list[Path], url: str) -> tuple[float, float]:
    """Reports/s and events/s of parse + store in this process, no Dask."""
    from geo import io
    from geo.gazetteer.loader import load_gazetteer
    from geo.intake.service import new_report, parse_bounded
    from geo.store import open_store

    gaz, store = load_gazetteer(), open_store(url)
    t0, events = time.perf_counter(), 0
    for path in files:
        text = io.read_report_file(path)
        result = parse_bounded(new_report(text, path.name, None, store), gaz)
        store.add_results([result])
        events += len(result.events)
    seconds = time.perf_counter() - t0
    store.close()
    return len(files) / seconds, events / seconds


def dask_rate(files: list[Path], url: str, workers: int) -> tuple[float, float, float]:
    """Reports/s, events/s on a warm cluster of ``workers``, and the cluster's start-up in s."""
    t0 = time.perf_counter()
    with dask_client(workers) as client:
        client.register_plugin(GazetteerPlugin())
        startup = time.perf_counter() - t0
        summary = ingest(files, url, scheduler=client.scheduler.address, progress=False)
    if summary.bad or summary.added != len(files):
        raise RuntimeError(f"expected {len(files)} new reports, got {summary}")
    return summary.reports_per_s, summary.events_per_s, startup


def _spin(n: int) -> float:
    t0, x = time.perf_counter(), 0
    for i in range(n):
        x += i * i % 7
    return time.perf_counter() - t0


def cpu_ceiling(workers: int, n: int = 15_000_000) -> float:
    """How much faster ``workers`` processes do a fixed pure-Python job than one, right now.

    The ceiling any ingest can reach on this machine at this moment: on a
    shared machine other jobs take cores too.
    """
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(workers) as pool:
        t0 = time.perf_counter()
        pool.map(_spin, [n])
        one = time.perf_counter() - t0
        t0 = time.perf_counter()
        pool.map(_spin, [n] * workers)
        return workers * one / (time.perf_counter() - t0)


def store_url(kind: str, tmp: str, tag: str) -> str:
    if kind == "sqlite":
        return f"sqlite:///{tmp}/{tag}.sqlite"
    pg = os.environ.get("SITMAP_TEST_PG_URL")
    if not pg:
        raise SystemExit("--store postgis needs SITMAP_TEST_PG_URL (see scripts/pg_test_server.sh)")
    return f"{pg}?schema=ingest_{tag}_{uuid.uuid4().hex[:6]}"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=20_000)
    ap.add_argument("--workers", default="1,2")
    ap.add_argument("--corpus", type=Path, help="an existing corpus folder (default: generate one)")
    ap.add_argument("--serial", type=int, default=2_000, help="reports for the no-Dask peer")
    ap.add_argument("--store", choices=("sqlite", "postgis"), default="sqlite")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.corpus or Path(tmp) / "corpus"
        if args.corpus is None:
            write_corpus(folder, args.reports)
        files = sorted(folder.glob("*.txt"))[:args.reports]
        rps, eps = serial_rate(files[:args.serial], store_url(args.store, tmp, "serial"))
        print(f"no Dask, 1 process ({min(args.serial, len(files))} reports): "
              f"{rps:,.0f} reports/s, {eps:,.0f} events/s", flush=True)
        print(f"CPU ceiling now: 2 processes do x{cpu_ceiling(2):.2f} the work of 1 "
              f"(load average {os.getloadavg()[0]:.1f})", flush=True)
        base = None
        for n in (int(w) for w in args.workers.split(",")):
            rps, eps, startup = dask_rate(files, store_url(args.store, tmp, f"w{n}"), n)
            base = base or rps
            print(f"{n} worker(s), {len(files):,} reports into {args.store}: {rps:,.0f} reports/s, "
                  f"{eps:,.0f} events/s; x{rps / base:.2f} of the first run "
                  f"(efficiency {rps / base / n:.0%}); cluster start-up {startup:.1f} s; "
                  f"load average {os.getloadavg()[0]:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
