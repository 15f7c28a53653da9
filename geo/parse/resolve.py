"""Resolution: ``Mention`` spans to ``Place`` records with geometry.

Each candidate row is scored on population, feature kind, whether it was
matched by its own name or only an alternate one, the document's country
context, and closeness to the other places the document names.  The
confidence of a place is the softmax share of its winning score.
"""

from __future__ import annotations

import functools
import math
import re
import statistics
from collections import Counter

import numpy as np
import pandas as pd

from geo.gazetteer.loader import Gazetteer
from geo.gazetteer.regions import is_region, member_units
from geo.names import normalise
from geo.parse.alternatives import RELATIVE_SHARE, alternative_records, runners_up
from geo.parse.spelling_share import alias_weight as _alias_weight
from geo.parse.units import (border_place, border_scopes, distances_km, in_local_unit, may_lie_near,
                             near_scopes, unit_scopes)
from geo.parse.front import Fighting, front_first
from geo.parse.neighbours import support, with_support
from geo.parse.variants import add_variants
from geo.records import Mention, Place
from geo import settings

_KIND_BONUS = {"country": 1.5, "city": 0.0, "admin1": -1.2, "other": -0.5}  # a height yields to a village
_CONTEXT_WEIGHT = 6.0
_NEAR_WEIGHT = 3.0
_ALIAS_PENALTY = 1.2
_NEAR_KM = 500.0
_LOCAL_WEIGHT = 1.0
_LOCAL_KM = 40.0


def _base_score(gaz: Gazetteer, row: int, alias: float, mention: Mention) -> float:
    """``alias``: 0 for a row's own name, 1 for an alternate name, a fraction for a spelling of it."""
    score = math.log10(gaz.population[row] + 10)
    kind = gaz.kind[row]
    score += _KIND_BONUS.get(kind, 0.0)
    if mention.kind_hint == "admin1" and kind == "admin1":
        score += 3.0
    if gaz.capital[row]:
        score += 0.5
    score -= _ALIAS_PENALTY * alias
    return score


class _Candidates:
    """A name's candidate rows with what scoring reads of them, computed once per name."""

    __slots__ = ("rows", "alias", "row_list", "lats", "lons", "base", "base_admin1", "ccs", "admin1s",
                 "countries", "context_pick", "has_country", "is_admin1", "has_admin1", "has_region",
                 "is_unit", "only", "biggest")

    def __init__(self, gaz: Gazetteer, rows: np.ndarray, alias: np.ndarray, key: str | None = None):
        self.rows, self.alias = rows, alias
        rows_l = rows.tolist()
        alias_l = [(_alias_weight(key, gaz.name[r]) if key else 1.0) if a else 0.0
                   for r, a in zip(rows_l, alias.tolist())]
        # plain lists: a set is a few rows, scored with Python floats (see _Chooser)
        self.row_list = rows_l
        self.base = [_base_score(gaz, r, a, _PLAIN) for r, a in zip(rows_l, alias_l)]
        self.base_admin1 = [_base_score(gaz, r, a, _ADMIN1) for r, a in zip(rows_l, alias_l)]
        self.base = front_first(gaz, rows_l, self.base)  # geo.parse.front
        self.base_admin1 = front_first(gaz, rows_l, self.base_admin1)
        self.ccs = [gaz.cc[r] for r in rows_l]
        self.lats, self.lons = gaz.lat[rows].tolist(), gaz.lon[rows].tolist()
        kinds = [gaz.kind[r] for r in rows_l]
        self.admin1s = [gaz.admin1[r] for r in rows_l]
        self.countries = len(set(self.ccs))
        self.biggest = max((int(gaz.population[r]) for r, a in zip(rows_l, alias.tolist())  # by own name only
                            if not a and gaz.cc[r] == "UA" and gaz.kind[r] == "city"), default=0)
        self.context_pick: dict[bool, tuple[str, float]] = {}
        self.has_country = "country" in kinds
        self.is_admin1 = [k == "admin1" for k in kinds]
        self.has_admin1 = any(self.is_admin1)
        self.has_region = any(k in ("admin1", "region") for k in kinds)
        self.is_unit = [k in ("admin1", "country") for k in kinds]
        if sum(self.is_admin1) > 1:  # "Kyiv region": the oblast, not the city's own unit (Kyiv City)
            own = _cities_own_units(gaz, rows_l)
            self.base_admin1 = [s + 3.0 if u and gaz.admin1[r] not in own else s  # the hint's bonus again
                                for s, u, r in zip(self.base_admin1, self.is_admin1, rows_l)]
        # one candidate wins with all of the softmax, whatever the scores
        self.only = (int(rows[0]), 1.0) if len(rows) == 1 else None

    def scores(self, m: Mention) -> list[float]:
        return self.base_admin1 if m.kind_hint == "admin1" else self.base


