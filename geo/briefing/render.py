"""Briefing images: the filtered view as a slide-ready PNG or PDF, offline.

The page is drawn with matplotlib (no pyplot, no browser) from the same events
collection and taxonomy as the interactive map, so colours and symbols never
drift apart.  :func:`build_figure` returns the Figure, for tests that inspect
its artists; :func:`render_briefing` encodes it; the CLI's ``brief`` command is the
``python -m geo brief`` entry point.
"""

from __future__ import annotations

import datetime as dt
import io as _bytes_io
import math
import textwrap
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.transforms import Bbox, offset_copy
from matplotlib_scalebar.scalebar import ScaleBar
from shapely.ops import polylabel

from geo import io, settings
from geo.exchange.layers import events_frame
from geo.taxonomy import EVENT_TYPES, TYPE_KEYS

PAGE_INCHES = (19.2, 10.8)
"""The page size; at ``BASE_DPI`` this is 1920x1080 px, a 16:9 slide."""

BASE_DPI = 100
FORMATS = ("png", "pdf")
NO_MATCH = "No events match"

SEA = "#dfe8ef"
LAND = "#f4f1ea"
BORDER = "#9a948a"
INK = "#1d1d1d"
MUTED = "#6b6b6b"
MIXED = "#4d4d4d"  # a country carrying several event types: its badges tell them apart
HALO = [patheffects.withStroke(linewidth=3.5, foreground="white")]

MAX_EVENT_LABELS = 40
# thin symbols look smaller than solid ones at one nominal size; even them out
_MARKER_WEIGHT = {"*": 1.3, "x": 1.15, ".": 2.5}
RING_MIN_PT = 16.0  # below this radius an encirclement ring is drawn as its open marker
_LOCAL_PAD = 0.18
_MIN_SPAN_KM = 160.0


# --- inputs -------------------------------------------------------------

def parse_bbox(text: str | None) -> tuple[float, float, float, float] | None:
    """``"minlon,minlat,maxlon,maxlat"`` to four floats; ``BadInput`` when malformed."""
    if text is None:
        return None
    parts = text.split(",")
    try:
        values = tuple(float(p) for p in parts)
    except ValueError:
        values = ()
    if len(values) != 4 or not all(map(math.isfinite, values)):
        raise io.BadInput(f"bad --bbox {text!r}: give minlon,minlat,maxlon,maxlat in degrees")
    return check_bbox(values)


def check_bbox(bbox: Sequence[float]) -> tuple[float, float, float, float]:
    """A bbox with its corners in order and inside the world; ``BadInput`` otherwise."""
    minlon, minlat, maxlon, maxlat = map(float, bbox)
    if not (-180 <= minlon < maxlon <= 180 and -90 <= minlat < maxlat <= 90):
        raise io.BadInput(f"bad bbox {minlon},{minlat},{maxlon},{maxlat}: need "
                          "-180 <= minlon < maxlon <= 180 and -90 <= minlat < maxlat <= 90")
    return minlon, minlat, maxlon, maxlat


def check_types(types: Iterable[str] | None) -> tuple[str, ...] | None:
    """Event-type keys, checked against the taxonomy; ``None`` means every type."""
    if types is None:
        return None
    keys = tuple(t.strip() for t in types if t.strip())
    unknown = [t for t in keys if t not in EVENT_TYPES]
    if unknown:
        raise io.BadInput(f"unknown event type {unknown[0]!r}; choose from {', '.join(TYPE_KEYS)}")
    return keys  # empty: the analyst unticked every type, and the page says so


def filter_events(events_fc: dict[str, Any], types: Iterable[str] | None) -> dict[str, Any]:
    """The events collection keeping only ``types`` (all when ``None``)."""
    keys = check_types(types)
    if keys is None:
        return events_fc
    feats = [f for f in events_fc["features"] if f["properties"]["event_type"] in keys]
    return {"type": "FeatureCollection", "features": feats}


