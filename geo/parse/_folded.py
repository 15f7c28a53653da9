"""Speed only: a case-insensitive pattern searched as a case-sensitive one in the folded text.

Python's regex engine skips ahead to the characters a pattern can start with
only when it knows them: not under ``re.IGNORECASE`` when they are letters,
and not when the pattern opens with ``\\b``.  The triggers and most cues are
both, so every search tried the pattern at every character of its span.

``FoldedSearch`` searches a lower-case copy of a pattern, without ``re.I`` and
without its leading ``\\b``, in the text folded by ``geo.parse._gates.fold``
(one character for one), checks the word boundary by hand at each place the
copy matches, and makes the match with the original pattern right there.  It
finds what the original's ``search`` finds:

- folding maps a character to the ASCII letter ``x`` exactly when ``re.I``
  lets ``x`` match it (the upper case, the dotless and dotted I, the long s, the
  Kelvin sign), and keeps every other character a word character, a space or a
  digit as it was (``tests/parse/test_folded_search.py`` checks every code point);
- so the copy matches at a place of the folded text exactly where the original
  matches at that place of the text, and the first place where it does, with a
  word boundary, is where the original's search matches.

A pattern with a letter the folding does not keep (non-ASCII, or written as an
escape), a range that lower case would change (``[0-Z]``), inline flags, or flags
other than ``re.I`` gets no copy and is searched as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from geo.names import word_char_at
from geo.parse._gates import _Unsupported, _tokens


_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]")


def folded_source(source: str) -> tuple[str, bool] | None:
    """The lower-case copy of ``source``, and whether a leading ``\\b`` was taken off (only
    from a pattern with no top-level alternatives); ``None`` if it cannot be written."""
    out: list[str] = []
    depth, top_bar = 0, False
    try:
        for kind, tok in _tokens(source):
            if kind == "open":
                if _INLINE_FLAGS.match(tok):
                    return None  # inline flags: "(?-i:...)" would keep its case
                depth += 1
                out.append(tok)
            elif kind == "close":
                depth -= 1
                out.append(tok)
            elif kind == "bar":
                top_bar = top_bar or depth == 0
                out.append(tok)
            elif kind == "escape":
                c = tok[1:]
                if len(c) != 1 or (c.isalnum() and c not in "sSwWdDbBAZntrfva"):
                    return None  # \x41, \u0041, \N{...}, octal and back references name letters
                out.append(tok)
            elif kind == "class":
                if not _plain_class(tok):
                    return None
                out.append(_lower_class(tok))
            else:
                if not tok.isascii() and (tok.lower() != tok or tok.upper() != tok):
                    return None  # a letter with a case outside ASCII
                out.append(tok.lower())
    except _Unsupported:
        return None
    text = "".join(out)
    if not top_bar and text.startswith("\\b"):
        return text[2:], True
    return text, False


def _plain_class(tok: str) -> bool:
    """Whether lower-casing a class's letters keeps what it matches under ``re.I``: no
    letter with a case outside ASCII, and each range one of letters of one case or of
    digits (``[0-Z]`` holds capitals only)."""
    if any(not ch.isascii() and (ch.lower() != ch or ch.upper() != ch) for ch in tok):
        return False
    body = tok[1:-1]
    body = body[1:] if body.startswith("^") else body
    items, i = [], 0
    while i < len(body):  # a member is a character or an escape
        n = 2 if body[i] == "\\" else 1
        items.append(body[i:i + n])
        i += n
    for k in range(1, len(items) - 1):
        if items[k] == "-" and k > 0:
            lo, hi = items[k - 1], items[k + 1]
            letters = all(len(x) == 1 and x.isascii() and x.isalpha() for x in (lo, hi)) \
                and lo.isupper() == hi.isupper()
            if not letters and not (len(lo) == len(hi) == 1 and lo.isdigit() and hi.isdigit()):
                return False
    return True


def _lower_class(tok: str) -> str:
    """A class with its letters in lower case, its escapes (``\\W``, ``\\S``) kept."""
    out, i = [], 0
    while i < len(tok):
        if tok[i] == "\\":
            out.append(tok[i:i + 2])
            i += 2
        else:
            out.append(tok[i].lower())
            i += 1
    return "".join(out)


class FoldedSearch:
    """``pattern.search(text, start, end)``, found in ``folded`` (``_gates.fold(text)``)."""

    __slots__ = ("pattern", "copy", "boundary")

    def __init__(self, pattern: re.Pattern, copy: re.Pattern, boundary: bool):
        self.pattern, self.copy, self.boundary = pattern, copy, boundary

    @classmethod
    def of(cls, pattern: re.Pattern) -> FoldedSearch | None:
        if pattern.flags & ~re.UNICODE != re.IGNORECASE or not isinstance(pattern.pattern, str):
            return None
        written = folded_source(pattern.pattern)
        if written is None:
            return None
        try:
            copy = re.compile(written[0])
        except re.error:
            return None
        return cls(pattern, copy, written[1])

    def search(self, text: str, folded: str, start: int, end: int) -> re.Match | None:
        pos = start
        while (m := self.copy.search(folded, pos, end)) is not None:
            at = m.start()
            if not self.boundary or word_char_at(folded, at - 1) != (at < end and word_char_at(folded, at)):
                found = self.pattern.match(text, at, end)
                if found is not None:
                    return found
            pos = at + 1
        return None


def folded_search(pattern: re.Pattern) -> Callable[[str, str, int, int], re.Match | None]:
    """``(text, folded, start, end) -> pattern.search(text, start, end)``: by ``FoldedSearch``
    where the pattern has a copy, else by the pattern itself."""
    fast = FoldedSearch.of(pattern)
    if fast is not None:
        return fast.search
    return lambda text, folded, start, end: pattern.search(text, start, end)
