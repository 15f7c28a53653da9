"""The dashboard in a real browser: offline map, layers, legend, popups, filters, persistence.

Every page here blocks requests to other hosts (see conftest.py), so a map
that draws proves it needs no internet.  Screenshots go to the test's
temporary folder.
"""

from __future__ import annotations

import re
import time

import pytest

from geo import taxonomy
from tests.browser.conftest import DASHBOARD as APP, MAP_FRAME as MAP, eventually, map_frame

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SEED_FEATURES = 10  # drawn shapes of the seed: events at one place and of one type share one
CAPTURE_FILL = "#7b3294"  # geo.taxonomy's capture colour


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("dashboard-store")


@pytest.fixture(scope="module")
def app_url(streamlit_server, store_dir):
    return streamlit_server(APP, env={"SITMAP_STORE_DIR": str(store_dir)})


def test_the_map_draws_offline_with_layers_and_legend(app_url, page, request_log, tmp_path):
    page.goto(app_url)
    frame = map_frame(page, SEED_FEATURES)
    assert frame.locator("path.leaflet-interactive").count() == SEED_FEATURES
    # the basemap: land polygons and city labels, drawn from the gazetteer
    assert frame.locator(".leaflet-sm-land-pane path").count() > 20
    page.screenshot(path=tmp_path / "tiles-blocked.png")
    assert frame.locator(".sm-base-label", has_text="Kyiv").count() == 1
    control = frame.locator(".leaflet-control-layers")
    assert control.is_visible()
    control.hover()  # folded until pointed at (issue 20: open, it covered popups and the legend)
    control.locator("label").first.wait_for(state="visible")
    labels = [t.strip() for t in control.locator("label").all_inner_texts()]
    assert any(t.endswith("Strike (2)") for t in labels) and len(labels) == 8
    legend = frame.locator(".sm-legend")
    assert legend.is_visible() and "Encirclement" in legend.inner_text()
    page.screenshot(path=tmp_path / "dashboard.png", full_page=True)
    request_log.assert_only_local()
    request_log.assert_no_failures()


def test_a_popup_shows_the_quote(app_url, page, tmp_path):
    page.goto(app_url)
    frame = map_frame(page, SEED_FEATURES)
    frame.locator(f"path.leaflet-interactive[fill='{CAPTURE_FILL}']").click()
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text().strip()
    assert text.startswith("Capture") and "Berdiansk" in text and "Russia" in text
    assert "has captured the small port-city of Berdiansk" in text
    assert popup.locator("mark").inner_text() == "captured"
    page.screenshot(path=tmp_path / "popup.png")


_POINTS_IN_VIEW = """() => {
  const map = document.querySelector('.leaflet-container').getBoundingClientRect();
  const covers = [...document.querySelectorAll('.sm-legend-box, .leaflet-control-layers')]
      .map(e => e.getBoundingClientRect());
  return [...document.querySelectorAll('.leaflet-sm-points-pane path.leaflet-interactive')].map(p => {
    const r = p.getBoundingClientRect();
    const inside = r.left >= map.left && r.right <= map.right && r.top >= map.top && r.bottom <= map.bottom;
    const covered = covers.some(c => r.left < c.right && r.right > c.left && r.top < c.bottom && r.bottom > c.top);
    return {fill: p.getAttribute('fill'), clear: inside && !covered};
  });
}"""


_DRAWN = """() => [window.map.getContainer().clientWidth, window.map.getSize().x,
    ...[...document.querySelectorAll('.leaflet-sm-points-pane path.leaflet-interactive,'
                                     + ' .sm-legend-box, .leaflet-control-layers')]
        .map(e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; })]"""


def _resize_window(page, frame, width: int) -> None:
    """Resize the browser window, then wait until Leaflet has taken the map's new width
    and the drawing has come to rest.

    Leaflet redraws in steps after a resize (the pan at once, the vector layer on a
    debounced ``moveend`` 200 ms later); a screenshot is taken of the map at rest,
    so that is what the tests look at.
    """
    before = frame.locator("#map_div").evaluate("() => window.map.getContainer().clientWidth")
    page.set_viewport_size({"width": width, "height": 900})
    deadline = time.monotonic() + 30
    last = None
    while time.monotonic() < deadline:
        drawn = frame.locator("#map_div").evaluate(_DRAWN)
        if drawn[0] != before and drawn[0] == drawn[1] and drawn == last:
            return
        last = drawn
        page.wait_for_timeout(300)
    raise AssertionError(f"the map did not settle at a new width (it was {before} px) "
                         f"after the window went to {width} px")


def _points_in_view(frame) -> list[dict]:
    """Each point event drawn: its colour, and whether it is on the map and under no control."""
    return frame.locator("#map_div").evaluate(_POINTS_IN_VIEW)


def test_the_first_view_keeps_every_point_clear_when_the_window_narrows(app_url, page):
    # the page often lays out after the map is drawn (the sidebar takes its width
    # later); a narrower map must still show every event, none under the legend
    page.goto(app_url)
    frame = map_frame(page, SEED_FEATURES)
    for width in (1000, 900, 1280):
        _resize_window(page, frame, width)
        points = _points_in_view(frame)
        assert len(points) == 3 and CAPTURE_FILL in {p["fill"] for p in points}
        assert all(p["clear"] for p in points), (width, points)


def test_a_view_the_user_chose_survives_a_window_resize(app_url, page):
    page.goto(app_url)
    frame = map_frame(page, SEED_FEATURES)
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(800)
    before = _view(frame)
    _resize_window(page, frame, 1100)
    after = _view(frame)
    # Leaflet keeps the centre through a resize, to within its pixel rounding
    assert after[0] == before[0]
    assert all(abs(float(a) - float(b)) < 0.02 for a, b in zip(after[1:], before[1:])), (before, after)


