"""A generated corpus of short war reports around real gazetteer places.

Each report is two or three sentences from fixed templates (shelling,
fighting, captures, encirclement, evacuations, air raids), each naming a
Ukrainian city from the shipped gazetteer; a city is used only if the parser
resolves a test sentence about it back to that very city.  File names carry
the date (``2022-03-01_r000042.txt``) as the seed reports do, and every text
has its serial number, so no two reports are the same.

    python benchmarks/corpus.py DIR [--reports 100000] [--seed 8]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEMPLATES = (
    "Russian forces shelled {a} overnight, the regional governor said.",
    "A missile strike hit an energy facility in {a}, officials reported.",
    "Ukrainian troops repelled an assault near {a}.",
    "Heavy fighting continued on the outskirts of {a}.",
    "Russian troops captured {a} after two days of fighting.",
    "Ukrainian forces recaptured {a}, the General Staff said.",
    "{a} remained encircled by Russian units.",
    "Civilians were evacuated from {a} through a humanitarian corridor.",
    "Air raid sirens sounded in {a} and {b}.",
    "A Russian convoy was seen moving from {a} towards {b}.",
    "Drone strikes damaged apartment buildings in {a}, killing two civilians.",
)
START = dt.date(2022, 2, 24)


def usable_cities(gazetteer, limit: int = 150) -> list[str]:
    """Ukrainian cities, most populous first, that the parser resolves to themselves."""
    from geo.parse.pipeline import parse_text

    order = sorted((i for i in range(len(gazetteer)) if gazetteer.cc[i] == "UA"
                    and gazetteer.kind[i] == "city" and gazetteer.population[i] >= 20_000),
                   key=lambda i: -gazetteer.population[i])
    names: list[str] = []
    for i in order:
        name = gazetteer.name[i]
        if name in names or not name.replace("-", "").replace(" ", "").isalpha():
            continue
        places = parse_text(f"Russian forces shelled {name} overnight.", gazetteer=gazetteer).places
        if [p.name for p in places] == [name]:
            names.append(name)
        if len(names) == limit:
            break
    return names


def report_text(rng: random.Random, cities: list[str], serial: int) -> str:
    sentences = []
    for _ in range(rng.randint(2, 3)):
        a, b = rng.sample(cities, 2)
        sentences.append(rng.choice(TEMPLATES).format(a=a, b=b))
    return " ".join(sentences) + f" Report {serial}."


def write_corpus(folder: Path, n: int, seed: int = 8) -> int:
    """Write ``n`` reports into ``folder``; return how many were written."""
    from geo.gazetteer.loader import load_gazetteer

    rng = random.Random(seed)
    cities = usable_cities(load_gazetteer())
    folder.mkdir(parents=True, exist_ok=True)
    for serial in range(n):
        day = START + dt.timedelta(days=rng.randrange(365))
        path = folder / f"{day.isoformat()}_r{serial:06d}.txt"
        path.write_text(report_text(rng, cities, serial), encoding="utf-8")
    return n


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=8)
    args = ap.parse_args()
    n = write_corpus(args.folder, args.reports, args.seed)
    print(f"{n} reports -> {args.folder}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
