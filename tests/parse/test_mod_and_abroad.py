"""Russian MoD summaries in their own words, and villages across the border that the
gazetteer does not hold: where an analyst would look for each event on the map."""

from __future__ import annotations

import pytest

from geo.parse.pipeline import parse_text

from tests.parse.test_report_formats import km

PROHRES_DONETSK = (48.25, 37.49)
ROBOTYNE = (47.45, 35.84)
VERBOVE = (47.43, 35.99)
HIRNYK = (48.06, 37.37)
KURSK_OBLAST = (51.69, 36.02)


def test_a_mod_summary_names_its_village_after_the_word_for_a_locality(gazetteer):
    # "Прогресс" is also the Russian word for progress: after "населенный пункт" it is the
    # village, spelt as Russian writes it (Прогрес), in the Donetsk republic's oblast
    result = parse_text("Подразделения группировки «Центр» освободили населенный пункт Прогресс "
                        "Донецкой Народной Республики.", gazetteer=gazetteer)
    [capture] = [e for e in result.events if e.event_type == "capture"]
    assert capture.place == "Prohres" and km((capture.lat, capture.lon), PROHRES_DONETSK) < 5
    assert capture.actors == ("Russia",)  # the grouping «Центр» is Russia's


def test_a_list_after_the_word_for_localities_keeps_every_village(gazetteer):
    result = parse_text("Войска группировки «Юг» нанесли поражение в районах населенных пунктов Работино "
                        "и Вербовое Запорожской области.", gazetteer=gazetteer)
    places = {e.place: (e.lat, e.lon) for e in result.events}
    assert km(places["Robotyne"], ROBOTYNE) < 5 and km(places["Verbove"], VERBOVE) < 5
    assert {e.actors for e in result.events} == {("Russia",)}


@pytest.mark.parametrize("text", ["Освобожден населенный пункт Горняк.", "Звільнено н.п. Гірник."])
def test_a_common_word_named_as_a_locality_is_the_village(text, gazetteer):
    [capture] = parse_text(text, gazetteer=gazetteer).events
    assert capture.place == "Hirnyk" and km((capture.lat, capture.lon), HIRNYK) < 5


@pytest.mark.parametrize("republic", ["Донецкой Народной Республики", "Донецької Народної Республіки"])
def test_the_republic_written_out_is_its_oblast(republic, gazetteer):
    [strike] = parse_text(f"ВСУ обстреляли населенные пункты {republic}.", gazetteer=gazetteer).events
    assert strike.place_kind == "admin1" and strike.precision == "oblast"
    assert 47.5 < strike.lat < 48.6 and 37.0 < strike.lon < 38.5  # the Donetsk oblast, not Ukraine's middle


@pytest.mark.parametrize("text", [
    "Fighting continued near Sverdlikovo and Nikolaevo-Darino, Kursk Oblast.",
    "Russian forces attacked near Sverdlikovo, Kursk Oblast.",
    "Ukrainian forces advanced near Sverdlikovo in the Kursk Oblast.",
])
def test_a_village_of_a_russian_region_the_gazetteer_lacks_is_no_ukrainian_namesake(text, gazetteer):
    # Sverdlykove is a village of Kirovohrad oblast, 600 km from Kursk oblast
    result = parse_text(text, gazetteer=gazetteer)
    assert result.events and all(km((e.lat, e.lon), KURSK_OBLAST) < 150 for e in result.events)
    assert all(e.precision == "oblast" for e in result.events)  # drawn as approximate
    assert "Sverdlikovo" in [u.text for u in result.unresolved]  # and listed for the analyst to pin


def test_a_village_the_gazetteer_holds_in_that_region_stays_a_point(gazetteer):
    [strike] = [e for e in parse_text("Shelling hit Tetkino, Kursk Oblast.", gazetteer=gazetteer).events
                if e.event_type == "strike" and e.precision == "place"]
    assert km((strike.lat, strike.lon), (51.28, 34.29)) < 5
    events = parse_text("Russian forces shelled Sumy and Kursk Oblast.", gazetteer=gazetteer).events
    assert "Sumy" in {e.place for e in events}  # a city is itself whatever follows it


@pytest.mark.parametrize("text", ["Ворог завдав ракетного удару по м. Харків.", "Противник обстрелял г. Харьков."])
def test_a_one_letter_settlement_word_does_not_end_the_sentence(text, gazetteer):
    [strike] = [e for e in parse_text(text, gazetteer=gazetteer).events if e.event_type == "strike"]
    assert strike.place == "Kharkiv"


