"""The situation map: an offline basemap plus one GeoJson layer per event type.

The map comes in two parts so that a filter change does not reload it:

- :func:`base_map` is the same on every rerun (land, labels, legend, panes),
  so ``st_folium`` keeps the browser's map and its view;
- :func:`event_groups` makes one ``FeatureGroup`` per event type, which
  ``st_folium`` swaps in place (``feature_group_to_add``).

Events at the same place, of the same type and with the same shape are drawn
once, with every event in the popup.  Above ``DETAIL_LIMIT`` matching
events the store aggregates them on a grid instead, so a 100k-event store
still sends a page of a few hundred kilobytes.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import folium
import shapely
from branca.element import Element
from folium.utilities import JsCode

from dashboard import basemap, served
from dashboard.map_elements import Declutter, FitView, Legend, LinkedGeoJson, PageLinks
from dashboard.offline import keep_only_assets, offline_map
from dashboard.safehtml import (
    MAP_CSS,
    cell_popup_body,
    claim_status,
    colour,
    esc,
    event_popup_body,
    legend_html,
    popup_head,
    tooltip_html,
)
from geo import taxonomy
from geo.geojson import APPROX_RADIUS_KM, geodesic_disc
from geo.records import APPROXIMATE
from geo.gazetteer.labels import place_label
from geo.store import Cell, EventFilter, Facets, Store

DETAIL_LIMIT = 2_000
"""Up to this many matching events are drawn one by one; beyond, on a grid."""

TARGET_CELLS = 1_500
"""About how many grid cells an aggregated map should have."""

MAX_CELL_DEG = 4.0
MIN_CELL_DEG = 1 / 32  # about 3 km

COUNTRY_SPAN_DEG = 3.0
"""An aggregated shape wider than this is drawn lightly, as a country (cells carry no place kind)."""

PANES = (("sm-land", 150, False), ("sm-areas", 390, True), ("sm-points", 420, True),
         ("sm-labels", 610, False))
"""Leaflet panes, bottom to top: shapes never hide the points drawn above them."""

MAP_HEIGHT = 640

VIEW_PARAM = "view"
"""``?view=lat,lon,zoom``: the map's centre and zoom, written by the browser as the analyst moves it."""

MAP_ASSETS = ("leaflet", "leaflet_css", "awesome_markers_font_css")
"""The vendored files the map uses: Leaflet, and Font Awesome for the taxonomy's icons."""


@dataclass(frozen=True, slots=True)
class Layer:
    """The drawn features of one event type and how many events they hold."""

    event_type: str
    features: tuple[dict, ...]
    events: int


@dataclass(frozen=True, slots=True)
class MapContent:
    """What the event layers show, and whether it is aggregated."""

    layers: tuple[Layer, ...]
    total: int  # matching events, drawn or not
    unplaced: int  # matching events with no geometry (not on the map)
    cell_deg: float | None = None  # the grid size when aggregated

    @property
    def aggregated(self) -> bool:
        return self.cell_deg is not None

    @property
    def feature_count(self) -> int:
        return sum(len(layer.features) for layer in self.layers)


def view_from_param(value: str | None) -> tuple[tuple[float, float], float] | None:
    """``((lat, lon), zoom)`` from ``?view=lat,lon,zoom``; ``None`` when absent or not three numbers in range."""
    try:
        lat, lon, zoom = (float(v) for v in (value or "").split(","))
    except ValueError:
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180 and 1 <= zoom <= 19):
        return None
    return (lat, lon), zoom


# -- styles -------------------------------------------------------------------


def shape_kind(geometry: dict, place_kind: str | None, precision: str | None = None) -> str:
    """How a geometry is drawn: a point, a line, a country outline, an area, or an
    approximate area (an event known only to its oblast, raion or hromada)."""
    if precision in APPROXIMATE and precision != "country":
        return "approx"
    gtype = geometry["type"]
    if gtype in ("Point", "MultiPoint"):
        return "pt"
    if "LineString" in gtype:
        return "line"
    return "country" if place_kind == "country" else "area"


