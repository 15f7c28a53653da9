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
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import geopandas as gpd
from matplotlib.figure import Figure

from geo import io, settings
from geo.briefing.frame import (
    FORMATS,
    Page,
    View,
    _draw_frame,
    _new_page,
    _present,
    check_bbox,
    check_types,
    default_extent,
    draw_basemap,
    filter_events,
    make_view,
)
from geo.briefing.labels import (
    _no_match_detail,
    context_cities,
    country_units,
    draw_legend,
    draw_no_match,
    draw_north_arrow,
    draw_scale_bar,
    event_place_labels,
    label_points,
    place_units,
)
from geo.briefing.marks import (
    Occupancy,
    _pt,
    draw_areas,
    draw_lines,
    draw_points,
    draw_rings,
    visible_events,
)
from geo.exchange.layers import events_frame
from geo.taxonomy import TYPE_KEYS

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
    areas = draw_areas(ax, vis[vis.role.isin(("area", "approx"))], view, shown)
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