def report_facts(events_fc: dict[str, Any]) -> tuple[list[str], list[str] | None]:
    """The report names and the ``[first, last]`` dates behind an events collection."""
    props = [f["properties"] for f in events_fc["features"]]
    sources = sorted({p["source"] for p in props if p.get("source")})
    dates = sorted(p["date"] for p in props if p.get("date"))
    return sources, ([dates[0], dates[-1]] if dates else None)


# --- the view -----------------------------------------------------------

@dataclass(frozen=True)
class View:
    """The map's window in a local equal-area projection (metres)."""

    crs: pyproj.CRS
    x0: float
    y0: float
    x1: float
    y1: float

    @property
    def box(self) -> shapely.Polygon:
        return shapely.box(self.x0, self.y0, self.x1, self.y1)

    def lonlat_bounds(self) -> tuple[float, float, float, float]:
        """The window's bounds in degrees (edges densified: they curve in lon/lat)."""
        ring = shapely.segmentize(self.box, (self.x1 - self.x0) / 40)
        back = gpd.GeoSeries([ring], crs=self.crs).to_crs(4326)
        minlon, minlat, maxlon, maxlat = back.total_bounds
        return max(minlon, -180.0), max(minlat, -89.9), min(maxlon, 180.0), min(maxlat, 89.9)

    def to_lonlat(self, x: float, y: float) -> tuple[float, float]:
        tr = pyproj.Transformer.from_crs(self.crs, 4326, always_xy=True)
        return tr.transform(x, y)


def _present(geoms: gpd.GeoSeries) -> np.ndarray:
    """Mask of the geometries that are neither missing nor empty."""
    arr = np.asarray(geoms.values, dtype=object)
    return ~shapely.is_missing(arr) & ~shapely.is_empty(arr)


def _main_part_bounds(geom: shapely.Geometry) -> np.ndarray:
    """Bounds of a geometry's largest polygon (Russia's mainland, not Chukotka)."""
    parts = shapely.get_parts(geom)
    return shapely.bounds(max(parts, key=lambda p: p.area))


def default_extent(frame: gpd.GeoDataFrame) -> tuple[float, float, float, float]:
    """The events' extent, padded; local events win over whole-country ones.

    A country-level event (a nuclear alert "in Russia") would zoom the map out
    to a continent, so countries only set the extent when nothing local is shown.
    """
    geoms = frame.geometry[_present(frame.geometry)]
    local = geoms[frame.loc[geoms.index, "place_kind"].ne("country")]
    if len(local):
        minlon, minlat, maxlon, maxlat = local.total_bounds
    else:
        b = np.array([_main_part_bounds(g) for g in geoms])
        minlon, minlat = b[:, 0].min(), b[:, 1].min()
        maxlon, maxlat = b[:, 2].max(), b[:, 3].max()
    lat_mid = (minlat + maxlat) / 2
    min_lat = _MIN_SPAN_KM / 111.0
    min_lon = min_lat / max(math.cos(math.radians(lat_mid)), 0.2)
    pad_lon = max((maxlon - minlon) * _LOCAL_PAD, (min_lon - (maxlon - minlon)) / 2, 0.0)
    pad_lat = max((maxlat - minlat) * _LOCAL_PAD, (min_lat - (maxlat - minlat)) / 2, 0.0)
    return (max(minlon - pad_lon, -180.0), max(minlat - pad_lat, -85.0),
            min(maxlon + pad_lon, 180.0), min(maxlat + pad_lat, 85.0))


