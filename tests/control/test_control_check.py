"""Claims of capture, liberation and encirclement checked against hand-built occupied areas."""

from __future__ import annotations

import shapely

from geo.control.check import control_check
from geo.control.layers import ControlLayer

TOWN = (37.5, 47.5)  # inside the occupied box from 2024-08-10 on
AWAY = (35.0, 47.5)  # never occupied


def layer(date: str, geometry) -> ControlLayer:
    return ControlLayer(date=date, kind="occupied", source="maps", geometry=geometry, sha256=date)


LAYERS = [layer("2024-08-01", shapely.box(38, 47, 39, 48)),   # the town not yet taken
          layer("2024-08-10", shapely.box(37, 47, 39, 48)),   # now it is
          layer("2024-09-30", shapely.box(37, 47, 39, 48))]


def event(eid: str, etype: str, actors: list[str], date: str, at=TOWN, place_kind: str = "city") -> dict:
    return {"id": eid, "event_type": etype, "actors": actors, "date": date, "place_kind": place_kind,
            "lon": at[0], "lat": at[1], "geometry": {"type": "Point", "coordinates": list(at)},
            "quote": f"{etype} {eid}"}


def outcome(ev: dict, layers=LAYERS):
    got = control_check([ev], layers).get(ev["id"])
    return None if got is None else (got.status, got.layer_date)


def test_capture_confirmed_by_a_map_within_a_week():
    # claimed on the 5th, on the map from the 10th: consistent
    assert outcome(event("a", "capture", ["Russia"], "2024-08-05")) == ("consistent", "2024-08-10")


def test_capture_claimed_too_early_is_contradicted():
    # claimed on the 1st; the maps in force to the 8th show the town held by Ukraine
    assert outcome(event("b", "capture", ["Russia"], "2024-08-01")) == ("contradicted", "2024-08-01")


def test_capture_of_a_place_never_occupied_is_contradicted():
    assert outcome(event("c", "capture", ["Russia"], "2024-08-12", at=AWAY))[0] == "contradicted"


def test_liberation_while_it_stays_occupied_is_contradicted():
    assert outcome(event("d", "capture", ["Ukraine"], "2024-08-12")) == ("contradicted", "2024-08-10")


def test_liberation_of_a_held_place_is_consistent():
    assert outcome(event("e", "capture", ["Ukraine"], "2024-08-05")) == ("consistent", "2024-08-01")


def test_no_map_within_a_week():
    # the map of 2024-08-10 is too old by the 25th, the next comes on 2024-09-30
    assert outcome(event("f", "capture", ["Russia"], "2024-08-25")) == ("no_layer", None)
    assert outcome(event("g", "capture", ["Russia"], "2024-08-05"), layers=[]) == ("no_layer", None)


def test_encirclement_near_the_occupied_area_is_consistent():
    near = (37.9, 47.5)  # 7.5 km west of the front on 2024-08-01
    assert outcome(event("h", "encirclement", ["Russia", "Ukraine"], "2024-08-02", at=near))[0] == "consistent"
    assert outcome(event("i", "encirclement", ["Russia", "Ukraine"], "2024-08-02", at=AWAY))[0] == "contradicted"


def test_events_without_a_settlement_or_of_other_types_are_not_checked():
    assert outcome(event("j", "capture", ["Russia"], "2024-08-05", place_kind="admin1")) is None
    assert outcome(event("k", "strike", ["Russia"], "2024-08-05")) is None
    assert outcome({**event("l", "capture", ["Russia"], "2024-08-05"), "date": None}) is None


def test_places_outside_the_mapped_country_are_not_checked():
    ukraine_ish = shapely.box(30, 45, 40, 50)
    sudzha = event("m", "capture", ["Ukraine"], "2024-08-12", at=(35.27, 51.19))
    assert control_check([sudzha], LAYERS, coverage=ukraine_ish) == {}
    assert control_check([sudzha], LAYERS)["m"].status == "consistent"  # without coverage: outside the area
