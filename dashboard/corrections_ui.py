"""Analyst corrections in the dashboard: retype, edit the date, actors, certainty and denial,
move, mark false, add by hand.

Every change goes through :func:`geo.store.corrections.new_correction` and
:meth:`geo.store.sqlite.Store.add_correction`, with the event's version as it was
when the analyst opened it.  If someone else corrected the event since,
the store raises :class:`~geo.store.sqlite.ConflictError`, nothing is written, and
the panel says who changed it and when.  The parsed events are never
touched: the store keeps corrections apart and lays them over each re-parse.

Report text reaches Streamlit only as widget option labels (plain text),
through :func:`dashboard.safehtml.md` in markdown, or in a dataframe.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import streamlit as st

from dashboard import auth

from dashboard.safehtml import md
from geo import taxonomy
from geo.names import fold_text
from geo.store.corrections import CorrectionError, new_correction
from geo.records import CERTAINTIES, PLACE_KINDS
from geo.store import ConflictError, Store, StoreError

ANALYST_KEY = "analyst_name"
PICK_KEY = "edit_event"
SEARCH_KEY = "edit_search"
NOTE_KEY = "edit_note"
PICK_SHOWN = 300
"""Events offered in the picker at once; the search narrows the rest."""
PICK_QUERY_LIMIT = 2_000
"""Events of the selection the picker searches (the oldest first); narrow the filters beyond."""

_OPENED = "_edit_opened"  # event id -> the version the analyst opened
_MESSAGE = "_edit_message"  # (ok, text) of the last write
QUOTE_CHARS = 60
PLACE_CHOICES = 10


# -- pure helpers ------------------------------------------------------------------


def short(text: str | None, limit: int = QUOTE_CHARS) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def event_label(props: dict[str, Any]) -> str:
    """"2022-02-27 · Capture · Berdiansk · “Russian forces captured…”" (plain text)."""
    label = taxonomy.get(props["event_type"]).label if props.get("event_type") in taxonomy.TYPE_KEYS \
        else str(props.get("event_type"))
    parts = [props.get("date") or "undated", label, props.get("place") or "no place",
             f"“{short(props.get('quote'))}”"]
    text = " · ".join(parts)
    if props.get("false_positive"):
        text += " (marked false)"
    elif props.get("corrected"):
        text += " (corrected)"
    return text


def pick_list(events_fc: dict, search: str = "", limit: int = PICK_SHOWN) -> tuple[list[tuple[str, str]], int]:
    """(event id, label) of the events whose label holds ``search``, and how many more match."""
    # folded (case, apostrophes ʼ ’ ', dashes), over the whole quote too: "Словʼянськ" finds "Слов'янськ"
    q = fold_text(" ".join(search.split()))
    found = []
    for f in events_fc["features"]:
        label = event_label(f["properties"])
        quote = " ".join(str(f["properties"].get("quote") or "").split())
        if not q or q in fold_text(label) or q in fold_text(quote):
            found.append((f["properties"]["id"], label))
    return found[:limit], max(0, len(found) - limit)


def describe(value: Any) -> str:
    """A before/after value in a few words (a geometry as its kind and point)."""
    if isinstance(value, dict) and "type" in value and "coordinates" in value:
        if value["type"] == "Point":
            lon, lat = value["coordinates"][:2]
            return f"point {lat:.4f}, {lon:.4f}"
        return value["type"].lower()
    if isinstance(value, (list, tuple)):
        return ", ".join(map(str, value)) or "none"
    if value is None:
        return "none"
    return str(value)


def change_text(values: dict[str, Any]) -> str:
    skip = {"lat", "lon"} if "geometry" in values else set()
    return "; ".join(f"{k}: {describe(v)}" for k, v in values.items() if k not in skip) or "nothing"


def audit_rows(corrections: Sequence) -> list[dict[str, str]]:
    """The audit trail as table rows, oldest first: who, when, what, before and after."""
    return [{"When (UTC)": c.at, "Who": c.analyst, "Action": c.action.replace("_", " "),
             "Before": change_text(c.before), "After": change_text(c.after), "Note": c.note}
            for c in corrections]


@dataclass(frozen=True, slots=True)
class PlaceChoice:
    """A gazetteer place an event can be moved to."""

    name: str
    kind: str
    label: str
    lat: float
    lon: float
    geometry: dict


def place_choices(name: str, gazetteer=None, limit: int = PLACE_CHOICES) -> list[PlaceChoice]:
    """The gazetteer's places called ``name`` (any case, alternate names too), most populous first."""
    if not name.strip():
        return []
    if gazetteer is None:
        from geo.gazetteer.loader import load_gazetteer

        gazetteer = load_gazetteer()
    wanted = " ".join(name.split()).casefold()
    # a place called exactly that comes before one that only has it as an alternate name
    rows = sorted(gazetteer.lookup(name.strip()), key=lambda r: (str(gazetteer.name[r]).casefold() != wanted,
                                                                 -int(gazetteer.population[r])))
    return [choice_of(gazetteer, row) for row in rows[:limit]]


