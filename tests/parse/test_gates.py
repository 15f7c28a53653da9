"""geo.parse._gates: the pre-check may say "cannot match" only where the pattern cannot match.

The gate exists to skip slow regular-expression searches (the event triggers
over every sentence).  If it were wrong, events would silently go missing, so
these tests hold it against the real search on the trigger patterns, over real
report text and made-up sentences full of trigger words in odd cases and odd
spaces and digits, which Python's ``re`` and RE2 read differently.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from geo.parse._gates import Gates, TextGates, relaxed, top_alternatives
from geo.parse.sentences import split_sentences
from geo.parse.triggers import ANY_TRIGGER, TRIGGERS

ROOT = Path(__file__).resolve().parents[2]


def _texts() -> list[str]:
    rnd = random.Random(11)
    seeds = [p.read_text("utf-8") for p in sorted((ROOT / "seeds").rglob("*.txt"))]
    words = sorted({w for t in TRIGGERS for w in re.findall(r"[A-Za-z]{3,}", t.pattern.pattern)})
    filler = ["the", "in", "near", "people", "were", "of", "a", "by", "Russian", "forces", "city", ",", ".",
              "3", "\u0663", "\u0969"]  # ASCII, Arabic-Indic and Devanagari digits: all \d to re
    odd = {"i": ["\u0130", "\u0131", "I"], "s": ["\u017f", "S"], "k": ["\u212a", "K"]}
    spaces = [" "] * 8 + ["\u00a0", "\u2009", "\u3000", "\t", "\n"]  # all \s to re, not to RE2

    def oddly(w: str) -> str:
        return "".join(rnd.choice(odd[c]) if c in odd and rnd.random() < 0.3 else
                       (c.upper() if rnd.random() < 0.2 else c) for c in w)

    made = []
    for _ in range(600):
        n = rnd.randrange(3, 25)
        made.append("".join(
            (oddly(rnd.choice(words)) if rnd.random() < 0.4 else rnd.choice(filler)) + rnd.choice(spaces)
            for _ in range(n)) + ".")
    return seeds + made


TEXTS = _texts()


def _patterns():
    from geo.parse import cues

    return [*(t.pattern for t in TRIGGERS), cues.DEMONYM_AGENT, cues.LEADER]


def _spans(text: str, rnd: random.Random) -> list[tuple[int, int]]:
    spans = list(split_sentences(text))
    for _ in range(10):
        a = rnd.randrange(len(text) + 1)
        spans.append((a, rnd.randrange(a, len(text) + 1)))
    return spans


def _may_match(gates: Gates, text: str, start: int = 0, end: int | None = None) -> set[int]:
    return set(gates.for_text(text).candidates(start, len(text) if end is None else end))


def test_a_sentence_without_trigger_words_searches_no_trigger():
    gates = Gates(t.pattern for t in TRIGGERS)
    assert not _may_match(gates, "The weather in the capital was mild, and the markets opened late.")
    assert _may_match(gates, "Civilians were killed.") >= {i for i, t in enumerate(TRIGGERS)
                                                           if t.pattern.search("Civilians were killed.")}


def test_a_pattern_left_out_cannot_match():
    patterns = _patterns()
    gates = Gates(patterns)
    rnd = random.Random(5)
    skipped = 0
    for text in TEXTS:
        for s, e in _spans(text, rnd):
            cands = gates.for_text(text).candidates(s, e)
            for i, rx in enumerate(patterns):
                if i not in cands:
                    skipped += 1
                    assert rx.search(text, s, e) is None, (i, text[s:e])
    assert skipped > 10000


class _Plain:
    """Every pattern may match anywhere: what events.py would do with no gates (the cues
    read the folded text as before)."""

    def __init__(self, patterns, text):
        self.patterns, self.text = patterns, text
        self.folded = TextGates(Gates([]), text).folded

    def candidates(self, start, end):
        return range(len(self.patterns))

    def search(self, i, start, end):
        return self.patterns[i].search(self.text, start, end)


def test_gated_event_searches_agree_with_the_plain_ones(monkeypatch):
    # event extraction skips the trigger and actor searches where the gates say they cannot match
    from geo.parse import _scan, claims

    texts = TEXTS + ["Ukrainian forces shelled it and Putin spoke.", "xRussian troops moved; aPutin left."]
    patterns = _patterns()
    gates = Gates(patterns)
    rnd = random.Random(5)
    cases = [(text, s, e) for text in texts for s, e in _spans(text, rnd)]
    cases += [(texts[-1], 1, 30), (texts[-1], 24, 35)]  # clauses cut out of the middle of a word
    gated = []
    for text, s, e in cases:
        monkeypatch.setattr(claims, "text_gates", lambda t: gates.for_text(t))
        text_gates = gates.for_text(text)
        gated.append((claims.clause_actors(text, s, e, []), _scan.has_trigger(text, text_gates, s, e)))
    for (text, s, e), (actors, has) in zip(cases, gated):
        plain = _Plain(patterns, text)
        monkeypatch.setattr(claims, "text_gates", lambda t, g=plain: g)
        assert actors == claims.clause_actors(text, s, e, []), text[s:e]
        assert has == bool(ANY_TRIGGER.search(text, s, e)), text[s:e]
    assert sum(bool(a) for a, _ in gated) > 50 and sum(h for _, h in gated) > 500  # both exercised
    assert gated[-2][0] == ["Russia"] and gated[-1][0] == ["Russia"]


def test_narrowed_searches_find_the_same_match():
    # where the gates let only some of a trigger's alternatives through, only those are
    # searched: the same match (start, end, words) as the whole trigger, or none as well
    gates = Gates(_patterns())
    rnd = random.Random(8)
    narrowed = hits = 0
    for text in TEXTS:
        text_gates = gates.for_text(text)
        for s, e in _spans(text, rnd):
            passing = text_gates._passing(s, e)
            for i in passing:
                if i >= len(TRIGGERS):
                    continue
                narrowed += passing[i] is not None
                fast, plain = text_gates.search(i, s, e), TRIGGERS[i].pattern.search(text, s, e)
                hits += plain is not None
                assert (fast and (fast.span(), fast.group(0))) == (plain and (plain.span(), plain.group(0)))
    assert narrowed > 500 and hits > 500


def test_alternatives_searched_one_by_one_agree_with_the_whole_pattern():
    # the leftmost match wins; at one position the alternative written first, as in the pattern
    rx = re.compile(r"\bab|\bshelled\b|\babc|\bx", re.I)
    gates = Gates([rx])
    assert gates.search(0, (0, 2), "so abc", 0, 6).group(0) == rx.search("so abc").group(0) == "ab"
    assert gates.search(0, (2,), "so abc", 0, 6).group(0) == "abc"
    assert gates.search(0, (1, 2), "so abc shelled", 0, 14).group(0) == "abc"
    assert gates.search(0, (1, 3), "x shelled", 0, 9).group(0) == rx.search("x shelled").group(0) == "x"
    assert gates.search(0, (1,), "so abc", 0, 6) is None


def test_only_top_level_alternatives_are_split():
    assert top_alternatives(re.compile(r"\b(?:ab|a)c|\bshelled\b|[|]x\|")) == [r"\b(?:ab|a)c", r"\bshelled\b",
                                                                              r"[|]x\|"]
    assert top_alternatives(re.compile(r"\b(?:ab|a)c")) is None
    assert top_alternatives(re.compile(r"(a)|b")) is None  # numbered groups would change


def test_both_words_are_needed():
    rx = re.compile(r"\bcivilians?\b[^.]{0,40}\b(?:killed|wounded)\b|\bshelled\b", re.I)
    gates = Gates([rx])
    for text, may in [("Civilians were killed.", True), ("Soldiers were killed.", False),
                      ("Civilians fled.", False), ("They shelled it.", True)]:
        assert bool(_may_match(gates, text)) == may == bool(rx.search(text)), text


@pytest.mark.parametrize("pattern, text", [
    (r"\bhit\sby\b", "hit\u00a0by"),  # a space RE2's \s does not know
    (r"\b\d-year-old", "\u0663-year-old"),  # a digit RE2's \d does not know
    (r"\bhit[\s-]by\b", "hit\u2009by"),
    (r"missile", "M\u0131SS\u0130LE"),  # dotless and dotted I
    (r"strike", "\u017ftri\u212ae"),  # long s, Kelvin sign
    (r"rocket(?!\s+science)s?", "rockets"),
    (r"(?<=\s)shelled", " shelled"),
])
def test_what_re_reads_differently_from_re2_is_still_let_through(pattern, text):
    rx = re.compile(pattern, re.I)
    assert rx.search(text)
    assert _may_match(Gates([rx, re.compile("zzzz")]), text) == {0}


def test_syntax_the_relaxation_cannot_take_is_never_ruled_out():
    assert relaxed(r"(a)\1") is None and relaxed(r"a{,3}bc") is None and relaxed(r"(?>abc)") is None
    for rx in (re.compile(r"(a+)x\1"), re.compile(r"ab{,3}c"), re.compile(r"(?i)qqq"), re.compile("caf\u00e9")):
        assert _may_match(Gates([rx]), "nothing") == {0}


def test_lone_surrogates_are_read_as_no_character():
    # parse_text may be given them (JSON "\ud800" escapes); RE2 reads UTF-8, which has none
    patterns = [t.pattern for t in TRIGGERS]
    gates = Gates(patterns)
    text = "Shelling \ud800hit the city\udfff; two civilians were killed \ud83d near a school."
    found = _may_match(gates, text)
    assert {i for i, p in enumerate(patterns) if p.search(text)} <= found
    assert found


def test_a_long_report_with_lone_surrogates_still_gives_its_events(gazetteer):
    from geo.parse.pipeline import parse_text

    text = "Russian artillery shelled Kharkiv \ud800 overnight. " + "Nothing else happened. " * 2500
    result = parse_text(text, gazetteer=gazetteer)
    assert [(e.event_type, e.place) for e in result.events][:1] == [("strike", "Kharkiv")]
