"""The optional online geocoder, against a fake Nominatim on 127.0.0.1.

Never the internet: every request goes to a server this module starts on a
random loopback port.  The server answers Nominatim-shaped JSON, or fails in
the ways a real service does (slow, 429, 500, garbled), so the tests see what
an analyst would: the unknown village on the map, or a warning and the
offline places, quickly.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest

from geo.gazetteer.geocoders import (GEOCODERS, MIN_PRODUCTION_DELAY_S, GeocoderFailed, NominatimGeocoder,
                           default_geocoder, geocoder_class, place_from_raw,
                           unresolved_candidates, Candidate)
from geo.exchange.layers import result_to_json
from geo.parse.pipeline import parse_text
from tests.fake_geocoder import REPORT, FakeNominatim, closed_port_url, running_fake


@pytest.fixture
def fake() -> Iterator[FakeNominatim]:
    with running_fake() as server:
        yield server


def make_geocoder(url: str, cache, timeout: float = 2.0) -> NominatimGeocoder:
    return NominatimGeocoder(url, cache_dir=cache, timeout=timeout, min_delay_seconds=0.0, proxies={})


def timed_parse(text: str, gazetteer, geocoder):
    t0 = time.monotonic()
    # dated, so the only warnings are the geocoder's
    result = parse_text(text, source="r.txt", date="2022-03-01", gazetteer=gazetteer, geocoder=geocoder)
    return result, time.monotonic() - t0


# ---- success and cache ------------------------------------------------------------------
def test_unknown_village_is_placed_from_the_service(fake, gazetteer, tmp_path):
    result, _ = timed_parse(REPORT, gazetteer, make_geocoder(fake.url, tmp_path))
    by_name = {p.name: p for p in result.places}
    assert {"Kharkiv", "Zorvania"} <= set(by_name)
    z = by_name["Zorvania"]
    assert REPORT[z.start:z.end] == "Zorvania" == z.mention
    assert (z.lat, z.lon) == (49.8123, 36.5012) and z.country_code == "UA" and z.kind == "city"
    assert z.gazetteer_id == "osm:node/777" and z.confidence <= 0.6
    assert result.warnings == ()
    # the battle near the village is drawn there, not on Kharkiv
    assert any(e.event_type == "battle" and e.place == "Zorvania" for e in result.events)
    # only the unknown name went online; Kharkiv came from the gazetteer
    assert fake.queries == ["Zorvania"]
    assert fake.user_agents[0].startswith("Sitmap/")


def test_second_lookup_is_served_from_the_disk_cache(fake, gazetteer, tmp_path):
    timed_parse(REPORT, gazetteer, make_geocoder(fake.url, tmp_path))
    assert len(fake.queries) == 1
    # a new geocoder (a new process, say) on the same cache folder asks nothing
    again = make_geocoder(fake.url, tmp_path)
    result, _ = timed_parse(REPORT, gazetteer, again)
    assert len(fake.queries) == 1 and again.requests_made == 0
    assert "Zorvania" in {p.name for p in result.places}
    cached = list((tmp_path / "nominatim").glob("*.json"))
    assert len(cached) == 1 and json.loads(cached[0].read_text())["query"] == "Zorvania"


def test_a_name_the_service_does_not_know_costs_one_request_and_is_cached(fake, gazetteer, tmp_path):
    text = "Explosions were heard near Qwertyville and again near Qwertyville at dawn."
    geocoder = make_geocoder(fake.url, tmp_path)
    result, _ = timed_parse(text, gazetteer, geocoder)
    assert fake.queries == ["Qwertyville"] and not result.warnings
    assert "Qwertyville" not in {p.name for p in result.places}
    timed_parse(text, gazetteer, make_geocoder(fake.url, tmp_path))
    assert fake.queries == ["Qwertyville"]


def test_every_mention_of_a_looked_up_name_gets_its_place(fake, gazetteer, tmp_path):
    text = "Fighting near Zorvania. Later, shelling in Zorvania."
    result, _ = timed_parse(text, gazetteer, make_geocoder(fake.url, tmp_path))
    spans = [(p.start, p.end) for p in result.places if p.name == "Zorvania"]
    assert [text[s:e] for s, e in spans] == ["Zorvania", "Zorvania"] and len(set(spans)) == 2
    assert fake.queries == ["Zorvania"]


def test_geocoded_places_reach_the_contract_json(fake, gazetteer, tmp_path):
    result, _ = timed_parse(REPORT, gazetteer, make_geocoder(fake.url, tmp_path))
    doc = json.loads(json.dumps(result_to_json(result)))
    (z,) = [p for p in doc["places"] if p["name"] == "Zorvania"]
    assert z["geometry"] == {"type": "Point", "coordinates": [36.5012, 49.8123]}
    assert doc["warnings"] == []


# ---- failures: a warning, the offline places, and no hang ---------------------------------
FAILURES = {
    "429": "rate limited",
    "500": "service error",
    "garbled": "parse error",
    "no-coordinates": "parse error",
}


@pytest.mark.parametrize("mode", sorted(FAILURES))
def test_a_failing_service_gives_a_warning_and_the_offline_places(fake, gazetteer, tmp_path, mode):
    fake.mode = mode
    result, seconds = timed_parse(REPORT, gazetteer, make_geocoder(fake.url, tmp_path))
    assert seconds < 5
    assert "Kharkiv" in {p.name for p in result.places}
    assert "Zorvania" not in {p.name for p in result.places}
    (warning,) = result.warnings
    assert "online geocoder" in warning and FAILURES[mode] in warning
    assert result_to_json(result)["warnings"] == [warning]
    assert not list((tmp_path / "nominatim").glob("*.json"))  # failures are never cached


def test_refused_connection_gives_a_warning_quickly(gazetteer, tmp_path):
    result, seconds = timed_parse(REPORT, gazetteer, make_geocoder(closed_port_url(), tmp_path))
    assert seconds < 5
    assert "Kharkiv" in {p.name for p in result.places}
    (warning,) = result.warnings
    assert "unavailable" in warning


def test_a_service_slower_than_the_timeout_gives_a_warning_not_a_hang(fake, gazetteer, tmp_path):
    from geo import settings

    fake.delay_s = 8.0
    # the production timeout, so the 5 s promise is checked as shipped
    geocoder = make_geocoder(fake.url, tmp_path, timeout=settings.GEOCODER_TIMEOUT_S)
    result, seconds = timed_parse(REPORT, gazetteer, geocoder)
    assert settings.GEOCODER_TIMEOUT_S <= seconds < 5  # one attempt, not the server's 8 s
    (warning,) = result.warnings
    assert "timed out" in warning
    assert "Kharkiv" in {p.name for p in result.places}


def test_after_one_failure_the_other_names_are_not_tried(fake, gazetteer, tmp_path):
    fake.mode = "500"
    text = "Fighting near Zorvania, near Blorpivka and near Qwertyville."
    result, _ = timed_parse(text, gazetteer, make_geocoder(fake.url, tmp_path))
    assert fake.queries == ["Zorvania"] and len(result.warnings) == 1


def test_a_torn_cache_file_is_asked_again(fake, gazetteer, tmp_path):
    geocoder = make_geocoder(fake.url, tmp_path)
    geocoder._cache_path("Zorvania").parent.mkdir(parents=True)
    geocoder._cache_path("Zorvania").write_text('{"query": "Zorv')
    result, _ = timed_parse(REPORT, gazetteer, geocoder)
    assert "Zorvania" in {p.name for p in result.places} and fake.queries == ["Zorvania"]


def test_lookups_per_report_are_capped(fake, gazetteer, tmp_path):
    names = [f"Qwert{chr(97 + i)}ville" for i in range(15)]
    text = " ".join(f"Fighting near {n}." for n in names)
    result, _ = timed_parse(text, gazetteer, make_geocoder(fake.url, tmp_path))
    assert fake.queries == names[:10]
    assert any("stopped after 10 names" in w for w in result.warnings)


# ---- rate limit and configuration ------------------------------------------------------
def test_production_rate_limit_is_at_least_one_second_between_requests(fake, tmp_path):
    geocoder = NominatimGeocoder(fake.url, cache_dir=tmp_path, proxies={})
    assert geocoder.min_delay_seconds >= 1.0 == MIN_PRODUCTION_DELAY_S
    t0 = time.monotonic()
    geocoder.search("Zorvania")
    geocoder.search("Qwertyville")
    assert time.monotonic() - t0 >= 0.95
    assert fake.queries == ["Zorvania", "Qwertyville"]


def test_the_geocoder_is_off_unless_configured(monkeypatch):
    from geo import settings

    monkeypatch.setattr(settings, "ONLINE_GEOCODER", False)
    assert default_geocoder() is None
    monkeypatch.setattr(settings, "ONLINE_GEOCODER", True)
    monkeypatch.setattr(settings, "GEOCODER_URL", "http://127.0.0.1:9")
    geocoder = default_geocoder()
    assert isinstance(geocoder, NominatimGeocoder)
    assert geocoder._client.api == "http://127.0.0.1:9/search"


def test_registry_maps_service_names_to_classes():
    assert geocoder_class("Nominatim") is NominatimGeocoder is GEOCODERS["nominatim"]
    with pytest.raises(KeyError, match="known: nominatim"):
        geocoder_class("bing")


# ---- the pure parts ------------------------------------------------------------------------
@pytest.mark.parametrize("text, names", [
    ("Troops moved into Zorvania, towards Qwerty Hills and around Blorp City.",
     ["Zorvania", "Qwerty Hills", "Blorp City"]),
    ("In March, talks in NATO and in Ukrainian media; a call to President Biden in the EU.", []),
    ("Shelling on the outskirts of Zorvania's school and in the village of Kvitneve Pole.",
     ["Zorvania", "Kvitneve Pole"]),
    ("Convoys near Łódźwice and near Ørbæk-Strand.", ["Łódźwice", "Ørbæk-Strand"]),
    ("fighting in zorvania, then at 5 o'clock in the morning", []),
])
def test_candidates_are_governed_capitalised_names(text, names):
    found = unresolved_candidates(text, [])
    assert [c.name for c in found] == names
    assert all(text[c.start:c.end] == c.name for c in found)


def test_names_the_gazetteer_resolved_are_not_candidates(gazetteer):
    text = "Explosions in Kyiv and near Zorvania."
    result = parse_text(text, gazetteer=gazetteer)
    assert [c.name for c in unresolved_candidates(text, result.places)] == ["Zorvania"]


@pytest.mark.parametrize("raw", [{"lat": "91", "lon": "0"}, {"lat": None, "lon": "1"}, {"lon": "x"}])
def test_a_hit_without_valid_coordinates_is_refused(raw):
    with pytest.raises(GeocoderFailed):
        place_from_raw(raw, Candidate("Zorvania", 0, 8))
