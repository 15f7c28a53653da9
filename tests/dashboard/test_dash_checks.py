"""Places to check: approximate and unresolved places on the map and in the sidebar, pinned in a click."""

from __future__ import annotations

import json

import shapely
from shapely.geometry import shape

from dashboard import mapview
from geo.store import EventFilter, open_store
from tests.dashboard.apptest_reading import features

VAGUE = "Russian forces shelled near Zzyxivka, Donetsk oblast, on 3 March 2022."


def _paste(app, text: str, title: str) -> None:
    app.text_area(key="paste_text").input(text)
    app.text_input(key="paste_title").input(title)
    app.button(key="paste_add").click().run()
    assert not app.exception


def _strikes_named(args: dict, word: str) -> list[dict]:
    return [f for f in features(args) if word in f["properties"]["_tip"] and "Strike" in f["properties"]["_tip"]]


def _stored(app, source: str) -> tuple[dict, list]:
    s = open_store(str(app.store_dir / "sitmap.sqlite"))
    try:
        (feature,) = [f for f in s.query_events(EventFilter())["features"]
                      if f["properties"]["source"] == source and f["properties"]["event_type"] == "strike"]
        return feature, s.corrections(feature["properties"]["id"])
    finally:
        s.close()


def test_an_oblast_only_event_is_an_approximate_area_listed_to_check_and_pinned_by_coordinates(app, map_args):
    app.session_state["panel_checks"] = True
    app.run()
    _paste(app, VAGUE, "vague.txt")
    (drawn,) = _strikes_named(map_args(app), "Donetska oblast")
    assert drawn["properties"]["_k"] == "approx"  # dashed, no point marker
    assert "approximate" in drawn["properties"]["_tip"] and "Zzyxivka" in drawn["properties"]["_popup"]
    assert drawn["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert "only the oblast or raion is known" in map_args(app)["script"]  # the legend's entry

    pick = app.selectbox(key="check_pick")
    assert any(o.startswith("Zzyxivka? · Strike · Donetska oblast (oblast)") for o in pick.options)
    pick.select_index(next(i for i, o in enumerate(pick.options) if o.startswith("Zzyxivka?"))).run()
    assert app.text_input(key="check_name").value == "Zzyxivka"  # suggested from the report's own name
    app.text_input(key="check_analyst").input("A. Analyst")
    app.number_input(key="check_lat").set_value(48.1)
    app.number_input(key="check_lon").set_value(37.5)
    app.button(key="check_pin_coords").click().run()
    assert not app.exception and app.sidebar.success, [e.value for e in app.error]

    feature, trail = _stored(app, "vague.txt")
    assert feature["geometry"] == {"type": "Point", "coordinates": [37.5, 48.1]}
    assert feature["properties"]["precision"] == "place"
    (c,) = trail
    assert (c.action, c.analyst) == ("move", "A. Analyst") and c.at
    assert c.before["precision"] == "oblast" and c.before["geometry"]["type"] == "MultiPolygon"
    assert c.after["lat"] == 48.1 and "Zzyxivka" in c.note
    (moved,) = _strikes_named(map_args(app), "48.1000, 37.5000")
    assert moved["properties"]["_k"] == "pt"  # a point now: the analyst placed it
    left = [o for s in app.sidebar.selectbox if s.key == "check_pick" for o in s.options]
    assert not any(o.startswith("Zzyxivka?") for o in left)  # checked: off the list
    assert any(c.value.startswith("Nothing to check") for c in app.sidebar.caption) or left


def test_a_gazetteer_suggestion_pins_the_event_at_that_place(app, map_args):
    app.session_state["panel_checks"] = True
    app.run()
    _paste(app, VAGUE, "vague.txt")
    pick = app.selectbox(key="check_pick")
    pick.select_index(next(i for i, o in enumerate(pick.options) if o.startswith("Zzyxivka?"))).run()
    app.text_input(key="check_analyst").input("B. Analyst")
    app.text_input(key="check_name").input("Bakhmut").run()
    choice = app.selectbox(key="check_choice")
    assert choice.options[0].startswith("Bakhmut (city")
    app.button(key="check_pin_place").click().run()
    feature, trail = _stored(app, "vague.txt")
    assert feature["properties"]["place"] == "Bakhmut" and trail[-1].analyst == "B. Analyst"
    lon, lat = feature["geometry"]["coordinates"]
    assert abs(lat - 48.59) < 0.1 and abs(lon - 38.0) < 0.1
    assert _strikes_named(map_args(app), "Bakhmut")


def test_a_raion_only_event_is_drawn_as_a_disc_around_its_seat_not_a_point(store, gazetteer):
    from geo.parse.pipeline import parse_text

    store.add_results([parse_text("Russian shelling hit the Pokrovsk raion on 5 March 2022.",
                                  source="raion.txt", gazetteer=gazetteer)])
    content = mapview.map_content(store, EventFilter(types=("strike",)), store.facets())
    (raion,) = [f for layer in content.layers for f in layer.features if "Pokrovsk" in f["properties"]["_tip"]]
    assert raion["properties"]["_k"] == "approx" and "_r" not in raion["properties"]
    disc = shape(raion["geometry"])
    assert disc.geom_type == "Polygon" and disc.contains(shapely.Point(37.18, 48.28))
    assert 0.5 < (disc.bounds[3] - disc.bounds[1]) < 0.7  # 30 km each way: about 0.54 degrees of latitude
    assert json.dumps(raion["geometry"]).count("[") > 40  # a ring, not a box


def test_a_settlement_event_is_still_a_point(store):
    content = mapview.map_content(store, EventFilter(types=("capture",)), store.facets())
    (berdiansk,) = [f for layer in content.layers for f in layer.features]
    assert berdiansk["properties"]["_k"] == "pt" and "approximate" not in berdiansk["properties"]["_tip"]


def test_a_misspelt_name_is_offered_the_settlement_it_means(gazetteer):
    from dashboard.checks_ui import suggestions

    (first, *_) = suggestions("Lysychanksk", gazetteer=gazetteer)
    assert first.name == "Lysychansk" and abs(first.lat - 48.9) < 0.1
    assert suggestions("Zzyxqwvk", gazetteer=gazetteer) == []  # nothing alike: type coordinates


def test_namesakes_in_the_events_oblast_come_first(gazetteer):
    from dashboard.checks_ui import suggestions

    anywhere = suggestions("Novoselivka", gazetteer=gazetteer)
    donetsk = suggestions("Novoselivka", "Donetska oblast", gazetteer=gazetteer)
    assert len(anywhere) == len(donetsk) > 1
    assert all("UA.05" in c.label for c in donetsk[:3]) and "UA.05" not in anywhere[0].label
