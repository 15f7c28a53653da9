"""Village notes written from the settlements table: does each land within 25 km of its village?

    python -m evaluation villages [--limit N] [--failures N]

A round trip through the project's own data (``data/ua_settlements.parquet``), no
corpus needed: a seeded sample of settlements of the oblasts where the fighting is
(those joined to the official codifier, with a point of their own), each written into
the note formats analysts read daily, in English and in Ukrainian:

- ACLED: "On 14 March 2023, Russian forces shelled near <name>, <oblast>. ...";
- ISW: "... offensive operations near <name> (<oblast> oblast).";
- UN OCHA: "Shelling hit <name>, <oblast> Oblast, ...";
- a Russian-era spelling (the Russian names, romanised by the passport table):
  "Shelling near Novoselovka, Kharkovskaya oblast.";
- Ukrainian: "Окупанти обстріляли село <name>, <oblast> область." and
  "Вранці ворог атакував <name> (<oblast> область).";
- with the raion: "... shelled near <name> (<raion> raion, <oblast>).", ACLED's own
  "... shelled <name> (<raion>, <oblast>). Casualties unknown." (the raion by its town's
  name, no unit word) and a regional administration's "Ворог обстріляв село <name>
  <raion>ого району." (here a name is "unique" when no other settlement of its raion bears it);
- a plain list with its neighbours, no oblast: "Russian forces shelled <neighbour>, <name> and
  <neighbour>.";
- ISW with neighbours, no oblast: "Russian forces attacked near <neighbour>, <name>, and
  <neighbour> (all <bearing> of <town>)." with the two nearest other settlements of its
  raion and the nearest town of 10,000 people within 40 km, as assessments name the town
  nearest: only the places around it tell namesakes apart.
  Here the note is a hit when the event drawn for ``<name>`` itself is within 25 km.

A note is a hit when one of its events is placed at a point (not an oblast or a
raion) within 25 km of the village.  The share is given apart for names that are the
only settlement so called in their oblast, which the oblast settles, and for names
shared in the oblast, where nothing in a one-line note tells the namesakes apart (the
pick is the likeliest one, and the record lists the others): about ``1 / namesakes``
is what any rule can expect there.

The sample is not real reporting: it checks that the gazetteer, the oblast context
and the formats fit together on thousands of villages, not how often reports name
which village.
"""

from __future__ import annotations

import collections
import random
from dataclasses import dataclass
from pathlib import Path

from evaluation.evaluate import distance_km, near_event

ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "data" / "ua_settlements.parquet"
OBLASTS = ROOT / "data" / "ua_oblasts.csv"
FRONT_OBLASTS = ("Donetsk", "Luhansk", "Kharkiv", "Zaporizhzhia", "Kherson", "Sumy", "Chernihiv",
                 "Mykolaiv", "Dnipropetrovsk")
SEED = 20230314
AREAS = frozenset({"oblast", "raion", "hromada", "country", "coarse"})

ENGLISH = {
    "ACLED": "On 14 March 2023, Russian forces shelled near {name}, {oblast}. Casualties unknown.",
    "ISW": "Russian forces conducted offensive operations near {name} ({oblast} oblast).",
    "OCHA": "Shelling hit {name}, {oblast} Oblast, damaging a residential building.",
}
RUSSIAN_ERA = "Shelling near {name}, {oblast} oblast."
CLUSTER = "Russian forces attacked near {first}, {name}, and {last} (all {bearing} of {town})."
LISTED = "Russian forces shelled {first}, {name} and {last}."
_BEARINGS = ("north", "north-east", "east", "south-east", "south", "south-west", "west", "north-west")
UKRAINIAN = {
    "uk, comma": "Окупанти обстріляли село {name}, {oblast} область.",
    "uk, brackets": "Вранці ворог атакував {name} ({oblast} область).",
}
# the raion written with the village: ACLED's brackets, and a regional administration's genitive
RAION_ENGLISH = "On 14 March 2023, Russian forces shelled near {name} ({raion} raion, {oblast})."
RAION_BARE = "On 14 March 2023, Russian forces shelled {name} ({raion}, {oblast}). Casualties unknown."
"""ACLED's own layout: the raion by its town's name, no unit word."""
RAION_UKRAINIAN = "Ворог обстріляв село {name} {raion} району."


@dataclass(frozen=True, slots=True)
class Note:
    form: str
    text: str
    lat: float
    lon: float
    unique: bool
    name: str | None = None  # only an event drawn for this name counts (the cluster form)