def styles(event_type: str) -> dict[str, dict]:
    """Leaflet path styles per shape kind, in the type's taxonomy colour."""
    c = colour(taxonomy.get(event_type).colour)
    return {
        "pt": {"color": "#ffffff", "weight": 1.5, "fillColor": c, "fillOpacity": 0.9, "opacity": 1},
        "line": {"color": c, "weight": 4, "opacity": 0.9, "fill": False},
        # countries stay light: a filled Russia would hide half the map
        "country": {"color": c, "weight": 1.5, "opacity": 0.8, "dashArray": "6 4",
                    "fillColor": c, "fillOpacity": 0.05},
        "area": {"color": c, "weight": 2, "opacity": 0.9, "fillColor": c, "fillOpacity": 0.2},
        # only the oblast or raion is known: a long-dashed outline, a faint fill, never a point
        "approx": {"color": c, "weight": 2.5, "opacity": 0.9, "dashArray": "10 6",
                   "fillColor": c, "fillOpacity": 0.08},
    }


@functools.lru_cache(maxsize=1024)
def _disc(lon: float, lat: float, km: float) -> dict:
    return geodesic_disc(lon, lat, km)


def approximate_geometry(geometry: dict, precision: str | None) -> dict:
    """What an event is drawn as: a point known only to its hromada or raion becomes a disc."""
    km = APPROX_RADIUS_KM.get(precision or "")
    if km is None or geometry.get("type") != "Point":
        return geometry
    lon, lat = geometry["coordinates"][:2]
    return _disc(float(lon), float(lat), km)


def with_trust_styles(base: dict[str, dict], c: str) -> dict[str, dict]:
    """``base`` plus a dashed variant per shape for claimed events (``pt~claimed``) and a
    hollow dashed one for denied or failed ones (``pt~denied``, ``pt~failed``): an analyst
    never reads a denied claim as a fact."""
    out = dict(base)
    for kind, style in base.items():
        out[f"{kind}~claimed"] = {**style, "dashArray": "4 3", "fillOpacity": min(0.5, style.get("fillOpacity", 0.5))}
        hollow = {**style, "color": c, "weight": 2.5, "dashArray": "2 4", "fillOpacity": 0.08, "opacity": 1}
        out[f"{kind}~denied"] = out[f"{kind}~failed"] = hollow
    return out


def radius(count: int) -> float:
    """Circle radius in pixels: grows with the log of the events it stands for."""
    return round(min(22.0, 7.0 + 3.0 * math.log2(max(1, count))), 1)


@functools.lru_cache(maxsize=512)
def _drawn(geometry_json: str) -> dict:
    shape = shapely.from_geojson(geometry_json)
    # about 1/300 of the shape's size: Russia at 0.1 degrees, a city ring at 0.005
    tolerance = min(0.1, max(0.002, math.sqrt(shape.area or shape.length ** 2) / 300))
    simple = shapely.simplify(shape, tolerance, preserve_topology=True)
    if simple.geom_type == "MultiPolygon":  # islets smaller than a few pixels only cost bytes
        parts = [p for p in shapely.get_parts(simple) if p.area >= 4 * tolerance ** 2]
        simple = shapely.multipolygons(parts) if parts else simple
    return json.loads(shapely.to_geojson(basemap.rounded(simple, tolerance / 4)))


def drawn_geometry(geometry: dict) -> dict:
    """The geometry as drawn: points as they are, shapes simplified to the screen."""
    if geometry["type"] == "Point":
        return geometry
    return _drawn(json.dumps(geometry, sort_keys=True))


def shape_key(geometry: dict) -> str:
    """A short key shared by every feature drawn with the same shape (whatever its type)."""
    text = json.dumps(geometry, sort_keys=True, separators=(",", ":"))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _feature(geometry: dict, kind: str, count: int, popup: str, tip: str, label: str | None = None) -> dict:
    at = shape_key(geometry)
    geometry = drawn_geometry(geometry)
    # _popup: the body, escaped; _at: the shape, so one click lists every event drawn on it
    props = {"_k": kind, "_popup": popup, "_tip": tip, "n": count, "_at": at}
    is_point = kind.split("~")[0] == "pt"
    if label and is_point:
        props["_label"] = label  # a place name, escaped: drawn beside the point
    if is_point:
        props["_r"] = radius(count)
    return {"type": "Feature", "geometry": geometry, "properties": props}


