"""The situation as of a day, over the week of example reports and the real seed.

The example reports (``seeds/timeline/``) run from 24 February to 3 March
2022; the seed is 28 February.  Berdiansk is reported captured on 27 February;
Kherson is reported surrounded on 1 March, claimed by Russia on 2 March and
confirmed taken on 3 March.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from geo.parse import timeline
from geo.records import Event

ROOT = Path(__file__).resolve().parents[2]
WEEK = [dt.date(2022, 2, 24) + dt.timedelta(days=n) for n in range(8)]


@pytest.fixture(scope="module")
def results(gazetteer):
    from geo.intake.files import parse_files

    return parse_files([ROOT / "seeds", ROOT / "seeds" / "timeline"], gazetteer)


@pytest.fixture(scope="module")
def events_fc(results):
    from geo.exchange.layers import events_collection

    return events_collection(results)


@pytest.fixture(params=["results", "features"])
def week(request, results, events_fc):
    """The same week given as parse results and as an events FeatureCollection."""
    return results if request.param == "results" else events_fc


def places_on(items, day):
    return timeline.status_as_of(items, day)["places"]


def test_days_run_through_the_week(week):
    assert timeline.timeline_days(week) == WEEK


def test_war_day_follows_the_day(week):
    for n, day in enumerate(WEEK, 1):
        status = timeline.status_as_of(week, day)
        assert (status["war_day"], status["as_of"]) == (n, day.isoformat())


def test_berdiansk_is_captured_only_from_the_day_it_was_reported(week):
    assert "captured" not in places_on(week, "2022-02-26").get("Berdiansk", {}).get("states", {})
    captured = places_on(week, "2022-02-27")["Berdiansk"]["states"]["captured"]
    assert (captured["actor"], captured["date"]) == ("Russia", "2022-02-27")
    # the seed repeats it on the 28th: the newer report wins, the older one is history
    for day in ("2022-02-28", "2022-03-03"):
        berdiansk = places_on(week, day)["Berdiansk"]
        assert (berdiansk["states"]["captured"]["actor"], berdiansk["last_date"]) == ("Russia", "2022-02-28")
        assert [h["date"] for h in berdiansk["history"]] == ["2022-02-27"]


def test_kherson_goes_from_surrounded_to_claimed_to_taken(week):
    assert "Kherson" not in places_on(week, "2022-02-28")
    first = places_on(week, "2022-03-01")["Kherson"]["states"]
    assert set(first) == {"encircled"}
    assert (first["encircled"]["certainty"], first["encircled"]["attributed_to"]) == (
        "claimed", "mayor of Kherson")
    claimed = places_on(week, "2022-03-02")["Kherson"]["states"]["captured"]
    assert (claimed["certainty"], claimed["attributed_to"]) == ("claimed", "Russian defence ministry")
    kherson = places_on(week, "2022-03-03")["Kherson"]
    assert (kherson["states"]["captured"]["certainty"], kherson["states"]["captured"]["actor"]) == (
        "confirmed", "Russia")
    assert [h["date"] for h in kherson["history"]] == ["2022-03-02"]


def test_places_appear_with_their_first_report(week):
    first_seen = {}
    for day in WEEK:
        for name in places_on(week, day):
            first_seen.setdefault(name, day.isoformat())
    assert first_seen["Hostomel Airport"] == "2022-02-24"
    assert first_seen["Vasylkiv"] == "2022-02-27"
    assert first_seen["Chernihiv"] == "2022-03-03"
    assert places_on(week, "2022-02-23") == {}


def test_counts_grow_with_the_days(week):
    totals = [timeline.status_as_of(week, day)["total_events"] for day in WEEK]
    assert totals == sorted(totals) and totals[0] > 0
    assert totals[-1] == len(timeline.all_events(week))


def test_headlines_follow_the_days(results):
    def keys(day):
        return {h["key"] for h in timeline.status_as_of(results, day)["headlines"]}

    assert "nuclear_alert" not in keys("2022-02-26") and "nuclear_alert" in keys("2022-02-27")
    assert "no_major_city_captured" in keys("2022-02-28")
    assert "captured:Kherson" not in keys("2022-03-01") and "captured:Kherson" in keys("2022-03-02")
    (kherson,) = [h for h in timeline.status_as_of(results, "2022-03-03")["headlines"]
                  if h["key"] == "captured:Kherson"]
    assert kherson["date"] == "2022-03-03" and "first major Ukrainian city" in kherson["quote"]


def test_the_seed_alone_on_its_day_matches_the_build(seed_build, gazetteer):
    from geo.intake.files import parse_files

    seed = parse_files([ROOT / "seeds"], gazetteer)
    status = timeline.status_as_of(seed, "2022-02-28")
    assert status["places"] == seed_build["status"]["places"]
    assert status["counts"] == seed_build["status"]["counts"]
    from_features = timeline.status_as_of(seed_build["events"], "2022-02-28")
    assert from_features["places"] == seed_build["status"]["places"]
    assert timeline.status_as_of(seed, "2022-02-27")["places"] == {}


def test_map_collection_is_cut_at_the_day(events_fc):
    cut = timeline.collection_as_of(events_fc, "2022-02-26")
    dates = {f["properties"]["date"] for f in cut["features"]}
    assert dates == {"2022-02-24", "2022-02-25", "2022-02-26"}
    assert len(timeline.collection_as_of(events_fc, "2022-03-03")["features"]) == len(events_fc["features"])


def test_events_marked_false_do_not_count(events_fc):
    from geo.store.corrections import apply_corrections, new_correction

    capture = next(f for f in events_fc["features"] if f["properties"]["place"] == "Berdiansk"
                   and f["properties"]["event_type"] == "capture" and f["properties"]["date"] == "2022-02-27")
    fixed = apply_corrections(events_fc, [new_correction("mark_false", {}, "ana", feature=capture)],
                              keep_false=True)
    assert "Berdiansk" not in places_on(fixed, "2022-02-27")
    assert places_on(fixed, "2022-02-28")["Berdiansk"]["states"]["captured"]["date"] == "2022-02-28"
    assert capture["properties"]["id"] not in {
        f["properties"]["id"] for f in timeline.collection_as_of(fixed, "2022-03-03")["features"]}


def _event(eid, date, event_type="capture", place="Testville"):
    return Event(eid, event_type, None, place, {"type": "Point", "coordinates": [30.0, 50.0]},
                 ("Russia",), date, "confirmed", None, "quote", 0, 5, source="t.txt",
                 place_kind="city", lat=50.0, lon=30.0)


def test_undated_events_stay_off_the_timeline():
    events = [_event("a", None), _event("b", "2022-03-01", "strike")]
    assert timeline.timeline_days(events) == [dt.date(2022, 3, 1)]
    states = places_on(events, "2022-03-05")["Testville"]["states"]
    assert set(states) == {"under_attack"}


def test_bad_input_is_refused(results):
    with pytest.raises(ValueError, match="bad date"):
        timeline.status_as_of(results, "1 March")
    with pytest.raises(ValueError, match="event x: bad date"):
        timeline.timeline_days([_event("x", "March 1st")])
    with pytest.raises(TypeError, match="not a mix"):
        timeline.status_as_of([results[0], _event("a", "2022-03-01")], "2022-03-01")
