"""Ukraine's villages in report formats: the oblast, raion or hromada written around a
name picks the namesake in it; compound names stay whole; ambiguity shows in confidence."""

from __future__ import annotations

import math

import pytest

from geo.parse.pipeline import parse_text


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def place(text, gazetteer, mention):
    (p,) = [p for p in parse_text(text, gazetteer=gazetteer).places if p.mention == mention]
    return p


def admin1_of(gazetteer, p):
    return gazetteer.admin1[gazetteer.row_for_gid(p.gazetteer_id)]


def raion_of(gazetteer, p):
    return gazetteer.raion_of(gazetteer.row_for_gid(p.gazetteer_id))


def test_an_acled_note_places_the_village_not_the_oblast_capital(gazetteer):
    text = "On 14 March 2023, Russian forces shelled near Neskuchne, Donetsk. Casualties unknown."
    p = place(text, gazetteer, "Neskuchne")
    assert km(p.lat, p.lon, 47.818, 36.809) < 2  # the village south of Velyka Novosilka, not Donetsk city
    assert p.confidence > 0.9
    (strike,) = [e for e in parse_text(text, gazetteer=gazetteer).events if e.event_type == "strike"]
    lon, lat = strike.geometry["coordinates"]
    assert strike.place == "Neskuchne" and km(lat, lon, 47.818, 36.809) < 2


@pytest.mark.parametrize("text, admin1", [
    ("Mykhailivka, Kherson: shelling reported.", "UA.08"),
    ("Shelling of Mykhailivka (Donetsk oblast) overnight.", "UA.05"),
    ("Strikes near Mykhailivka, Zaporizhia region.", "UA.26"),
    ("Donetsk oblast's Mykhailivka was hit.", "UA.05"),
    ("Shelling was reported in Mykhailivka in Sumy oblast.", "UA.21"),
    ("Shelling of Mykhailivka village, Luhansk oblast.", "UA.14"),
])
def test_the_oblast_written_around_a_village_picks_the_namesake_in_it(gazetteer, text, admin1):
    assert admin1_of(gazetteer, place(text, gazetteer, "Mykhailivka")) == admin1


def test_the_raion_picks_the_namesake_in_it_and_ambiguity_shows(gazetteer):
    alone = place("Shelling of Mykhailivka overnight.", gazetteer, "Mykhailivka")
    assert alone.confidence < 0.3  # a hundred Mykhailivkas: nothing says which
    for text in ("Shelling in Mykhailivka in the Pokrovsk raion.",
                 "Shelling of Mykhailivka and Novoselivka, Pokrovsk district.",
                 "Shelling of Mykhailivka (Pokrovskyi raion)."):
        p = place(text, gazetteer, "Mykhailivka")
        assert raion_of(gazetteer, p) == "UA.05|Покровський", text
        assert p.confidence > alone.confidence
    both = parse_text("Shelling of Mykhailivka and Novoselivka, Pokrovsk district.", gazetteer=gazetteer).places
    assert {raion_of(gazetteer, p) for p in both} == {"UA.05|Покровський"}


def test_a_raion_or_hromada_named_is_placed_at_its_seat_as_an_approximation(gazetteer):
    raion = place("Shelling in Mykhailivka in the Pokrovsk raion.", gazetteer, "Pokrovsk")
    assert (raion.name, admin1_of(gazetteer, raion)) == ("Pokrovsk", "UA.05")
    assert raion.confidence <= 0.5
    hromada = place("Russian forces shelled the Znob-Novhorodske community.", gazetteer, "Znob-Novhorodske")
    assert hromada.confidence <= 0.5