def test_a_year_written_with_its_letter_still_ends_the_sentence(gazetteer):
    events = parse_text("Це сталося у 2022 р. Окупанти обстріляли Херсон.", gazetteer=gazetteer).events
    assert [(e.event_type, e.place) for e in events] == [("strike", "Kherson")]


@pytest.mark.parametrize(("text", "lat", "lon"), [
    ("Сили оборони продовжують операцію в Курській області, за добу відбито 12 атак.", 51.69, 36.02),
    ("Окупанти обстріляли Сумщину з Бєлгородської області.", 50.69, 37.47),
    ("Бої на Курщині тривають.", 51.69, 36.02),
])
def test_the_russian_border_regions_in_ukrainian_are_those_regions(text, lat, lon, gazetteer):
    # GeoNames names Kursk oblast in Russian and in Latin letters only
    result = parse_text(text, gazetteer=gazetteer)
    assert any(p.kind == "admin1" and km((p.lat, p.lon), (lat, lon)) < 20 for p in result.places)
    assert result.events and all(e.place != "Ukraine" for e in result.events)


def test_the_general_staffs_tried_to_advance_is_an_assault_on_each_village(gazetteer):
    text = ("На Покровському напрямку ворог 42 рази намагався просунутися вперед у районах населених пунктів "
            "Мирноград, Лисівка та Котлине.")
    events = parse_text(text, gazetteer=gazetteer).events
    assert [(e.event_type, e.place) for e in events] == [
        ("battle", "Myrnohrad"), ("battle", "Lysivka"), ("battle", "Kotlyne")]
    assert all(e.actors == ("Russia",) and km((e.lat, e.lon), (48.28, 37.18)) < 25 for e in events)


# Telegram captions in Ukrainian and Russian: who lost what, who dropped what, whose flag
@pytest.mark.parametrize(("caption", "expected"), [
    ("Наші дронарі спалили ворожу БМП у Красногорівці.", ("losses", ("Russia",))),
    ("Уничтожен украинский HIMARS под Краматорском.", ("losses", ("Ukraine",))),
    ("Росіяни скинули КАБ на Херсон, поранено двох людей.", ("strike", ("Russia",))),
    ("Над Вугледаром підняли російський прапор.", ("capture", ("Russia",))),
    ("Українські військові підняли прапор у Вовчанську.", ("capture", ("Ukraine",))),
    ("Російська ДРГ намагалася прорватися на Сумщині біля Юнаківки.", ("battle", ("Russia",))),
])
def test_cyrillic_captions_of_losses_bombs_and_flags(caption, expected, gazetteer):
    events = parse_text(caption, gazetteer=gazetteer).events
    assert expected in [(e.event_type, e.actors) for e in events]
    assert all(e.precision == "place" for e in events)


def test_a_village_written_after_its_russian_region_is_no_ukrainian_namesake(gazetteer):
    # Plokhiv is a village of Chernihiv oblast, 350 km west
    result = parse_text("Russian milbloggers claimed that Russian forces seized the Kursk Oblast border village "
                        "of Plekhovo.", gazetteer=gazetteer)
    assert [(e.event_type, e.precision) for e in result.events] == [("capture", "oblast")]
    assert km((result.events[0].lat, result.events[0].lon), KURSK_OBLAST) < 20
    assert "Plekhovo" in [u.text for u in result.unresolved]


def test_a_long_run_of_capitalised_words_before_the_region_is_read_at_once(gazetteer):
    # the gap reader once tried every way to split the spaces between thirty names (2^30)
    text = "Fighting near Sverdlikovo " + "Zorya  " * 30 + "Kursk Oblast."
    result = parse_text(text, gazetteer=gazetteer)
    assert any(u.text.startswith("Sverdlikovo") for u in result.unresolved)
    assert result.events and all(km((e.lat, e.lon), KURSK_OBLAST) < 150 for e in result.events)


# a regional administration's daily post
@pytest.mark.parametrize(("post", "expected"), [
    ("Російські окупанти обстріляли Херсон: поранено 67-річного чоловіка.",
     {("strike", "Kherson"), ("civilian_harm", "Kherson")}),
    ("На Харківщині ворог атакував КАБами Золочів та Козачу Лопань.",
     {("strike", "Zolochiv"), ("strike", "Kozacha Lopan")}),
    ("Ворожий дрон атакував автомобіль у Білозерці, загинув водій.",
     {("strike", "Bilozerka"), ("civilian_harm", "Bilozerka")}),
])
def test_an_oblast_administrations_post_names_its_victims_and_its_bombs(post, expected, gazetteer):
    events = parse_text(post, gazetteer=gazetteer).events
    assert {(e.event_type, e.place) for e in events} == expected
    assert {e.actors for e in events if e.event_type == "strike"} == {("Russia",)}


