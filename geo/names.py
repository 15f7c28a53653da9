"""Name normalisation shared by the gazetteer build and recognition.

Normalising must keep a one-to-one mapping between characters so that match
offsets in normalised text are offsets in the original text.
"""

from __future__ import annotations

import functools

import numpy as np

_FOLD = (
    ("\u2019", "'"), ("\u2018", "'"), ("`", "'"), ("\u02bc", "'"), ("\u00b4", "'"),
    ("\u2010", "-"), ("\u2011", "-"), ("\u2012", "-"), ("\u2013", "-"), ("\u2014", "-"),
    ("\u00a0", " "), ("\t", " "), ("\n", " "), ("\r", " "),
)


def fold_text(text: str) -> str:
    """Lower-case and fold quotes and dashes, keeping every offset in place."""
    # one replace per character present: str.translate with a table goes character by
    # character over the whole text
    for char, plain in _FOLD:
        if char in text:
            text = text.replace(char, plain)
    folded = text.lower()
    if len(folded) == len(text):
        return folded
    # rare characters grow when lower-cased (e.g. dotted capital I): fold one by one
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


def word_char_at(text: str, i: int) -> bool:
    """Whether ``text[i]`` is a character regex ``\\w`` matches (``False`` outside the text).

    For checking a word boundary by hand where a leading ``\\b`` would stop the
    regex engine from skipping ahead to a pattern's first letters.
    """
    return 0 <= i < len(text) and (text[i].isalnum() or text[i] == "_")


def run_start(text: str, end: int, low: int, chars: frozenset[str]) -> int:
    """Where the run of ``chars`` ending at ``end`` starts, looking no further back than ``low``.

    Reading a short run backwards from a known end, instead of searching a window
    with a regex that ends in ``$`` (which tries every position of the window).
    """
    begin = end
    while begin > low and text[begin - 1] in chars:
        begin -= 1
    return begin


def normalise(name: str) -> str:
    """The lookup key of a place name: folded, with single spaces."""
    return " ".join(fold_text(name).split())


BOUNDARY = "\x02"
"""What every character that is not a letter or digit becomes in boundary text (see
:func:`boundary_text`): the name automaton's keys start with it, so a name matches only
where the character before it is no letter or digit, or at the start of the text."""

_ASCII_BOUNDARY = bytes(c if chr(c).isalnum() else ord(BOUNDARY) for c in range(256))  # for ASCII text
_ASCII_ALNUM = bytes(chr(c).isalnum() for c in range(256))


@functools.cache
def _bmp_alnum() -> np.ndarray:
    """``str.isalnum`` of every character of the Basic Multilingual Plane (worked out once)."""
    return np.array([chr(c).isalnum() for c in range(0x10000)], dtype=bool)


def boundary_text(folded: str) -> tuple[str, bytes]:
    """Folded text as the name automaton reads it, and where its letters and digits are.

    The first is ``folded`` with each character that is not alphanumeric (``str.isalnum``)
    replaced by ``BOUNDARY``, and a ``BOUNDARY`` before and after it: ``folded[i]`` is at
    ``i + 1``.  The second has a byte per character of ``folded``, 1 where it is
    alphanumeric, then two 0s (as long as the first).  A table lookup (numpy, or
    ``bytes.translate`` for ASCII), not a regex substitution over the whole text.
    """
    if folded.isascii():
        raw = folded.encode("ascii")
        return (BOUNDARY + raw.translate(_ASCII_BOUNDARY).decode("ascii") + BOUNDARY,
                raw.translate(_ASCII_ALNUM) + b"\0\0")
    # lone surrogates pass through the codec; they are no letters, so they become BOUNDARY
    code = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), np.uint32)
    table = _bmp_alnum()
    if code.max() > 0xFFFF:  # characters beyond the BMP (emoji, ...): asked one by one
        alnum = table[np.minimum(code, 0xFFFF)]
        for i in np.flatnonzero(code > 0xFFFF).tolist():
            alnum[i] = chr(code[i]).isalnum()
    else:
        alnum = table[code]
    mapped = np.where(alnum, code, np.uint32(ord(BOUNDARY)))
    return BOUNDARY + mapped.tobytes().decode("utf-32-le") + BOUNDARY, alnum.tobytes() + b"\0\0"


def boundary_key(key: str) -> str:
    """A normalised name as the name automaton stores it: ``BOUNDARY``, then the name with
    each character that is not alphanumeric replaced by ``BOUNDARY`` (as in
    :func:`boundary_text`).  Names differing only in such characters ("new york",
    "new-york") share a boundary key."""
    if key.isalnum():
        return BOUNDARY + key
    return BOUNDARY + "".join(c if c.isalnum() else BOUNDARY for c in key)
