"""The offline basemap: land, borders and place labels from the shipped gazetteer.

No tiles: Natural Earth country polygons (already in the gazetteer's
``boundaries.gpkg``) give the land and the borders, finer inside the region
the events are in and coarse elsewhere, and the gazetteer's capitals and big
cities give the labels.  Everything here is pure data shaping, cached per
region, so the map stays the same between reruns.

The map reads only those two gazetteer files (:func:`shipped_places`), not
the whole :class:`~geo.gazetteer.loader.Gazetteer`: its name index is for parsing,
costs about 350 MB, and loads only when a report comes in.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from dashboard.safehtml import label_html
from geo import settings

Box = tuple[float, float, float, float]  # min_lon, min_lat, max_lon, max_lat

THEATRE: Box = (22.0, 44.3, 40.3, 52.4)
"""The default view when the store has no events: Ukraine."""

REGION_PAD_DEG = 12.0
"""How far around the events the detailed basemap and the labels reach."""

DETAIL_TOLERANCE = 0.025  # degrees, about 2 km: below a pixel at zoom 6
DETAIL_GRID = 0.005
WORLD_TOLERANCE = 0.3
WORLD_GRID = 0.05
MIN_PART_DEG2 = {"detail": 0.002, "world": 1.0}  # islands smaller than this are left out
CITY_MIN_POPULATION = 500_000
LAND_STYLE = {"fillColor": "#f4f1ea", "fillOpacity": 1.0, "color": "#9a9a9a", "weight": 0.8}
SEA_COLOUR = "#dfe9f0"


def region_around(bounds: Box | None, pad: float = REGION_PAD_DEG) -> Box:
    """The box the basemap details: the events' bounds, padded, or the theatre.

    Rounded to whole degrees so that a small change in the events leaves the
    basemap (and with it the map the browser holds) unchanged.
    """
    x0, y0, x1, y1 = bounds or THEATRE
    return (float(max(-180, np.floor(x0 - pad))), float(max(-85, np.floor(y0 - pad))),
            float(min(180, np.ceil(x1 + pad))), float(min(85, np.ceil(y1 + pad))))


def view_bounds(bounds: Box | None, pad: float = 0.2, min_pad: float = 1.5,
                min_span: tuple[float, float] = (16.0, 8.0)) -> Box:
    """The box the map opens on: the events (or the theatre) with a margin around them."""
    x0, y0, x1, y1 = bounds or THEATRE
    px, py = max(min_pad, (x1 - x0) * pad), max(min_pad, (y1 - y0) * pad)
    x0, y0, x1, y1 = x0 - px, y0 - py, x1 + px, y1 + py
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hx, hy = max(x1 - x0, min_span[0]) / 2, max(y1 - y0, min_span[1]) / 2
    return (max(-180.0, cx - hx), max(-85.0, cy - hy), min(180.0, cx + hx), min(85.0, cy + hy))


def rounded(geom: shapely.Geometry, step: float) -> shapely.Geometry:
    """Coordinates rounded to the decimal digits ``step`` needs: short numbers in the JSON."""
    digits = max(0, int(np.ceil(-np.log10(step))))
    return shapely.transform(geom, lambda xy: np.round(xy, digits))


def _keep_parts(geom: shapely.Geometry, min_area: float) -> shapely.Geometry | None:
    parts = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and p.area >= min_area]
    return shapely.multipolygons(parts) if parts else None


def land_shape(geom: shapely.Geometry, region: Box) -> shapely.Geometry | None:
    """A country outline: about 2 km detail inside ``region``, coarse outside it."""
    box = shapely.box(*region)
    if not geom.intersects(box):
        coarse = shapely.set_precision(shapely.simplify(geom, WORLD_TOLERANCE, preserve_topology=True),
                                       WORLD_GRID)
        kept = _keep_parts(coarse, MIN_PART_DEG2["world"])
        return None if kept is None else rounded(kept, WORLD_GRID)
    # detail only where the events are: all of Russia at 2 km would be most of the page
    inside = shapely.simplify(shapely.clip_by_rect(geom, *region), DETAIL_TOLERANCE, preserve_topology=True)
    outside = shapely.difference(shapely.simplify(geom, WORLD_TOLERANCE, preserve_topology=True), box)
    kept = _keep_parts(shapely.union(inside, outside, grid_size=DETAIL_GRID), MIN_PART_DEG2["detail"])
    return None if kept is None else rounded(kept, DETAIL_GRID)


@dataclass(frozen=True, eq=False)
class Places:
    """What the basemap needs of the gazetteer: country shapes and labelled places.

    A :class:`~geo.gazetteer.loader.Gazetteer` has the same attributes and can be
    passed instead wherever a ``Places`` is taken.
    """

    countries: gpd.GeoDataFrame  # indexed by ISO alpha-2 code: name, label_lon, label_lat, geometry
    name: np.ndarray
    kind: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    population: np.ndarray
    capital: np.ndarray


@functools.lru_cache(maxsize=2)
def shipped_places(directory: Path | None = None) -> Places:
    """The country shapes and the cities of the prebuilt gazetteer, read once."""
    folder = Path(directory or settings.GAZETTEER_DIR)
    countries = gpd.read_file(folder / "boundaries.gpkg", layer="countries").set_index("cc")
    e = pd.read_parquet(folder / "entries.parquet",
                        columns=["name", "kind", "lon", "lat", "population", "capital"])
    cities = e[(e["kind"] == "city") & (e["capital"] | (e["population"] >= CITY_MIN_POPULATION))]
    return Places(countries, cities["name"].to_numpy(object), cities["kind"].to_numpy(object),
                  cities["lon"].to_numpy(float), cities["lat"].to_numpy(float),
                  cities["population"].to_numpy("int64"), cities["capital"].to_numpy(bool))


def land_key(region: Box, directory: Path | None = None) -> str:
    """A name for :func:`land` of ``region`` from the shipped shapes: the same inputs, the same key.

    The inputs are the region, the boundaries file (size and modification time)
    and this module's own source (its tolerances and its code), so a rebuilt
    gazetteer or a changed recipe gives a new key.  The dashboard names the
    land file it writes by this key and, on a fresh server, finds it there
    instead of simplifying every country again (about 1 s).
    """
    boundaries = Path(directory or settings.GAZETTEER_DIR) / "boundaries.gpkg"
    try:
        stat = boundaries.stat()
        made = f"{stat.st_size}:{stat.st_mtime_ns}"
    except OSError:
        made = "missing"
    digest = hashlib.sha256(_recipe())
    digest.update(f"|{','.join(f'{v:.6f}' for v in region)}|{made}".encode())
    return digest.hexdigest()[:24]


@functools.cache
def _recipe() -> bytes:
    """This module's source, read once: its tolerances and code make the land."""
    return Path(__file__).read_bytes()


