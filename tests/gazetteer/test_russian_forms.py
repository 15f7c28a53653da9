"""Russian spellings of the settlements GeoNames gives no Russian name: a report in Russian
names villages as Russian writes them."""

from __future__ import annotations

import pytest

from geo.gazetteer.russian import russian_forms
from geo.parse.pipeline import parse_text


@pytest.mark.parametrize(("ukrainian", "russian"), [
    ("Синьківка", "Синьковка"), ("Кругляківка", "Кругляковка"), ("Авдіївка", "Авдеевка"),
    ("Андріївка", "Андреевка"), ("Опитне", "Опытное"), ("Ласточкине", "Ласточкино"),
    ("Лозове", "Лозовое"), ("Покровськ", "Покровск"), ("Олександрівка", "Александровка"),
    ("Миколаївка", "Николаевка"), ("Ясна Поляна", "Ясная Поляна"), ("Новоселівка Перша", "Новоселовка Первая"),
])
def test_the_regular_correspondences_give_the_russian_name(ukrainian, russian):
    assert russian in russian_forms(ukrainian)


def test_a_name_spelt_alike_gets_no_second_form():
    assert russian_forms("Бахмут") == []


def test_a_russian_report_places_villages_geonames_names_only_in_ukrainian(gazetteer):
    # GeoNames has no Russian name for Kruhliakivka or Synkivka (by Kupiansk)
    captured = parse_text("Российские войска заняли Кругляковку.", gazetteer=gazetteer)
    assert [(e.event_type, e.place) for e in captured.events] == [("capture", "Kruhliakivka")]
    attacked = parse_text("Российские войска атаковали у Синьковки и Петропавловки.", gazetteer=gazetteer)
    assert [e.place for e in attacked.events] == ["Synkivka", "Petropavlivka"]
    assert all(49.6 < e.lat < 49.8 and 37.6 < e.lon < 37.8 for e in attacked.events)


def test_a_village_near_a_town_in_russian_is_the_one_by_that_town(gazetteer):
    # three Opytnes, the Crimean one alone with a Russian name in GeoNames; "под Авдеевкой": by Avdiivka
    result = parse_text("Российские войска заняли Опытное под Авдеевкой.", gazetteer=gazetteer)
    [event] = result.events
    assert (event.event_type, event.place) == ("capture", "Opytne")
    assert abs(event.lat - 48.10) < 0.05 and abs(event.lon - 37.72) < 0.05


def test_a_generated_form_never_takes_another_villages_own_name(gazetteer):
    # "Зелений Під" in Russian would be "Зелений Под", the Ukrainian name of a village in Kherson oblast
    assert len(gazetteer.lookup("Зелений Под")) == 1
    [event] = parse_text("Окупанти обстріляли село Зелений Под, Херсонська область.", gazetteer=gazetteer).events
    assert abs(event.lat - 46.94) < 0.05 and abs(event.lon - 33.89) < 0.05
