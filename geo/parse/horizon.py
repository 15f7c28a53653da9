"""How far a very long report is read: up to its first ``settings.MAX_REPORT_NAMES`` names,
and for events up to its first ``settings.MAX_REPORT_EVENTS`` events.

A daily report names a few hundred places.  A 5 MB log naming two villages a sentence
names two hundred thousand, and reading each one's context costs the same, so such a
report is read up to the sentence that would pass the bound, and the parse says where it
stopped.  The count is a cheap upper bound: every capitalised word the name automata
find (English and Cyrillic), before the context rules drop the ones that are no place.
"""

from __future__ import annotations

import re

from geo import settings
from geo.gazetteer.loader import Gazetteer
from geo.names import fold_text

_SHORTEST_NAME = 3
"""Characters a name takes at least, with the space after it: a shorter text is read whole."""
_SENTENCE_END = re.compile(r"[.!?…\n]")


def reading_end(text: str, gaz: Gazetteer, most: int | None = None) -> int:
    """Where reading ``text`` stops: ``len(text)``, or the start of the sentence holding
    its ``most + 1``-th capitalised name (``most``: ``settings.MAX_REPORT_NAMES``)."""
    most = settings.MAX_REPORT_NAMES if most is None else most
    if len(text) <= most * _SHORTEST_NAME:
        return len(text)
    folded = fold_text(text)
    starts = [s for s, _, _ in gaz.boundary_matches(folded) if text[s].isupper()]
    from geo.parse.language import has_cyrillic

    if has_cyrillic(text):
        from geo.parse.cyrillic import whole_form_hits

        starts += [s for s in whole_form_hits(gaz, folded) if text[s].isupper()]
    if len(starts) <= most:
        return len(text)
    starts.sort()
    at = starts[most]
    cut = 0
    for m in _SENTENCE_END.finditer(text, max(0, at - 2000), at):
        cut = m.end()
    while 0 < cut < at and text[cut].isspace():  # the next sentence starts after the spaces
        cut += 1
    return cut if cut > 0 else at


def stopped_warning(length: int, stopped_at: int) -> str:
    """The warning of a report read only up to ``stopped_at``."""
    return (f"too many place names: a report is read up to {settings.MAX_REPORT_NAMES:,} of them, so this one "
            f"was read up to character {stopped_at:,} of {length:,}; split the report to read the rest")


def too_many_events(length: int, stopped_at: int) -> str:
    """The warning of a report that holds more events than one report lists
    (``settings.MAX_REPORT_EVENTS``): where reading for events stopped."""
    return (f"too many events: a report lists at most {settings.MAX_REPORT_EVENTS:,}, so events were read "
            f"up to character {stopped_at:,} of {length:,}; split the report to read the rest for events")


def quote_window(text: str, start: int, end: int, at: int) -> str:
    """An event's quote: its sentence ``text[start:end]``, or, when that is over
    ``settings.MAX_QUOTE_CHARS`` long (a text with no full stops is one huge "sentence"),
    the characters around ``at`` (the trigger) up to that many.  Each event keeps its own
    quote, so a megabyte "sentence" quoted whole by each of its events filled the memory."""
    most = settings.MAX_QUOTE_CHARS
    if end - start <= most:
        return text[start:end]
    s = min(max(start, at - most // 2), end - most)
    return text[s:s + most]


def too_many_points(count: int, stopped_at: int) -> str:
    """The warning of a report writing more coordinate pairs than a report is read for
    names (``settings.MAX_REPORT_NAMES``): the pairs after that many are not places."""
    return (f"too many coordinates: a report is read for {settings.MAX_REPORT_NAMES:,} written points, so "
            f"the {count - settings.MAX_REPORT_NAMES:,} from character {stopped_at:,} on were not read; "
            f"split the report to read the rest")
