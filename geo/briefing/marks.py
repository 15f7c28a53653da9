"""Event marks on the briefing map: points, lines, rings and areas, kept clear of each other."""

from __future__ import annotations

import math

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.transforms import Bbox
from shapely.geometry import shape

from geo.briefing.frame import (
    _MARKER_WEIGHT,
    MIXED,
    RING_MIN_PT,
    View,
    _clip_lonlat,
    _present,
    _px,
)
from geo.geojson import APPROX_RADIUS_KM, geodesic_disc
from geo.taxonomy import EVENT_TYPES, TYPE_KEYS, trust_of

# --- the events ---------------------------------------------------------

def _role(event_type: str, geom_type: str) -> str:
    if geom_type in ("Point", "MultiPoint"):
        return "point"
    if "LineString" in geom_type:
        return "line"
    return "ring" if event_type == "encirclement" else "area"


_APPROXIMATE = ("hromada", "raion", "oblast")


def _as_drawn(placed: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """An event known only to its hromada or raion is a disc around the point, never a point."""
    if "precision" not in placed or not placed["precision"].isin(tuple(APPROX_RADIUS_KM)).any():
        return placed
    geoms = [shape(geodesic_disc(g.x, g.y, APPROX_RADIUS_KM[p])) if p in APPROX_RADIUS_KM and g.geom_type == "Point"
             else g for g, p in zip(placed.geometry, placed["precision"])]
    return placed.set_geometry(gpd.GeoSeries(geoms, index=placed.index, crs=placed.crs))


def visible_events(frame: gpd.GeoDataFrame, view: View) -> gpd.GeoDataFrame:
    """Events that fall in the window, projected, each with its drawing ``role`` (``approx``:
    an event known only to its oblast, raion or hromada)."""
    placed = _as_drawn(frame[_present(frame.geometry)])
    if placed.empty:
        return placed.assign(role=[])
    cut = _clip_lonlat(placed.geometry, view)
    out = placed.loc[cut.index].set_geometry(cut.to_crs(view.crs).values, crs=view.crs)
    out = out[out.intersects(view.box)].copy()
    out["role"] = [_role(t, g) for t, g in zip(out["event_type"], out.geom_type)]
    if "precision" in out:
        out.loc[out["precision"].isin(_APPROXIMATE) & (out["role"] == "area"), "role"] = "approx"
    return out


class Occupancy:
    """Screen boxes already taken, to keep labels off markers and each other."""

    def __init__(self, frame: Bbox, margin: float = 0.0):
        self.frame = frame.padded(-margin)  # labels touching the map's edge look cut off
        self.fixed = np.empty((0, 4))
        self.boxes: list[Bbox] = []

    def add_points(self, xy: np.ndarray, half: float) -> None:
        """Square boxes of half-size ``half`` px around display points."""
        boxes = np.column_stack([xy - half, xy + half])
        self.fixed = np.vstack([self.fixed, boxes])

    def add(self, box: Bbox) -> None:
        self.boxes.append(box)

    def hits(self, box: Bbox, pad: float = 2.0) -> int:
        """How many taken boxes overlap ``box``, or 10**6 when it leaves the map."""
        if not (box.x0 >= self.frame.x0 and box.x1 <= self.frame.x1
                and box.y0 >= self.frame.y0 and box.y1 <= self.frame.y1):
            return 10**6
        f = self.fixed
        n = int(np.count_nonzero((f[:, 0] < box.x1 + pad) & (f[:, 2] > box.x0 - pad)
                                 & (f[:, 1] < box.y1 + pad) & (f[:, 3] > box.y0 - pad)))
        return n + sum(1 for b in self.boxes if b.padded(pad).overlaps(box))


def _pt(ax: Axes) -> float:
    """Screen pixels per typographic point at this figure's resolution."""
    return ax.figure.dpi / 72


def _ms(marker: str, size: float) -> float:
    """A marker's drawn size, so thin symbols look as big as solid ones."""
    return size * _MARKER_WEIGHT.get(marker, 1.0)


def _marker_pt(n_spots: int) -> float:
    """Marker size in points: big for a handful of events, small for thousands."""
    return 20.0 if n_spots <= 60 else 13.0 if n_spots <= 600 else 8.0


def draw_points(ax: Axes, pts: gpd.GeoDataFrame, occ: Occupancy) -> dict[str, float]:
    """Point events in their type's colour and marker.

    Different types at one spot sit side by side instead of hiding each other
    (in sparse views; in dense ones the legend's counts carry the numbers).
    Returns, per place, the half-width in points of its marker group.
    """
    if pts.empty:
        return {}
    disp = ax.transData.transform(shapely.get_coordinates(pts.geometry.representative_point()))
    order = {k: i for i, k in enumerate(TYPE_KEYS)}
    trust = [trust_of(r) or "" for r in pts[["denied_by", "outcome", "subtype", "certainty"]].to_dict("records")]
    spots = pd.DataFrame({"x": disp[:, 0], "y": disp[:, 1], "t": pts["event_type"].to_numpy(),
                          "place": pts["place"].fillna("").to_numpy(), "trust": trust})
    mark = _marker_pt(len(spots.drop_duplicates(["x", "y"])))
    step = mark * 1.1 * _pt(ax)
    spots["cx"], spots["cy"] = np.round(spots.x / (step / 2)), np.round(spots.y / (step / 2))
    spots["o"] = spots.t.map(order)
    spots = spots.drop_duplicates(["cx", "cy", "t", "trust"]).sort_values("o", kind="stable")
    group = spots.groupby(["cx", "cy"])["o"]
    spots["n"] = group.transform("size")
    if mark >= _marker_pt(1):  # dense views do not dodge: rows of symbols would streak the map
        spots["x"] += (group.rank(method="first") - 1 - (spots["n"] - 1) / 2) * step
    data = ax.transData.inverted().transform(spots[["x", "y"]].to_numpy())
    for (key, trust), idx in spots.groupby(["t", "trust"], sort=False).indices.items():
        et = EVENT_TYPES[key]
        # taxonomy order is importance order: strikes sit on top of protests; a denied claim or a
        # failed attempt is hollow and dashed, a claim faded: none reads as a fact
        hollow = trust in ("denied", "failed")
        ax.scatter(data[idx, 0], data[idx, 1], s=_ms(et.marker, mark) ** 2, marker=et.marker,
                   c="none" if hollow else et.colour, alpha=0.55 if trust == "claimed" else 1.0,
                   edgecolors=et.colour if hollow else "white",
                   linewidths=2.4 if hollow else (1.2 if mark > 8 else 0.6), linestyles="--" if hollow else "-",
                   zorder=5 + (len(TYPE_KEYS) - order[key]) / 100,
                   gid=f"event:{key}" + (f":{trust}" if trust else ""))
    occ.add_points(spots[["x", "y"]].to_numpy(), mark * _pt(ax) / 2)
    return (spots.groupby("place")["n"].max() * mark * 0.55).to_dict()


def _midpoint(line: shapely.Geometry) -> shapely.Point:
    part = max(shapely.get_parts(line), key=lambda p: p.length)
    return shapely.line_interpolate_point(part, 0.5, normalized=True)


def draw_lines(ax: Axes, lines: gpd.GeoDataFrame, view: View, occ: Occupancy) -> None:
    """Events along a line (a border): the line in the type's colour, its symbol midway."""
    mark = _marker_pt(1)
    for key, grp in lines.groupby("event_type", sort=False):
        et = EVENT_TYPES[key]
        grp.geometry.plot(ax=ax, color=et.colour, linewidth=5, alpha=0.85, zorder=3,
                          capstyle="round", gid=f"event:{key}")
        mids = [_midpoint(g.intersection(view.box)) for g in grp.geometry]
        xy = shapely.get_coordinates(mids)
        ax.scatter(xy[:, 0], xy[:, 1], s=_ms(et.marker, mark) ** 2, marker=et.marker, c=et.colour,
                   edgecolors="white", linewidths=1.2, zorder=5, gid=f"event:{key}")
        occ.add_points(ax.transData.transform(xy), mark * _pt(ax) / 2)


def draw_rings(ax: Axes, rings: gpd.GeoDataFrame, view: View, occ: Occupancy) -> dict[str, float]:
    """Encircled areas as rings; too small a ring becomes the type's open marker.

    Returns, per place, the ring's radius in points (labels keep outside it).
    """
    radii: dict[str, float] = {}
    metres_per_pt = _px(ax, view) * _pt(ax)
    for row in rings.itertuples():
        et = EVENT_TYPES[row.event_type]
        c = row.geometry.centroid
        r_pt = math.sqrt(row.geometry.area / math.pi) / metres_per_pt
        if r_pt >= RING_MIN_PT:
            gpd.GeoSeries([row.geometry]).plot(ax=ax, facecolor=(*to_rgb(et.colour), 0.10),
                                               edgecolor=et.colour, linewidth=3.5, zorder=4,
                                               gid=f"event:{row.event_type}")
        else:
            r_pt = RING_MIN_PT
            ax.plot([c.x], [c.y], marker=et.marker, ms=2 * r_pt, mfc="none", mec=et.colour,
                    mew=3.5, ls="none", zorder=4, gid=f"event:{row.event_type}")
        centre = ax.transData.transform((c.x, c.y))
        r_px = r_pt * _pt(ax)
        occ.add(Bbox.from_extents(*(centre - r_px), *(centre + r_px)))
        radii[row.place or ""] = max(radii.get(row.place or "", 0.0), r_pt)
    return radii


def draw_areas(ax: Axes, areas: gpd.GeoDataFrame, view: View,
               shown: gpd.GeoDataFrame) -> dict[str, tuple]:
    """Events tied to a whole country or region: a light hatched wash, one per place.

    A wash in one type's colour when the place carries one type, grey when it
    carries several; its badges (drawn with the labels) tell them apart.  A
    country takes the basemap's outline, so no second, coarser border shows.
    Returns ``{place: (types, visible geometry)}``.
    """
    outline = dict(zip(shown["name"], shown.geometry))
    out: dict[str, tuple] = {}
    for place, grp in areas.groupby(areas["place"].fillna(""), sort=False):
        types = tuple(k for k in TYPE_KEYS if k in set(grp["event_type"]))
        colour = to_rgb(EVENT_TYPES[types[0]].colour if len(types) == 1 else MIXED)
        geom = shapely.make_valid(outline.get(place, grp.geometry.iloc[0])).intersection(view.box)
        approx = (grp["role"] == "approx").all()  # only the oblast or raion known: a dashed edge too
        gpd.GeoSeries([geom]).plot(ax=ax, facecolor=(*colour, 0.05), edgecolor=(*colour, 0.9) if approx else "none",
                                   hatch="//", hatchcolors=[(*colour, 0.14)], linewidth=2.0 if approx else 0,
                                   linestyle=(0, (6, 4)) if approx else "solid",
                                   zorder=2, gid=("approx:" if approx else "area:") + ",".join(types))
        out[place] = (types, geom)
    return out


