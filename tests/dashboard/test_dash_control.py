"""The dashboard with a map of control (AppTest): claims checked in the popups and the sidebar."""

from __future__ import annotations

import json

import shapely

from geo.control.layers import ControlLayer
from geo.control.storage import open_control_store

# the occupied area on the seed's eve: Donbas only, so the seed's "Berdiansk captured" and
# "Kyiv encircled" (300 and 500 km away) disagree
DONBAS = shapely.box(37.6, 47.2, 40.0, 49.0)


def _with_layer(app) -> None:
    app.store_dir.mkdir(parents=True, exist_ok=True)
    with open_control_store(f"sqlite:///{app.store_dir / 'sitmap.sqlite'}") as store:
        store.put([ControlLayer("2022-02-26", "occupied", "handmade", DONBAS, "x", "x.geojson")])


def _html(at) -> str:
    return " ".join(getattr(h.proto, "body", "") for h in at.get("html"))


def test_no_layer_no_trace(app, map_args):
    at = app.run()
    assert not at.exception
    assert "Areas of control" not in [s.value for s in at.sidebar.subheader]
    assert "map of control" not in json.dumps(map_args(at)["feature_group"])


def test_a_contradicted_claim_is_listed_and_its_popup_says_so(app, map_args):
    _with_layer(app)
    at = app.run()
    assert not at.exception
    assert "Areas of control" in [s.value for s in at.sidebar.subheader]
    assert any("Claims to verify (2)" in c.value for c in at.sidebar.caption)
    html = _html(at)
    assert "<b>Berdiansk</b>" in html and "<b>Kyiv</b>" in html and "map of 2022-02-26" in html
    assert "the map of control disagrees (map of 2022-02-26, handmade)" in json.dumps(
        map_args(at)["feature_group"], ensure_ascii=False)
    assert any("Ground as of 2022-02-26 (handmade)" in c.value for c in at.caption)
