"""The ground as drawn: simplified together, with the figures of the full-detail layers."""

from __future__ import annotations

import json

import pytest
import shapely

from geo.control.change import area_km2
from geo.control.layers import ControlLayer
from geo.control.view import control_view

COUNTRY = shapely.segmentize(shapely.box(30, 45, 40, 52), 0.02)


def wiggly(x: float) -> shapely.Polygon:
    """An occupied area whose western edge zigzags by 40 m every 1.1 km, as drawn fronts do."""
    edge = [(x + (0.0005 if i % 2 else 0), 45 + i * 0.01) for i in range(501)]
    return shapely.Polygon([(40, 45), *edge, (40, 50)])


def layer(date: str, geometry) -> ControlLayer:
    return ControlLayer(date, "occupied", "test", geometry, date)


def shape(geojson: dict):
    return shapely.from_geojson(json.dumps(geojson))


def test_simplified_shapes_keep_the_figures_of_the_full_layers():
    before, after = layer("2024-08-01", wiggly(37)), layer("2024-08-02", wiggly(36.8))
    view = control_view(after, COUNTRY, before)
    held, gained = shape(view.occupied), shape(view.gained)
    assert view.area_km2 == pytest.approx(area_km2(after.geometry))
    assert view.gained_km2 == pytest.approx(area_km2(shapely.difference(after.geometry, before.geometry)))
    assert shapely.get_num_coordinates(held) < shapely.get_num_coordinates(after.geometry) / 4
    assert area_km2(held) == pytest.approx(view.area_km2, rel=0.01)
    # drawn together: the gains lie inside the held area, with no gap or overlap at their edge
    assert shapely.difference(gained, held).area < 1e-9
    assert shape(view.lost).is_empty
    # the two front lines, the earlier one 0.2° (15 km) further east
    assert shape(view.front_before).bounds[0] - shape(view.front).bounds[0] == pytest.approx(0.2, abs=0.01)
    assert view.front_km == pytest.approx(view.front_before_km, rel=0.05)


def test_no_comparison_gives_no_changes():
    view = control_view(layer("2024-08-02", wiggly(36.8)), COUNTRY)
    assert view.since is None and view.gained is None and view.front_before is None


def test_a_hostile_source_name_reaches_the_map_escaped():
    import folium

    from dashboard.control_ui import map_groups

    bad = "<img src=x onerror=alert(1)>{{7*7}}"
    view = control_view(ControlLayer("2024-08-02", "occupied", bad, wiggly(36.8), "x"), COUNTRY)
    m = folium.Map()
    for group in map_groups(view):
        group.add_to(m)
    html = m.get_root().render()
    assert "<img src=x" not in html and "{{7*7}}" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
