"""Of Ukraine's namesake villages, the one beside the other places the report names."""

from __future__ import annotations

import math

from geo.parse import neighbours
from geo.parse.pipeline import parse_text
from geo.records import Mention


def km(a: tuple[float, float], b: tuple[float, float]) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (*a, *b))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 12742 * math.asin(math.sqrt(h))


def place(result, name: str) -> tuple[float, float]:
    [p] = {(p.lat, p.lon) for p in result.places if p.name == name}
    return p


def test_a_namesake_village_is_the_one_beside_the_others_listed(gazetteer):
    # 80 Dmytrivkas; the biggest is in Odesa oblast, one lies 5 km from the two others named
    note = parse_text("Russian forces shelled Khutoro-Hubynykha, Dmytrivka and Spaske.", gazetteer=gazetteer)
    assert km(place(note, "Dmytrivka"), place(note, "Khutoro-Hubynykha")) < 10
    # each of three names shared across Ukraine: the three that lie together
    three = parse_text("Russian forces shelled Skarhivka, Holubivka and Klymivka.", gazetteer=gazetteer)
    points = [place(three, n) for n in ("Skarhivka", "Holubivka", "Klymivka")]
    assert max(km(a, b) for a in points for b in points) < 25


def test_alone_a_name_keeps_its_likeliest_namesake(gazetteer):
    alone = parse_text("Russian forces shelled Dmytrivka.", gazetteer=gazetteer)
    listed = parse_text("Russian forces shelled Khutoro-Hubynykha, Dmytrivka and Spaske.", gazetteer=gazetteer)
    assert km(place(alone, "Dmytrivka"), place(listed, "Dmytrivka")) > 100


def test_spellings_of_one_place_do_not_vouch_for_each_other(gazetteer):
    rows = tuple(gazetteer.lookup("Karlivka"))
    assert len(rows) > 1
    # the same rows under two spellings: each row would be 0 km from "the other name"
    same = [Mention("Karlivka", 0, 8, rows), Mention("Karlovka", 20, 28, rows)]
    assert neighbours.support(gazetteer, same) == {}


def test_the_bonus_never_trades_ukraine_for_a_foreign_namesake(gazetteer):
    rows = [r for r in gazetteer.lookup("Dmytrivka")]
    foreign = [r for r in gazetteer.lookup("Moscow") if gazetteer.cc[r] != "UA"][:1]
    rows = rows + foreign
    scores = [1.0] * len(rows)
    scores[-1] = 5.0  # the foreign row leads
    bonus = {rows[0]: 3.0}
    moved = neighbours.with_support(gazetteer, rows, scores, bonus)
    assert moved[-1] == 5.0 and max(moved[:-1]) == 1.0  # the best Ukrainian score stays 1
    assert moved[0] == max(moved[:-1]) and moved[1] < moved[0]  # the supported village leads Ukraine's
