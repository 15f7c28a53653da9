"""Words on the briefing map: country and place labels, the scale bar, the north arrow and the legend."""

from __future__ import annotations

import math
import textwrap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from matplotlib.axes import Axes
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox, offset_copy
from matplotlib_scalebar.scalebar import ScaleBar
from shapely.ops import polylabel

from geo.briefing.frame import (
    HALO,
    INK,
    MAX_EVENT_LABELS,
    MIXED,
    MUTED,
    NO_MATCH,
    Page,
    View,
    draw_basemap,
)
from geo.briefing.marks import Occupancy, _ms
from geo.taxonomy import EVENT_TYPES, TYPE_KEYS, trust_of

# --- labels -------------------------------------------------------------

@dataclass(frozen=True)
class Unit:
    """A country or region label, with a badge row for the event types tied to it."""

    text: str
    anchor: tuple[float, float]
    types: tuple[str, ...] = ()


def _anchor(geom: shapely.Geometry, view: View, label_pt: shapely.Point | None = None):
    """Where a country's label goes: its own label point if in view, else inside what shows."""
    w, h = view.x1 - view.x0, view.y1 - view.y0
    inner = shapely.box(view.x0 + 0.08 * w, view.y0 + 0.08 * h, view.x1 - 0.08 * w, view.y1 - 0.08 * h)
    if label_pt is not None and inner.contains(label_pt) and geom.contains(label_pt):
        return label_pt.x, label_pt.y
    for frame in (inner, view.box):
        visible = shapely.make_valid(geom).intersection(frame)
        parts = [p for p in shapely.get_parts(visible)
                 if p.geom_type == "Polygon" and not p.is_empty and p.area > 0]
        if parts:
            p = polylabel(max(parts, key=lambda q: q.area), tolerance=w / 400)
            return p.x, p.y
    return None


def country_units(shown: gpd.GeoDataFrame, areas: dict[str, tuple], view: View) -> list[Unit]:
    """Labels for countries in view; those carrying whole-country events get badges."""
    areas = dict(areas)
    label_pts = gpd.GeoSeries(gpd.points_from_xy(shown["label_lon"], shown["label_lat"]),
                              crs=4326).to_crs(view.crs)
    units = []
    for name, geom, lp in zip(shown["name"], shown.geometry, label_pts):
        types = areas.pop(name, ((), None))[0]
        share = geom.intersection(view.box).area / view.box.area
        if not types and share < 0.015:  # a sliver at the edge needs no name
            continue
        anchor = _anchor(geom, view, lp)
        if anchor:
            units.append(Unit(name.upper(), anchor, types))
    for place, (types, geom) in areas.items():  # regions, or names the basemap spells otherwise
        anchor = _anchor(geom, view)
        if anchor:
            units.append(Unit(place, anchor, types))
    return units


def _try_place(make, shifts, occ: Occupancy, renderer, must: bool):
    """Draw with the first shift that collides with nothing; keep the least bad if ``must``."""
    best = None
    for shift in shifts:
        arts = make(shift)
        boxes = [a.get_window_extent(renderer) for a in arts]
        hits = sum(occ.hits(b) for b in boxes)
        if hits == 0:
            for b in boxes:
                occ.add(b)
            return arts
        for a in arts:
            a.remove()
        if best is None or hits < best[0]:
            best = (hits, shift)
    if must and best is not None:
        arts = make(best[1])
        for a in arts:
            occ.add(a.get_window_extent(renderer))
        return arts
    return None


def _draw_unit(ax: Axes, unit: Unit, shift: tuple[float, float]) -> list:
    sx, sy = shift
    strong = bool(unit.types)
    arts = [ax.annotate(unit.text, unit.anchor, xytext=(sx, sy + (6 if strong else 0)),
                        textcoords="offset points", ha="center",
                        va="bottom" if strong else "center", fontsize=17 if strong else 15,
                        fontweight="bold" if strong else "normal",
                        color="#4a4a4a" if strong else "#8f8a80", zorder=6,
                        path_effects=HALO, gid="country-label")]
    n = len(unit.types)
    for i, key in enumerate(unit.types):
        et = EVENT_TYPES[key]
        tr = offset_copy(ax.transData, fig=ax.figure, x=sx + (i - (n - 1) / 2) * 26,
                         y=sy - 10, units="points")
        arts += ax.plot([unit.anchor[0]], [unit.anchor[1]], marker=et.marker, ms=_ms(et.marker, 18),
                        color=et.colour, mec="white", mew=1.2, ls="none", transform=tr,
                        zorder=6, gid=f"event:{key}")
    return arts


