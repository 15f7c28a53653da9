"""The other places a name may mean, when resolution had a real choice to make.

"Mykhailivka" names over a hundred villages: the resolver picks one, its confidence
says how sure that pick is, and the place record lists the runners-up an analyst
would check next (``Place.alternatives``, the ``alternatives`` of a place in the
result's JSON, see docs/contract.md).

A runner-up is listed when its own share of the softmax (the confidence it would have
had if chosen) is at least ``MIN_SHARE`` and at least ``RELATIVE_SHARE`` of the
winner's: a name read with confidence 0.95 lists nothing, one read with 0.3 lists
the namesakes that came close.  A row at the winner's point (the same place twice in
the tables) is not an alternative.  At most ``MAX_ALTERNATIVES`` are listed, best
first; each is worked out once per candidate set and context, never per mention.
"""

from __future__ import annotations

import functools
from typing import Any

from geo.gazetteer.loader import Gazetteer

MAX_ALTERNATIVES = 3
MIN_SHARE = 0.02
RELATIVE_SHARE = 0.2
SAME_PLACE_DEG = 0.03
"""Rows this close in latitude and longitude (about 3 km) are one place."""


def runners_up(rows: list[int], lats: list[float], lons: list[float], soft: list[float], best: int,
               total: float) -> tuple[tuple[int, float], ...]:
    """``(row, share)`` of the plausible alternatives to ``rows[best]``, best first.

    ``soft``: each row's unnormalised softmax term, in the order of ``rows``; ``total``
    their sum.
    """
    top = soft[best]
    floor = max(MIN_SHARE * total, RELATIVE_SHARE * top)
    if total - top < floor:
        return ()  # the commonest case: the rest together fall short of one runner-up
    picked = [i for i, s in enumerate(soft) if s >= floor and i != best]
    if not picked:
        return ()
    picked.sort(key=soft.__getitem__, reverse=True)
    out: list[tuple[int, float]] = []
    seen = [(lats[best], lons[best])]
    for i in picked:
        lat, lon = lats[i], lons[i]
        if any(abs(lat - a) < SAME_PLACE_DEG and abs(lon - b) < SAME_PLACE_DEG for a, b in seen):
            continue
        seen.append((lat, lon))
        out.append((rows[i], soft[i] / total))
        if len(out) == MAX_ALTERNATIVES:
            break
    return tuple(out)


def alternative_records(gaz: Gazetteer, alts: tuple[tuple[int, float], ...]) -> tuple[dict[str, Any], ...]:
    """The alternatives as the place record lists them (read-only dicts)."""
    return tuple(_record(gaz, row, round(share, 3)) for row, share in alts)


@functools.lru_cache(maxsize=16384)
def _record(gaz: Gazetteer, row: int, share: float) -> dict[str, Any]:
    return {"name": str(gaz.name[row]), "admin1": _admin1_name(gaz, str(gaz.admin1[row])),
            "country_code": str(gaz.cc[row]), "gazetteer_id": str(gaz.gid[row]),
            "lat": round(float(gaz.lat[row]), 5), "lon": round(float(gaz.lon[row]), 5),
            "confidence": share}


@functools.lru_cache(maxsize=4096)
def _admin1_name(gaz: Gazetteer, code: str) -> str | None:
    """The first-level unit's name (``UA.08``: "Khersonska oblast"), ``None`` when unknown."""
    row = gaz.admin1_row(code) if code and "." in code else None
    return None if row is None else str(gaz.name[row])
