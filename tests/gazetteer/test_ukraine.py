"""Ukraine's settlements table (data/ua_settlements.parquet) and its lookups."""

from __future__ import annotations

import math

import pytest

from geo.names import normalise
from geo.gazetteer.ukraine import load_ua_gazetteer


@pytest.fixture(scope="module")
def ua():
    return load_ua_gazetteer()


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


def test_the_table_covers_the_settlements_of_ukraine(ua):
    # KATOTTG lists 29,703 settlements; GeoNames adds parts of cities and places it alone has
    assert len(ua) > 33_000
    assert (ua.table["katottg"] != "").sum() > 29_000
    assert ua.table["lat"].between(44.3, 52.4).all() and ua.table["lon"].between(22.1, 40.3).all()
    # one row per place: no GeoNames place stands for two settlements
    assert ua.table["gid"].is_unique


def test_neskuchne_in_donetsk_oblast_is_the_village_south_of_velyka_novosilka(ua):
    found = ua.lookup("Neskuchne", oblast="Donetsk")
    assert len(found) == 1
    (row,) = found.itertuples()
    assert km(row.lat, row.lon, 47.818, 36.809) < 1
    assert (row.raion, row.hromada) == ("Volnovakha", "Velyka Novosilka")
    # there are Neskuchnes elsewhere too, and none of them is in Donetsk oblast
    assert set(ua.lookup("Neskuchne")["oblast"]) >= {"Donetsk", "Kharkiv", "Sumy"}


def test_mykhailivka_has_many_namesakes_and_the_oblast_keeps_its_own(ua):
    everywhere = ua.lookup("Mykhailivka")
    assert (everywhere["name"] == "Mykhailivka").sum() >= 100
    kherson = ua.lookup("Mykhailivka", oblast="Kherson oblast")
    assert len(kherson) == 4
    assert set(kherson["oblast"]) == {"Kherson"}
    assert sorted(kherson["raion"]) == ["Beryslav", "Henichesk", "Kakhovka", "Skadovsk"]
    assert kherson["katottg"].str.startswith("UA65").all()
    # the raion narrows further
    (row,) = ua.lookup("Mykhailivka", oblast="Kherson", raion="Henichesk raion").itertuples()
    assert row.hromada == "Ivanivka"


def test_a_russian_era_spelling_finds_the_city_by_its_current_name(ua):
    found = ua.lookup("Slavyansk")
    assert found.iloc[0]["name"] == "Sloviansk" and found.iloc[0]["oblast"] == "Donetsk"
    assert found.iloc[0]["renamed"] is None  # a spelling, not a former name
    for spelling in ("Andreevka", "Andreyevka"):
        assert "Andriivka" in set(ua.lookup(spelling)["name"])
    assert ua.lookup("Dnepropetrovsk").iloc[0]["name"] == "Dnipro"


@pytest.mark.parametrize("former, current, oblast, year", [
    ("Artemivsk", "Bakhmut", "Donetsk", 2016),
    ("Artemovsk", "Bakhmut", "Donetsk", 2016),
    ("Артемівськ", "Bakhmut", "Donetsk", 2016),
    ("Krasnohrad", "Berestyn", "Kharkiv", 2024),
    ("Novomoskovsk", "Samar", "Dnipropetrovsk", 2024),
    ("Krasnyi Luch", "Khrustalnyi", "Luhansk", 2016),
    ("Dnipropetrovsk", "Dnipro", "Dnipropetrovsk", 2016),
])
def test_a_former_name_finds_the_renamed_place_and_the_year(ua, former, current, oblast, year):
    found = ua.lookup(former, oblast=oblast)
    row = found[found["name"] == current].iloc[0]
    assert row["renamed"] == year
    assert normalise(row["matched_former"]) == normalise(former)


def test_znob_novhorodske_is_one_place_in_sumy_oblast_apart_from_novhorodske(ua):
    (row,) = ua.lookup("Znob-Novhorodske").itertuples()
    assert row.oblast == "Sumy" and row.hromada == "Znob-Novhorodske"
    assert km(row.lat, row.lon, 52.26, 33.60) < 2
    assert len(ua.lookup("Znob Novhorodske")) == 1  # a space for the hyphen
    # Novhorodske in Donetsk oblast is Niu-York since 2021: far away
    niu_york = ua.lookup("Novhorodske", oblast="Donetsk").iloc[0]
    assert niu_york["name"] == "Niu-York" and niu_york["renamed"] == 2021
    assert km(row.lat, row.lon, niu_york["lat"], niu_york["lon"]) > 400


