"""Place labels in Ukrainian (SITMAP_LABELS=uk, or the sidebar toggle), the popup's language,
and a quote search in Cyrillic."""

from __future__ import annotations

import pytest

from dashboard.safehtml import event_block
from dashboard.sidebar import LABELS_KEY, labelled_events
from geo.gazetteer.labels import label_setting, place_label
from geo.store import EventFilter
from tests.dashboard.apptest_reading import features, plain

UK_REPORT = ("Російські війська обстріляли Харків. Окупанти оточили Маріуполь, повідомив Генштаб ЗСУ. "
             "У Києві лунали вибухи.")


def _labels(args: dict) -> set[str]:
    return {f["properties"]["_label"] for f in features(args) if f["properties"].get("_label")}


def _places(app) -> list[str]:
    return [plain(b.label).split(":")[0] for b in app.sidebar.button if ":" in b.label]


def test_a_place_is_labelled_by_its_ukrainian_name_only_when_asked():
    assert place_label("Kyiv", 50.45, 30.52, "uk") == "Київ"
    assert place_label("Kharkiv", 49.99, 36.23, "uk") == "Харків"
    assert place_label("Kharkivska oblast", None, None, "uk") == "Харківська область"
    assert place_label("Ukraine", None, None, "uk") == "Україна"
    assert place_label("Donbas", 48.51, 38.34, "uk") == "Донбас"  # a region of two oblasts
    assert place_label("Kyiv", 50.45, 30.52, "canonical") == "Kyiv"
    assert place_label("Zorvania", 1.0, 1.0, "uk") == "Zorvania"  # no Ukrainian name: the canonical one
    assert label_setting("uk") == "uk" and label_setting("") == "canonical" and label_setting("en") == "canonical"


def test_the_briefing_takes_the_labels_and_the_store_keeps_its_names():
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": None, "properties": {"place": "Kharkiv", "lat": 49.99, "lon": 36.23}}]}
    assert labelled_events(fc, "uk")["features"][0]["properties"]["place"] == "Харків"
    assert fc["features"][0]["properties"]["place"] == "Kharkiv"
    assert labelled_events(fc, "canonical") is fc


def test_a_popup_names_the_language_of_the_quote():
    block = event_block({"event_type": "strike", "quote": "Окупанти обстріляли Харків.", "lang": "uk",
                         "date": "2022-02-28", "source": "r.txt"})
    assert "Ukrainian" in block and "Окупанти обстріляли Харків." in block
    assert "Russian" in event_block({"event_type": "strike", "quote": "Обстреляли Харьков.", "lang": "ru"})


def test_a_quote_search_in_cyrillic_ignores_case(store, gazetteer):
    from geo.intake.service import add_report

    add_report(store, UK_REPORT, "zvedennia.txt", "2022-03-01", gazetteer=gazetteer)
    found = store.query_events(EventFilter(text="харків"))["features"]
    assert found and all("Харків" in f["properties"]["quote"] for f in found)
    assert {f["properties"]["lang"] for f in found} == {"uk"}
    assert store.query_events(EventFilter(text="ОТОЧИЛИ"))["features"]
    assert not store.query_events(EventFilter(text="одеса"))["features"]


@pytest.mark.slow
def test_sitmap_labels_uk_labels_the_map_and_the_sidebar_in_ukrainian(app, map_args, monkeypatch):
    monkeypatch.setenv("SITMAP_LABELS", "uk")
    app.run()
    assert not app.exception
    labels = _labels(map_args(app))
    assert {"Київ", "Харків"} <= labels and "Kyiv" not in labels
    places = _places(app)
    assert "Київ" in places and "Бердянськ" in places and "Kyiv" not in places


@pytest.mark.slow
def test_the_sidebar_toggle_switches_the_labels(app, map_args):
    app.run()
    assert {"Kyiv", "Kharkiv"} <= _labels(map_args(app)) and "Kyiv" in _places(app)
    app.toggle(key=LABELS_KEY).set_value(True).run()
    assert not app.exception
    assert {"Київ", "Харків"} <= _labels(map_args(app)) and "Харків" in _places(app)
    app.toggle(key=LABELS_KEY).set_value(False).run()
    assert "Kyiv" in _labels(map_args(app))
