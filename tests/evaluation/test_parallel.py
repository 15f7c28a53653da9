"""The parallel reports: Ukrainian and Russian give the map their English gives."""

from __future__ import annotations

import json

import pytest

from evaluation import parallel
from evaluation.evaluate import main


@pytest.fixture(scope="module")
def outcomes(gazetteer):
    return parallel.run(gazetteer)


def test_every_report_is_written_in_three_languages():
    cases = parallel.read_cases()
    assert len(cases) >= 12
    assert all(c[lang].strip() for c in cases for lang in parallel.LANGS)


@pytest.mark.parametrize("lang", ["uk", "ru"])
def test_the_source_language_gives_what_english_gives(outcomes, lang):
    s = parallel.summary(outcomes)
    assert s["en"]["places"] >= 0.95 and s["en"]["types"] >= 0.95  # the yardstick itself is sound
    assert s[lang]["places_of_en"] >= 0.9
    assert s[lang]["types_of_en"] >= 0.8
    assert s[lang]["places"] >= 0.9


def test_each_report_places_its_own_settlements(outcomes):
    # per report, not only pooled: a language that drops a whole report's places shows here
    for case, found in outcomes:
        for lang in parallel.LANGS:
            assert set(case["places"]) <= found[lang].places, (case["id"], lang)


def test_a_case_without_a_language_is_refused(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps([{"id": "x", "places": [], "types": [], "en": "Kyiv.", "uk": "Київ."}]), "utf-8")
    with pytest.raises(ValueError, match="lacks ru"):
        parallel.read_cases(bad)
    assert main(["parallel", "--table", str(bad)]) == 2