def test_ukrainian_and_russian_names_are_kept_apart(ua):
    (kharkiv,) = ua.lookup("Kharkiv", oblast="Kharkiv").query("fcode == 'PPLA'").index
    names = ua.names(kharkiv)
    assert names["uk"][0] == "Харків" and "Харьков" not in names["uk"]
    assert "Харьков" in names["ru"] and "Харків" not in names["ru"]
    assert {"Kharkiv", "Kharkov"} <= set(names["latin"])
    # across the table: no Russian-only letter among the Ukrainian names and no Ukrainian-only one among the Russian
    uk = ua.table["name_uk"] + "|" + ua.table["names_uk"]
    ru = ua.table["names_ru"]
    assert not uk.str.contains("[ыэёъ]", case=False).any()
    assert not ru.str.contains("[іїєґ]", case=False).any()


def test_apostrophes_of_every_kind_find_the_same_place(ua):
    rows = {tuple(ua.rows(n)) for n in ("Слов'янськ", "Слов’янськ", "Словʼянськ")}
    assert len(rows) == 1 and len(next(iter(rows))) >= 1


def test_cyrillic_names_find_their_place(ua):
    assert ua.lookup("Харьков").iloc[0]["name"] == "Kharkiv"
    assert ua.lookup("Нескучне", oblast="Донеччина").iloc[0]["raion"] == "Volnovakha"


@pytest.mark.parametrize("name, admin1", [
    ("Donetsk", "UA.05"), ("Donetsk oblast", "UA.05"), ("Donetsk Oblast", "UA.05"),
    ("Donetsk region", "UA.05"), ("Donetsk oblast's", "UA.05"), ("Донеччина", "UA.05"),
    ("Донецька область", "UA.05"), ("Донецкой области", "UA.05"), ("Харківщина", "UA.07"),
    ("на Харківщині", None), ("Харківщині", "UA.07"), ("Kharkov region", "UA.07"),
    ("Zaporizhia region", "UA.26"), ("Zaporozhye oblast", "UA.26"), ("Dnipropetrovsk oblast", "UA.04"),
    ("Kyiv oblast", "UA.13"), ("Kyiv City", "UA.12"), ("Crimea", "UA.11"), ("UA.21", "UA.21"),
    ("Narnia region", None),
])
def test_oblasts_by_any_of_their_names(ua, name, admin1):
    assert ua.oblast(name) == admin1


def test_raions_and_hromadas_by_name_list_their_members(ua):
    assert ua.raions("Pokrovsk raion") == [("UA.05", "Покровський")]
    assert ua.raions("Покровського району") == [("UA.05", "Покровський")]
    members = ua.table.iloc[ua.raion_rows("Pokrovskyi district")]
    assert len(members) > 100 and set(members["oblast"]) == {"Donetsk"}
    assert {"Pokrovsk", "Myrnohrad", "Selydove"} <= set(members["name"])
    community = ua.table.iloc[ua.hromada_rows("Znob-Novhorodska community")]
    assert "Znob-Novhorodske" in set(community["name"]) and set(community["oblast"]) == {"Sumy"}
    assert set(ua.hromada_rows("Зноб-Новгородська громада")) == set(ua.hromada_rows("Znob-Novhorodske hromada"))


def test_every_lookup_key_is_the_project_normalisation_of_a_name(ua):
    # the keys were made by geo.names.normalise when the table was derived: if it has
    # changed since, rerun scripts/derive_ua_gazetteer.py
    sample = ua.table.sample(500, random_state=1)
    for row in sample.index:
        for name in [n for names in ua.names(row).values() for n in names]:
            assert row in ua.rows(name), name


def test_a_spelling_with_two_letters_swapped_is_the_settlement_meant():
    from geo.gazetteer.ukraine import spelling_variants

    # Iloviaks: Ilovaisk with "ks" for "sk", in its oblast and anywhere
    assert spelling_variants("Iloviaks", "UA.05") == ["geonames:707679"]
    assert spelling_variants("Iloviaks") == ["geonames:707679"]


def test_of_names_that_fold_alike_the_one_written_alike_is_meant():
    from geo.gazetteer.ukraine import spelling_variants

    # Moschun folds as Moshchun (Kyiv oblast) and Masany (Chernihiv oblast) do; it is written as the first
    assert spelling_variants("Moschun") == ["geonames:8516166"]
    # namesakes all stay: Snizhnoye is every Snizhne
    assert len(spelling_variants("Snizhnoye")) >= 2


def test_a_report_writing_moschun_puts_its_event_at_moshchun(gazetteer):
    from geo.parse.pipeline import parse_text

    [event] = parse_text("Moschun, Kyiv: Widespread damage caused to village.", gazetteer=gazetteer).events
    assert event.place == "Moshchun"


def test_a_run_of_words_longer_than_any_name_is_no_spelling():
    from geo.gazetteer.ukraine import spelling_variants

    # a megabyte "name" (a text of one word repeated) is not compared letter by letter
    assert spelling_variants("Kyiv" * 50_000) == []
    assert spelling_variants("Dontesk")  # a slip of the keyboard still is one
