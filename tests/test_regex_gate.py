"""geo.regex_gate: the pre-check may say "cannot match" only where the pattern cannot match.

The gate exists to skip slow regular-expression searches (the event triggers
over every sentence).  If it were wrong, events would silently go missing, so
these tests hold it against the real search on the trigger patterns, over real
report text and made-up sentences full of trigger words in odd cases.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from geo.regex_gate import AllOfGates, Gate, GateSet, fold, required_strings
from geo.sentences import split_sentences
from geo.triggers import ANY_TRIGGER, TRIGGERS

ROOT = Path(__file__).resolve().parent.parent


def _texts() -> list[str]:
    rnd = random.Random(11)
    seeds = [p.read_text("utf-8") for p in sorted((ROOT / "seeds").rglob("*.txt"))]
    words = sorted({w for t in TRIGGERS for w in re.findall(r"[A-Za-z]{3,}", t.pattern.pattern)})
    filler = ["the", "in", "near", "people", "were", "of", "a", "by", "Russian", "forces", "city", ",", "."]
    odd = {"i": ["\u0130", "\u0131", "I"], "s": ["\u017f", "S"], "k": ["\u212a", "K"]}

    def oddly(w: str) -> str:
        return "".join(rnd.choice(odd[c]) if c in odd and rnd.random() < 0.3 else
                       (c.upper() if rnd.random() < 0.2 else c) for c in w)

    made = []
    for _ in range(600):
        n = rnd.randrange(3, 25)
        made.append(" ".join(oddly(rnd.choice(words)) if rnd.random() < 0.4 else rnd.choice(filler)
                             for _ in range(n)) + ".")
    return seeds + made


TEXTS = _texts()


def _spans(text: str, rnd: random.Random) -> list[tuple[int, int]]:
    spans = list(split_sentences(text))
    for _ in range(10):
        a = rnd.randrange(len(text) + 1)
        spans.append((a, rnd.randrange(a, len(text) + 1)))
    return spans


def test_every_trigger_has_required_words():
    # a trigger nobody could bound would make the gate useless for it
    assert all(required_strings(t.pattern) for t in TRIGGERS)
    assert required_strings(ANY_TRIGGER)


def test_gate_never_hides_a_trigger_match():
    gates = GateSet([t.pattern for t in TRIGGERS])
    any_gate = Gate(ANY_TRIGGER)
    rnd = random.Random(3)
    skipped = matched = 0
    for text in TEXTS:
        hits = gates.hits(text)
        union = GateSet.union(hits)
        any_hits = any_gate.spans_of(text)
        for s, e in _spans(text, rnd):
            for trig, h in zip(TRIGGERS, hits):
                found = trig.pattern.search(text, s, e)
                matched += bool(found)
                if not h.any_within(s, e):
                    skipped += 1
                    assert found is None, (trig.event_type, trig.subtype, text[s:e])
            real = ANY_TRIGGER.search(text, s, e)
            gated = any_gate.search(text, any_hits, s, e)
            assert (real and real.span()) == (gated and gated.span())
            assert real is None or union.any_within(s, e)
    assert skipped > 1000 and matched > 1000  # both sides were exercised


def test_required_strings_pick_the_rare_side():
    rx = re.compile(r"\b(?:people|men|children)\b[^.]{0,40}\b(?:killed|wounded)\b", re.I)
    assert required_strings(rx) == {"killed", "wounded"}
    assert required_strings(re.compile(r"\w+\s+\d+")) is None


def test_case_folding_matches_ignorecase():
    rx = re.compile(r"\bkilled\b|\bmissiles?\b", re.I)
    gate = Gate(rx)
    for text in ["KİLLED", "kılled", "\u212aILLED", "mi\u017f\u017file", "MISSILES"]:
        assert rx.search(text), text
        assert gate.search(text, gate.spans_of(text)) is not None, text
    assert len(fold("İstanbul")) == len("İstanbul")


def test_scoped_case_flag_is_not_trusted():
    rx = re.compile(r"(?i:shelled)|\bstruck\b")
    gate = Gate(rx)
    text = "SHELLED at dawn"
    assert rx.search(text)
    assert gate.search(text, gate.spans_of(text)) is not None


@pytest.mark.parametrize("pattern", [r"\w+", r"[a-z]{3}", r"(?:a|)b"])
def test_unbounded_patterns_may_match_anywhere(pattern):
    gate = Gate(re.compile(pattern))
    hits = gate.spans_of("xyz")
    assert hits.any_within(0, 3) and hits.any_within(1, 1)


def test_hits_see_a_short_string_nested_in_a_long_one():
    from geo.regex_gate import Hits

    # "air strike" holds "strike": a span that cuts the long one still holds the short one
    hits = Hits(sorted([(10, 20), (14, 20), (30, 33)]))
    assert hits.any_within(12, 20)  # only (14, 20) fits
    assert hits.any_within(10, 20)
    assert not hits.any_within(11, 19)
    assert not hits.any_within(21, 32)
    assert hits.any_within(0, 100)
    assert not hits.any_within(34, 100)
    # a long span first, a short one inside it later: the short one counts
    assert Hits(sorted([(12, 30), (14, 18)])).any_within(12, 20)
    gate = Gate(re.compile(r"\bair\s+strikes?\b|\bstrikes?\b", re.I))
    text = "An air strike hit."
    assert gate.search(text, gate.spans_of(text), 4, len(text)).group(0) == "strike"


def test_gates_wait_until_enough_text_was_seen():
    rx = re.compile(r"\bshelled\b", re.I)
    gates = GateSet([rx], build_after=30)
    first = gates.hits("Nothing here at all.")  # 20 characters: not built yet
    assert first[0].any_within(0, 20) and gates.required is None
    second = gates.hits("Still nothing to see here.")  # 46 in all: built now
    assert gates.required == [{"shelled"}] and not second[0].any_within(0, 26)
    assert gates.hits("They shelled it.")[0].any_within(0, 16)


def test_a_word_start_in_the_pattern_is_kept():
    word = Gate(re.compile(r"\bhit\b", re.I))
    anywhere = Gate(re.compile(r"hit", re.I))
    text = "A white van."
    assert not word.spans_of(text).any_within(0, len(text))  # "hit" of "white" cannot start \bhit
    assert anywhere.spans_of(text).any_within(0, len(text)) and anywhere.pattern.search(text)
    dash = Gate(re.compile(r"\b-hit\b"))  # \b before "-" wants a word character before it
    assert dash.search("x-hit", dash.spans_of("x-hit")) is not None
    under = Gate(re.compile(r"\bhit"))
    assert under.search("_hit", under.spans_of("_hit")) is None and not re.search(r"\bhit", "_hit")


def test_gated_event_searches_agree_with_the_plain_ones(monkeypatch):
    # events.py skips the trigger searches and the actor searches where the gates say they
    # cannot match; with the gates not built it searches everything: same answers
    from geo import events

    texts = TEXTS + ["Ukrainian forces shelled it and Putin spoke.", "xRussian troops moved; aPutin left."]
    patterns = [*(t.pattern for t in TRIGGERS), events._DEMONYM_AGENT, events._LEADER]
    gates, never = AllOfGates(patterns), AllOfGates(patterns, build_after=10 ** 12)
    rnd = random.Random(5)
    cases = [(text, s, e) for text in texts for s, e in _spans(text, rnd)]
    cases += [(texts[-1], 1, 30), (texts[-1], 24, 35)]  # clauses cut out of the middle of a word
    gated, skipped = [], 0
    for text, s, e in cases:
        text_gates = events._TextGates(text, gates)
        monkeypatch.setattr(events, "_text_gates", lambda t, g=text_gates: g)
        gated.append((events.clause_actors(text, s, e, []), events._has_trigger(text, text_gates, s, e)))
        cands = text_gates.candidates(s, e)
        for i, rx in enumerate(patterns):  # a pattern left out cannot match
            if i not in cands:
                skipped += 1
                assert rx.search(text, s, e) is None, (i, text[s:e])
    for (text, s, e), (actors, has) in zip(cases, gated):
        plain = events._TextGates(text, never)
        assert not plain.built
        monkeypatch.setattr(events, "_text_gates", lambda t, g=plain: g)
        assert actors == events.clause_actors(text, s, e, []), text[s:e]
        assert has == bool(ANY_TRIGGER.search(text, s, e)), text[s:e]
    assert skipped > 10000
    assert sum(bool(a) for a, _ in gated) > 50 and sum(h for _, h in gated) > 500  # both exercised
    assert gated[-2][0] == ["Russia"] and gated[-1][0] == ["Russia"]


def test_all_of_gates_need_both_words():
    rx = re.compile(r"\bcivilians?\b[^.]{0,40}\b(?:killed|wounded)\b|\bshelled\b", re.I)
    gates = AllOfGates([rx])
    for text, may in [("Civilians were killed.", True), ("Soldiers were killed.", False),
                      ("Civilians fled.", False), ("They shelled it.", True)]:
        assert bool(gates.candidates(gates.scan(text), 0, len(text))) == may == bool(rx.search(text)), text
