"""The map of control in a real browser: held ground shaded, the front line drawn, gains since a day.

The store holds two hand-built layers over Donbas (Ukraine's outline cut by a
box, so the border and the coast are the gazetteer's), dated around the seed
report's day; the second reaches 0.5° further west, past Pokrovsk.
"""

from __future__ import annotations

import pytest
import shapely

from tests.browser.conftest import DASHBOARD as APP
from tests.browser.conftest import map_frame, wait_until_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

OCCUPIED_FILL = "#e53935"  # dashboard.control_ui.OCCUPIED_STYLE
FRONT_STROKE = "#8b0000"  # FRONT_STYLE
GAINED_FILL = "#ff1744"  # GAINED_STYLE


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory, gazetteer):
    from geo.control.layers import ControlLayer
    from geo.control.storage import open_control_store

    folder = tmp_path_factory.mktemp("control-store")
    ukraine = gazetteer.country_shape("UA")
    first = shapely.intersection(ukraine, shapely.box(37.7, 46.5, 41, 49.3))
    later = shapely.intersection(ukraine, shapely.box(37.1, 46.5, 41, 49.3))
    with open_control_store(f"sqlite:///{folder / 'sitmap.sqlite'}") as store:
        store.put([ControlLayer("2022-02-26", "occupied", "handmade", first, "a", "a.geojson"),
                   ControlLayer("2022-03-01", "occupied", "handmade", later, "b", "b.geojson")])
    return folder


@pytest.fixture(scope="module")
def app_url(streamlit_server, store_dir):
    return streamlit_server(APP, env={"SITMAP_STORE_DIR": str(store_dir)})


def _paths(frame, attribute: str, value: str):
    return frame.locator(f".leaflet-sm-areas-pane path[{attribute}='{value}']")


def test_held_ground_front_line_and_gains_are_drawn(app_url, page, request_log, tmp_path):
    page.goto(app_url)
    frame = map_frame(page)
    held = _paths(frame, "fill", OCCUPIED_FILL)
    held.first.wait_for(state="attached")
    front = frame.locator(f".leaflet-sm-areas-pane path[stroke='{FRONT_STROKE}'][fill='none']")
    front.first.wait_for(state="attached")
    box = held.first.bounding_box()
    assert box["width"] > 40 and box["height"] > 40  # a shaded area, not a speck
    line = front.first.bounding_box()
    assert line["height"] > 40  # the front runs north-south through Donbas
    labels = " ".join(frame.locator(".leaflet-control-layers label").all_inner_texts())
    assert "Occupied 2022-03-01 · handmade" in labels
    assert "km² occupied, front line" in page.get_by_text("Ground as of 2022-03-01 (handmade)").inner_text()
    page.screenshot(path=tmp_path / "control.png", full_page=True)

    # changes since the day before (2022-02-28: the layer of 2022-02-26 is in force)
    page.get_by_text("the day before").click()
    wait_until_idle(page)
    gained = _paths(frame, "fill", GAINED_FILL)
    gained.first.wait_for(state="attached", timeout=60_000)
    assert gained.first.bounding_box()["width"] > 10
    # the sidebar's list comes with the same rerun as the map, but may paint a moment later
    taken = page.get_by_text("Pokrovsk: taken")
    taken.first.wait_for(timeout=60_000)
    page.screenshot(path=tmp_path / "control-changes.png", full_page=True)
    assert taken.count() == 1
    request_log.assert_only_local()


def test_a_step_back_swaps_the_ground_and_keeps_the_view(app_url, page, tmp_path):
    page.goto(app_url)
    frame = map_frame(page)
    held = _paths(frame, "fill", OCCUPIED_FILL)
    held.first.wait_for(state="attached")
    wait_until_idle(page)
    start = held.first.bounding_box()
    for _ in range(3):  # the analyst's own view: one step in (a click during a rerun can be lost)
        frame.locator(".leaflet-control-zoom-in").click()
        page.wait_for_timeout(1_000)
        before = held.first.bounding_box()
        if before["width"] > 1.5 * start["width"]:
            break
    assert before["width"] > 1.5 * start["width"]
    page.screenshot(path=tmp_path / "control-zoomed.png", full_page=True)
    page.get_by_role("button", name="Day before").click()
    wait_until_idle(page)
    frame.locator(".leaflet-control-layers label", has_text="Occupied 2022-02-26").wait_for(state="attached", timeout=60_000)
    after = held.first.bounding_box()
    page.screenshot(path=tmp_path / "control-day-before.png", full_page=True)
    # the same zoom and place: the border in the east stays put, the front in the west moves east
    # by the 0.6° the earlier layer lacks (about 40 px at this zoom, 20 at the first view's)
    assert after["x"] + after["width"] == pytest.approx(before["x"] + before["width"], abs=3)
    assert after["x"] - before["x"] > 20