def place_units(ax: Axes, units: list[Unit], occ: Occupancy, renderer, must: bool) -> None:
    """Country labels with their badges, nudged off symbols; ``must`` ones always drawn."""
    shifts = [(0, 0), (0, -40), (0, 40), (-90, 0), (90, 0), (0, -80), (0, 80)]
    for unit in units:
        _try_place(lambda s, u=unit: _draw_unit(ax, u, s), shifts, occ, renderer, must)


def _offsets(r: float) -> list[tuple[float, float, str, str]]:
    """Label positions around a symbol of radius ``r`` points, in cartographers' order."""
    d, e = r + 3, (r + 3) * 0.75
    return [(e, e, "left", "bottom"), (d, 0, "left", "center"), (e, -e, "left", "top"),
            (-e, e, "right", "bottom"), (-d, 0, "right", "center"), (-e, -e, "right", "top"),
            (0, d, "center", "bottom"), (0, -d, "center", "top")]


def label_points(ax: Axes, labels: list[tuple[str, tuple[float, float], float]],
                 occ: Occupancy, renderer, *, major: bool) -> int:
    """Place names beside their symbols, skipping any that would collide; returns how many."""
    size, weight, colour = (16, "bold", INK) if major else (13, "normal", "#5c5c5c")
    placed = 0
    for text, xy, radius in labels:
        def make(o, text=text, xy=xy):
            arts = [ax.annotate(text, xy, xytext=o[:2], textcoords="offset points", ha=o[2],
                                va=o[3], fontsize=size, fontweight=weight, color=colour,
                                zorder=7, path_effects=HALO,
                                gid="place-label" if major else "city-label")]
            if not major:  # an orientation city has no event symbol: give it a dot
                arts += ax.plot([xy[0]], [xy[1]], marker="o", ms=6, color=colour, mec="white",
                                ls="none", zorder=6, gid="city-dot")
            return arts
        placed += _try_place(make, _offsets(radius), occ, renderer, must=False) is not None
    return placed


def event_place_labels(vis: gpd.GeoDataFrame, view: View,
                       radii: dict[str, float]) -> list[tuple[str, tuple[float, float], float]]:
    """(name, anchor, radius) for the places of local events, busiest first."""
    local = vis[vis["role"].isin(("point", "ring")) & vis["place"].notna()]
    if local.empty:
        return []
    tr = pyproj.Transformer.from_crs(4326, view.crs, always_xy=True)
    rows = []
    for place, grp in local.groupby("place"):
        first = grp.iloc[0]
        if pd.notna(first["lon"]) and pd.notna(first["lat"]):
            xy = tr.transform(first["lon"], first["lat"])
        else:
            c = first.geometry.centroid
            xy = (c.x, c.y)
        rows.append((len(grp), place, xy, radii.get(place, 8.0)))
    rows.sort(key=lambda r: -r[0])
    return [(p, xy, r) for _, p, xy, r in rows[:MAX_EVENT_LABELS]]


def context_cities(gaz, view: View, skip: set[str], limit: int = 25):
    """Capitals and cities over a million people in view, as faint orientation labels."""
    minlon, minlat, maxlon, maxlat = view.lonlat_bounds()
    big = (gaz.kind == "city") & (gaz.capital | (gaz.population >= 1_000_000))
    inside = big & (gaz.lon >= minlon) & (gaz.lon <= maxlon) & (gaz.lat >= minlat) & (gaz.lat <= maxlat)
    rows = [r for r in np.flatnonzero(inside)[np.argsort(-gaz.population[inside])]
            if gaz.name[r] not in skip][:limit]
    if not rows:
        return []
    tr = pyproj.Transformer.from_crs(4326, view.crs, always_xy=True)
    xs, ys = tr.transform(gaz.lon[rows], gaz.lat[rows])
    return [(gaz.name[r], (x, y), 4.0) for r, x, y in zip(rows, xs, ys)
            if view.x0 < x < view.x1 and view.y0 < y < view.y1]


