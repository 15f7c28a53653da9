"""Namesake villages told apart by the other places a report names.

"Russian forces shelled Khutoro-Hubynykha, Dmytrivka and Spaske": of Ukraine's 80
Dmytrivkas, the one 5 km from the other two is meant, though a bigger one lies in Odesa
oblast.  A report lists places that lie near each other, so each Ukrainian settlement a
name may be scores more the closer it lies to a settlement each *other* name of the text
may be (:func:`support`).  The resolver adds the result to a name's rows
(:func:`with_support`), after the rules that read a unit or a nearby town.

Like ``geo.parse.front``, the bonus only reorders Ukraine's settlements of one name: every
Ukrainian row is then moved alike so that the best of them scores what it did, and the
choice between Ukraine and a foreign namesake never changes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence

from geo.gazetteer.loader import Gazetteer
from geo.names import normalise
from geo.parse.units import km_between
from geo.records import Mention

WEIGHT = 2.0
"""What a settlement gains for another name of the text placed right beside it: enough,
with two such names, to outweigh a namesake a few thousand people bigger (log10 of people)."""
CLOSE_KM = 12.0
"""The distance over which that gain falls to a third."""
MAX_SUPPORT = 2.0
"""At most two names' worth: a long list of villages does not drown the rest."""
MAX_NAMES = 60
"""A text naming more places than this is a list or a log: its names are not read together."""
_CELL = 0.25  # degrees: a cell and its eight neighbours hold everything within about 27 km


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return int(math.floor(lat / _CELL)), int(math.floor(lon / _CELL))


def support(gaz: Gazetteer, mentions: Iterable[Mention]) -> dict[int, float]:
    """Row to its bonus, for the Ukrainian settlements of each name of ``mentions`` that has
    more than one: ``WEIGHT`` times the sum, over the text's other names, of
    ``exp(-d / CLOSE_KM)`` where ``d`` is the distance to that name's nearest settlement
    (at most ``MAX_SUPPORT`` names' worth).  Empty when no name has a choice to make."""
    names: dict[str, list[int]] = {}
    for m in mentions:
        if m.kind_hint is not None or not m.candidates:
            continue
        key = normalise(m.lemma or m.text)
        if key not in names:
            # a name that is an oblast's too ("Zaporozhye") often stands for the oblast: no neighbour
            names[key] = [] if any(gaz.kind[r] == "admin1" for r in m.candidates) else \
                [r for r in m.candidates if gaz.kind[r] == "city" and gaz.cc[r] == "UA"]
    names = {k: rows for k, rows in names.items() if rows}
    if len(names) < 2 or len(names) > MAX_NAMES or all(len(rows) < 2 for rows in names.values()):
        return {}
    grid: dict[tuple[int, int], list[tuple[int, float, float]]] = defaultdict(list)
    keys = list(names)
    for n, k in enumerate(keys):
        for r in names[k]:
            lat, lon = float(gaz.lat[r]), float(gaz.lon[r])
            grid[_cell(lat, lon)].append((n, lat, lon))
    # two spellings of one place (Karlivka, Karlovka) share rows: they are one name, not neighbours
    row_sets = [set(names[k]) for k in keys]
    out: dict[int, float] = {}
    for n, k in enumerate(keys):
        if len(names[k]) < 2:
            continue
        same = {o for o, rows in enumerate(row_sets) if o == n or not rows.isdisjoint(row_sets[n])}
        for r in names[k]:
            lat, lon = float(gaz.lat[r]), float(gaz.lon[r])
            ci, cj = _cell(lat, lon)
            nearest: dict[int, float] = {}
            for di in (-1, 0, 1):
                for dj in (-1, 0, 1):
                    for other, olat, olon in grid.get((ci + di, cj + dj), ()):
                        if other not in same:
                            d = km_between(lat, lon, olat, olon)
                            if d < nearest.get(other, math.inf):
                                nearest[other] = d
            if nearest:
                total = sum(math.exp(-d / CLOSE_KM) for d in nearest.values())
                out[r] = WEIGHT * min(total, MAX_SUPPORT)
    return out


def with_support(gaz: Gazetteer, rows: Sequence[int], scores: list[float], bonus: dict[int, float]) -> list[float]:
    """``scores`` of a name's rows with each row's bonus added, then every Ukrainian settlement
    moved alike to keep the best Ukrainian score."""
    if not bonus or not any(r in bonus for r in rows):
        return scores
    ua = [gaz.kind[r] == "city" and gaz.cc[r] == "UA" for r in rows]
    moved = [s + bonus.get(r, 0.0) if u else s for s, r, u in zip(scores, rows, ua)]
    lift = max(s for s, u in zip(scores, ua) if u) - max(s for s, u in zip(moved, ua) if u)
    return [s + lift if u else s for s, u in zip(moved, ua)]
