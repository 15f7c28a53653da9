"""Small hand-built control polygons, written in the formats analysts receive."""

from __future__ import annotations

import json
from pathlib import Path

import shapely
from shapely.geometry import mapping


def box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    return shapely.box(x0, y0, x1, y1)


def write_geojson(path: Path, *geoms, props: list[dict] | None = None) -> Path:
    feats = [{"type": "Feature", "properties": (props or [{}] * len(geoms))[i], "geometry": mapping(g)}
             for i, g in enumerate(geoms)]
    path.write_text(json.dumps({"type": "FeatureCollection", "features": feats}), encoding="utf-8")
    return path


def kml_polygon(name: str, ring: list[tuple[float, float]]) -> str:
    coords = " ".join(f"{x},{y},0" for x, y in ring)
    return (f"<Placemark><name>{name}</name><Polygon><outerBoundaryIs><LinearRing>"
            f"<coordinates>{coords}</coordinates></LinearRing></outerBoundaryIs></Polygon></Placemark>")


def kml_document(folders: dict[str, list[str]], prolog: str = "") -> str:
    body = "".join(f"<Folder><name>{name}</name>{''.join(marks)}</Folder>" for name, marks in folders.items())
    return (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
            f'<kml xmlns="http://www.opengis.net/kml/2.2"><Document>{body}</Document></kml>')


def ring(x0, y0, x1, y1) -> list[tuple[float, float]]:
    return [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
