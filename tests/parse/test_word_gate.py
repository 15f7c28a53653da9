"""The first-letter gate of the Ukrainian and Russian patterns finds what the patterns find."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from geo.parse import events_cyr
from geo.parse._word_gate import WordGate, pattern_starts

DATA = Path(__file__).resolve().parent.parent / "data" / "multilingual"
PATTERNS = [t[2] for t in events_cyr.TRIGGERS] + [rx for _, rx in events_cyr._ACTORS]


def _texts() -> list[str]:
    texts = [(DATA / f"seed_{lang}.txt").read_text("utf-8") for lang in ("uk", "ru")]
    for case in json.loads((DATA / "parallel.json").read_text("utf-8")):
        texts += [v for v in case.values() if isinstance(v, str)]
    return texts


@pytest.mark.parametrize(("source", "starts"), [
    (r"\bобстр\w*", {"обс"}),
    (r"\b(?:вибух|взрыв)\w*", {"виб", "взр"}),
    (r"\bу?дар\w*", None),  # an optional first letter: any word may start a match
    (r"(?<![^\W\d_])(?:танк|ТАНК)", {"тан"}),  # a look-behind first is a word's start too
    (r"\b[бв]ій", {"бій", "вій"}),
    (r"обстр", None),  # no boundary first: the pattern is searched everywhere
    (r"\bЗСУ", {"зсу"}),
    (r"\b\x41", None),  # an escape the reader does not take: searched everywhere
])
def test_the_first_letters_read_from_a_pattern(source, starts):
    got = pattern_starts(re.compile(source, re.I))
    assert (set(got) if got is not None else None) == starts


def test_every_pattern_of_the_cyrillic_events_is_gated():
    # the gate is what keeps the Ukrainian and Russian parse fast: a pattern it cannot read
    # would be searched in every clause
    assert all(pattern_starts(p) for p in PATTERNS)


def _same(gate: WordGate, text: str) -> None:
    words = WordGate.words(text, 0, len(text))
    for i, p in enumerate(gate.patterns):
        plain = p.search(text)
        fast = gate.first(i, text, words, 0, len(text))
        assert (fast and fast.span()) == (plain and plain.span()), (p.pattern, text[:80])
        assert [m.span() for m in gate.finditer(i, text, words, 0, len(text))] == \
            [m.span() for m in p.finditer(text)], p.pattern


def test_the_gate_finds_what_each_pattern_finds_in_real_reports():
    gate = WordGate(PATTERNS)
    for text in _texts():
        _same(gate, text)


_PIECES = ["обстріляли", "Обстріл", "вибухи", "захопили", "ЗСУ", "росіяни", "танки", "війська", "взрывы",
           "удар", "ударили", "атакували", "дронами", "у", "в", "Києві", "Харкові", " ", ", ", ". ", "не",
           "загинули", "поранено", "колона", "техніки", "обстрел", "захватили", "российские", "войска"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=25).map(" ".join))
def test_the_gate_finds_what_each_pattern_finds_in_generated_text(text):
    _same(WordGate(PATTERNS), text)


def test_no_private_regex_module_is_read():
    root = Path(__file__).resolve().parents[2] / "geo"
    for path in root.rglob("*.py"):
        source = path.read_text("utf-8")
        assert "re._parser" not in source and "_parser as" not in source and "sre_parse" not in source, path
