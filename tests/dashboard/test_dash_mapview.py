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
    from geo.intake.service import add_report

    add_report(store, HOSTILE, "<b>evil</b>.txt", gazetteer=gazetteer)
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


# -- the land as a file the browser fetches -------------------------------------------


def test_the_app_map_names_its_land_file_instead_of_carrying_it(store, tmp_path, monkeypatch):
    from dashboard import basemap, served

    monkeypatch.setattr(served, "GENERATED_DIR", tmp_path / "generated")
    facets = store.facets()
    inline = mapview.base_map(facets).get_root().render()
    linked = mapview.base_map(facets, link_land=True).get_root().render()
    (written,) = (tmp_path / "generated").iterdir()
    assert f"/app/static/generated/{written.name}" in linked
    # the file holds the land the inline map carries, and the map's page is that much lighter
    land = basemap.land(basemap.region_around(facets.bbox))
    assert json.loads(written.read_text("utf-8")) == land
    assert len(inline) - len(linked) > 0.8 * written.stat().st_size > 100_000
    assert '"sm-land"' in linked and '"interactive": false' in linked
    # the same land again: the same file, not a second one
    mapview.base_map(facets, link_land=True).get_root().render()
    assert list((tmp_path / "generated").iterdir()) == [written]


def test_an_unwritable_static_folder_keeps_the_land_inline(store, tmp_path, monkeypatch):
    from dashboard import served

    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the folder should be")
    monkeypatch.setattr(served, "GENERATED_DIR", blocker / "generated")
    facets = store.facets()
    html = mapview.base_map(facets, link_land=True).get_root().render()
    assert "/app/static/generated/" not in html
    assert '"name": "Ukraine"' in html  # the land's own polygons, inline


def test_published_files_are_found_by_key_and_pruned(tmp_path, monkeypatch):
    from dashboard import served

    monkeypatch.setattr(served, "KEEP_FILES", 3)
    urls = [served.publish_json({"type": "FeatureCollection", "features": [], "n": i}, "land", f"k{i}",
                                tmp_path) for i in range(5)]
    assert urls == [f"/app/static/generated/land-k{i}.json" for i in range(5)]
    kept = sorted(p.name for p in tmp_path.glob("*.json"))
    assert len(kept) == 3 and "land-k4.json" in kept
    assert json.loads((tmp_path / "land-k4.json").read_text("utf-8"))["n"] == 4
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind
    assert served.published("land", "k4", tmp_path) == urls[-1]
    assert served.published("land", "k0", tmp_path) is None  # pruned: made again when asked


def test_a_fresh_server_finds_the_land_file_instead_of_making_it_again(store, tmp_path, monkeypatch):
    from dashboard import basemap, served

    monkeypatch.setattr(served, "GENERATED_DIR", tmp_path / "generated")
    facets = store.facets()
    first = mapview.base_map(facets, link_land=True).get_root().render()
    (written,) = (tmp_path / "generated").iterdir()

    def no_simplifying(*args, **kwargs):
        raise AssertionError("the land was made again")

    monkeypatch.setattr(basemap, "land", no_simplifying)  # what a new process would have to run
    again = mapview.base_map(facets, link_land=True).get_root().render()
    assert f"/app/static/generated/{written.name}" in again and f"/app/static/generated/{written.name}" in first


def test_the_land_key_follows_the_region_and_the_shapes_file(tmp_path):
    from dashboard import basemap

    (tmp_path / "boundaries.gpkg").write_bytes(b"version one")
    region = basemap.region_around((30.0, 46.0, 37.0, 51.0))
    key = basemap.land_key(region, tmp_path)
    assert key == basemap.land_key(region, tmp_path)
    assert key != basemap.land_key(basemap.region_around((-5.0, 40.0, 3.0, 45.0)), tmp_path)
    (tmp_path / "boundaries.gpkg").write_bytes(b"version two, rebuilt")
    assert key != basemap.land_key(region, tmp_path)