@pytest.mark.parametrize("text", ["⚡️🇺🇦 Сили оборони звільнили Новоданилівку на Запорізькому напрямку #Запоріжжя",
                                  "Ukrainian forces liberated Novodanylivka in the Zaporizhzhia direction."])
def test_a_village_of_a_line_of_advance_is_the_namesake_nearest_its_town(text, gazetteer):
    # six Novodanylivkas; the one by Orikhiv is 60 km from Zaporizhzhia, the next 135 km; and
    # the closing hashtag names no second capture at the city
    events = parse_text(text, gazetteer=gazetteer).events
    assert [(e.event_type, e.place) for e in events] == [("capture", "Novodanylivka")]
    assert km((events[0].lat, events[0].lon), (47.53, 35.82)) < 5


def test_drones_the_mod_reports_downed_are_the_loss_of_the_side_it_names(gazetteer):
    text = ("Средствами ПВО сбиты 42 украинских беспилотных летательных аппарата самолетного типа над территорией "
            "Курской и Белгородской областей.")
    events = parse_text(text, gazetteer=gazetteer).events
    assert {(e.event_type, e.actors, e.place_kind) for e in events} == {("losses", ("Ukraine",), "admin1")}
    assert len(events) == 2 and all(e.lat > 50.5 for e in events)  # the two Russian oblasts


# ACLED writes places in Russia as it writes Ukraine's: the district by its Russian adjective
@pytest.mark.parametrize(("note", "place", "point"), [
    ("On 3 March 2025, Ukrainian forces shelled Shebekino (Shebekinskiy, Belgorod), injuring two civilians.",
     "Shebekino", (50.41, 36.93)),
    ("On 6 March 2025, Ukrainian drones attacked the Tuapse oil refinery (Tuapsinskiy, Krasnodar).",
     "Tuapse", (44.10, 39.08)),
    ("On 7 March 2025, Russian forces clashed with Ukrainian forces near Sudzha (Sudzhanskiy, Kursk). "
     "Casualties unknown.", "Sudzha", (51.19, 35.27)),
])
def test_an_acled_note_on_russia_is_at_its_place_not_at_its_regions_capital(note, place, point, gazetteer):
    events = parse_text(note, gazetteer=gazetteer).events
    assert events and {e.place for e in events} == {place}
    assert all(km((e.lat, e.lon), point) < 5 for e in events)


def test_an_assault_attempt_that_failed_is_a_failed_battle(gazetteer):
    [battle] = parse_text("Противник здійснив спробу штурму в районі Степногірська, успіху не мав.",
                          gazetteer=gazetteer).events
    assert (battle.event_type, battle.place, battle.outcome, battle.actors) == (
        "battle", "Stepnohirsk", "failed", ("Russia",))
    assert parse_text("Росія може атакувати Харків.", gazetteer=gazetteer).events == ()  # a threat stays one


def test_the_enemy_pushed_back_from_a_town_fought_at_the_town(gazetteer):
    [battle] = parse_text("ЗСУ відтіснили ворога від Часового Яру.", gazetteer=gazetteer).events
    assert battle.event_type == "battle" and battle.place == "Chasiv Yar"


def test_a_region_written_as_a_republic_picks_the_namesake_in_it_in_a_long_report(gazetteer):
    # in a report naming Sumy and Kharkiv, "Прогресс Донецкой Народной Республики" is still
    # Donetsk oblast's Prohres (Sumy oblast has one too), and "Sverdlikovo, Kursk Oblast" is
    # not read back as a Ukrainian village by the spelling lookup
    text = ("Russian drones struck Sumy and Kharkiv overnight. Fighting continued near Sverdlikovo and "
            "Nikolaevo-Darino, Kursk Oblast. Подразделения группировки «Центр» освободили населенный пункт "
            "Прогресс Донецкой Народной Республики.")
    result = parse_text(text, gazetteer=gazetteer)
    [capture] = [e for e in result.events if e.event_type == "capture"]
    assert capture.place == "Prohres" and km((capture.lat, capture.lon), PROHRES_DONETSK) < 5
    assert all(km((e.lat, e.lon), KURSK_OBLAST) < 150 for e in result.events if e.event_type == "battle")
    assert "Sverdlikovo" in [u.text for u in result.unresolved]


def test_acleds_russian_district_is_no_place_left_to_pin(gazetteer):
    result = parse_text("On 3 March 2025, Ukrainian forces shelled Shebekino (Shebekinskiy, Belgorod), injuring two "
                        "civilians.", gazetteer=gazetteer)
    assert [u.text for u in result.unresolved] == []  # the district word is a unit, not a village