def test_a_layer_can_be_switched_off(app_url, page):
    page.goto(app_url)
    frame = map_frame(page, SEED_FEATURES)
    frame.locator(".leaflet-control-layers").hover()  # the control is folded until pointed at
    frame.locator(".leaflet-control-layers label", has_text="Strike").locator("input").uncheck()
    assert frame.locator("path.leaflet-interactive").count() == SEED_FEATURES - 2


def _view(frame) -> tuple:
    return tuple(frame.locator("#map_div").evaluate(
        "() => [window.map.getZoom(), window.map.getCenter().lat.toFixed(4), window.map.getCenter().lng.toFixed(4)]"))


def test_a_filter_change_redraws_without_resetting_the_view(app_url, page):
    page.goto(app_url)
    frame = map_frame(page, SEED_FEATURES)
    frame.locator(".leaflet-control-zoom-in").click()
    frame.locator("#map_div").evaluate("() => window.map.panBy([120, -60], {animate: false})")
    page.wait_for_timeout(500)
    before = _view(frame)
    search = page.get_by_label("Search quotes")
    search.fill("explosions")
    search.press("Enter")
    # the two strikes at Kyiv and Kharkiv, and the talks at the border, from the same sentence
    page.wait_for_function(
        f"() => document.querySelector(\"{MAP}\").contentDocument"
        ".querySelectorAll('path.leaflet-interactive').length === 3", timeout=30_000)
    assert _view(frame) == before
    assert "q=explosions" in page.url


def test_a_shared_url_opens_the_same_selection(app_url, page):
    page.goto(app_url + "/?types=capture&types=encirclement")
    frame = map_frame(page)

    def only_the_chosen_types():
        fills = set(frame.locator("path.leaflet-interactive").evaluate_all(
            "els => els.map(e => e.getAttribute('fill'))"))
        assert fills == {CAPTURE_FILL, taxonomy.get("encirclement").colour}
    eventually(only_the_chosen_types)


def test_a_pasted_report_survives_a_restart(streamlit_server, browser, tmp_path_factory, tmp_path):
    # the fixture's own server class, to stop and start a server on one store
    server_class = streamlit_server.__globals__["StreamlitServer"]
    store = tmp_path_factory.mktemp("restart-store")
    env = {"SITMAP_STORE_DIR": str(store)}
    logs = tmp_path_factory.mktemp("restart-logs")
    text = "Russian forces shelled Mariupol on the 9th day of the war, officials said."

    first = server_class.start(_app_path(), env, logs)
    try:
        page = browser.new_page()
        page.goto(first.url)
        map_frame(page, SEED_FEATURES)
        page.get_by_text("Add reports").click()
        page.get_by_label("Paste a report").fill(text)
        page.get_by_label("Title (optional)").fill("mariupol-day9.txt")
        page.get_by_role("button", name="Add report").click()
        page.get_by_text("mariupol-day9.txt: added").wait_for(timeout=60_000)
        page.close()
    finally:
        first.stop()

    second = server_class.start(_app_path(), env, logs)
    try:
        page = browser.new_page()
        page.goto(second.url)
        frame = map_frame(page, SEED_FEATURES + 1)
        page.get_by_text("Reports (2)").click()
        page.get_by_text("mariupol-day9.txt").first.wait_for()
        frame.locator(".leaflet-control-layers label", has_text="Strike (3)").wait_for(state="attached")
        page.screenshot(path=tmp_path / "after-restart.png", full_page=True)
        page.close()
    finally:
        second.stop()


def _app_path():
    from pathlib import Path

    return Path(__file__).resolve().parents[2] / APP


def test_the_downloaded_map_works_from_disk(app_url, page, browser, tmp_path):
    page.goto(app_url)
    map_frame(page, SEED_FEATURES)
    with page.expect_download() as info:
        page.get_by_role("button", name="Map (offline HTML)").click()
    path = tmp_path / "map.html"
    info.value.save_as(path)
    context = browser.new_context()
    requests: list[str] = []
    context.on("request", lambda r: requests.append(r.url))
    context.route(lambda url: not url.startswith(("file:", "data:")), lambda route: route.abort())
    offline = context.new_page()
    offline.goto(path.as_uri())
    offline.locator("path.leaflet-interactive").first.wait_for()
    assert offline.locator("path.leaflet-interactive").count() == SEED_FEATURES
    assert offline.locator(".sm-legend").is_visible()
    assert [u for u in requests if not re.match(r"(file|data):", u)] == []
    offline.screenshot(path=tmp_path / "downloaded.png")
    context.close()


def test_online_tiles_that_cannot_load_leave_the_offline_map(app_url, page, request_log, tmp_path):
    page.goto(app_url)
    frame = map_frame(page, SEED_FEATURES)
    page.get_by_text("Online map tiles (OpenStreetMap)").click()
    # a new base map means a new iframe: wait until the old one is gone and tiles were asked for
    page.wait_for_function(
        f"() => {{ const f = document.querySelectorAll(\"{MAP}\");"
        " return f.length === 1 && !!f[0].contentDocument.querySelector('img.leaflet-tile'); }",
        timeout=30_000)
    frame = map_frame(page, SEED_FEATURES)
    page.wait_for_timeout(1_000)
    # the tiles were asked for and blocked; land, labels and events are all still drawn
    assert any("openstreetmap" in url for url in request_log.remote())
    assert frame.locator("path.leaflet-interactive").count() == SEED_FEATURES
    assert frame.locator(".leaflet-sm-land-pane path").count() > 20
    page.screenshot(path=tmp_path / "tiles-blocked.png")
