"""Coordinates written in a caption: read as a point place, and where the caption's events are."""

from __future__ import annotations

import pytest

from geo.parse.coordinates import written_points
from geo.parse.pipeline import parse_text


@pytest.mark.parametrize(("text", "point"), [
    ("at 47.9436, 37.5011.", (47.9436, 37.5011)),
    ("at 47.9436 37.5011", (47.9436, 37.5011)),
    ("(47.9436,37.5011)", (47.9436, 37.5011)),
    ("49.48613251095017, 36.84078934388335.: MilitaryLand", (49.486133, 36.840789)),
    ("at 48.5921N 37.9996E", (48.5921, 37.9996)),
    ("at 48.5921° N, 37.9996° E", (48.5921, 37.9996)),
    ("N48.59 E37.99", (48.59, 37.99)),
    ("37.99E 48.59N", (48.59, 37.99)),  # longitude first, told by its letters
    ("48°35'31.6\"N 37°59'58.6\"E", (48.592111, 37.999611)),
    ("-33.868, 151.209", None),  # three decimals without letters: too often a count
    ("-33.86882, 151.20930", (-33.86882, 151.2093)),
    ("40.7128N 74.0060W", (40.7128, -74.006)),
])
def test_coordinate_forms(text, point):
    found = written_points(text)
    if point is None:
        assert found == []
        return
    [p] = found
    assert (p.lat, p.lon) == pytest.approx(point, abs=1e-6)
    assert p.kind == "point" and p.precision == "place"
    assert p.geometry == {"type": "Point", "coordinates": [p.lon, p.lat]}


@pytest.mark.parametrize("text", [
    "Russian losses rose to 1.234, 5.678 according to the count",  # counts, not degrees
    "Explosions in Kyiv at 05.30, 06.15 local time",
    "Version 12.3456.7890 shipped",
    "Lat 95.12345, 37.12345 is no latitude",
    "2S19 Msta and S-300 near 5 E",
    "Kh-101 and 9K720 Iskander",
])
def test_numbers_that_are_no_coordinates(text):
    assert written_points(text) == []


def _only_event(text, gazetteer, event_type):
    [ev] = [e for e in parse_text(text, gazetteer=gazetteer).events if e.event_type == event_type]
    return ev


def test_an_event_in_the_sentence_of_a_point_is_at_the_point(gazetteer):
    ev = _only_event("Russian strike on a warehouse at 47.9436, 37.5011", gazetteer, "strike")
    assert (ev.lat, ev.lon) == (47.9436, 37.5011)
    assert ev.place_kind == "point" and ev.precision == "place"


def test_a_geolocated_point_after_the_caption_places_its_events(gazetteer):
    caption = "Russian TOS-1A firing at Ukrainian positions near Marinka. Geolocated: 47.9436, 37.5011"
    ev = _only_event(caption, gazetteer, "strike")
    assert (ev.lat, ev.lon) == (47.9436, 37.5011)
    # on a line of its own, too
    ev = _only_event("Russian tanks in Bakhmut\n48.5921, 37.9996", gazetteer, "troop_movement")
    assert (ev.lat, ev.lon) == (48.5921, 37.9996)


def test_a_point_far_from_the_named_town_does_not_move_its_events(gazetteer):
    ev = _only_event("Russian tanks in Bakhmut. Geolocated: 46.5921, 30.9996", gazetteer, "troop_movement")
    assert ev.place == "Bakhmut"


def test_a_point_inside_a_sentence_that_places_something_else_moves_nothing(gazetteer):
    # the point is the base's, written in its own sentence after the strike's town
    text = ("Ovruch, Zhytomyr region: Extensive damage to homes from a strike. "
            "Ukrainian military base approx 200m away at 51.328175, 28.800817.")
    result = parse_text(text, gazetteer=gazetteer)
    assert {e.place for e in result.events} == {"Ovruch"}
    assert any(p.kind == "point" for p in result.places)


def test_a_point_in_brackets_after_a_village_is_that_village_there(gazetteer):
    result = parse_text("Ukrainian drone hits Russian BMP near Robotyne (47.4512, 35.8371)", gazetteer=gazetteer)
    [ev] = [e for e in result.events if e.event_type == "strike"]
    assert ev.place == "Robotyne" and (ev.lat, ev.lon) == (47.4512, 35.8371)
    [robotyne] = [p for p in result.places if p.name == "Robotyne"]
    assert robotyne.mention == "Robotyne (47.4512, 35.8371)"
    assert not [p for p in result.places if p.kind == "point"]


def test_events_before_an_earlier_paragraph_break_stay(gazetteer):
    text = "Russian tanks in Bakhmut.\n\nGeolocated: 48.5921, 37.9996"
    ev = _only_event(text, gazetteer, "troop_movement")
    assert ev.place == "Bakhmut"


def test_a_text_with_a_lone_surrogate_is_read_too():
    [p] = written_points("Strike at 47.9436, 37.5011 \ud800 overnight")
    assert (p.lat, p.lon) == (47.9436, 37.5011)
    assert written_points("Kharkiv \ud800 overnight") == []


def test_a_log_of_coordinates_is_read_for_as_many_points_as_names(gazetteer, monkeypatch):
    from geo import settings

    monkeypatch.setattr(settings, "MAX_REPORT_NAMES", 50)
    result = parse_text("seen at 47.9436, 37.5011.\n" * 80, gazetteer=gazetteer)
    assert sum(p.kind == "point" for p in result.places) == 50
    assert any(w.startswith("too many coordinates") and "the 30 from character" in w for w in result.warnings)