def notes(limit: int = 400, seed: int = SEED) -> list[Note]:
    """The sample's notes, ``limit`` settlements, each in every form it can be written in."""
    import pandas as pd
    import translitua

    table = pd.read_parquet(TABLE)
    oblasts = pd.read_csv(OBLASTS, dtype=str, keep_default_na=False).set_index("name")
    english_names = collections.Counter(zip(table["name"], table["oblast"]))
    cyrillic_names = collections.Counter(zip(table["name_uk"], table["oblast"]))
    in_raion = collections.Counter(zip(table["name"], table["raion"], table["oblast"]))
    uk_in_raion = collections.Counter(zip(table["name_uk"], table["raion_uk"], table["oblast"]))
    pool = table[table["join"].str.startswith("raion") & table["oblast"].isin(FRONT_OBLASTS)
                 & (table["precision"] == "point") & (table["name_uk"] != "")]
    sample = pool.sample(min(limit, len(pool)), random_state=random.Random(seed).randrange(2**31))
    out = []
    for row in sample.itertuples(index=False):
        oblast = oblasts.loc[row.oblast]
        unique = english_names[(row.name, row.oblast)] == 1
        for form, template in ENGLISH.items():
            out.append(Note(form, template.format(name=row.name, oblast=row.oblast), row.lat, row.lon, unique))
        russian = row.names_ru.split("|")[0] if row.names_ru else ""
        if russian:
            spelt = translitua.translit(russian, translitua.RussianInternationalPassport1997)
            region = translitua.translit(oblast["name_ru"], translitua.RussianInternationalPassport1997)
            out.append(Note("Russian-era", RUSSIAN_ERA.format(name=spelt, oblast=region), row.lat, row.lon, unique))
        out += _cluster_notes(row, table, unique)
        uk_unique = cyrillic_names[(row.name_uk, row.oblast)] == 1
        for form, template in UKRAINIAN.items():
            out.append(Note(form, template.format(name=row.name_uk, oblast=oblast["name_uk"]), row.lat, row.lon,
                            uk_unique))
        if row.raion and row.raion_uk:  # unique within its raion: the raion settles it
            out.append(Note("ACLED, raion", RAION_ENGLISH.format(name=row.name, raion=row.raion, oblast=row.oblast),
                            row.lat, row.lon, in_raion[(row.name, row.raion, row.oblast)] == 1))
            out.append(Note("ACLED, (raion, oblast)", RAION_BARE.format(name=row.name, raion=row.raion,
                                                                        oblast=row.oblast),
                            row.lat, row.lon, in_raion[(row.name, row.raion, row.oblast)] == 1))
            out.append(Note("uk, raion", RAION_UKRAINIAN.format(name=row.name_uk, raion=_genitive(row.raion_uk)),
                            row.lat, row.lon, uk_in_raion[(row.name_uk, row.raion_uk, row.oblast)] == 1))
    return out


def _genitive(adjective: str) -> str:
    """A Ukrainian masculine adjective in the genitive: Покровський -> Покровського."""
    if adjective.endswith("ій"):
        return adjective[:-2] + "ього"
    return adjective[:-2] + "ого" if adjective.endswith("ий") else adjective


def _cluster_notes(row, table, unique: bool) -> list[Note]:
    """The village between its two nearest neighbours of its raion: in a plain list, and on
    its bearing from the nearest town (neither when the raion has too few settlements, the
    second only when a town is near)."""
    import numpy as np

    kin = table[(table["raion"] == row.raion) & (table["precision"] == "point") & (table["name"] != row.name)]
    if len(kin) < 2:
        return []
    d = distance_km(row.lat, row.lon, kin["lat"].to_numpy(), kin["lon"].to_numpy())
    near = kin.iloc[np.argsort(d)[:2]]
    if float(np.sort(d)[1]) > 25:
        return []
    first, last = near.iloc[0]["name"], near.iloc[1]["name"]
    out = [Note("list, no oblast", LISTED.format(first=first, name=row.name, last=last), row.lat, row.lon,
                unique, row.name)]
    towns = table[(table["precision"] == "point") & (table["population"] >= 10_000)]
    dt = distance_km(row.lat, row.lon, towns["lat"].to_numpy(), towns["lon"].to_numpy())
    close = (dt > 3) & (dt <= 40)
    if close.any():
        town = towns[close].iloc[int(np.argmin(dt[close]))]
        angle = np.degrees(np.arctan2(row.lon - town.lon, row.lat - town.lat)) % 360
        bearing = _BEARINGS[int((angle + 22.5) // 45) % 8]
        text = CLUSTER.format(first=first, name=row.name, last=last, bearing=bearing, town=town["name"])
        out.append(Note("ISW, neighbours", text, row.lat, row.lon, unique, row.name))
    return out


def hit(note: Note, result) -> bool:
    """Whether an event of ``result`` is placed at a point within 25 km of the note's village
    (for a note with a ``name``, an event drawn for that name)."""
    return near_event([(e.lat, e.lon) for e in result.events if e.lat is not None and e.precision not in AREAS
                       and (note.name is None or e.place == note.name)], note.lat, note.lon)


def run(limit: int = 400) -> tuple[dict[tuple[str, bool], list[bool]], list[tuple[Note, list]]]:
    """Hits by (form, unique in its oblast), and the missed notes of unique names."""
    from geo.gazetteer.loader import load_gazetteer
    from geo.parse.pipeline import parse_text

    gaz = load_gazetteer()
    scores: dict[tuple[str, bool], list[bool]] = collections.defaultdict(list)
    missed = []
    for note in notes(limit):
        result = parse_text(note.text, gazetteer=gaz)
        ok = hit(note, result)
        scores[note.form, note.unique].append(ok)
        if not ok and note.unique:
            missed.append((note, [(e.place, e.precision, None if e.lat is None else
                                   round(float(distance_km(note.lat, note.lon, e.lat, e.lon))))
                                  for e in result.events]))
    return scores, missed


def table(scores: dict[tuple[str, bool], list[bool]]) -> str:
    forms = list(dict.fromkeys(form for form, _ in scores))
    lines = ["| note form | unique in its oblast | within 25 km % | shared in its oblast | within 25 km % |",
             "|---|---:|---:|---:|---:|"]
    for form in forms:
        cells = []
        for unique in (True, False):
            got = scores.get((form, unique), [])
            cells += [f"{len(got):,}", f"{100 * sum(got) / len(got):.1f}" if got else "n/a"]
        lines.append(f"| {form} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def failures_text(missed: list[tuple[Note, list]], n: int) -> str:
    lines = [f"### missed notes of names unique in their oblast: {len(missed)}", ""]
    for note, events in missed[:n]:
        lines.append(f"- {note.text} -> {events or 'no event'}")
    return "\n".join(lines)