# -- content --------------------------------------------------------------------


def group_events(events_fc: dict, editable: bool = True, labels: str = "canonical") -> MapContent:
    """One feature per (type, place, shape), newest event first in its popup.

    ``editable``: each event in a popup offers "Edit this event" (the store's
    events; an imported layer's are not the store's to edit).  ``labels``:
    ``"uk"`` labels the places with their Ukrainian names (:mod:`geo.gazetteer.labels`).
    """
    groups: dict[tuple[str, str, str], list[dict]] = {}
    shapes: dict[tuple[str, str, str], dict] = {}
    unplaced = 0
    for f in events_fc["features"]:
        p, g = f["properties"], f.get("geometry")
        if not g:
            unplaced += 1
            continue
        # a denied, failed or claimed event is drawn apart from the same type's facts there
        key = (p["event_type"], p.get("place") or "", json.dumps(g, sort_keys=True), claim_status(p) or "",
               p.get("precision") in APPROXIMATE)  # Pokrovsk the raion is not Pokrovsk the town
        groups.setdefault(key, []).append(p)
        shapes.setdefault(key, g)
    by_type: dict[str, list[dict]] = {}
    counts: dict[str, int] = {}
    for key, props in groups.items():
        props.sort(key=lambda p: (p.get("date") or "", p.get("source") or ""), reverse=True)
        etype, place, trust = key[0], key[1] or None, key[3]
        precision = props[0].get("precision")
        kind = shape_kind(shapes[key], props[0].get("place_kind"), precision) + (f"~{trust}" if trust else "")
        label = place_label(place, props[0].get("lat"), props[0].get("lon"), labels)
        tip = tooltip_html(etype, label, len(props)) + (f" ({trust})" if trust else "")
        if kind.startswith("approx"):
            tip += f" (approximate: only the {esc(precision)} is known)"
        by_type.setdefault(etype, []).append(
            _feature(approximate_geometry(shapes[key], precision), kind, len(props),
                     event_popup_body(props, editable=editable), tip, esc(label) if label else None))
        counts[etype] = counts.get(etype, 0) + len(props)
    return MapContent(_ordered_layers(by_type, counts), len(events_fc["features"]), unplaced)


def _ordered_layers(by_type: dict[str, list[dict]], counts: dict[str, int]) -> tuple[Layer, ...]:
    order = {k: i for i, k in enumerate(taxonomy.TYPE_KEYS)}
    keys = sorted(by_type, key=lambda k: (order.get(k, len(order)), k))
    return tuple(Layer(k, tuple(by_type[k]), counts[k]) for k in keys)


def cells_content(cells: Iterable[Cell], cell_deg: float, total: int, unplaced: int) -> MapContent:
    """Aggregated cells as features: a circle per grid cell, a shape per area."""
    by_type: dict[str, list[dict]] = {}
    counts: dict[str, int] = {}
    for c in cells:
        geometry = c.geometry or {"type": "Point", "coordinates": [round(c.lon, 4), round(c.lat, 4)]}
        kind = shape_kind(geometry, "country" if c.geometry and _spans(c.geometry) > COUNTRY_SPAN_DEG else None)
        place = c.places[0] if len(c.places) == 1 else None
        popup = cell_popup_body(c.count, c.places, c.date_min, c.date_max, c.quote)
        by_type.setdefault(c.event_type, []).append(
            _feature(geometry, kind, c.count, popup, tooltip_html(c.event_type, place, c.count),
                     esc(place) if place else None))
        counts[c.event_type] = counts.get(c.event_type, 0) + c.count
    return MapContent(_ordered_layers(by_type, counts), total, unplaced, cell_deg)


def _spans(geometry: dict) -> float:
    x0, y0, x1, y1 = shapely.bounds(shapely.from_geojson(json.dumps(geometry)))
    return max(x1 - x0, y1 - y0)


def cell_size(bbox: Sequence[float] | None, target: int = TARGET_CELLS) -> float:
    """A grid size (degrees, a power of two) giving about ``target`` cells over ``bbox``."""
    x0, y0, x1, y1 = bbox or basemap.THEATRE
    area = max((x1 - x0) * (y1 - y0), 1.0)
    raw = math.sqrt(area / max(1, target))
    return float(2 ** round(math.log2(min(MAX_CELL_DEG, max(MIN_CELL_DEG, raw)))))


