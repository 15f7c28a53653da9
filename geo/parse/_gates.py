"""An exact pre-check for many regular expressions over spans of one text.

Most sentences hold none of the words an event trigger needs, yet searching
every trigger in every sentence was most of the parse.  RE2's FilteredRE2
(``re2.Filter``) reads each pattern once and works out the literal strings
("atoms") that any match must contain, as an AND/OR formula; one pass of its
string set over a span then tells which patterns may match there, and only
those are searched, with Python's ``re`` as before.

The check must never say "cannot match" where Python's ``re`` would match, so
RE2 only ever sees a *relaxed* copy of a pattern (``relaxed``): lookarounds
and anchors dropped, and every escape or class whose meaning differs between
the two engines (``\\s``, ``\\d``, ``\\w``, classes holding them) widened to
"any character".  A Python match is then always a match of the relaxed
pattern, and every atom of it lies inside the match.  Atoms are lower case, so
the text is folded the way ``re.IGNORECASE`` compares ASCII letters (dotless
and dotted I, long s and the Kelvin sign included).  A pattern the relaxation
or RE2 cannot take is never ruled out.

A pattern made of a few top-level alternatives is gated by alternative: only
those that may match in a span are searched there, one by one, and the
leftmost match wins (the first on a tie), as in the whole pattern.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, KeysView

import re2

from geo.io import without_lone_surrogates

_MAX_ALTERNATIVES = 12
"""Past this many top-level alternatives, searching each costs more than it saves."""

# characters that re.I matches to an ASCII letter but str.lower() does not turn into it
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_FOLD_CHARS = tuple(map(chr, _FOLD))

_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
_GROUP_OPEN = re.compile(r"\((?:\?(?:P<\w+>|:|[aiLmsux]*(?:-[imsx]+)?:|<?[=!]))?")


class _Unsupported(Exception):
    """Syntax the relaxation does not handle: the pattern is never ruled out."""


def fold(text: str) -> str:
    """``text`` lower-cased for RE2's lower-case atoms, as re.I compares ASCII letters."""
    if any(ch in text for ch in _FOLD_CHARS):
        text = text.translate(_FOLD)
    return text.lower()


def _tokens(source: str) -> Iterable[tuple[str, str]]:
    """A Python pattern's source as (kind, text): "escape", "class", "open", "close", "bar", "char"."""
    i, n = 0, len(source)
    while i < n:
        c = source[i]
        if c == "\\":
            yield "escape", source[i:i + 2]
            i += 2
        elif c == "[":
            j = i + 1
            j += source.startswith("^", j)
            j += source.startswith("]", j)  # a "]" first is a member, not the end
            while j < n and source[j] != "]":
                j += 2 if source[j] == "\\" else 1
            if j >= n:
                raise _Unsupported("unclosed class")
            yield "class", source[i:j + 1]
            i = j + 1
        elif c == "(":
            m = _GROUP_OPEN.match(source, i)
            if source.startswith("(?", i) and m.end() == i + 1:
                raise _Unsupported("group kind")  # comments, conditionals, atomic groups, global flags
            yield "open", m.group()
            i = m.end()
        elif c in ")|":
            yield ("close" if c == ")" else "bar"), c
            i += 1
        else:
            if source.startswith("{,", i):  # Python's {,n}: literal text to RE2
                raise _Unsupported("{,n}")
            yield "char", c
            i += 1


def relaxed(source: str) -> str | None:
    """RE2 source matching wherever ``source`` (Python syntax) matches, with atoms only
    from its literal text; ``None`` if the pattern uses syntax this does not handle."""
    # each alternative is put in a group of its own: RE2 would otherwise factor out the
    # prefixes alternatives share ("dead|deaths?|died" as "d(?:e(?:ad|ath...)|ied)"), and
    # the pieces left are too short to be atoms, which leaves the pattern unfiltered
    out: list[str] = ["("]
    stack: list[bool] = []  # whether each open group is a lookaround
    try:
        for kind, tok in _tokens(source):
            if kind == "open":
                stack.append(tok in _LOOKAROUNDS)
                if not any(stack):
                    out.append("((")
                continue
            if kind == "close":
                if not stack:
                    return None
                if not stack.pop() and not any(stack):
                    out.append("))")
                continue
            if any(stack):
                continue  # inside a lookaround: zero width, nothing a match holds
            out.append(")|(" if kind == "bar" else _relaxed_token(kind, tok))
    except _Unsupported:
        return None
    return "".join(out) + ")" if not stack else None