def choice_of(gazetteer, row: int) -> PlaceChoice:
    """One gazetteer row as a place to move an event to, labelled with its kind, unit and size."""
    kind = str(gazetteer.kind[row])
    where = ", ".join(str(x) for x in (gazetteer.admin1[row], gazetteer.cc[row]) if x and str(x) != "nan")
    pop = int(gazetteer.population[row])
    label = f"{gazetteer.name[row]} ({kind}{', ' + where if where else ''}" \
            f"{f', pop. {pop:,}' if pop else ''})"
    return PlaceChoice(str(gazetteer.name[row]), kind if kind in PLACE_KINDS else "other", label,
                       round(float(gazetteer.lat[row]), 5), round(float(gazetteer.lon[row]), 5),
                       dict(gazetteer.display_geojson(row)))


def place_after(p: PlaceChoice) -> dict[str, Any]:
    return {"place": p.name, "place_kind": p.kind, "geometry": p.geometry, "lat": p.lat, "lon": p.lon,
            "precision": _PRECISION_OF_KIND.get(p.kind, "place")}


def coords_after(lat: float, lon: float) -> dict[str, Any]:
    return {"place": f"{lat:.4f}, {lon:.4f}", "place_kind": "other", "lat": float(lat), "lon": float(lon),
            "precision": "place"}


_PRECISION_OF_KIND = {"admin1": "oblast", "country": "country"}  # an oblast chosen is still an oblast


def save(store: Store, action: str, after: dict[str, Any], analyst: str, *, feature: dict | None,
         expected_version: int | None, note: str = "") -> tuple[bool, str, int | None]:
    """Record one correction; (saved, message, new version).  A conflict writes nothing."""
    analyst = analyst.strip()
    if not analyst:
        return False, "Type your name first: every correction records who made it.", None
    try:
        c = new_correction(action, after, analyst, feature=feature, note=note.strip())
        version = store.add_correction(c, expected_version=expected_version)
    except ConflictError:
        trail = store.corrections(feature["properties"]["id"]) if feature else []
        last = trail[-1] if trail else None
        who = f" by {last.analyst} at {last.at} ({last.action.replace('_', ' ')})" if last else ""
        return False, (f"Not saved: this event was changed{who} since you opened it. "
                       "Reload it and make your change again."), None
    except (CorrectionError, StoreError) as exc:
        return False, f"Not saved: {exc}", None
    return True, f"Saved: {action.replace('_', ' ')} by {analyst} (version {version}).", version


# -- Streamlit ---------------------------------------------------------------------


EDIT_PARAM = "edit"
"""``?edit=<event id>``: the map's "Edit this event" opens the editor on that event."""
_WANTED = "_edit_wanted"


def open_on(event_id: str) -> None:
    """Have the editor open on ``event_id`` on this run (from the map's popup)."""
    st.session_state[_WANTED] = str(event_id)[:200]
    st.session_state[SEARCH_KEY] = ""


def _opened() -> dict[str, int]:
    return st.session_state.setdefault(_OPENED, {})


def _open(store: Store, event_id: str | None) -> None:
    feature = store.event(event_id) if event_id else None
    if feature is not None:
        _opened()[event_id] = feature["properties"].get("version", 0)


