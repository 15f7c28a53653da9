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
from geo.parse.triggers import TRIGGERS


@functools.lru_cache(maxsize=1)
def _trigger_gates():
    from geo.parse._gates import Gates

    return Gates([*(t.pattern for t in TRIGGERS), DEMONYM_AGENT, LEADER])


# where, after the triggers, the gates keep the actor patterns
DEMONYM_AT, LEADER_AT = len(TRIGGERS), len(TRIGGERS) + 1
N_TRIGGERS = len(TRIGGERS)

_LAST_HITS = threading.local()


def text_gates(text: str):
    """The gates' answers for ``text`` (``geo.parse._gates.TextGates``: ``candidates(start, end)``
    and ``search(i, start, end)``), kept for the text last asked about, per thread."""
    last = getattr(_LAST_HITS, "value", None)
    if last is None or last.text is not text:
        last = _LAST_HITS.value = _trigger_gates().for_text(text)
    return last


def has_trigger(text: str, gates, start: int, end: int) -> bool:
    """Whether any trigger matches in ``text[start:end]``: ``ANY_TRIGGER.search``, faster.

    A match of the union is a match of one of its parts, so each trigger whose
    gate lets the span through is searched on its own, up to the first that
    matches.
    """
    return gates.any_below(N_TRIGGERS, start, end)


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
        pos = max(m.end(), m.start() + 1)
        while pos < end and (m := gates.search_from(i, pos, end)) is not None:
            out.append((i, m))
            pos = max(m.end(), m.start() + 1)
    return out
