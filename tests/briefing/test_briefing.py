"""The briefing image: what a briefer sees on the slide, checked in pixels and artists."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyproj
import pytest
from matplotlib.collections import Collection
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D
from PIL import Image

from geo.briefing import frame as page_frame
from geo.briefing import labels
from geo.briefing import render as briefing
from geo.taxonomy import EVENT_TYPES

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "000_e0b432954ff16db6.txt"
WHEN = dt.datetime(2022, 3, 1, 10, 0, tzinfo=dt.timezone.utc)


def _brief(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "geo", "brief", *args], cwd=ROOT,
                          capture_output=True, text=True)


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text"))]


def _legend_labels(fig) -> list[str]:
    legend = fig.axes[1].get_legend()
    return [t.get_text() for t in legend.get_texts()]


def _pixels_near(png: bytes, colour: str, tol: int = 6) -> int:
    img = np.asarray(Image.open(io.BytesIO(png)).convert("RGB")).astype(int)
    target = np.array([round(c * 255) for c in to_rgb(colour)])
    return int(np.count_nonzero(np.abs(img - target).max(axis=2) <= tol))


def _artist_colours(fig) -> set[tuple[float, float, float]]:
    """Every face and marker colour drawn anywhere on the page, as RGB."""
    out = set()
    for a in fig.findobj():
        if isinstance(a, Collection):
            out |= {tuple(np.round(c[:3], 3)) for c in a.get_facecolors()}
        elif isinstance(a, Line2D) and a.get_marker() not in (None, "None", ""):
            face = a.get_markerfacecolor()
            if not (isinstance(face, str) and face == "none"):
                out.add(tuple(np.round(to_rgb(face), 3)))
            out.add(tuple(np.round(to_rgb(a.get_markeredgecolor()), 3)))
    return out


@pytest.fixture(scope="module")
def seed_events(seed_build) -> dict:
    return seed_build["events"]


@pytest.fixture(scope="module")
def seed_figure(seed_events, gazetteer):
    return briefing.build_figure(seed_events, title="Seed", generated=WHEN, gazetteer=gazetteer,
                                 sources=["000_e0b432954ff16db6.txt"],
                                 date_range=["2022-02-28", "2022-02-28"])


# --- the command line ---------------------------------------------------

@pytest.mark.parametrize("scale, size", [("1", (1920, 1080)), ("2", (3840, 2160))])
def test_cli_writes_a_png_of_the_requested_size(tmp_path, scale, size):
    out = tmp_path / "brief.png"
    run = _brief(str(SEED), "--out", str(out), "--scale", scale)
    assert run.returncode == 0, run.stderr
    with Image.open(out) as img:
        img.verify()
    with Image.open(out) as img:
        assert img.format == "PNG" and img.size == size


def test_cli_writes_the_same_page_as_pdf(tmp_path):
    out = tmp_path / "brief.pdf"
    run = _brief(str(SEED), "--out", str(out))
    assert run.returncode == 0, run.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    # 19.2 x 10.8 inches, the PNG's page, is 1382.4 x 777.6 points
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert box and (float(box[1]), float(box[2])) == pytest.approx((1382.4, 777.6))
    assert data.count(b"/Type /Page\n") + data.count(b"/Type /Page ") + \
        data.count(b"/Type /Page>") >= 1


@pytest.mark.parametrize("args, reason", [
    (["--bbox", "30,50,29"], "bbox"),
    (["--bbox", "40,50,30,52"], "bbox"),
    (["--bbox", "a,b,c,d"], "bbox"),
    (["--types", "strike,shelling"], "unknown event type 'shelling'"),
    (["--scale", "0"], "scale"),
    (["--types", ","], "--types is empty"),
])
def test_cli_refuses_bad_input_with_one_line(tmp_path, args, reason):
    out = tmp_path / "brief.png"
    run = _brief(str(SEED), "--out", str(out), *args)
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and reason in run.stderr
    assert "Traceback" not in run.stderr and not out.exists()


def test_cli_refuses_an_output_that_is_not_png_or_pdf(tmp_path):
    run = _brief(str(SEED), "--out", str(tmp_path / "brief.jpg"))
    assert run.returncode == 2 and ".png or .pdf" in run.stderr


def test_cli_refuses_a_folder_without_reports(tmp_path):
    run = _brief(str(tmp_path), "--out", str(tmp_path / "brief.png"))
    assert run.returncode == 2 and "no .txt or .md reports" in run.stderr


def test_strike_only_draws_no_capture_symbol(tmp_path):
    capture = EVENT_TYPES["capture"].colour
    every, strike = tmp_path / "every.png", tmp_path / "strike.png"
    assert _brief(str(SEED), "--out", str(every)).returncode == 0
    assert _brief(str(SEED), "--out", str(strike), "--types", "strike").returncode == 0
    assert _pixels_near(every.read_bytes(), capture) > 100  # the control: Berdiansk's flag
    assert _pixels_near(strike.read_bytes(), capture) == 0
    assert _pixels_near(strike.read_bytes(), EVENT_TYPES["strike"].colour) > 100


# --- the page's content ---------------------------------------------------

def test_strike_only_figure_has_no_capture_artist(seed_events, gazetteer):
    purple = tuple(np.round(to_rgb(EVENT_TYPES["capture"].colour), 3))
    red = tuple(np.round(to_rgb(EVENT_TYPES["strike"].colour), 3))
    every = briefing.build_figure(seed_events, gazetteer=gazetteer)
    strike = briefing.build_figure(seed_events, types=["strike"], gazetteer=gazetteer)
    assert purple in _artist_colours(every)
    assert purple not in _artist_colours(strike) and red in _artist_colours(strike)


def test_legend_lists_every_type_shown_with_its_count(seed_figure, seed_events):
    counts = {}
    for f in seed_events["features"]:
        t = f["properties"]["event_type"]
        counts[t] = counts.get(t, 0) + 1
    expected = [f"{EVENT_TYPES[k].label} ({counts[k]})" for k in EVENT_TYPES if k in counts]
    assert _legend_labels(seed_figure) == expected
    assert "Strike (2)" in expected and "Capture (1)" in expected


def test_legend_holds_only_the_filtered_types(seed_events, gazetteer):
    fig = briefing.build_figure(seed_events, types=["capture", "strike"], gazetteer=gazetteer)
    assert _legend_labels(fig) == ["Strike (2)", "Capture (1)"]


@pytest.mark.parametrize("types", [
    ["strike"], ["capture"], ["encirclement"], ["troop_movement"], ["losses"],
    ["mobilization"], ["diplomacy"], ["strategic"], ["strike", "capture", "encirclement"],
    ["diplomacy", "troop_movement"],
])
def test_any_selection_renders_with_its_own_legend(seed_events, gazetteer, types):
    fig = briefing.build_figure(seed_events, types=types, gazetteer=gazetteer)
    shown = [label.rsplit(" (", 1)[0] for label in _legend_labels(fig)]
    assert shown == [EVENT_TYPES[k].label for k in EVENT_TYPES if k in types]


@pytest.mark.parametrize("kwargs, detail", [
    ({"types": ["protest"]}, "no event of the selected types (protest)"),
    ({"types": []}, "No event type is selected"),
    ({"bbox": (-10.0, 36.0, -6.0, 42.0)}, "falls inside this view"),
])
def test_empty_selection_says_no_events_match(seed_events, gazetteer, kwargs, detail):
    fig = briefing.build_figure(seed_events, gazetteer=gazetteer, **kwargs)
    texts = _texts(fig)
    assert page_frame.NO_MATCH in texts
    assert any(detail in t for t in texts)
    png = briefing.render_briefing(seed_events, gazetteer=gazetteer, **kwargs)
    assert Image.open(io.BytesIO(png)).size == (1920, 1080)


def test_no_events_at_all_still_gives_an_image(gazetteer):
    png = briefing.render_briefing({"type": "FeatureCollection", "features": []},
                                   gazetteer=gazetteer)
    assert Image.open(io.BytesIO(png)).size == (1920, 1080)


def test_page_holds_title_date_sources_and_timestamp(seed_figure):
    texts = _texts(seed_figure)
    assert "Seed" in texts
    assert "Report date: 28 February 2022" in texts
    assert "Sources: 000_e0b432954ff16db6.txt" in texts
    assert any(t.startswith("Generated 2022-03-01 10:00 UTC") for t in texts)
    assert "N" in texts  # the north arrow
    assert seed_figure.axes[0].get_xlabel() == "" or \
        not seed_figure.axes[0].xaxis.label.get_visible()


def test_banner_comes_from_settings_and_prints_top_and_bottom(seed_events, gazetteer,
                                                              monkeypatch):
    monkeypatch.setattr(briefing.settings, "BANNER", "Exercise only")
    texts = _texts(briefing.build_figure(seed_events, types=["capture"], gazetteer=gazetteer))
    assert texts.count("EXERCISE ONLY") == 2
    plain = briefing.build_figure(seed_events, types=["capture"], banner="", gazetteer=gazetteer)
    assert "EXERCISE ONLY" not in _texts(plain)


def test_event_places_are_labelled_without_overlaps(seed_figure):
    ax = seed_figure.axes[0]
    renderer = seed_figure.canvas.get_renderer()
    labels = [t for t in ax.texts if t.get_gid() in ("place-label", "country-label",
                                                     "city-label")]
    names = {t.get_text() for t in labels}
    assert {"Kyiv", "Kharkiv", "Berdiansk", "UKRAINE", "RUSSIA", "BELARUS"} <= names
    boxes = [t.get_window_extent(renderer) for t in labels]
    frame = ax.get_window_extent(renderer)
    for box in boxes:
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1
        assert frame.y0 <= box.y0 and box.y1 <= frame.y1
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)


def test_countries_do_not_zoom_the_map_out(seed_figure, seed_events):
    """Russia's nuclear alert is a country-level event: the view stays on Ukraine."""
    frame = briefing.events_frame(seed_events)
    minlon, minlat, maxlon, maxlat = briefing.default_extent(frame)
    assert maxlon < 42 and minlon > 20 and maxlat < 56  # not out to the Urals
    for city, lon, lat in [("Kyiv", 30.52, 50.45), ("Kharkiv", 36.23, 49.99),
                           ("Berdiansk", 36.79, 46.76)]:
        assert minlon < lon < maxlon and minlat < lat < maxlat, city


