"""Throughput of ``python -m geo parse --jsonl`` against geotext, on one core.

Run from the repository root::

    python benchmarks/throughput.py [--corpora ../shared/corpora] [--repeat 1]

The texts are every article of the four geoparsing corpora, read in place.
Sitmap runs through the real batch command (``geo.__main__.main`` with
``parse --jsonl``, in this process, JSON in and out); geotext, the peer, runs
``GeoText(text)`` on the same texts in the same run.  It prints words per
second for both and their ratio, the gazetteer's cold-load time in a fresh
process, and this process's peak resident memory.  On a shared machine wall
time swings with the load, so the CPU time of this process is printed too,
with the load average.

Targets (issue 2): at least 200,000 words/s, cold load under 1 s, peak RSS
under 600 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.evaluate import DEFAULT_CORPORA, GEOPARSING_CORPORA, CorpusMissing, corpus_dir, load_corpus  # noqa: E402

COLD_LOAD = (
    "import time; t = time.perf_counter(); "
    "from geo.gazetteer import load_gazetteer; load_gazetteer(); "
    "print(time.perf_counter() - t)"
)


def one_core() -> None:
    """Pin this process to a single CPU where the platform allows it."""
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})


def corpus_texts(corpora: Path) -> list[str]:
    """Every article text of the geoparsing corpora."""
    folder = corpus_dir(corpora, "geoparsing")
    return [d.text for name in GEOPARSING_CORPORA for d in load_corpus(folder, name)]


def time_sitmap(texts: list[str], repeat: int) -> tuple[float, float]:
    """Wall and CPU seconds for the batch command over all texts (best of ``repeat``)."""
    from geo.__main__ import main
    from geo.gazetteer import load_gazetteer

    load_gazetteer()  # loading is measured apart, in a fresh process
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        src.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(texts)),
                       "utf-8")
        best = (float("inf"), float("inf"))
        for _ in range(repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            if main(["parse", "--jsonl", str(src), "--out", str(out)]) != 0:
                raise RuntimeError("geo parse --jsonl failed")
            best = min(best, (time.perf_counter() - t0, time.process_time() - c0))
    return best


def time_parse_only(texts: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds for ``parse_text`` alone (no JSON), to show where the time goes."""
    from geo.gazetteer import load_gazetteer
    from geo.pipeline import parse_text

    gaz = load_gazetteer()
    t0, c0 = time.perf_counter(), time.process_time()
    for i, t in enumerate(texts):
        parse_text(t, source=str(i), report_id=str(i), gazetteer=gaz)
    return time.perf_counter() - t0, time.process_time() - c0


def time_geotext(texts: list[str], repeat: int) -> tuple[float, float]:
    """Wall and CPU seconds for geotext over all texts (best of ``repeat``), its data loaded first."""
    from geotext import GeoText

    GeoText("Warm up in Paris.")
    best = (float("inf"), float("inf"))
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        for t in texts:
            GeoText(t)
        best = min(best, (time.perf_counter() - t0, time.process_time() - c0))
    return best


def cold_load_seconds() -> float:
    """Import and load the gazetteer in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", COLD_LOAD], cwd=ROOT, capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return float(done.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--repeat", type=int, default=1)
    args = ap.parse_args(argv)
    one_core()
    try:
        texts = corpus_texts(args.corpora)
    except CorpusMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    words = sum(len(t.split()) for t in texts)
    cold = cold_load_seconds()
    ours, ours_cpu = time_sitmap(texts, args.repeat)
    parse_only, parse_only_cpu = time_parse_only(texts)
    peer, peer_cpu = time_geotext(texts, args.repeat)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"texts: {len(texts):,} articles, {words:,} words, one core (load average {load})")
    print("                       words/s by wall time (s)     by CPU time (s)")
    for label, wall, cpu in (("sitmap parse --jsonl", ours, ours_cpu),
                             ("  parse only, no JSON", parse_only, parse_only_cpu),
                             ("geotext (peer)", peer, peer_cpu)):
        print(f"{label:21s}: {words / wall:12,.0f}  ({wall:6.2f})   {words / cpu:12,.0f}  ({cpu:6.2f})")
    print(f"ratio sitmap/geotext : {peer / ours:12.4f}x (parse only: {peer / parse_only:.4f}x; "
          f"by CPU: {peer_cpu / ours_cpu:.4f}x)")
    print(f"gazetteer cold load  : {cold:12.2f} s (fresh process, imports included)")
    print(f"peak RSS             : {rss_mb:12,.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
