"""Areas of control at scale: importing two years of daily layers, a slider step, the page's size.

Run from the repository root (the development layers are read in place, never copied
into the project)::

    python -m benchmarks.control_bench [--layers ../shared/control/deepstate] [--days 770]

1. Import: ``--days`` daily files (the 135 development layers, repeated under new
   dates to make two years' worth, ~75 KB each) through ``python -m geo control
   import`` into a fresh SQLite store, then once more (every layer unchanged).
   Peer in the same run: reading the same files with ``pyogrio.read_dataframe``
   alone.  Target: under 60 s.
2. A slider step: for consecutive days, the work a dashboard rerun does for a day
   it has not drawn yet: the layer in force from the store, the view with the
   changes since the day before (:func:`geo.control.view.control_view`), the
   folium groups, and the map's HTML rendered.  Peer: the same with the layer's
   full-detail GeoJSON instead of the simplified view.  Target: under 1 s.
3. The page's size: the map's HTML with the ground of each sampled day, largest
   reported; the peer is the full-detail layer.  Target: under 5 MB.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_LAYERS = ROOT.parent / "shared" / "control" / "deepstate"


def make_files(source: Path, days: int, out: Path) -> list[Path]:
    """``days`` daily files from 2024-01-01 on, each a copy of a development layer."""
    real = sorted(source.glob("*.geojson"))
    start = dt.date(2024, 1, 1)
    files = []
    for i in range(days):
        target = out / f"{(start + dt.timedelta(days=i)):%Y%m%d}.geojson"
        shutil.copyfile(real[i % len(real)], target)
        files.append(target)
    return files


def bench_import(files: list[Path], store: Path) -> dict:
    import pyogrio

    url = f"sqlite:///{store}"
    command = [sys.executable, "-m", "geo", "control", "import", *map(str, files), "--source", "bench",
               "--store", url]
    timings = {}
    for label in ("import", "re-import"):
        t = time.perf_counter()
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        timings[label] = time.perf_counter() - t
        if done.returncode:
            raise SystemExit(done.stderr)
        print(f"  {label}: {timings[label]:.1f} s  ({done.stderr.strip()})")
    t = time.perf_counter()
    for f in files:
        pyogrio.read_dataframe(f)
    timings["peer"] = time.perf_counter() - t
    mb = sum(f.stat().st_size for f in files) / 1e6
    print(f"  peer (pyogrio reads only): {timings['peer']:.1f} s; {len(files)} files, {mb:.0f} MB; "
          f"import / peer = {timings['import'] / timings['peer']:.1f}x")
    return timings


def _map_html(groups) -> str:

    from dashboard import mapview
    from geo.store import Facets

    m = mapview.base_map(Facets(types=(), actors=(), certainties=(), sources=(), date_min=None, date_max=None,
                                bbox=(22, 44, 41, 53)))
    for group in groups:
        group.add_to(m)
    return m.get_root().render()


def _raw_groups(layer) -> list:
    import folium
    import shapely

    group = folium.FeatureGroup(name="raw")
    folium.GeoJson(json.loads(shapely.to_geojson(layer.geometry))).add_to(group)
    return [group]


def bench_steps(store: Path, days: list[str]) -> dict:
    from dashboard.control_ui import map_groups
    from geo.control.change import gazetteer_settlements
    from geo.control.storage import open_control_store
    from geo.control.view import control_view
    from geo.gazetteer.loader import load_gazetteer

    gazetteer = load_gazetteer()
    country, towns = gazetteer.country_shape("UA"), gazetteer_settlements(gazetteer)
    steps, peers, sizes, peer_sizes = [], [], [], []
    with open_control_store(f"sqlite:///{store}") as cs:
        # warm: projections, the gazetteer's shapes, the basemap's land
        _map_html(map_groups(control_view(cs.layer_at(days[0]), country, None, towns)))
        for prev, day in zip(days, days[1:]):
            t = time.perf_counter()
            layer, earlier = cs.layer_at(day), cs.layer_at(prev)
            html = _map_html(map_groups(control_view(layer, country, earlier, towns)))
            steps.append(time.perf_counter() - t)
            sizes.append(len(html.encode("utf-8")))
            t = time.perf_counter()
            raw = _map_html(_raw_groups(cs.layer_at(day)))
            peers.append(time.perf_counter() - t)
            peer_sizes.append(len(raw.encode("utf-8")))
    out = {"step_median": statistics.median(steps), "step_max": max(steps),
           "peer_median": statistics.median(peers), "size_max": max(sizes), "peer_size_max": max(peer_sizes)}
    print(f"  slider step over {len(steps)} days: median {out['step_median']:.2f} s, max {out['step_max']:.2f} s; "
          f"peer (full detail, no changes) median {out['peer_median']:.2f} s")
    print(f"  map page: largest {out['size_max'] / 1e6:.2f} MB; peer {out['peer_size_max'] / 1e6:.2f} MB "
          f"(ratio {out['size_max'] / out['peer_size_max']:.2f})")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--layers", type=Path, default=DEFAULT_LAYERS)
    ap.add_argument("--days", type=int, default=770)
    ap.add_argument("--steps", type=int, default=30, help="slider steps timed")
    args = ap.parse_args(argv)
    if not args.layers.is_dir():
        raise SystemExit(f"{args.layers}: no development layers there (see ../shared/control/README.md)")
    with tempfile.TemporaryDirectory(prefix="control-bench-") as tmp:
        folder = Path(tmp) / "layers"
        folder.mkdir()
        files = make_files(args.layers, args.days, folder)
        store = Path(tmp) / "store.sqlite"
        print(f"import of {len(files)} daily layers (cores: {os.cpu_count()})")
        bench_import(files, store)
        real = [f"{d[:4]}-{d[4:6]}-{d[6:8]}" for d in sorted(p.stem for p in args.layers.glob("*.geojson"))]
        days = real[:args.steps + 1]
        print(f"slider steps, {days[0]} to {days[-1]} (the development layers under their own dates)")
        shutil.rmtree(folder)
        store2 = Path(tmp) / "real.sqlite"
        subprocess.run([sys.executable, "-m", "geo", "control", "import",
                        *map(str, sorted(args.layers.glob("*.geojson"))), "--store", f"sqlite:///{store2}"],
                       cwd=ROOT, check=True, capture_output=True)
        bench_steps(store2, days)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