def map_content(store: Store, filters: EventFilter, facets: Facets,
                detail_limit: int = DETAIL_LIMIT, annotate=None, labels: str = "canonical") -> MapContent:
    """The event layers for a selection: single events, or a grid above the limit.

    ``annotate``, if given, adds to the single events' properties before they are drawn
    (:func:`dashboard.control_ui.annotate`: each claim's check against the map of control).
    """
    total = store.count_events(filters)
    if total <= detail_limit:
        events = store.query_events(filters)
        return group_events(annotate(events) if annotate else events, labels=labels)
    # events without a geometry fall outside every box, so a world box leaves them out
    world = dataclasses.replace(filters, bbox=(-180.0, -90.0, 180.0, 90.0))
    unplaced = 0 if filters.bbox else total - store.count_events(world)
    cell, cells = _grid(store, filters, filters.bbox or facets.bbox,
                        len(filters.types if filters.types is not None else facets.types) or 1)
    return cells_content(cells, cell, total, unplaced)


def _grid(store: Store, filters: EventFilter, bbox: Sequence[float] | None,
          types: int) -> tuple[float, list[Cell]]:
    """The finest grid with at most ``TARGET_CELLS`` cells, and its cells."""
    # each type has its own cells: start coarser the more types are shown
    cell = cell_size(bbox, TARGET_CELLS // types)
    cells = store.aggregate(filters, cell)
    while len(cells) > TARGET_CELLS and cell < MAX_CELL_DEG:
        cell *= 2
        cells = store.aggregate(filters, cell)
    while len(cells) < TARGET_CELLS // 4 and cell > MIN_CELL_DEG:
        finer = store.aggregate(filters, cell / 2)
        if len(finer) > TARGET_CELLS:
            break
        cell, cells = cell / 2, finer
    return cell, cells


# -- folium ---------------------------------------------------------------------

# the popup's head is the same for a whole layer, so it is sent once, here.  Every drawn
# layer is kept under its shape's key (_at): a click on a shape lists what every event layer
# draws there, type by type, not only the topmost (issue 20: an area's several types).
_ON_EACH = """function(feature, layer) {
    var p = feature.properties, s = %(styles)s[p._k];
    if (s && layer.setStyle) { layer.setStyle(s); }
    if (p._r && layer.setRadius) { layer.setRadius(p._r); }
    layer._smEntry = {type: %(type)s, order: %(order)d, html: %(head)s + p._popup};
    var reg = window.__smAt || (window.__smAt = {});
    (reg[p._at] = reg[p._at] || []).push(layer);
    layer.bindPopup(function () {
        var here = (reg[p._at] || []).filter(function (l) { return l._map; });
        reg[p._at] = here;
        if (!here.length) { here = [layer]; }
        here.sort(function (a, b) { return a._smEntry.order - b._smEntry.order; });
        var top = here.length > 1 ? '<div class="sm-types">' + here.length + ' types of event here</div>' : '';
        return '<div class="sm-popup">' + top + here.map(function (l) {
            return '<div class="sm-type-block">' + l._smEntry.html + '</div>'; }).join('') + '</div>';
    }, {maxWidth: 380, minWidth: 240, maxHeight: 420, autoPanPadding: [24, 24]});
    layer.bindTooltip(p._tip, {sticky: true, direction: "top", opacity: 0.95});
    if (p._label && layer.getLatLng) {  // the place's name beside it, ranked by its events
        var dx = Math.round(p._r || 7) + 3;
        var tag = L.marker(layer.getLatLng(), {pane: "sm-labels", interactive: false, keyboard: false,
            icon: L.divIcon({className: "sm-label-icon", iconSize: null, iconAnchor: [-dx, 9],
                html: '<span class="sm-label sm-label-event" data-rank="' + (100 + p.n) + '">' + p._label + '</span>'})});
        layer.on("add", function () { tag.addTo(layer._map); });
        layer.on("remove", function () { tag.remove(); });
    }
}"""


def _on_each(event_type: str, styles_by_kind: dict) -> JsCode:
    order = {k: i for i, k in enumerate(taxonomy.TYPE_KEYS)}.get(event_type, len(taxonomy.TYPE_KEYS))
    return JsCode(_ON_EACH % {"styles": json.dumps(styles_by_kind), "type": json.dumps(event_type),
                              "order": order, "head": json.dumps(popup_head(event_type))})


def type_group(layer: Layer) -> folium.FeatureGroup:
    """The FeatureGroup of one event type, holding one GeoJson of its features."""
    t = taxonomy.get(layer.event_type)
    name = (f'<span style="color:{colour(t.colour)}">&#9679;</span> {esc(t.label)} '
            f'<span class="sm-n">({layer.events})</span>')
    group = folium.FeatureGroup(name=name, overlay=True, control=True, show=True)
    point = folium.CircleMarker(radius=7, fill=True)
    point.options["pane"] = "sm-points"  # folium drops ``pane`` from path options
    folium.GeoJson(
        {"type": "FeatureCollection", "features": list(layer.features)},
        name=t.label, control=False, pane="sm-areas", marker=point,
        on_each_feature=_on_each(layer.event_type, with_trust_styles(styles(layer.event_type), colour(t.colour))),
    ).add_to(group)
    return group


IMPORTED_OUTLINE = "#1a1a1a"
"""Imported events are ringed in near-black, dashed, to tell them from the parsed ones."""


def imported_styles(event_type: str) -> dict[str, dict]:
    """The type's styles with a dark dashed outline: the same colours, another origin."""
    out = styles(event_type)
    out["pt"] = {**out["pt"], "color": IMPORTED_OUTLINE, "weight": 2, "dashArray": "3 2"}
    for kind in ("line", "country", "area"):
        out[kind] = {**out[kind], "dashArray": "2 4"}
    return out


def imported_group(layer_name: str, content: MapContent) -> folium.FeatureGroup:
    """One imported file as one toggleable group, "Imported: <layer> (n)", one GeoJson per type."""
    name = (f'<span style="color:{IMPORTED_OUTLINE}">&#9675;</span> Imported: {esc(layer_name)} '
            f'<span class="sm-n">({content.total})</span>')
    group = folium.FeatureGroup(name=name, overlay=True, control=True, show=True)
    for layer in content.layers:
        point = folium.CircleMarker(radius=7, fill=True)
        point.options["pane"] = "sm-points"
        folium.GeoJson(
            {"type": "FeatureCollection", "features": list(layer.features)},
            name=f"Imported: {layer_name}", control=False, pane="sm-areas", marker=point,
            on_each_feature=_on_each(layer.event_type, with_trust_styles(
                imported_styles(layer.event_type), colour(taxonomy.get(layer.event_type).colour))),
        ).add_to(group)
    return group


def imported_content(events_fc: dict, layer_name: str) -> MapContent:
    """An imported layer's events grouped as the parsed ones are, tooltips naming the layer."""
    return named_content(group_events(events_fc, editable=False), layer_name)


def named_content(content: MapContent, layer_name: str) -> MapContent:
    """The content with each tooltip starting "Imported: <layer> · "."""
    prefix = esc(f"Imported: {layer_name}") + " · "
    layers = tuple(dataclasses.replace(layer, features=tuple(
        {**f, "properties": {**f["properties"], "_tip": prefix + f["properties"]["_tip"]}}
        for f in layer.features)) for layer in content.layers)
    return dataclasses.replace(content, layers=layers)


def event_groups(content: MapContent) -> list[folium.FeatureGroup]:
    """One FeatureGroup per event type present, in taxonomy order."""
    return [type_group(layer) for layer in content.layers]


def layer_control() -> folium.LayerControl:
    # folded: open, it covered popups and the legend (issue 20)
    return folium.LayerControl(position="topright", collapsed=True)


def _add_panes(m: folium.Map) -> None:
    for name, z, interactive in PANES:
        folium.map.CustomPane(name, z_index=z, pointer_events=interactive).add_to(m)


def _add_online_tiles(m: folium.Map) -> None:
    import xyzservices.providers as xyz

    # tiles sit above the land pane: when they fail to load, the offline land shows through
    provider = xyz.OpenStreetMap.Mapnik
    folium.TileLayer(tiles=provider.build_url(), attr=provider.html_attribution,
                     name="OpenStreetMap", max_zoom=provider.get("max_zoom", 19),
                     control=False, overlay=False).add_to(m)


def base_map(facets: Facets, *, online_tiles: bool = False,
             places: basemap.Places | None = None, link_land: bool = False) -> folium.Map:
    """The part of the map that only changes when the store does.

    Parameters
    ----------
    facets
        The store's facets: its event bounds place the view and the detailed
        basemap, its types make the legend.
    online_tiles
        Add OpenStreetMap tiles under the events (off by default: offline).
    places
        The gazetteer's shapes and cities (:func:`dashboard.basemap.shipped_places`
        by default; a :class:`~geo.gazetteer.loader.Gazetteer` does too).
    link_land
        Have the browser fetch the shipped shapes' land from the app's static
        folder (:mod:`dashboard.served`) instead of carrying it in the map's
        script: the dashboard's choice; a standalone page keeps it inline.
    """
    region = basemap.region_around(facets.bbox)
    x0, y0, x1, y1 = basemap.view_bounds(facets.bbox)
    m = offline_map(location=((y0 + y1) / 2, (x0 + x1) / 2), zoom_start=6, control_scale=True,
                    min_zoom=2, world_copy_jump=True, zoom_snap=0.25)
    FitView([[y0, x0], [y1, x1]], skip_param=VIEW_PARAM if link_land else None).add_to(m)
    keep_only_assets(m, MAP_ASSETS)
    # doubled class: leaflet.css, linked after this, sets its own grey background
    sea = f".leaflet-container.leaflet-container{{background:{basemap.SEA_COLOUR}}}"
    m.get_root().header.add_child(Element(f"<style>{MAP_CSS}{sea}</style>"))
    _add_panes(m)
    # a caller's own shapes have no key to find their file by: their land stays inline
    url = _land_url(region) if link_land and places is None else None
    if url is not None:
        LinkedGeoJson(url, style=basemap.LAND_STYLE, pane="sm-land", interactive=False,
                      smoothFactor=1.5).add_to(m)
    else:
        folium.GeoJson(basemap.land(region, places), name="Land", control=False, pane="sm-land",
                       interactive=False, style_function=lambda _: basemap.LAND_STYLE,
                       smooth_factor=1.5).add_to(m)
    if online_tiles:
        _add_online_tiles(m)
    _add_labels(m, basemap.labels(region, places))
    Legend(legend_html(facets.types or taxonomy.TYPE_KEYS)).add_to(m)
    Declutter().add_to(m)
    if link_land:  # the dashboard's map (a downloaded page has no app to talk to)
        PageLinks(VIEW_PARAM).add_to(m)
    return m


def _land_url(region: basemap.Box) -> str | None:
    """The URL of the shipped shapes' land file: found by its inputs' key, made only when missing."""
    key = basemap.land_key(region)
    return served.published("land", key) or served.publish_json(basemap.land(region), "land", key)


_LABEL_JS = """function(feature, layer) {
    layer.setIcon(L.divIcon({className: "sm-label-icon sm-base-label", html: feature.properties.label,
                             iconSize: null, iconAnchor: [-4, 8]}));
}"""


def _add_labels(m: folium.Map, fc: dict) -> None:
    marker = folium.Marker(icon=folium.DivIcon(html="", class_name="sm-label-icon"))
    marker.options.update({"pane": "sm-labels", "interactive": False, "keyboard": False})
    folium.GeoJson(fc, name="Labels", control=False, marker=marker,
                   on_each_feature=JsCode(_LABEL_JS)).add_to(m)


def full_map(facets: Facets, content: MapContent, *, online_tiles: bool = False,
             places: basemap.Places | None = None,
             imported: Sequence[tuple[str, MapContent]] = ()) -> folium.Map:
    """The whole map in one folium object, for the standalone HTML download."""
    m = base_map(facets, online_tiles=online_tiles, places=places)
    for group in event_groups(content):
        group.add_to(m)
    for name, layer_content in imported:
        imported_group(name, layer_content).add_to(m)
    layer_control().add_to(m)
    return m
