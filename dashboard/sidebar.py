"""The sidebar: filters (mirrored in the URL) and the situation status.

The pure part (``place_items``, ``situation_line``...) turns the store's
status into lines and is tested without Streamlit; the ``render_*``
functions draw them.  Report text reaches Streamlit's markdown only through
:func:`dashboard.safehtml.md` and its HTML only through :func:`dashboard.safehtml.esc`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard import filters as flt
from dashboard.safehtml import colour, esc, md
from geo import taxonomy
from geo.gazetteer.labels import label_setting, place_label
from geo.store.corrections import ADDED_SOURCE
from geo.status import PLACE_STATES
from geo.store import EventFilter, Facets

MAX_PLACES = 12
"""Places listed in the status; the rest are counted."""

FOCUS_ZOOM = 9
_INIT_FLAG = "_filters_from_url"
_OPTIONS_SEEN = "_type_options_seen"
_DATES_SEEN = "_date_range_seen"


@dataclass(frozen=True, slots=True)
class PlaceItem:
    """One line of the place status: a name, what holds for it, where it is."""

    name: str
    summary: str
    lat: float | None
    lon: float | None
    rank: int  # 0 captured, 1 encircled, 2 under attack, 3 contested, 4 a capture denied or failed


_RANK = {"captured": 0, "encircled": 1, "under_attack": 2, "contested": 3, "capture_denied": 4,
         "capture_failed": 4}


def place_items(status: Mapping[str, Any], limit: int = MAX_PLACES,
                labels: str = "canonical") -> tuple[list[PlaceItem], int]:
    """The places to list, most severe state first, and how many were left out (``labels``:
    ``"uk"`` names them in Ukrainian where the gazetteer knows how)."""
    items = []
    for name, entry in (status.get("places") or {}).items():
        states = entry.get("states") or {}
        rank = min((_RANK.get(s, len(_RANK)) for s in states if s in PLACE_STATES), default=len(_RANK))
        label = place_label(name, entry.get("lat"), entry.get("lon"), labels)
        items.append(PlaceItem(label, entry.get("summary") or "", entry.get("lat"), entry.get("lon"), rank))
    items.sort(key=lambda p: (p.rank, p.name))
    return items[:limit], max(0, len(items) - limit)


def situation_line(status: Mapping[str, Any]) -> str:
    """"Day 5 of the war · report of 2022-02-28", or what is known of it."""
    parts = []
    if status.get("war_day"):
        parts.append(f"Day {status['war_day']} of the war")
    if status.get("report_date"):
        rng = status.get("date_range") or []
        if len(rng) == 2 and rng[0] != rng[1]:
            parts.append(f"reports of {rng[0]} to {rng[1]}")
        else:
            parts.append(f"report of {status['report_date']}")
    return " · ".join(parts) or "No dated report"


def count_rows(counts: Mapping[str, int]) -> list[tuple[str, str, str, int]]:
    """(type key, label, colour, count) for each type with events, in taxonomy order."""
    return [(k, taxonomy.get(k).label, colour(taxonomy.get(k).colour), n) for k, n in counts.items() if n]


def counts_html(counts: Mapping[str, int]) -> str:
    """The per-type counts as a small table with the taxonomy's colours."""
    rows = "".join(
        f'<tr><td><span style="display:inline-block;width:10px;height:10px;border-radius:50%;'
        f'background:{c}"></span> {esc(label)}</td><td style="text-align:right">{n}</td></tr>'
        for _, label, c, n in count_rows(counts))
    if not rows:
        return '<p class="sm-none">No events match the filters.</p>'
    return f'<table class="sm-counts" style="width:100%;font-size:0.9rem">{rows}</table>'


HEADLINE_CSS = (
    "<style>.sm-headline{border:1px solid rgba(49,51,63,.2);border-radius:.5rem;margin:0 0 .5rem 0;"
    "padding:.45rem .75rem;font-size:.92rem}.sm-headline summary{cursor:pointer;line-height:1.4}"
    ".sm-headline blockquote{margin:.5rem 0 .25rem 0;padding-left:.6rem;border-left:3px solid "
    "rgba(49,51,63,.25);color:inherit}.sm-headline .sm-src{color:rgba(49,51,63,.6);font-size:.8rem}"
    "</style>")


