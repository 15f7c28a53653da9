"""Name normalisation shared by the gazetteer build and recognition.

Normalising must keep a one-to-one mapping between characters so that match
offsets in normalised text are offsets in the original text.
"""

from __future__ import annotations

_FOLD = str.maketrans({
    "\u2019": "'", "\u2018": "'", "`": "'", "\u02bc": "'", "\u00b4": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u00a0": " ", "\t": " ", "\n": " ", "\r": " ",
})


def fold_text(text: str) -> str:
    """Lower-case and fold quotes and dashes, keeping every offset in place."""
    folded = text.translate(_FOLD).lower()
    if len(folded) == len(text):
        return folded
    # rare characters grow when lower-cased (e.g. dotted capital I): fold one by one
    return "".join(low if len(low := ch.lower()) == 1 else ch
                   for ch in text.translate(_FOLD))


def normalise(name: str) -> str:
    """The lookup key of a place name: folded, with single spaces."""
    return " ".join(fold_text(name).split())
