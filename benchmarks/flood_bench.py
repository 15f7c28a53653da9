"""One report that repeats one sentence for 4.9 MB, into a new embedded store and out again.

Issue 20's flood case: how many events it stores, how long the intake takes,
and how large the store is (file, write-ahead log and shared memory) before
the report, with it, and after it is removed.

    python benchmarks/flood_bench.py [--mb 4.9]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geo.gazetteer.loader import load_gazetteer  # noqa: E402
from geo.intake.service import add_report  # noqa: E402
from geo.store import open_store  # noqa: E402

SENTENCE = ("Russian forces shelled Kharkiv and captured Kherson while fighting continued "
            "near Kyiv and Mariupol. ")


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=4.9)
    args = ap.parse_args()
    text = SENTENCE * int(args.mb * 1e6 // len(SENTENCE))
    gaz = load_gazetteer()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store = open_store(str(folder / "flood.sqlite"))
        empty = folder_bytes(folder)
        t0 = time.perf_counter()
        done = add_report(store, text, "flood.txt", gazetteer=gaz)
        took = time.perf_counter() - t0
        stored = store.count_events()
        occurrences = sum(f["properties"]["occurrences"] for f in store.query_events()["features"])
        full = folder_bytes(folder)
        t0 = time.perf_counter()
        store.remove_report(done.id)
        removal = time.perf_counter() - t0
        after = folder_bytes(folder)
        store.close()
    print(f"upload {len(text.encode()):,} bytes: {stored:,} events stored ({occurrences:,} occurrences), "
          f"intake {took:.1f} s; store {empty / 1e6:.2f} MB empty, {full / 1e6:.2f} MB with the report, "
          f"{after / 1e6:.2f} MB after removal ({removal:.2f} s)")


if __name__ == "__main__":
    main()
