"""Dates read from a report's text: absolute, relative to the report, or to the last date named.

``find_dates`` returns every date expression with its day.  Absolute dates
("1 March 2022", "March 1", "on 25 February", "11.11.2022", "2022-03-01"),
days relative to the report's date ("yesterday", "overnight", "last week",
"on Monday", "three days ago"), days of the war ("on the first day of the
invasion") and days relative to the date named before ("a week later", "the
next day").  A year-less date takes the report's year, or the year before if
that would put it more than a week after the report.

``event_date`` picks an event's day: a date in its own clause, else one in a
clause of its sentence that frames it (the first clause, or one with no event
of its own), else the report's date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from geo import settings
from geo.names import fold_text, word_char_at
from geo.parse._gates import fold

_MONTHS = {m: i for i, names in enumerate((
    ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
    ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"),
    ("october", "oct"), ("november", "nov"), ("december", "dec")), start=1) for m in names}
_MONTH = r"(?P<{}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
            "seven": 7, "eight": 8, "nine": 9, "ten": 10}
_ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
             "eighth": 8, "ninth": 9, "tenth": 10}
_COUNT = r"(?P<n>\d{1,3}|" + "|".join(_NUMBERS) + r")"

# matched in the folded (lower-cased, offset-keeping) text, case-sensitively and without a
# leading \b, so the engine skips ahead to each pattern's first characters; the word
# boundary before a match is checked by hand (re.I and a leading \b made the scan of every
# text cost as much as the rest of event extraction)
_PATTERNS: tuple[tuple[str, re.Pattern], ...] = tuple((kind, re.compile(rx.removeprefix(r"\b"))) for kind, rx in (
    ("iso", r"\b(?P<y>20\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)\b"),
    ("dmy_num", r"\b(?P<d>[0-3]?\d)[./](?P<m>[01]?\d)[./](?P<y>20\d\d)\b"),
    ("dmy", r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?" + _MONTH.format("mon") +
     r"(?:,?\s+(?P<y>(?:19|20)\d\d))?\b"),
    ("mdy", r"\b" + _MONTH.format("mon") + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?![:.]\d)"
     r"(?:,?\s+(?P<y>(?:19|20)\d\d))?"),
    ("war_day", r"\b(?P<ord>" + "|".join(_ORDINALS) + r"|\d{1,4}(?:st|nd|rd|th))\s+day\s+"
     r"of\s+(?:the\s+)?(?:full-scale\s+)?(?:war|invasion|conflict|offensive)\b"),
    ("rel", r"\b(?P<rel>the\s+day\s+before\s+yesterday|yesterday|today|this\s+(?:morning|afternoon|evening)|"
     r"tonight|earlier\s+today|overnight|last\s+night|last\s+week|a\s+week\s+ago|last\s+month)\b"),
    ("ago", r"\b" + _COUNT + r"\s+(?P<unit>days?|weeks?)\s+ago\b"),
    ("later", r"\b(?:" + _COUNT + r"\s+(?P<unit>days?|weeks?)\s+(?P<dir>later|after(?:wards)?|earlier|before)|"
     r"the\s+(?P<next>next|following|previous|preceding)\s+day|the\s+day\s+(?P<dir2>after|before)|"
     r"(?P<same>(?:earlier|later)\s+that\s+day|(?:on\s+)?the\s+same\s+(?:day|date)|that\s+same\s+day))\b"),
    ("weekday", r"\b(?P<last>last\s+)?(?P<wd>(?:mon|tues|wednes|thurs|fri|satur|sun)day)\b"),
))
# a bound, not when something happened: "since 24 February", "until Monday"
_NOT_WHEN = re.compile(r"\b(?:since|until|till|by|before|from|starting|ahead\s+of|through)\s+"
                       r"(?:(?:the|early|late|mid|\d+\s*[ap]\.?m\.?|on)\s+)*$", re.I)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression in the text and the day it names."""

    start: int
    end: int
    day: dt.date
    kind: str
    when: bool = True  # False for a bound ("since 24 February"): not an event's day


