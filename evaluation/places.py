"""The dev sets' own place strings, resolved as a report would be.

``python -m evaluation ukraine --places [--failures N]``

Each Ukraine dataset row carries the coder's own words for where it happened:
UCDP's ``where_description`` with its ``adm_1`` (rows with ``where_prec`` 1 or 2,
a settlement or within 25 km of one), Bellingcat's ``location`` (rows with one,
"Unknown" left out).  The string is parsed as a report's text
(``"<where_description>, <adm_1>"``; the location as written) by the real parser
(:func:`geo.parse.pipeline.parse_text`), and the place it reads is the first
settlement of the result in text order, as a dateline's place leads a report, that
the parser would place an event at (``geo.parse.binding``): not a reference point
("Chuhuiv, south of Kharkiv"), an origin, or a town named only for a facility or an
axis ("Kupiansk direction: areas of X") when another place follows.  With no such
settlement it is the first settlement, else the first place of any other local kind.  A row is a hit
when that place lies within 25 km of the row's coordinates.  "Any" counts a row
whose result has some settlement within 25 km, the first or not: how far the choice
among the places found falls short of what was found.  "Reachable" counts a row read right
or whose string names some place (any namesake of any name found, chosen or not) within
25 km: what no choice among the string's readings can better, as the rest lie where the
coder's point does not match the words.

The worst cases are listed by distance, rows with no place first.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

WITHIN_KM = 25.0
_LOCAL = ("city", "admin1", "region", "other", "water")
"""Kinds of place a row's string may be read as; a country or a border never is."""
_NOT_THERE = ("ref", "origin", "actor", "water")
"""Roles (``geo.parse.binding.place_roles``) of a place that is not where the row happened."""


@dataclass(frozen=True, slots=True)
class PlaceRow:
    """A dataset row's own place string and its true point."""

    dataset: str
    row_id: str
    text: str
    lat: float
    lon: float


@dataclass(frozen=True, slots=True)
class PlaceOutcome:
    row: PlaceRow
    chosen: str | None  # "name (kind, confidence)" of the place read, None when none
    km: float  # from the place read to the row's point; inf when none
    any_km: float  # the nearest settlement the result holds; inf when none
    reach_km: float = math.inf  # the nearest namesake of any name the string holds, chosen or not

    @property
    def hit(self) -> bool:
        return self.km <= WITHIN_KM


def _float(text) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def read_ucdp_places(folder: Path) -> list[PlaceRow]:
    """UCDP rows placed at a settlement (``where_prec`` 1 or 2): ``where_description, adm_1``."""
    import pandas as pd

    df = pd.read_csv(folder / "ucdp_ged_ukraine.csv", encoding="utf-8", encoding_errors="replace",
                     keep_default_na=False, dtype=str)
    out = []
    for r in df[df["where_prec"].isin(["1", "2"])].itertuples(index=False):
        lat, lon = _float(r.latitude), _float(r.longitude)
        text = ", ".join(s for s in (r.where_description.strip(), r.adm_1.strip()) if s)
        if lat is not None and lon is not None and text:
            out.append(PlaceRow("UCDP", r.id, text, lat, lon))
    return out


def read_bellingcat_places(folder: Path) -> list[PlaceRow]:
    """Bellingcat events with a ``location`` ("Unknown" is none)."""
    events = json.loads((folder / "bellingcat_civharm_export_events.json").read_text("utf-8"))
    out = []
    for ev in events:
        lat, lon = _float(ev.get("latitude")), _float(ev.get("longitude"))
        text = (ev.get("location") or "").strip()
        if lat is not None and lon is not None and text and text.lower() != "unknown":
            out.append(PlaceRow("Bellingcat", str(ev["id"]), text, lat, lon))
    return out


