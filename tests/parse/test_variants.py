"""Places of Ukraine spelt in ways no table holds (geo.parse.variants): Russian-era
forms, other transliterations and slips are placed at the settlement meant; names that
are not settlements are not turned into one."""

from __future__ import annotations

import math

from geo.parse.pipeline import parse_text


def km(a, b) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def places(text, gazetteer):
    return parse_text(text, gazetteer=gazetteer).places


def test_russian_era_spellings_land_on_the_ukrainian_settlement(gazetteer):
    for text, point in [
        ("Shelling in Snizhnoye, Donetsk oblast.", (48.02, 38.77)),  # Snizhne
        ("Shelling of Novotoshkovka village, Luhansk oblast.", (48.72, 38.63)),  # Novotoshkivske
        ("Fighting near Stanitsa Luganska, Luhansk oblast.", (48.65, 39.49)),  # Stanytsia Luhanska
        ("Two soldiers were killed near Belaya Kamenka, Donetsk oblast.", (47.53, 37.87)),  # Bila Kamianka
        ("Fighting near Iloviaks town, Donetsk oblast.", (47.92, 38.20)),  # Ilovaisk, two letters swapped
    ]:
        first = places(text, gazetteer)[0]
        assert first.country_code == "UA" and km((first.lat, first.lon), point) < 25, (text, first)


def test_a_foreign_namesake_gives_way_to_the_village_of_the_raion_named(gazetteer):
    # Granite is a town in the United States; the Volnovakha district's village is Hranitne
    first = places("Shelling of Granite, Volnovakha district, Donetsk region.", gazetteer)[0]
    assert first.country_code == "UA" and km((first.lat, first.lon), (47.46, 37.87)) < 25


def test_a_longer_name_wins_over_the_name_inside_it(gazetteer):
    first = places("Russian forces shelled Velyka Novoselka, Donetsk oblast.", gazetteer)[0]
    assert first.mention == "Velyka Novoselka" and km((first.lat, first.lon), (47.84, 36.82)) < 10


def test_a_hill_named_with_a_hyphen_is_not_a_town_abroad(gazetteer):
    found = places("Heavy fighting for Saur-Mogila height, Donetsk oblast.", gazetteer)
    assert all(p.country_code == "UA" for p in found)


def test_a_district_of_a_city_is_the_city_not_a_village_elsewhere(gazetteer):
    for text in ("Kirovsky district of Donetsk: a school was hit.", "Petrovsky, Donetsk: strikes on homes."):
        found = [p for p in places(text, gazetteer) if p.kind == "city"]
        assert found and all(km((p.lat, p.lon), (48.02, 37.80)) < 25 for p in found), (text, found)


def test_names_that_are_no_settlement_stay_off_the_map(gazetteer):
    # a region, a person and an English word are not misspelt villages
    for text in ("Shelling across Donbas overnight.", "Zelensky said the army held.", "Smile for the camera."):
        assert [p.mention for p in places(text, gazetteer) if p.kind == "city"] == [], text


def test_the_village_of_is_no_town_called_the_village(gazetteer):
    found = places("The village of Hranitne, Donetsk oblast, was shelled.", gazetteer)
    assert [p.country_code for p in found] == ["UA", "UA"]
    assert [p.name for p in places("The Hague hosted the talks.", gazetteer)] == ["The Hague"]


def test_a_possessive_is_the_name_it_follows(gazetteer):
    # "Russia's" in a report about Ukraine is Russia, not a village spelt alike (Rososh)
    text = ("Russian forces captured Berdiansk and shelled Kharkiv. "
            "President Putin ordered Russia's nuclear deterrent forces onto special alert.")
    places = {p.mention: p for p in parse_text(text, gazetteer=gazetteer).places}
    assert places["Russia"].kind == "country" and "Russia's" not in places


def test_an_axis_is_named_after_its_town(gazetteer):
    # the Russian adjective of Krasnyi Lyman (now Lyman), which no table spells so
    for text in ("Krasnolymansk direction, Donetsk oblast.",
                 "Fighting continued in the Krasnolimansky direction."):
        first = places(text, gazetteer)[0]
        assert first.name == "Lyman" and km((first.lat, first.lon), (48.99, 37.81)) < 10, (text, first)
    assert places("Attacks in the Svativ direction, Luhansk oblast.", gazetteer)[0].name == "Svatove"


def test_a_peoples_republic_is_the_oblast_not_its_city(gazetteer):
    for text, oblast in (("Shelling in the Donetsk People's Republic.", "UA.05"),
                         ("Strikes hit the Lugansk People's Republic overnight.", "UA.14")):
        place = places(text, gazetteer)[0]
        assert place.kind == "admin1" and gazetteer.admin1[gazetteer.row_for_gid(place.gazetteer_id)] == oblast