def _cities_own_units(gaz: Gazetteer, rows) -> set[str]:
    """The admin-1 codes of the cities among a name's rows: Kyiv City's for "Kyiv", a unit of
    its own that "Kyiv region" does not mean when Kyiv oblast is a row of the name too."""
    return {gaz.admin1[r] for r in rows if gaz.kind[r] == "city"}


_PLAIN = Mention("", 0, 0, ())
_ADMIN1 = Mention("", 0, 0, (), "admin1")


def _candidate_set(gaz: Gazetteer, m: Mention) -> _Candidates:
    # by the text alone when it is a name: a name's rows are its key's, whatever rows the
    # mention carries (and hashing those too cost as much as the look-up)
    if m.lemma is not None:  # an inflected name (Києві): its rows came with it
        return _rows_set(gaz, m.candidates)
    return _name_set(gaz, m.text) or _rows_set(gaz, m.candidates)


@functools.lru_cache(maxsize=65536)
def _name_set(gaz: Gazetteer, text: str) -> _Candidates | None:
    """The candidates of the name ``text`` is, or ``None`` if it is no name in the gazetteer."""
    kid = gaz.key_id(normalise(text))
    return None if kid is None else _named_candidates(gaz, kid)


@functools.lru_cache(maxsize=65536)
def _rows_set(gaz: Gazetteer, candidates: tuple[int, ...]) -> _Candidates:
    """A mention's own rows as candidates, when its text is no name (U.S., Ky.)."""
    return _Candidates(gaz, np.array(candidates, dtype="int64"), np.zeros(len(candidates), bool))


@functools.lru_cache(maxsize=65536)
def _named_candidates(gaz: Gazetteer, kid: int) -> _Candidates:
    return _Candidates(gaz, *gaz.entries_for_key(kid), key=gaz.keys[kid])


def _candidates(gaz: Gazetteer, m: Mention) -> tuple[np.ndarray, np.ndarray]:
    c = _candidate_set(gaz, m)
    return c.rows, c.alias


def country_context(gaz: Gazetteer, mentions: list[Mention]) -> Counter:
    """How strongly the text points at each country, from its least ambiguous names."""
    ctx: Counter = Counter()
    for m in mentions:
        if m.kind_hint == "border":
            ctx.update(c for c in m.extra if c)
            continue
        cands = _candidate_set(gaz, m)
        if not len(cands.rows):
            continue
        hint = m.kind_hint == "admin1"
        pick = cands.context_pick.get(hint)
        if pick is None:
            scores = cands.scores(m)
            best = cands.row_list[scores.index(max(scores))]  # the first best, as argmax
            weight = 2.0 if gaz.kind[best] == "country" else 1.0
            pick = cands.context_pick[hint] = (gaz.cc[best], weight / cands.countries)
        ctx[pick[0]] += pick[1]
    return ctx


