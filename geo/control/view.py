"""What a map shows of the ground on one day: shapes made light enough to draw, and their figures.

Shared by the dashboard and the briefing image.  Figures (km², km, the
settlements) come from the full-detail layers; the shapes are simplified
together (``shapely.coverage_simplify``), so the held area, the ground gained
and the ground lost keep their shared edges and never open gaps or overlap;
the front line is simplified with the same tolerance, so it stays within a
couple of hundred metres of the shading's edge.  Leaflet simplifies again per
zoom level as it draws (``smoothFactor``); the tolerance here bounds what the
page carries.

A layer's front line is the slow part (about 0.1-0.2 s): it is kept per layer
(:func:`front_of`), so playing through the days computes each day's once, and
the earlier line of "changes since the day before" is the one drawn a step ago.
"""

from __future__ import annotations

import json
from collections import OrderedDict
from dataclasses import dataclass, field

import shapely
from shapely.geometry.base import BaseGeometry

from geo.control.change import (
    EMPTY,
    area_km2,
    change_between,
    front_line,
    length_km,
    polygonal,
    settlements_changed,
)
from geo.control.layers import ControlLayer

DRAW_TOLERANCE_DEG = 0.004
"""Coverage simplification (Visvalingam-Whyatt) drops a vertex whose triangle with its neighbours is
smaller than this squared (about 0.1 km²): a wiggle of some 100 m on kilometre-long edges, under a
pixel at the zoom that shows an oblast.  The front line (Douglas-Peucker) takes the same tolerance."""

DRAW_PRECISION_DEG = 1e-5
"""Coordinates are rounded to about a metre: six decimals more would only cost bytes."""


@dataclass(frozen=True)
class ControlView:
    """One day's ground, ready to draw: GeoJSON geometries (lon/lat) and the figures."""

    date: str
    source: str
    occupied: dict
    front: dict
    area_km2: float
    front_km: float
    since: str | None = None  # the date of the layer compared with
    front_before: dict | None = None  # the front line on that date
    front_before_km: float = 0.0
    gained: dict | None = None
    lost: dict | None = None
    gained_km2: float = 0.0
    lost_km2: float = 0.0
    settlements: list[dict] = field(default_factory=list)


def simplified_together(parts: list[BaseGeometry], tolerance: float) -> list[BaseGeometry]:
    """Polygons that do not overlap, simplified as one coverage (shared edges stay shared)."""
    live = [i for i, p in enumerate(parts) if p is not None and not p.is_empty]
    out = [EMPTY] * len(parts)
    if not live:
        return out
    try:
        simple = shapely.coverage_simplify([parts[i] for i in live], tolerance)
    except shapely.errors.GEOSException:  # not a clean coverage: each on its own, topology kept
        simple = [shapely.simplify(parts[i], tolerance, preserve_topology=True) for i in live]
    for i, s in zip(live, simple):
        out[i] = polygonal(shapely.make_valid(shapely.set_precision(s, DRAW_PRECISION_DEG)))
    return out


def _geojson(geometry: BaseGeometry) -> dict:
    return json.loads(shapely.to_geojson(geometry))


_FRONTS: OrderedDict[tuple, BaseGeometry] = OrderedDict()
_FRONTS_KEPT = 32


def front_of(layer: ControlLayer, country: BaseGeometry) -> BaseGeometry:
    """The full-detail front line of a layer, computed once per layer (and country)."""
    key = (layer.sha256, layer.date, layer.source, id(country))
    if key in _FRONTS:
        _FRONTS.move_to_end(key)
        return _FRONTS[key]
    line = front_line(layer.geometry, country)
    _FRONTS[key] = line
    while len(_FRONTS) > _FRONTS_KEPT:
        _FRONTS.popitem(last=False)
    return line


def _drawn_line(line: BaseGeometry, tolerance: float) -> dict:
    return _geojson(shapely.set_precision(shapely.simplify(line, tolerance), DRAW_PRECISION_DEG))


def control_view(layer: ControlLayer, country: BaseGeometry, earlier: ControlLayer | None = None,
                 settlements=None, tolerance: float = DRAW_TOLERANCE_DEG) -> ControlView:
    """The ground of ``layer``, and its changes since ``earlier`` when given.

    ``settlements`` is (names, ids, lon, lat) as
    :func:`geo.control.change.gazetteer_settlements` gives.
    """
    full_front = front_of(layer, country)
    front = _drawn_line(full_front, tolerance)
    if earlier is None or earlier.sha256 == layer.sha256 and earlier.date == layer.date:
        (held,) = simplified_together([layer.geometry], tolerance)
        return ControlView(layer.date, layer.source, _geojson(held), front, area_km2(layer.geometry),
                           length_km(full_front))
    change = change_between(earlier.geometry, layer.geometry)
    rest = polygonal(shapely.difference(layer.geometry, change.gained))
    rest_s, gained_s, lost_s = simplified_together([rest, change.gained, change.lost], tolerance)
    held = polygonal(shapely.union_all([rest_s, gained_s]))
    towns = settlements_changed(change, *settlements) if settlements is not None else []
    before = front_of(earlier, country)
    return ControlView(layer.date, layer.source, _geojson(held), front, area_km2(layer.geometry),
                       length_km(full_front), since=earlier.date, front_before=_drawn_line(before, tolerance),
                       front_before_km=length_km(before), gained=_geojson(gained_s), lost=_geojson(lost_s),
                       gained_km2=change.gained_km2, lost_km2=change.lost_km2, settlements=towns)