def _on_pick(store: Store) -> None:
    _open(store, st.session_state.get(PICK_KEY))
    st.session_state.pop(_MESSAGE, None)


def _write(store: Store, event_id: str | None, action: str, make_after: Callable[[], dict | None]) -> None:
    feature = store.event(event_id) if event_id else None
    if action != "add" and feature is None:
        st.session_state[_MESSAGE] = (False, "Not saved: that event is no longer in the store.")
        return
    after = make_after()
    if after is None:
        return  # make_after left its own message
    expected = _opened().get(event_id) if action != "add" else None
    if not auth.can_edit():
        st.session_state[_MESSAGE] = (False, "Not saved: sign in first.")
        return
    # signed in: the account, never a typed name
    analyst = auth.current_account() or st.session_state.get(ANALYST_KEY) or ""
    ok, message, version = save(store, action, after, analyst,
                                feature=feature, expected_version=expected,
                                note=st.session_state.get(NOTE_KEY) or "")
    st.session_state[_MESSAGE] = (ok, message)
    if ok and action != "add":
        _opened()[event_id] = version
    if ok:
        st.session_state[NOTE_KEY] = ""


def _fail(text: str) -> None:
    st.session_state[_MESSAGE] = (False, text)


def _retype_after(feature_type: str) -> Callable[[], dict | None]:
    def make() -> dict | None:
        new = st.session_state.get("edit_type")
        if new == feature_type:
            _fail(f"Not saved: the event is already a {taxonomy.get(new).label.lower()}.")
            return None
        return {"event_type": new}
    return make


_DETAIL_KEYS = ("edit_date", "edit_undated", "edit_actors", "edit_certainty", "edit_source", "edit_denied",
                "edit_failed")


def details_after(props: dict, values: dict) -> dict:
    """The ``edit`` correction's ``after``: only the fields whose value the analyst changed.

    ``values`` holds the editor's widgets: ``date`` (a day or ``None``), ``undated``,
    ``actors`` (comma-separated), ``certainty``, ``source`` (attributed to), ``denied``
    (denied by) and ``failed`` (a failed attempt).
    """
    day = None if values.get("undated") else values.get("date")
    new = {
        "date": day.isoformat() if isinstance(day, dt.date) else None,
        "actors": [a.strip() for a in (values.get("actors") or "").split(",") if a.strip()],
        "certainty": values.get("certainty") or props.get("certainty"),
        "attributed_to": (values.get("source") or "").strip() or None,
        "denied_by": (values.get("denied") or "").strip() or None,
        "outcome": "failed" if values.get("failed") else None,
    }
    old = {"date": props.get("date"), "actors": list(props.get("actors") or []),
           "certainty": props.get("certainty"), "attributed_to": props.get("attributed_to"),
           "denied_by": props.get("denied_by"), "outcome": props.get("outcome")}
    return {k: v for k, v in new.items() if v != old[k]}


def _details_writer(props: dict) -> Callable[[], dict | None]:
    def make() -> dict | None:
        values = {k.removeprefix("edit_"): st.session_state.get(k) for k in _DETAIL_KEYS}
        after = details_after(props, values)
        if not after:
            _fail("Not saved: nothing changed.")
            return None
        return after
    return make


def _load_details(props: dict) -> None:
    """Set the details widgets to the event's values when another event (or version) is opened."""
    key = (props["id"], props.get("version", 0))
    if st.session_state.get("_edit_details_for") == key:
        return
    date = props.get("date")
    st.session_state.update({
        "edit_date": dt.date.fromisoformat(date) if date else None, "edit_undated": not date,
        "edit_actors": ", ".join(props.get("actors") or []),
        "edit_certainty": props.get("certainty") if props.get("certainty") in CERTAINTIES else "reported",
        "edit_source": props.get("attributed_to") or "", "edit_denied": props.get("denied_by") or "",
        "edit_failed": props.get("outcome") == "failed", "_edit_details_for": key})


