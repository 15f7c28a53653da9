"""Briefing-image render time, against a plain geopandas plot of the same events.

Run from the repository root::

    python benchmarks/briefing_bench.py [--repeat 3] [--events 10000]

Prints, for the seed and for a synthetic view of many events around real
places, the median time of :func:`geo.briefing.render.render_briefing` and of a peer
drawn in the same run (Natural Earth countries plus the events with
``GeoDataFrame.plot()``, saved as a PNG of the same size), and their ratio.
Then the seed through the real CLI, end to end; the target is under 3 s.
"""

from __future__ import annotations

import argparse
import io
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from geo.briefing import frame as page  # noqa: E402
from geo.briefing import render as briefing  # noqa: E402
from geo.intake.files import parse_files  # noqa: E402
from geo.gazetteer.loader import Gazetteer, load_gazetteer  # noqa: E402
from geo.exchange.layers import events_collection, events_frame  # noqa: E402
from geo.taxonomy import TYPE_KEYS  # noqa: E402

SEED_TARGET_S = 3.0


def synthetic_events(gaz: Gazetteer, n: int, seed: int = 7) -> dict:
    """``n`` point events scattered within ~5 km of real Ukrainian towns, all types."""
    rng = np.random.default_rng(seed)
    towns = np.flatnonzero((gaz.kind == "city") & (gaz.cc == "UA") & (gaz.population >= 5000))
    picks = rng.choice(towns, size=n)
    lon = gaz.lon[picks] + rng.normal(0, 0.04, n)
    lat = gaz.lat[picks] + rng.normal(0, 0.03, n)
    types = rng.choice(TYPE_KEYS, size=n)
    feats = [{"type": "Feature",
              "geometry": {"type": "Point", "coordinates": [float(x), float(y)]},
              "properties": {"id": f"syn{i}", "event_type": str(t), "place": str(gaz.name[p]),
                             "place_kind": "city", "lat": float(y), "lon": float(x),
                             "source": "synthetic.txt", "date": "2022-03-01"}}
             for i, (x, y, t, p) in enumerate(zip(lon, lat, types, picks))]
    return {"type": "FeatureCollection", "features": feats}


def peer_plot(events_fc: dict, gaz: Gazetteer) -> bytes:
    """The plainest useful map: countries and events with geopandas' own ``plot()``."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    frame = events_frame(events_fc)
    minlon, minlat, maxlon, maxlat = frame.total_bounds
    fig = Figure(figsize=page.PAGE_INCHES, dpi=page.BASE_DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    countries = gaz.countries.cx[minlon - 2:maxlon + 2, minlat - 2:maxlat + 2]
    countries.plot(ax=ax, facecolor="#f4f1ea", edgecolor="#9a948a")
    frame.plot(ax=ax, column="event_type", categorical=True, legend=True, markersize=30)
    ax.set_xlim(minlon - 1, maxlon + 1)
    ax.set_ylim(minlat - 1, maxlat + 1)
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    return buf.getvalue()


def median_time(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def cli_time(repeat: int) -> tuple[float, float]:
    """The seed through ``python -m geo brief``: median wall and CPU seconds per run.

    CPU time is printed too because a busy machine stretches wall time
    without the command doing any more work.
    """
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "geo", "brief", "seeds", "--out", str(Path(tmp) / "seed.png")]
        for _ in range(repeat):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            t0 = time.perf_counter()
            subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)
            walls.append(time.perf_counter() - t0)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--events", type=int, default=10_000)
    args = ap.parse_args(argv)

    gaz = load_gazetteer()
    gaz.countries  # noqa: B018  (load the boundaries before timing)
    views = {"seed": events_collection(parse_files([ROOT / "seeds"], gaz)),
             f"{args.events:,} events": synthetic_events(gaz, args.events)}
    print(f"{'view':<16}{'events':>8}{'briefing':>11}{'peer plot':>11}{'ratio':>8}")
    for name, fc in views.items():
        ours = median_time(lambda fc=fc: briefing.render_briefing(fc, gazetteer=gaz), args.repeat)
        peer = median_time(lambda fc=fc: peer_plot(fc, gaz), args.repeat)
        print(f"{name:<16}{len(fc['features']):>8,}{ours:>10.2f}s{peer:>10.2f}s"
              f"{ours / peer:>7.1f}x")
    wall, cpu = cli_time(args.repeat)
    verdict = "meets" if wall < SEED_TARGET_S else "MISSES"
    print(f"seed through the CLI, end to end: {wall:.2f}s wall, {cpu:.2f}s CPU "
          f"({verdict} the {SEED_TARGET_S:g} s target; load average {os.getloadavg()[0]:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
