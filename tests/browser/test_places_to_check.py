"""An event known only to its oblast, in a real browser: a dashed area with its legend entry, and listed to check."""

from __future__ import annotations

import pytest

from tests.browser.conftest import DASHBOARD as APP, map_frame, wait_until_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VAGUE = "Russian forces shelled near Zzyxivka, Donetsk oblast, on 3 March 2022."
RAION = "Russian shelling hit the Izium raion on 3 March 2022."


@pytest.fixture(scope="module")
def app_url(streamlit_server, tmp_path_factory, gazetteer):
    from geo.intake.service import open_seeded
    from geo.parse.pipeline import parse_text

    store_dir = tmp_path_factory.mktemp("checks-store")
    store = open_seeded(str(store_dir / "sitmap.sqlite"), gazetteer)
    store.add_results([parse_text(VAGUE, source="vague.txt", gazetteer=gazetteer),
                       parse_text(RAION, source="raion.txt", gazetteer=gazetteer)])
    store.close()
    return streamlit_server(APP, env={"SITMAP_STORE_DIR": str(store_dir)})


def test_an_oblast_only_event_is_a_dashed_area_in_the_legend_and_in_places_to_check(app_url, page, request_log,
                                                                                   tmp_path):
    page.goto(app_url)
    frame = map_frame(page)
    dashed = frame.locator("path.leaflet-interactive[stroke-dasharray='10 6']")
    dashed.first.wait_for(state="attached")
    assert dashed.count() == 2  # the strikes of Donetsk oblast and of the Izium raion (a disc), nothing else
    assert frame.locator(".sm-label", has_text="Izium").count() == 0  # no point, so no point's label
    assert frame.locator(".sm-legend-approx").inner_text().strip() == "approximate: only the oblast or raion is known"
    wait_until_idle(page)
    page.get_by_text("Places to check").click()
    wait_until_idle(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_text("Pin at these coordinates").wait_for()
    page.locator('[data-testid="stSidebar"]').get_by_text("Pin at these coordinates").scroll_into_view_if_needed()
    page.screenshot(path=tmp_path / "places-to-check.png", full_page=True)
    page.screenshot(path="/tmp/trust_places_to_check.png", full_page=True)
    picked = sidebar.locator('[data-testid="stSelectbox"]').first
    shown = " ".join(i.input_value() for i in picked.locator("input").all())  # the picked option
    assert "Zzyxivka? · Strike · Donetska oblast (oblast)" in shown, shown
    request_log.assert_only_local()