def _render_details(store: Store, props: dict) -> None:
    _load_details(props)
    st.date_input("Date", key="edit_date", format="YYYY-MM-DD")
    st.checkbox("Undated (the text gives no day)", key="edit_undated")
    st.text_input("Actors (comma-separated)", key="edit_actors")
    st.selectbox("Certainty", CERTAINTIES, key="edit_certainty")
    st.text_input("Attributed to (who says so)", key="edit_source")
    st.text_input("Denied by (empty: nobody denied it)", key="edit_denied")
    st.checkbox("A failed attempt (e.g. failed to take the place)", key="edit_failed")
    st.button("Save the details", key="edit_details", on_click=_write,
              args=(store, props["id"], "edit", _details_writer(props)))


def _place_after(prefix: str) -> dict | None:
    choices = st.session_state.get(f"_{prefix}_choices") or []
    index = st.session_state.get(f"{prefix}_place_pick")
    if not choices or index is None:
        _fail("Not saved: search for a place by name and pick one first.")
        return None
    return place_after(choices[index])


def _coords_after() -> dict | None:
    lat, lon = st.session_state.get("edit_lat"), st.session_state.get("edit_lon")
    if lat is None or lon is None:
        _fail("Not saved: type a latitude and a longitude.")
        return None
    return coords_after(lat, lon)


def _add_after() -> dict | None:
    place = _place_after("add")
    if place is None:
        return None
    date = st.session_state.get("add_date")
    actors = [a.strip() for a in (st.session_state.get("add_actors") or "").split(",") if a.strip()]
    quote = (st.session_state.get("add_quote") or "").strip()
    if not quote:
        _fail("Not saved: write what happened (the quote or a summary).")
        return None
    return {"event_type": st.session_state.get("add_type"), **place, "actors": actors,
            "date": date.isoformat() if isinstance(date, dt.date) else None, "quote": quote,
            "certainty": st.session_state.get("add_certainty") or "reported"}


def _place_picker(prefix: str, label: str) -> None:
    name = st.text_input(label, key=f"{prefix}_place_q", placeholder="e.g. Mariupol")
    choices = place_choices(name) if name.strip() else []
    st.session_state[f"_{prefix}_choices"] = choices
    if name.strip() and not choices:
        st.caption(f"No place called {md(name.strip())} in the gazetteer.")
    if choices:
        st.selectbox("Place", range(len(choices)), format_func=lambda i: choices[i].label,
                     key=f"{prefix}_place_pick")


def render_editor(store: Store, events_fc: dict, default_date: dt.date | None = None) -> None:
    """The "Edit events" panel's content: pick an event, correct it, see its audit trail.

    Parameters
    ----------
    store
        Where corrections are written.
    events_fc
        The events of the current selection, marked-false ones included.
    default_date
        The day a hand-added event starts at (the as-of day, say).
    """
    if not auth.can_edit():
        st.info("Sign in (in the sidebar) to edit events: this dashboard records who made each edit.")
        return
    account = auth.current_account()
    if account:
        st.caption(f"Edits are recorded as **{md(account)}**, the signed-in account.")
    else:
        st.text_input("Your name (kept with every correction)", key=ANALYST_KEY, placeholder="e.g. A. Analyst")
    ok_message = st.session_state.get(_MESSAGE)
    search = st.text_input("Find an event", key=SEARCH_KEY, placeholder="part of a date, type, place or quote")
    options, more = pick_list(events_fc, search)
    wanted = st.session_state.pop(_WANTED, None)
    if wanted and wanted not in dict(options):
        found = store.event(wanted)  # asked for by id: listed even when the filters leave it out
        if found is not None:
            options = [(wanted, event_label(found["properties"])), *options]
    if wanted and wanted in dict(options):
        st.session_state[PICK_KEY] = wanted
    labels = dict(options)
    if st.session_state.get(PICK_KEY) not in labels:
        st.session_state[PICK_KEY] = options[0][0] if options else None
    if options:
        st.selectbox("Event", list(labels), format_func=lambda i: labels.get(i, i), key=PICK_KEY,
                     on_change=_on_pick, args=(store,))
        if more:
            st.caption(f"and {more} more: search to find one")
    else:
        st.info("No event of the current selection matches.")
    event_id = st.session_state.get(PICK_KEY)
    feature = store.event(event_id) if event_id else None
    if feature is not None:
        if event_id not in _opened():
            _open(store, event_id)
        _render_event(store, feature)
    if ok_message:
        (st.success if ok_message[0] else st.error)(md(ok_message[1]))
    with st.expander("Add an event by hand", icon=":material/add_location_alt:"):
        _render_add(store, default_date)