def _with_default(ctx: Counter) -> Counter:
    """The context names are scored in: when no country has the weight of one name only it
    bears, the default country counts as one ("Zelenodolsk" alone is the Ukrainian town,
    not the bigger Russian one).  Whether raions and spellings are read is not changed."""
    unsettled = ctx and max(ctx.values()) < 1.0
    return ctx + Counter({settings.DEFAULT_COUNTRY: 1.0}) if unsettled else ctx


class _Chooser:
    """The best row for a mention, and its confidence, in one text's context.

    Asked for a list of ``(mention, unit, anchor)``: ``unit`` from ``enclosing_units``,
    ``anchor`` the (lat, lon) the text's other places centre on, or ``None``.  A name
    met again with the same hint, unit and anchor scores the same, so each is scored
    once.

    A candidate set is 2 to 40 rows: as numpy arrays, one set at a time, the per-call
    cost of a dozen small operations was most of the work.  The scores are Python
    floats, added and multiplied in the same order as the arrays were (the same IEEE
    operations, so the same bits); what only numpy computes the same way, the
    distances and the exponentials, is done once for all the sets a list brings.
    """

    def __init__(self, gaz: Gazetteer, ctx: Counter, regions: Counter | None = None,
                 fighting: Fighting | None = None, support: dict[int, float] | None = None):
        self.gaz, self.ctx, self.fighting, self.support = gaz, ctx, fighting, support
        self.total = sum(ctx.values()) or 1.0
        self.region_total = sum(regions.values()) if regions else 0
        # a region of several oblasts (Donbas) the text names counts as naming each of them
        self.regions = regions and sum((Counter(dict.fromkeys(member_units(code), n))
                                        for code, n in regions.items() if is_region(code)), regions)
        self._memo: dict[tuple, tuple[int | None, float]] = {}
        self._close: dict[tuple, tuple] = {}  # a close choice's runners_up arguments, by key
        self._alts: dict[tuple, tuple] = {}
        # each set's scores but the near-places term, by set, hint and unit: a name placed
        # near the other places is first scored without them
        self._scores: dict[tuple, list[float]] = {}

    def runners_up(self, m: Mention, unit: str | None, anchor: tuple[float, float] | None) -> tuple:
        """The ``(row, share)`` runners-up of an ask ``choose`` was given (geo.parse.alternatives)."""
        key = (m.text, m.candidates, m.kind_hint == "admin1", unit, anchor)
        if key not in self._alts:
            close = self._close.get(key)
            self._alts[key] = runners_up(*close) if close else ()
        return self._alts[key]

    def choose(self, asks: list[tuple[Mention, str | None, tuple[float, float] | None]]
               ) -> list[tuple[int | None, float]]:
        """``(row, confidence)`` for each ``(mention, unit, anchor)``; ``(None, 0.0)`` for none."""
        memo = self._memo
        todo: dict[tuple, tuple] = {}
        keys: list[tuple] = []
        same: dict[tuple, tuple] = {}  # one key object a distinct ask: a name may be repeated a million times
        for ask in asks:  # asks may be a generator: read once
            m, unit, anchor = ask
            key = (m.text, m.candidates, m.kind_hint == "admin1", unit, anchor)
            key = same.setdefault(key, key)
            keys.append(key)
            if key not in memo and key not in todo:
                todo[key] = ask
        if todo:
            memo.update(zip(todo, self._score(todo)))
        return [memo[key] for key in keys]

    def _score(self, asks: dict[tuple, tuple]) -> list[tuple[int | None, float]]:
        """The choice for each ask of ``{key: ask}``, in its order."""
        gaz = self.gaz
        out: list[tuple[int | None, float] | None] = [None] * len(asks)
        todo = []  # (index in asks, candidates, mention, unit, anchor) with a choice to make
        for i, (m, unit, anchor) in enumerate(asks.values()):
            cands = _candidate_set(gaz, m)
            if not len(cands.rows):
                out[i] = None, 0.0
            elif unit and unit[0] == "!" and not any(_inside(gaz, r, unit[1:]) for r in cands.row_list):
                out[i] = None, 0.0  # a district of a named city: a namesake elsewhere is not it
            elif unit and unit.startswith("near:") and not any(may_lie_near(gaz, r, unit) for r in cands.row_list):
                out[i] = None, 0.0  # "Chumak, Starobeshivskyi district": no village of the name is near there
            elif cands.only is not None:
                out[i] = _as_unit(gaz, cands, m, *cands.only)
            else:
                todo.append((i, cands, m, unit, anchor))
        if todo:
            keys = list(asks)
            for (i, cands, m, *_), (row, conf, close) in zip(todo, self._score_sets(todo)):
                out[i] = _as_unit(gaz, cands, m, row, conf)
                if close:
                    self._close[keys[i]] = close
        return out

    def _score_sets(self, todo: list[tuple]) -> list[tuple[int, float, tuple | None]]:
        """The best row and its softmax share for each set of two rows or more, and what
        ``runners_up`` reads when the rest of the softmax may hold one."""
        sets = []
        for _, cands, m, unit, _ in todo:
            key = (cands, m.kind_hint == "admin1", unit)
            scores = self._scores.get(key)
            if scores is None:
                scores = self._scores[key] = self._set_scores(cands, m, unit)
            sets.append(scores)
        if any(anchor is not None for _, _, _, _, anchor in todo):
            # the near-places term comes last, as it always did: the order floats are
            # added in is part of the result
            near = self._near([(cands, anchor) for _, cands, _, _, anchor in todo])
            sets = [[s + n for s, n in zip(scores, add)] if add else scores
                    for scores, add in zip(sets, near)]
        tops = [max(scores) for scores in sets]
        soft = np.exp([s - top for scores, top in zip(sets, tops) for s in scores]).tolist()
        out, at = [], 0
        for (_, cands, *_), scores, top in zip(todo, sets, tops):
            best = scores.index(top)  # the first best, as argmax
            mine = soft[at:at + len(scores)]
            total = math.fsum(mine)
            # the rest of the softmax may hold a runner-up (mine[best] is 1: the top's own term)
            close = total - mine[best] >= RELATIVE_SHARE * mine[best]
            out.append((cands.row_list[best], mine[best] / total,
                        (cands.row_list, cands.lats, cands.lons, mine, best, total) if close else None))
            at += len(scores)
        return out

    def _set_scores(self, cands: _Candidates, m: Mention, unit: str | None) -> list[float]:
        """A set's scores from all but the near-places term, in Python floats.

        The same IEEE operations, in the same order, as the numpy arrays the rows
        were once scored in: a few rows a set, too few for numpy's per-call cost to pay.
        """
        ctx, total = self.ctx, self.total
        share = [ctx.get(c, 0.0) / total for c in cands.ccs]
        scores = [s + _CONTEXT_WEIGHT * c for s, c in zip(cands.scores(m), share)]
        # a state of the country the text is about beats a foreign namesake country
        if cands.has_country:
            scores = [s + _HOME_REGION_BONUS if a and c >= 0.5 else s
                      for s, a, c in zip(scores, cands.is_admin1, share)]
        # "Donbas and Zaporizhzhia": the city; "Makiivka, Sumy": the village the text puts in the oblast
        if self.regions and ((unit and unit != "unit") or cands.biggest < _REGIONAL_CENTRE):
            regions, region_total = self.regions, self.region_total
            scores = [s + _REGION_WEIGHT * (regions.get(a, 0) / region_total)
                      for s, a in zip(scores, cands.admin1s)]
        if unit == "unit":
            scores = [s + _UNIT_BONUS if u else s for s, u in zip(scores, cands.is_unit)]
        elif unit and unit[0] == "!":
            # a district of a named city: a namesake elsewhere is not it
            scores = [s if _inside(self.gaz, r, unit[1:]) else -math.inf
                      for s, r in zip(scores, cands.row_list)]
        elif unit:
            scores = [s + _UNIT_BONUS if _inside(self.gaz, r, unit) else s
                      for s, r in zip(scores, cands.row_list)]
        if self.fighting is not None and len(cands.row_list) > 1:
            scores = self.fighting.weigh(self.gaz, cands.row_list, cands.lats, cands.lons, scores)
        if self.support:  # beside the other places the text names (geo.parse.neighbours)
            scores = with_support(self.gaz, cands.row_list, scores, self.support)
        return scores

    def _near(self, sets: list[tuple[_Candidates, tuple[float, float] | None]]) -> list[list[float]]:
        """Each set's near-places term by row (none without an anchor), all in one numpy pass:
        numpy's own arcsin and exp, as math's differ from them in the last bit."""
        lat, lon, row_lat, row_lon = [], [], [], []
        for cands, anchor in sets:
            if anchor is not None:
                lat += [anchor[0]] * len(cands.row_list)
                lon += [anchor[1]] * len(cands.row_list)
                row_lat += cands.lats
                row_lon += cands.lons
        d = distances_km(lat, lon, row_lat, row_lon)
        # and a local term: of two namesakes in one oblast, the one beside the other places
        near = (_NEAR_WEIGHT * np.exp(-d / _NEAR_KM) + _LOCAL_WEIGHT * np.exp(-d / _LOCAL_KM)).tolist()
        out, at = [], 0
        for cands, anchor in sets:
            n = len(cands.row_list) if anchor is not None else 0
            out.append(near[at:at + n])
            at += n
        return out


