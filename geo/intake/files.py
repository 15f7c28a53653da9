"""``geo build``: parse report files and write the contract's layer files."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from geo import io
from geo.exchange.readers import read_build_events
from geo.exchange.layers import events_collection, layers_by_type, places_collection
from geo.gazetteer.loader import Gazetteer, load_gazetteer
from geo.intake.service import parse_bounded, reports_in
from geo.status import build_status
from geo.records import Result


def parse_files(paths: Iterable[Path | str], gaz: Gazetteer | None = None) -> list[Result]:
    """Parse every report file under ``paths``, named, dated and bounded by the intake service.

    ``BadInput`` for the first bad file, or when there is none.
    """
    gaz = gaz or load_gazetteer()
    return [parse_bounded(report, gaz) for report in reports_in(paths)]


def write_outputs(results: list[Result], out_dir: Path | str) -> dict[str, int]:
    """Write places, events, per-type layers and status into ``out_dir`` atomically."""
    out = Path(out_dir)
    places = places_collection(results)
    events = events_collection(results)
    layers = layers_by_type(events)
    io.atomic_write_json(out / "places.geojson", places)
    io.atomic_write_json(out / "events.geojson", events)
    layer_dir = out / "layers"
    for event_type, fc in layers.items():
        io.atomic_write_json(layer_dir / f"{event_type}.geojson", fc)
    if layer_dir.is_dir():  # a type that vanished must not leave a stale layer behind
        for stale in layer_dir.glob("*.geojson"):
            if stale.stem not in layers:
                stale.unlink()
    io.atomic_write_json(out / "status.json", build_status(results), indent=1)
    return {"reports": len(results), "places": len(places["features"]),
            "events": len(events["features"]), "layers": len(layers)}


def gather_events(paths: Iterable[Path | str], gazetteer=None) -> dict[str, Any]:
    """Events from reports, ``events.geojson`` files and build folders, each id once.

    A folder holding ``events.geojson`` is read as a build output; any other
    folder or file is parsed as reports, exactly as ``geo build`` does.
    """
    collections, reports = [], []
    for p in map(Path, paths):
        if p.is_file() and p.suffix.lower() in (".geojson", ".json"):
            collections.append(read_build_events(p))
        elif p.is_dir() and (p / "events.geojson").is_file():
            collections.append(read_build_events(p / "events.geojson"))
        else:
            reports.append(p)
    if reports:
        collections.append(events_collection(parse_files(reports, gazetteer)))
    merged: dict[str, dict[str, Any]] = {}
    for fc in collections:
        for f in fc["features"]:
            merged.setdefault(f["properties"]["id"], f)
    return {"type": "FeatureCollection", "features": list(merged.values())}
