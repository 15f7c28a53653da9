"""Resolution: each mention to one place, chosen the way an analyst would."""

from __future__ import annotations

import math

import pytest

from geo.parse.mentions import find_mentions
from geo.parse.resolve import resolve_mentions


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def resolved(text: str, gazetteer):
    return {p.mention: p for p in resolve_mentions(find_mentions(text, gazetteer), gazetteer)}


@pytest.mark.parametrize("name, where", [("Kyiv", (50.45, 30.52)), ("Kharkiv", (49.99, 36.23)),
                                          ("Berdiansk", (46.76, 36.79)), ("Mariupol", (47.10, 37.55))])
def test_cities_land_within_10_km(name, where, gazetteer):
    place = resolved(f"Shelling was reported in {name} on Monday.", gazetteer)[name]
    assert place.kind == "city" and place.country_code == "UA"
    assert km((place.lat, place.lon), where) < 10


def test_the_capital_is_the_capital_of_the_country_in_context(gazetteer):
    place = resolved("Ukraine said the capital was calm.", gazetteer)["the capital"]
    assert km((place.lat, place.lon), (50.45, 30.52)) < 10


def test_a_country_is_a_polygon_not_a_point(gazetteer):
    place = resolved("Belarus was used as a launching point.", gazetteer)["Belarus"]
    assert place.kind == "country"
    assert place.geometry["type"] in ("Polygon", "MultiPolygon")


def test_a_border_is_a_line_of_plausible_length(gazetteer):
    from pyproj import Geod
    from shapely.geometry import shape

    place = resolved("Talks at the Ukraine-Belarus border ended.", gazetteer)["the Ukraine-Belarus border"]
    assert place.kind == "border"
    length = Geod(ellps="WGS84").geometry_length(shape(place.geometry)) / 1000
    assert 800 < length < 1300


def test_confidence_is_a_probability_and_lower_for_a_lone_ambiguous_name(gazetteer):
    sure = resolved("Explosions in Kyiv.", gazetteer)["Kyiv"]
    assert 0.0 <= sure.confidence <= 1.0
    assert sure.confidence >= 0.5


@pytest.mark.parametrize("text, city", [
    # a sentence of its own after an oblast: the city, not its oblast
    ("Fighting continued in Donetsk oblast. Kharkiv was shelled overnight.", "Kharkiv"),
    # a list of cities: the next one is not the unit the first lies in
    ("Важкий день для Дніпра, Запоріжжя і Херсона.", "Запоріжжя"),
])
def test_a_city_after_a_unit_or_in_a_list_stays_a_city(text, city, gazetteer):
    place = resolved(text, gazetteer)[city]
    assert place.kind == "city"


@pytest.mark.parametrize("text, unit", [
    ("Shelled Tacoma, Washington.", "Washington"),
    ("Shelled Mykhailivka, Kherson oblast.", "Kherson oblast"),
])
def test_a_town_then_the_unit_it_lies_in(text, unit, gazetteer):
    assert resolved(text, gazetteer)[unit].kind == "admin1"


def test_a_lone_name_shared_by_countries_is_the_default_countrys(gazetteer):
    # no name of the text settles the country: Ukraine, the default, counts as one that does
    for text, lat, lon in (("Zelenodolsk", 47.56, 33.66), ("Dachnoye", 46.58, 30.55)):
        place = resolve_mentions(find_mentions(text, gazetteer), gazetteer, text)[0]
        assert place.country_code == "UA" and km((place.lat, place.lon), (lat, lon)) < 25, (text, place)
    # a name that settles it keeps its namesakes there, and a world city stays itself
    found = resolve_mentions(find_mentions("Protests in Zelenodolsk and Kazan.", gazetteer), gazetteer)
    assert [p.country_code for p in found] == ["RU", "RU"]
    assert resolve_mentions(find_mentions("Paris", gazetteer), gazetteer)[0].country_code == "FR"


def test_of_namesakes_alike_the_village_where_the_war_is_fought_is_chosen(gazetteer):
    # Dovhenke: a village in Cherkasy oblast, far from the fighting, and three in Kharkiv
    # oblast's front raions; a caption with nothing else to go by means one of those
    from geo.parse.pipeline import parse_text

    result = parse_text("Destroyed Russian tank near Dovhenke", gazetteer=gazetteer)
    [place] = result.places
    assert place.name == "Dovhenke" and 48.9 < place.lat < 50.3 and place.lon > 37  # Kharkiv oblast
    assert len(place.alternatives) >= 1  # the other namesakes are listed, not hidden
    # a named oblast still wins over the war's raions
    [place] = [p for p in parse_text("Shelling of Dovhenke, Cherkasy oblast", gazetteer=gazetteer).places
               if p.kind == "city"]
    assert abs(place.lat - 48.83) < 0.05 and abs(place.lon - 30.81) < 0.05
    # a town is known by its size: Odesa is not Odessa, Texas
    [place] = parse_text("Explosions in Odesa", gazetteer=gazetteer).places
    assert place.country_code == "UA"


def test_a_city_s_region_is_the_oblast_around_it_not_the_city_s_own_unit(gazetteer):
    from geo.parse.pipeline import parse_text

    # Kyiv City is a unit of its own; "Kyiv region" is Kyiv oblast, which holds Borodianka
    [event] = parse_text("Fighting in Kyiv region", gazetteer=gazetteer).events
    assert (event.place, event.place_kind) == ("Kyivska oblast", "admin1")
    events = parse_text("Strike on Borodianka, Kyiv region", gazetteer=gazetteer).events
    assert [e.place for e in events] == ["Borodianka"]  # the oblast only says where it is
    assert [e.place for e in parse_text("Drone attack on Kyiv", gazetteer=gazetteer).events] == ["Kyiv"]
    # a village is placed in the oblast named after it
    [place, _] = parse_text("Russian forces shelled Bobrik, Kyiv region.", gazetteer=gazetteer).places
    assert 50.0 < place.lat < 51.5 and 29.0 < place.lon < 31.5  # not Bobryk Pershyi, Odesa oblast