def resolve_row(row: PlaceRow, gaz) -> PlaceOutcome:
    """Parse a row's place string as a report and measure the place it reads."""
    from evaluation.evaluate import distance_km
    from geo.parse.binding import place_roles, without_facility_names
    from geo.parse.pipeline import parse_text

    places = [p for p in parse_text(row.text, gazetteer=gaz).places if p.kind in _LOCAL]
    reach = _reach_km(row, gaz)
    if not places:
        return PlaceOutcome(row, None, math.inf, math.inf, reach)
    km = distance_km([p.lat for p in places], [p.lon for p in places], row.lat, row.lon).tolist()
    settlements = [i for i, p in enumerate(places) if p.kind == "city"]
    best = settlements[0] if settlements else 0
    # as the parser binds an event: not a reference point ("south of Kharkiv"), an origin,
    # a town named for a facility or an axis when another place follows ("Kupiansk direction: X")
    roles = place_roles(row.text, 0, len(row.text), places)
    located = [places[i] for i in settlements if roles.get(places[i].start) not in _NOT_THERE]
    located = without_facility_names(row.text, located)
    if located:
        best = places.index(located[0])
    p = places[best]
    return PlaceOutcome(row, f"{p.name} ({p.kind}, {p.confidence:.2f})", km[best],
                        min((km[i] for i in settlements), default=math.inf), reach)


def _reach_km(row: PlaceRow, gaz) -> float:
    """How near the row's point the nearest reading of any name its string holds lies: every
    namesake the names found may stand for, chosen or not (what no choice can better)."""
    from evaluation.evaluate import distance_km
    from geo.parse.mentions import find_mentions

    rows = sorted({r for m in find_mentions(row.text, gaz) for r in m.candidates})
    if not rows:
        return math.inf
    return float(distance_km(gaz.lat[rows].astype(float), gaz.lon[rows].astype(float), row.lat, row.lon).min())


def summary(outcomes: Sequence[PlaceOutcome]) -> dict:
    n = len(outcomes)
    share = (lambda k: 100.0 * k / n) if n else (lambda k: float("nan"))
    return {
        "rows": n,
        "within": sum(o.hit for o in outcomes),
        "within_pct": share(sum(o.hit for o in outcomes)),
        "any_pct": share(sum(o.any_km <= WITHIN_KM for o in outcomes)),
        "reach_pct": share(sum(o.hit or o.reach_km <= WITHIN_KM for o in outcomes)),
        "none": sum(o.chosen is None for o in outcomes),
    }


def table(outcomes: dict[str, Sequence[PlaceOutcome]]) -> str:
    lines = ["| dataset | rows | within 25 km | within 25 km % | any settlement within 25 km % | "
             "reachable % | no place |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, rows in outcomes.items():
        s = summary(rows)
        lines.append(f"| {name} | {s['rows']:,} | {s['within']:,} | {s['within_pct']:.1f} | "
                     f"{s['any_pct']:.1f} | {s['reach_pct']:.1f} | {s['none']:,} |")
    return "\n".join(lines)


def worst(outcomes: Sequence[PlaceOutcome], n: int) -> list[PlaceOutcome]:
    """The ``n`` rows read farthest from their point, those with no place first."""
    return sorted((o for o in outcomes if not o.hit), key=lambda o: -o.km)[:n]


def failures_text(outcomes: dict[str, Sequence[PlaceOutcome]], n: int) -> str:
    out = []
    for name, rows in outcomes.items():
        out.append(f"\n{name}: the {n} worst place strings (text -> what we chose, km)")
        for o in worst(rows, n):
            km = "no place" if o.chosen is None else f"{o.km:,.0f} km"
            out.append(f"  {o.row.row_id}: {o.row.text!r} -> {o.chosen or '-'}, {km}")
    return "\n".join(out)


def run(corpora: Path, limit: int | None = None) -> dict[str, list[PlaceOutcome]]:
    """Resolve each Ukraine dataset's place strings."""
    from evaluation.evaluate import CorpusMissing, corpus_dir
    from geo.gazetteer.loader import load_gazetteer

    folder = corpus_dir(corpora, "ukraine")
    gaz = load_gazetteer()
    out = {}
    for name, reader in (("UCDP", read_ucdp_places), ("Bellingcat", read_bellingcat_places)):
        try:
            rows = reader(folder)
        except FileNotFoundError as exc:
            raise CorpusMissing(f"{exc.filename}: dataset file not found") from None
        out[name] = [resolve_row(r, gaz) for r in (rows[:limit] if limit else rows)]
    return out