# --- map furniture ------------------------------------------------------

def metres_per_unit(view: View, fx: float = 0.12, fy: float = 0.06) -> float:
    """Ground metres per map unit, measured geodesically where the scale bar sits."""
    w, h = view.x1 - view.x0, view.y1 - view.y0
    x, y, d = view.x0 + fx * w, view.y0 + fy * h, 0.2 * w
    (lon_a, lat_a), (lon_b, lat_b) = view.to_lonlat(x, y), view.to_lonlat(x + d, y)
    return pyproj.Geod(ellps="WGS84").inv(lon_a, lat_a, lon_b, lat_b)[2] / d


def _reserve(ax: Axes, occ: Occupancy, x0: float, y0: float, x1: float, y1: float) -> None:
    """Keep labels out of a corner of the map (given in axes fractions)."""
    occ.add(Bbox(ax.transAxes.transform([[x0, y0], [x1, y1]])))


def _km_label(value: float, unit: str) -> str:
    """Scale-bar text in km or m: nobody briefs in megametres."""
    if unit == "Mm":
        return f"{value * 1000:,.0f} km"
    return f"{value:g} {unit}"


def draw_scale_bar(ax: Axes, view: View, occ: Occupancy) -> ScaleBar:
    """A km scale bar in the lower left, true on the ellipsoid where it stands."""
    bar = ScaleBar(metres_per_unit(view), units="m", location="lower left",
                   length_fraction=0.2, font_properties={"size": 15}, color=INK,
                   box_alpha=0.85, pad=0.6, border_pad=0.8, scale_loc="top",
                   scale_formatter=_km_label)
    bar.set_gid("scale-bar")
    ax.add_artist(bar)
    _reserve(ax, occ, 0.0, 0.0, 0.27, 0.12)
    return bar


def draw_north_arrow(ax: Axes, view: View, occ: Occupancy, at=(0.955, 0.86)) -> float:
    """An arrow to true north, centred where it stands; returns its angle east of up.

    On a continent-wide map north turns visibly across the page; the arrow
    pivots about its centre so it stays in its corner at any angle.
    """
    x, y = (ax.transAxes + ax.transData.inverted()).transform(at)
    lon, lat = view.to_lonlat(x, y)
    fwd = pyproj.Transformer.from_crs(4326, view.crs, always_xy=True)
    x2, y2 = fwd.transform(lon, min(lat + 0.25, 89.9))
    angle = math.atan2(x2 - x, y2 - y)
    dx, dy = 23 * math.sin(angle), 23 * math.cos(angle)  # half the arrow, in points
    tip = offset_copy(ax.transAxes, fig=ax.figure, x=dx, y=dy, units="points")
    ax.annotate("", xy=at, xycoords=tip, xytext=(-2 * dx, -2 * dy),
                textcoords="offset points", zorder=8,
                arrowprops={"arrowstyle": "-|>,head_length=0.9,head_width=0.45",
                            "color": INK, "lw": 3.5, "mutation_scale": 24})
    ax.annotate("N", xy=at, xycoords="axes fraction", xytext=(1.6 * dx, 1.6 * dy),
                textcoords="offset points", ha="center", va="center", fontsize=20,
                fontweight="bold", color=INK, path_effects=HALO, zorder=8, gid="north-arrow")
    _reserve(ax, occ, at[0] - 0.045, at[1] - 0.1, 1.0, 1.0)
    return math.degrees(angle)


def _type_handle(key: str, hollow: bool) -> Line2D:
    et = EVENT_TYPES[key]
    return Line2D([], [], ls="none", marker=et.marker, ms=_ms(et.marker, 18), color=et.colour,
                  mfc="none" if hollow else et.colour, mec=et.colour if hollow else "white",
                  mew=3.0 if hollow else 1.2)


