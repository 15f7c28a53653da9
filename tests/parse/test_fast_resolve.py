"""Resolution's batched scoring gives the rows and confidences of scoring each name alone.

The reference below is the per-name numpy scorer the batch replaced: every candidate
set scored on its own arrays, its confidence ``soft[best] / soft.sum()``.  The batch
adds a softmax's terms in another order, so confidences agree to a tolerance.
"""

from __future__ import annotations

import random
from collections import Counter

import numpy as np
import pytest

from geo.parse import resolve
from geo.parse.mentions import find_mentions
from geo.records import Mention


def _reference(gaz, m: Mention, ctx: Counter, regions: Counter | None, unit, anchor):
    cands = resolve._candidate_set(gaz, m)
    rows = cands.rows
    if not len(rows):
        return None, 0.0
    inside = lambda code: np.array([resolve._inside(gaz, r, code) for r in rows.tolist()], bool)  # noqa: E731
    if unit and unit[0] == "!" and not inside(unit[1:]).any():
        return None, 0.0
    kinds = gaz.kind[rows]
    admin1 = kinds == "admin1"
    if len(rows) == 1:
        row, conf = int(rows[0]), 1.0
    else:
        total = sum(ctx.values()) or 1.0
        scores = np.array(cands.scores(m))
        share = np.array([ctx.get(gaz.cc[r], 0.0) / total for r in rows])
        scores += resolve._CONTEXT_WEIGHT * share
        if (kinds == "country").any():
            scores += resolve._HOME_REGION_BONUS * (admin1 & (share >= 0.5))
        if regions:
            region_total = sum(regions.values())
            scores += resolve._REGION_WEIGHT * np.array([regions.get(gaz.admin1[r], 0) / region_total
                                                         for r in rows])
        if unit == "unit":
            scores += resolve._UNIT_BONUS * np.isin(kinds, ("admin1", "country"))
        elif unit and unit[0] == "!":
            scores[~inside(unit[1:])] = -np.inf
        elif unit:
            scores += resolve._UNIT_BONUS * inside(unit)
        if anchor is not None:
            lat1, lon1, lat2, lon2, p = anchor[0], anchor[1], gaz.lat[rows], gaz.lon[rows], np.pi / 180
            a = (np.sin((lat2 - lat1) * p / 2) ** 2
                 + np.cos(lat1 * p) * np.cos(lat2 * p) * np.sin((lon2 - lon1) * p / 2) ** 2)
            d = 12742 * np.arcsin(np.sqrt(a))
            scores += resolve._NEAR_WEIGHT * np.exp(-d / resolve._NEAR_KM) \
                + resolve._LOCAL_WEIGHT * np.exp(-d / resolve._LOCAL_KM)
        best = int(np.argmax(scores))
        soft = np.exp(scores - scores.max())
        row, conf = int(rows[best]), float(soft[best] / soft.sum())
    if m.kind_hint == "admin1" and not admin1.any():
        unit_row = resolve._centre_unit(gaz, row)
        if unit_row is not None:
            return unit_row, conf
    return row, conf


# a country and states or cities of the same name: the home-state bonus
SHARED_NAMES = ["georgia", "luxembourg", "guatemala", "mexico", "panama", "washington", "new york",
                "punjab", "limburg", "kharkiv"]


def _made_up_asks(gaz, rng: random.Random, n: int):
    """Names of 2 to 43 places (and a few of any number), with hints, units and anchors
    drawn from their own rows."""
    kids = rng.sample(np.flatnonzero(gaz._counts >= 2).tolist(), n) + rng.sample(range(len(gaz.keys)), 20)
    kids += [gaz.key_id(name) for name in SHARED_NAMES for _ in range(3)]
    asks = []
    for kid in kids:
        rows = gaz.entries_for_key(kid)[0].tolist()
        m = Mention(gaz.keys[kid], 0, 0, tuple(rows), rng.choice([None, None, "admin1"]))
        r = rng.choice(rows)
        unit = rng.choice([None, None, "unit", str(gaz.cc[r]), str(gaz.admin1[r]), "!" + str(gaz.admin1[r]),
                           "!ZZ.99"])
        anchor = rng.choice([None, (float(gaz.lat[r]) + rng.uniform(-1, 1), float(gaz.lon[r])),
                             (rng.uniform(-60, 70), rng.uniform(-180, 180))])
        asks.append((m, unit, anchor))
    return asks


@pytest.mark.parametrize("seed", range(4))
def test_batched_choices_are_the_per_name_reference(gazetteer, seed):
    rng = random.Random(seed)
    asks = _made_up_asks(gazetteer, rng, 150)
    ccs = sorted({str(gazetteer.cc[r]) for m, _, _ in asks for r in m.candidates})
    admin1s = sorted({str(gazetteer.admin1[r]) for m, _, _ in asks for r in m.candidates})
    ctx = Counter({c: rng.choice([0.5, 1.0, 2.0, 1 / 3]) for c in rng.sample(ccs, min(6, len(ccs)))})
    if seed < 2:  # the US exactly half of the context: a share of 0.5 is the home country's
        ctx = Counter({"US": 1.0, "GE": 0.5, "LU": 0.25, "GT": 0.25})
    regions = Counter({a: rng.randint(1, 3) for a in rng.sample(admin1s, 5)}) if seed % 2 else None
    got = resolve._Chooser(gazetteer, ctx, regions).choose(asks)
    want = [_reference(gazetteer, m, ctx, regions, unit, anchor) for m, unit, anchor in asks]
    assert [row for row, _ in got] == [row for row, _ in want]
    # the same scores; the softmax sums may add in another order
    assert [conf for _, conf in got] == pytest.approx([conf for _, conf in want], rel=1e-12, abs=1e-15)
    assert sum(row is not None and 0 < conf < 1 for row, conf in got) > 50  # real choices were made


TEXTS = [
    "Shelling hit Kharkiv, Izium and Kupiansk; later Lozova and the Kharkiv region. Kharkiv again.",
    "Storms moved from Lexington, Kentucky to Louisville and Frankfort, then on to Paris, Texas.",
    "Officials in Paris and Lyon met counterparts from Odessa, Texas and Odessa.",
    "Missiles struck the Dnepropetrovsk region and Pavlohrad overnight.",  # no state called that
]


@pytest.mark.parametrize("text", TEXTS)
def test_regions_count_every_state_chosen_though_only_sets_with_a_state_are_scored(gazetteer, text):
    mentions = find_mentions(text, gazetteer)
    ctx = resolve.country_context(gazetteer, mentions)
    units = resolve.enclosing_units(gazetteer, mentions, ctx)
    chooser = resolve._Chooser(gazetteer, ctx)
    want = Counter(u for u in units.values() if "." in u and u != "unit")
    for m in mentions:
        if m.kind_hint not in ("border", "capital"):
            row = chooser.choose([(m, None, None)])[0][0]
            if row is not None and gazetteer.kind[row] in ("admin1", "region") and gazetteer.admin1[row]:
                want[str(gazetteer.admin1[row])] += 1
    assert want and resolve.region_context(gazetteer, mentions, ctx, units) == want
