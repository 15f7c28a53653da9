"""Names a text puts on the map that no resolved place covers: the candidates for a lookup.

The offline parser keeps them as unresolved (``geo.parse.unresolved``); the opt-in online
geocoder (``geo.gazetteer.geocoders``) asks its service about them.  Pure text work, no
network and no geopy: the parser imports it for every report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import re2

from geo.io import has_lone_surrogate
from geo.lexicon import DEMONYMS, LEADERS, TITLES_BEFORE_NAME, organisation_spans
from geo.records import Place

# a preposition (or "the town of") that puts a capitalised phrase on the map
# (the word's first letter in either case: a case-insensitive group made the scan twice as slow,
# and the name after it must not start lower-case, which the parser's scan of every report skips)
_GOVERNOR = re.compile(
    r"(?<!\w)(?:[Ii]n(?:to|side)?|[Nn]ear|[Aa](?:t|round|cross)|[Oo]utside|[Tt]owards?|"
    r"(?:[Oo]utskirts|[Vv]illage|[Tt]own|[Cc]ity|[Pp]ort|[Ss]uburbs?|[Dd]istrict)\s+of)"
    r"[ \t]+(?:the[ \t]+)?(?=[^\W\d_a-z])"
)
# The same, widened for RE2, which finds every place the scan above may match in one linear pass
# (Python's engine tries its alternatives at every character of the text).  Widened, never
# narrowed: RE2's ``\b`` and classes are ASCII, so a non-ASCII character counts as a boundary
# and as the capital that follows, and ``_governed`` confirms each hit with the pattern above.
_GOVERNOR_GATE = re2.compile(
    r"\b(?:[Ii]n(?:to|side)?|[Nn]ear|[Aa](?:t|round|cross)|[Oo]utside|[Tt]owards?|"
    r"(?:[Oo]utskirts|[Vv]illage|[Tt]own|[Cc]ity|[Pp]ort|[Ss]uburbs?|[Dd]istrict)[\s\v\x{1c}-\x{1f}\x{85}\pZ]+of)"
    r"[ \t]+(?:the[ \t]+)?(?:[A-Z]|[^\x00-\x7f])"
)
# a name just before a unit it lies in: "Zzyxivka, Donetsk oblast", "Zzyxivka (Bakhmut raion"
_BEFORE_UNIT = re.compile(
    r"(?<![\w'’-])((?:[^\W\d_][\w'’-]*[ \t]){0,2}[^\W\d_][\w'’-]*)"
    r"(?:,[ \t]+|[ \t]*\([ \t]*)(?:in[ \t]+)?(?:the[ \t]+)?$"
)
_UNIT_PRECISIONS = frozenset({"oblast", "raion", "hromada"})


def _may_lead_to_unit(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` may end as ``_BEFORE_UNIT`` needs (a comma or an opening
    bracket, then "in" and "the"): most units follow no name, and the pattern is tried at
    every character of its window before it fails."""
    tail = text[start:end]
    tail = (tail[:-1] if tail.endswith("\n") else tail).rstrip(" \t")  # "$" holds before a last "\n"
    for word in ("the", "in"):
        if tail.endswith(word) and (len(tail) == len(word) or tail[-len(word) - 1] in " \t("):
            tail = tail[:-len(word)].rstrip(" \t")
    return tail.endswith((",", "("))


# words that open a sentence before a comma, never a village
_DISCOURSE = frozenset(
    "however meanwhile also separately elsewhere overnight earlier later today yesterday "
    "tonight additionally furthermore moreover nevertheless still yet then so thus instead "
    "previously recently currently initially finally first second third last".split()
)
# words of letters separated by single spaces: nothing here can backtrack
_PHRASE = re.compile(r"[^\W\d_][\w'’-]*(?:[ \t][^\W\d_][\w'’-]*){0,3}")
_NOT_PLACES = frozenset(
    "january february march april may june july august september october november december "
    "monday tuesday wednesday thursday friday saturday sunday spring summer autumn winter "
    "christmas easter english parliament congress telegram twitter facebook youtube "
    "the this that these those it its his her their our my your a an i we they he she "
    "which what when where who whose how all some any one".split()
)

@dataclass(frozen=True, slots=True)
class Candidate:
    """A capitalised phrase the text puts somewhere, with no place resolved for it."""

    name: str
    start: int
    end: int



