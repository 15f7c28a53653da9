"""Of Ukraine's namesake villages, the one where the war is fought: by its raion always, and
near the occupied area on the report's day when the intake knows it."""

from __future__ import annotations

import shapely

from geo.parse.pipeline import parse_text

# Dovhenke: a village in Cherkasy oblast, one in Izium raion and two in Kupiansk raion
DOVHENKE_IZIUM = (49.02, 37.32)
DOVHENKE_KUPIANSK_NORTH = (50.17, 37.54)
NOTE = "On 1 August 2024, Russian forces shelled near Dovhenke."


def point_of(result) -> tuple[float, float]:
    [event] = result.events
    return round(event.lat, 2), round(event.lon, 2)


def test_without_a_map_a_village_of_the_wars_raions_is_chosen(gazetteer):
    lat, lon = point_of(parse_text(NOTE, gazetteer=gazetteer))
    assert lon > 37  # Kharkiv oblast, not the Cherkasy village (30.8 E)


def test_with_the_day_s_map_the_namesake_beside_the_occupied_area_is_chosen(gazetteer):
    asked = []

    def occupied_on(day):  # an occupied area reaching to 10 km of the northern Kupiansk village
        asked.append(day)
        return shapely.box(37.68, 50.0, 38.5, 50.4)

    result = parse_text(NOTE, gazetteer=gazetteer, fighting_on=occupied_on)
    assert asked == ["2024-08-01"]  # asked for the report's own day
    assert point_of(result) == DOVHENKE_KUPIANSK_NORTH
    # an area near the Izium village instead picks that one
    near_izium = parse_text(NOTE, gazetteer=gazetteer, fighting_on=lambda day: shapely.box(37.4, 48.8, 38.0, 49.1))
    assert point_of(near_izium) == DOVHENKE_IZIUM
    # the other namesakes stay listed for the analyst
    [place] = result.places
    assert len(place.alternatives) >= 1


def test_the_map_never_outweighs_a_named_oblast_or_moves_a_name_abroad(gazetteer):
    far_east = lambda day: shapely.box(38.0, 47.0, 40.0, 50.0)  # noqa: E731
    result = parse_text("On 1 August 2024, shelling hit Dovhenke, Cherkasy oblast.", gazetteer=gazetteer,
                        fighting_on=far_east)
    assert [round(p.lon) for p in result.places if p.kind == "city"] == [31]
    # a Ukrainian village far from the fighting still beats a foreign namesake as before
    for fighting_on in (None, far_east):
        [place] = parse_text("On 1 August 2024: Dachnoye.", gazetteer=gazetteer, fighting_on=fighting_on).places
        assert place.country_code == "UA"


def test_no_day_no_map_asked(gazetteer):
    asked = []
    parse_text("Russian forces shelled near Dovhenke.", gazetteer=gazetteer,
               fighting_on=lambda day: asked.append(day))
    assert asked == []
