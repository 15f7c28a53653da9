"""The dashboard over time, corrected by hand, with imported layers (issue 7), under AppTest.

The week of example reports in ``seeds/timeline/`` goes into a store of the
test's own; the app is driven as the analyst would: the as-of slider and its
buttons, the "Edit events" panel, the imported layers.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from geo.intake.service import add_report, open_seeded
from geo.store.corrections import new_correction
from geo.store import open_store
from tests.dashboard.apptest_reading import features as _features, headlines, plain as _plain, tips as _tips

pytestmark = pytest.mark.slow

TIMELINE = Path(__file__).resolve().parents[2] / "seeds" / "timeline"


def _places(at) -> list[str]:
    return [_plain(b.label) for b in at.sidebar.button if b.key and b.key.startswith("place_")]


def _status_of(at, name: str) -> str:
    return next((p for p in _places(at) if p.startswith(f"{name}:")), "")


def _load_week(store_dir: Path, gazetteer) -> None:
    s = open_seeded(str(store_dir / "sitmap.sqlite"), gazetteer)
    try:
        for path in sorted(TIMELINE.glob("*.md")):
            add_report(s, path.read_text("utf-8"), path.name, gazetteer=gazetteer)
    finally:
        s.close()


@pytest.fixture
def week_app(app, gazetteer):
    """The app on a store holding the bundled seed and the week of example reports."""
    _load_week(app.store_dir, gazetteer)
    return app


def _run(at):
    at.run()
    assert not at.exception, at.exception
    return at


# -- the time control ---------------------------------------------------------------


def test_the_as_of_day_sets_the_place_statuses(week_app, map_args):
    at = _run(week_app)
    slider = at.select_slider(key="asof_day")
    assert slider.label == "Situation as of"
    assert slider.options[0].startswith("2022-02-24") and slider.options[-1].startswith("2022-03-03")
    # the latest day: Berdiansk was captured, and the URL names no day
    assert _status_of(at, "Berdiansk").startswith("Berdiansk: captured")
    assert "asof" not in at.query_params

    slider.set_value(dt.date(2022, 2, 26))
    _run(at)
    assert at.sidebar.subheader[0].value == "Situation as of 2022-02-26"
    assert not _status_of(at, "Berdiansk").startswith("Berdiansk: captured")
    assert not any(t.startswith("Capture · Berdiansk") for t in _tips(map_args(at)))
    assert at.query_params["asof"] == "2022-02-26"
    # Kherson falls on 2 March (claimed) and 3 March: nothing of it yet
    assert not _status_of(at, "Kherson")

    at.button(key="asof_forward").click()
    _run(at)
    assert at.select_slider(key="asof_day").value == dt.date(2022, 2, 27)
    assert _status_of(at, "Berdiansk").startswith("Berdiansk: captured")
    assert "Capture · Berdiansk (claimed)" in _tips(map_args(at))  # the mayor's word, drawn as a claim
    assert at.query_params["asof"] == "2022-02-27"

    at.button(key="asof_back").click()
    _run(at)
    assert not _status_of(at, "Berdiansk").startswith("Berdiansk: captured")


def test_a_shared_url_opens_the_day_and_the_last_day_leaves_the_url(week_app):
    week_app.query_params["asof"] = "2022-02-25"
    at = _run(week_app)
    assert at.select_slider(key="asof_day").value == dt.date(2022, 2, 25)
    counts_25 = at.sidebar.caption
    shown_25 = next(c.value for c in counts_25 if c.value.startswith("Events shown"))
    at.select_slider(key="asof_day").set_value(dt.date(2022, 3, 3))
    _run(at)
    shown_last = next(c.value for c in at.sidebar.caption if c.value.startswith("Events shown"))
    assert int(shown_25.split()[-1]) < int(shown_last.split()[-1])
    assert "asof" not in at.query_params
    assert _status_of(at, "Kherson")


def test_play_starts_at_the_first_day_from_the_last(week_app):
    at = _run(week_app)
    at.button(key="asof_play").click()
    _run(at)
    assert at.select_slider(key="asof_day").value == dt.date(2022, 2, 24)
    assert at.button(key="asof_pause").label == "Pause"  # playing: the button pauses
    at.button(key="asof_pause").click()
    _run(at)
    assert at.button(key="asof_play").label == "Play"
    assert at.select_slider(key="asof_day").value == dt.date(2022, 2, 24)


# -- corrections ---------------------------------------------------------------------


def _pick(at, text: str) -> str:
    """Search the editor's picker for ``text`` and pick the first match; its event id."""
    at.text_input(key="edit_search").input(text)
    _run(at)
    box = at.selectbox(key="edit_event")
    assert box.options and text in box.options[0], box.options
    return box.value


