"""Issue 20, in a real browser: what an analyst hit in a morning with Sitmap.

Labelled event places, one click on an area listing every event on it (and no
focus outline), the view kept in the URL, a legend of the filtered types only,
a folded layer control, "Edit this event" from a popup, date filters that
apply at once, and ``?asof=`` in step with the day shown.  Screenshots go to
the test's temporary folder (and to ``SITMAP_SHOTS`` when set).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from geo.intake.service import add_report, date_from_name, open_seeded
from geo.store import STORE_FILE
from tests.browser.conftest import DASHBOARD as APP, MAP_FRAME as MAP, eventually, map_frame, wait_until_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SEED_FEATURES = 10
TIMELINE = Path(__file__).resolve().parents[2] / "seeds" / "timeline"


def _keep(path: Path) -> None:
    shots = os.environ.get("SITMAP_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(shots) / path.name)


@pytest.fixture(scope="module")
def app_url(streamlit_server, tmp_path_factory):
    return streamlit_server(APP, env={"SITMAP_STORE_DIR": str(tmp_path_factory.mktemp("morning-store"))})


@pytest.fixture(scope="module")
def week_url(streamlit_server, tmp_path_factory, gazetteer):
    folder = tmp_path_factory.mktemp("morning-week")
    store = open_seeded(f"sqlite:///{folder / STORE_FILE}", gazetteer)
    for path in sorted(TIMELINE.glob("*.txt")) + sorted(TIMELINE.glob("*.md")):
        add_report(store, path.read_text(encoding="utf-8"), path.name, date_from_name(path.name),
                   gazetteer=gazetteer)
    store.close()
    return streamlit_server(APP, env={"SITMAP_STORE_DIR": str(folder)})


_VISIBLE_LABELS = """() => {
  const out = [];
  document.querySelectorAll('.sm-label-icon').forEach(el => {
    const r = el.getBoundingClientRect();
    if (el.style.visibility !== 'hidden' && r.width)
      out.push({text: el.innerText.trim(), event: !!el.querySelector('.sm-label-event'),
                l: r.left, r: r.right, t: r.top, b: r.bottom});
  });
  return out;
}"""


def test_event_places_are_labelled_without_collisions(app_url, page, tmp_path):
    page.goto(app_url)
    frame = map_frame(page, SEED_FEATURES)
    frame.locator(".sm-label-event", has_text="Berdiansk").wait_for()

    def decluttered():  # the declutter pass runs just after the layers land
        labels = frame.locator("#map_div").evaluate(_VISIBLE_LABELS)
        events = {lab["text"] for lab in labels if lab["event"]}
        assert {"Berdiansk", "Kharkiv", "Kyiv"} <= events, labels
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                assert not (a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]), (a, b)
    eventually(decluttered)
    # readable: dark text with a light halo, not the basemap's grey
    style = frame.locator(".sm-label-event", has_text="Berdiansk").evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(e).textShadow, getComputedStyle(e).fontWeight]")
    assert style[0] == "rgb(16, 22, 29)" and "255, 255, 255" in style[1] and int(style[2]) >= 600
    page.screenshot(path=tmp_path / "labelled-places.png")
    _keep(tmp_path / "labelled-places.png")


def _click_at(page, frame, lat: float, lon: float) -> None:
    """A real mouse click on the map at a place."""
    x, y = frame.locator("#map_div").evaluate(
        f"() => {{ const p = window.map.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y]; }}")
    box = page.locator(MAP).bounding_box()
    inner = frame.locator("#map_div").bounding_box()
    page.mouse.click(inner["x"] + x, inner["y"] + y)
    assert box is not None


def test_one_click_on_an_area_lists_every_event_on_it(app_url, page, tmp_path):
    page.goto(app_url)
    frame = map_frame(page, SEED_FEATURES)
    # central Ukraine: inside the country's outline, away from every point event
    _click_at(page, frame, 48.9, 31.2)
    popup = frame.locator(".leaflet-popup-content")
    popup.wait_for()
    text = popup.inner_text()
    for label in ("Mobilisation", "Military losses"):
        assert label in text, text
    assert re.search(r"\d types of event here", text), text
    blocks = popup.locator(".sm-type-block")
    assert blocks.count() >= 2
    # no focus ring on the clicked shape
    ring = frame.locator("#map_div").evaluate("""() => {
        const el = document.activeElement;
        const path = el && el.tagName === 'path' ? el : document.querySelector('path.leaflet-interactive');
        path.focus();
        const s = getComputedStyle(path);
        return [s.outlineStyle, s.outlineWidth];
    }""")
    assert ring[0] == "none" or ring[1] == "0px", ring
    page.screenshot(path=tmp_path / "area-popup.png")
    _keep(tmp_path / "area-popup.png")


def test_the_view_is_in_the_url_and_a_link_reopens_it(app_url, page, browser):
    page.goto(app_url)
    frame = map_frame(page, SEED_FEATURES)
    frame.locator(".leaflet-control-zoom-in").click()
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(600)  # both zoom steps over (each animates)
    zoom = frame.locator("#map_div").evaluate("() => window.map.getZoom()")
    page.wait_for_function("z => { const v = new URLSearchParams(location.search).get('view');"
                           " return v && Math.abs(+v.split(',')[2] - z) < 0.01; }", arg=zoom, timeout=15_000)
    link = page.url
    assert re.search(r"view=[-\d.]+%2C[-\d.]+%2C[\d.]+|view=[-\d.]+,[-\d.]+,[\d.]+", link), link
    other = browser.new_page()
    try:
        other.goto(link)
        again = map_frame(other, SEED_FEATURES)
        # the frame takes the view once st_folium hands it over: wait for it rather than sleep
        again.locator("#map_div").evaluate(
            """(el, z) => new Promise((ok, fail) => { const t0 = Date.now(); (function check() {
                if (Math.abs(window.map.getZoom() - z) < 0.01) { ok(); }
                else if (Date.now() - t0 > 15000) { fail(new Error("zoom " + window.map.getZoom() + " not " + z + " at " + window.parent.location.search)); }
                else { setTimeout(check, 100); } })(); })""", zoom)
    finally:
        other.close()


def test_the_legend_lists_only_the_filtered_types_and_the_control_is_folded(app_url, page):
    page.goto(app_url + "/?types=capture&types=encirclement")
    frame = map_frame(page)

    def legend_shows_the_filter():
        shown = frame.locator(".sm-legend li[data-type]").evaluate_all(
            "els => els.filter(e => e.style.display !== 'none').map(e => e.dataset.type)")
        assert sorted(shown) == ["capture", "encirclement"]
    eventually(legend_shows_the_filter)
    control = frame.locator(".leaflet-control-layers")
    assert "leaflet-control-layers-expanded" not in (control.get_attribute("class") or "")
    assert control.bounding_box()["width"] < 60  # a button, not a panel over the map


def test_edit_this_event_opens_the_editor_on_it(app_url, page):
    page.goto(app_url)
    frame = map_frame(page, SEED_FEATURES)
    frame.locator("path.leaflet-interactive[fill='#7b3294']").click()  # the capture of Berdiansk
    with page.expect_navigation(url=re.compile(r"edit="), timeout=30_000):
        frame.locator(".leaflet-popup-content .sm-edit").click()
    map_frame(page, SEED_FEATURES)
    wait_until_idle(page)
    editor = page.locator('[data-testid="stExpander"]', has_text="Edit events").first
    shown = editor.locator('[data-testid="stMarkdownContainer"]', has_text="at Berdiansk").first
    shown.wait_for(timeout=30_000)
    assert shown.inner_text().startswith("Capture at Berdiansk")


def _caption(page) -> str:
    return page.locator('[data-testid="stCaptionContainer"]', has_text=re.compile(r"\d+ events")).first.inner_text()


def test_date_filters_apply_at_once_and_asof_keeps_step(week_url, page, tmp_path):
    page.goto(week_url)
    map_frame(page)
    wait_until_idle(page)
    before = _caption(page)
    page.screenshot(path=tmp_path / "week.png", full_page=True)
    _keep(tmp_path / "week.png")
    handle = page.locator('[data-testid="stSidebar"] [data-testid="stSlider"] input[type="range"]').first
    handle.focus()
    for _ in range(3):
        handle.press("ArrowRight")
    # the handle keeps the focus, and the map already shows the narrower range
    page.wait_for_function("b => { const c = [...document.querySelectorAll('[data-testid=stCaptionContainer]')]"
                           ".map(e => e.innerText).find(t => /\\d+ events/.test(t)); return c && c !== b; }",
                           arg=before, timeout=30_000)
    assert page.evaluate("() => document.activeElement.type") == "range"
    # the as-of day in the URL follows every step at once, however fast the steps come
    back = page.get_by_role("button", name="Day before")
    for _ in range(3):
        back.click()
    wait_until_idle(page)
    page.wait_for_timeout(500)
    shown = page.locator('[data-testid="stSlider"]', has_text="Situation as of").first.locator(
        '[data-testid="stSliderThumbValue"]').first.inner_text()
    day = re.search(r"\d{4}-\d{2}-\d{2}", shown).group(0)
    assert f"asof={day}" in page.url, (day, page.url)