def make_view(extent: Sequence[float], aspect: float) -> View:
    """A projected window showing ``extent`` whole, widened to the map's aspect."""
    minlon, minlat, maxlon, maxlat = extent
    lon0, lat0 = (minlon + maxlon) / 2, (minlat + maxlat) / 2
    crs = pyproj.CRS.from_proj4(f"+proj=laea +lat_0={lat0:.4f} +lon_0={lon0:.4f} "
                                "+datum=WGS84 +units=m +no_defs")
    ring = shapely.segmentize(shapely.box(minlon, minlat, maxlon, maxlat), 0.5)
    x0, y0, x1, y1 = gpd.GeoSeries([ring], crs=4326).to_crs(crs).total_bounds
    w, h = x1 - x0, y1 - y0
    if w / h < aspect:  # too tall for the frame: widen, and the reverse
        grow = (h * aspect - w) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = (w / aspect - h) / 2
        y0, y1 = y0 - grow, y1 + grow
    return View(crs, x0, y0, x1, y1)


# --- the page frame -----------------------------------------------------

@dataclass(frozen=True)
class Page:
    """The figure and its two working areas: the map and the legend panel."""

    fig: Figure
    map_ax: Axes
    panel: Axes

    @property
    def aspect(self) -> float:
        pos = self.map_ax.get_position()
        return (pos.width * PAGE_INCHES[0]) / (pos.height * PAGE_INCHES[1])


class _Canvas(FigureCanvasAgg):
    """An Agg canvas that draws only when saved.

    geopandas asks for a redraw after every ``plot()``; on Agg that is a full
    render each time, which tripled the page's drawing time.
    """

    def draw_idle(self, *args, **kwargs) -> None:
        pass


def _new_page(scale: float, banner: str | None) -> Page:
    fig = Figure(figsize=PAGE_INCHES, dpi=BASE_DPI * scale, facecolor="white")
    _Canvas(fig)
    bar = 0.04 if banner else 0.0
    top, bottom = 1 - bar - 0.115, bar + 0.055
    map_ax = fig.add_axes((0.012, bottom, 0.76, top - bottom))
    map_ax.set_xticks([])
    map_ax.set_yticks([])
    # geopandas names the projected axes; a slide needs no "Easting [metre]"
    map_ax.xaxis.label.set_visible(False)
    map_ax.yaxis.label.set_visible(False)
    for spine in map_ax.spines.values():
        spine.set_edgecolor("#8c8c8c")
    panel = fig.add_axes((0.785, bottom, 0.205, top - bottom))
    panel.set_axis_off()
    if banner:
        for y in (0.0, 1 - bar):
            fig.add_artist(Rectangle((0, y), 1, bar, transform=fig.transFigure,
                                     facecolor="#262626", edgecolor="none"))
            fig.text(0.5, y + bar / 2, banner.upper(), ha="center", va="center",
                     color="white", fontsize=16, fontweight="bold")
    return Page(fig, map_ax, panel)


def _date_line(date_range: Sequence[str] | None) -> str:
    if not date_range or not date_range[0]:
        return "Report date not stated"
    try:
        first, last = (dt.date.fromisoformat(d) for d in (date_range[0], date_range[-1]))
    except ValueError:  # a partial date such as "2022-03" is shown as written
        return f"Reports dated {date_range[0]} to {date_range[-1]}"
    fmt = lambda d: f"{d.day} {d:%B %Y}"  # noqa: E731
    if first == last:
        return f"Report date: {fmt(first)}"
    return f"Reports from {fmt(first)} to {fmt(last)}"


def _sources_line(sources: Sequence[str], limit: int = 110) -> str:
    """The report names, shortened to fit one line of the footer."""
    names = list(sources)
    if not names:
        return "Sources: not recorded"
    shown = []
    for i, name in enumerate(names):
        rest = len(names) - i
        if shown and len(", ".join(shown + [name])) > limit:
            return f"Sources: {', '.join(shown)} and {rest} more"
        shown.append(name)
    return f"Sources: {', '.join(shown)}"


def _generated_line(generated: dt.datetime | None) -> str:
    when = generated or dt.datetime.now(dt.timezone.utc)
    zone = f" {when.tzname()}" if when.tzinfo else ""
    return f"Generated {when:%Y-%m-%d %H:%M}{zone} · Sitmap · basemap: Natural Earth"


