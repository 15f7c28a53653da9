"""Names a report puts on the map that the gazetteer cannot place: kept, never guessed.

The detector is the online geocoder's (``geo.gazetteer.candidates.unresolved_candidates``):
a capitalised name governed by a locative phrase ("near Zzyxivka", "in the village of
Zzyxivka") or followed by the oblast, raion or hromada it lies in ("Zzyxivka, Donetsk
oblast"), that no resolved place covers.  Sentence-initial words, actors, months,
titles and organisations are not candidates.
"""

from __future__ import annotations

import bisect
import dataclasses
from collections.abc import Sequence

from geo.gazetteer.candidates import unresolved_candidates
from geo.parse.bracket_units import russian_district_in_brackets
from geo.lexicon import COMPOUND_FIRST_WORDS, GENERIC_WORDS
from geo.records import Event, Place, Unresolved

# a building, a street or a body, capitalised in a report ("near Kindergarten No. 5",
# "at Westpine Middle School"), or a month's abbreviation ("in the Oct. 14 effort"): no settlement
_NOT_SETTLEMENTS = GENERIC_WORDS | frozenset(
    "ministry kindergarten school lyceum gymnasium clinic surgery plant factory station church "
    "cathedral market mall stadium bridge embassy office headquarters government parliament "
    "council administration court prison police army navy front sector hotel library hall "
    "road street avenue drive way lane square park class competition battle "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_ADJECTIVE_ENDINGS = ("ian", "ese", "ish", "ean")  # Egyptian, Chinese, Turkish, European


def _settlement_like(name: str) -> bool:
    words = name.lower().split(" ")
    if any(w in _NOT_SETTLEMENTS for w in words):
        return False
    return len(words) > 1 or not words[0].endswith(_ADJECTIVE_ENDINGS)


def without_cut_names(text: str, places: Sequence[Place]) -> list[Place]:
    """``places`` without a small place read from the second word of a two-word name that
    nothing matched whole: "Loknya" of "Malaya Loknya" (a Kursk oblast village the gazetteer
    lacks) is no Loknya of Pskov oblast; the whole name is then listed as unresolved."""
    out = []
    for p in places:
        i = p.start - 1
        if p.kind == "city" and i > 1 and text[i] == " ":
            j = i
            while j > 0 and text[j - 1].isalpha():
                j -= 1
            word = text[j:i]
            if word[:1].isupper() and word.lower() in COMPOUND_FIRST_WORDS and (j == 0 or not text[j - 1].isalnum()):
                continue
        out.append(p)
    return out


def unresolved_mentions(text: str, places: Sequence[Place]) -> tuple[Unresolved, ...]:
    """Every unplaced name of ``text``, in text order, one record per mention."""
    return tuple(Unresolved(c.name, c.start, c.end) for c in unresolved_candidates(text, places)
                 if _settlement_like(c.name) and not russian_district_in_brackets(text, c.start, c.end))


def with_unresolved(events: Sequence[Event], unresolved: Sequence[Unresolved]) -> tuple[Event, ...]:
    """``events``, each carrying the unplaced names of its own sentence (``Event.unresolved``).

    The analyst pinning "Zzyxivka" moves the events of the sentence that named it.
    """
    if not unresolved:
        return tuple(events)
    starts = [u.start for u in unresolved]
    out = []
    for ev in events:
        i = bisect.bisect_left(starts, ev.start)
        names = []
        while i < len(unresolved) and unresolved[i].end <= ev.end:
            if unresolved[i].text not in names:
                names.append(unresolved[i].text)
            i += 1
        out.append(dataclasses.replace(ev, unresolved=tuple(names)) if names else ev)
    return tuple(out)