def test_a_retype_changes_the_map_and_survives_a_restart_and_a_reparse(app, map_args, gazetteer):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from geo.parse.pipeline import parse_report
    from geo.records import Report

    at = _run(app)
    assert "Capture · Berdiansk" in _tips(map_args(at))
    at.text_input(key="analyst_name").input("Olena")
    event_id = _pick(at, "Berdiansk")
    at.selectbox(key="edit_type").set_value("battle")
    at.button(key="edit_retype").click()
    _run(at)
    assert any("Saved: retype by Olena" in _plain(s.value) for s in at.success)
    tips = _tips(map_args(at))
    assert "Capture · Berdiansk" not in tips and "Battle · Berdiansk" in tips
    assert not _status_of(at, "Berdiansk").startswith("Berdiansk: captured")
    audit = at.dataframe[0].value
    assert list(audit["Who"]) == ["Olena"] and "capture" in audit["Before"][0] and "battle" in audit["After"][0]

    # a restart: new caches, a new session, the same store file
    st.cache_resource.clear()
    again = _run(AppTest.from_file(str(app._script_path), default_timeout=120))
    assert "Battle · Berdiansk" in _tips(map_args(again))
    assert "Capture · Berdiansk" not in _tips(map_args(again))

    # a re-parse of the same report writes the parser's events again; the correction stays on top
    s = open_store(str(app.store_dir / "sitmap.sqlite"))
    try:
        (info,) = [r for r in s.list_reports() if r.id == s.event(event_id)["properties"]["report_id"]]
        text = s.report_text(info.id)
        result = parse_report(Report(info.id, text, info.source, info.date), gazetteer)
        assert any(e.id == event_id and e.event_type == "capture" for e in result.events)
        s.add_results([result])
        assert s.event(event_id)["properties"]["event_type"] == "battle"
    finally:
        s.close()
    st.cache_resource.clear()
    third = _run(AppTest.from_file(str(app._script_path), default_timeout=120))
    assert "Battle · Berdiansk" in _tips(map_args(third))


def test_a_conflicting_correction_is_refused_and_writes_nothing(app, map_args):
    at = _run(app)
    at.text_input(key="analyst_name").input("Olena")
    event_id = _pick(at, "Berdiansk")
    # meanwhile another analyst marks the same event false
    s = open_store(str(app.store_dir / "sitmap.sqlite"))
    try:
        s.add_correction(new_correction("mark_false", {}, "Taras", feature=s.event(event_id)), expected_version=0)
        before = len(s.corrections(event_id))
    finally:
        s.close()
    at.selectbox(key="edit_type").set_value("strike")
    at.button(key="edit_retype").click()
    _run(at)
    errors = " ".join(_plain(e.value) for e in at.error)
    assert "Not saved" in errors and "changed by Taras" in errors and "reload" in errors.lower()
    s = open_store(str(app.store_dir / "sitmap.sqlite"))
    try:
        assert len(s.corrections(event_id)) == before
        assert s.event(event_id)["properties"]["event_type"] == "capture"
    finally:
        s.close()
    # reloading takes the other analyst's version; then the change goes through
    at.button(key="edit_reload").click()
    _run(at)
    at.button(key="edit_unmark").click()
    _run(at)
    assert any("Saved: mark false by Olena" in _plain(s.value) for s in at.success)
    assert "Capture · Berdiansk" in _tips(map_args(at))


