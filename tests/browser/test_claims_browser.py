"""Issue 19's "done when", in a real browser: "shelled A and captured B" gives one capture, at B.

The analyst pastes a report whose one sentence shells Kharkiv and captures
Kherson into a store holding nothing else.  The sidebar's place status, its
headlines, the map's features (as the dashboard builds them) and the briefing
image each show exactly one capture, at Kherson; Kharkiv is under attack, never captured.  A screenshot of
the page with the briefing preview is kept in the test's folder.
"""

from __future__ import annotations

import re

import pytest

from geo.intake.service import open_seeded
from geo.store import EventFilter, open_store
from tests.browser.conftest import DASHBOARD as APP, MAP_FRAME as MAP, wait_until_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPORT = "On 1 March 2022 Russian forces shelled Kharkiv's Freedom Square and captured Kherson."


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory, gazetteer):
    """A store that was seeded once and had its seed removed: it holds only what the test adds."""
    folder = tmp_path_factory.mktemp("claims-store")
    store = open_seeded(f"sqlite:///{folder / 'sitmap.sqlite'}", gazetteer)
    try:
        for report in store.list_reports():
            store.remove_report(report.id)
    finally:
        store.close()
    return folder


@pytest.fixture(scope="module")
def app_url(streamlit_server, store_dir):
    return streamlit_server(APP, env={"SITMAP_STORE_DIR": str(store_dir)})


def _expander(page, title: str):
    box = page.locator('[data-testid="stExpander"]', has_text=title).first
    if box.locator("details").first.get_attribute("open") is None:
        box.locator("summary").first.click()
    return box


def _places(page) -> list[str]:
    buttons = page.locator('[data-testid="stSidebar"] button', has_text=re.compile(r"^[A-Z][\w' -]+: "))
    return [b.strip() for b in buttons.all_inner_texts()]


def _headlines(page) -> list[str]:
    return [s.strip() for s in page.locator('[data-testid="stSidebar"] details.sm-headline summary').all_inner_texts()]


def test_shelled_a_and_captured_b_is_one_capture_at_b(app_url, page, request_log, store_dir, gazetteer,
                                                     tmp_path):
    page.set_viewport_size({"width": 1500, "height": 1100})
    page.goto(app_url)
    page.wait_for_selector(MAP, state="attached", timeout=180_000)  # an empty store: a map with no features
    intake = _expander(page, "Add reports")
    intake.get_by_label("Paste a report").fill(REPORT)
    intake.get_by_label("Title (optional)").fill("kharkiv-kherson.txt")
    intake.get_by_label("Title (optional)").press("Tab")
    page.get_by_role("button", name="Add report").click()
    page.locator('[data-testid="stAlertContentSuccess"]', has_text="kharkiv-kherson.txt").wait_for(timeout=120_000)
    page.locator('[data-testid="stSidebar"] button', has_text="Kherson:").wait_for(timeout=60_000)
    wait_until_idle(page)

    places = _places(page)
    captured = [p for p in places if "captured" in p]
    assert captured == ["Kherson: captured (Russia)"], places
    assert any(p.startswith("Kharkiv: under attack") for p in places), places
    headlines = _headlines(page)
    assert [h for h in headlines if "captured" in h] == ["Kherson captured by Russia"], headlines
    # the map's features for this selection, as the dashboard builds them (the drawn map's own
    # test is tests/browser/test_dashboard.py)
    store = open_store(str(store_dir / "sitmap.sqlite"))
    try:
        from dashboard import mapview

        content = mapview.map_content(store, EventFilter(), store.facets())
        events = store.query_events()
    finally:
        store.close()
    tips = [f["properties"]["_tip"] for layer in content.layers for f in layer.features]
    assert [t for t in tips if t.startswith("Capture")] == ["Capture · Kherson"], tips
    assert "Strike · Kharkiv" in tips and not any(t.startswith("Strike · Kherson") for t in tips)

    # the briefing: the button's preview on the page, and the same events drawn offline
    page.get_by_text("Briefing image of this view").click()
    page.get_by_role("button", name="Briefing image").click()
    page.locator('[data-testid="stImage"]').first.wait_for(timeout=120_000)
    page.locator('[data-testid="stImage"]').first.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=tmp_path / "shelled-a-captured-b.png", full_page=True)
    from geo.briefing.render import build_figure

    fig = build_figure(events, gazetteer=gazetteer)
    marks = [a for a in fig.axes[0].findobj() if (a.get_gid() or "").startswith("event:capture")]
    assert sum(len(a.get_offsets()) for a in marks) == 1
    labels = [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
    assert "Capture (1)" in labels and "Strike (1)" in labels, labels
    request_log.assert_only_local()
