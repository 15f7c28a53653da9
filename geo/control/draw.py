"""The ground on the briefing image: held area shaded, the front line, gains and losses, and their key.

Called by :func:`geo.briefing.draw_map` when a :class:`~geo.control.view.ControlView`
is given; draws under the events (zorder 2-3, the basemap is 1, events 4 and up).
"""

from __future__ import annotations

import geopandas as gpd
import shapely
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from geo.control.view import ControlView

OCCUPIED = {"facecolor": "#e53935", "alpha": 0.22, "edgecolor": "none"}
FRONT = {"color": "#8b0000", "linewidth": 2.2}
FRONT_BEFORE = {"color": "#37474f", "linewidth": 1.6, "linestyle": (0, (4, 3))}
GAINED = {"facecolor": "#ff1744", "alpha": 0.7, "edgecolor": "#6a0000", "linewidth": 0.8}
LOST = {"facecolor": "#2979ff", "alpha": 0.6, "edgecolor": "#0d47a1", "linewidth": 0.8, "hatch": "//"}


def _series(geometry: dict | None, lonlat_bounds, crs) -> gpd.GeoSeries:
    if not geometry or not geometry.get("coordinates"):
        return gpd.GeoSeries([], crs=crs)
    x0, y0, x1, y1 = lonlat_bounds
    shape = shapely.clip_by_rect(shapely.from_geojson(_json(geometry)), x0 - 1, y0 - 1, x1 + 1, y1 + 1)
    if shape.is_empty:
        return gpd.GeoSeries([], crs=crs)
    return gpd.GeoSeries([shape], crs=4326).to_crs(crs)


def _json(geometry: dict) -> str:
    import json

    return json.dumps(geometry)


def draw_ground(ax, ground: ControlView, lonlat_bounds, crs) -> None:
    """Shade the held area, then gains and losses, then the front line, in the view's projection."""
    layers = [(ground.occupied, OCCUPIED, 2.0), (ground.gained, GAINED, 2.2), (ground.lost, LOST, 2.2)]
    for geometry, style, z in layers:
        shapes = _series(geometry, lonlat_bounds, crs)
        if len(shapes):
            shapes.plot(ax=ax, zorder=z, **style)
    for geometry, style in ((ground.front_before, FRONT_BEFORE), (ground.front, FRONT)):
        line = _series(geometry, lonlat_bounds, crs)
        if len(line):
            line.plot(ax=ax, zorder=3, **style)


def ground_key(ground: ControlView) -> list[tuple[object, str]]:
    """The legend's entries: the layer's date and source, the front, and the changes with km²."""
    items = [(Patch(**OCCUPIED), f"Occupied on {ground.date}\n({ground.source}): {ground.area_km2:,.0f} km²"),
             (Line2D([], [], **FRONT), f"Front line: {ground.front_km:,.0f} km")]
    if ground.since is not None:
        items += [(Line2D([], [], **FRONT_BEFORE), f"Front line on {ground.since}"),
                  (Patch(**GAINED), f"Gained since {ground.since}:\n{ground.gained_km2:,.1f} km²"),
                  (Patch(**LOST), f"Lost since {ground.since}:\n{ground.lost_km2:,.1f} km²")]
    return items
