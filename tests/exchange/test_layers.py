"""GeoJSON layers: what a GIS user gets from the build outputs."""

from __future__ import annotations

import json

from shapely.geometry import shape

from geo.exchange.layers import events_collection, layers_by_type, places_collection, rfc7946
from geo.parse.pipeline import parse_text


def test_each_event_is_one_self_contained_feature(gazetteer):
    result = parse_text("Explosions in Kyiv and Kharkiv. Russia put its nuclear forces on high alert.",
                        date="2022-02-28", gazetteer=gazetteer, source="day5.txt")
    fc = events_collection([result])
    assert len(fc["features"]) == len(result.events)
    for f in fc["features"]:
        assert f["type"] == "Feature" and f["geometry"] is not None  # never a reference elsewhere
        assert f["properties"]["source"] == "day5.txt"
        assert f["properties"]["quote"]
    json.dumps(fc)  # plain JSON


def test_layers_split_events_by_type(gazetteer):
    result = parse_text("Explosions in Kyiv. Russian troops captured Berdiansk.", gazetteer=gazetteer)
    layers = layers_by_type(events_collection([result]))
    assert set(layers) == {"strike", "capture"}
    assert all(f["properties"]["event_type"] == t for t, fc in layers.items() for f in fc["features"])


def test_places_list_each_place_once_with_all_its_mentions(gazetteer):
    result = parse_text("Kyiv was shelled. Later Kyiv was calm.", gazetteer=gazetteer, source="r.txt")
    (kyiv,) = [f for f in places_collection([result])["features"] if f["properties"]["name"] == "Kyiv"]
    assert len(kyiv["properties"]["mentions"]) == 2


def test_polygons_are_counter_clockwise_outside():
    clockwise = {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [1, 0], [0, 0]]]}
    fixed = rfc7946(clockwise)
    assert shape(fixed).exterior.is_ccw
    assert shape(fixed).equals(shape(clockwise))
