"""The map's content: per-type layers, grouping, aggregation, escaping, offline assets."""

from __future__ import annotations

import json

import folium
import pytest
import shapely
from shapely.geometry import shape

from dashboard import mapview
from dashboard.offline import remote_assets
from geo import taxonomy
from geo.store import EventFilter

HOSTILE = "Shelling hit Kharkiv. <script>alert(1)</script> <img src=x onerror=alert(2)> was shelled too."


def test_one_layer_per_type_present(store):
    content = mapview.map_content(store, EventFilter(), store.facets())
    assert [layer.event_type for layer in content.layers] == list(store.facets().types)
    assert sum(layer.events for layer in content.layers) == content.total == store.count_events()
    assert not content.aggregated


def test_events_at_one_place_share_one_feature(store):
    content = mapview.map_content(store, EventFilter(types=("mobilization",)), store.facets())
    (layer,) = content.layers
    (feature,) = layer.features  # both mobilisation measures sit on Ukraine
    assert feature["properties"]["n"] == 2 and feature["properties"]["_k"] == "country"
    assert feature["properties"]["_popup"].count('class="sm-event"') == 2


def test_each_group_holds_one_geojson_in_the_taxonomy_colour(store):
    content = mapview.map_content(store, EventFilter(), store.facets())
    for layer, group in zip(content.layers, mapview.event_groups(content)):
        t = taxonomy.get(layer.event_type)
        children = list(group._children.values())
        assert len(children) == 1 and isinstance(children[0], folium.GeoJson)
        assert t.label in group.layer_name and t.colour in group.layer_name
        assert t.colour in str(children[0].on_each_feature)


def test_shapes_are_drawn_by_kind(store):
    content = mapview.map_content(store, EventFilter(), store.facets())
    kinds = {(layer.event_type, f["properties"]["_k"]) for layer in content.layers for f in layer.features}
    assert {("strike", "pt"), ("capture", "pt"), ("encirclement", "area"), ("diplomacy", "line"),
            ("strategic", "country")} <= kinds


def test_hostile_report_text_is_escaped_in_the_map(store, gazetteer):
    store.add_report(HOSTILE, "<b>evil</b>.txt", gazetteer=gazetteer)
    content = mapview.map_content(store, EventFilter(text="onerror"), store.facets())
    props = [f["properties"] for layer in content.layers for f in layer.features]
    assert props, "the hostile report should still be drawn"
    for p in props:
        assert "<script" not in p["_popup"] and "<img" not in p["_popup"] and "<b>evil" not in p["_popup"]
        assert "&lt;script&gt;" in p["_popup"] and "&lt;b&gt;evil" in p["_popup"]
        assert "<" not in p["_tip"]


def test_many_events_are_aggregated_and_all_counted(store):
    facets = store.facets()
    content = mapview.map_content(store, EventFilter(), facets, detail_limit=3)
    assert content.aggregated and content.cell_deg is not None
    assert sum(layer.events for layer in content.layers) == store.count_events()
    assert content.feature_count <= store.count_events()
    popup = next(f for layer in content.layers for f in layer.features)["properties"]["_popup"]
    assert "Latest report" in popup


def test_big_shapes_are_simplified_for_drawing(store, gazetteer):
    # a full-detail country (here Russia, as a shape handed in by an import) is thinned out
    full = shapely.geometry.mapping(gazetteer.country_shape("RU"))
    drawn = mapview.drawn_geometry(full)
    a, b = shape(full), shape(drawn)
    assert shapely.get_num_coordinates(b) < shapely.get_num_coordinates(a) / 2
    assert abs(a.area - b.area) / a.area < 0.02
    # the parsed events' shapes (the nuclear alert drawn over Russia) arrive small already
    fc = store.query_events(EventFilter(types=("strategic",)))
    stored = fc["features"][0]["geometry"]
    assert len(json.dumps(mapview.drawn_geometry(stored))) < 60_000
    assert abs(shape(stored).area - a.area) / a.area < 0.02


@pytest.mark.parametrize(("bbox", "expected"), [((22, 44, 40, 52), 0.25), ((-10, 35, 60, 70), 1.0)])
def test_grid_size_is_a_power_of_two_fitting_the_area(bbox, expected):
    assert mapview.cell_size(bbox) == expected


def test_the_map_needs_no_other_host(store):
    facets = store.facets()
    m = mapview.full_map(facets, mapview.map_content(store, EventFilter(), facets))
    assert remote_assets(m) == []
    html = m.get_root().render()
    assert "openstreetmap" not in html and "cdn" not in html.lower()


def test_online_tiles_are_opt_in(store):
    facets = store.facets()
    online = mapview.base_map(facets, online_tiles=True).get_root().render()
    assert "tile.openstreetmap.org" in online
    # the offline land stays underneath, for when the tiles do not come
    assert '"sm-land"' in online
