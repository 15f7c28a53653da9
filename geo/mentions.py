"""Recognition: text to ``Mention`` spans with character offsets.

Names are matched all at once with the gazetteer's Aho-Corasick automaton,
then kept or dropped by context rules: word boundaries, capitalisation, a
common-word filter, organisations and demonyms.  Two kinds of mention are not
names at all: "the capital" and borders such as "the Ukraine-Belarus border".
"""

from __future__ import annotations

import functools
import re

from geo.gazetteer import Gazetteer
from geo.lexicon import DEMONYMS, ORGANISATION_RE, TITLES_BEFORE_NAME
from geo.names import fold_text
from geo.records import Mention
from geo import settings

_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]\s*[\"'“‘(]?|^[\"'“‘(])\s*$")
_CAPITAL = re.compile(
    r"\b[Tt]he\s+(?:(?P<adj>[A-Z][\w'’]+?)(?:['’]s)?\s+)?capital(?:\s+city)?\b(?!\s+(?:city\s+)?of\b)"
)
_REGION_WORDS = re.compile(r"\s+(?:oblast|region|province|governorate|krai|kray|republic)\b", re.I)
_BIG_CITY = 200_000
_HUGE = 1_000_000


@functools.lru_cache(maxsize=4)
def _country_names(gaz: Gazetteer) -> dict[str, str]:
    """Folded country names (and demonyms) to ISO codes."""
    names: dict[str, str] = {}
    for cc in gaz.countries.index:
        row = gaz.country_row(cc)
        if row is not None:
            names[fold_text(gaz.name[row])] = cc
    for n in ("Moldova", "Russia", "Belarus", "Ukraine", "Poland", "Romania", "Hungary", "Slovakia"):
        for row in gaz.lookup(n):
            if gaz.kind[row] == "country":
                names[fold_text(n)] = gaz.cc[row]
                break
    names.update(DEMONYMS)
    return names


@functools.lru_cache(maxsize=4)
def _border_res(gaz: Gazetteer) -> tuple[re.Pattern, ...]:
    alt = "|".join(sorted((re.escape(n) for n in _country_names(gaz)), key=len, reverse=True))
    c = rf"(?:{alt})"
    return (
        re.compile(rf"\b(?:the\s+)?(?P<a>{c})\s*(?:-|/|–|\s+and\s+)\s*(?P<b>{c})\s+(?:state\s+)?border\b", re.I),
        re.compile(rf"\b(?:the\s+)?border\s+between\s+(?P<a>{c})\s+and\s+(?P<b>{c})\b", re.I),
        re.compile(rf"\b(?:the|its|their|a)\s+(?:\w+\s+)?border\s+with\s+(?P<b>{c})\b", re.I),
        re.compile(rf"\b(?:the\s+)?(?P<b>{c})(?:['’]s)?\s+border\b", re.I),
    )


def _is_sentence_start(text: str, start: int) -> bool:
    return bool(_SENTENCE_START.search(text[max(0, start - 4):start]))


def _previous_word(text: str, start: int) -> str:
    m = re.search(r"([A-Za-z]+)\.?\s+$", text[max(0, start - 20):start])
    return m.group(1).lower() if m else ""


def _keep_name(text: str, gaz: Gazetteer, s: int, e: int, kid: int) -> bool:
    """Context rules for a gazetteer name found at text[s:e]."""
    first = text[s]
    if not first.isupper():
        return False
    surface = text[s:e]
    if surface.isupper() and len(surface) <= 4:  # acronyms such as TEU, NATO
        return False
    if fold_text(surface) in DEMONYMS:
        return False
    if _previous_word(text, s) in TITLES_BEFORE_NAME:
        return False
    zipf = gaz.zipf[kid]
    if zipf >= settings.COMMON_WORD_ZIPF:
        rows, _ = gaz.entries_for_key(kid)
        big = gaz.population[rows].max() if len(rows) else 0
        official = any(gaz.kind[r] in ("country", "admin1") for r in rows)
        needed = _HUGE if _is_sentence_start(text, s) else _BIG_CITY
        if not official and big < needed:
            return False
    return True


def _name_mentions(text: str, folded: str, gaz: Gazetteer) -> list[Mention]:
    n = len(folded)
    found = []
    for s, e, kid in gaz.iter_matches(folded):
        if (s > 0 and folded[s - 1].isalnum()) or (e < n and folded[e].isalnum()):
            continue
        if not _keep_name(text, gaz, s, e, kid):
            continue
        rows, _ = gaz.entries_for_key(kid)
        hint = "admin1" if _REGION_WORDS.match(text, e) else None
        found.append(Mention(text[s:e], s, e, tuple(int(r) for r in rows), kind_hint=hint))
    return found


def _special_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    names = _country_names(gaz)
    out = []
    for rx in _border_res(gaz):
        for m in rx.finditer(text):
            a = names.get(fold_text(m.group("a"))) if "a" in rx.groupindex else None
            b = names.get(fold_text(m.group("b")))
            if b and a != b:
                out.append(Mention(m.group(0), m.start(), m.end(), (), "border", (a or "", b)))
    for m in _CAPITAL.finditer(text):
        adj = m.group("adj")
        cc = names.get(fold_text(adj)) if adj else None
        if adj and cc is None and adj.lower() not in ("country", "nation", "nation's", "country's"):
            continue
        out.append(Mention(m.group(0), m.start(), m.end(), (), "capital", (cc or "",)))
    return out


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in ORGANISATION_RE.finditer(text)]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def find_mentions(text: str, gaz: Gazetteer) -> list[Mention]:
    """Every place mention in ``text``, in order, without overlaps."""
    folded = fold_text(text)
    blocked = _blocked_spans(text)
    special = _special_mentions(text, gaz)
    names = [m for m in _name_mentions(text, folded, gaz)
             if not any(_overlaps((m.start, m.end), b) for b in blocked)]
    # specials first, then longer names first; drop anything overlapping a kept span
    ranked = sorted(special, key=lambda m: (m.start, -(m.end - m.start))) + sorted(
        names, key=lambda m: (-(m.end - m.start), m.start))
    kept: list[Mention] = []
    for m in ranked:
        if not any(_overlaps((m.start, m.end), (k.start, k.end)) for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)
