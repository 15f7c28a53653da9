"""The dashboard's "Briefing image" button, driven through Streamlit's AppTest."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from matplotlib.colors import to_rgb
from PIL import Image
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from geo.taxonomy import EVENT_TYPES

TIMEOUT = 120  # the first render loads the gazetteer


def _panel_app(events_path: str, types: list[str], bbox) -> None:
    """The app under test: the briefing panel over the seed's events, nothing else."""
    import json

    from dashboard.briefing import briefing_panel

    with open(events_path, encoding="utf-8") as fh:
        events = json.load(fh)
    briefing_panel(events, bbox=bbox, types=types, title="Seed briefing")


def _presentation_app() -> None:
    import streamlit as st

    from dashboard.briefing import apply_presentation_mode

    apply_presentation_mode()
    st.write("map goes here")


@pytest.fixture()
def media(monkeypatch) -> list[MediaFileManager]:
    """The media managers AppTest creates, so the test can read what a download serves."""
    made: list[MediaFileManager] = []

    class Recording(MediaFileManager):
        def __init__(self, storage):
            super().__init__(storage)
            made.append(self)

    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", Recording)
    return made


@pytest.fixture()
def events_path(seed_build) -> str:
    return str(Path(seed_build["dir"]) / "events.geojson")


def _served(mgr: MediaFileManager, url: str):
    """What the browser would get from a media URL such as ``/mock/media/<id>.png``."""
    return mgr.read_file(url.rsplit("/", 1)[-1].split(".", 1)[0])


def _download(at: AppTest, label: str):
    hits = [b for b in at.download_button if b.label == label]
    assert len(hits) == 1, [b.label for b in at.download_button]
    return hits[0]


def test_button_offers_the_png_of_the_current_view(events_path, media):
    at = AppTest.from_function(_panel_app, args=(events_path, ["strike", "capture"], None),
                               default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    assert len(at.download_button) == 0  # nothing is rendered until asked
    at.button(key="briefing_button").click().run()
    assert not at.exception
    png_button = _download(at, "Download PNG")
    url = png_button.proto.url
    assert url.endswith(".png")
    served = _served(media[-1], url)
    assert served.mimetype == "image/png" and served.filename == "sitmap-briefing-2022-02-28.png"
    assert served.content.startswith(b"\x89PNG")
    img = Image.open(io.BytesIO(served.content))
    assert img.size == (1920, 1080)
    # the filtered types are on the page: Berdiansk's capture flag shows in its colour
    rgb = np.asarray(img.convert("RGB")).astype(int)
    purple = np.array([round(c * 255) for c in to_rgb(EVENT_TYPES["capture"].colour)])
    assert np.count_nonzero(np.abs(rgb - purple).max(axis=2) <= 6) > 100


def test_pdf_download_renders_the_same_page_on_click(events_path, media):
    at = AppTest.from_function(_panel_app, args=(events_path, ["strike"], None),
                               default_timeout=TIMEOUT)
    at.run()
    at.button(key="briefing_button").click().run()
    pdf_button = _download(at, "Download PDF")
    file_id = pdf_button.proto.deferred_file_id
    assert file_id  # drawn only when someone asks for it
    url = media[-1].execute_deferred(file_id)
    served = _served(media[-1], url)
    assert served.mimetype == "application/pdf" and served.content.startswith(b"%PDF")


def test_empty_view_still_gives_an_image(events_path, media):
    """A filter that matches nothing yields the "No events match" page, not an error."""
    at = AppTest.from_function(_panel_app, args=(events_path, ["protest"], None),
                               default_timeout=TIMEOUT)
    at.run()
    at.button(key="briefing_button").click().run()
    assert not at.exception and not at.error
    url = _download(at, "Download PNG").proto.url
    assert Image.open(io.BytesIO(_served(media[-1], url).content)).size == (1920, 1080)


def test_bad_extent_shows_an_error_not_a_traceback(events_path, media):
    at = AppTest.from_function(_panel_app, args=(events_path, ["strike"], (40.0, 50.0, 30.0, 52.0)),
                               default_timeout=TIMEOUT)
    at.run()
    at.button(key="briefing_button").click().run()
    assert not at.exception
    assert at.error and "bbox" in at.error[0].value
    assert len(at.download_button) == 0


def test_presentation_mode_hides_streamlit_chrome():
    at = AppTest.from_function(_presentation_app, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception
    css = " ".join(h.proto.body for h in at.get("html"))
    for part in ("stHeader", "stToolbar", "footer", "display: none", "padding"):
        assert part in css
    assert "<script" not in css