def test_a_compound_name_is_matched_whole_not_by_its_last_part(gazetteer):
    p = place("Russian forces shelled the Znob-Novhorodske community.", gazetteer, "Znob-Novhorodske")
    assert p.name == "Znob-Novhorodske" and admin1_of(gazetteer, p) == "UA.21"
    assert km(p.lat, p.lon, 52.26, 33.60) < 2  # Sumy oblast, not Niu-York (Novhorodske) 530 km away
    # a hyphenated name the gazetteer lacks does not fall back to its last part
    assert parse_text("Shelling of Xyzob-Novhorodske.", gazetteer=gazetteer).places == ()
    # nor a two-word one to its first: a spelling no table holds is read whole (Nyzhnii
    # Naholchyk, Luhansk oblast), never as the Nyzhnie of some other village
    found = parse_text("Nyzhnie Nagolchyk, Luhansk oblast", gazetteer=gazetteer).places
    assert [p.mention for p in found] == ["Nyzhnie Nagolchyk", "Luhansk oblast"]
    assert km(found[0].lat, found[0].lon, 48.15, 39.13) < 10
    # two-word names the gazetteer has stay whole
    assert place("Shelling in Nova Kakhovka.", gazetteer, "Nova Kakhovka").name == "Nova Kakhovka"
    assert place("Russian forces near Velyka Novosilka.", gazetteer, "Velyka Novosilka").name == "Velyka Novosilka"


def test_countries_and_cities_in_hyphenated_phrases_stay_places(gazetteer):
    names = [p.name for p in parse_text("The Russia-Ukraine war reached Kharkiv-based units.",
                                        gazetteer=gazetteer).places]
    assert names == ["Russia", "Ukraine", "Kharkiv"]


@pytest.mark.parametrize("mention, name, year_name", [
    ("Slavyansk", "Sloviansk", None), ("Artemovsk", "Bakhmut", "Artemivsk"),
    ("Krasnohrad", "Berestyn", "Krasnohrad"), ("Dnepropetrovsk", "Dnipro", None),
])
def test_russian_era_and_former_names_find_todays_place(gazetteer, mention, name, year_name):
    assert place(f"Fighting was reported near {mention} on Monday.", gazetteer, mention).name == name


def test_cyrillic_village_with_its_oblast(gazetteer):
    p = place("Обстріл: Нескучне, Донецька область.", gazetteer, "Нескучне")
    assert admin1_of(gazetteer, p) == "UA.05" and p.name == "Neskuchne"


@pytest.mark.parametrize("text, mention, town", [
    ("Shelling of the village of Petrovskoye near the town of Volnovakha (Donetsk region).", "Petrovskoye",
     (47.60, 37.49)),
    ("A drone hit Kyrylivka, not far from Vuhledar, Donetsk oblast.", "Kyrylivka", (47.78, 37.25)),
    ("Fighting near Mykhailivka, on the outskirts of Pokrovsk.", "Mykhailivka", (48.28, 37.18)),
    ("Shelling near the village of Leninske, 800 meters from occupied Horlivka.", "Leninske", (48.30, 38.02)),
])
def test_a_village_said_to_be_near_a_town_is_its_namesake_by_that_town(gazetteer, text, mention, town):
    p = place(text, gazetteer, mention)
    assert km(p.lat, p.lon, *town) <= 35, p


@pytest.mark.parametrize("text, mention", [
    ("Shelling in the area of the border village of Marinovka (Donetsk region).", "Marinovka"),
    ("Marynivka border checkpoint, Donetsk oblast, came under fire.", "Marynivka"),
])
def test_a_border_village_is_its_namesake_by_the_border(gazetteer, text, mention):
    p = place(text, gazetteer, mention)
    # the Marynivka on the Russian border, by Saur-Mohyla, not one inland
    assert km(p.lat, p.lon, 47.90, 38.85) < 10, p


def test_a_village_none_of_whose_namesakes_is_near_the_old_raion_named_is_left_unresolved(gazetteer):
    # the only Krasnyi Zhovten the tables hold under that name is 300 km from Stanytsia Luhanska
    result = parse_text("Shelling near the village of Krasny Oktyabr, Stanichno-Lugansky district, "
                        "Luhansk region.", gazetteer=gazetteer)
    assert [p.precision for p in result.places] == ["raion", "oblast"]  # the raion's seat, the oblast
    assert [u.text for u in result.unresolved] == ["Krasny Oktyabr"]


def test_a_village_spelt_as_no_table_holds_lies_in_the_raion_written_after_it(gazetteer):
    # "Mikolaevka" is found as a spelling of Mykolaivka (geo.parse.variants): of the
    # oblast's many, the one in the Volnovakha raion, not the biggest
    p = place("In the area of the village of Mikolaevka (Volnovakha district), Donetsk oblast.",
              gazetteer, "Mikolaevka")
    assert km(p.lat, p.lon, 47.65, 37.68) < 10, p
