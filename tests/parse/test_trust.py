"""Never a silent guess: unplaced names stay in the result, vague places say so, offsets move points."""

from __future__ import annotations

import math

import pytest

from geo.parse.offsets import bearing_of, moved
from geo.parse.pipeline import parse_text


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


KHARKIV = (49.98, 36.25)


# -- unresolved names -----------------------------------------------------------------


@pytest.mark.parametrize("text, names", [
    ("Russian forces shelled near Zzyxivka, Donetsk oblast.", ["Zzyxivka"]),
    ("Zzyxivka, Donetsk oblast, came under fire overnight.", ["Zzyxivka"]),
    ("Artillery hit Qwertivka (Bakhmut raion, Donetsk oblast) and Kramatorsk.", ["Qwertivka"]),
    ("Fighting continued in the village of Blorpove Pole and outside Kramatorsk.", ["Blorpove Pole"]),
])
def test_a_name_the_gazetteer_lacks_is_kept_with_its_span(gazetteer, text, names):
    result = parse_text(text, gazetteer=gazetteer)
    assert [u.text for u in result.unresolved] == names
    assert all(text[u.start:u.end] == u.text for u in result.unresolved)
    assert not any(p.mention in names for p in result.places)  # and never guessed onto the map


@pytest.mark.parametrize("text", [
    "Meanwhile, Donetsk oblast was shelled again.",
    "However, Kharkiv oblast authorities said the strikes went on.",
    "In March, Ukrainian forces in Bakhmut met President Zelensky.",
    "Russian troops advanced near NATO's eastern flank, the Ministry said.",
    "Shelling near Kindergarten No. 5 in Kharkiv wounded two.",
    "Explosions were heard in Kyiv on Monday.",
])
def test_actors_months_openers_and_buildings_are_not_unresolved_places(gazetteer, text):
    assert parse_text(text, gazetteer=gazetteer).unresolved == ()


def test_an_event_carries_the_unplaced_names_of_its_sentence(gazetteer):
    text = "Russian forces shelled near Zzyxivka, Donetsk oblast. Kramatorsk was shelled too."
    events = parse_text(text, gazetteer=gazetteer).events
    by_place = {e.place: e for e in events if e.event_type == "strike"}
    assert by_place["Donetska oblast"].unresolved == ("Zzyxivka",)
    assert by_place["Kramatorsk"].unresolved == ()


# -- precision ---------------------------------------------------------------------------


@pytest.mark.parametrize("text, place, precision", [
    ("Shelling hit Kharkiv overnight.", "Kharkiv", "place"),
    ("Shelling in Zaporizhzhia oblast overnight.", "Zaporizka oblast", "oblast"),
    ("Fighting was reported in the Pokrovsk raion.", "Pokrovsk", "raion"),
    ("Ukraine announced general mobilisation.", "Ukraine", "country"),
])
def test_each_event_says_how_exactly_its_place_is_known(gazetteer, text, place, precision):
    result = parse_text(text, gazetteer=gazetteer)
    (event,) = result.events
    assert (event.place, event.precision) == (place, precision)
    assert [p.precision for p in result.places if p.name == place] == [precision]


def test_pokrovsk_the_town_and_pokrovsk_the_raion_differ(gazetteer):
    result = parse_text("Strikes hit Pokrovsk. Fighting went on in the Pokrovsk raion.", gazetteer=gazetteer)
    assert [(p.mention, p.precision) for p in result.places] == [("Pokrovsk", "place"), ("Pokrovsk", "raion")]


# -- offsets --------------------------------------------------------------------------------


@pytest.mark.parametrize("direction, bearing", [("north", 0), ("north-west", 315), ("South East", 135),
                                                ("southwestern", 225), ("east", 90)])
def test_bearings(direction, bearing):
    assert bearing_of(direction) == bearing


def test_geodesic_move_keeps_the_distance():
    lat, lon = moved(*KHARKIV, bearing_of("north-west"), 15)
    assert km(KHARKIV, (lat, lon)) == pytest.approx(15, abs=0.05)
    assert lat > KHARKIV[0] and lon < KHARKIV[1]


@pytest.mark.parametrize("text, mention, km_away, direction", [
    ("Russian troops struck a village 10 kilometres south of Kharkiv.", "10 kilometres south of Kharkiv", 10, "S"),
    ("Heavy fighting 25 km north-east of Kharkiv on Monday.", "25 km north-east of Kharkiv", 25, "NE"),
    ("Shelling was reported 6 miles west of Kharkiv.", "6 miles west of Kharkiv", 9.66, "W"),
])
def test_an_offset_is_a_point_that_far_that_way_at_lower_confidence(gazetteer, text, mention, km_away, direction):
    result = parse_text(text, gazetteer=gazetteer)
    (place,) = [p for p in result.places if p.precision == "offset"]
    city = parse_text("Shelling hit Kharkiv.", gazetteer=gazetteer).places[0]
    assert place.mention == mention == text[place.start:place.end]
    assert km((city.lat, city.lon), (place.lat, place.lon)) == pytest.approx(km_away, abs=0.1)
    dlat, dlon = place.lat - city.lat, place.lon - city.lon
    assert {"S": dlat < 0 and abs(dlon) < 1e-3, "NE": dlat > 0 and dlon > 0, "W": dlon < 0 and abs(dlat) < 0.01}[direction]
    assert place.confidence < city.confidence
    assert place.geometry == {"type": "Point", "coordinates": [place.lon, place.lat]}
    assert [e.place for e in result.events] and all(e.place == place.name and e.precision == "offset"
                                                    for e in result.events)


def test_an_unknown_village_south_of_a_city_is_put_south_of_it_and_still_listed(gazetteer):
    text = "Clashes were reported near Zzyxivka (south of Kharkiv)."
    result = parse_text(text, gazetteer=gazetteer)
    (event,) = result.events
    assert event.place == "Zzyxivka" and event.precision == "offset"
    (place,) = result.places
    assert place.mention == "Zzyxivka (south of Kharkiv)" and place.lat < KHARKIV[0] - 0.05
    assert [u.text for u in result.unresolved] == ["Zzyxivka"]  # placed roughly: still to check


def test_a_reference_in_brackets_after_a_known_place_changes_nothing(gazetteer):
    result = parse_text("Clashes near Kupiansk (south-east of Kharkiv).", gazetteer=gazetteer)
    assert [(e.place, e.precision) for e in result.events] == [("Kupiansk", "place")]
