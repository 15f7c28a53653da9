"""Maps draw with no internet: folium's assets come from the vendor folder.

The browser tests open ``apps/offline_map_app.py`` in chromium with every
request to another host blocked, and look inside the st_folium iframe. The
control case keeps folium's CDN links and must draw nothing, which shows the
checks can fail.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import folium
import pytest
from folium.plugins import MarkerCluster, Timeline, TimelineSlider

from dashboard.offline import (
    OFFLINE_CLASSES,
    VENDOR_DIR,
    VENDOR_URL,
    VENDORED_FILES,
    offline_map,
    remote_assets,
    standalone_html,
    use_offline_assets,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = "tests/browser/apps/offline_map_app.py"


def _map_with_plugins() -> folium.Map:
    m = offline_map(location=(48.7, 31.5))
    MarkerCluster().add_to(m)
    timeline = Timeline({"type": "FeatureCollection", "features": []}).add_to(m)
    TimelineSlider().add_timelines(timeline).add_to(m)
    return m


# -- without a browser ------------------------------------------------------


def test_offline_map_links_no_other_host():
    assert remote_assets(_map_with_plugins()) == []


def test_plain_folium_map_is_covered_too():
    use_offline_assets()
    m = folium.Map(tiles=None)
    MarkerCluster().add_to(m)
    assert remote_assets(m) == []


def test_colormap_is_reported_as_remote():
    m = offline_map()
    folium.LinearColormap(["#ffffff", "#b00020"]).add_to(m)
    assert any("d3" in url for url in remote_assets(m))


def test_every_vendored_link_names_a_vendored_file():
    use_offline_assets()
    urls = {
        url
        for cls in OFFLINE_CLASSES
        for attribute in ("default_js", "default_css")
        for _, url in getattr(cls, attribute, [])
    }
    # every folium asset is redirected, and every vendored file is linked
    assert urls == {f"{VENDOR_URL}/{path}" for path in VENDORED_FILES.values()}
    missing = sorted(path for path in VENDORED_FILES.values() if not (VENDOR_DIR / path).is_file())
    assert missing == [], "run `make setup`; not vendored: " + ", ".join(missing)


def test_offline_map_sets_max_zoom_without_tiles():
    # MarkerCluster throws "Map has no maxZoom specified" without it
    assert offline_map().options["max_zoom"] == 18


def test_standalone_html_reads_files_from_disk():
    html = standalone_html(_map_with_plugins())
    assert VENDOR_URL not in html
    assert f'src="{VENDOR_DIR.as_uri()}/leaflet/leaflet.js"' in html


def test_vendor_script_is_idempotent(tmp_path):
    command = [sys.executable, "scripts/vendor_assets.py", "--dest", str(tmp_path / "vendor")]
    first = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    (tmp_path / "vendor" / "left-over.js").write_text("stale")
    second = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert "0 unchanged" in first.stdout
    assert " 0 written" in second.stdout and "1 removed" in second.stdout
    assert (tmp_path / "vendor" / "leaflet" / "images" / "marker-icon.png").is_file()


# -- in the browser ---------------------------------------------------------


def _folium_frame(page):
    """The st_folium component's iframe: its element and its frame."""
    iframe = page.wait_for_selector("iframe[title*='streamlit_folium']", state="attached")
    frame = iframe.content_frame()
    assert frame is not None
    return iframe, frame


@pytest.fixture(scope="module")
def offline_app_url(streamlit_server):
    return streamlit_server(APP)


def test_map_draws_offline_inside_st_folium(offline_app_url, page, request_log, tmp_path):
    page.goto(offline_app_url)
    iframe, frame = _folium_frame(page)
    frame.wait_for_selector(".leaflet-container .marker-cluster")
    frame.wait_for_selector(".awesome-marker i.glyphicon-info-sign")
    frame.evaluate("document.fonts.ready.then(() => true)")

    # the known failure drew a 0 px high iframe
    assert iframe.bounding_box()["height"] >= 500
    assert frame.locator("path.leaflet-interactive").count() == 3
    assert frame.locator(".marker-cluster").inner_text().strip() == "3"
    assert frame.locator(".awesome-marker:not(.awesome-marker-shadow)").count() == 2
    libraries = frame.evaluate(
        "[typeof L.markerClusterGroup, typeof L.AwesomeMarkers, typeof jQuery, typeof bootstrap]"
    )
    assert libraries == ["function", "object", "function", "object"]
    loaded_fonts = frame.evaluate(
        "Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert any("Glyphicons Halflings" in family for family in loaded_fonts)
    assert any("Font Awesome 6 Free" in family for family in loaded_fonts)
    page.screenshot(path=tmp_path / "offline_map.png", full_page=True)

    assert any("/app/static/vendor/leaflet/leaflet.js" in url for url in request_log.urls)
    request_log.assert_only_local()
    request_log.assert_no_failures()


def test_cdn_links_draw_nothing_offline(streamlit_server, page, request_log):
    page.goto(streamlit_server(APP, env={"SITMAP_TEST_CDN_ASSETS": "1"}))
    iframe, frame = _folium_frame(page)
    for _ in range(60):  # until the component has tried a CDN, at most 15 s
        if request_log.remote():
            break
        page.wait_for_timeout(250)
    page.wait_for_timeout(2_000)  # time enough to draw, had the scripts come

    assert frame.locator(".leaflet-container").count() == 0
    assert iframe.bounding_box()["height"] < 10
    assert any("leaflet" in url for url in request_log.remote())
    with pytest.raises(AssertionError):
        request_log.assert_only_local()