def _relaxed_token(kind: str, tok: str) -> str:
    if kind == "escape":
        c = tok[1:]
        if c.isdigit():
            raise _Unsupported("back reference")
        if c in "bBAZ":
            return ""  # zero width
        if c.isascii() and c.isalnum():
            return "."  # \s, \d, \w... differ between the engines: any character
        return tok if c.isascii() else c
    if kind == "class":
        return tok if tok.isascii() and "\\" not in tok else "."
    if kind == "char" and tok.isalpha() and not tok.isascii():
        raise _Unsupported("non-ASCII letter")  # Unicode case folding may differ
    return tok


def top_alternatives(pattern: re.Pattern) -> list[str] | None:
    """The sources of ``pattern``'s top-level alternatives, if searching them one by one
    finds what the whole pattern finds: no groups to number, no global inline flags."""
    if pattern.groups or not isinstance(pattern.pattern, str):
        return None
    parts, depth, start, at = [], 0, 0, 0
    try:
        for kind, tok in _tokens(pattern.pattern):
            depth += (kind == "open") - (kind == "close")
            if kind == "bar" and depth == 0:
                parts.append(pattern.pattern[start:at])
                start = at + 1
            at += len(tok)
    except _Unsupported:
        return None
    parts.append(pattern.pattern[start:])
    return parts if 1 < len(parts) <= _MAX_ALTERNATIVES else None


class Gates:
    """Which of ``patterns`` may match in a span of a text, and their searches there.

    ``for_text(text)`` gives a ``TextGates`` for one text (kept per thread for
    the text last asked about).
    """

    def __init__(self, patterns: Iterable[re.Pattern]):
        self.patterns = tuple(patterns)
        self._filter = re2.Filter()
        self._entry: list[tuple[int, int | None]] = []  # filter index -> (pattern, alternative)
        self._sources: dict[tuple[int, int], str] = {}
        self._split: dict[int, int] = {}  # pattern -> how many alternatives it is gated by
        always: list[tuple[int, int | None]] = []
        options = re2.Options()
        options.log_errors = False
        for i, p in enumerate(self.patterns):
            alternatives = top_alternatives(p) if not p.flags & re.VERBOSE else None
            parts = [(None, p.pattern)] if alternatives is None else list(enumerate(alternatives))
            if alternatives is not None:
                self._split[i] = len(alternatives)
                self._sources.update(((i, j), src) for j, src in parts)
            for j, src in parts:
                rx = relaxed(src) if not p.flags & re.VERBOSE and isinstance(src, str) else None
                try:
                    if rx is None:
                        raise re2.error("not relaxed")
                    self._filter.Add(rx, options)
                    self._entry.append((i, j))
                except re2.error:
                    always.append((i, j))
        self._always = tuple(always)
        if self._entry:
            self._filter.Compile()
        self._memo: dict[tuple[int, ...], dict[int, tuple[int, ...] | None]] = {}
        self._compiled: dict[tuple[int, int], re.Pattern] = {}
        self._fast: dict[tuple[int, int | None], object] = {}  # FoldedSearch, or None
        self._last = threading.local()

    def for_text(self, text: str) -> TextGates:
        """The gates' answers for ``text``, kept while it is the text last asked about."""
        last = getattr(self._last, "value", None)
        if last is None or last.text is not text:
            last = self._last.value = TextGates(self, text)
        return last

    def passing(self, folded_span: str) -> dict[int, tuple[int, ...] | None]:
        """The patterns that may match in a span (given folded, see ``fold``), in order, each
        with its alternatives that may (``None``: all, or a pattern not split).  Shared: do
        not change it."""
        hits = tuple(self._filter.Match(folded_span, potential=True) or ()) if self._entry else ()
        answer = self._memo.get(hits)
        if answer is None:
            if len(self._memo) >= 65536:
                self._memo.clear()
            answer = self._memo[hits] = self._answer(hits)
        return answer

    def _answer(self, hits: tuple[int, ...]) -> dict[int, tuple[int, ...] | None]:
        found: dict[int, set] = {}
        for i, j in [*self._always, *(self._entry[k] for k in hits)]:
            found.setdefault(i, set()).add(j)
        out: dict[int, tuple[int, ...] | None] = {}
        for i in sorted(found):
            n = self._split.get(i)
            out[i] = None if n is None or len(found[i]) == n else tuple(sorted(found[i]))
        return out

    def search(self, i: int, keep: tuple[int, ...] | None, text: str, start: int, end: int,
               folded: str | None = None) -> re.Match | None:
        """``patterns[i].search(text, start, end)`` where only the alternatives ``keep`` may
        match; given ``fold(text)`` too, searched there where it can be
        (``geo.parse._folded``), each alternative on its own."""
        if keep is None and folded is not None and i in self._split:
            keep = tuple(range(self._split[i]))
        if keep is None:
            return self._search(i, None, self.patterns[i], text, start, end, folded)
        best = None
        for j in keep:
            m = self._search(i, j, self._alternative(i, j), text, start, end, folded)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        return best

    def _search(self, i: int, j: int | None, pattern: re.Pattern, text: str, start: int, end: int,
                folded: str | None) -> re.Match | None:
        if folded is None:
            return pattern.search(text, start, end)
        fast = self._fast.get((i, j), _UNSEEN)
        if fast is _UNSEEN:
            from geo.parse._folded import FoldedSearch

            fast = self._fast[i, j] = FoldedSearch.of(pattern)
        if fast is None:
            return pattern.search(text, start, end)
        return fast.search(text, folded, start, end)

    def _alternative(self, i: int, j: int) -> re.Pattern:
        p = self._compiled.get((i, j))
        if p is None:
            p = self._compiled[i, j] = re.compile(self._sources[i, j], self.patterns[i].flags)
        return p


