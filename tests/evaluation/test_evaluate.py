"""The evaluation harness: scoring on tiny hand-made fixtures, the absent-corpus
message, and regressions for recognition and resolution behaviour tuned on the
public corpora (every sentence here is our own)."""

from __future__ import annotations

import math
import subprocess
import sys

import pytest

from evaluation import evaluate as ev
from geo.parse.pipeline import parse_text

PARIS, LYON = (48.8566, 2.3522), (45.764, 4.8357)


# ---- pure scoring ----------------------------------------------------------
def test_overlap_pairs_are_one_to_one_and_prefer_the_larger_overlap():
    gold = [ev.Span(0, 10), ev.Span(12, 20), ev.Span(40, 45)]
    pred = [ev.Span(2, 18), ev.Span(14, 20), ev.Span(30, 35)]
    # pred 0 overlaps both gold 0 (8 chars) and gold 1 (6); pred 1 overlaps gold 1 fully
    assert ev.overlap_pairs(gold, pred) == [(0, 0), (1, 1)]


def test_touching_spans_do_not_overlap():
    assert ev.overlap_pairs([ev.Span(0, 5)], [ev.Span(5, 9)]) == []


def test_precision_recall_f1_from_counts():
    p, r, f = ev.precision_recall_f1(matched=3, predicted=4, gold=6)
    assert (p, r) == (0.75, 0.5) and f == pytest.approx(0.6)
    assert ev.precision_recall_f1(0, 0, 0) == (0.0, 0.0, 0.0)


def test_distance_is_geodesic_km():
    assert ev.distance_km(*PARIS, *LYON) == pytest.approx(392, abs=3)


def test_score_document_counts_161_km_and_end_to_end():
    gold = (ev.Span(0, 5, *PARIS), ev.Span(10, 14, *LYON), ev.Span(20, 25), ev.Span(30, 33, *PARIS))
    pred = [ev.Span(0, 5, PARIS[0] + 1.0, PARIS[1]),  # 111 km off: correct
            ev.Span(10, 14, *PARIS),  # Lyon put at Paris: found but wrong
            ev.Span(20, 25, *LYON),  # gold without coordinates: recognition only
            ev.Span(50, 55, *LYON)]  # spurious
    t = ev.score_document(gold, pred)
    s = ev.summarise(t)
    assert (t.gold, t.predicted, t.matched, t.gold_with_coords, t.correct) == (4, 4, 3, 3, 1)
    assert s["acc161"] == pytest.approx(0.5)
    assert s["end_to_end"] == pytest.approx(1 / 3)  # the Paris at 30:33 was never found
    assert s["mean_km"] == pytest.approx((111 + 392) / 2, abs=3)


def test_auc_is_zero_when_exact_and_one_at_the_antipode():
    assert ev.auc_log_error([0, 0, 0]) == 0.0
    assert ev.auc_log_error([ev.HALF_EARTH_KM] * 2) == pytest.approx(1.0)
    assert 0 < ev.auc_log_error([0, 100, 1000]) < 1
    assert math.isnan(ev.auc_log_error([]))


def test_macro_f1_over_mapped_classes():
    expected = [frozenset({"strike"}), frozenset({"strike", "civilian_harm"}), frozenset({"civilian_harm"})]
    predicted = [frozenset({"strike"}), frozenset({"strike"}), frozenset({"strike"})]
    macro, per = ev.macro_f1(expected, predicted, {"strike", "civilian_harm"})
    assert per["strike"] == pytest.approx(0.8) and per["civilian_harm"] == 0.0
    assert macro == pytest.approx(0.4)


def test_macro_f1_leaves_rows_out_of_classes_their_tags_say_nothing_about():
    expected = [frozenset({"civilian_harm"}), frozenset({"strike", "civilian_harm"}), frozenset({"civilian_harm"})]
    predicted = [frozenset({"strike", "civilian_harm"})] * 3
    # row 0's weapon is unknown, row 2's weapon is small arms (a known "no strike")
    unknown = [frozenset({"strike"}), frozenset(), frozenset()]
    _, strict = ev.macro_f1(expected, predicted, {"strike", "civilian_harm"})
    macro, known = ev.macro_f1(expected, predicted, {"strike", "civilian_harm"}, unknown)
    assert strict["strike"] == pytest.approx(0.5)  # two false alarms
    assert known["strike"] == pytest.approx(2 / 3)  # one: the unknown row does not count
    # no row is known not to be civilian harm: its precision cannot be measured
    assert "civilian_harm" not in known and macro == pytest.approx(2 / 3)


def _outcome(row_id, nameable, hit, nearest, labels=frozenset(), predicted=frozenset()):
    row = ev.Row("T", row_id, f"text {row_id}", 50.0, 30.0, frozenset(labels), frozenset({"strike"}))
    return ev.RowOutcome(row, hit, nameable, frozenset(predicted), (), (), nearest)


def test_failure_cases_list_missed_places_first_then_type_disagreements():
    rows = [_outcome("far", True, False, 300.0), _outcome("ok", True, True, 2.0, {"strike"}, {"strike"}),
            _outcome("none", True, False, None), _outcome("near", True, False, 40.0),
            _outcome("untyped", False, False, None),  # names no place: not the parser's fault
            _outcome("wrong_type", True, True, 1.0, {"strike"}, set())]
    assert [o.row.row_id for o in ev.failure_cases(rows, 10)] == ["none", "far", "near", "wrong_type"]
    assert [o.row.row_id for o in ev.failure_cases(rows, 2)] == ["none", "far"]
    listing = ev.failures_text({"T": rows}, 2)
    assert "no local event" in listing and "nearest event 300 km" in listing