def _headlines(at) -> list[str]:
    return headlines(at)


def test_mark_false_move_and_add_by_hand(app, map_args):
    at = _run(app)
    assert "Berdiansk captured by Russia" in _headlines(at)
    at.text_input(key="analyst_name").input("Olena")
    _pick(at, "Berdiansk")
    at.button(key="edit_mark_false").click()
    _run(at)
    assert "Capture · Berdiansk" not in _tips(map_args(at))
    assert not _status_of(at, "Berdiansk")
    # the headline resting on it goes too; the others stay
    assert "Berdiansk captured by Russia" not in _headlines(at) and "EU accession requested" in _headlines(at)
    # moved by name: the Kharkiv strike goes to Mariupol
    _pick(at, "Strike · Kharkiv")
    at.text_input(key="edit_place_q").input("Mariupol")
    _run(at)
    assert at.selectbox(key="edit_place_pick").options[0].startswith("Mariupol (city")
    at.button(key="edit_move_place").click()
    _run(at)
    tips = _tips(map_args(at))
    assert "Strike · Mariupol" in tips and "Strike · Kharkiv" not in tips
    # added by hand
    at.selectbox(key="add_type").set_value("humanitarian")
    at.text_input(key="add_place_q").input("Zaporizhzhia")
    _run(at)
    at.date_input(key="add_date").set_value(dt.date(2022, 2, 28))
    at.text_input(key="add_actors").input("Ukraine")
    at.text_area(key="add_quote").input("An aid convoy reached Zaporizhzhia.")
    at.button(key="add_event").click()
    _run(at)
    assert "Humanitarian · Zaporizhzhia" in _tips(map_args(at))
    assert "Added by hand" in at.multiselect(key="f_sources").options


def test_without_a_name_nothing_is_written(app):
    at = _run(app)
    event_id = _pick(at, "Berdiansk")
    at.button(key="edit_mark_false").click()
    _run(at)
    assert any("Type your name first" in _plain(e.value) for e in at.error)
    s = open_store(str(app.store_dir / "sitmap.sqlite"))
    try:
        assert s.corrections(event_id) == []
    finally:
        s.close()


# -- imported layers -------------------------------------------------------------------


def _imported_file(tmp_path: Path) -> Path:
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [37.55, 47.10]},
         "properties": {"event_type": "strike", "date": "2022-02-27", "place": "Mariupol",
                        "quote": "Shelling hit the port of Mariupol.", "source": "partner-feed"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [35.14, 47.84]},
         "properties": {"event_type": "humanitarian", "date": "2022-03-02", "place": "Zaporizhzhia",
                        "quote": "A <b>shelter</b> opened in Zaporizhzhia.", "source": "partner-feed"}}]}
    path = tmp_path / "partner events.geojson"
    path.write_text(json.dumps(fc), encoding="utf-8")
    return path


def test_an_imported_file_is_its_own_layer(week_app, map_args, tmp_path):
    from geo.exchange.imported import import_layer

    import_layer(_imported_file(tmp_path), week_app.store_dir)
    at = _run(week_app)
    args = map_args(at)
    assert "Imported: partner_events" in args["feature_group"]
    tips = _tips(args)
    assert "Imported: partner_events · Strike · Mariupol" in tips
    assert "Imported: partner_events · Humanitarian · Zaporizhzhia" in tips
    # markup in an imported quote is text in the popup, never HTML
    popup = next(f["properties"]["_popup"] for f in _features(args)
                 if f["properties"]["_tip"].endswith("Zaporizhzhia"))
    assert "<b>shelter</b>" not in popup and "&lt;b&gt;shelter&lt;/b&gt;" in popup
    assert "partner-feed" in popup  # the imported event keeps its own source
    # the timeline applies to imported events too
    at.select_slider(key="asof_day").set_value(dt.date(2022, 2, 28))
    _run(at)
    tips = _tips(map_args(at))
    assert "Imported: partner_events · Strike · Mariupol" in tips
    assert "Imported: partner_events · Humanitarian · Zaporizhzhia" not in tips
    # the list of imported layers can remove one
    at.button(key="import_remove_partner_events").click()
    _run(at)
    assert "Imported: partner_events" not in map_args(at)["feature_group"]