def test_a_post_named_after_a_far_place_is_not_that_place(gazetteer):
    for text in ("At the Valera stronghold near the village of Sanzharivka near Debaltseve, Donetsk oblast.",
                 "The Stanislav OP near Debaltseve, Donetsk oblast, came under fire.",
                 "Shelling near Baku Komissarov Square in Donetsk, Donetsk oblast."):
        names = [p.name for p in places(text, gazetteer)]
        assert not {"Valera", "Ivano-Frankivsk", "Baku"} & set(names), (text, names)
    # a checkpoint named after a village of the oblast the text names is at that village
    assert places("Marynivka checkpoint, Donetsk oblast.", gazetteer)[0].name == "Marynivka"


def test_a_raion_written_as_an_adjective_is_placed_at_its_seat_town(gazetteer):
    found = places("Shelling near Saur-Mogila, Shakhtarskyi district, Donetsk oblast.", gazetteer)
    raion = [p for p in found if p.mention == "Shakhtarskyi"]
    assert raion and raion[0].name == "Shakhtarsk" and raion[0].precision == "raion"


def test_a_height_is_placed_on_its_hill(gazetteer):
    # GeoNames' hills and mounds (data/ua_heights.csv), with or without a hill word, hyphened or not
    for text in ("Saur-Mogila hill, Donetsk region.", "During the storming of Savur-Mohyla, Donetsk oblast.",
                 "On the road near the Saur Mogila Memorial, Donetsk oblast.",
                 "Savur-Mohyla height, Shakhtarskyi district, Donetsk oblast."):
        first = places(text, gazetteer)[0]
        assert first.kind == "other" and km((first.lat, first.lon), (47.92, 38.74)) < 3, (text, first)
    # a height's name of one plain word is no place in English text ("Hora Vezha": a tower)
    assert not [p for p in places("The Vezha tower and Petros spoke in Kyiv.", gazetteer) if p.kind == "other"]


def test_a_big_foreign_namesake_gives_way_to_a_village_of_the_raion_written_after_it(gazetteer):
    first = places("In the village of Petropavlovsk, Shakhtersky district, Donetsk oblast.", gazetteer)[0]
    assert first.country_code == "UA" and km((first.lat, first.lon), (48.05, 38.44)) < 40, first


def test_a_quarter_written_before_its_city_is_placed_in_the_city(gazetteer):
    # no Kurenivka lies in or near Kyiv: "Kurenevka, Kyiv" is the Kyiv quarter
    assert [p.mention for p in places("Shelling hit Kurenevka, Kyiv.", gazetteer)] == ["Kyiv"]
    # a town of the city's oblast stays itself
    assert places("Shelling hit Makarov, Kyiv.", gazetteer)[0].mention == "Makarov"
    # and a list of cities stays a list
    assert [p.name for p in places("Talks in Moscow, Kyiv and Minsk.", gazetteer)] == ["Moscow", "Kyiv", "Minsk"]
    # a quarter named like a Russian city is the Ukrainian city's quarter, even in a text
    # naming nothing else; a capital or a city of a million abroad stays itself
    for text, city in (("Kirov, Donetsk", "Donetsk"), ("Cheryomushki Primorsky district, Mariupol", "Mariupol")):
        assert [p.name for p in places(text, gazetteer) if p.kind == "city"] == [city], text
    assert [p.name for p in places("Talks in Vilnius, Kyiv.", gazetteer)] == ["Vilnius", "Kyiv"]


def test_a_facility_of_a_big_town_stays_at_that_town(gazetteer):
    names = [p.name for p in places("Fighting at the Donetsk airport and near Stanytsia Luhanska, "
                                    "Luhansk oblast.", gazetteer)]
    assert "Donetsk" in names
    # and a town of some size before a city is a list, not a quarter of the city
    assert [p.name for p in places("Shelling hit Pokrovsk, Zaporizhzhia.", gazetteer)][0] == "Pokrovsk"


def test_a_checkpoint_named_with_a_towns_adjective_is_at_that_town(gazetteer):
    # "the Dovzhansky checkpoint" is the crossing at Dovzhansk, in the oblast the text names;
    # with no oblast named, an adjective is not read as a town anywhere in Ukraine
    places = parse_text("Shelling near the Dovzhansky checkpoint, Luhansk oblast.", gazetteer=gazetteer).places
    assert [p.name for p in places][:1] == ["Dovzhansk"]
    places = parse_text("Shelling at the Mayorsky checkpoint.", gazetteer=gazetteer).places
    assert all(abs(p.lat - 44.8) > 1 for p in places)  # never the Crimean village Morske
