"""Where the war is fought, as a tie-breaker among Ukraine's namesake villages.

A one-line note ("Shelling near Novoselivka") names one of dozens of villages. With no
oblast, raion or nearby place to choose by, the one where the fighting is is the
likelier, so the others score lower:

- always, a village outside the raions the war has been fought in (the gazetteer's
  ``war_zone``, from ``data/ua_war_raions.csv``): :func:`front_first`;
- when the intake knows the occupied area on the report's day (the store's control
  layers, see ``geo.intake.service.fighting_from``), a village farther than ``FRONT_KM``
  from it: :class:`Fighting`.

Both lower villages only (places of ``VILLAGE_SIZE`` people or more are known by their
size), and both then raise every Ukrainian settlement of the name alike so that the best
of them scores what it did: the order among Ukraine's settlements changes, never the
choice between Ukraine and a foreign namesake. A named unit or a nearby place outweighs
either (``geo.parse.resolve``: 4 for a unit, up to 4 for nearness).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.gazetteer.loader import Gazetteer

LOWER = -0.8
"""What a village away from the fighting loses: less than a village's size where GeoNames
knows it (log10 of people; most hamlets have none)."""
VILLAGE_SIZE = 1_000
FRONT_KM = 30.0
"""How far from the occupied area a village still counts as where the fighting is."""
_LON_SCALE = math.cos(math.radians(48.5))  # a degree of longitude at Ukraine's middle, in degrees of latitude
_KM_PER_DEGREE = 111.2


def _villages(gaz: Gazetteer, rows: Sequence[int]) -> tuple[list[bool], list[bool]]:
    """For each row: whether it is a Ukrainian settlement, and whether a small one."""
    ua = [gaz.kind[r] == "city" and gaz.cc[r] == "UA" for r in rows]
    return ua, [u and gaz.population[r] < VILLAGE_SIZE for r, u in zip(rows, ua)]


def lowered(scores: list[float], ua: list[bool], lower: list[bool]) -> list[float]:
    """``scores`` with the rows of ``lower`` ``LOWER`` less, then every Ukrainian row (``ua``)
    raised alike to keep the best Ukrainian score."""
    if not any(lower) or all(lower[i] for i, u in enumerate(ua) if u):
        return scores  # nothing to set apart among Ukraine's settlements
    moved = [s + LOWER if b else s for s, b in zip(scores, lower)]
    lift = max(s for s, u in zip(scores, ua) if u) - max(s for s, u in zip(moved, ua) if u)
    return [s + lift if u else s for s, u in zip(moved, ua)]


def front_first(gaz: Gazetteer, rows: Sequence[int], scores: list[float]) -> list[float]:
    """``scores`` of a name's rows with its villages outside the war's raions set back, when one
    of its rows lies inside them."""
    if len(rows) < 2 or not gaz.war_zone[list(rows)].any():
        return scores
    ua, small = _villages(gaz, rows)
    return lowered(scores, ua, [s and not gaz.war_zone[r] for r, s in zip(rows, small)])


class Fighting:
    """The occupied area on a report's day, asked which of a name's villages lie near it."""

    def __init__(self, occupied: BaseGeometry):
        # lon/lat scaled so that both degrees are alike long: a distance in degrees is
        # then a distance in km over 111 (to a few per cent across Ukraine)
        self._area = shapely.transform(occupied, lambda xy: xy * np.array([_LON_SCALE, 1.0]))
        shapely.prepare(self._area)

    def near(self, lats: Sequence[float], lons: Sequence[float]) -> list[bool]:
        """Whether each point lies within ``FRONT_KM`` of the occupied area (or in it)."""
        points = shapely.points(np.asarray(lons, dtype=float) * _LON_SCALE, np.asarray(lats, dtype=float))
        return shapely.dwithin(self._area, points, FRONT_KM / _KM_PER_DEGREE).tolist()

    def weigh(self, gaz: Gazetteer, rows: Sequence[int], lats: Sequence[float], lons: Sequence[float],
              scores: list[float]) -> list[float]:
        """``scores`` of a name's rows with its villages away from the fighting set back."""
        ua, small = _villages(gaz, rows)
        if sum(ua) < 2 or not any(small):
            return scores
        near = self.near(lats, lons)
        return lowered(scores, ua, [s and not n for s, n in zip(small, near)])
