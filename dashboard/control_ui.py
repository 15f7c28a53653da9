"""Areas of control on the map: the held ground, the front line and what changed, as of the slider's day.

Hooks, each a line or two elsewhere: ``app.py`` adds :func:`layer_days` to the
timeline's days, :func:`map_groups` to the map's swapped-in layers,
:func:`render_sidebar` to the sidebar and :func:`annotate` to the events
(the popup of a capture then says whether the ground agrees:
:func:`dashboard.safehtml.control_check_html`).  With no control layer in the store every one of them
gives nothing, and the page is as it was.

The map gets FeatureGroups through ``st_folium(feature_group_to_add=...)``,
as the event layers do, so stepping or playing through the days swaps them
without touching the view.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

import folium
import streamlit as st

from dashboard.safehtml import esc
from geo.control.check import CHECKED_TYPES, control_check
from geo.control.layers import ControlLayer, latest_on_or_before
from geo.control.storage import ControlStore, ControlStoreError, open_control_store
from geo.control.view import ControlView, control_view
from geo.store import EventFilter, Store

SINCE_KEY = "control_since"
SINCE_DATE_KEY = "control_since_date"
SHOW_KEY = "control_show"
SINCE_CHOICES = ("nothing", "the day before", "a week before", "a date")

# held ground in a muted red under the events; gains in a strong red, losses in blue, hatched by dashes
OCCUPIED_STYLE = {"color": "#b71c1c", "weight": 0, "fillColor": "#e53935", "fillOpacity": 0.22}
FRONT_STYLE = {"color": "#8b0000", "weight": 2.5, "opacity": 0.95, "fill": False}
FRONT_BEFORE_STYLE = {"color": "#37474f", "weight": 2, "opacity": 0.9, "dashArray": "6 5", "fill": False}
GAINED_STYLE = {"color": "#6a0000", "weight": 1.5, "fillColor": "#ff1744", "fillOpacity": 0.65}
LOST_STYLE = {"color": "#0d47a1", "weight": 1.5, "dashArray": "4 3", "fillColor": "#2979ff",
              "fillOpacity": 0.55}
MAX_SETTLEMENTS = 30
MAX_CLAIMS = 20


@st.cache_resource(show_spinner=False)
def get_control_store(url: str) -> ControlStore | None:
    try:
        return open_control_store(url)
    except ControlStoreError:
        return None


def layer_index(url: str) -> tuple[tuple[str, str, str], ...]:
    """Every occupied-area layer as (date, source, sha256): one light read a run, which the
    page passes to the functions below."""
    store = get_control_store(url)
    return tuple(tuple(row) for row in store.index()) if store is not None else ()


def layer_days(index: tuple) -> tuple[str, ...]:
    """The days with a control layer (from :func:`layer_index`), for the timeline."""
    return tuple(d for d, _, _ in index)


@st.cache_resource(max_entries=4, show_spinner=False)
def _all_layers(url: str, index: tuple) -> tuple[ControlLayer, ...]:
    store = get_control_store(url)
    return tuple(store.layers()) if store is not None else ()


@st.cache_resource(show_spinner=False)
def _ground():
    """Ukraine's outline and its settlements, from the gazetteer (loaded once per process)."""
    from geo.control.change import gazetteer_settlements
    from geo.gazetteer.loader import load_gazetteer

    gazetteer = load_gazetteer()
    return gazetteer.country_shape("UA"), gazetteer_settlements(gazetteer)


@st.cache_resource(max_entries=64, show_spinner=False)
def _view(layer_key: tuple, earlier_key: tuple | None, _layer: ControlLayer,
          _earlier: ControlLayer | None) -> ControlView:
    country, settlements = _ground()
    return control_view(_layer, country, _earlier, settlements)


def since_day(as_of: dt.date) -> dt.date | None:
    """The day the "changes since" choice compares with (``None``: show no change)."""
    choice = st.session_state.get(SINCE_KEY, SINCE_CHOICES[0])
    if choice == "the day before":
        return as_of - dt.timedelta(days=1)
    if choice == "a week before":
        return as_of - dt.timedelta(days=7)
    if choice == "a date":
        value = st.session_state.get(SINCE_DATE_KEY)
        return value if isinstance(value, dt.date) and value < as_of else None
    return None


def current_view(url: str, index: tuple, as_of: dt.date | None) -> ControlView | None:
    """The ground shown for the slider's day (``None``: the latest layer), or ``None`` for none."""
    if not index or not st.session_state.get(SHOW_KEY, True):
        return None
    layers = list(_all_layers(url, index))
    day = as_of or dt.date.fromisoformat(index[-1][0])
    layer = latest_on_or_before(layers, day.isoformat())
    if layer is None:
        return None
    ref_day = since_day(day)
    earlier = latest_on_or_before(layers, ref_day.isoformat()) if ref_day else None
    key = (layer.date, layer.sha256)
    return _view(key, (earlier.date, earlier.sha256) if earlier else None, layer, earlier)


def _geojson_group(name: str, geometry: dict | None, style: dict, tip: str) -> folium.GeoJson | None:
    if not geometry or not geometry.get("coordinates"):
        return None
    # the tooltip is HTML to Leaflet: the source's name is escaped like any report text
    return folium.GeoJson({"type": "Feature", "geometry": geometry, "properties": {}},
                          name=name, control=False, pane="sm-areas", interactive=True,
                          style_function=lambda _, s=style: s, smooth_factor=1.0, tooltip=esc(tip))