@functools.lru_cache(maxsize=8)
def land(region: Box, places: Places | None = None) -> dict:
    """Country polygons as a FeatureCollection: detailed in ``region``, coarse elsewhere."""
    countries = (places or shipped_places()).countries
    features = []
    for cc, row in countries.iterrows():
        shape = land_shape(row.geometry, region)
        if shape is not None:
            features.append({"type": "Feature", "properties": {"cc": str(cc), "name": str(row["name"])},
                             "geometry": json.loads(shapely.to_geojson(shape))})
    return {"type": "FeatureCollection", "features": features}


def _label(lon: float, lat: float, name: str, kind: str) -> dict:
    return {"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 4), round(lat, 4)]},
            "properties": {"label": label_html(name, kind)}}


@functools.lru_cache(maxsize=8)
def labels(region: Box, places: Places | None = None,
           min_population: int = CITY_MIN_POPULATION) -> dict:
    """Labels of capitals, cities over ``min_population`` and countries in ``region``."""
    gaz = places or shipped_places()
    x0, y0, x1, y1 = region
    inside = (gaz.lon >= x0) & (gaz.lon <= x1) & (gaz.lat >= y0) & (gaz.lat <= y1)
    cities = np.flatnonzero(inside & (gaz.kind == "city") & (gaz.capital | (gaz.population >= min_population)))
    features = [_label(gaz.lon[r], gaz.lat[r], gaz.name[r], "capital" if gaz.capital[r] else "city")
                for r in cities]
    countries = gaz.countries
    for _, row in countries.iterrows():
        lon, lat = row.get("label_lon"), row.get("label_lat")
        if lon is not None and x0 <= lon <= x1 and y0 <= lat <= y1:
            features.append(_label(float(lon), float(lat), str(row["name"]), "country"))
    return {"type": "FeatureCollection", "features": features}