def draw_legend(panel: Axes, vis: gpd.GeoDataFrame, hidden: int, ground_items: Sequence = ()) -> None:
    """The types on the map, with counts; a key to the drawing styles; what is left out."""
    from matplotlib.legend import Legend

    counts = Counter(vis["event_type"])
    keys = [k for k in TYPE_KEYS if counts[k]]
    rings_only = set(vis.loc[vis.role == "ring", "event_type"]) - set(
        vis.loc[vis.role != "ring", "event_type"])
    roles = set(vis["role"])
    key_items = [(Patch(facecolor=(*to_rgb(MIXED), 0.06), edgecolor=MIXED, hatch="//"),
                  "Whole country or region")] if "area" in roles else []
    if "approx" in roles:
        key_items.append((Patch(facecolor=(*to_rgb(MIXED), 0.06), edgecolor=MIXED, hatch="//", linestyle="--",
                                linewidth=2), "Only the oblast or raion known"))
    if "line" in roles:
        key_items.append((Line2D([], [], color=MIXED, lw=5), "Along a border"))
    key_items += list(ground_items)  # the areas of control (geo.control.draw.ground_key)
    trust = {trust_of(r) for r in vis[["denied_by", "outcome", "subtype", "certainty"]].to_dict("records")}
    if trust & {"denied", "failed"}:
        key_items.append((Line2D([], [], ls="none", marker="o", ms=16, mfc="none", mec=MIXED, mew=2.4),
                          "Denied claim or failed attempt"))
    if "claimed" in trust:
        key_items.append((Line2D([], [], ls="none", marker="o", ms=16, color=MIXED, alpha=0.55),
                          "Claimed, not confirmed"))
    if key_items:
        key = Legend(panel, *zip(*key_items), loc="lower left", bbox_to_anchor=(0, 0.09),
                     title="Map key", frameon=False, fontsize=15, title_fontsize=16,
                     alignment="left", borderaxespad=0)
        panel.add_artist(key)
    if hidden:
        note = (f"{hidden:,} event{'s' if hidden != 1 else ''} not drawn: "
                "no mapped place, or outside this view.")
        panel.text(0, 0, textwrap.fill(note, 36), fontsize=13, color=MUTED, va="bottom",
                   transform=panel.transAxes)
    leg = panel.legend([_type_handle(k, k in rings_only) for k in keys],
                       [f"{EVENT_TYPES[k].label} ({counts[k]:,})" for k in keys],
                       loc="upper left", title="Events shown", frameon=False, fontsize=17,
                       title_fontsize=19, alignment="left", labelspacing=0.9,
                       handletextpad=0.9, borderaxespad=0)
    leg.get_title().set_fontweight("bold")
    leg.set_gid("events-legend")


def draw_no_match(page: Page, detail: str, view: View | None, countries) -> None:
    """The empty page: the basemap when there is a window to show, and the reason."""
    ax = page.map_ax
    if view is not None:
        draw_basemap(ax, view, countries)
    else:
        ax.set_facecolor("#eef1f4")
    box = {"facecolor": "white", "edgecolor": "#b5b5b5", "alpha": 0.92,
           "boxstyle": "round,pad=0.6"}
    ax.text(0.5, 0.55, NO_MATCH, transform=ax.transAxes, ha="center", va="center",
            fontsize=44, fontweight="bold", color=INK, bbox=box, zorder=10, gid="no-match")
    ax.text(0.5, 0.42, detail, transform=ax.transAxes, ha="center", va="center",
            fontsize=19, color=MUTED, zorder=10, path_effects=HALO)
    page.panel.text(0, 1, "No event types shown", va="top", fontsize=17, color=MUTED,
                    transform=page.panel.transAxes)


def _no_match_detail(keys: tuple[str, ...] | None, n_selected: int, n_placed: int) -> str:
    if keys == ():
        return "No event type is selected."
    if n_selected == 0 and keys:
        labels = ", ".join(EVENT_TYPES[k].label.lower() for k in keys)
        return f"These reports hold no event of the selected types ({labels})."
    if n_selected == 0:
        return "These reports hold no events."
    if n_placed == 0:
        return f"None of the {n_selected:,} selected events has a mapped place."
    return f"None of the {n_selected:,} selected events falls inside this view."


