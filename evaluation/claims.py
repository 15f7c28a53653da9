"""The claims table: sentences and the events they must (and must not) give.

``python -m evaluation claims [--table FILE] [--failures N]``

Each row of the table (``evaluation/data/claims.tsv``) is one expected
event: sentence, report date, type, place, actors, certainty, denied_by,
date, outcome, and ``not_at``, the places (``place`` or ``type@place``) where
the sentence must give no event.  A sentence expecting nothing has type ``-``.

Found
    An expected event is found when the parse of its sentence gives an event
    of its type at its place (names compared through the gazetteer).
Dangerous false events
    A capture shown as fact (not denied, not failed) where the table expects
    no such capture (a cross-linked or denied or failed capture), or any
    event at a ``not_at`` place (a metonymic place, a river, a cross-link).
Attributes
    Over found events: actors (as a set), certainty, denied_by (its side, or
    empty), date, and outcome, each right or wrong; the share right per
    attribute and over all of them.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

TABLE = Path(__file__).with_name("data") / "claims.tsv"
"""The hand-written table shipped with the evaluation."""

COLUMNS = ("sentence", "report_date", "type", "place", "actors", "certainty", "denied_by", "date",
           "outcome", "not_at")
ATTRIBUTES = ("actors", "certainty", "denied_by", "date", "outcome")


class TableError(ValueError):
    """A row of the claims table that cannot be read; the message names the line."""


@dataclass
class Case:
    """One sentence, the events it must give and the places it must leave alone."""

    sentence: str
    report_date: str | None
    expected: list[dict[str, str]] = field(default_factory=list)
    not_at: set[str] = field(default_factory=set)


def read_table(path: Path = TABLE) -> list[Case]:
    """The table's sentences, in order, each with its expected events."""
    cases: dict[tuple[str, str], Case] = {}
    with open(path, encoding="utf-8", newline="") as fh:
        lines = [(n, line) for n, line in enumerate(fh, 1) if line.strip() and not line.startswith("#")]
    rows = csv.reader((line for _, line in lines), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(rows)
    if tuple(header) != COLUMNS:
        raise TableError(f"{path}: header must be {', '.join(COLUMNS)}")
    for (n, _), row in zip(lines[1:], rows):
        if len(row) != len(COLUMNS):
            raise TableError(f"{path}:{n}: {len(row)} fields, not {len(COLUMNS)}")
        r = dict(zip(COLUMNS, (v.strip() for v in row)))
        case = cases.setdefault((r["sentence"], r["report_date"]),
                                Case(r["sentence"], r["report_date"] or None))
        case.not_at |= {x.strip() for x in r["not_at"].split(",") if x.strip()}
        if r["type"] != "-":
            case.expected.append(r)
    return list(cases.values())


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name or "").encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower() if ch.isalnum())


class Names:
    """Whether an event's place is a place the table names, through the gazetteer's names."""

    def __init__(self, gaz):
        self.gaz = gaz
        self._cache: dict[str, set[str]] = {}

    def forms(self, name: str) -> set[str]:
        if name not in self._cache:
            rows = self.gaz.lookup(name)[:8] if name else []
            self._cache[name] = {_fold(name)} | {_fold(self.gaz.name[r]) for r in rows}
        return self._cache[name]

    def same(self, event_place: str | None, table_place: str) -> bool:
        return event_place is not None and _fold(event_place) in self.forms(table_place)


@dataclass
class Outcome:
    """How one case went."""

    case: Case
    events: list
    found: list[tuple[dict[str, str], object]]  # (expected row, event)
    missed: list[dict[str, str]]
    dangerous: list[tuple[object, str]]  # (event, why)
    wrong: list[tuple[dict[str, str], str, str, str]]  # (row, attribute, expected, got)


def _got(ev, attribute: str) -> str:
    if attribute == "actors":
        return "+".join(sorted(ev.actors))
    return str(getattr(ev, attribute, None) or "")


def _expected(row: dict[str, str], attribute: str) -> str:
    if attribute == "actors":
        return "+".join(sorted(a for a in row["actors"].split("+") if a))
    return row[attribute]