def _draw_frame(page: Page, title: str, date_range, sources, generated) -> None:
    fig = page.fig
    top = page.map_ax.get_position().y1
    bottom = page.map_ax.get_position().y0
    # parse_math=False: a "$" in a title or a report's name is text, not mathtext
    # (an unknown command between two dollar signs made the whole page fail)
    fig.text(0.012, top + 0.1, title, va="top", ha="left", fontsize=30,
             fontweight="bold", color=INK, parse_math=False)
    fig.text(0.012, top + 0.035, _date_line(date_range), va="top", ha="left",
             fontsize=18, color=MUTED)
    fig.text(0.012, bottom - 0.018, _sources_line(sources), va="top", ha="left",
             fontsize=13, color=MUTED, parse_math=False)
    fig.text(0.99, bottom - 0.018, _generated_line(generated), va="top", ha="right",
             fontsize=13, color=MUTED)


# --- the basemap --------------------------------------------------------

def _px(ax: Axes, view: View) -> float:
    """Metres per screen pixel of the map."""
    return (view.x1 - view.x0) / ax.get_window_extent().width


def _set_view(ax: Axes, view: View) -> None:
    ax.set_xlim(view.x0, view.x1)
    ax.set_ylim(view.y0, view.y1)
    ax.set_aspect("equal", adjustable="box")
    ax.set_autoscale_on(False)  # geopandas rescales after every plot otherwise
    ax.set_facecolor(SEA)


def _clip_lonlat(geoms: gpd.GeoSeries, view: View) -> gpd.GeoSeries:
    """Geometries cut to the window (plus a margin) before projecting them."""
    minlon, minlat, maxlon, maxlat = view.lonlat_bounds()
    m = 0.05 * max(maxlon - minlon, maxlat - minlat) + 0.5
    cut = geoms.clip_by_rect(max(minlon - m, -180), max(minlat - m, -90),
                             min(maxlon + m, 180), min(maxlat + m, 90))
    return cut[_present(cut)]


