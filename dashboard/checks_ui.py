"""The sidebar's "Places to check": what the map can only draw roughly, and names nothing matched.

An event is listed when the report named a place the gazetteer does not know
(its ``unresolved`` names: "near Zzyxivka, Donetsk oblast") or when its place
is known only to its hromada, raion or oblast, or as an offset from another
place.  The analyst pins one in a click: a gazetteer place found by the name the
report gave (or another typed name), or typed coordinates.  Either is a
``move`` correction saved through :func:`dashboard.corrections_ui.save`, the
event editor's own path: the audit trail keeps who, when, before and after, and
the map draws the event at the pinned place from the next run on.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import streamlit as st

from dashboard import auth, corrections_ui
from dashboard.safehtml import md
from geo import taxonomy
from geo.gazetteer.regions import member_units
from geo.store import Store

CHECKED_PRECISIONS = frozenset({"offset", "hromada", "raion", "oblast"})
"""Event precisions worth an analyst's look (a whole country is how many events are meant)."""
SHOWN = 200
"""Events listed at most; the newest first."""
_PICK, _NAME, _CHOICE, _LAT, _LON = "check_pick", "check_name", "check_choice", "check_lat", "check_lon"
_ANALYST, _MESSAGE = "check_analyst", "_check_message"


def needs_check(props: dict[str, Any]) -> bool:
    """Whether an event's place is approximate or the report named a place nothing matched."""
    if props.get("false_positive"):
        return False
    if props.get("corrected") and "geometry" in (props.get("corrected_fields") or ()):
        return False  # an analyst has already put it somewhere
    return bool(props.get("unresolved")) or props.get("precision") in CHECKED_PRECISIONS


def places_to_check(events_fc: dict) -> list[dict[str, Any]]:
    """The properties of the events to check, newest first, at most ``SHOWN``."""
    found = [f["properties"] for f in events_fc["features"] if needs_check(f["properties"])]
    found.sort(key=lambda p: (p.get("date") or "", p.get("id") or ""), reverse=True)
    return found[:SHOWN]


def check_label(props: dict[str, Any]) -> str:
    """"Zzyxivka? · Strike · Donetska oblast (oblast) · 2022-03-01": what to check, first."""
    names = [f"{n}?" for n in props.get("unresolved") or ()]
    where = props.get("place") or "no place"
    if props.get("precision") in CHECKED_PRECISIONS:
        where += f" ({props['precision']})"
    parts = [", ".join(names), taxonomy.get(props["event_type"]).label, where, props.get("date") or "undated"]
    return " · ".join(p for p in parts if p)


CLOSE_SCORE = 85
"""How alike (RapidFuzz's ratio, 0-100) a settlement's name must be to a name nothing matched
to be offered: "Lysychanksk" finds Lysychansk, "Zzyxivka" nothing."""


@functools.lru_cache(maxsize=2)
def _settlements(gazetteer) -> tuple[list[str], np.ndarray]:
    rows = np.flatnonzero((np.asarray(gazetteer.cc) == "UA") & (np.asarray(gazetteer.kind) == "city"))
    return [str(n) for n in gazetteer.name[rows]], rows


def suggestions(name: str, within: str | None = None, gazetteer=None, limit: int = 8) -> list:
    """Gazetteer places for a name: those called so (settlements first), else Ukrainian
    settlements spelt alike; those in the oblast ``within`` (any of its names, e.g. the
    event's place) first."""
    if not name.strip():
        return []
    if gazetteer is None:
        from geo.gazetteer.loader import load_gazetteer

        gazetteer = load_gazetteer()
    # the oblast's code; Donbas's stands for both its oblasts (geo.gazetteer.regions)
    units = {u for r in gazetteer.lookup(within) if gazetteer.kind[r] == "admin1"
             for u in member_units(str(gazetteer.admin1[r]))} if within else set()
    wanted = " ".join(name.split()).casefold()
    found = [(str(gazetteer.admin1[r]) not in units, gazetteer.kind[r] != "city",  # a settlement is pinned
              str(gazetteer.name[r]).casefold() != wanted, -int(gazetteer.population[r]), int(r))
             for r in gazetteer.lookup(name.strip())]
    if not found:  # no place of that name: the settlements spelt most alike
        from rapidfuzz import fuzz, process, utils

        names, rows = _settlements(gazetteer)
        hits = process.extract(name.strip(), names, scorer=fuzz.ratio, processor=utils.default_process,
                               limit=limit * 3, score_cutoff=CLOSE_SCORE)
        found = [(str(gazetteer.admin1[rows[i]]) not in units, False, False, -score, int(rows[i]))
                 for _, score, i in hits]
    return [corrections_ui.choice_of(gazetteer, row) for *_, row in sorted(found)[:limit]]