def test_a_bad_import_names_the_line_and_writes_nothing(tmp_path):
    from dashboard.imports_ui import import_upload

    folder = tmp_path / "store" / "imported"
    bad = ("event_date,event_type,latitude,longitude,location\n"
           "2022-02-27,Battles,47.1,37.5,Mariupol\n"
           "2022-02-28,Battles,not-a-number,37.5,Mariupol\n").encode()
    ok, message = import_upload(folder, "acled.csv", bad)
    assert not ok and "acled.csv" in message and "line 3" in message
    assert not folder.exists() or not any(folder.iterdir())
    assert [p.name for p in (tmp_path / "store").iterdir() if p.name != "imported"] == []
    ok, message = import_upload(folder, "acled.csv", bad.rsplit(b"\n", 2)[0] + b"\n")
    assert ok and "1 event imported" in message
    assert [p.name for p in folder.iterdir()] == ["acled.gpkg"]


def test_the_geopackage_download_has_the_corrected_values(store, tmp_path):
    import pyogrio

    from dashboard.downloads import events_gpkg

    feature = next(f for f in store.query_events()["features"] if f["properties"]["place"] == "Berdiansk")
    store.add_correction(new_correction("retype", {"event_type": "battle"}, "Olena", feature=feature),
                         expected_version=0)
    path = tmp_path / "out.gpkg"
    path.write_bytes(events_gpkg(store.query_events()))
    layers = [name for name, _ in pyogrio.list_layers(path)]
    assert "battle" in layers
    battle = pyogrio.read_dataframe(path, layer="battle")
    row = battle[battle["id"] == feature["properties"]["id"]].iloc[0]
    assert bool(row["corrected"]) and row["corrected_by"] == "Olena" and row["place"] == "Berdiansk"
    strikes = pyogrio.read_dataframe(path, layer="strike")
    assert not strikes["corrected"].astype(bool).any()


# -- the as-of day and the date range, without Streamlit ----------------------------------


def test_the_as_of_day_is_an_upper_bound_inside_the_date_range():
    from dashboard import filters as flt
    from geo.store import EventFilter

    days = [dt.date(2022, 2, d) for d in (24, 25, 26, 27, 28)]
    everything = EventFilter()
    assert flt.with_as_of(everything, dt.date(2022, 2, 26), days).date_to == "2022-02-26"
    assert flt.with_as_of(everything, dt.date(2022, 2, 28), days) == everything  # the last day: the latest
    ranged = EventFilter(date_from="2022-02-25", date_to="2022-02-27")
    inside = flt.days_in_range(days, ranged)
    assert inside == days[1:4]
    assert flt.with_as_of(ranged, dt.date(2022, 2, 26), inside).date_to == "2022-02-26"
    assert flt.with_as_of(ranged, dt.date(2022, 2, 26), inside).date_from == "2022-02-25"
    # a day between reports snaps to the last report day before it; one before them all to the first
    assert flt.snap_day(dt.date(2022, 3, 10), days) == dt.date(2022, 2, 28)
    assert flt.snap_day(dt.date(2022, 2, 1), days) == dt.date(2022, 2, 24)
    assert flt.as_of_from_params({"asof": ["2022-02-27"]}) == dt.date(2022, 2, 27)
    assert flt.as_of_from_params({"asof": ["yesterday"]}) is None
