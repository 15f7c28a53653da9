"""Name normalisation shared by the gazetteer build and recognition.

Normalising must keep a one-to-one mapping between characters so that match
offsets in normalised text are offsets in the original text.
"""

from __future__ import annotations

_FOLD = (
    ("\u2019", "'"), ("\u2018", "'"), ("`", "'"), ("\u02bc", "'"), ("\u00b4", "'"),
    ("\u2010", "-"), ("\u2011", "-"), ("\u2012", "-"), ("\u2013", "-"), ("\u2014", "-"),
    ("\u00a0", " "), ("\t", " "), ("\n", " "), ("\r", " "),
)


def fold_text(text: str) -> str:
    """Lower-case and fold quotes and dashes, keeping every offset in place."""
    # one replace per character present: str.translate with a table went character by
    # character and was 14 times slower over a whole text
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


def normalise(name: str) -> str:
    """The lookup key of a place name: folded, with single spaces."""
    return " ".join(fold_text(name).split())
