"""Issue 7's "done when", in a real browser: a week of reports, played, fixed by hand, exported.

The analyst uploads the seven dated example reports of ``seeds/timeline``
through the intake, plays the week, steps back to the day before Berdiansk
fell and forward again, retypes one event and marks another false in the
"Edit events" panel, then downloads a GeoPackage and opens it as QGIS would
(through OGR, with ``pyogrio.read_dataframe``).  Nothing leaves the machine.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import DASHBOARD as APP, MAP_FRAME as MAP, eventually, map_frame, wait_until_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TIMELINE = Path(__file__).resolve().parents[2] / "seeds" / "timeline"


@pytest.fixture(scope="module")
def app_url(streamlit_server, tmp_path_factory):
    store = tmp_path_factory.mktemp("walkthrough-store")
    return streamlit_server(APP, env={"SITMAP_STORE_DIR": str(store)})


def _expander(page, title: str):
    box = page.locator('[data-testid="stExpander"]', has_text=title).first
    summary = box.locator("summary").first
    if box.locator("details").first.get_attribute("open") is None:
        summary.click()
    return box


def _heading(page) -> str:
    return page.locator('[data-testid="stSidebar"] h3').first.inner_text().strip()


def _place(page, name: str) -> str:
    """The sidebar's status line of a place ("" when it is not listed)."""
    found = page.locator('[data-testid="stSidebar"] button', has_text=re.compile(rf"^{name}:"))
    return found.first.inner_text().strip() if found.count() else ""


def _choose(page, container, label: str, option: str) -> None:
    """Pick ``option`` in the selectbox called ``label``."""
    box = container.locator('[data-testid="stSelectbox"]', has_text=label).first
    box.click()
    page.get_by_role("option", name=option).first.click()


def _map_view(page) -> tuple:
    return tuple(page.frame_locator(MAP).locator("#map_div").evaluate(
        "() => [window.map.getZoom(), window.map.getCenter().lat.toFixed(3), window.map.getCenter().lng.toFixed(3)]"))


def _tooltips(page) -> list[str]:
    """The hover label of every drawn event feature."""
    return page.frame_locator(MAP).locator("#map_div").evaluate("""() => {
        const out = [];
        window.map.eachLayer(l => { if (l.feature && l.getTooltip && l.getTooltip())
            out.push(l.getTooltip().getContent()); });
        return out; }""")


def _shown(container, text: str) -> None:
    """Wait until the editor shows the event described by ``text``."""
    container.locator('[data-testid="stMarkdownContainer"]', has_text=text).first.wait_for(timeout=30_000)


def _wait_saved(page, text: str) -> None:
    page.locator('[data-testid="stAlertContentSuccess"]', has_text=text).wait_for(timeout=30_000)


