"""Sentence and clause splitting: linear-time regular expressions, no model.

Handles quotes after the full stop, common abbreviations ("Mr.", "U.S.",
"Gen."), initials, numbers such as "18-60" or "3.5", and line breaks.
"""

from __future__ import annotations

import re
import string

from geo.names import run_start
from geo.parse.cues import BEARING

_ABBREVIATIONS = frozenset({
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "st", "mt",
    "jr", "sr", "vs", "etc", "no", "approx", "est", "dept", "govt", "rep", "sen", "gov",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "e.g", "i.e", "u.s", "u.k", "u.n", "a.m", "p.m", "inc", "ltd", "co", "corp", "fig",
})
# a candidate boundary: terminal punctuation, optional closing quotes/brackets, space; or a
# line break.  It opens with the class of every first character, so the regex engine skips
# ahead to those characters (as "[.!?…]+...|\n\s*\n|\n(?=\s*\S)" it tried all three
# alternatives at every position); each alternative then checks the
# character it began with.
_BOUNDARY = re.compile(r"[.!?…\n](?:(?<=[.!?…])[.!?…]*[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9\u0400-\u042F])"
                       r"|(?<=\n)\s*\n|(?<=\n)(?=\s*\S))")
# a Markdown ATX heading: the "#" marks, then the heading's text up to the line end
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+(?=\S)", re.M)
_LINE_END = re.compile(r"\r\n|[\n\r\u2028\u2029]")

# A clause break: a comma, dash or colon before a linking word ("but", "while", "according
# to"...), a semicolon, colon, dash or bracket, or a space before a contrasting word.  A
# break that starts on a space starts where the run of spaces starts (trying every position
# inside a long run made splitting quadratic in its length).  The pattern opens with the class
# of every first character, so the regex engine skips ahead to spaces and punctuation; each
# alternative then checks what it began with.  Written plainly, with the break's alternatives
# tried at every position, it would read:
#   (?:(?<!\s)|(?!\s))(?:\s*(?:[,;:–—]|\s-\s)\s*(?=LINK)|\s*[;:–—\[\]]\s*|\s+(?=CONTRAST))
_LINK = (r"(?:but|and|as|while|whereas|although|though|however|after|before|because|since|due\s+to|"
         r"according\s+to|which|who|with|a\s+move|meanwhile)\b")
_CONTRAST = r"(?:but|while|whereas|although|because|due\s+to)\b"
_RUN_START = r"(?<=\s)(?<!\s\s)"  # began on a space that follows no space
_CLAUSE = re.compile(
    r"[\s,;:–—\[\]](?:"
    rf"{_RUN_START}(?:\s*(?:[,;:–—]|\s-\s)|-\s)\s*(?={_LINK})"
    rf"|(?<=[,;:–—])\s*(?={_LINK})"
    rf"|{_RUN_START}\s*[;:–—\[\]]\s*"
    r"|(?<=[;:–—\[\]])\s*"
    rf"|{_RUN_START}\s*(?={_CONTRAST}))",
    re.I,
)


_WORD_CHARS = frozenset(string.ascii_letters + ".")
_CYRILLIC_ABBREVIATIONS = frozenset("нпмсгд")  # населений пункт, місто, село, город, деревня
_PAST_LONGEST = max(map(len, _ABBREVIATIONS)) + 1


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    if dot and not text[dot - 1].isascii() and text[dot - 1].isalpha() and (dot < 2 or not text[dot - 2].isalpha()):
        # one Cyrillic letter: an initial ("В. Зеленський") or a settlement word ("н.п.", "м.
        # Харків", "с. Гірник"); but not a year's or a measure's ("2022 р.", "2022 г.", "5 м.")
        letter, after_number = text[dot - 1], dot >= 3 and text[dot - 2] == " " and text[dot - 3].isdigit()
        return letter.isupper() or (letter in _CYRILLIC_ABBREVIATIONS and not after_number)
    # most dots end a word longer than any abbreviation: then the run read below is that word
    before = text[dot - _PAST_LONGEST:dot] if dot >= _PAST_LONGEST else ""
    if before.isalpha() and before.isascii():
        return False
    # what ([A-Za-z.]+)$ finds in the 12 characters before the dot, read backwards (the
    # regex tried each of the 12 positions): the letters and dots up to the dot, or up to a
    # line break just before it, which "$" also matches before
    low = max(0, dot - 12)
    end = dot - 1 if dot > low and text[dot - 1] == "\n" else dot
    begin = run_start(text, end, low, _WORD_CHARS)
    if begin == end:
        return False
    word = text[begin:end].lower().rstrip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, in order, trimmed of surrounding space.

    A Markdown heading line ("# Situation report, 27 February 2022") is a
    segment of its own, without its "#" marks: it never joins the sentence
    before or after it, whatever punctuation it ends with.
    """
    # built as one list: a generator a sentence (and one within it to trim the
    # spaces) cost more than finding the boundaries
    out: list[tuple[int, int]] = []
    pos = 0
    # a heading needs its "#": the pattern, anchored at line starts, tries every position
    for h in (_HEADING.finditer(text) if "#" in text else ()):
        _split_block(text, pos, h.start(), out)
        le = _LINE_END.search(text, h.end())
        end = le.start() if le else len(text)
        _trimmed(text, h.end(), end, out)
        pos = end
    _split_block(text, pos, len(text), out)
    return out


def _split_block(text: str, start: int, stop: int, out: list[tuple[int, int]]) -> None:
    for m in _BOUNDARY.finditer(text, start, stop):
        if _is_abbreviation(text, m.start()):
            continue
        end = m.end()
        _trimmed(text, start, end, out)
        start = end
    _trimmed(text, start, stop, out)


def _trimmed(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    """Add ``(start, end)`` to ``out`` without the spaces at either end, if anything is left."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append((start, end))


