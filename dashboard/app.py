"""Sitmap's dashboard: ``streamlit run dashboard/app.py``.

A frame only: page settings, the cached store and its reads, then the
layout.  The map, the sidebar, the time control, the corrections, the
imported layers, the intake and the downloads live in their own modules.  The gazetteer's name index loads (once per process, through
:func:`geo.gazetteer.loader.load_gazetteer`) only when a report has to be parsed.
"""

from __future__ import annotations

import dataclasses
import os
import sys
import time
from pathlib import Path

# `streamlit run dashboard/app.py` puts only dashboard/ on the path, not the repository root.
# (so no module in dashboard/ may share a name with the standard library's: starlette
# imports `html` after that folder is on the path)
_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

import streamlit as st  # noqa: E402
from streamlit_folium import st_folium  # noqa: E402

from dashboard import auth, checks_ui, control_ui, corrections_ui, imports_ui, mapview, timeline_ui  # noqa: E402
from dashboard.downloads import render_downloads  # noqa: E402
from dashboard.intake import render_intake, render_report_list  # noqa: E402
from dashboard import offline  # noqa: E402
from dashboard.sidebar import (current_selection, label_choice, labelled_events, render_filters,  # noqa: E402
                               render_label_toggle, render_status)
from geo.intake.service import open_seeded  # noqa: E402
from geo.store import EventFilter, Facets, Store, StoreError, default_store_url  # noqa: E402

# How long a session's first run waits after sending the map, before the rest of the page.
# Sent together, the sidebar's and the panels' widgets are laid out before the browser even
# creates the map's frame, so the map, what an analyst opens the page for, comes last; the
# head start lets it come first (figures in benchmarks/RESULTS.md, "first map").
# Later runs (filters, clicks) do not wait: the map's frame is already there.
# SITMAP_MAP_HEAD_START=0 turns it off.  (A comment, not a docstring: Streamlit would print it.)
def _head_start(default: float = 0.3) -> float:
    try:
        return min(2.0, max(0.0, float(os.environ.get("SITMAP_MAP_HEAD_START", default))))
    except ValueError:  # a mistyped setting keeps the default rather than stopping the app
        return default


MAP_HEAD_START_S = _head_start()

try:
    from dashboard import briefing
except ImportError:  # the briefing panel is optional
    briefing = None


@st.cache_resource(show_spinner="Opening the store…")
def get_store(url: str) -> Store:
    return open_seeded(url)  # the first open of a new store parses the seeds


@st.cache_resource(max_entries=4)
def get_facets(url: str, revision: int, _store: Store) -> Facets:
    return _store.facets()


@st.cache_resource(max_entries=16)
def get_content(url: str, revision: int, selection: EventFilter, _store: Store, control: tuple = (),
                _annotate=None, labels: str = "canonical") -> mapview.MapContent:
    # control: the control layers' index, so a new layer redoes the claims' checks
    return mapview.map_content(_store, selection, get_facets(url, revision, _store), annotate=_annotate,
                               labels=labels)


@st.cache_resource(max_entries=16)
def get_status(url: str, revision: int, selection: EventFilter, _store: Store) -> dict:
    return _store.status(selection)


@st.cache_resource(max_entries=4)
def get_events(url: str, revision: int, selection: EventFilter, _store: Store) -> dict:
    return _store.query_events(selection)


@st.cache_resource(max_entries=4)
def get_report_dates(url: str, revision: int, _store: Store) -> tuple[str | None, ...]:
    return tuple(r.date for r in _store.list_reports())


@st.cache_resource(max_entries=4)
def get_pick_events(url: str, revision: int, selection: EventFilter, _store: Store) -> dict:
    # the editor's picker: the selection with events marked false, capped (a search narrows it)
    return _store.query_events(dataclasses.replace(selection, include_false=True),
                               limit=corrections_ui.PICK_QUERY_LIMIT)


@st.cache_resource(max_entries=16)
def get_imported(files: tuple[imports_ui.ImportedFile, ...], selection: EventFilter
                 ) -> tuple[tuple[str, mapview.MapContent | None, int | None], ...]:
    """Each imported layer: its name, what the selection keeps of it, and its size (``None``: unreadable)."""
    return tuple((f.layer, *imports_ui.layer_content(f.path, f.layer, selection)) for f in files)


def draw_map(facets: Facets, content: mapview.MapContent, online: bool,
             imported: tuple = (), ground: list | None = None) -> None:
    """The map: a steady base, with the event layers swapped in on each change."""
    focus = st.session_state.get("map_focus") or {}
    groups = (ground or []) + mapview.event_groups(content)
    groups += [mapview.imported_group(name, c) for name, c, _ in imported if c is not None]
    st_folium(
        mapview.base_map(facets, online_tiles=online, link_land=True),
        key="situation_map", height=mapview.MAP_HEIGHT, use_container_width=True,
        returned_objects=[],  # panning and clicking never rerun the script
        feature_group_to_add=groups, layer_control=mapview.layer_control(),
        center=focus.get("center"), zoom=focus.get("zoom"),
    )
    shown = f"{content.total:,} events"
    if content.aggregated:
        shown += f", aggregated on a {content.cell_deg:g}° grid (narrow the filters to see single events)"
    if content.unplaced:
        shown += f"; {content.unplaced} have no place and are not drawn"
    extra = sum(c.total for _, c, _ in imported if c is not None)
    if imported:
        shown += f"; {extra:,} imported event{'' if extra == 1 else 's'} in {len(imported)} layer" \
                 f"{'' if len(imported) == 1 else 's'}"
    st.caption(shown)


