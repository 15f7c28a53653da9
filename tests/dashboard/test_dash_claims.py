"""Claims, denials, failures and dates in the dashboard (issue 19): intake, editor, status."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.corrections_ui import details_after
from dashboard.intake import ingest_paste
from dashboard.safehtml import claim_status, event_block
from geo.parse.pipeline import NO_DATE_WARNING
from tests.dashboard.apptest_reading import headlines, plain as _plain


def test_an_undated_paste_is_saved_with_a_warning_and_a_dated_one_without(store, gazetteer):
    undated = ingest_paste(store, "Russian forces shelled Kharkiv and captured Izium.", gazetteer=gazetteer)
    assert undated.ok and NO_DATE_WARNING in undated.warnings
    dated = ingest_paste(store, "Russian forces shelled Sumy and captured Trostianets.", gazetteer=gazetteer,
                         date="2022-03-01")
    assert dated.ok and not dated.warnings
    written = ingest_paste(store, "On 2 March 2022 Russian forces shelled Okhtyrka.", gazetteer=gazetteer)
    assert written.ok and not written.warnings  # the text's own date


def test_details_after_keeps_only_what_changed():
    props = {"date": "2022-03-01", "actors": ["Russia"], "certainty": "confirmed", "attributed_to": None,
             "denied_by": None, "outcome": None}
    same = {"date": dt.date(2022, 3, 1), "actors": "Russia", "certainty": "confirmed"}
    assert details_after(props, same) == {}
    changed = {**same, "date": dt.date(2022, 3, 2), "denied": "Ukraine", "certainty": "claimed",
               "source": "Russian MoD"}
    assert details_after(props, changed) == {"date": "2022-03-02", "denied_by": "Ukraine", "certainty": "claimed",
                                             "attributed_to": "Russian MoD"}
    assert details_after(props, {**same, "undated": True}) == {"date": None}
    assert details_after(props, {**same, "failed": True, "actors": "Russia, Wagner"}) == {
        "outcome": "failed", "actors": ["Russia", "Wagner"]}


@pytest.mark.parametrize("props, status, words", [
    ({"certainty": "claimed", "denied_by": "Ukraine", "attributed_to": "Russia"}, "denied", "DENIED"),
    ({"certainty": "confirmed", "outcome": "failed", "subtype": "failed capture"}, "failed", "FAILED"),
    ({"certainty": "claimed", "attributed_to": "Russian MoD"}, "claimed", "CLAIMED"),
    ({"certainty": "confirmed"}, None, None),
])
def test_the_popup_says_denied_failed_or_claimed(props, status, words):
    assert claim_status(props) == status
    html = event_block({"quote": "q", "source": "s", "date": "2022-03-01", **props})
    assert (words in html) if words else ("sm-status" not in html)


@pytest.mark.slow
def test_the_editor_sets_a_denial_and_the_status_stops_saying_captured(app):
    at = app.run()
    assert not at.exception, at.exception
    places = [_plain(b.label) for b in at.sidebar.button if b.key and b.key.startswith("place_")]
    assert "Berdiansk: captured (Russia)" in places
    at.text_input(key="analyst_name").input("Olena")
    at.text_input(key="edit_search").input("Berdiansk").run()
    box = at.selectbox(key="edit_event")
    assert box.options and "Berdiansk" in box.options[0]
    at.text_input(key="edit_denied").input("Ukraine")
    at.selectbox(key="edit_certainty").set_value("claimed")
    at.date_input(key="edit_date").set_value(dt.date(2022, 2, 27))
    at.button(key="edit_details").click().run()
    assert not at.exception, at.exception
    assert any("Saved: edit by Olena" in _plain(s.value) for s in at.success)
    places = [_plain(b.label) for b in at.sidebar.button if b.key and b.key.startswith("place_")]
    berdiansk = next(p for p in places if p.startswith("Berdiansk:"))
    assert "captured" not in berdiansk.replace("capture by", "") and "denied by Ukraine" in berdiansk
    audit = at.dataframe[0].value
    assert list(audit["Who"]) == ["Olena"] and "Ukraine" in audit["After"][0]
    assert "Berdiansk captured by Russia" not in headlines(at)


def test_undated_events_join_a_dated_view_only_when_asked(store, gazetteer):
    from geo.store import EventFilter

    ingest_paste(store, "Russian forces shelled Kharkiv and captured Izium.", title="undated.txt", gazetteer=gazetteer)
    places = lambda f: {p["properties"]["place"] for p in store.query_events(f)["features"]}  # noqa: E731
    assert "Izium" in places(EventFilter())  # the latest view shows everything
    as_of = EventFilter(date_to="2022-03-01")
    assert "Izium" not in places(as_of)
    assert "Izium" in places(EventFilter(date_to="2022-03-01", undated=True))
    # nor does it set the place's status silently: it is flagged
    assert "[undated]" in store.status()["places"]["Izium"]["summary"]