_ACLED_LABEL = re.compile(
    r"[ \t]*(?:Shelling/artillery/missile attack|Shelling|Air/drone strike|Armed clash|Attack|Interception|"
    r"Remote explosive/landmine/IED|Grenade|Looting/property destruction|Abduction/forced disappearance|"
    r"Peaceful protest|Protest with intervention|Non-state actor overtakes territory|Government regains territory|"
    r"Disrupted weapons use|Non-violent transfer of territory|Sexual violence|Mob violence)[ \t]*:[ \t]*")
"""The sub-event type an ACLED note may open with ("Shelling: On 2 April 2023, Russian forces
shelled ..."): part of the note's first clause, so its word and the note's verb are one event,
by the note's actor."""


def split_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split a sentence (given by offsets into ``text``) into clause spans."""
    label = _ACLED_LABEL.match(text, start, end)
    if label is not None:  # the label and the clause after it are one
        spans = split_clauses(text, label.end(), end)
        return [(start, spans[0][1]), *spans[1:]]
    spans, cur = [], start
    # a slice, so the look-behind cannot see the space before the sentence
    for m in _CLAUSE.finditer(text[start:end]):
        if start + m.start() > cur:
            spans.append((cur, start + m.start()))
        cur = start + m.end()
    if cur < end:
        spans.append((cur, end))
    return spans or [(start, end)]


# the head of a clause that only goes on with a list of places: "and Vodiane", "and southeast of
# Kupyansk near Kolisnykivka", "or near Pobieda"
_LIST_GOES_ON = re.compile(
    rf"(?:(?:and|or)\s+)?(?:{BEARING}(?:ern)?\s+of\s+"
    r"(?=[A-Z\u0400-\u042F])|(?:near|in|at|around|outside|the)\s+)*(?=[A-Z\u0400-\u042F])")
_BRACKETED = re.compile(r"\([^()]*\)")
_LOWER_WORD = re.compile(r"(?<![\w'’-])[a-z][\w'’-]*")
# the words a list of places is written with: no verb ("and Salome went to his tomb" is no list)
_LIST_WORDS = frozenset(
    "and or near in at around outside the of north south east west northeast northwest southeast "
    "southwest north-east north-west south-east south-west northern southern eastern western "
    "all both each direction directions area areas vicinity outskirts village villages town towns "
    "settlement settlements city oblast raion district region hromada forest on oblasts raions districts regions "
    "hromadas communities".split())


def list_goes_on(text: str, start: int, end: int, places: list[tuple[int, int]]) -> bool:
    """Whether the clause ``text[start:end]`` (``places``: the spans of its places) only carries
    on the list of places of the clause before it (split at its serial comma: "near Nevelske, Pervomaiske, and Vodiane"): it opens
    with "and" or "or" (after a semicolon, maybe not: ISW's "near X; northeast of Y near Z;
    and ..."), a bearing or a preposition at most, then a place, and holds nothing but places
    and the words lists of places are written with."""
    m = _LIST_GOES_ON.match(text, start, end)
    if m is None or not any(s == m.end() for s, _ in places):
        return False
    rest = list(text[start:end])
    for s, e in places:
        if start <= s and e <= end:
            rest[s - start:e - start] = " " * (e - s)
    words = _LOWER_WORD.findall(_BRACKETED.sub(" ", "".join(rest)))
    return all(w.lower() in _LIST_WORDS for w in words)
