"""The briefing image draws the ground: shading, front line, gains and losses, and their key."""

from __future__ import annotations

import io

import numpy as np
import pytest
import shapely
from matplotlib.image import imread

from geo.briefing import render as briefing
from geo.control.layers import ControlLayer
from geo.control.view import control_view

EVENT = {"type": "FeatureCollection", "features": [{
    "type": "Feature", "geometry": {"type": "Point", "coordinates": [37.18, 48.28]},
    "properties": {"id": "e1", "event_type": "capture", "place": "Pokrovsk", "actors": ["Russia"],
                   "date": "2024-08-20", "certainty": "claimed", "quote": "Russia claimed Pokrovsk.",
                   "source": "r.md", "place_kind": "city"}}]}
BBOX = (36.0, 47.3, 39.0, 49.0)


@pytest.fixture(scope="module")
def ground(gazetteer):
    ukraine = gazetteer.country_shape("UA")
    first = ControlLayer("2024-08-01", "occupied", "handmade",
                         shapely.intersection(ukraine, shapely.box(37.6, 46.5, 41, 49.3)), "a")
    later = ControlLayer("2024-08-31", "occupied", "handmade",
                         shapely.intersection(ukraine, shapely.box(37.3, 46.5, 41, 49.3)), "b")
    return control_view(later, ukraine, first)


def _texts(fig) -> str:
    return " ".join(t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")))


def test_the_key_names_the_layer_and_the_changes(ground, gazetteer):
    fig = briefing.build_figure(EVENT, bbox=BBOX, gazetteer=gazetteer, ground=ground)
    text = _texts(fig)
    assert "Occupied on 2024-08-31\n(handmade)" in text
    assert f"Gained since 2024-08-01:\n{ground.gained_km2:,.1f} km²" in text
    assert "Front line:" in text


def test_the_shading_is_drawn_east_of_the_front(ground, gazetteer):
    with_ground = imread(io.BytesIO(briefing.render_briefing(EVENT, bbox=BBOX, gazetteer=gazetteer,
                                                             ground=ground)))
    without = imread(io.BytesIO(briefing.render_briefing(EVENT, bbox=BBOX, gazetteer=gazetteer)))
    # the map's right part (occupied) turns redder; its left part (held by Ukraine) does not change
    h, w = with_ground.shape[:2]
    east = (slice(int(h * 0.3), int(h * 0.7)), slice(int(w * 0.55), int(w * 0.7)))
    west = (slice(int(h * 0.3), int(h * 0.7)), slice(int(w * 0.05), int(w * 0.2)))
    redness = lambda img, part: float(np.mean(img[part][..., 0] - img[part][..., 2]))
    assert redness(with_ground, east) > redness(without, east) + 0.05
    assert redness(with_ground, west) == pytest.approx(redness(without, west), abs=0.01)