def score_case(case: Case, events: Sequence, names: Names) -> Outcome:
    found, missed, wrong = [], [], []
    for row in case.expected:
        ev = next((e for e in events if e.event_type == row["type"] and names.same(e.place, row["place"])), None)
        if ev is None:
            missed.append(row)
            continue
        found.append((row, ev))
        for attribute in ATTRIBUTES:
            want, got = _expected(row, attribute), _got(ev, attribute)
            if _fold(want) != _fold(got):
                wrong.append((row, attribute, want, got))
    dangerous = []
    factual = [r for r in case.expected if r["type"] == "capture" and not r["denied_by"] and not r["outcome"]]
    for ev in events:
        if ev.event_type == "capture" and not ev.denied_by and not getattr(ev, "outcome", None) and not any(
                names.same(ev.place, r["place"]) for r in factual):
            dangerous.append((ev, "capture shown as fact"))
        for spot in case.not_at:
            etype, _, place = spot.rpartition("@")
            if (not etype or etype == ev.event_type) and names.same(ev.place, place):
                dangerous.append((ev, f"event at {spot}"))
    return Outcome(case, list(events), found, missed, dangerous, wrong)


_NAMES: dict[int, Names] = {}


def names_for(gaz) -> Names:
    """The gazetteer's names as the scorer compares them, made once per gazetteer."""
    if id(gaz) not in _NAMES:
        _NAMES[id(gaz)] = Names(gaz)
    return _NAMES[id(gaz)]


def run_claims(gaz, path: Path = TABLE) -> list[Outcome]:
    from geo.parse.pipeline import parse_text

    names = names_for(gaz)
    out = []
    for case in read_table(path):
        result = parse_text(case.sentence, gazetteer=gaz, date=case.report_date)
        out.append(score_case(case, result.events, names))
    return out


def claims_summary(outcomes: Sequence[Outcome]) -> dict[str, float | int]:
    expected = sum(len(o.case.expected) for o in outcomes)
    found = sum(len(o.found) for o in outcomes)
    summary: dict[str, float | int] = {
        "sentences": len(outcomes), "expected": expected, "found": found,
        "found_pct": 100.0 * found / expected if expected else 0.0,
        "dangerous": sum(len(o.dangerous) for o in outcomes),
    }
    right_all = 0
    for attribute in ATTRIBUTES:
        wrong = sum(1 for o in outcomes for w in o.wrong if w[1] == attribute)
        summary[f"{attribute}_pct"] = 100.0 * (found - wrong) / found if found else 0.0
        right_all += found - wrong
    summary["attributes_pct"] = 100.0 * right_all / (found * len(ATTRIBUTES)) if found else 0.0
    return summary


def claims_table(summary: dict[str, float | int]) -> str:
    head = ("| sentences | expected events | found % | dangerous false events | attributes right % | "
            + " | ".join(f"{a} %" for a in ATTRIBUTES) + " |")
    rule = "|" + "---:|" * (5 + len(ATTRIBUTES))
    row = (f"| {summary['sentences']} | {summary['expected']} | {summary['found_pct']:.1f} | "
           f"{summary['dangerous']} | {summary['attributes_pct']:.1f} | "
           + " | ".join(f"{summary[a + '_pct']:.1f}" for a in ATTRIBUTES) + " |")
    return "\n".join((head, rule, row))


def claims_failures(outcomes: Sequence[Outcome], n: int) -> str:
    lines = []
    for o in outcomes:
        if not (o.missed or o.dangerous or o.wrong):
            continue
        lines.append(f"- {o.case.sentence}")
        lines += [f"    missed {r['type']}@{r['place']}" for r in o.missed]
        lines += [f"    dangerous {ev.event_type}@{ev.place}: {why}" for ev, why in o.dangerous]
        lines += [f"    {r['type']}@{r['place']} {a}: expected {w!r}, got {g!r}" for r, a, w, g in o.wrong]
        if len(lines) >= n * 4:
            break
    return "\n".join(lines)
