"""Two analysts add reports at the same moment on one dashboard server: neither is lost.

Each analyst has a browser context of their own (their own Streamlit
session), pastes a different report and presses "Add report"; both presses go
out before either answer comes back, so the two parses and store writes run
side by side in the server.  Afterwards a fresh page lists both reports with
their events, and the store on disk holds both, each with its own events.
"""

from __future__ import annotations

import re
import pytest

from geo.store import EventFilter, open_store
from tests.browser.conftest import DASHBOARD as APP, MAP_FRAME as MAP, map_frame, offline_context

pytestmark = [pytest.mark.browser, pytest.mark.slow]

STORE_FILE = "sitmap.sqlite"

# long enough that each parse takes a while, so the two really overlap in the server
REPORTS = {
    "analyst-a-kharkiv.txt": " ".join([
        "Russian forces shelled Kharkiv overnight, regional officials said.",
        "Explosions were heard in Chuhuiv and Izium, where artillery struck a school.",
        "Ukrainian troops repelled an assault near Vovchansk, the general staff said.",
    ] * 150),
    "analyst-b-kherson.txt": " ".join([
        "Russian troops captured Kherson on Wednesday, the mayor said.",
        "Heavy fighting was reported in Mykolaiv as missiles hit the port.",
        "Civilians were killed when shelling struck Nova Kakhovka, officials said.",
    ] * 150),
}


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("concurrent-store")


@pytest.fixture(scope="module")
def app_url(streamlit_server, store_dir):
    return streamlit_server(APP, env={"SITMAP_STORE_DIR": str(store_dir)})


@pytest.fixture
def contexts(browser):
    """Two independent browser contexts (two analysts), offline like every browser test."""
    made = []
    for _ in range(2):
        made.append(offline_context(browser, timeout_ms=60_000))
    yield made
    for context in made:
        context.close()


def _open_intake(page, url: str) -> None:
    page.goto(url)
    # a cold server first parses the seed and loads the gazetteer: be patient with the first map
    map_frame(page, timeout_ms=180_000)
    page.get_by_text("Add reports").click()
    page.get_by_label("Paste a report").wait_for()


def _stored(store_dir) -> dict[str, tuple[str, int]]:
    store = open_store(str(store_dir / STORE_FILE))
    try:
        return {r.source: (r.id, r.events) for r in store.list_reports()}
    finally:
        store.close()


_PRESS_AT = """at => setTimeout(() => {
    const button = [...document.querySelectorAll("button")].find(b => b.innerText.trim() === "Add report");
    window.__pressedAt = Date.now();
    button.click();
}, Math.max(0, at - Date.now()))"""


def _press_together(pages, texts_and_titles) -> None:
    """Fill each page's form, then press both "Add report" buttons back to back."""
    for page, (title, text) in zip(pages, texts_and_titles):
        page.get_by_label("Paste a report").fill(text)
        page.get_by_label("Title (optional)").fill(title)
        # Streamlit sends a text area's value on blur: leave it before the button is pressed
        page.get_by_label("Title (optional)").press("Tab")
    for page in pages:
        page.get_by_role("button", name="Add report").wait_for()
    # both pages share this machine's clock: each is told to press at the same instant
    at = pages[0].evaluate("() => Date.now()") + 3000
    for page in pages:
        page.evaluate(_PRESS_AT, at)
    pressed = [page.wait_for_function("() => window.__pressedAt", timeout=10_000).json_value()
               for page in pages]
    # each add parses for about half a second on the server, so presses this close overlap there
    assert max(pressed) - min(pressed) < 300, f"the presses were {pressed} (ms)"


def test_two_sessions_adding_at_once_lose_neither(app_url, contexts, browser, store_dir, tmp_path):
    pages = [c.new_page() for c in contexts]
    for page in pages:
        _open_intake(page, app_url)
    before = _stored(store_dir)
    assert not set(REPORTS) & set(before)
    _press_together(pages, REPORTS.items())

    for page, title in zip(pages, REPORTS):
        page.get_by_text(f"{title}: added").wait_for(timeout=90_000)
        assert page.get_by_text("not saved").count() == 0
    for i, page in enumerate(pages):
        page.screenshot(path=tmp_path / f"analyst-{i}.png", full_page=True)

    # a fresh page (a third session) lists both, with their events
    fresh = contexts[0].new_page()
    fresh.goto(app_url)
    fresh.wait_for_selector(MAP, state="attached", timeout=90_000)
    fresh.get_by_text(f"Reports ({len(before) + 2})").click()
    stored = _stored(store_dir)
    for title in REPORTS:
        row = fresh.locator('[data-testid="stMarkdownContainer"]', has_text=title).last
        row.wait_for()
        events = stored[title][1]
        assert events >= 3, (title, events)
        assert f"{events} events" in row.inner_text()
    fresh.screenshot(path=tmp_path / "fresh.png", full_page=True)

    # the store: both reports, each with its own events, and nothing else lost
    assert set(before) | set(REPORTS) == set(stored)
    assert all(stored[name] == before[name] for name in before)
    store = open_store(str(store_dir / STORE_FILE))
    try:
        for title in REPORTS:
            features = store.query_events(EventFilter(sources=(title,)))["features"]
            assert len(features) == stored[title][1]
            assert {f["properties"]["source"] for f in features} == {title}
    finally:
        store.close()


def test_two_reports_under_one_title_at_once_both_kept(app_url, contexts, store_dir, tmp_path):
    """Both analysts call their report "frontline.txt": one keeps the name, the other gets "(2)"."""
    pages = [c.new_page() for c in contexts]
    for page in pages:
        _open_intake(page, app_url)
    before = _stored(store_dir)
    texts = [text.replace("Kharkiv", "Sumy").replace("Kherson", "Melitopol") for text in REPORTS.values()]
    _press_together(pages, [("frontline.txt", t) for t in texts])
    for i, page in enumerate(pages):
        alert = page.locator('[data-testid="stAlert"]').first
        alert.wait_for(timeout=90_000)
        page.screenshot(path=tmp_path / f"same-title-{i}.png", full_page=True)
        assert re.match(r"frontline( \(2\))?\.txt: added", alert.inner_text().strip()), alert.inner_text()
    stored = _stored(store_dir)
    new = {name: v for name, v in stored.items() if name not in before}
    assert set(new) == {"frontline.txt", "frontline (2).txt"}, new
    assert all(events >= 3 for _, events in new.values())
    store = open_store(str(store_dir / STORE_FILE))
    try:
        places = [{f["properties"]["place"] for f in store.query_events(EventFilter(sources=(name,)))["features"]}
                  for name in new]
    finally:
        store.close()
    # each name holds one whole report: Sumy's or Melitopol's events, never a mix
    assert sorted("Sumy" in p for p in places) == [False, True], places
    assert sorted("Melitopol" in p for p in places) == [False, True], places
