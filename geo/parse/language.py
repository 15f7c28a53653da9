"""The language of each sentence: Ukrainian, Russian, English, or mixed.

Letters decide, no model: a sentence of Latin letters is English; one of
Cyrillic letters is Ukrainian or Russian by the letters only one of them has
(і ї є ґ against ы э ё ъ), then by short function words; a sentence with
both scripts in weight is mixed (an English report quoting Ukrainian names
is English while the Cyrillic stays a small share).  A Cyrillic sentence
with no telling letter or word takes the language of the whole text.
"""

from __future__ import annotations

import functools
import re
import threading

LANGUAGES = ("en", "uk", "ru", "mixed")

_CYRILLIC = re.compile("[\u0400-\u04ff]")
_CYRILLIC_LETTERS = re.compile("[\u0400-\u04ff]+")
_LATIN_LETTERS = re.compile("[A-Za-z]+")
_UK_LETTERS = re.compile("[іїєґІЇЄҐ]")
_RU_LETTERS = re.compile("[ыэёъЫЭЁЪ]")
_UK_WORDS = re.compile(r"(?i)(?<!\w)(?:та|що|це|від|але|його|або|вже|було|щодо|через|які?|яка|цей|ця|ще)(?!\w)")
_RU_WORDS = re.compile(r"(?i)(?<!\w)(?:что|это|от|но|его|или|уже|было|через|как|который|которые|еще|также|при)(?!\w)")
_MINOR_SHARE = 0.2
"""A script under this share of a sentence's letters does not make it mixed."""


@functools.lru_cache(maxsize=4)  # each stage of a parse asks about the same text
def has_cyrillic(text: str) -> bool:
    """Whether ``text`` holds any Cyrillic letter (one C-level scan; English text skips the rest)."""
    return not text.isascii() and _CYRILLIC.search(text) is not None


def _cyrillic_language(text: str, start: int, end: int) -> str | None:
    uk = len(_UK_LETTERS.findall(text, start, end))
    ru = len(_RU_LETTERS.findall(text, start, end))
    if uk != ru:
        return "uk" if uk > ru else "ru"
    uk = len(_UK_WORDS.findall(text, start, end))
    ru = len(_RU_WORDS.findall(text, start, end))
    if uk != ru:
        return "uk" if uk > ru else "ru"
    return None


@functools.lru_cache(maxsize=2)
def analyser(lang: str):
    """pymorphy3's analyser of ``"uk"`` or ``"ru"`` (0.2 s to load, once a process)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang=lang)


_LONG_WORDS = re.compile("[\u0400-\u04ff]{5,}")


def _dictionary_language(text: str, start: int, end: int) -> str | None:
    """Which dictionary knows more of a span's longer words (a sentence with no telling letter)."""
    words = _LONG_WORDS.findall(text.lower(), start, end)[:8]
    uk = sum(analyser("uk").word_is_known(w) for w in words)
    ru = sum(analyser("ru").word_is_known(w) for w in words)
    return None if uk == ru else "uk" if uk > ru else "ru"


def span_language(text: str, start: int = 0, end: int | None = None, default: str = "uk") -> str:
    """The language of ``text[start:end]``: ``"en"``, ``"uk"``, ``"ru"`` or ``"mixed"``.

    ``default`` is the Cyrillic language to take when the span's letters do not tell.
    """
    end = len(text) if end is None else end
    if not _CYRILLIC.search(text, start, end):
        return "en"
    cyr = sum(map(len, _CYRILLIC_LETTERS.findall(text, start, end)))
    lat = sum(map(len, _LATIN_LETTERS.findall(text, start, end)))
    total = cyr + lat
    if cyr < _MINOR_SHARE * total:
        return "mixed"
    if lat >= _MINOR_SHARE * total:
        return "mixed"
    return _cyrillic_language(text, start, end) or _dictionary_language(text, start, end) or default


def text_language(text: str) -> str:
    """The language of a whole text (its Cyrillic letters taken together)."""
    if not has_cyrillic(text):
        return "en"
    return span_language(text, 0, len(text), _cyrillic_language(text, 0, len(text))
                         or _dictionary_language(text, 0, len(text)) or "uk")


def sentence_languages(text: str, sentences: list[tuple[int, int]]) -> list[str]:
    """The language of each ``(start, end)`` sentence of ``text``; undecided Cyrillic sentences
    take the text's own language."""
    if not has_cyrillic(text):
        return ["en"] * len(sentences)
    default = _cyrillic_language(text, 0, len(text)) or _dictionary_language(text, 0, len(text)) or "uk"
    return [span_language(text, s, e, default) for s, e in sentences]


_LAST = threading.local()


def sentences_with_languages(text: str) -> list[tuple[int, int, str]]:
    """Each sentence of ``text`` (``split_sentences``) with its language, kept for the text last
    asked about in this thread (mentions and events both ask)."""
    last = getattr(_LAST, "value", None)
    if last is not None and last[0] is text:
        return last[1]
    from geo.parse.sentences import split_sentences

    sentences = split_sentences(text)
    out = [(s, e, lang) for (s, e), lang in zip(sentences, sentence_languages(text, sentences))]
    _LAST.value = (text, out)
    return out