def labelled_headlines(status: Mapping[str, Any], labels: str) -> list[Mapping[str, Any]]:
    """The headlines, the place each is about named by its label ("Бердянськ captured by Russia")."""
    headlines = status.get("headlines") or []
    if labels != "uk":
        return headlines
    places = status.get("places") or {}
    out = []
    for h in headlines:
        place = str(h.get("key") or "").partition(":")[2]
        entry = places.get(place) or {}
        label = place_label(place, entry.get("lat"), entry.get("lon"), labels) if place else None
        out.append({**h, "text": h["text"].replace(place, label)} if label and label != place else h)
    return out


def labelled_events(events_fc: Mapping[str, Any], labels: str) -> Mapping[str, Any]:
    """An events collection whose ``place`` properties are the places' labels (the briefing's
    labels follow the sidebar's setting); the store's collection is left as it is."""
    if labels != "uk":
        return events_fc
    features = []
    for f in events_fc.get("features") or []:
        p = f.get("properties") or {}
        label = place_label(p.get("place"), p.get("lat"), p.get("lon"), labels)
        features.append({**f, "properties": {**p, "place": label}} if label != p.get("place") else f)
    return {**events_fc, "features": features}


LABELS_KEY = "place_labels_uk"


def label_choice() -> str:
    """``"uk"`` when places are to be labelled in Ukrainian: the sidebar's toggle, which starts
    as ``SITMAP_LABELS`` says."""
    if LABELS_KEY not in st.session_state:
        st.session_state[LABELS_KEY] = label_setting() == "uk"
    return "uk" if st.session_state[LABELS_KEY] else "canonical"


def render_label_toggle() -> None:
    st.toggle("Place names in Ukrainian", key=LABELS_KEY,
              help="Label the map, the place list, the headlines and the briefing with the places' "
                   "Ukrainian names (Київ, Харків); off: the canonical names. SITMAP_LABELS=uk turns it on.")


def headlines_html(headlines: list[Mapping[str, Any]]) -> str:
    """The headlines, each a folded ``<details>`` opening on its quote and source.

    One block instead of an expander per headline: the browser lays out one
    element rather than three for each, before it starts the map.  Every text
    from a report goes through :func:`esc`.
    """
    items = []
    for h in headlines:
        source = " ".join(str(x) for x in (h.get("source"), h.get("date")) if x)
        items.append(f'<details class="sm-headline"><summary>{esc(h["text"])}</summary>'
                     f'<blockquote>{esc(h.get("quote") or "")}</blockquote>'
                     + (f'<div class="sm-src">{esc(source)}</div>' if source else "") + "</details>")
    return HEADLINE_CSS + "".join(items)


# -- filters ---------------------------------------------------------------------


def _init_from_url(facets: Facets) -> None:
    """On a session's first run, set the widgets from the URL's query parameters."""
    if st.session_state.get(_INIT_FLAG):
        return
    params = {name: st.query_params.get_all(name) for name in flt.PARAMS}
    selection = flt.filter_from_params(params, facets)
    st.session_state.update(flt.widget_values(selection, facets))
    st.session_state["f_bbox"] = selection.bbox
    st.session_state[_OPTIONS_SEEN] = list(facets.types)
    st.session_state[_INIT_FLAG] = True


def _keep_valid(facets: Facets) -> None:
    """Fit the widget values to the store as it is now (reports come and go)."""
    key = flt.WIDGET_KEYS["types"]
    seen = st.session_state.get(_OPTIONS_SEEN, [])
    chosen = st.session_state.get(key, [])
    if set(chosen) >= set(seen):  # everything was selected: keep it so for new types
        chosen = list(facets.types)
    st.session_state[key] = [t for t in chosen if t in facets.types]
    st.session_state[_OPTIONS_SEEN] = list(facets.types)
    for name, allowed in (("actors", facets.actors), ("certainty", facets.certainties),
                          ("sources", facets.sources)):
        k = flt.WIDGET_KEYS[name]
        st.session_state[k] = [v for v in st.session_state.get(k, []) if v in allowed]
    _clamp_dates(facets)


def _clamp_dates(facets: Facets) -> None:
    key = flt.WIDGET_KEYS["dates"]
    if not (facets.date_min and facets.date_max):
        st.session_state.pop(key, None)
        return
    lo, hi = dt.date.fromisoformat(facets.date_min), dt.date.fromisoformat(facets.date_max)
    dates = [d for d in (st.session_state.get(key) or ()) if d]
    seen = st.session_state.get(_DATES_SEEN)
    if not dates or (seen and tuple(dates) == seen):
        dates = [lo, hi]  # the whole range was shown: keep showing all of it as reports arrive
    if len(dates) == 1:  # the range slider needs both ends
        dates.append(hi)
    st.session_state[key] = tuple(min(max(d, lo), hi) for d in dates)
    st.session_state[_DATES_SEEN] = (lo, hi)


