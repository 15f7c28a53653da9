"""geo.parse._regex: a pattern in its quick form finds exactly what it found before.

The rewrite is for speed only.  If it changed a single match, an event's trigger,
its attribution or a border would move or vanish without any error, so each
project pattern is held against its original over made-up text full of its own
words in odd cases (the dotted and dotless I, the long s, the Kelvin sign), at
random start and end positions.
"""

from __future__ import annotations

import random
import re
import string

import pytest
from hypothesis import given, settings, strategies as st

from geo.parse import cues

from geo.parse import mentions

from geo.parse import sentences
from geo.parse._regex import WRITTEN, _rewrite, letter_forms, quick
from geo.parse._gates import alternative, _top_branch
from geo.parse.triggers import TRIGGERS

import re._constants as sre
import re._parser as sre_parse


@pytest.mark.parametrize("flags", [re.I, re.I | re.A])
def test_letter_forms_are_what_the_engine_matches(flags):
    # every code point but the surrogates, matched by the engine itself
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for letter in string.ascii_letters:
        engine = set(re.compile(re.escape(letter), flags).findall(every))
        assert set(letter_forms(ord(letter), flags)) == engine, letter
    assert letter_forms(ord("1"), flags) is None and letter_forms(0x0416, flags) is None


def _same(p: re.Pattern, q: re.Pattern, text: str, pos: int, endpos: int) -> None:
    def shape(m):
        return None if m is None else (m.regs, m.groupdict())

    assert shape(q.search(text, pos, endpos)) == shape(p.search(text, pos, endpos))
    assert shape(q.match(text, pos, endpos)) == shape(p.match(text, pos, endpos))
    assert [shape(m) for m in q.finditer(text, pos, endpos)] == \
        [shape(m) for m in p.finditer(text, pos, endpos)]


def _alternatives() -> list[tuple[re.Pattern, int]]:
    out = []
    for p in (t.pattern for t in TRIGGERS):
        items = list(sre_parse.parse(p.pattern, p.flags))
        k = _top_branch(items)
        if k is not None:
            out += [(p, j) for j in range(len(items[k][1][1]))]
    return out


# every pattern the modules imported above searched with in quick form, with its original
PATTERNS = sorted(WRITTEN.items(), key=lambda qp: (qp[1].pattern, qp[1].flags))
ALTERNATIVES = _alternatives()

_ODD = {"i": "iI\u0130\u0131", "s": "sS\u017f", "k": "kK\u212a"}


def _words(p: re.Pattern) -> list[str]:
    return sorted(set(re.findall(r"[A-Za-z]{2,}", p.pattern or "")))


@st.composite
def _case(draw, pool):
    p = draw(st.sampled_from(pool))
    words = _words(p) + ["the", "Russian", "forces", "city", "people", "n't", "said"]
    parts = []
    for _ in range(draw(st.integers(1, 14))):
        w = draw(st.sampled_from(words))
        w = "".join(draw(st.sampled_from(_ODD.get(c.lower(), c + c.upper()))) if c.isalpha() else c for c in w)
        parts.append(w)
        parts.append(draw(st.sampled_from([" ", "  ", ", ", ". ", "-", "", "\n", " 12 "])))
    text = "".join(parts)
    pos = draw(st.integers(0, len(text)))
    return p, text, pos, draw(st.integers(pos, len(text)))


def test_the_modules_register_their_patterns():
    assert len(PATTERNS) >= 20
    assert WRITTEN[cues.MODAL].pattern.startswith(r"\b(?:expected\s+to|will|would")


@settings(max_examples=500, deadline=None)
@given(st.sampled_from(PATTERNS), st.data())
def test_quick_patterns_match_as_their_originals(pair, data):
    fast, written = pair
    _, text, pos, endpos = data.draw(_case([written]))
    _same(written, fast, text, pos, endpos)


def test_border_patterns_match_as_their_originals(gazetteer):
    rnd = random.Random(5)
    names = ["Ukraine", "Belarus", "Russia", "Poland", "Moldova", "Ukrainian", "the", "and", "border",
             "state", "between", "with", "its", "'s", "-", "/", "–"]
    texts = ["the Ukraine-Belarus border", "the border between Poland and Ukraine", "its border with Russia",
             "UKRAİNE'S BORDER", "Moldova’s border", "the Ukraine – Belarus state border"]
    for _ in range(300):
        texts.append(" ".join(rnd.choice(names) for _ in range(rnd.randrange(2, 12))))
    for fast in mentions._border_res(gazetteer):
        written = WRITTEN[fast]
        for text in texts:
            for pos in (0, 1, 4):
                _same(written, fast, text, pos, len(text))


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(ALTERNATIVES), st.data())
def test_quick_trigger_alternatives_match_as_plain_ones(alt, data):
    p, j = alt
    parsed = sre_parse.parse(p.pattern, p.flags)
    items = list(parsed)
    k = _top_branch(items)
    import re._compiler as sre_compile

    plain = sre_compile.compile(sre_parse.SubPattern(parsed.state, items[:k] + list(items[k][1][1][j])
                                                     + items[k + 1:]), p.flags)
    _, text, pos, endpos = data.draw(_case([p]))
    _same(plain, alternative(p, j), text, pos, endpos)


def test_the_project_searches_with_quick_forms():
    # speed only, but it has to be there: the event patterns and the gates' alternatives
    assert cues.MODAL.pattern is None and cues.SCOPE_BREAK.pattern is None
    assert sentences._CLAUSE.pattern is None
    assert alternative(TRIGGERS[0].pattern, 0).pattern is None


@pytest.mark.parametrize("source, text", [
    (r"(?:a|ab|b)", "AB ab"),          # order within one letter: the first written wins
    (r"(?:ab|a|b)", "AB ab"),
    (r"(?:ab|\w|ac)", "ac AC"),        # nothing moves past an alternative led otherwise
    (r"(?:ac|\w+|ab|a)c", "abc ABC ac"),
    (r"(?-i:(?:ab|cd))", "AB cd Cd"),  # case-sensitive inside: left alone
    (r"x(?i:(?:ab|AC))", "xAb xac"),
    (r"(?:kelvin|sun)", "\u212aELVIN \u017fUN"),
    (r"(?<=(?:is|it) )word", "\u0130S WORD \u0131T word"),
    (r"(?:will|would)|(?P<g>w\w+)", "Wonder WILL"),
])
def test_hand_picked_patterns(source, text):
    for flags in (re.I, re.I | re.A):
        p = re.compile(source, flags)
        for pos in range(len(text) + 1):
            _same(p, quick(p), text, pos, len(text))


def test_alternatives_open_with_classes_after_the_rewrite():
    p = re.compile(r"\b(?:will|would|could|x1|\d+)\b", re.I)
    parsed = sre_parse.parse(p.pattern, p.flags)
    items = _rewrite(list(parsed), parsed.state, p.flags)
    branch = next(av for op, av in items if op is sre.BRANCH)
    firsts = [list(alt)[0][0] for alt in branch[1]]
    # "w" (will, would), "c", "x" led by classes, the digits as they were
    assert firsts[:3] == [sre.SUBPATTERN] * 3 and len(firsts) == 4


def test_patterns_without_ignorecase_are_left_as_they_are():
    p = re.compile(r"(?:Kyiv|Kharkiv)")
    assert quick(p).findall("Kyiv kyiv KHARKIV Kharkiv") == ["Kyiv", "Kharkiv"]