def draw_basemap(ax: Axes, view: View, countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Land, sea and borders; returns the projected countries in view, for labels."""
    _set_view(ax, view)
    geoms = _clip_lonlat(countries.geometry, view)
    # a pixel's worth of detail is all a slide shows; this also keeps it fast
    tol_deg = _px(ax, view) / 111_000
    geoms = geoms.simplify(tol_deg).to_crs(view.crs)
    broken = ~geoms.is_valid  # simplifying can pinch a coast into a bow-tie
    geoms[broken] = geoms[broken].buffer(0)
    shown = gpd.GeoDataFrame(countries.loc[geoms.index].drop(columns="geometry"),
                             geometry=geoms, crs=view.crs)
    shown.plot(ax=ax, facecolor=LAND, edgecolor=BORDER, linewidth=1.0, zorder=1)
    return shown


# --- the events ---------------------------------------------------------

def _role(event_type: str, geom_type: str) -> str:
    if geom_type in ("Point", "MultiPoint"):
        return "point"
    if "LineString" in geom_type:
        return "line"
    return "ring" if event_type == "encirclement" else "area"


def visible_events(frame: gpd.GeoDataFrame, view: View) -> gpd.GeoDataFrame:
    """Events that fall in the window, projected, each with its drawing ``role``."""
    placed = frame[_present(frame.geometry)]
    if placed.empty:
        return placed.assign(role=[])
    cut = _clip_lonlat(placed.geometry, view)
    out = placed.loc[cut.index].set_geometry(cut.to_crs(view.crs).values, crs=view.crs)
    out = out[out.intersects(view.box)].copy()
    out["role"] = [_role(t, g) for t, g in zip(out["event_type"], out.geom_type)]
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
    spots = pd.DataFrame({"x": disp[:, 0], "y": disp[:, 1], "t": pts["event_type"].to_numpy(),
                          "place": pts["place"].fillna("").to_numpy()})
    mark = _marker_pt(len(spots.drop_duplicates(["x", "y"])))
    step = mark * 1.1 * _pt(ax)
    spots["cx"], spots["cy"] = np.round(spots.x / (step / 2)), np.round(spots.y / (step / 2))
    spots["o"] = spots.t.map(order)
    spots = spots.drop_duplicates(["cx", "cy", "t"]).sort_values("o", kind="stable")
    group = spots.groupby(["cx", "cy"])["o"]
    spots["n"] = group.transform("size")
    if mark >= _marker_pt(1):  # dense views do not dodge: rows of symbols would streak the map
        spots["x"] += (group.rank(method="first") - 1 - (spots["n"] - 1) / 2) * step
    data = ax.transData.inverted().transform(spots[["x", "y"]].to_numpy())
    for key, idx in spots.groupby("t", sort=False).indices.items():
        et = EVENT_TYPES[key]
        # taxonomy order is importance order: strikes sit on top of protests
        ax.scatter(data[idx, 0], data[idx, 1], s=_ms(et.marker, mark) ** 2, marker=et.marker,
                   c=et.colour,
                   edgecolors="white", linewidths=1.2 if mark > 8 else 0.6,
                   zorder=5 + (len(TYPE_KEYS) - order[key]) / 100, gid=f"event:{key}")
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
        gpd.GeoSeries([geom]).plot(ax=ax, facecolor=(*colour, 0.05), edgecolor="none",
                                   hatch="//", hatchcolors=[(*colour, 0.14)], linewidth=0,
                                   zorder=2, gid="area:" + ",".join(types))
        out[place] = (types, geom)
    return out


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
    if "line" in roles:
        key_items.append((Line2D([], [], color=MIXED, lw=5), "Along a border"))
    key_items += list(ground_items)  # the areas of control (geo.control.draw.ground_key)
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


# --- the page, whole ----------------------------------------------------

def check_scale(scale: float) -> float:
    """The resolution factor (2 gives 3840x2160); ``BadInput`` outside 0.25-4."""
    if not (isinstance(scale, (int, float)) and 0.25 <= scale <= 4):
        raise io.BadInput(f"bad scale {scale!r}: use a number from 0.25 to 4 (2 for 3840x2160)")
    return float(scale)


def draw_map(page: Page, vis: gpd.GeoDataFrame, view: View, gaz, ground=None) -> None:
    """Basemap, the ground (areas of control), events, furniture, then labels from most to least important."""
    ax = page.map_ax
    shown = draw_basemap(ax, view, gaz.countries)
    if ground is not None:
        from geo.control.draw import draw_ground

        draw_ground(ax, ground, view.lonlat_bounds(), view.crs)
    ax.apply_aspect()
    renderer = page.fig.canvas.get_renderer()
    occ = Occupancy(ax.get_window_extent(renderer), margin=6 * _pt(ax))
    areas = draw_areas(ax, vis[vis.role == "area"], view, shown)
    radii = draw_rings(ax, vis[vis.role == "ring"], view, occ)
    draw_lines(ax, vis[vis.role == "line"], view, occ)
    for place, r in draw_points(ax, vis[vis.role == "point"], occ).items():
        radii[place] = max(radii.get(place, 0.0), r)
    draw_scale_bar(ax, view, occ)
    draw_north_arrow(ax, view, occ)
    units = country_units(shown, areas, view)
    place_units(ax, [u for u in units if u.types], occ, renderer, must=True)
    labels = event_place_labels(vis, view, radii)
    label_points(ax, labels, occ, renderer, major=True)
    place_units(ax, [u for u in units if not u.types], occ, renderer, must=False)
    skip = {name for name, _, _ in labels}
    label_points(ax, context_cities(gaz, view, skip), occ, renderer, major=False)


def build_figure(events_fc: dict[str, Any], *, types: Iterable[str] | None = None,
                 bbox: Sequence[float] | None = None, title: str | None = None,
                 sources: Sequence[str] = (), date_range: Sequence[str] | None = None,
                 scale: float = 1.0, banner: str | None = None,
                 generated: dt.datetime | None = None, gazetteer=None, ground=None) -> Figure:
    """The briefing page as a matplotlib Figure (see :func:`render_briefing`)."""
    from geo.gazetteer.loader import load_gazetteer

    keys = check_types(types)
    bbox = check_bbox(bbox) if bbox is not None else None
    banner = settings.BANNER if banner is None else (banner.strip() or None)
    page = _new_page(check_scale(scale), banner)
    _draw_frame(page, title or "Situation map", date_range, sources, generated)
    gaz = gazetteer or load_gazetteer()
    frame = events_frame(filter_events(events_fc, keys))
    # a type the taxonomy does not know is drawn and counted as "other", as on the map
    frame["event_type"] = frame["event_type"].where(frame["event_type"].isin(TYPE_KEYS), "other")
    placed = frame[_present(frame.geometry)]
    view = make_view(bbox or default_extent(placed), page.aspect) if bbox or len(placed) else None
    vis = visible_events(placed, view) if view is not None and len(placed) else placed
    if view is None or vis.empty:
        draw_no_match(page, _no_match_detail(keys, len(frame), len(placed)), view, gaz.countries)
        return page.fig
    draw_map(page, vis, view, gaz, ground)
    ground_items = ()
    if ground is not None:
        from geo.control.draw import ground_key

        ground_items = ground_key(ground)
    draw_legend(page.panel, vis, hidden=len(frame) - len(vis), ground_items=ground_items)
    return page.fig


def render_briefing(events_fc: dict[str, Any], *, types: Iterable[str] | None = None,
                    bbox: Sequence[float] | None = None, title: str | None = None,
                    sources: Sequence[str] = (), date_range: Sequence[str] | None = None,
                    scale: float = 1.0, fmt: str = "png", banner: str | None = None,
                    generated: dt.datetime | None = None, gazetteer=None, ground=None) -> bytes:
    """The briefing page for an events collection, as PNG or PDF bytes.

    Parameters
    ----------
    events_fc
        Events as a GeoJSON FeatureCollection (``geo.exchange.layers.events_collection``).
    types
        Event-type keys to show; ``None`` shows every type.
    bbox
        ``(minlon, minlat, maxlon, maxlat)`` to show; ``None`` fits the local events.
    title, sources, date_range
        The heading, the report names for the source line, and ``[first, last]`` ISO dates.
    scale
        Resolution factor: 1 gives 1920x1080 px, 2 gives 3840x2160.
    fmt
        ``"png"`` or ``"pdf"`` (the same page, for print).
    banner
        Handling line for the top and bottom bars; ``None`` takes ``settings.BANNER``,
        ``""`` shows none.
    generated
        The time stamped on the page; ``None`` is now (UTC).
    gazetteer
        The gazetteer for the basemap and city names; ``None`` loads the shared one.
    ground
        Areas of control to draw under the events (a :class:`geo.control.view.ControlView`:
        shading, front line, gains and losses, with the layer's date and source in the key).

    Returns
    -------
    bytes
        The encoded image.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, not {fmt!r}")
    fig = build_figure(events_fc, types=types, bbox=bbox, title=title, sources=sources,
                       date_range=date_range, scale=scale, banner=banner, generated=generated,
                       gazetteer=gazetteer, ground=ground)
    buf = _bytes_io.BytesIO()
    meta = {"Title": title or "Situation map"} if fmt == "pdf" else {"Software": "Sitmap"}
    fig.savefig(buf, format=fmt, dpi=fig.dpi, metadata=meta)
    return buf.getvalue()


def format_for(out: str) -> str:
    suffix = Path(out).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise io.BadInput(f"{out}: the output must end in .png or .pdf")
    return suffix
