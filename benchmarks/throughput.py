"""Throughput of ``parse_text`` against the code before a change, and of
``python -m geo parse --jsonl`` against geotext, on one core.

Run from the repository root::

    python benchmarks/throughput.py [--corpora ../shared/corpora] [--repeat 3]
                                    [--baseline ../wt-base] [--tree ../wt-other]

The texts are every article of the four geoparsing corpora, read in place.

Baseline, side by side: ``parse_text`` of this tree and of a baseline tree (a git
worktree of the code before a change: ``--baseline``, else ``SITMAP_BASELINE``, else
``../wt-base`` if it exists) each run in a fresh worker process on the same texts,
the two taking turns round by round; each worker warms up with one pass, then
times two, the best counted.  Without a baseline tree the run says so and shows
only the peer.

Peer: Sitmap runs through the real batch command (``geo.__main__.main`` with
``parse --jsonl``, in this process, JSON in and out); geotext runs ``GeoText(text)``
on the same texts in the same run, the two taking turns round by round (``--repeat``
rounds, the best of each counted).  It prints words per second for both and their
ratio, the gazetteer's cold-load time in a fresh process, and this process's peak
resident memory.  On a shared machine wall time swings with the load, so CPU time
is printed too, with the load average.

Targets: ``parse_text`` at 0.9x the baseline or better (issue 15); at least 200,000
words/s, cold load under 1 s, peak RSS under 600 MB (issue 2).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evaluation.evaluate import DEFAULT_CORPORA, GEOPARSING_CORPORA, CorpusMissing, corpus_dir, load_corpus  # noqa: E402

COLD_LOAD = (
    "import time; t = time.perf_counter(); "
    "from geo.gazetteer.loader import load_gazetteer; load_gazetteer(); "
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


def _timed(run) -> tuple[float, float]:
    t0, c0 = time.perf_counter(), time.process_time()
    run()
    return time.perf_counter() - t0, time.process_time() - c0


def time_all(texts: list[str], repeat: int) -> dict[str, tuple[float, float]]:
    """Best wall and CPU seconds of each contender over all texts, in ``repeat`` rounds.

    Each round runs the batch command, ``parse_text`` alone and geotext once
    each, in turn, so that a busy spell of a shared machine falls on all of
    them alike and their ratio keeps steady.  geotext takes a tenth of a
    second: it gets five passes a round, the best counted.
    """
    from geotext import GeoText

    from geo.__main__ import main
    from geo.gazetteer.loader import load_gazetteer
    from geo.parse.pipeline import parse_text

    gaz = load_gazetteer()  # loading is measured apart, in a fresh process
    GeoText("Warm up in Paris.")

    def sitmap_batch() -> None:
        if main(["parse", "--jsonl", str(src), "--out", str(out)]) != 0:
            raise RuntimeError("geo parse --jsonl failed")

    def parse_only() -> None:  # no JSON in or out: where the time goes
        for i, t in enumerate(texts):
            parse_text(t, source=str(i), report_id=str(i), gazetteer=gaz)

    def geotext() -> None:
        for t in texts:
            GeoText(t)

    best = {name: (math.inf, math.inf) for name in ("batch", "parse", "geotext")}
    with tempfile.TemporaryDirectory() as tmp:
        src, out = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        src.write_text("".join(json.dumps({"id": str(i), "text": t}) + "\n" for i, t in enumerate(texts)),
                       "utf-8")
        for _ in range(repeat):
            for name, run, passes in (("batch", sitmap_batch, 1), ("parse", parse_only, 1), ("geotext", geotext, 5)):
                for _ in range(passes):
                    best[name] = min(best[name], _timed(run))
    return best


def cold_load_seconds() -> float:
    """Import and load the gazetteer in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", COLD_LOAD], cwd=ROOT, capture_output=True, text=True,
                          check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return float(done.stdout.strip().splitlines()[-1])