# ---- candidates in text ------------------------------------------------------------
def _name_words(phrase: str) -> list[str]:
    """The leading capitalised words of a phrase, stopping at the first that is not."""
    words = []
    for word in phrase.split(" "):
        if not word[:1].isupper():
            break
        words.append(word)
    return words


def _plausible(name: str) -> bool:
    key = name.lower()
    first = key.split(" ")[0]
    if first in _NOT_PLACES or first in TITLES_BEFORE_NAME or first in LEADERS:
        return False
    if key in DEMONYMS or (name.isupper() and len(name) <= 4):  # demonyms, acronyms
        return False
    return len(name) >= 3


def _span_mask(length: int, spans: Iterable[tuple[int, int]]) -> bytearray:
    """One byte per character, 1 where a span covers it (linear, unlike pairwise checks)."""
    mask = bytearray(length)
    for s, e in spans:
        mask[s:e] = b"\x01" * (e - s)
    return mask


def _strip_possessive(name: str) -> str:
    """``Bakhmut's`` to ``Bakhmut``; trailing apostrophes and hyphens go too."""
    while True:
        trimmed = name[:-2] if name.endswith(("'s", "’s")) else name.rstrip("'’-")
        if trimmed == name:
            return name
        name = trimmed


def _capitalised_tail(text: str, start: int, end: int) -> int:
    """Where the run of capitalised words that ends ``text[start:end]`` begins (``end`` if none)."""
    at = end
    for word in reversed(text[start:end].split(" ")):
        if not word[:1].isupper():
            break
        at -= len(word) + (at < end)
    return at


def _governed(text: str) -> Iterable[re.Match]:
    """``_GOVERNOR.finditer(text)``, searched with Python's engine only where RE2's wider
    pattern matched.  Every Python match is a match of the wider one, so the RE2 scan finds a
    hit starting at or before it and reaching past its start; the Python matches that start
    inside each hit are taken in turn, as ``finditer`` takes them (a match is never empty)."""
    if not text.isascii() and has_lone_surrogate(text):
        yield from _GOVERNOR.finditer(text)  # RE2 reads UTF-8, which holds no lone surrogate
        return
    pos = 0
    for hit in _GOVERNOR_GATE.finditer(text):
        at, end = max(pos, hit.start()), hit.end()
        while at < end:  # a hit is a few words long: each of its positions is tried
            m = _GOVERNOR.match(text, at)
            if m is None:
                at += 1
            else:
                yield m
                pos = at = m.end()


def unresolved_candidates(text: str, places: Iterable[Place]) -> list[Candidate]:
    """Capitalised names that a locative phrase governs, or that an oblast, raion or hromada
    follows ("X, Donetsk oblast", "X (Bakhmut raion)"), but no place covers.

    Parameters
    ----------
    text
        The report text.
    places
        The places already resolved offline; their spans are skipped.

    Returns
    -------
    list of Candidate
        In text order; ``text[c.start:c.end] == c.name`` for each.
    """
    spans = [(p.start, p.end) for p in places if p.start >= 0]
    spans += organisation_spans(text)
    taken = _span_mask(len(text), spans)
    found = {}
    for gov in _governed(text):
        phrase = _PHRASE.match(text, gov.end())
        words = _name_words(phrase.group(0)) if phrase else []
        if not words:
            continue
        name = _strip_possessive(" ".join(words))
        start = gov.end()
        end = start + len(name)
        if _plausible(name) and taken.find(1, start, end) < 0:
            found[start] = Candidate(name, start, end)
    for p in places:  # one short look back from each oblast, raion or hromada: O(places)
        if getattr(p, "precision", None) not in _UNIT_PRECISIONS or p.start < 0:
            continue
        lo = max(0, p.start - 60)
        before = _BEFORE_UNIT.search(text, lo, p.start) if _may_lead_to_unit(text, lo, p.start) else None
        if before is None:
            continue
        start = _capitalised_tail(text, before.start(1), before.end(1))
        name = _strip_possessive(text[start:before.end(1)])
        end = start + len(name)
        if start < end and start not in found and name.split(" ")[0].lower() not in _DISCOURSE \
                and _plausible(name) and taken.find(1, start, end) < 0:
            found[start] = Candidate(name, start, end)
    return [found[s] for s in sorted(found)]
