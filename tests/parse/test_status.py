"""Status: what the sidebar says of each place, and the headlines."""

from __future__ import annotations

from geo.parse.pipeline import parse_text
from geo.status import build_status


def test_newer_report_changes_a_place_back(gazetteer):
    first = parse_text("Russian forces captured Kherson.", date="2022-03-02", gazetteer=gazetteer, source="a")
    later = parse_text("Ukrainian forces liberated Kherson.", date="2022-11-11", gazetteer=gazetteer, source="b")
    status = build_status([later, first])  # order given does not matter: dates do
    kherson = status["places"]["Kherson"]
    assert kherson["states"]["captured"]["actor"] == "Ukraine"
    assert status["report_date"] == "2022-11-11"
    assert status["date_range"] == ["2022-03-02", "2022-11-11"]


def test_counts_per_type_match_the_events(gazetteer):
    result = parse_text("Explosions in Kyiv and Kharkiv. Russian troops captured Berdiansk.",
                        date="2022-02-28", gazetteer=gazetteer)
    status = build_status([result])
    assert status["counts"] == {"strike": 2, "capture": 1}
    assert status["total_events"] == 3


def test_a_negated_capture_sets_no_captured_status(gazetteer):
    result = parse_text("Russia has failed to capture Kharkiv.", date="2022-02-28", gazetteer=gazetteer)
    places = build_status([result])["places"]
    assert "captured" not in places.get("Kharkiv", {}).get("states", {})


def test_an_empty_report_gives_an_empty_status(gazetteer):
    status = build_status([parse_text("Nothing of note.", gazetteer=gazetteer)])
    assert status["places"] == {} and status["counts"] == {} and status["war_day"] is None
