"""geo.parse._gates: the pre-check may say "cannot match" only where the pattern cannot match.

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

from geo.parse._gates import AllOfGates, all_of_strings, fold
from geo.parse.sentences import split_sentences
from geo.parse.triggers import ANY_TRIGGER, TRIGGERS

ROOT = Path(__file__).resolve().parents[2]


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


def _may_match(gates: AllOfGates, text: str, start: int = 0, end: int | None = None) -> set[int]:
    return set(gates.candidates(gates.scan(text), start, len(text) if end is None else end))


def test_every_trigger_has_required_words():
    # a trigger nobody could bound would make the gate useless for it
    assert all(all_of_strings(t.pattern) for t in TRIGGERS)
    assert all_of_strings(ANY_TRIGGER)


def test_gate_never_hides_a_trigger_match():
    patterns = [t.pattern for t in TRIGGERS] + [ANY_TRIGGER]
    gates = AllOfGates(patterns)
    rnd = random.Random(3)
    skipped = matched = 0
    for text in TEXTS:
        scan = gates.scan(text)
        for s, e in _spans(text, rnd):
            may = set(gates.candidates(scan, s, e))
            for i, rx in enumerate(patterns):
                found = rx.search(text, s, e)
                matched += bool(found)
                if i not in may:
                    skipped += 1
                    assert found is None, (i, text[s:e])
    assert skipped > 1000 and matched > 1000  # both sides were exercised


def test_required_strings_pick_the_rare_side():
    rx = re.compile(r"\b(?:people|men|children)\b[^.]{0,40}\b(?:killed|wounded)\b", re.I)
    (sets,) = all_of_strings(rx)
    assert sets[0] == {"killed": True, "wounded": True}  # the rarer side first: "people" is everywhere
    assert sets[1:] == [{"people": True, "men": True, "children": True}]
    assert all_of_strings(re.compile(r"\w+\s+\d+")) is None


def test_case_folding_matches_ignorecase():
    rx = re.compile(r"\bkilled\b|\bmissiles?\b", re.I)
    gates = AllOfGates([rx])
    for text in ["KİLLED", "kılled", "\u212aILLED", "mi\u017f\u017file", "MISSILES"]:
        assert rx.search(text), text
        assert _may_match(gates, text) == {0}, text
    assert not _may_match(gates, "nothing here")
    assert len(fold("İstanbul")) == len("İstanbul")


def test_scoped_case_flag_is_not_trusted():
    rx = re.compile(r"(?i:shelled)|\bstruck\b")
    text = "SHELLED at dawn"
    assert rx.search(text)
    assert _may_match(AllOfGates([rx]), text) == {0}


@pytest.mark.parametrize("pattern", [r"\w+", r"[a-z]{3}", r"(?:a|)b"])
def test_unbounded_patterns_may_match_anywhere(pattern):
    gates = AllOfGates([re.compile(pattern)])
    assert _may_match(gates, "xyz") == {0} and _may_match(gates, "xyz", 1, 1) == {0}


def test_a_short_string_nested_in_a_long_one_is_seen():
    # "air strike" holds "strike": a span that cuts the long one still holds the short one
    rx = re.compile(r"\bair\s+strikes?\b|\bstrikes?\b", re.I)
    gates = AllOfGates([rx])
    text = "An air strike hit."
    assert rx.search(text, 4, len(text)).group(0) == "strike"
    assert _may_match(gates, text, 4) == {0}
    assert not _may_match(gates, text, 0, 12)  # "An air strik": no whole string inside


def test_gates_wait_until_enough_text_was_seen():
    rx = re.compile(r"\bshelled\b", re.I)
    gates = AllOfGates([rx], build_after=30)
    assert gates.scan("Nothing here at all.") is None  # 20 characters: not built yet
    assert gates.candidates(None, 0, 20) == (0,)  # so everything may match
    assert not _may_match(gates, "Still nothing to see here.")  # 46 in all: built now
    assert _may_match(gates, "They shelled it.") == {0}


def test_a_word_start_in_the_pattern_is_kept():
    word = AllOfGates([re.compile(r"\bhit\b", re.I)])
    anywhere = AllOfGates([re.compile(r"hit", re.I)])
    text = "A white van."
    assert not _may_match(word, text)  # "hit" of "white" cannot start \bhit
    assert _may_match(anywhere, text) == {0} and re.search("hit", text)
    dash = AllOfGates([re.compile(r"\b-hit\b")])  # \b before "-" wants a word character before it
    assert _may_match(dash, "x-hit") == {0}
    assert not _may_match(AllOfGates([re.compile(r"\bhit")]), "_hit") and not re.search(r"\bhit", "_hit")


def test_gated_event_searches_agree_with_the_plain_ones(monkeypatch):
    # event extraction skips the trigger searches and the actor searches where the gates say they
    # cannot match; with the gates not built it searches everything: same answers
    from geo.parse import _scan, claims, cues

    texts = TEXTS + ["Ukrainian forces shelled it and Putin spoke.", "xRussian troops moved; aPutin left."]
    patterns = [*(t.pattern for t in TRIGGERS), cues.DEMONYM_AGENT, cues.LEADER]
    gates, never = AllOfGates(patterns), AllOfGates(patterns, build_after=10 ** 12)
    rnd = random.Random(5)
    cases = [(text, s, e) for text in texts for s, e in _spans(text, rnd)]
    cases += [(texts[-1], 1, 30), (texts[-1], 24, 35)]  # clauses cut out of the middle of a word
    gated, skipped = [], 0
    for text, s, e in cases:
        text_gates = _scan.TextGates(text, gates)
        monkeypatch.setattr(claims, "text_gates", lambda t, g=text_gates: g)
        gated.append((claims.clause_actors(text, s, e, []), _scan.has_trigger(text, text_gates, s, e)))
        cands = text_gates.candidates(s, e)
        for i, rx in enumerate(patterns):  # a pattern left out cannot match
            if i not in cands:
                skipped += 1
                assert rx.search(text, s, e) is None, (i, text[s:e])
    for (text, s, e), (actors, has) in zip(cases, gated):
        plain = _scan.TextGates(text, never)
        assert not plain.built
        monkeypatch.setattr(claims, "text_gates", lambda t, g=plain: g)
        assert actors == claims.clause_actors(text, s, e, []), text[s:e]
        assert has == bool(ANY_TRIGGER.search(text, s, e)), text[s:e]
    assert skipped > 10000
    assert sum(bool(a) for a, _ in gated) > 50 and sum(h for _, h in gated) > 500  # both exercised
    assert gated[-2][0] == ["Russia"] and gated[-1][0] == ["Russia"]


def test_narrowed_searches_find_the_same_match():
    # where the gates let only some of a trigger's alternatives through, events search with
    # those alone: the same match (start, end, words) as the whole trigger, or none as well
    from geo.parse import _scan, cues

    patterns = [*(t.pattern for t in TRIGGERS), cues.DEMONYM_AGENT, cues.LEADER]
    gates = AllOfGates(patterns)
    rnd = random.Random(8)
    narrowed = hits = 0
    for text in TEXTS:
        text_gates = _scan.TextGates(text, gates)
        for s, e in _spans(text, rnd):
            passing = text_gates._passing(s, e)  # the range searched next: narrowed
            for i in passing:
                if i >= len(TRIGGERS):
                    continue
                narrowed += passing[i] is not None
                fast, plain = text_gates.search(i, s, e), TRIGGERS[i].pattern.search(text, s, e)
                hits += plain is not None
                assert (fast and (fast.span(), fast.group(0))) == (plain and (plain.span(), plain.group(0)))
    assert narrowed > 500 and hits > 500


def test_one_alternative_keeps_what_surrounds_the_alternation():
    from geo.parse._gates import alternative

    rx = re.compile(r"\b(?:ab|a)c|\bshelled\b|\ba(?:bc)?", re.I)
    assert AllOfGates([rx]).search(0, (0, 2), "x abc", 0, 5).group(0) == rx.search("x abc").group(0) == "abc"
    assert alternative(rx, 2).search("x abc").group(0) == "abc"
    assert alternative(rx, 1).search("They SHELLED it").group(0) == "SHELLED"
    assert alternative(rx, 1).search("unshelled") is None  # the shared \b before the alternation stays


def test_alternatives_searched_one_by_one_agree_with_the_whole_pattern():
    # the leftmost match wins; at one position the alternative written first, as in the pattern
    rx = re.compile(r"\bab|\bshelled\b|\babc|\bx", re.I)
    gates = AllOfGates([rx])
    assert gates.search(0, (0, 2), "so abc", 0, 6).group(0) == rx.search("so abc").group(0) == "ab"
    assert gates.search(0, (2,), "so abc", 0, 6).group(0) == "abc"
    assert gates.search(0, (1, 2), "so abc shelled", 0, 14).group(0) == "abc"
    assert gates.search(0, (1, 3), "x shelled", 0, 9).group(0) == rx.search("x shelled").group(0) == "x"
    assert gates.search(0, (1,), "so abc", 0, 6) is None


def test_all_of_gates_need_both_words():
    rx = re.compile(r"\bcivilians?\b[^.]{0,40}\b(?:killed|wounded)\b|\bshelled\b", re.I)
    gates = AllOfGates([rx])
    for text, may in [("Civilians were killed.", True), ("Soldiers were killed.", False),
                      ("Civilians fled.", False), ("They shelled it.", True)]:
        assert bool(gates.candidates(gates.scan(text), 0, len(text))) == may == bool(rx.search(text)), text


def test_lone_surrogates_are_scanned_as_no_character():
    # parse_text may be given them (JSON "\ud800" escapes); the scan reads UTF-8, which has none
    patterns = [t.pattern for t in TRIGGERS]
    gates = AllOfGates(patterns)
    text = "Shelling \ud800hit the city\udfff; two civilians were killed \ud83d near a school."
    plain = text.replace("\ud800", "\ufffd").replace("\udfff", "\ufffd").replace("\ud83d", "\ufffd")
    assert gates.scan(text) == gates.scan(plain)
    found = _may_match(gates, text)
    assert {i for i, p in enumerate(patterns) if p.search(text)} <= found
    assert found



def test_a_long_report_with_lone_surrogates_still_gives_its_events(gazetteer):
    # long enough for the gates to be built: the path the scan above guards
    from geo.parse.pipeline import parse_text

    text = "Russian artillery shelled Kharkiv \ud800 overnight. " + "Nothing else happened. " * 2500
    result = parse_text(text, gazetteer=gazetteer)
    assert [(e.event_type, e.place) for e in result.events][:1] == [("strike", "Kharkiv")]
