"""5 MB reports of six shapes through ``python -m geo parse``: CPU, peak memory, output.

Run from the repository root::

    python benchmarks/large_reports.py [--baseline ../wt-base] [--mb 5]

Shapes, each about ``--mb`` megabytes (under the parse command's size limit):

* ``no-place``: ten-word sentences with a trigger and no place name (every
  event falls back on the country);
* ``one-name``: ``"Kyiv "`` repeated (a million mentions of one place);
* ``village-log``: "Russian forces shelled X and Y." over random settlements of
  the committed Ukraine table (two places and two events a sentence);
* ``uk-village-log`` and ``uk-one-name``: the same two in Ukrainian ("Київ " repeated);
* ``point-log``: "Russian forces shelled positions at 47.9436, 37.5011." a line (written
  coordinates, read as points up to as many as a report is read for names).

Each shape runs in a fresh process of this tree and, with ``--baseline`` (a
worktree of the code before a change), of that tree right after it, so the
two share the machine's load; the ratio printed is baseline CPU / this CPU.
Issue 15's bounds: under 15 s, under 1 GB peak memory, under 100 MB of output.
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def no_place(size: int) -> str:
    sentence = "Overnight shelled that positions again and again before the dawn came. "
    return sentence * (size // len(sentence))


def one_name(size: int) -> str:
    return "Kyiv " * (size // 5)


def village_log(size: int, seed: int = 4, column: str = "name",
                sentence: str = "Russian forces shelled {} and {}. ") -> str:
    import pandas as pd

    names = pd.read_parquet(ROOT / "data" / "ua_settlements.parquet", columns=[column])[column]
    names = sorted(set(names.dropna().astype(str)) - {""})
    rnd = random.Random(seed)
    out, n = [], 0
    while n < size:
        s = sentence.format(rnd.choice(names), rnd.choice(names))
        out.append(s)
        n += len(s.encode("utf-8"))
    text = "".join(out).encode("utf-8")[:size]
    return text.decode("utf-8", errors="ignore")


def uk_village_log(size: int) -> str:
    return village_log(size, column="name_uk", sentence="Російські війська обстріляли {} та {}. ")


def uk_one_name(size: int) -> str:
    return "Київ " * (size // 9)


def point_log(size: int) -> str:
    sentence = "Russian forces shelled positions at 47.9436, 37.5011.\n"
    return sentence * (size // len(sentence))


SHAPES = {"no-place": no_place, "one-name": one_name, "village-log": village_log,
          "uk-village-log": uk_village_log, "uk-one-name": uk_one_name, "point-log": point_log}


def run_parse(tree: Path, report: Path, out: Path) -> dict[str, float]:
    """CPU seconds, peak RSS (MB) and output size (MB) of one ``python -m geo parse``."""
    t0 = time.perf_counter()
    with open(out, "wb") as sink:
        proc = subprocess.Popen([sys.executable, "-m", "geo", "parse", str(report)], cwd=tree,
                                stdout=sink, stderr=subprocess.PIPE,
                                env={**os.environ, "PYTHONPATH": str(tree)})
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        err = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise RuntimeError(f"{tree}: geo parse exited {proc.returncode}: {err.strip()[-300:]}")
    return {"wall": time.perf_counter() - t0, "cpu": usage.ru_utime + usage.ru_stime,
            "rss": usage.ru_maxrss / 1024, "out": out.stat().st_size / 1e6}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--baseline", type=Path, help="a worktree of the code before the change")
    ap.add_argument("--mb", type=float, default=4.9, help="report size in MB (default 4.9)")
    ap.add_argument("--shape", action="append", choices=list(SHAPES), help="only these shapes")
    args = ap.parse_args(argv)
    size = int(args.mb * 1_000_000)
    print(f"load average {os.getloadavg()[0]:.1f}; bounds: 15 s CPU, 1,000 MB peak, 100 MB output")
    print(f"{'shape':15s} {'tree':9s} {'CPU s':>7s} {'wall s':>7s} {'peak MB':>8s} {'out MB':>7s}")
    with tempfile.TemporaryDirectory() as tmp:
        for name in args.shape or list(SHAPES):
            report = Path(tmp) / f"{name}.txt"
            report.write_text(SHAPES[name](size), "utf-8")
            rows = {"this": run_parse(ROOT, report, Path(tmp) / "this.json")}
            if args.baseline:
                rows["baseline"] = run_parse(args.baseline, report, Path(tmp) / "base.json")
            for tree, r in rows.items():
                print(f"{name:15s} {tree:9s} {r['cpu']:7.1f} {r['wall']:7.1f} {r['rss']:8.0f} {r['out']:7.1f}")
            if args.baseline:
                print(f"{'':15s} ratio baseline/this by CPU: {rows['baseline']['cpu'] / rows['this']['cpu']:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