def _pin(store: Store, event_id: str, by: str) -> None:
    feature = store.event(event_id)
    if feature is None:
        st.session_state[_MESSAGE] = (False, "Not saved: that event is no longer in the store.")
        return
    if not auth.can_edit():
        st.session_state[_MESSAGE] = (False, "Not saved: sign in first.")
        return
    if by == "place":
        choices = st.session_state.get("_check_choices") or []
        index = st.session_state.get(_CHOICE)
        if not choices or index is None:
            st.session_state[_MESSAGE] = (False, "Not saved: pick a place first.")
            return
        after = corrections_ui.place_after(choices[index])
    else:
        lat, lon = st.session_state.get(_LAT), st.session_state.get(_LON)
        if lat is None or lon is None:
            st.session_state[_MESSAGE] = (False, "Not saved: type a latitude and a longitude.")
            return
        after = corrections_ui.coords_after(lat, lon)
    analyst = (auth.current_account() or st.session_state.get(_ANALYST)
               or st.session_state.get(corrections_ui.ANALYST_KEY) or "")
    named = ", ".join(feature["properties"].get("unresolved") or ())
    ok, message, _ = corrections_ui.save(
        store, "move", after, analyst, feature=feature,
        expected_version=feature["properties"].get("version", 0),
        note=f"pinned from Places to check{': ' + named if named else ''}")
    st.session_state[_MESSAGE] = (ok, message)


def render_checks(store: Store, events_fc: dict) -> None:
    """The panel's content: the events to check, and a place or coordinates to pin one at."""
    items = places_to_check(events_fc)
    message = st.session_state.pop(_MESSAGE, None)
    if message:
        (st.success if message[0] else st.error)(md(message[1]))
    if not items:
        st.caption("Nothing to check: every event of the selection is at a place the gazetteer knows.")
        return
    st.caption(f"{len(items)} event{'s' if len(items) != 1 else ''} drawn roughly or naming a place "
               "not found. Pin one at the place the report means.")
    labels = {p["id"]: check_label(p) for p in items}
    if st.session_state.get(_PICK) not in labels:
        st.session_state[_PICK] = next(iter(labels))
        st.session_state[_NAME] = (items[0].get("unresolved") or [""])[0]
    st.selectbox("Event", list(labels), format_func=lambda i: labels.get(i, i), key=_PICK,
                 on_change=_on_pick, args=(items,))
    props = next(p for p in items if p["id"] == st.session_state[_PICK])
    st.caption(md(corrections_ui.short(props.get("quote"))))
    if not auth.can_edit():
        st.info("Sign in to pin places: every correction records who made it.")
        return
    if not auth.current_account():
        st.text_input("Your name (kept with every correction)", key=_ANALYST)
    name = st.text_input("Place name", key=_NAME, placeholder="e.g. Bakhmut")
    choices = suggestions(name, props.get("place") if props.get("precision") == "oblast" else None)
    st.session_state["_check_choices"] = choices
    if choices:
        st.selectbox("Gazetteer places", range(len(choices)), format_func=lambda i: choices[i].label, key=_CHOICE)
        st.button("Pin at this place", key="check_pin_place", type="primary", on_click=_pin,
                  args=(store, props["id"], "place"))
    elif name.strip():
        st.caption(f"No place called {md(name.strip())} in the gazetteer: type its coordinates.")
    lat_col, lon_col = st.columns(2)
    lat_col.number_input("Latitude", min_value=-90.0, max_value=90.0, value=None, format="%.5f", key=_LAT)
    lon_col.number_input("Longitude", min_value=-180.0, max_value=180.0, value=None, format="%.5f", key=_LON)
    st.button("Pin at these coordinates", key="check_pin_coords", on_click=_pin, args=(store, props["id"], "coords"))


def _on_pick(items: list[dict[str, Any]]) -> None:
    # the name field starts from the first name the report gave for the new pick
    picked = next((p for p in items if p["id"] == st.session_state.get(_PICK)), None)
    st.session_state[_NAME] = ((picked or {}).get("unresolved") or [""])[0]
    st.session_state.pop(_CHOICE, None)