def _as_unit(gaz: Gazetteer, cands: _Candidates, m: Mention, row: int, conf: float
             ) -> tuple[int, float]:
    """"<city> region" names the unit the city is the centre of, when no unit is called that."""
    if m.kind_hint == "admin1" and not cands.has_admin1:
        unit_row = _centre_unit(gaz, row)
        if unit_row is not None:
            return unit_row, conf
    return row, conf


_APPROXIMATE = 0.5
"""The highest confidence of a place whose point only approximates it."""
_HOME_REGION_BONUS = 1.5
_REGION_WEIGHT = 4.0
_REGIONAL_CENTRE = 250_000  # a Ukrainian city this big keeps its name beside the oblasts a text names
_UNIT_BONUS = 4.0


def _centre_unit(gaz: Gazetteer, row: int) -> int | None:
    """The admin-1 unit a city is the largest place of ("Dnepropetrovsk region": the oblast
    of Dnipro, once called Dnepropetrovsk, as oblasts take their centre's name)."""
    if gaz.kind[row] != "city":
        return None
    code = str(gaz.admin1[row])
    return gaz.admin1_row(code) if _largest_city(gaz).get(code) == row else None


@functools.lru_cache(maxsize=4)
def _largest_city(gaz: Gazetteer) -> dict[str, int]:
    """Each admin-1 code's most populous city row."""
    cities = np.flatnonzero(gaz.kind == "city")
    # the first of the most populous on a tie; grouped by pandas, not by sorting the codes
    # as Python strings
    best = pd.Series(gaz.population[cities], index=cities).groupby(
        gaz.admin1[cities], sort=False, dropna=False).idxmax()
    return {str(code): int(row) for code, row in best.items()}