def test_load_play_fix_and_export_a_week(app_url, page, request_log, tmp_path):
    import pyogrio

    page.goto(app_url)
    map_frame(page)

    # 1. a week of reports through the intake's uploader
    intake = _expander(page, "Add reports")
    files = sorted(TIMELINE.glob("*.md"))
    assert len(files) == 7
    intake.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files([str(f) for f in files])
    for f in files:
        page.locator('[data-testid="stAlertContentSuccess"]', has_text=f.name).wait_for(timeout=120_000)
    slider = page.locator('[data-testid="stSlider"]', has_text="Situation as of")
    slider.wait_for()
    assert "2022-03-03" in slider.inner_text()
    assert _place(page, "Berdiansk").startswith("Berdiansk: captured")

    # 2. play the week: the day moves on by itself, the map keeps its view
    frame = page.frame_locator(MAP)
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(600)
    view = _map_view(page)
    page.get_by_role("button", name="Play").click()
    seen = set()
    for day in ("2022-02-24", "2022-02-25", "2022-02-26", "2022-02-27"):
        page.wait_for_function(
            "d => [...document.querySelectorAll('[data-testid=stSidebar] h3')].some(h => h.innerText.includes(d))",
            arg=day, timeout=30_000)
        seen.add(day)
    page.get_by_role("button", name="Play").wait_for(timeout=60_000)  # back to Play: the week is over
    assert _heading(page) == "Situation"
    assert "2022-03-03" in slider.inner_text() and "asof=" not in page.url
    assert _map_view(page) == view

    # 3. step back to the day before Berdiansk fell, and forward again
    back = page.get_by_role("button", name="Day before")
    while "2022-02-26" not in _heading(page):
        before = _heading(page)
        back.click()
        page.wait_for_function("h => document.querySelector('[data-testid=stSidebar] h3').innerText !== h",
                               arg=before, timeout=30_000)
    assert "asof=2022-02-26" in page.url

    def berdiansk_not_yet_taken():
        assert not _place(page, "Berdiansk").startswith("Berdiansk: captured")
        assert not any(t.startswith("Capture · Berdiansk") for t in _tooltips(page))
    eventually(berdiansk_not_yet_taken)
    page.get_by_role("button", name="Day after").click()
    page.wait_for_function("() => document.querySelector('[data-testid=stSidebar] h3').innerText.includes('2022-02-27')",
                           timeout=30_000)

    def berdiansk_taken():
        assert _place(page, "Berdiansk").startswith("Berdiansk: captured")
        assert any(t.startswith("Capture · Berdiansk") for t in _tooltips(page))
    eventually(berdiansk_taken)
    page.screenshot(path=tmp_path / "as-of-2022-02-27.png")
    # back to the latest day for the rest
    page.goto(app_url)
    page.wait_for_selector(MAP, state="attached", timeout=90_000)
    slider.wait_for()

    # 4. two events fixed by hand: troops that only "reached Melitopol" were no battle, and the
    #    ministry's claim that Melitopol was taken is marked false
    editor = _expander(page, "Edit events")
    name = editor.get_by_label("Your name (kept with every correction)")
    name.fill("Olena")
    name.press("Enter")
    search = editor.get_by_label("Find an event")
    search.fill("Battle · Melitopol")
    search.press("Enter")
    _shown(editor, "Battle at Melitopol, 2022-02-25 · as parsed")
    editor.get_by_role("tab", name="Change type").click()
    _choose(page, editor, "New type", "Troop movement")
    editor.get_by_role("button", name="Change the type").click()
    _wait_saved(page, "retype by Olena")
    page.wait_for_function(
        "() => document.querySelector(\"" + MAP + "\").contentDocument !== null", timeout=10_000)

    search.fill("Capture · Melitopol")
    search.press("Enter")
    _shown(editor, "Capture at Melitopol, 2022-02-26 · as parsed")
    editor.get_by_role("tab", name="Mark false").click()
    editor.get_by_role("button", name="Mark as false").click()
    _wait_saved(page, "mark false by Olena")
    audit = editor.locator('[data-testid="stDataFrame"]')
    audit.wait_for()

    def melitopol_corrected():
        assert not _place(page, "Melitopol").startswith("Melitopol: captured")
        tips = _tooltips(page)
        assert not any(t.startswith(("Capture · Melitopol", "Battle · Melitopol")) for t in tips)
        assert any(t.startswith("Troop movement · Melitopol") for t in tips)
    eventually(melitopol_corrected)

    # 5. the GeoPackage for QGIS: corrected values, the corrected flag, the false event left out
    with page.expect_download() as info:
        page.get_by_role("button", name="Events (GeoPackage)").click()
    gpkg = tmp_path / "week.gpkg"
    info.value.save_as(gpkg)
    layers = {name for name, _ in pyogrio.list_layers(gpkg)}
    assert {"capture", "battle", "strike", "troop_movement"} <= layers
    moves = pyogrio.read_dataframe(gpkg, layer="troop_movement")
    fixed = moves[moves["corrected"].astype(bool)]
    assert len(fixed) == 1
    row = fixed.iloc[0]
    assert row["place"] == "Melitopol" and str(row["date"])[:10] == "2022-02-25"
    assert row["corrected_by"] == "Olena" and "event_type" in row["corrected_fields"]
    assert "Melitopol" not in set(pyogrio.read_dataframe(gpkg, layer="battle")["place"])
    captures = pyogrio.read_dataframe(gpkg, layer="capture")
    assert "Melitopol" not in set(captures["place"])
    assert "Berdiansk" in set(captures["place"]) and not captures[captures["place"] == "Berdiansk"]["corrected"].astype(bool).any()
    assert captures.crs.to_epsg() == 4326

    page.screenshot(path=tmp_path / "walkthrough.png", full_page=True)
    request_log.assert_only_local()


