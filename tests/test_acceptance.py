"""The seed report's acceptance sheet (../shared/ACCEPTANCE.md), line by line.

Every check reads the files that ``python -m geo build`` wrote, as an analyst's
tools would.
"""

from __future__ import annotations

import math

import pytest
from pyproj import Geod
from shapely.geometry import Point, shape

GEOD = Geod(ellps="WGS84")
KYIV, KHARKIV, BERDIANSK = (50.45, 30.52), (49.99, 36.23), (46.76, 36.79)


def km(lat1, lon1, lat2, lon2) -> float:
    return GEOD.inv(lon1, lat1, lon2, lat2)[2] / 1000


def places_named(build, name):
    return [f for f in build["places"]["features"] if f["properties"]["name"] == name]


def events_of(build, event_type, place=None):
    return [f for f in build["events"]["features"]
            if f["properties"]["event_type"] == event_type
            and (place is None or f["properties"]["place"] == place)]


# ---- places -----------------------------------------------------------------
@pytest.mark.parametrize("name, where", [("Kyiv", KYIV), ("Kharkiv", KHARKIV), ("Berdiansk", BERDIANSK)])
def test_city_resolves_within_10_km(seed_build, name, where):
    (feat,) = places_named(seed_build, name)
    p = feat["properties"]
    assert p["kind"] == "city" and p["country_code"] == "UA"
    assert feat["geometry"]["type"] == "Point"
    lon, lat = feat["geometry"]["coordinates"]
    assert km(lat, lon, *where) < 10


def test_kyiv_mentions_include_the_capital_and_the_mayor(seed_build, seed_text):
    (kyiv,) = places_named(seed_build, "Kyiv")
    mentions = kyiv["properties"]["mentions"]
    surfaces = [m["mention"] for m in mentions]
    assert "the capital" in surfaces
    assert surfaces.count("Kyiv") == 2  # "in Kyiv and Kharkiv", "the Mayor of Kyiv"
    for m in mentions:  # offsets slice the input exactly
        assert seed_text[m["start"]:m["end"]] == m["mention"]
    assert any("Mayor of Kyiv" in m["quote"] for m in mentions if m["mention"] == "Kyiv")


def test_kharkiv_is_the_city_not_the_oblast(seed_build):
    kinds = {f["properties"]["kind"] for f in seed_build["places"]["features"]
             if "Kharkiv" in f["properties"]["name"]}
    assert kinds == {"city"}


def test_berdiansk_mention_is_the_port_city(seed_build, seed_text):
    (feat,) = places_named(seed_build, "Berdiansk")
    (m,) = feat["properties"]["mentions"]
    assert seed_text[m["start"]:m["end"]] == "Berdiansk"
    assert "small port-city of Berdiansk" in m["quote"]


# ---- lines and areas --------------------------------------------------------
def test_ukraine_belarus_border_is_a_line_of_plausible_length(seed_build):
    borders = [f for f in seed_build["places"]["features"] if f["properties"]["kind"] == "border"]
    assert len(borders) == 1
    geom = shape(borders[0]["geometry"])
    assert geom.geom_type in ("LineString", "MultiLineString")
    length_km = GEOD.geometry_length(geom) / 1000
    assert 800 <= length_km <= 1300
    assert borders[0]["properties"]["mentions"][0]["mention"] == "the Ukraine-Belarus border"
    # it runs between the two countries: every vertex is near both polygons
    ua, by = (shape(places_named(seed_build, n)[0]["geometry"]) for n in ("Ukraine", "Belarus"))
    assert geom.distance(ua) < 0.05 and geom.distance(by) < 0.05