def test_combat_class_is_met_by_any_fighting_type():
    assert ev.predicted_classes(["battle", "humanitarian"], {"combat", "civilian_harm"}) == {"combat"}
    assert ev.predicted_classes(["protest"], {"combat"}) == frozenset()


def test_near_event_uses_25_km():
    assert ev.near_event([(50.45, 30.52)], 50.60, 30.52)  # about 17 km north
    assert not ev.near_event([(50.45, 30.52)], 50.75, 30.52)  # about 33 km
    assert not ev.near_event([], 50.45, 30.52)


# ---- corpus readers on files we write ---------------------------------------
def test_readers_parse_the_three_formats(tmp_path):
    (tmp_path / "GWN.xml").write_text(
        "<articles><article file='0'><text>Rain in Lyon and the city.</text><toponyms>"
        "<toponym><extractedName>Lyon</extractedName><type>Literal</type><start>8</start><end>12</end>"
        "<latitude>45.76</latitude><longitude>4.84</longitude></toponym>"
        "<toponym><extractedName>city</extractedName><type>Literal_Expression</type>"
        "<start>21</start><end>25</end></toponym></toponyms></article></articles>", "utf-8")
    (tmp_path / "lgl.xml").write_text(
        "<articles><article docid='7'><text>Paris, Texas.</text><toponyms><toponym><start>0</start>"
        "<end>5</end><phrase>Paris</phrase><gaztag geonameid='1'><lat>33.66</lat><lon>-95.55</lon>"
        "</gaztag></toponym></toponyms></article></articles>", "utf-8")
    (tmp_path / "GeoVirus.xml").write_text(
        "<articles><article><source>s</source><text>Flu in Lima.</text><locations><location>"
        "<name>Lima</name><start>7</start><end>11</end><lat>-12.05</lat><lon>-77.04</lon></location>"
        "</locations></article></articles>", "utf-8")
    (gwn,) = ev.load_corpus(tmp_path, "GWN")
    assert gwn.gold == (ev.Span(8, 12, 45.76, 4.84),)  # the common noun is not a toponym
    (lgl,) = ev.load_corpus(tmp_path, "LGL")
    assert lgl.gold[0].lat == pytest.approx(33.66)
    (gv,) = ev.load_corpus(tmp_path, "GeoVirus")
    assert gv.text[gv.gold[0].start:gv.gold[0].end] == "Lima"


def test_absent_corpora_give_a_clear_message_and_exit_2(tmp_path):
    done = subprocess.run([sys.executable, "-m", "evaluation", "geoparsing", "--corpora",
                           str(tmp_path / "nowhere")], capture_output=True, text=True)
    assert done.returncode == 2
    assert "no geoparsing corpora found" in done.stderr and "--corpora" in done.stderr
    assert "Traceback" not in done.stderr


# ---- recognition and resolution regressions ----------------------------------
def names(text, gazetteer):
    return [(p.mention, p.name, p.country_code) for p in parse_text(text, gazetteer=gazetteer).places]


@pytest.mark.parametrize("text", [
    "Sheriff Ripley said the road was closed.",
    "Paul Ripley told reporters he was pleased.",
    "Coach Steele praised Mary Welch for her work.",
])
def test_people_are_not_places(gazetteer, text):
    assert parse_text(text, gazetteer=gazetteer).places == ()


def test_a_surname_stays_a_surname_later_in_the_text(gazetteer):
    text = "Paul Ripley runs the shop. On Monday Ripley opened early."
    assert parse_text(text, gazetteer=gazetteer).places == ()


@pytest.mark.parametrize("text", [
    "Prices rose in the South and the West this year.",
    "The Central committee met in the morning.",
])
def test_directions_and_generic_words_are_not_places(gazetteer, text):
    assert parse_text(text, gazetteer=gazetteer).places == ()


def test_country_abbreviations_are_countries(gazetteer):
    out = names("Officials in the U.S. and the UK reacted quickly.", gazetteer)
    assert [(m, cc) for m, _, cc in out] == [("U.S.", "US"), ("UK", "GB")]


def test_state_abbreviation_places_the_town(gazetteer):
    out = names("The fire started in London, Ky., late on Friday.", gazetteer)
    assert ("London", "London", "US") in out and ("Ky.", "Kentucky", "US") in out


@pytest.mark.parametrize("text, town, state_lat", [
    ("A new school opened in Paris, Texas, this week.", "Paris", 33.7),
    ("Voters in Dublin, Ohio, approved the levy.", "Dublin", 40.1),
])
def test_town_comma_state_picks_the_town_in_that_state(gazetteer, text, town, state_lat):
    (p,) = [p for p in parse_text(text, gazetteer=gazetteer).places if p.mention == town]
    assert p.country_code == "US" and abs(p.lat - state_lat) < 1.0


def test_us_states_win_in_us_local_news(gazetteer):
    text = ("Atlanta police and deputies from Fulton County searched the area near Macon. "
            "Georgia officials said the search would go on.")
    (p,) = [p for p in parse_text(text, gazetteer=gazetteer).places if p.mention == "Georgia"]
    assert (p.kind, p.country_code) == ("admin1", "US")


def test_county_names_resolve_to_the_county(gazetteer):
    text = "Deputies in Laurel County, Ky., closed the highway near London."
    places = parse_text(text, gazetteer=gazetteer).places
    county = [p for p in places if p.mention == "Laurel County"]
    assert county and county[0].country_code == "US" and abs(county[0].lat - 37.1) < 0.5


def test_a_country_point_sits_in_its_mainland(gazetteer):
    (us,) = parse_text("Exports from the United States fell.", gazetteer=gazetteer).places
    assert 37 < us.lat < 41 and -101 < us.lon < -95  # Kansas, not pulled toward Alaska
