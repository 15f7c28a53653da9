"""Recognition: which spans of a text name a place, as an analyst reads them."""

from __future__ import annotations

import pytest

from geo.parse.mentions import find_mentions


def spans(text: str, gazetteer) -> list[str]:
    return [text[m.start:m.end] for m in find_mentions(text, gazetteer)]


def test_city_names_are_found_with_their_offsets(gazetteer):
    text = "Explosions were heard in Kyiv and Kharkiv overnight."
    found = find_mentions(text, gazetteer)
    assert [(text[m.start:m.end], m.start) for m in found] == [("Kyiv", 25), ("Kharkiv", 34)]


def test_a_name_inside_a_longer_word_is_not_a_mention(gazetteer):
    # "Rivne" is a city; "Rivnestar" is not it, nor is "Kyivstar" Kyiv
    assert spans("Kyivstar and Rivnestar reported outages.", gazetteer) == []


@pytest.mark.parametrize("text", ["Ukrainian troops held the line.", "Russian forces advanced."])
def test_demonyms_are_actors_not_places(text, gazetteer):
    assert spans(text, gazetteer) == []


@pytest.mark.parametrize("org", ["NATO", "the EU", "the Treaty on the European Union"])
def test_organisations_are_not_places(org, gazetteer):
    assert spans(f"{org} met on Monday.", gazetteer) == []


def test_the_capital_and_a_border_are_mentions(gazetteer):
    text = "Talks at the Ukraine-Belarus border ended; the capital is surrounded."
    found = {text[m.start:m.end]: m.kind_hint for m in find_mentions(text, gazetteer)}
    assert found.get("the capital") == "capital"
    assert any(hint == "border" for hint in found.values())


def test_mentions_come_in_text_order_without_overlaps(gazetteer):
    text = "From Kherson to Mykolaiv, then Odesa, Kyiv and Lviv."
    found = find_mentions(text, gazetteer)
    assert [m.start for m in found] == sorted(m.start for m in found)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    assert spans(text, gazetteer) == ["Kherson", "Mykolaiv", "Odesa", "Kyiv", "Lviv"]


@pytest.mark.parametrize("text, water", [
    ("Fighting on the river Mius near Kozhevnia.", "Mius"),
    ("Boats were hit on the Azov Sea near Mariupol.", "Azov"),
    ("Mines in the Donets basin area near Luhansk.", "Donets"),
    ("Ships in the Sea of Azov off Berdiansk.", "Azov"),
])
def test_a_river_a_sea_or_a_basin_is_not_the_town_named_after_it(gazetteer, text, water):
    assert water not in spans(text, gazetteer)
    assert spans(text, gazetteer)  # the town the text names is still found


@pytest.mark.parametrize("text, town", [
    ("A missile struck the Berdiansk sea port.", "Berdiansk"),
    ("Drones hit the Kherson river port overnight.", "Kherson"),
])
def test_a_port_on_the_water_is_its_town(gazetteer, text, town):
    assert town in spans(text, gazetteer)


@pytest.mark.parametrize(("text", "person"), [
    # an officer's title, or an East Slavic given name, before a name: a person, not a village
    ("Spokesperson Ilya Yevlash stated that Russian forces attacked in the Bakhmut direction.", "Ilya"),
    ("Military Administration Head Oleksandr Prokudin reported shelling of Beryslav.", "Oleksandr"),
    ("30y.o. Stanislav Zaporozhets killed by a sniper bullet near Krasnohorivka", "Stanislav"),
    ("Yaroslav Karliychuk was wounded near Shumy.", "Yaroslav"),
])
def test_a_persons_name_is_no_place(text, person, gazetteer):
    names = [m.text for m in find_mentions(text, gazetteer)]
    assert person not in names and "Zaporozhets" not in names
    assert len(names) == 1, names  # the place the sentence does name


def test_a_title_ending_a_headline_is_no_title_of_the_next_lines_country(gazetteer):
    text = "Thirty troops killed in rebel attack - government adviser\nUkraine says 23 servicemen killed"
    assert "Ukraine" in [m.text for m in find_mentions(text, gazetteer)]


@pytest.mark.parametrize(("text", "oblast"), [
    ("One civilian was killed in Gorlovka, DPR.", "Donetsk"),
    ("Shelling of LPR cities overnight.", "Luhansk"),
    ("Обстріл Горлівки (ДНР).", "Donetsk"),
    ("Обстрел в ЛНР.", "Luhansk"),
])
def test_the_donbas_republics_abbreviations_are_their_oblasts(text, oblast, gazetteer):
    units = [m for m in find_mentions(text, gazetteer) if m.text in ("DPR", "LPR", "ДНР", "ЛНР")]
    [unit] = units
    assert str(gazetteer.name[unit.candidates[0]]).startswith(oblast)


def test_dnr_of_other_news_is_no_oblast(gazetteer):
    assert not find_mentions("DNR tickets out-of-state boaters avoiding tax.", gazetteer)


@pytest.mark.parametrize(("text", "kept"), [
    # a street named after a Ukrainian place is the street
    ("Russian forces advancing along Tsentralna Street in Kurakhove.", ["Kurakhove"]),
    ("A strike hit Kyiv Street in Kharkiv.", ["Kharkiv"]),
])
def test_a_street_named_after_a_place_is_no_place(text, kept, gazetteer):
    assert [m.text for m in find_mentions(text, gazetteer)] == kept


def test_the_second_word_of_a_name_nothing_matched_whole_is_no_place(gazetteer):
    from geo.parse.pipeline import parse_text

    result = parse_text("Fighting continued near Malaya Loknya.", gazetteer=gazetteer)
    assert not result.places  # not Loknya, Pskov oblast
    assert [u.text for u in result.unresolved] == ["Malaya Loknya"]
    assert [p.name for p in parse_text("Shelling near Velyka Novosilka.", gazetteer=gazetteer).places] == \
        ["Velyka Novosilka"]