def _inside(gaz: Gazetteer, row: int, unit: str) -> bool:
    """Whether a row lies in a unit given as an admin-1 code (``US.KY``), a country code,
    Ukrainian raions or hromadas (``raion:UA.05|Покровський``) or near a point
    (``near:lat,lon``; see ``geo.parse.units``)."""
    local = in_local_unit(gaz, row, unit)
    if local is not None:
        return local
    return gaz.admin1[row] in member_units(unit) if "." in unit else gaz.cc[row] == unit  # Donbas: two oblasts


def enclosing_units(gaz: Gazetteer, mentions: list[Mention], ctx: Counter,
                    text: str | None = None) -> dict[int, str]:
    """"Town, State" and "Town, Country": mention index to the unit named right after it.

    The unit's own index maps to ``"unit"``: "Washington" after "Tacoma, " is the state.
    With the ``text``, the two must be joined by a comma or a bracket: "Donetsk oblast.
    Kharkiv was shelled" names the city, in a sentence of its own.
    """
    out: dict[int, str] = {}
    # a text may name the same pair again and again: each unit is worked out once
    seen: dict[tuple, tuple[str, bool] | None] = {}
    for i in range(len(mentions) - 1):
        town, unit = mentions[i], mentions[i + 1]
        gap = 16 if town.kind_hint == "district" else 2  # "Kyiv District, Kharkiv", "... district of Donetsk"
        if unit.start - town.end > gap or town.kind_hint in _SPECIAL or unit.kind_hint in _SPECIAL:
            continue
        if text is not None and not _JOINED.fullmatch(text, town.end, unit.start):
            continue
        key = (town.kind_hint == "district", unit.text, unit.candidates, unit.kind_hint)
        if key not in seen:
            seen[key] = _enclosing_unit(gaz, town, unit)
        found = seen[key]
        if found is not None:
            out[i] = found[0]
            if found[1]:
                out.setdefault(i + 1, "unit")
    return out


