"""One report in English, Ukrainian and Russian: does the source's own language give the
same map?

``evaluation/data/parallel.json`` holds short reports in the styles analysts paste
(General Staff summaries, regional administrations, the Russian Ministry of
Defence, military bloggers), each written by us in the three languages, with the
settlements and event types the report is about.  For each language it counts
the places and event types found against those, and for Ukrainian and Russian,
what share of the English text's own places and types they give too (the
measure of issue 17: "a Ukrainian text yields N% of the places its English
translation yields").

    python -m evaluation parallel
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

TABLE = Path(__file__).resolve().parent / "data" / "parallel.json"
LANGS = ("en", "uk", "ru")


@dataclass(frozen=True)
class Found:
    """What one language's text of one report gave."""

    places: frozenset[str]
    types: frozenset[str]


def read_cases(path: Path = TABLE) -> list[dict]:
    cases = json.loads(Path(path).read_text("utf-8"))
    for c in cases:
        missing = [k for k in ("id", "places", "types", *LANGS) if k not in c]
        if missing:
            raise ValueError(f"{path}: case {c.get('id', '?')} lacks {', '.join(missing)}")
    return cases


def found(text: str, gaz) -> Found:
    from geo.parse.pipeline import parse_text

    result = parse_text(text, gazetteer=gaz)
    return Found(frozenset(p.name for p in result.places if p.kind == "city"),
                 frozenset(e.event_type for e in result.events))


def run(gaz, path: Path = TABLE) -> list[tuple[dict, dict[str, Found]]]:
    return [(c, {lang: found(c[lang], gaz) for lang in LANGS}) for c in read_cases(path)]


def _share(part: int, whole: int) -> str:
    return f"{part / whole:6.1%}" if whole else "     -"


def summary(outcomes: list[tuple[dict, dict[str, Found]]]) -> dict[str, dict[str, float]]:
    """Per language: gold places and types found, and (uk, ru) the share of English's own."""
    out: dict[str, dict[str, float]] = {}
    for lang in LANGS:
        gp = sum(len(set(c["places"])) for c, _ in outcomes)
        gt = sum(len(set(c["types"])) for c, _ in outcomes)
        hp = sum(len(set(c["places"]) & f[lang].places) for c, f in outcomes)
        ht = sum(len(set(c["types"]) & f[lang].types) for c, f in outcomes)
        ep = sum(len(f["en"].places) for _, f in outcomes)
        et = sum(len(f["en"].types) for _, f in outcomes)
        sp = sum(len(f["en"].places & f[lang].places) for _, f in outcomes)
        st = sum(len(f["en"].types & f[lang].types) for _, f in outcomes)
        out[lang] = {"places": hp / gp if gp else 0.0, "types": ht / gt if gt else 0.0,
                     "places_of_en": sp / ep if ep else 0.0, "types_of_en": st / et if et else 0.0}
    return out


def table(outcomes: list[tuple[dict, dict[str, Found]]]) -> str:
    s = summary(outcomes)
    lines = [f"{len(outcomes)} reports, each in three languages",
             "lang | settlements found | event types found | English's places given | English's types given",
             "-----|-------------------|-------------------|------------------------|----------------------"]
    for lang in LANGS:
        r = s[lang]
        lines.append(f"{lang:4s} | {r['places']:17.1%} | {r['types']:17.1%} | "
                     f"{r['places_of_en']:22.1%} | {r['types_of_en']:20.1%}")
    return "\n".join(lines)


def failures(outcomes: list[tuple[dict, dict[str, Found]]]) -> str:
    """Each report and language that misses a settlement or an event type, or adds one."""
    lines = []
    for c, f in outcomes:
        for lang in LANGS:
            miss_p = sorted(set(c["places"]) - f[lang].places)
            miss_t = sorted(set(c["types"]) - f[lang].types)
            extra_t = sorted(f[lang].types - set(c["types"]))
            if miss_p or miss_t or extra_t:
                lines.append(f"{c['id']} [{lang}] missed places {miss_p} types {miss_t}; extra types {extra_t}")
    return "\n".join(lines) or "no misses"