ACLED_OK = (
    "event_date,event_type,sub_event_type,actor1,location,latitude,longitude,notes,source\n"
    "27 February 2022,Explosions/Remote violence,Shelling/artillery/missile attack,"
    "Military Forces of Russia (2000-),Mariupol,47.0951,37.5413,Shelling of the port <b>area</b>,Partner feed\n"
)
ACLED_BAD = ACLED_OK + "28 February 2022,Battles,Armed clash,,Mariupol,not-a-latitude,37.5413,Fighting,Partner feed\n"


def test_an_acled_file_imported_from_the_dashboard_is_a_layer(app_url, page, tmp_path):
    page.goto(app_url)
    map_frame(page)
    wait_until_idle(page)  # the first run done: the panel opened now stays open
    panel = _expander(page, "Imported layers")
    uploader = panel.locator('[data-testid="stFileUploaderDropzoneInput"]')
    bad = tmp_path / "partner_bad.csv"
    bad.write_text(ACLED_BAD, encoding="utf-8")
    uploader.set_input_files(str(bad))
    error = page.locator('[data-testid="stAlertContentError"]', has_text="partner_bad.csv")
    error.wait_for(state="attached", timeout=60_000)
    wait_until_idle(page)
    assert panel.locator("details").first.get_attribute("open") is not None, "the panel folded itself"
    error.wait_for(timeout=10_000)
    assert "line 3" in error.inner_text()
    assert page.frame_locator(MAP).locator(".leaflet-control-layers label", has_text="Imported").count() == 0

    good = tmp_path / "partner.csv"
    good.write_text(ACLED_OK, encoding="utf-8")
    panel.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(good))
    page.locator('[data-testid="stAlertContentSuccess"]', has_text="1 event imported").wait_for(timeout=60_000)
    label = page.frame_locator(MAP).locator(".leaflet-control-layers label", has_text="Imported: partner")
    label.wait_for(state="attached", timeout=30_000)
    page.frame_locator(MAP).locator(".leaflet-control-layers").hover()  # folded until pointed at
    assert "(1)" in label.inner_text()
    assert any(t.startswith("Imported: partner · Strike · Mariupol") for t in _tooltips(page))
    # its popup shows the imported text as text
    page.frame_locator(MAP).locator("#map_div").evaluate("""() => { window.map.eachLayer(l => {
        if (l.getTooltip && l.getTooltip() && String(l.getTooltip().getContent()).startsWith('Imported'))
            l.openPopup(); }); }""")
    popup = page.frame_locator(MAP).locator(".leaflet-popup-content")
    popup.wait_for()
    assert "Shelling of the port <b>area</b>" in popup.inner_text() and "Partner feed" in popup.inner_text()
    # the layer can be switched off on its own
    page.frame_locator(MAP).locator(".leaflet-control-layers").hover()
    label.locator("input").uncheck()
    assert not any(t.startswith("Imported") for t in _visible_tooltips(page))
    page.screenshot(path=tmp_path / "imported.png")


def _visible_tooltips(page) -> list[str]:
    """Hover labels of the features now on the map (layers switched off are not)."""
    return page.frame_locator(MAP).locator("#map_div").evaluate("""() => {
        const out = [];
        window.map.eachLayer(l => { if (l.feature && l.getTooltip && l.getTooltip() && window.map.hasLayer(l))
            out.push(l.getTooltip().getContent()); });
        return out; }""")
