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