def main() -> None:
    st.set_page_config(page_title="Sitmap", page_icon="🗺️", layout="wide")
    present = st.query_params.get("present") == "1"
    if briefing is not None and present:
        briefing.apply_presentation_mode()
    try:
        store = get_store(default_store_url())
    except StoreError as exc:  # a damaged file or an unreachable server: say so, draw nothing
        st.error(f"The event store cannot be opened: {exc}")
        st.stop()
    revision = store.revision()
    facets = get_facets(store.url, revision, store)
    _from_url()

    # the map goes to the browser first: the sidebar's widgets are drawn after it
    selection = current_selection(facets)
    control_index = control_ui.layer_index(store.url)
    selection, as_of, days = timeline_ui.apply(selection, facets, get_report_dates(store.url, revision, store)
                                               + control_ui.layer_days(control_index))
    online = bool(st.session_state.get("online_tiles", False))
    st.title("Situation map")
    time_slot = st.container()  # above the map, filled once the map is on its way
    labels = label_choice()
    content = get_content(store.url, revision, selection, store, control_index,
                          control_ui.annotate(store.url, control_index), labels)
    ground = control_ui.current_view(store.url, control_index, as_of)
    import_dir = imports_ui.imports_dir(store)
    imported = get_imported(imports_ui.imported_files(import_dir), selection)
    missing = offline.missing_vendored_files(offline.VENDOR_DIR)
    if missing:  # the map would stay blank: say why instead
        st.error(f"The map cannot be drawn: {len(missing)} of its script and style files are not "
                 f"installed (first: dashboard/static/vendor/{missing[0]}). Run `make setup` in the "
                 "project folder, then reload this page. The filters and the status still work.")
    else:
        draw_map(facets, content, online, imported, control_ui.map_groups(ground))
        if ground is not None:
            st.caption(control_ui.caption(ground))
        if not st.session_state.get("_map_sent"):
            st.session_state["_map_sent"] = True
            time.sleep(MAP_HEAD_START_S)  # see MAP_HEAD_START_S
    with time_slot:
        timeline_ui.render_time_control(days, as_of)
    with st.sidebar:
        auth.render_sign_in()
        render_status(get_status(store.url, revision, selection, store), as_of=as_of, labels=labels)
        control_ui.render_sidebar(ground, control_ui.contradicted_claims(store, selection, store.url, control_index)
                                  if control_index else [], bool(control_index))
        checks = _panel(st, "Places to check", "panel_checks", ":material/wrong_location:")
        if checks.open:
            with checks:
                checks_ui.render_checks(store, get_pick_events(store.url, revision, selection, store))
        st.divider()
        st.subheader("Filters")
        render_filters(facets, selection)
        st.toggle("Online map tiles (OpenStreetMap)", key="online_tiles",
                  help="Off by default: the map is drawn offline from the shipped borders.")
        render_label_toggle()
    # the panel needs every selected event: fetch them only once the analyst asks
    if briefing is not None and st.toggle("Briefing image of this view", key="briefing_open"):
        types = list(facets.types if selection.types is None else selection.types)
        briefing.briefing_panel(labelled_events(get_events(store.url, revision, selection, store), labels),
                                bbox=selection.bbox,
                                types=types, title=None, ground=ground)
    render_downloads(store, selection, lambda: offline.offline_page(
        mapview.full_map(facets, content, online_tiles=online,
                         imported=[(n, c) for n, c, _ in imported if c is not None])), count=content.total)

    if not present:
        edit = _panel(st, "Edit events", "panel_edit", ":material/edit_location_alt:")
        if edit.open:
            with edit:
                corrections_ui.render_editor(store, get_pick_events(store.url, revision, selection, store),
                                             default_date=as_of or (days[-1] if days else None))
        intake_col, reports_col = st.columns(2, gap="large")
        intake = _panel(intake_col, "Add reports", "panel_intake", ":material/note_add:")
        if intake.open:
            with intake:
                render_intake(store)
        reports = _panel(reports_col, f"Reports ({len(store.list_reports())})", "panel_reports",
                         ":material/description:")
        if reports.open:
            with reports:
                render_report_list(store)
        imports = _panel(st, "Imported layers", "panel_imports", ":material/layers:")
        if imports.open:
            with imports:
                imports_ui.render_imports(import_dir, imports_ui.imported_files(import_dir),
                                          {n: total for n, _, total in imported if total is not None})


def _from_url() -> None:
    """On a session's first run, the map's view from ``?view=``; on any run, ``?edit=`` opens the editor."""
    if not st.session_state.get("_view_from_url"):
        st.session_state["_view_from_url"] = True
        view = mapview.view_from_param(st.query_params.get(mapview.VIEW_PARAM))
        if view is not None and not st.session_state.get("map_focus"):
            st.session_state["map_focus"] = {"center": view[0], "zoom": view[1], "clicks": 0}
    edit = st.query_params.get(corrections_ui.EDIT_PARAM)
    if edit:  # "Edit this event" in a popup
        del st.query_params[corrections_ui.EDIT_PARAM]
        corrections_ui.open_on(edit)
        st.session_state["panel_edit"] = True
        st.toast("The event is open in \"Edit events\", below the map.", icon=":material/edit_location_alt:")


def _panel(where, label: str, key: str, icon: str):
    """A folded panel whose content is built only while it is open.

    Folded panels used to carry their widgets anyway (text areas, uploaders,
    editors), and the browser laid all of them out before it started the map:
    about 0.4 s of the seed's first map.  Opening one reruns the script, which
    then fills it.
    """
    return where.expander(label, expanded=False, icon=icon, key=key, on_change="rerun")

main()
