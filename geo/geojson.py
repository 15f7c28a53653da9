"""GeoJSON geometry as RFC 7946 wants it, shared by the exchange and the stores."""

from __future__ import annotations

from typing import Any

import shapely
from shapely.geometry import mapping, shape


def rfc7946(geometry: dict[str, Any] | None) -> dict[str, Any] | None:
    """A GeoJSON geometry with counter-clockwise exteriors and clockwise holes."""
    if geometry is None:
        return geometry
    if geometry["type"] in ("Polygon", "MultiPolygon"):
        # places share one geometry dict per gazetteer row: orient each once
        hit = _ORIENTED.get(id(geometry))
        if hit is not None and hit[0] is geometry:
            return hit[1]
        out = mapping(shapely.orient_polygons(shape(geometry), exterior_cw=False))
        if len(_ORIENTED) >= 4096:
            _ORIENTED.clear()
        _ORIENTED[id(geometry)] = (geometry, out)
        return out
    return geometry


_ORIENTED: dict[int, tuple[dict, dict]] = {}


APPROX_RADIUS_KM = {"hromada": 12.0, "raion": 30.0}
"""The disc drawn for an event known only to its hromada or raion, around the point the
parser gave (the hromada's middle, the raion's seat): there are no raion outlines to draw."""


def geodesic_disc(lon: float, lat: float, km: float, vertices: int = 48) -> dict[str, Any]:
    """A GeoJSON Polygon of the points ``km`` from (lon, lat) on the WGS84 ellipsoid,
    counter-clockwise (RFC 7946)."""
    from pyproj import Geod

    step = 360.0 / vertices
    lons, lats, _ = Geod(ellps="WGS84").fwd([lon] * vertices, [lat] * vertices,
                                            [i * step for i in range(vertices)], [km * 1000.0] * vertices)
    ring = [[round(x, 4), round(y, 4)] for x, y in zip(lons[::-1], lats[::-1])]  # bearings turn clockwise
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}
