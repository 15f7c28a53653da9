"""The hand-written claims table (evaluation/data/claims.tsv), row by row.

Each row is a sentence and the event an analyst expects from it: type, place,
actor, certainty, denial, date and outcome, plus the places where no event may
be (a capture cross-linked to another verb's place, a capital that only speaks).
"""

from __future__ import annotations

import pytest

from evaluation.claims import names_for, read_table, score_case
from geo.parse.pipeline import parse_text

CASES = read_table()


@pytest.mark.parametrize("case", CASES, ids=[c.sentence[:60] for c in CASES])
def test_each_sentence_gives_its_expected_events_and_no_dangerous_one(case, gazetteer):
    result = parse_text(case.sentence, gazetteer=gazetteer, date=case.report_date)
    outcome = score_case(case, result.events, names_for(gazetteer))
    assert not outcome.dangerous, outcome.dangerous  # a cross-linked or denied capture shown as fact
    assert len(outcome.found) == len(case.expected), [(e.event_type, e.place) for e in result.events]
    assert not outcome.wrong, outcome.wrong