def _render_event(store: Store, feature: dict) -> None:
    p = feature["properties"]
    event_id = p["id"]
    opened, current = _opened().get(event_id, 0), p.get("version", 0)
    state = "marked false" if p.get("false_positive") else ("corrected" if p.get("corrected") else "as parsed")
    st.markdown(f"**{md(taxonomy.get(p['event_type']).label)}** at **{md(p.get('place') or 'no place')}**, "
                f"{md(p.get('date') or 'undated')} · {md(state)} · version {opened}")
    st.caption(f"> {md(short(p.get('quote'), 300))}")
    if current != opened:
        st.warning(f"Changed since you opened it (now version {current}).")
        st.button("Reload the event", key="edit_reload", on_click=_open, args=(store, event_id))
    st.text_input("Why (optional note)", key=NOTE_KEY)
    if st.session_state.get("_edit_type_for") != (event_id, p["event_type"]):
        # another event (or this one retyped): the type box starts at its type
        st.session_state["edit_type"] = p["event_type"] if p["event_type"] in taxonomy.TYPE_KEYS else "other"
        st.session_state["_edit_type_for"] = (event_id, p["event_type"])
    retype, details, move, false = st.tabs(["Change type", "Date, actors, certainty", "Move", "Mark false"])
    with details:
        _render_details(store, p)
    with retype:
        st.selectbox("New type", taxonomy.TYPE_KEYS, format_func=lambda k: taxonomy.get(k).label,
                     key="edit_type")
        st.button("Change the type", key="edit_retype", on_click=_write,
                  args=(store, event_id, "retype", _retype_after(p["event_type"])))
    with move:
        _place_picker("edit", "Move to a place (name)")
        st.button("Move to this place", key="edit_move_place", on_click=_write,
                  args=(store, event_id, "move", lambda: _place_after("edit")))
        lat, lon = st.columns(2)
        lat.number_input("or latitude", min_value=-90.0, max_value=90.0, value=None, format="%.4f",
                         key="edit_lat")
        lon.number_input("longitude", min_value=-180.0, max_value=180.0, value=None, format="%.4f",
                         key="edit_lon")
        st.button("Move to these coordinates", key="edit_move_coords", on_click=_write,
                  args=(store, event_id, "move", _coords_after))
    with false:
        if p.get("false_positive"):
            st.caption("This event is marked false: it is left off the map, the counts and the exports.")
            st.button("Take back the false mark", key="edit_unmark", on_click=_write,
                      args=(store, event_id, "mark_false", lambda: {"false_positive": False}))
        else:
            st.caption("An event that did not happen: it leaves the map, the counts and the exports.")
            st.button("Mark as false", key="edit_mark_false", on_click=_write,
                      args=(store, event_id, "mark_false", lambda: {"false_positive": True}))
    trail = store.corrections(event_id)
    st.caption(f"Audit trail ({len(trail)} correction{'' if len(trail) == 1 else 's'})")
    if trail:
        st.dataframe(audit_rows(trail), hide_index=True, width="stretch")


def _render_add(store: Store, default_date: dt.date | None) -> None:
    st.selectbox("Type", taxonomy.TYPE_KEYS, format_func=lambda k: taxonomy.get(k).label, key="add_type")
    _place_picker("add", "Place (name)")
    if "add_date" not in st.session_state:
        st.session_state["add_date"] = default_date or dt.date.today()
    st.date_input("Date", key="add_date")
    st.text_input("Actors (comma-separated)", key="add_actors", placeholder="e.g. Russia, Ukraine")
    st.selectbox("Certainty", ("reported", "confirmed", "claimed"), key="add_certainty")
    st.text_area("What happened (quote or summary)", key="add_quote", height=80)
    st.button("Add the event", key="add_event", type="primary", on_click=_write,
              args=(store, None, "add", _add_after))