@pytest.mark.parametrize("country", ["Ukraine", "Russia", "Belarus"])
def test_countries_are_polygons(seed_build, country):
    (feat,) = places_named(seed_build, country)
    assert feat["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert feat["properties"]["kind"] == "country"


def test_encirclement_of_kyiv_is_an_area_around_kyiv(seed_build):
    (ev,) = events_of(seed_build, "encirclement", "Kyiv")
    area = shape(ev["geometry"])
    assert area.geom_type in ("Polygon", "MultiPolygon")
    assert area.contains(Point(KYIV[1], KYIV[0]))
    # big enough to surround the city, small enough to stay a city
    radius_km = math.sqrt(GEOD.geometry_area_perimeter(area)[0] / math.pi) / 1000
    assert 8 <= radius_km <= 60


def test_polygons_follow_rfc7946_winding(seed_build):
    for fc in (seed_build["places"], seed_build["events"]):
        for f in fc["features"]:
            g = f["geometry"]
            if g and g["type"] in ("Polygon", "MultiPolygon"):
                for poly in ([g["coordinates"]] if g["type"] == "Polygon" else g["coordinates"]):
                    ring = poly[0]
                    signed = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:]))
                    assert signed > 0, f"clockwise exterior in {f['properties'].get('name')}"
        assert "crs" not in fc


# ---- events -----------------------------------------------------------------
def test_peace_talks_at_the_border(seed_build):
    (ev,) = [e for e in events_of(seed_build, "diplomacy") if e["properties"]["place_kind"] == "border"]
    p = ev["properties"]
    assert p["place"] == "Ukraine–Belarus border"
    assert set(p["actors"]) == {"Ukraine", "Russia"}
    assert ev["geometry"]["type"] in ("LineString", "MultiLineString")
    assert "ended peace talks" in p["quote"]


@pytest.mark.parametrize("city", ["Kyiv", "Kharkiv"])
def test_explosions_are_strikes_one_per_city(seed_build, city):
    (ev,) = events_of(seed_build, "strike", city)
    assert "explosions continue" in ev["properties"]["quote"]
    assert ev["geometry"]["type"] == "Point"


def test_berdiansk_captured_by_russia(seed_build):
    (ev,) = events_of(seed_build, "capture", "Berdiansk")
    assert ev["properties"]["actors"] == ["Russia"]
    assert "captured the small port-city of Berdiansk" in ev["properties"]["quote"]


def test_capital_surrounded_is_a_claimed_encirclement(seed_build):
    (ev,) = events_of(seed_build, "encirclement", "Kyiv")
    p = ev["properties"]
    assert p["attributed_to"] == "Mayor of Kyiv"
    assert p["certainty"] == "claimed"
    assert "completely surrounded" in p["quote"]


def test_mobilisation_in_ukraine_by_ukraine(seed_build):
    evs = events_of(seed_build, "mobilization")
    assert evs and all(e["properties"]["place"] == "Ukraine" for e in evs)
    assert all(e["properties"]["actors"] == ["Ukraine"] for e in evs)
    quotes = " ".join(e["properties"]["quote"] for e in evs)
    for phrase in ("offering civilians weapons", "freedom to prisoners", "men aged between 18-60"):
        assert phrase in quotes
    assert all(e["geometry"]["type"] in ("Polygon", "MultiPolygon") for e in evs)


