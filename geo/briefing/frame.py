"""The briefing page's frame: its constants, checked inputs, the view, the page and the basemap."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pyproj
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from geo import io
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


