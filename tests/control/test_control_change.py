"""Areas, gained and lost ground, settlements and the front line, on hand-built polygons."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from pyproj import Geod

from geo.control.change import (
    area_km2,
    change_between,
    diff_summary,
    front_line,
    length_km,
    settlements_changed,
)
from geo.control.layers import ControlLayer, latest_on_or_before


def dense(geometry, step: float = 0.02):
    """Vertices every ~2 km, as drawn maps have them (a long straight edge is not a parallel)."""
    return shapely.segmentize(geometry, step)


# a made-up country, 30-40°E, 45-52°N; the occupied area is its south-east corner
COUNTRY = dense(shapely.box(30, 45, 40, 52))
OCCUPIED = dense(shapely.box(37, 45, 40, 50))


def layer(date: str, geometry) -> ControlLayer:
    return ControlLayer(date=date, kind="occupied", source="test", geometry=geometry, sha256=date)


def test_area_is_geodesic():
    # a 1° by 1° cell on the equator is 12,308.8 km² on WGS84; at 60°N it is about half
    assert area_km2(shapely.box(0, 0, 1, 1)) == pytest.approx(12_308.8, rel=1e-4)
    assert area_km2(shapely.box(0, 60, 1, 61)) == pytest.approx(6_094, rel=5e-3)


def test_area_does_not_depend_on_ring_orientation():
    clockwise = shapely.orient_polygons(shapely.box(0, 0, 1, 1), exterior_cw=True)
    with_hole = shapely.Polygon(shapely.box(0, 0, 2, 2).exterior, [shapely.box(0.5, 0.5, 1.5, 1.5).exterior.coords[::-1]])
    assert area_km2(clockwise) == pytest.approx(area_km2(shapely.box(0, 0, 1, 1)))
    assert area_km2(with_hole) == pytest.approx(area_km2(shapely.box(0, 0, 2, 2)) - area_km2(shapely.box(0.5, 0.5, 1.5, 1.5)))


def test_gained_and_lost_ground():
    before = shapely.box(37, 47, 38, 48)
    after = shapely.box(37.5, 47, 38.5, 48)  # moved east by half a degree
    change = change_between(before, after)
    assert change.gained.equals(shapely.box(38, 47, 38.5, 48))
    assert change.lost.equals(shapely.box(37, 47, 37.5, 48))
    assert change.gained_km2 == pytest.approx(area_km2(shapely.box(38, 47, 38.5, 48)))
    assert 3_000 < change.gained_km2 < 4_500 and 3_000 < change.lost_km2 < 4_500


def test_nothing_changes_between_equal_layers():
    change = change_between(OCCUPIED, OCCUPIED)
    assert change.gained.is_empty and change.lost.is_empty and change.gained_km2 == 0 == change.lost_km2


def test_settlements_inside_gained_and_lost_ground():
    change = change_between(shapely.box(37, 47, 38, 48), shapely.box(37.5, 47, 38.5, 48))
    names = np.array(["East", "West", "Middle", "Far"], dtype=object)
    ids = np.array(["g:1", "g:2", "g:3", "g:4"], dtype=object)
    lon, lat = [38.2, 37.2, 37.7, 45.0], [47.5, 47.5, 47.5, 47.5]
    assert settlements_changed(change, names, ids, lon, lat) == [
        {"name": "East", "gazetteer_id": "g:1", "change": "gained"},
        {"name": "West", "gazetteer_id": "g:2", "change": "lost"},
    ]


def test_front_line_leaves_out_border_and_coast():
    line = front_line(OCCUPIED, COUNTRY)
    expected = dense(shapely.LineString([(37, 45), (37, 50), (40, 50)]))  # the sides facing held ground
    assert length_km(line) == pytest.approx(Geod(ellps="WGS84").geometry_length(expected) / 1000, rel=0.01)
    # nowhere on the country's outline (the border to the east, the coast to the south)
    assert shapely.distance(line, shapely.Point(40, 47)) > 2.9  # degrees
    assert shapely.distance(line, shapely.Point(38.5, 45)) > 0.5
    assert line.buffer(0.01).contains(shapely.LineString([(37, 46), (37, 49)]))


def test_front_line_ignores_a_border_drawn_a_few_km_apart():
    # the occupied area's own border runs 3 km inside the country's: a sliver, not a front
    occupied = dense(shapely.box(37, 45, 40 - 0.04, 50))
    assert length_km(front_line(occupied, COUNTRY)) == pytest.approx(length_km(front_line(OCCUPIED, COUNTRY)),
                                                                    rel=0.01)


def test_a_salient_a_few_km_deep_is_front():
    pocket = dense(shapely.box(35, 51.95, 35.3, 52), 0.005)  # 5.5 km deep, 20 km wide, against the northern border
    line = front_line(pocket, COUNTRY)
    # its three sides inside the country: 5.5 + 20.6 + 5.5 km, not the border along its top
    assert length_km(line) == pytest.approx(31.6, abs=1.5)


def test_no_front_line_without_occupied_ground():
    assert front_line(shapely.MultiPolygon(), COUNTRY).is_empty
    assert front_line(COUNTRY, COUNTRY).is_empty  # all of it occupied: nothing faces held ground


def test_latest_layer_on_or_before():
    layers = [layer("2024-08-01", OCCUPIED), layer("2024-08-08", OCCUPIED)]
    assert latest_on_or_before(layers, "2024-07-31") is None
    assert latest_on_or_before(layers, "2024-08-07").date == "2024-08-01"
    assert latest_on_or_before(layers, "2024-08-08").date == "2024-08-08"


def test_diff_summary_is_the_contract_object():
    before, after = layer("2024-08-01", OCCUPIED), layer("2024-08-31", dense(shapely.box(36.5, 45, 40, 50)))
    out = diff_summary(before, after, COUNTRY, ([ "Town"], ["g:9"], [36.8], [48.0]))
    assert set(out) == {"from", "to", "area_km2", "gained_km2", "lost_km2", "front_line_km", "settlements"}
    assert out["from"] == "2024-08-01" and out["to"] == "2024-08-31"
    assert out["area_km2"]["to"] - out["area_km2"]["from"] == pytest.approx(out["gained_km2"], rel=1e-3)
    assert out["lost_km2"] == 0
    assert out["settlements"] == [{"name": "Town", "gazetteer_id": "g:9", "change": "gained"}]
    # the northern edge is 0.5° longer: about 36 km at 50°N
    assert out["front_line_km"]["to"] - out["front_line_km"]["from"] == pytest.approx(36, abs=2)
