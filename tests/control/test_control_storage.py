"""Control layers in both store backends: kept, found by date, re-imported without change."""

from __future__ import annotations

import pytest
import shapely

from geo.control.layers import ControlLayer
from geo.control.storage import open_control_store


def layer(date: str, geometry, sha: str | None = None, kind: str = "occupied", source: str = "test") -> ControlLayer:
    return ControlLayer(date=date, kind=kind, source=source, geometry=geometry, sha256=sha or f"sha-{date}",
                        name=f"{date}.geojson")


def test_put_then_read_back(store_url):
    with open_control_store(store_url) as store:
        assert store.put([layer("2024-08-01", shapely.box(37, 47, 38, 48)),
                          layer("2024-08-08", shapely.MultiPolygon([shapely.box(37, 47, 38.5, 48),
                                                                    shapely.box(33, 45, 34, 46)]))]) == ["added", "added"]
        got = store.layers()
    assert [g.date for g in got] == ["2024-08-01", "2024-08-08"]
    assert got[0].geometry.equals(shapely.box(37, 47, 38, 48))
    assert got[1].geometry.geom_type == "MultiPolygon" and got[1].geometry.area == shapely.box(37, 47, 38.5, 48).area + 1


def test_layer_in_force_on_a_day(store_url):
    with open_control_store(store_url) as store:
        store.put([layer("2024-08-01", shapely.box(37, 47, 38, 48)), layer("2024-08-08", shapely.box(37, 47, 39, 48)),
                   layer("2024-08-05", shapely.box(0, 0, 1, 1), kind="claimed")])
        assert store.layer_at("2024-07-31") is None
        assert store.layer_at("2024-08-07").date == "2024-08-01"
        assert store.layer_at("2024-08-30").date == "2024-08-08"
        assert store.layer_at("2024-08-30", kind="claimed").date == "2024-08-05"
        assert [d for d, _, _ in store.index()] == ["2024-08-01", "2024-08-08"]
        assert [g.date for g in store.layers(start="2024-08-02", end="2024-08-08")] == ["2024-08-08"]


def test_same_content_again_changes_nothing_new_content_replaces(store_url):
    first = layer("2024-08-01", shapely.box(37, 47, 38, 48), sha="a")
    with open_control_store(store_url) as store:
        assert store.put([first]) == ["added"]
    with open_control_store(store_url) as store:  # another process, later
        assert store.put([first]) == ["unchanged"]
        assert store.put([layer("2024-08-01", shapely.box(37, 47, 39, 48), sha="b")]) == ["replaced"]
        (kept,) = store.layers()
    assert kept.sha256 == "b" and kept.geometry.equals(shapely.box(37, 47, 39, 48))


def test_a_failed_batch_keeps_nothing(store_url):
    good = layer("2024-08-01", shapely.box(37, 47, 38, 48))
    bad = layer("2024-08-02", None)  # no geometry: the write fails halfway
    with open_control_store(store_url) as store:
        with pytest.raises(ValueError, match="not a polygon"):
            store.put([good, bad])
        assert store.layers() == []


def test_the_occupied_area_on_a_day_is_the_latest_map_of_the_last_month(store_url):
    with open_control_store(store_url) as store:
        assert store.occupied_on("2024-08-10") is None  # no map at all
        store.put([layer("2024-08-01", shapely.box(37, 47, 38, 48)), layer("2024-08-08", shapely.box(37, 47, 39, 48)),
                   layer("2024-08-05", shapely.box(0, 0, 1, 1), kind="claimed")])
        assert store.occupied_on("2024-08-07").equals(shapely.box(37, 47, 38, 48))
        assert store.occupied_on("2024-08-20").equals(shapely.box(37, 47, 39, 48))
        assert store.occupied_on("2024-07-31") is None  # before any map
        assert store.occupied_on("2024-10-01") is None  # the last map is too old to tell
        assert store.occupied_on("not a date") is None
