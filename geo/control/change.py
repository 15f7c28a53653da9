"""What the ground did between two days: areas, gained and lost ground, settlements, the front line.

Pure functions over shapely geometries in lon/lat.  Areas and lengths are
geodesic, on the WGS84 ellipsoid (pyproj ``Geod``), so a km² near Kharkiv and
one in Crimea count the same.

The front line is the part of the occupied area's outline that faces held
ground inside the country: the outline less the international border and the
coastline.  Border and coast are not matched line against line (sources draw
them a few km apart: DeepStateMap's Rostov border runs up to 5 km inside
Natural Earth's); instead the held ground (the country less the occupied
area) is eroded by ``FRONT_EROSION_M``, which removes the thin slivers a
differently drawn border or coast leaves, and the outline counts as front
where it lies within twice that of what remains and next to held ground.
Salients a few km deep (Vovchansk, 2024) stay; slivers along the border and
the coast go.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import shapely
from pyproj import Geod, Transformer
from shapely.geometry.base import BaseGeometry

GEOD = Geod(ellps="WGS84")

FRONT_EROSION_M = 2_500.0
"""Held ground narrower than twice this (slivers between two drawings of a border) is not a front."""

FRONT_SNAP_M = 300.0
"""Slack added to the front's reach: vertices of the two drawings are not exactly shared."""

SLIVER_M = 50.0
"""Held ground narrower than twice this is a hairline between two drawings, never beside a front."""

EQUAL_AREA_CRS = "EPSG:3035"
"""ETRS89 Lambert azimuthal equal-area (Europe, metres): where erosion distances are measured."""

EMPTY = shapely.MultiPolygon()


@dataclass(frozen=True)
class Change:
    """Ground gained and lost (by the occupier) from one layer to the next."""

    gained: BaseGeometry
    lost: BaseGeometry
    gained_km2: float
    lost_km2: float


def area_km2(geometry: BaseGeometry | None) -> float:
    """Geodesic area in km² of a (Multi)Polygon in lon/lat (0 for none)."""
    if geometry is None or geometry.is_empty:
        return 0.0
    oriented = shapely.orient_polygons(geometry, exterior_cw=False)  # Geod signs by orientation
    return abs(GEOD.geometry_area_perimeter(oriented)[0]) / 1e6


def areas_km2(geometries) -> np.ndarray:
    """Geodesic areas in km² of many geometries."""
    return np.array([area_km2(g) for g in geometries], dtype=float)


def length_km(geometry: BaseGeometry | None) -> float:
    """Geodesic length in km of a (Multi)LineString in lon/lat (0 for none)."""
    if geometry is None or geometry.is_empty:
        return 0.0
    return GEOD.geometry_length(geometry) / 1000


def polygonal(geometry: BaseGeometry) -> BaseGeometry:
    """Only the polygons of an overlay's result (it may hold slivers of lines and points)."""
    parts = shapely.get_parts(geometry)
    keep = parts[np.isin(shapely.get_type_id(parts), (3, 6))]
    if len(keep) == 0:
        return EMPTY
    merged = shapely.union_all(keep) if len(keep) > 1 else keep[0]
    return shapely.orient_polygons(merged, exterior_cw=False)


def change_between(before: BaseGeometry | None, after: BaseGeometry | None) -> Change:
    """The ground gained (in ``after``, not ``before``) and lost, with their geodesic km²."""
    before = before if before is not None else EMPTY
    after = after if after is not None else EMPTY
    gained = polygonal(shapely.difference(after, before))
    lost = polygonal(shapely.difference(before, after))
    return Change(gained, lost, area_km2(gained), area_km2(lost))


def settlements_changed(change: Change, names, ids, lon, lat) -> list[dict]:
    """The settlements inside the gained or lost ground, gained first, each in the candidates' order.

    ``names``, ``ids``, ``lon`` and ``lat`` are parallel arrays of candidate
    points (:func:`gazetteer_settlements` gives the gazetteer's, largest first).
    """
    out = []
    lon, lat = np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)
    for label, area in (("gained", change.gained), ("lost", change.lost)):
        if area.is_empty:
            continue
        shapely.prepare(area)
        inside = np.flatnonzero(shapely.contains_xy(area, lon, lat))
        out += [{"name": str(names[i]), "gazetteer_id": str(ids[i]), "change": label} for i in inside]
    return out


