"""The triggers searched in lower case in the folded text (geo.parse._folded) find what
their case-insensitive search of the text finds, and the folding keeps what that relies on."""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings, strategies as st

from geo.parse import cues
from geo.parse._folded import FoldedSearch, folded_source
from geo.parse._gates import TextGates, top_alternatives
from geo.parse._scan import _trigger_gates
from geo.parse.triggers import TRIGGERS


def _patterns() -> list[re.Pattern]:
    out = [cues.SCOPE_BREAK, cues.DENIAL, cues.NEGATION, cues.MODAL, cues.NEGATED_AFTER, cues.RIVER_BEFORE,
           cues.REFERENCE, cues.ORIGIN, cues.LOCATIVE, cues.PASSIVE_BEFORE, cues.OBJECT_PREP, cues.AGENT_PREP]
    for p in [t.pattern for t in TRIGGERS] + [cues.DEMONYM_AGENT, cues.LEADER]:
        out += [re.compile(a, p.flags) for a in top_alternatives(p) or []] + [p]
    return out


PATTERNS = _patterns()


def _fold_one(ch: str) -> str:
    """A character as ``TextGates`` folds it inside a text."""
    return TextGates(_trigger_gates(), "a" + ch + "a").folded[1]


def test_the_folding_keeps_each_class_and_letters_as_ignorecase_compares_them():
    letter = re.compile("[a-z]", re.I)
    wrong = []
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        ch = chr(code)
        low = _fold_one(ch)
        if (ch.isalnum() or ch == "_") != (low.isalnum() or low == "_") or ch.isspace() != low.isspace() \
                or ch.isdecimal() != low.isdecimal():
            wrong.append((hex(code), "class"))
        matched = letter.fullmatch(ch) is not None
        is_ascii_letter = low in string.ascii_lowercase and len(low) == 1
        if matched != is_ascii_letter or (matched and re.fullmatch(low, ch, re.I) is None):
            wrong.append((hex(code), "letter"))
    assert not wrong, wrong[:20]


def test_the_non_ascii_characters_of_the_patterns_fold_only_from_themselves():
    chars = {ch for p in PATTERNS for ch in p.pattern if not ch.isascii()}
    for ch in chars:
        assert ch.lower() == ch == ch.upper()
        assert [c for c in map(chr, range(0x3000)) if _fold_one(c) == ch and c != ch] == []




def test_every_trigger_and_cue_searched_so_has_a_folded_copy():
    assert all(FoldedSearch.of(p) is not None for p in PATTERNS)


@pytest.mark.parametrize(("source", "written"), [
    (r"\b(?:Shell(?:ed)?|MLRS)\b", (r"(?:shell(?:ed)?|mlrs)\b", True)),
    (r"\bA|\bB", (r"\ba|\bb", False)),
    (r"[A-Z\W]x", (r"[a-z\W]x", False)),
    (r"(?-i:A)", None),
    (r"\x41", None),
    (r"[0-Z]", None),
    (r"n['’]t", (r"n['’]t", False)),
    (r"Ä", None),
])
def test_the_lower_case_copy(source, written):
    assert folded_source(source) == written


SAMPLES = ["captured by", "fell to", "Russian forces", "into the", "10 km north of", "from the", "in the city of", "across the", "was heavily", "did not", "won’t", "may 5", "in may", "would", "as soon", "after the", "was rejected",
           "Russian forces shelled Kharkiv", "a hospital was struck", "civilians were killed",
           "captured the village", "took control of", "missile defence", "under Ukrainian control",
           "the talks", "explosions", "Putin said", "Russian troops advanced", "losses", "fled"]
ODD = ["K", "ſ", "İ", "ı", "Σ", "ς", "ß", "ẞ", "ŉ", "_", "\xa0", "\u2028", "\x85", "-", ".", "’", "١", "\ud800"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(SAMPLES), st.sampled_from(ODD), st.sampled_from([" ", "  ", ", "]),
                          st.text(alphabet="abcKSIsik ", max_size=6)), max_size=12),
       st.data())
def test_the_folded_search_finds_what_the_search_finds(parts, data):
    text = "".join(parts).upper() if data.draw(st.booleans()) else "".join(parts)
    folded = TextGates(_trigger_gates(), text).folded
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    for p in PATTERNS:
        plain = p.search(text, start, end)
        fast = FoldedSearch.of(p).search(text, folded, start, end)
        assert (plain and (plain.span(), plain.groups())) == (fast and (fast.span(), fast.groups())), p.pattern