def map_groups(view: ControlView | None) -> list[folium.FeatureGroup]:
    """The control layers for the map: held ground, front line, and gained and lost ground."""
    if view is None:
        return []
    label = f"{esc(view.date)} · {esc(view.source)}"
    held = folium.FeatureGroup(
        name=f'<span style="color:{OCCUPIED_STYLE["fillColor"]}">&#9632;</span> Occupied {label} '
             f'<span class="sm-n">({view.area_km2:,.0f} km²)</span>', overlay=True, control=True, show=True)
    parts = [(held, "Occupied area", view.occupied, OCCUPIED_STYLE,
              f"Occupied on {view.date} ({view.source}): {view.area_km2:,.0f} km²"),
             (held, "Front line", view.front, FRONT_STYLE, f"Front line on {view.date}: {view.front_km:,.0f} km")]
    groups = [held]
    if view.since is not None:
        changes = folium.FeatureGroup(
            name=f'<span style="color:{GAINED_STYLE["fillColor"]}">&#9632;</span> Gained '
                 f'{view.gained_km2:,.1f} km² · <span style="color:{LOST_STYLE["fillColor"]}">&#9632;</span> '
                 f'Lost {view.lost_km2:,.1f} km² since {esc(view.since)}', overlay=True, control=True, show=True)
        parts += [(changes, "Gained", view.gained, GAINED_STYLE,
                   f"Occupied since {view.since}: {view.gained_km2:,.1f} km² in all"),
                  (changes, "Lost", view.lost, LOST_STYLE, f"No longer occupied since {view.since}: "
                                                           f"{view.lost_km2:,.1f} km² in all"),
                  (changes, "Front line before", view.front_before, FRONT_BEFORE_STYLE,
                   f"Front line on {view.since}: {view.front_before_km:,.0f} km")]
        groups.append(changes)
    for group, name, geometry, style, tip in parts:
        drawn = _geojson_group(name, geometry, style, tip)
        if drawn is not None:
            drawn.add_to(group)
    return groups


def caption(view: ControlView | None) -> str:
    if view is None:
        return ""
    text = (f"Ground as of {view.date} ({view.source}): {view.area_km2:,.0f} km² occupied, "
            f"front line {view.front_km:,.0f} km")
    if view.since:
        text += f"; since {view.since}: {view.gained_km2:,.1f} km² gained, {view.lost_km2:,.1f} km² lost"
    return text


# -- claims ------------------------------------------------------------------------------------


def annotate(url: str, index: tuple):
    """A function giving events their ``control_check`` (``None`` with no layers: nothing changes)."""
    if not index:
        return None
    layers = _all_layers(url, index)

    def with_checks(events_fc: dict) -> dict:
        checks = control_check((f["properties"] for f in events_fc["features"]), layers, _ground()[0])
        if not checks:
            return events_fc
        features = [{**f, "properties": {**f["properties"], "control_check": checks[f["properties"]["id"]].to_dict()}}
                    if f["properties"].get("id") in checks else f for f in events_fc["features"]]
        return {**events_fc, "features": features}

    return with_checks


def contradicted_claims(store: Store, selection: EventFilter, url: str, index: tuple) -> list[dict]:
    """The selection's claims that the map contradicts, newest first: place, quote, map date."""
    check = annotate(url, index)
    if check is None:
        return []
    claims = store.query_events(dataclasses.replace(selection, types=CHECKED_TYPES))
    rows = [f["properties"] for f in check(claims)["features"]]
    bad = [p for p in rows if (p.get("control_check") or {}).get("status") == "contradicted"]
    return sorted(bad, key=lambda p: p.get("date") or "", reverse=True)


# -- sidebar -----------------------------------------------------------------------------------


def render_sidebar(view: ControlView | None, claims: Sequence[dict], has_layers: bool) -> None:
    """Areas of control: show or hide, "changes since", the settlements and the claims to verify."""
    if not has_layers:
        return
    st.subheader("Areas of control")
    st.toggle("Show areas of control", value=True, key=SHOW_KEY)
    st.radio("Changes since", SINCE_CHOICES, key=SINCE_KEY, horizontal=True)
    if st.session_state.get(SINCE_KEY) == "a date":
        st.date_input("Compare with", key=SINCE_DATE_KEY, value=None)
    if view is not None:
        if view.since is not None:
            if view.settlements:
                st.caption(f"Settlements that changed hands since {view.since}")
                st.html("<ul class='sm-towns'>" + "".join(
                    f"<li>{esc(s['name'])}: {'taken' if s['change'] == 'gained' else 'freed'}</li>"
                    for s in view.settlements[:MAX_SETTLEMENTS]) + "</ul>")
                if len(view.settlements) > MAX_SETTLEMENTS:
                    st.caption(f"and {len(view.settlements) - MAX_SETTLEMENTS} more")
            else:
                st.caption(f"No settlement changed hands since {view.since}")
    if claims:
        st.caption(f"Claims to verify ({len(claims)}): the map of control disagrees")
        st.html("".join(
            f"<div class='sm-claim'><b>{esc(p.get('place'))}</b> · {esc(p.get('date'))} · "
            f"map of {esc(p['control_check'].get('layer_date'))}<blockquote class='sm-quote'>"
            f"{esc(p.get('quote'))}</blockquote></div>" for p in claims[:MAX_CLAIMS]))