def gazetteer_settlements(gazetteer, country: str = "UA"):
    """The gazetteer's cities, towns and villages in ``country``, largest first: (names, ids, lon, lat)."""
    rows = np.flatnonzero((gazetteer.kind == "city") & (gazetteer.cc == country))
    rows = rows[np.argsort(-gazetteer.population[rows], kind="stable")]
    return gazetteer.name[rows], gazetteer.gid[rows], gazetteer.lon[rows], gazetteer.lat[rows]


@functools.lru_cache(maxsize=4)
def _transformers(crs: str) -> tuple[Transformer, Transformer]:
    return (Transformer.from_crs("EPSG:4326", crs, always_xy=True),
            Transformer.from_crs(crs, "EPSG:4326", always_xy=True))


def _reproject(geometry: BaseGeometry, transformer: Transformer) -> BaseGeometry:
    return shapely.transform(geometry, lambda xy: np.column_stack(transformer.transform(xy[:, 0], xy[:, 1])))


def front_line(occupied: BaseGeometry | None, country: BaseGeometry,
               erosion_m: float = FRONT_EROSION_M) -> BaseGeometry:
    """The front line: the occupied area's outline where it faces held ground inside ``country``.

    Returns a (Multi)LineString in lon/lat, empty when nothing is occupied.
    """
    if occupied is None or occupied.is_empty:
        return shapely.MultiLineString()
    forward, back = _transformers(EQUAL_AREA_CRS)
    occ = _reproject(occupied, forward)
    # only held ground near the occupied area matters: the country is clipped around it
    x0, y0, x1, y1 = shapely.bounds(occ)
    margin = 4 * erosion_m
    near = shapely.clip_by_rect(_reproject(country, forward), x0 - margin, y0 - margin, x1 + margin, y1 + margin)
    held = shapely.difference(near, occ)
    core = shapely.buffer(held, -erosion_m, quad_segs=2)
    if core.is_empty:
        return shapely.MultiLineString()
    # within reach of the core, and on held ground (not across the border beside a salient)
    # (held ground less hairline slivers: two drawings of one border never quite agree)
    beside = shapely.buffer(shapely.buffer(held, -SLIVER_M, quad_segs=2), SLIVER_M + FRONT_SNAP_M, quad_segs=2)
    reach = shapely.intersection(shapely.buffer(core, 2 * erosion_m + FRONT_SNAP_M, quad_segs=2), beside)
    line = shapely.intersection(shapely.boundary(occ), reach)
    parts = shapely.get_parts(line)
    parts = parts[np.isin(shapely.get_type_id(parts), (1, 5))]
    if len(parts) == 0:
        return shapely.MultiLineString()
    merged = shapely.line_merge(shapely.multilinestrings(parts))
    return _reproject(merged, back)


def diff_summary(before, after, country: BaseGeometry, settlements=None) -> dict:
    """The contract's ``control diff`` object for two :class:`~geo.control.layers.ControlLayer`.

    ``settlements`` is (names, ids, lon, lat) as :func:`gazetteer_settlements` gives; ``None``
    lists none.
    """
    change = change_between(before.geometry, after.geometry)
    return {
        "from": before.date, "to": after.date,
        "area_km2": {"from": round(area_km2(before.geometry), 1), "to": round(area_km2(after.geometry), 1)},
        "gained_km2": round(change.gained_km2, 2),
        "lost_km2": round(change.lost_km2, 2),
        "front_line_km": {"from": round(length_km(front_line(before.geometry, country)), 1),
                          "to": round(length_km(front_line(after.geometry, country)), 1)},
        "settlements": settlements_changed(change, *settlements) if settlements is not None else [],
    }
