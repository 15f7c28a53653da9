"""Villages of a Russian or Belarusian region that the gazetteer does not hold.

"Fighting continued near Sverdlikovo and Nikolaevo-Darino, Kursk Oblast": the gazetteer
holds Russia's towns, not every Russian village, so "Sverdlikovo" matched only a
Ukrainian namesake 600 km away.  A name written just before a region of Russia or Belarus,
whose every reading is a small settlement and none lies in that region (a Ukrainian
village, or a Bulgarian one for "Nikolaevo"), is a village of that region that the tables
lack: it is left unresolved (the unresolved-name list keeps its text), and the events
fall back on the region, drawn as approximate.  So is a name written after the region
and its word for villages: "the Kursk Oblast border village of Plekhovo".
"""

from __future__ import annotations

import functools
import re

import numpy as np

from geo.gazetteer.loader import Gazetteer
from geo.records import Mention

_GAP = re.compile(
    r"[ \t]*(?:(?:,|\(|-[\w'’]+(?![\w'’])|(?:and|or|in|of|the)(?![\w'’])|[A-Z][\w'’]*(?:-[\w'’]+)*(?![\w'’-]))[ \t]*)*")
"""What may stand between a village and the region after it: commas, "and", "in the", and
other capitalised names (villages the gazetteer lacks too).  Each piece ends where a word
does, and spaces only follow a piece, so a long gap that does not fit fails at once."""
_LONGEST_GAP = 200

_VILLAGES_OF = re.compile(
    r"(?:[ \t]+(?:oblast|region|province))?(?:['’]s)?[ \t]+(?:[\w-]+[ \t]+){0,2}?(?:villages?|towns?|settlements?|"
    r"hamlets?)[ \t]+(?:of[ \t]+)?", re.I)
"""What comes between a region and the villages it is written before: "... Oblast border village of"."""

_ACROSS_THE_BORDER = ("RU.", "BY.")
"""The regions read so: those of the countries the war crosses into (Kursk, Belgorod, Bryansk
oblasts).  Elsewhere a town before its state ("Dunbar, West Virginia") keeps its namesake."""

SMALL = 50_000
"""A Ukrainian place this big is named for itself, whatever region follows it."""


@functools.lru_cache(maxsize=4)
def _admin1_rows(gaz: Gazetteer) -> frozenset[int]:
    return frozenset(np.flatnonzero(gaz.kind == "admin1").tolist())


def _foreign_region(gaz: Gazetteer, m: Mention, units: frozenset[int]) -> str | None:
    """The admin-1 code of the Russian or Belarusian region the mention names ("Kursk Oblast",
    "Belgorod region"), if it names one (``units``: the gazetteer's admin-1 rows)."""
    if not m.candidates or (m.kind_hint != "admin1" and not all(r in units for r in m.candidates)):
        return None  # most mentions: a town, read no further
    codes = {str(gaz.admin1[r]) for r in m.candidates}
    code = codes.pop() if len(codes) == 1 else None
    return code if code is not None and code.startswith(_ACROSS_THE_BORDER) else None


def _small_elsewhere(gaz: Gazetteer, m: Mention, region: str) -> bool:
    """Whether every reading of ``m`` is a small settlement outside ``region``."""
    return bool(m.candidates) and m.kind_hint is None and all(
        gaz.kind[r] == "city" and int(gaz.population[r]) < SMALL and str(gaz.admin1[r]) != region
        for r in m.candidates)


def without_villages_abroad(text: str, mentions: list[Mention], gaz: Gazetteer
                            ) -> tuple[list[Mention], list[tuple[int, int]]]:
    """``mentions`` without the names read as Ukrainian villages that the text puts in a
    region of another country (see the module's docstring), and those names' spans: a
    spelling lookup later must not read them as Ukrainian villages again."""
    drop: set[int] = set()
    units = _admin1_rows(gaz)
    for j, region_mention in enumerate(mentions):
        region = _foreign_region(gaz, region_mention, units)
        if region is None:
            continue
        upto, k = region_mention.start, j - 1
        while k >= 0 and upto - mentions[k].end <= _LONGEST_GAP and _GAP.fullmatch(text, mentions[k].end, upto):
            if _small_elsewhere(gaz, mentions[k], region):
                drop.add(k)
            upto, k = mentions[k].start, k - 1
        # "the Kursk Oblast border village of Plekhovo", "Belgorod Oblast's villages of A and B"
        lead = _VILLAGES_OF.match(text, region_mention.end)
        since, k = (lead.end(), j + 1) if lead else (None, len(mentions))
        while k < len(mentions) and mentions[k].start - since <= _LONGEST_GAP \
                and _GAP.fullmatch(text, since, mentions[k].start):
            if _small_elsewhere(gaz, mentions[k], region):
                drop.add(k)
            since, k = mentions[k].end, k + 1
    if not drop:
        return mentions, []
    return [m for i, m in enumerate(mentions) if i not in drop], [(mentions[i].start, mentions[i].end) for i in sorted(drop)]


def outside(places: list, spans: list[tuple[int, int]]) -> list:
    """``places`` (anything with ``start`` and ``end``) that overlap none of ``spans``."""
    return [p for p in places if not any(s < p.end and p.start < e for s, e in spans)]