def current_selection(facets: Facets) -> EventFilter:
    """The selection the filter widgets hold, before they are drawn; the URL follows it.

    Widget values are in the session state when a run starts (or come from
    the URL on a session's first run), so the map can be drawn, and sent to
    the browser, ahead of the sidebar.
    """
    _init_from_url(facets)
    _keep_valid(facets)
    selection = flt.filter_from_widgets(st.session_state, facets, st.session_state.get("f_bbox"))
    sync_url(selection)
    return selection


def _clear_bbox() -> None:
    st.session_state["f_bbox"] = None


def _source_label(source: str) -> str:
    """Events typed in by analysts are listed as such, not as a report called "analyst"."""
    return "Added by hand" if source == ADDED_SOURCE else source


def render_filters(facets: Facets, selection: EventFilter) -> None:
    """Draw the filter widgets (their values: :func:`current_selection`)."""
    label = lambda k: taxonomy.get(k).label  # noqa: E731
    st.multiselect("Event types", facets.types, format_func=label, key=flt.WIDGET_KEYS["types"])
    if facets.date_min and facets.date_max and facets.date_min < facets.date_max:
        # a range slider applies as the handle is let go; a date field only once it lost focus
        st.slider("Dates", min_value=dt.date.fromisoformat(facets.date_min),
                  max_value=dt.date.fromisoformat(facets.date_max), key=flt.WIDGET_KEYS["dates"],
                  step=dt.timedelta(days=1), format="YYYY-MM-DD")
    st.multiselect("Actors", facets.actors, key=flt.WIDGET_KEYS["actors"], placeholder="any actor")
    st.multiselect("Certainty", facets.certainties, key=flt.WIDGET_KEYS["certainty"],
                   placeholder="any certainty")
    st.multiselect("Source reports", facets.sources, key=flt.WIDGET_KEYS["sources"],
                   placeholder="every report", format_func=_source_label)
    st.text_input("Search quotes", key=flt.WIDGET_KEYS["text"], placeholder="e.g. surrounded")
    if selection.bbox is not None:
        st.button("Clear the area filter", key="f_bbox_clear", on_click=_clear_bbox)


def sync_url(selection: EventFilter) -> None:
    """Write the selection into the URL; parameters that are not filters stay."""
    wanted = flt.params_from_filter(selection)
    for name in flt.PARAMS:
        current = st.query_params.get_all(name)
        if name in wanted and current != wanted[name]:
            st.query_params[name] = wanted[name]
        elif name not in wanted and current:
            del st.query_params[name]


# -- status --------------------------------------------------------------------


def focus_on(lat: float, lon: float, zoom: int = FOCUS_ZOOM) -> None:
    """Ask the map to centre on a place (read by the map on the next run)."""
    clicks = st.session_state.get("map_focus", {}).get("clicks", 0) + 1
    # a hair's shift makes a second click on the same place move the map again
    st.session_state["map_focus"] = {"center": (lat + clicks * 1e-7, lon), "zoom": zoom, "clicks": clicks}


def render_status(status: Mapping[str, Any], on_focus: Callable[[float, float], None] = focus_on,
                  as_of: dt.date | None = None, labels: str = "canonical") -> None:
    """The situation: day and date, place status, headlines, counts per type.

    ``as_of`` names the day the timeline is set to (``None``: the latest).
    """
    st.subheader("Situation" if as_of is None else f"Situation as of {as_of.isoformat()}")
    st.markdown(f"**{md(situation_line(status))}**")
    items, more = place_items(status, labels=labels)
    if items:
        st.caption("Places (click to zoom the map)")
    for i, p in enumerate(items):
        st.button(f"**{md(p.name)}**: {md(p.summary)}", key=f"place_{i}_{p.name}",
                  disabled=p.lat is None, on_click=on_focus, args=(p.lat, p.lon),
                  width="stretch", type="tertiary")
    if more:
        st.caption(f"and {more} more places")
    headlines = labelled_headlines(status, labels)
    if headlines:
        st.caption("Headlines")
        st.html(headlines_html(headlines))
    st.caption(f"Events shown: {sum((status.get('counts') or {}).values())}")
    st.html(counts_html(status.get("counts") or {}))