def test_nuclear_alert_is_strategic_in_russia(seed_build):
    (ev,) = events_of(seed_build, "strategic")
    p = ev["properties"]
    assert p["place"] == "Russia" and p["actors"] == ["Russia"]
    assert "high alert" in p["quote"]
    assert ev["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_belarus_used_as_launching_point(seed_build):
    (ev,) = events_of(seed_build, "troop_movement")
    assert ev["properties"]["place"] == "Belarus"
    assert "launching point" in ev["properties"]["quote"]
    assert ev["geometry"]["type"] in ("Polygon", "MultiPolygon")


def test_losses_are_russian_losses_in_ukraine(seed_build):
    evs = events_of(seed_build, "losses")
    assert evs
    assert all(e["properties"]["place"] == "Ukraine" for e in evs)
    assert all(e["properties"]["actors"] == ["Russia"] for e in evs)
    quotes = " ".join(e["properties"]["quote"] for e in evs)
    assert "heavy losses" in quotes and "running out of fuel" in quotes


def test_every_event_keeps_its_sentence(seed_build, seed_text):
    for f in seed_build["events"]["features"]:
        p = f["properties"]
        assert seed_text[p["start"]:p["end"]] == p["quote"]
        assert p["source"] == "000_e0b432954ff16db6.txt"
        assert p["date"] == "2022-02-28"


# ---- must not exist ---------------------------------------------------------
def test_no_capture_anywhere_but_berdiansk(seed_build):
    assert {e["properties"]["place"] for e in events_of(seed_build, "capture")} == {"Berdiansk"}


def test_no_organisations_or_demonyms_as_places(seed_build, seed_text):
    for f in seed_build["places"]["features"]:
        for m in f["properties"]["mentions"]:
            surface = m["mention"].lower()
            assert surface not in {"nato", "eu", "teu", "ukrainian", "russian", "european", "union"}
            assert "european union" not in surface and "treaty" not in surface


def test_eu_accession_does_not_land_on_a_town(seed_build):
    for e in events_of(seed_build, "diplomacy"):
        if "accession" in e["properties"]["quote"]:
            assert e["properties"]["place"] in (None, "Ukraine", "Brussels")


def test_every_feature_is_in_europe(seed_build):
    europe = shape({"type": "Polygon", "coordinates": [[[-25, 34], [180, 34], [180, 82], [-25, 82], [-25, 34]]]})
    for fc in (seed_build["places"], seed_build["events"]):
        for f in fc["features"]:
            if f["geometry"]:
                # Russia's polygon spans the date line; its label point must be in Europe's box
                rep = Point(f["properties"]["lon"], f["properties"]["lat"])
                assert europe.contains(rep), f["properties"]
                if f["properties"].get("kind") not in ("country",) and f["properties"].get("place_kind") != "country":
                    assert europe.contains(shape(f["geometry"]).centroid)


# ---- status -----------------------------------------------------------------
def test_status_day_and_date(seed_build):
    st = seed_build["status"]
    assert st["war_day"] == 5
    assert st["report_date"] == "2022-02-28"


def test_place_statuses(seed_build):
    places = seed_build["status"]["places"]
    assert places["Berdiansk"]["states"]["captured"]["actor"] == "Russia"
    assert places["Berdiansk"]["summary"] == "captured (Russia)"
    kyiv = places["Kyiv"]["states"]
    assert "under_attack" in kyiv
    assert kyiv["encircled"]["certainty"] == "claimed"
    assert kyiv["encircled"]["attributed_to"] == "Mayor of Kyiv"
    assert places["Kyiv"]["summary"] == "under attack, encircled (claimed by the Mayor of Kyiv)"
    assert set(places["Kharkiv"]["states"]) == {"under_attack"}
    assert "captured" not in kyiv and "captured" not in places["Kharkiv"]["states"]


@pytest.mark.parametrize("key, words, quoted", [
    ("no_major_city_captured", "No major city captured", "failed to capture any major Ukrainian city"),
    ("talks_ended", "Peace talks ended with no outcome", "ended peace talks"),
    ("nuclear_alert", "Nuclear forces on high alert", "nuclear deterrent forces"),
    ("exit_ban", "Exit ban for men aged 18–60", "prohibited men aged between 18-60"),
    ("eu_accession", "EU accession requested", "immediate accession"),
])
def test_headlines_with_quotes(seed_build, key, words, quoted):
    heads = {h["key"]: h for h in seed_build["status"]["headlines"]}
    assert heads[key]["text"] == words
    assert quoted in heads[key]["quote"]


def test_counts_per_type_match_the_events(seed_build):
    from collections import Counter

    counted = Counter(f["properties"]["event_type"] for f in seed_build["events"]["features"])
    assert seed_build["status"]["counts"] == dict(counted)
    assert counted["strike"] == 2 and counted["capture"] == 1 and counted["encirclement"] == 1