def _enclosing_unit(gaz: Gazetteer, town: Mention, unit: Mention) -> tuple[str, bool] | None:
    """The unit ``unit`` names after ``town``, and whether it is a unit (not a city's district)."""
    rows, alias = _candidates(gaz, unit)
    areas = [r for r in rows if gaz.kind[r] in ("admin1", "country")]
    if not areas:
        return None
    if town.kind_hint == "district" and unit.kind_hint is None:
        city = _namesake_city(gaz, rows, alias)
        if city is not None:
            # "Shevchenkivskyi district, Kharkiv": the city itself, and a district of it (near it)
            return f"!near:{float(gaz.lat[city])},{float(gaz.lon[city])}", False
    # a unit that holds none of a known town's namesakes is the next name of a list ("Dnipro,
    # Zaporizhzhia and Kherson"), not where the town is; a name only small places or none
    # bear may be a village the table lacks or misspells ("Snizhnoye, Donetsk"): the unit stays
    towns = _candidates(gaz, town)[0].tolist()
    if any(gaz.population[t] >= _KNOWN_TOWN for t in towns):
        areas = [r for r in areas if any(_inside(gaz, t, _unit_code(gaz, r)) for t in towns)]
        if not areas:
            return None
    if unit.kind_hint == "admin1" and len(areas) > 1:
        own = _cities_own_units(gaz, rows)  # "Kyiv region", "Moscow region": the oblast around the city
        areas = [r for r in areas if _unit_code(gaz, r) not in own] or areas
    row = max(areas, key=lambda r: (gaz.kind[r] == "country", gaz.population[r]))
    return _unit_code(gaz, row), True


_KNOWN_TOWN = 50_000
"""A town this populous is not qualified by a unit it does not lie in."""


def _unit_code(gaz: Gazetteer, row: int) -> str:
    return str(gaz.admin1[row] if gaz.kind[row] == "admin1" else gaz.cc[row])


_SPECIAL = ("border", "capital")
_JOINED = re.compile(r"[^.!?;:\n]*[,(][^.!?;:\n]*")
"""What may stand between a town and the unit after it: a comma or a bracket, no sentence end."""


def _namesake_city(gaz: Gazetteer, rows: np.ndarray, alias: np.ndarray) -> int | None:
    """The city a name names by its own name when the units it names take it only as an alias

    (Kharkiv: the city; Kharkiv Oblast is named after it).
    """
    units = [a for r, a in zip(rows, alias) if gaz.kind[r] in ("admin1", "country")]
    cities = [int(r) for r, a in zip(rows, alias) if gaz.kind[r] == "city" and not a]
    if not cities or not all(units):
        return None
    return max(cities, key=lambda r: gaz.population[r])


