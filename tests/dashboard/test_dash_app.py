"""The dashboard under Streamlit's AppTest: status, filters, the URL, intake, removal."""

from __future__ import annotations


import pytest

from geo.store import open_store
from tests.dashboard.apptest_reading import headlines as _headlines, plain as _plain, features as _features, tips as _tips

pytestmark = pytest.mark.slow


def _types_drawn(args: dict) -> set[str]:
    tips = [f["properties"]["_tip"] for f in _features(args)]
    return {t.split(" · ")[0].split(" (")[0] for t in tips}


def _store_state(at):
    s = open_store(str(at.store_dir / "sitmap.sqlite"))
    try:
        return s.revision(), [(r.source, r.events) for r in s.list_reports()]
    finally:
        s.close()


def test_runs_and_shows_the_seed_status(app):
    app.run()
    assert not app.exception
    markdown = " ".join(_plain(m.value) for m in app.sidebar.markdown)
    assert "Day 5 of the war" in markdown and "2022-02-28" in markdown
    places = [_plain(b.label) for b in app.sidebar.button]
    assert "Berdiansk: captured (Russia)" in places
    kyiv = next(p for p in places if p.startswith("Kyiv:"))
    assert "under attack" in kyiv and "encircled" in kyiv and "Mayor of Kyiv" in kyiv
    assert any(p.startswith("Kharkiv: under attack") for p in places)
    headlines = _headlines(app)
    for wanted in ("No major city captured", "Peace talks ended", "Nuclear forces on high alert",
                   "Exit ban for men aged 18–60", "EU accession requested"):
        assert any(h.startswith(wanted) for h in headlines), wanted


def test_the_map_draws_every_seed_type(app, map_args):
    app.run()
    args = map_args(app)
    assert _types_drawn(args) == {"Strike", "Capture", "Encirclement", "Troop movement",
                                  "Military losses", "Mobilisation", "Diplomacy", "Strategic"}
    # offline: nothing is fetched from another host
    assert all(link.startswith("/app/static/vendor/") for link in args["js_links"] + args["css_links"])
    assert "tile.openstreetmap" not in args["script"]


def test_unselecting_a_type_removes_its_features(app, map_args):
    app.run()
    before = map_args(app)
    assert "Strike" in _types_drawn(before)
    assert "Strike · Kharkiv" in _tips(before)
    app.multiselect(key="f_types").unselect("strike").run()
    after = map_args(app)
    assert not app.exception
    assert "Strike" not in _types_drawn(after)
    assert "Strike · Kharkiv" not in _tips(after) and "Strike · Kyiv" not in _tips(after)
    assert _types_drawn(after) == _types_drawn(before) - {"Strike"}
    # the base map is untouched, so the browser keeps its map and view
    assert after["script"] == before["script"]
    counts = " ".join(h.value for h in app.sidebar.get("html"))
    assert "Strike" not in counts and "Capture" in counts


def test_filters_round_trip_through_the_url(app, map_args):
    app.run()
    app.multiselect(key="f_types").unselect("strike").unselect("diplomacy")
    app.text_input(key="f_text").input("surrounded")
    app.run()
    url = dict(app.query_params)
    assert url["q"] == "surrounded"  # AppTest gives the last value of each parameter
    assert "strike" not in url["types"] and "diplomacy" not in url["types"]
    shared = type(app).from_file(app._script_path, default_timeout=120)
    shared.query_params.update(url)
    shared.store_dir = app.store_dir
    shared.run()
    assert not shared.exception
    assert shared.text_input(key="f_text").value == "surrounded"
    assert set(shared.multiselect(key="f_types").value) == set(app.multiselect(key="f_types").value)
    assert "strike" not in shared.multiselect(key="f_types").value
    # the sentence with "surrounded" also tells of Berdiansk's capture
    assert _types_drawn(map_args(shared)) == _types_drawn(map_args(app)) == {"Encirclement", "Capture"}


def test_a_url_with_unknown_values_still_opens(app, map_args):
    app.query_params["types"] = ["capture", "no-such-type"]
    app.query_params["from"] = "not a date"
    app.query_params["actor"] = "<script>"
    app.run()
    assert not app.exception
    assert app.multiselect(key="f_types").value == ["capture"]
    assert _types_drawn(map_args(app)) == {"Capture"}


