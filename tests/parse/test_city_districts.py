"""A district of a city is the city, not the village or raion elsewhere that shares its name."""

from __future__ import annotations

import csv

import pytest

from geo.parse.city_districts import TABLE
from geo.parse.pipeline import parse_text

KHARKIV, KHERSON, ZAPORIZHZHIA, MYKOLAIV, KYIV = "Kharkiv", "Kherson", "Zaporizhzhia", "Mykolaiv", "Kyiv"


@pytest.mark.parametrize(("text", "city"), [
    ("Russian missiles hit the Kyivskyi district of Kharkiv.", KHARKIV),
    ("Shelling damaged houses in Kherson's Dniprovskyi district.", KHERSON),
    ("Explosions in the Shevchenkivskyi district of Zaporizhzhia.", ZAPORIZHZHIA),
    ("Strike on Korabel'nyi district, Mykolaiv", MYKOLAIV),
    ("Удар по Київському району Харкова.", KHARKIV),
    ("Ракетний удар по Шевченківському району Києва.", KYIV),
])
def test_a_district_of_a_city_puts_its_events_at_the_city(text, city, gazetteer):
    events = parse_text(text, gazetteer=gazetteer).events
    assert events and {e.place for e in events} == {city}, [(e.place, e.lat, e.lon) for e in events]


def test_a_raion_of_the_oblast_written_with_the_city_name_stays(gazetteer):
    # Bakhmut is no district of Donetsk city: it keeps its own event
    places = {e.place for e in parse_text("Shelling in the Bakhmut district of Donetsk.", gazetteer=gazetteer).events}
    assert "Bakhmut" in places


def test_the_table_holds_the_districts_of_the_front_cities():
    with open(TABLE, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    by_city: dict[str, set[str]] = {}
    for r in rows:
        by_city.setdefault(r["city"], set()).add(r["district"])
    assert {"Kyivskyi", "Saltivskyi", "Kholodnohirskyi"} <= by_city["Kharkiv"]
    assert {"Dniprovskyi", "Korabelnyi"} <= by_city["Kherson"]
    assert "Korabelnyi" in by_city["Mykolaiv"] and "Solomianskyi" in by_city["Kyiv"]
    assert all(r["admin1"].startswith("UA.") for r in rows)


@pytest.mark.parametrize(("text", "city"), [
    ("On 14 January 2025, Russian forces shelled Kherson city, killing one civilian and injuring four "
     "others in the Dniprovskyi district.", "Kherson"),
    ("Russian forces shelled Kharkiv overnight. Later a drone hit the Kyivskyi district.", "Kharkiv"),
])
def test_a_district_written_after_its_city_in_the_same_report_is_the_citys(text, city, gazetteer):
    # Dniprovskyi is also a district of Kyiv, Kyivskyi one of Donetsk: the city just named has one
    events = parse_text(text, gazetteer=gazetteer).events
    assert events and {e.place for e in events} == {city}, [(e.place, e.lat, e.lon) for e in events]