def _year_for(month: int, day: int, anchor: dt.date | None) -> int | None:
    if anchor is None:
        return None
    try:
        guess = dt.date(anchor.year, month, day)
    except ValueError:
        return None
    return anchor.year - 1 if guess > anchor + dt.timedelta(days=7) else anchor.year


def _absolute(kind: str, m: re.Match, anchor: dt.date | None) -> dt.date | None:
    if kind in ("iso", "dmy_num"):
        d, mo, y = int(m.group("d")), int(m.group("m")), int(m.group("y"))
        if kind == "dmy_num" and mo > 12 and d <= 12:  # 03/14/2023: month first
            d, mo = mo, d
    else:
        d, mo = int(m.group("d")), _MONTHS[fold(m.group("mon"))]
        y = int(m.group("y")) if m.group("y") else _year_for(mo, d, anchor)
        if y is None:
            return None
    try:
        return dt.date(y, mo, d)
    except ValueError:
        return None


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word.lower()]


def _relative(kind: str, m: re.Match, anchor: dt.date | None, last: dt.date | None) -> dt.date | None:
    if kind == "war_day":
        o = m.group("ord").lower()
        n = _ORDINALS.get(o) or int(re.match(r"\d+", o).group(0))
        return settings.CONFLICT_START + dt.timedelta(days=n - 1)
    if kind == "later":
        base = last or anchor
        if base is None:
            return None
        if m.group("same"):
            return base
        if m.group("next"):
            return base + dt.timedelta(days=1 if m.group("next").lower() in ("next", "following") else -1)
        if m.group("dir2"):
            return base + dt.timedelta(days=1 if m.group("dir2").lower() == "after" else -1)
        n = _count(m.group("n")) * (7 if m.group("unit").lower().startswith("week") else 1)
        return base + dt.timedelta(days=n if m.group("dir").lower().startswith(("later", "after")) else -n)
    if anchor is None:
        return None
    if kind == "ago":
        n = _count(m.group("n")) * (7 if m.group("unit").lower().startswith("week") else 1)
        return anchor - dt.timedelta(days=n)
    if kind == "weekday":
        back = (anchor.weekday() - _WEEKDAYS.index(m.group("wd").lower())) % 7
        if m.group("last") and back == 0:
            back = 7
        return anchor - dt.timedelta(days=back)
    rel = " ".join(m.group("rel").lower().split())
    days = {"the day before yesterday": 2, "yesterday": 1, "overnight": 1, "last night": 1,
            "last week": 7, "a week ago": 7, "last month": 30}.get(rel, 0)
    return anchor - dt.timedelta(days=days)


# a pattern is searched only in a text holding one of these (speed only: every match holds one)
_NEEDS = {
    "iso": ("-",), "dmy_num": (".", "/"), "war_day": ("day",), "ago": (" ago",), "weekday": ("day",),
    "later": ("later", "after", "earlier", "before", "day"),
    "rel": ("yesterday", "today", "this ", "tonight", "overnight", "night", "week", "month"),
}


_DIGIT = re.compile(r"\d")
_FULL = frozenset({"iso", "dmy_num", "dmy", "mdy"})
"""The kinds that write the day as a number."""


def _spans(text: str, start: int = 0, end: int | None = None,
           kinds: frozenset[str] | None = None) -> list[tuple[int, int, str, re.Match]]:
    """Every date expression in ``text[start:end]`` as (start, end, kind, match), longest
    first where two overlap, in text order; offsets are the text's, the match the slice's.
    ``kinds`` keeps to those kinds of expression."""
    end = len(text) if end is None else end
    folded = fold_text(text[start:end])
    found = []
    digit = _DIGIT.search(folded) is not None
    for kind, rx in _PATTERNS:
        if kinds is not None and kind not in kinds:
            continue
        if not digit and kind in _FULL:
            continue
        needs = _NEEDS.get(kind)
        if needs is not None and not any(n in folded for n in needs):
            continue
        pos = 0
        while (m := rx.search(folded, pos)) is not None:
            if word_char_at(folded, m.start() - 1):
                pos = m.start() + 1
                continue
            found.append((start + m.start(), start + m.end(), kind, m))
            pos = max(m.end(), m.start() + 1)
    found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
    out, reach = [], -1
    for f in found:
        if f[0] >= reach:
            out.append(f)
            reach = f[1]
    return out