WORKER = r"""
import json, sys, time
try:
    from geo.gazetteer.loader import load_gazetteer
    from geo.parse.pipeline import parse_text
except ImportError:  # a tree from before the capability packages (round 1)
    from geo.gazetteer import load_gazetteer
    from geo.pipeline import parse_text

texts = json.loads(open(sys.argv[1], encoding="utf-8").read())
gaz = load_gazetteer()

def run():
    for i, t in enumerate(texts):
        parse_text(t, source=str(i), report_id=str(i), gazetteer=gaz)

run()  # warm: caches, lazily built gates
best = [float("inf"), float("inf")]
for _ in range(int(sys.argv[2])):
    t0, c0 = time.perf_counter(), time.process_time()
    run()
    best = [min(best[0], time.perf_counter() - t0), min(best[1], time.process_time() - c0)]
print(json.dumps(best))
"""


def baseline_tree(given: Path | None) -> Path | None:
    """The baseline worktree: the option, else SITMAP_BASELINE, else ../wt-base if present."""
    if given is not None:
        return given
    if os.environ.get("SITMAP_BASELINE"):
        return Path(os.environ["SITMAP_BASELINE"])
    default = ROOT.parent / "wt-base"
    return default if (default / "geo").is_dir() else None


def worker_seconds(tree: Path, texts_file: Path, passes: int = 2) -> tuple[float, float]:
    """Best wall and CPU seconds of ``parse_text`` over the texts, in a fresh process of ``tree``."""
    done = subprocess.run([sys.executable, "-c", WORKER, str(texts_file), str(passes)], cwd=tree,
                          env={**os.environ, "PYTHONPATH": str(tree)}, capture_output=True, text=True,
                          check=True)
    wall, cpu = json.loads(done.stdout.strip().splitlines()[-1])
    return wall, cpu


def side_by_side(texts: list[str], base: Path, repeat: int, tree: Path = ROOT) -> dict[str, tuple[float, float]]:
    """Best (wall, CPU) of ``tree``'s (this one's) and the baseline's ``parse_text``, taking turns."""
    best = {name: (math.inf, math.inf) for name in ("this", "base")}
    with tempfile.TemporaryDirectory() as tmp:
        texts_file = Path(tmp) / "texts.json"
        texts_file.write_text(json.dumps(texts), "utf-8")
        for _ in range(repeat):
            for name, where in (("base", base), ("this", tree)):
                wall, cpu = worker_seconds(where, texts_file)
                best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    return best


def print_side_by_side(words: int, base: Path | None, best: dict | None) -> None:
    if base is None or best is None:
        print("baseline             : none (give --baseline TREE or SITMAP_BASELINE, a worktree of the "
              "code before the change); the peer alone below")
        return
    print(f"parse_text, side by side with the baseline {base} (fresh processes, taking turns):")
    for label, name in (("  this tree", "this"), ("  baseline", "base")):
        wall, cpu = best[name]
        print(f"{label:21s}: {words / wall:12,.0f}  ({wall:6.2f})   {words / cpu:12,.0f}  ({cpu:6.2f})")
    print(f"ratio this/baseline  : {best['base'][0] / best['this'][0]:12.3f}x by wall time, "
          f"{best['base'][1] / best['this'][1]:.3f}x by CPU time (target: 0.9x or more)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=DEFAULT_CORPORA)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--baseline", type=Path, help="a worktree of the code before the change")
    ap.add_argument("--tree", type=Path, default=ROOT,
                    help="the tree measured against the baseline (default: this one), e.g. a worktree of an "
                         "older commit: the peer and the load time are still this tree's")
    args = ap.parse_args(argv)
    one_core()
    try:
        texts = corpus_texts(args.corpora)
    except CorpusMissing as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    words = sum(len(t.split()) for t in texts)
    cold = cold_load_seconds()
    base = baseline_tree(args.baseline)
    if base is not None and not (base / "geo").is_dir():
        print(f"error: {base}: no geo/ package there (want a worktree of the baseline code)", file=sys.stderr)
        return 2
    pair = side_by_side(texts, base, args.repeat, args.tree) if base is not None else None
    if args.tree != ROOT:
        print(f"tree measured        : {args.tree}")
    best = time_all(texts, args.repeat)
    (ours, ours_cpu), (parse_only, parse_only_cpu), (peer, peer_cpu) = best["batch"], best["parse"], best["geotext"]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"texts: {len(texts):,} articles, {words:,} words, one core (load average {load})")
    print("                       words/s by wall time (s)     by CPU time (s)")
    print_side_by_side(words, base, pair)
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
