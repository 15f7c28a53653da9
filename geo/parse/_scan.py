"""Speed only: where each trigger (then a demonym agent, a leader) may match in a text.

``geo.parse._gates`` finds the words every match of a trigger must contain,
so a span holding none of them is not searched (the regex search of every
sentence was half the parse time).  Nothing here changes what is found.
"""

from __future__ import annotations

import functools
import re
import threading

from geo.parse.cues import DEMONYM_AGENT, LEADER
from geo.parse.triggers import ANY_TRIGGER, TRIGGERS


@functools.lru_cache(maxsize=1)
def _trigger_gates():
    from geo.parse._gates import AllOfGates

    # built once this process has parsed 50,000 characters: one short report stays quick
    return AllOfGates([*(t.pattern for t in TRIGGERS), DEMONYM_AGENT, LEADER], build_after=50_000)


# where, after the triggers, the gates keep the actor patterns
DEMONYM_AT, LEADER_AT = len(TRIGGERS), len(TRIGGERS) + 1
N_TRIGGERS = len(TRIGGERS)

_LAST_HITS = threading.local()


class TextGates:
    """The gates' answers for one text, with the trigger searches already made in it.

    ``candidates(start, end)``: the indices of the patterns (the triggers, then
    the demonym agent and the leader) that may match in ``text[start:end]``,
    in order.  ``search(i, start, end)``: ``TRIGGERS[i].pattern.search`` over
    the range, remembered (the sentence test and its clauses ask again).  For
    the range last asked about, it searches only the trigger's alternatives
    the gates let through, one by one, which finds the same match (a trigger of
    many alternatives, one of them likely, took a tenth of a millisecond a
    sentence).  ``built``: whether the gates rule anything out yet.
    """

    __slots__ = ("text", "built", "_gates", "_scan", "_memo", "_last_range", "_last_passing")

    def __init__(self, text: str, gates):
        self.text, self._gates, self._memo = text, gates, {}
        self._scan = gates.scan(text)
        self.built = self._scan is not None
        self._last_range = self._last_passing = None

    def _passing(self, start: int, end: int) -> dict[int, tuple[int, ...] | None]:
        if self._last_range != (start, end):
            self._last_range, self._last_passing = (start, end), self._gates.passing(self._scan, start, end)
        return self._last_passing

    def candidates(self, start: int, end: int):
        return self._passing(start, end).keys()

    def search(self, i: int, start: int, end: int) -> re.Match | None:
        key = (i, start, end)
        try:
            return self._memo[key]
        except KeyError:
            keep = self._last_passing.get(i) if self._last_range == (start, end) else None
            m = self._memo[key] = self._gates.search(i, keep, self.text, start, end)
            return m


def text_gates(text: str) -> TextGates:
    """The gates for ``text``, kept for the text last asked about, per thread."""
    last = getattr(_LAST_HITS, "value", None)
    if last is None or last.text is not text:
        last = _LAST_HITS.value = TextGates(text, _trigger_gates())
    return last


def has_trigger(text: str, gates: TextGates, start: int, end: int) -> bool:
    """Whether any trigger matches in ``text[start:end]``: ``ANY_TRIGGER.search``, faster.

    A match of the union is a match of one of its parts, so each trigger whose
    gate lets the span through is searched on its own, up to the first that
    matches.
    """
    if not gates.built:  # gates not built yet: one pass of the union
        return ANY_TRIGGER.search(text, start, end) is not None
    return any(gates.search(i, start, end) for i in gates.candidates(start, end) if i < N_TRIGGERS)


def trigger_matches(text: str, start: int, end: int) -> list[tuple[int, re.Match]]:
    """Every match of every trigger in ``text[start:end]``, as (trigger index, match).

    The first match of each trigger comes from the gates; only a trigger that
    matched once is searched again after it.
    """
    gates = text_gates(text)
    out = []
    for i in gates.candidates(start, end):
        if i >= N_TRIGGERS:
            continue
        m = gates.search(i, start, end)
        if m is None:
            continue
        out.append((i, m))
        pattern = TRIGGERS[i].pattern
        pos = max(m.end(), m.start() + 1)
        while pos < end and (m := pattern.search(text, pos, end)) is not None:
            out.append((i, m))
            pos = max(m.end(), m.start() + 1)
    return out