_A_YEAR = re.compile(r"(?:19|20)\d\d")
"""A year, if no digit is next to it (checked by hand: a leading lookbehind is tried at
every character, the bare pattern only where a 1 or 2 stands)."""


def latest_full_date(text: str) -> dt.date | None:
    """The latest date the text writes with its year: a date for a report that gives none."""
    # a date with its year is read around the year, so a long text costs its years, not its length
    windows: list[list[int]] = []
    for y in _A_YEAR.finditer(text):
        if (y.start() and text[y.start() - 1].isdecimal()) or text[y.end():y.end() + 1].isdecimal():
            continue
        s, e = max(0, y.start() - 25), min(len(text), y.end() + 7)
        while s > 0 and not text[s - 1].isspace():  # never start inside a word or number
            s -= 1
        if windows and s <= windows[-1][1]:
            windows[-1][1] = e
        else:
            windows.append([s, e])
    days = [_absolute(kind, m, None) for s, e in windows for _, _, kind, m in _spans(text, s, e, kinds=_FULL)]
    days = [d for d in days if d is not None and settings.CONFLICT_START.year - 1 <= d.year <= dt.date.today().year]
    return max(days) if days else None


class TextDates:
    """The date expressions of one text, read sentence by sentence as events need them.

    Sentences are asked for in text order.  A date relative to the one named
    before it ("a week later") reads the text skipped since the last sentence
    asked for, so it counts from the date named last, as a full scan would.
    """

    def __init__(self, text: str, report_date: str | None):
        self.text = text
        self.anchor = dt.date.fromisoformat(report_date) if report_date else None
        self.last: dt.date | None = None
        self.read_to = 0

    def _read(self, start: int, end: int, keep: list[DateMention] | None) -> None:
        for s, e, kind, m in _spans(self.text, start, end):
            if kind == "later" and start > self.read_to:
                self._read(self.read_to, start, None)  # the dates skipped so far
            day = _absolute(kind, m, self.anchor) if kind in ("iso", "dmy_num", "dmy", "mdy") \
                else _relative(kind, m, self.anchor, self.last)
            if day is None:
                continue
            self.last = day
            if keep is not None:
                bound = _NOT_WHEN.search(self.text, max(0, s - 30), s) is not None
                keep.append(DateMention(s, e, day, kind, not bound))
        self.read_to = max(self.read_to, end)

    def in_span(self, start: int, end: int) -> list[DateMention]:
        """The date mentions in ``text[start:end]``, in text order."""
        out: list[DateMention] = []
        self._read(start, end, out)
        return out


def find_dates(text: str, report_date: str | None) -> list[DateMention]:
    """Every date expression in ``text`` that names a day, in text order."""
    return TextDates(text, report_date).in_span(0, len(text))


def event_date(mentions: list[DateMention], sentence: tuple[int, int],
               clauses: list[tuple[int, int]], clause: int, at: int, scope_end: int,
               framing: set[int]) -> DateMention | None:
    """The date mention an event at offset ``at`` takes, or ``None`` for the report's date.

    In its clause: one inside the event's own stretch (``at`` to ``scope_end``),
    else the nearest before it, else the first after it.  Else one in a
    clause of the sentence listed in ``framing`` (clauses that hold no event).
    """
    s, e = sentence
    usable = [d for d in mentions if s <= d.start < e and d.when]
    if not usable:
        return None
    cs, ce = clauses[clause]
    own = [d for d in usable if cs <= d.start < ce]
    inside = [d for d in own if at <= d.start < scope_end]
    if inside:
        return inside[0]
    before = [d for d in own if d.start < at]
    if before:
        return before[-1]
    if own:
        return own[0]
    for i in sorted(framing, key=lambda i: abs(i - clause)):
        fs, fe = clauses[i]
        near = [d for d in usable if fs <= d.start < fe]
        if near:
            return near[0]
    return None