def test_country_only_selection_shows_the_country(seed_events, gazetteer):
    fig = briefing.build_figure(seed_events, types=["strategic"], gazetteer=gazetteer)
    assert _legend_labels(fig) == ["Strategic (1)"]
    assert "RUSSIA" in _texts(fig)


def test_scale_bar_matches_geodesic_distance(gazetteer):
    """Kyiv to Kharkiv measured with the scale bar's metres matches the ellipsoid."""
    view = briefing.make_view((22.0, 44.0, 40.0, 53.0), aspect=1.6)
    to_map = pyproj.Transformer.from_crs(4326, view.crs, always_xy=True)
    (x1, x2), (y1, y2) = to_map.transform([30.52, 36.23], [50.45, 49.99])
    on_map_km = np.hypot(x2 - x1, y2 - y1) * labels.metres_per_unit(view) / 1000
    true_km = pyproj.Geod(ellps="WGS84").inv(30.52, 50.45, 36.23, 49.99)[2] / 1000
    assert true_km == pytest.approx(410, abs=10)
    assert on_map_km == pytest.approx(true_km, rel=0.01)


def test_ring_of_the_encirclement_surrounds_kyiv(seed_figure):
    """The encirclement is drawn as an open ring around Kyiv's strike symbol."""
    ax = seed_figure.axes[0]
    ring = [a for a in ax.findobj() if a.get_gid() == "event:encirclement"]
    assert ring
    face = ring[0].get_facecolor() if isinstance(ring[0], Collection) else None
    if face is not None:
        assert face[0][3] <= 0.2  # a see-through wash, not a blot over the city
    else:
        assert ring[0].get_markerfacecolor() == "none"


def test_a_type_the_taxonomy_lacks_is_shown_as_other(gazetteer):
    fc = {"type": "FeatureCollection", "features": [{
        "type": "Feature", "geometry": {"type": "Point", "coordinates": [30.52, 50.45]},
        "properties": {"event_type": "sabotage", "place": "Kyiv", "place_kind": "city",
                       "lat": 50.45, "lon": 30.52}}]}
    fig = briefing.build_figure(fc, gazetteer=gazetteer)
    assert _legend_labels(fig) == ["Other (1)"]
    assert "Kyiv" in _texts(fig)
