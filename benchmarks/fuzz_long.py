"""The long fuzz run: thousands of seeded hostile texts through the parser.

Run from the repository root::

    python -m benchmarks.fuzz_long --n 10000 --seed 1

Each text is drawn from one of several generators (word soup of place names
and trigger words among control characters and RTL marks, random Unicode,
deep quotes and brackets, long runs of spaces, name lists, long unpunctuated
runs).  Every parse must finish, give strict JSON, and keep its offsets:
``text[start:end]`` is each place's mention and each event's quote.  It prints
the counts, the slowest text per character, and the first failures with the
index that regenerates them (same seed, same index, same text).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from geo.gazetteer.loader import Gazetteer, load_gazetteer
from geo.exchange.layers import inline_areas, result_to_json
from geo.parse.pipeline import parse_text

WORDS = ("Kyiv", "Kharkiv", "the capital", "Berdiansk", "Ukraine", "Russia", "Belarus",
         "the Ukraine-Belarus border", "NATO", "the EU", "Mayor of Kyiv", "said", "according to",
         "shelling", "captured", "surrounded", "not", "failed to capture", "Russian forces",
         "Ukrainian", "near", "in", "and", "but", "while", "explosions", "Київ", "Харків", "Kiev",
         "5th day", "Putin", "talks", "evacuation", "civilians killed", "The", "Mr.", "U.S.")
ODD = ("\u200f", "\u200e", "\u202e", "\u2066", "\u2069", "\u200b", "\ufeff", "\u00ad", "\u0301",
       "\x00", "\x07", "\x1b", "\r", "\t", "\n", "\n\n", "\u2028", "\u00a0", "İ", "ß", "ﬃ",
       "\U0001F4A3", "’", "“", "”", "«", "»", "—", "–", "-", ":", ";", ",", ".", "!", "?", "…",
       "(", ")", "[", "]", '"', "'")
MAX_CHARS = 20_000


def _soup(rnd: random.Random, names: list[str]) -> str:
    pool = (WORDS, ODD, names)
    return " ".join(rnd.choice(rnd.choice(pool)) for _ in range(rnd.randint(0, 800)))


def _unicode(rnd: random.Random, names: list[str]) -> str:
    top = rnd.choice((0x7F, 0x24F, 0x7FF, 0xFFFF, 0x10FFFF))
    chars = (chr(rnd.randint(1, top)) for _ in range(rnd.randint(0, 3000)))
    return "".join(c for c in chars if not 0xD800 <= ord(c) <= 0xDFFF)  # no lone surrogates


def _nested(rnd: random.Random, names: list[str]) -> str:
    depth = rnd.randint(0, 4000)
    return (rnd.choice("\"“«([‘'") * depth + f"Shelling hit {rnd.choice(names)}, officials said."
            + rnd.choice("\"”»)]’'") * depth)


def _spaces(rnd: random.Random, names: list[str]) -> str:
    gap = rnd.choice((" ", "\t", "\n ", "\u00a0", " - ")) * rnd.randint(0, 8000)
    return f"{rnd.choice(names)}{gap}{rnd.choice(WORDS)}{gap}{rnd.choice(names)} border."


def _name_list(rnd: random.Random, names: list[str]) -> str:
    return "Fighting near " + rnd.choice((", ", " and ", " ")).join(
        rnd.choice(names) for _ in range(rnd.randint(1, 1500))) + "."


def _no_punctuation(rnd: random.Random, names: list[str]) -> str:
    words = ("troops", "shelling", "near", "in", "civilians", "fled", "from", "while") + tuple(names[:50])
    return " ".join(rnd.choice(words) for _ in range(rnd.randint(100, 3000)))


GENERATORS: tuple[Callable[[random.Random, list[str]], str], ...] = (
    _soup, _soup, _soup, _unicode, _nested, _spaces, _name_list, _no_punctuation)


def text_for(seed: int, index: int, names: list[str]) -> str:
    """The ``index``-th text of a run: reproducible from (seed, index) alone."""
    rnd = random.Random(f"{seed}:{index}")
    return rnd.choice(GENERATORS)(rnd, names)[:MAX_CHARS]


def offset_errors(text: str, doc: dict) -> list[str]:
    """Places and events whose offsets do not slice the text into their mention or quote."""
    bad = [f"place {p['name']!r} at {p['start']}" for p in doc["places"]
           if text[p["start"]:p["end"]] != p["mention"]]
    bad += [f"event {e['event_type']} at {e['start']}" for e in doc["events"]
            if text[e["start"]:e["end"]] != e["quote"]]
    return bad


@dataclass
class Tally:
    texts: int = 0
    chars: int = 0
    places: int = 0
    events: int = 0
    failures: list[str] = field(default_factory=list)
    worst_us_per_char: float = 0.0
    worst_index: int = -1
    seconds: float = 0.0


def check_one(gaz: Gazetteer, seed: int, index: int, names: list[str], tally: Tally) -> None:
    text = text_for(seed, index, names)
    t0 = time.perf_counter()
    try:
        doc = inline_areas(json.loads(json.dumps(result_to_json(parse_text(text, gazetteer=gaz)), allow_nan=False)))
    except Exception as exc:  # noqa: BLE001 (a fuzz run records every crash, whatever it is)
        tally.failures.append(f"#{index}: {type(exc).__name__}: {exc}")
        return
    took = time.perf_counter() - t0
    tally.seconds += took
    errors = offset_errors(text, doc)
    if errors:
        tally.failures.append(f"#{index}: offsets do not slice the text: {errors[:3]}")
    tally.texts += 1
    tally.chars += len(text)
    tally.places += len(doc["places"])
    tally.events += len(doc["events"])
    per_char = took * 1e6 / max(len(text), 100)  # short texts: per 100 chars, not per char
    if per_char > tally.worst_us_per_char:
        tally.worst_us_per_char, tally.worst_index = per_char, index


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.fuzz_long", description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=10_000, help="how many texts")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    gaz = load_gazetteer()
    names = sorted({str(gaz.name[r]) for r in range(len(gaz)) if gaz.cc[r] == "UA"})[:3000]
    tally = Tally()
    for index in range(args.n):
        check_one(gaz, args.seed, index, names, tally)
        if (index + 1) % 1000 == 0:
            print(f"  {index + 1:,} texts ...", file=sys.stderr, flush=True)
    mean = tally.seconds * 1e6 / max(tally.chars, 1)
    print(f"texts     {tally.texts:,} parsed of {args.n:,} (seed {args.seed})")
    print(f"chars     {tally.chars:,}")
    print(f"places    {tally.places:,}")
    print(f"events    {tally.events:,}")
    print(f"failures  {len(tally.failures):,}")
    print(f"time      {tally.seconds:.1f} s parsing; mean {mean:.2f} µs/char; worst {tally.worst_us_per_char:.1f} "
          f"µs/char (text #{tally.worst_index}; {tally.worst_us_per_char / max(mean, 1e-9):.0f}x the mean)")
    for line in tally.failures[:10]:
        print("  " + line)
    return 1 if tally.failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