BAD_UPLOADS = [
    ("empty.txt", b"", "empty"),
    ("picture.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01" + bytes(64), "binary"),
    ("latin1.txt", "Kyiv était encerclée, d'après le maire.".encode("latin-1"), "not UTF-8"),
    ("huge.txt", b"Kyiv. " * (1024 * 1024), "too large"),
]


@pytest.mark.parametrize(("name", "data", "reason"), BAD_UPLOADS, ids=[b[0] for b in BAD_UPLOADS])
def test_a_bad_upload_is_refused_and_changes_nothing(app, map_args, name, data, reason):
    app.run()
    before, features = _store_state(app), _features(map_args(app))
    app.get("file_uploader")[0].set_value((name, data, "text/plain")).run()
    assert not app.exception
    errors = " ".join(_plain(e.value) for e in app.error)
    assert name in errors and reason in errors
    assert _store_state(app) == before
    assert _features(map_args(app)) == features


def test_folded_panels_are_built_when_opened(app, map_args):
    # the default view: four folded panels, none of their widgets sent to the browser
    from tests.dashboard.conftest import PANELS

    for key in PANELS:
        app.session_state[key] = False
    app.run()
    assert not app.exception
    labels = [_plain(e.label) for e in app.main.expander]
    assert labels[:4] == ["Edit events", "Add reports", "Reports (1)", "Imported layers"]
    assert len(app.text_area) == 0 and len(app.get("file_uploader")) == 0
    seed_map = map_args(app)["feature_group"]

    # opening "Add reports" (a click reruns the script) fills that panel only
    app.session_state["panel_intake"] = True
    app.run()
    assert [t.key for t in app.text_area] == ["paste_text"]
    assert len(app.get("file_uploader")) == 1
    assert not any(b.key and b.key.startswith("remove_") for b in app.button)
    assert map_args(app)["feature_group"] == seed_map


def test_a_pasted_report_is_parsed_kept_and_removable(app, map_args):
    app.run()
    text = "Russian forces shelled Mariupol on the 9th day of the war, the city council said."
    app.text_area(key="paste_text").input(text)
    app.text_input(key="paste_title").input("../../etc/<img src=x onerror=alert(1)>.txt")
    app.button(key="paste_add").click().run()
    assert not app.exception
    assert any("added" in _plain(s.value) for s in app.success)
    assert "Mariupol" in map_args(app)["feature_group"]
    names = [source for source, _ in _store_state(app)[1]]
    assert "<img src=x onerror=alert(1)>.txt" in names  # the last path part only, kept as text
    listed = [m.value for m in app.markdown if "onerror" in m.value]
    assert listed and all("\\<img" in m for m in listed)  # shown as text, not as markup
    removal = next(b for b in app.button if b.key and b.key.startswith("remove_") and
                   b.key != "remove_" + _seed_id(app))
    removal.click().run()
    assert "Mariupol" not in map_args(app)["feature_group"]
    assert len(_store_state(app)[1]) == 1


def _seed_id(at) -> str:
    s = open_store(str(at.store_dir / "sitmap.sqlite"))
    try:
        return next(r.id for r in s.list_reports() if r.source.startswith("000_"))
    finally:
        s.close()


def test_clicking_a_place_centres_the_map_on_it(app, map_args):
    app.run()
    assert map_args(app)["center"] is None
    next(b for b in app.sidebar.button if "Berdiansk" in b.label).click().run()
    lat, lon = map_args(app)["center"]
    assert abs(lat - 46.76) < 0.05 and abs(lon - 36.79) < 0.05
    assert map_args(app)["zoom"] >= 8


def test_a_store_that_cannot_open_is_reported(app, tmp_path, monkeypatch):
    bad = tmp_path / "damaged.sqlite"
    bad.write_bytes(b"not a database" * 1000)
    monkeypatch.setenv("SITMAP_STORE", str(bad))
    app.run()
    assert not app.exception
    assert "cannot be opened" in app.error[0].value and "not a Sitmap store" in app.error[0].value


def test_missing_map_scripts_are_named_instead_of_a_blank_map(app, map_args, tmp_path, monkeypatch):
    from dashboard import offline

    monkeypatch.setattr(offline, "VENDOR_DIR", tmp_path / "no-vendor")  # as before `make setup`
    app.run()
    assert not app.exception
    (error,) = app.error
    assert "make setup" in error.value and "leaflet/leaflet.js" in error.value
    with pytest.raises(AssertionError, match="found 0"):
        map_args(app)  # no map that would stay blank
    assert "Day 5 of the war" in " ".join(_plain(m.value) for m in app.sidebar.markdown)