def region_context(gaz: Gazetteer, mentions: list[Mention], ctx: Counter,
                   units: dict[int, str]) -> Counter:
    """How often the text names each admin-1 unit (states, and the states of its counties)."""
    regions: Counter = Counter(u for u in units.values() if "." in u and u != "unit")
    # a name none of whose rows is a state or a region can only be placed elsewhere: it is
    # not scored ("<city> region" can be: it may name the state the city is the centre of)
    # a name written again counts again, but is chosen once (a text may repeat one a million times)
    named: Counter = Counter((m.text, m.lemma, m.candidates, m.kind_hint) for m in mentions
                             if m.kind_hint not in _SPECIAL)
    asks = [Mention(text, 0, 0, candidates, hint, lemma=lemma) for text, lemma, candidates, hint in named]
    asks = [m for m in asks if _candidate_set(gaz, m).has_region or m.kind_hint == "admin1"]
    for m, (row, _) in zip(asks, _Chooser(gaz, ctx).choose([(m, None, None) for m in asks])):
        if row is not None and gaz.kind[row] in ("admin1", "region") and gaz.admin1[row]:
            regions[str(gaz.admin1[row])] += named[m.text, m.lemma, m.candidates, m.kind_hint]
    return regions


@functools.lru_cache(maxsize=65536)
def _row_fields(gaz: Gazetteer, row: int) -> tuple:
    return (str(gaz.name[row]), str(gaz.kind[row]), str(gaz.cc[row]), str(gaz.gid[row]),
            round(float(gaz.lat[row]), 5), round(float(gaz.lon[row]), 5))


@functools.lru_cache(maxsize=65536)
def _row_geometry(gaz: Gazetteer, row: int) -> dict:
    # one geometry a row, shared by its places (read-only): a text may name a town a million times
    return gaz.display_geojson(row)


@functools.lru_cache(maxsize=65536)
def _row_point(gaz: Gazetteer, row: int) -> tuple[float, float]:
    return float(gaz.lat[row]), float(gaz.lon[row])


_KIND_PRECISION = {"admin1": "oblast", "country": "country"}


def _place_from_row(gaz: Gazetteer, row: int, m: Mention, confidence: float,
                    precision: str | None = None, alts: tuple = ()) -> Place:
    name, kind, cc, gid, lat, lon = _row_fields(gaz, row)
    return Place(
        name=name, mention=m.text, start=m.start, end=m.end, kind=kind, country_code=cc,
        gazetteer_id=gid, lat=lat, lon=lon, geometry=_row_geometry(gaz, row),
        confidence=round(confidence, 3), precision=precision or _KIND_PRECISION.get(kind, "place"),
        alternatives=alternative_records(gaz, alts) if alts else (),
    )


def main_country(ctx: Counter) -> str:
    """The country the text is mostly about (the configured default if none)."""
    # max: the first of the most common, as most_common(1) gives, without its heap
    return max(ctx, key=ctx.__getitem__) if ctx else settings.DEFAULT_COUNTRY


def resolve_mentions(mentions: list[Mention], gaz: Gazetteer, text: str | None = None) -> list[Place]:
    """Resolve every mention it can; unresolvable mentions are dropped.  With the ``text``
    the mentions were found in, the oblasts, raions and hromadas written around names
    are read too (``geo.parse.units``)."""
    return resolve_with_context(mentions, gaz, text)[0]


ANCHOR_NAMES = 64

# a name's key, by the name as written (a text names the same places again and again)
_name_key = functools.lru_cache(maxsize=65536)(normalise)


def _median_point(pts: list[tuple[float, float]]) -> tuple[float, float] | None:
    # few points a text: plain sorting beats numpy's per-call overhead several times over
    if not pts:
        return None
    return float(statistics.median(p[0] for p in pts)), float(statistics.median(p[1] for p in pts))