_UNSEEN = object()


class TextGates:
    """The gates' answers for one text, with the searches already made in it.

    ``candidates(start, end)``: the indices of the patterns that may match in
    ``text[start:end]``, in order.  ``search(i, start, end)``:
    ``patterns[i].search(text, start, end)``, remembered (a sentence and its
    clauses ask again), searching only the alternatives the gates let through.
    """

    __slots__ = ("text", "_gates", "_folded", "_memo", "_spans")

    def __init__(self, gates: Gates, text: str):
        self.text, self._gates, self._memo = text, gates, {}
        # RE2 reads UTF-8, which has no lone surrogates: each is read as U+FFFD, one
        # character for one, which no atom holds
        plain = text if text.isascii() else without_lone_surrogates(text)  # ASCII has no surrogates
        self._folded = fold(plain)
        if len(self._folded) != len(text):  # a character grew when lower-cased: one at a time
            self._folded = "".join(ch if len(low := ch.lower()) != 1 else low for ch in plain.translate(_FOLD))
        self._spans: dict[tuple[int, int], dict[int, tuple[int, ...] | None]] = {}

    def _passing(self, start: int, end: int) -> dict[int, tuple[int, ...] | None]:
        hit = self._spans.get((start, end))
        if hit is None:
            hit = self._spans[start, end] = self._gates.passing(self._folded[start:end])
        return hit

    def search_from(self, i: int, start: int, end: int) -> re.Match | None:
        """``patterns[i].search(text, start, end)``, not remembered (a trigger's later matches)."""
        return self._gates.search(i, None, self.text, start, end, self._folded)

    @property
    def folded(self) -> str:
        """The text folded (``fold``), one character for one: for a case-insensitive cue,
        a lower-case search of this finds what ``re.IGNORECASE`` finds in the text."""
        return self._folded

    def candidates(self, start: int, end: int) -> KeysView[int]:
        return self._passing(start, end).keys()

    def search(self, i: int, start: int, end: int) -> re.Match | None:
        key = (i, start, end)
        m = self._memo.get(key, _UNSEEN)
        if m is _UNSEEN:
            keep = self._passing(start, end).get(i)
            m = self._memo[key] = self._gates.search(i, keep, self.text, start, end, self._folded)
        return m

    def any_below(self, n: int, start: int, end: int) -> bool:
        """Whether any of ``patterns[:n]`` matches in ``text[start:end]`` (each search
        remembered as by ``search``), up to the first that does."""
        memo, gates, text = self._memo, self._gates, self.text
        for i, keep in self._passing(start, end).items():  # in pattern order
            if i >= n:
                break
            key = (i, start, end)
            m = memo.get(key, _UNSEEN)
            if m is _UNSEEN:
                m = memo[key] = gates.search(i, keep, text, start, end, self._folded)
            if m is not None:
                return True
        return False
