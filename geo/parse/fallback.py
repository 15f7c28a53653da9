"""Places no span of text names: the country an event falls back on, and the area an
encirclement covers."""

from __future__ import annotations

import functools
import math

import numpy as np
import shapely
from shapely.geometry import mapping

from geo import settings
from geo.gazetteer.loader import Gazetteer
from geo.parse.resolve import _place_from_row
from geo.records import Mention, Place


@functools.lru_cache(maxsize=512)
def country_place(gaz: Gazetteer, cc: str) -> Place | None:
    """A country as a place not tied to a span of text (an event's fallback location).

    The same (immutable) record each time: every report asks for the country it is about.
    """
    row = gaz.country_row(cc)
    if row is None:
        return None
    return _place_from_row(gaz, row, Mention("", -1, -1, ()), 1.0)


def encirclement_area(gaz: Gazetteer, place: Place) -> dict:
    """A geodesic disc around a city, scaled to its population (at least 8 km)."""
    from pyproj import Geod

    row = gaz.row_for_gid(place.gazetteer_id) if place.gazetteer_id else None
    pop = gaz.population[row] if row is not None else 100_000
    radius_m = 1000 * max(settings.ENCIRCLEMENT_MIN_KM, 3.0 * math.sqrt(pop / 100_000))
    bearings = np.linspace(0, 360, 73)[:-1]
    lons, lats, _ = Geod(ellps="WGS84").fwd(
        np.full(bearings.shape, place.lon), np.full(bearings.shape, place.lat), bearings,
        np.full(bearings.shape, radius_m))
    ring = shapely.Polygon(zip(np.round(lons, 5), np.round(lats, 5)))
    return mapping(shapely.geometry.polygon.orient(ring, 1.0))