def resolve_with_context(mentions: list[Mention], gaz: Gazetteer, text: str | None = None,
                         fighting: Fighting | None = None) -> tuple[list[Place], Counter]:
    """``resolve_mentions``, and the text's country context it used (see ``country_context``);
    ``fighting`` (the occupied area on the report's day, if known: ``geo.parse.front``)."""
    ctx = country_context(gaz, mentions)
    main_cc = main_country(ctx)
    units = enclosing_units(gaz, mentions, ctx, text)
    regions = region_context(gaz, mentions, ctx, units)
    areas: set[int] = set()
    if text is not None and ctx.get("UA"):  # a text naming no place in Ukraine names no raion
        scopes, areas = unit_scopes(text, mentions, gaz)
        units.update(scopes)
    if text is not None and (ctx.get("UA") or not ctx and main_cc == "UA"):
        # spellings no table holds (Snizhnoye, Dontesk), read only where the names missed
        mentions, units, areas = add_variants(text, mentions, gaz, units, areas, regions, main_cc == "UA")
        units.update(near_scopes(text, mentions, gaz, units))  # "X near the town of Y"
        units.update(border_scopes(text, mentions, gaz, units))  # "the border village of X"
    # the places around a name, but not a raion or hromada the text names (only its seat is a point)
    beside = support(gaz, [m for i, m in enumerate(mentions) if i not in areas]) if text and ctx.get("UA") else None
    chooser = _Chooser(gaz, _with_default(ctx), regions, fighting, beside)
    first_pass = chooser.choose((m, units.get(i), None) for i, m in enumerate(mentions))
    points = {}
    for m, (r, c) in zip(mentions, first_pass):
        if r is not None and gaz.kind[r] == "city" and c > 0.6:
            # Python floats: the medians sort them, and numpy scalars compare slowly
            points.setdefault(_name_key(m.lemma or m.text), []).append(_row_point(gaz, r))
    anchors: dict[str, tuple | None] = {}

    def anchor_for(own: str) -> tuple | None:
        # a name is placed near the text's *other* places: its own first guess must not
        # pull it (two same-name villages, one of them next to the other places named).
        # Worked out once per name; past ANCHOR_NAMES names, leaving one out hardly moves
        # a median, so all of them are used (keeps long texts linear).  A name with no
        # points of its own leaves none out: it shares the all-points anchor.
        key = own if own in points and len(points) <= ANCHOR_NAMES else None  # None: every name's points
        if key not in anchors:
            anchors[key] = _median_point([p for name, pts in points.items() if name != key for p in pts])
        return anchors[key]

    def near(m: Mention) -> tuple | None:
        if _candidate_set(gaz, m).only is not None:
            return None  # no choice to make: where the other places are cannot matter
        return anchor_for(_name_key(m.lemma or m.text))

    final = iter(chooser.choose((m, units.get(i), near(m)) for i, m in enumerate(mentions)
                                if m.kind_hint not in _SPECIAL))
    places = []
    for i, m in enumerate(mentions):
        if m.kind_hint == "border":
            place = border_place(gaz, m, main_cc)
        elif m.kind_hint == "capital":
            row = gaz.capital_row(m.extra[0] or main_cc)
            place = _place_from_row(gaz, row, m, 0.8) if row is not None else None
        else:
            row, conf = next(final)
            # only a close choice has runners-up: a confidence above 1 / (1 + RELATIVE_SHARE) has none
            alts = chooser.runners_up(m, units.get(i), near(m)) if conf * (1 + RELATIVE_SHARE) <= 1 else ()
            precision = None
            if row is not None and (i in areas or gaz.approx[row]):
                # a raion or hromada placed at its seat, or a village at its hromada's middle
                conf = min(conf, _APPROXIMATE)
                # (a raion that KATOTTG no longer lists is "near:" its seat)
                precision = "hromada" if i not in areas or units.get(i, "").startswith("hromada:") else "raion"
            place = _place_from_row(gaz, row, m, conf, precision, alts) if row is not None else None
        if place is not None:
            places.append(place)
    return places, ctx
