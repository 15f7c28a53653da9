"""Speed only: which patterns can match in a span, from the first letters of its words.

Every Cyrillic trigger starts at a word boundary with one of a set of literal
stems ("обстр", "вибух", "захоп").  The first three letters of those stems are
read from the compiled pattern once; a clause is searched with a pattern only
if one of its words starts with one of them.  Forty case-insensitive searches
of every clause were three quarters of the Cyrillic parse; a set look-up per
word rules most of them out.  A pattern whose starts cannot be read (no word
boundary first, a class too wide) is always searched: the gate never changes
what is found.
"""

from __future__ import annotations

import re

try:  # Python 3.11+
    from re import _constants as _c, _parser as _p
except ImportError:  # pragma: no cover
    import sre_constants as _c
    import sre_parse as _p

PREFIX = 3
_WORDS = re.compile(r"\w[\w']*")
_MAX_OPTIONS = 4096


def _starts(items, n: int) -> set[str] | None:
    """The possible first ``n`` letters of what a parsed sequence matches (lower-case), or ``None``."""
    out = {""}
    for op, av in items:
        if all(len(s) >= n for s in out):
            break
        if op is _c.AT or op in (_c.ASSERT, _c.ASSERT_NOT):
            continue  # zero width
        if op is _c.LITERAL:
            nxt = {chr(av).lower()}
        elif op is _c.IN:
            nxt = set()
            for kind, v in av:
                if kind is _c.LITERAL:
                    nxt.add(chr(v).lower())
                elif kind is _c.RANGE and v[1] - v[0] < 64:
                    nxt |= {chr(c).lower() for c in range(v[0], v[1] + 1)}
                else:
                    return _done(out)
        elif op is _c.SUBPATTERN:
            nxt_set = _starts(av[-1], n)
            if nxt_set is None:
                return _done(out)
            out = _join(out, nxt_set, n)
            if out is None:
                return None
            if any(len(s) < n for s in out) and _may_be_short(av[-1]):
                return _done(out)
            continue
        elif op is _c.BRANCH:
            options: set[str] = set()
            for alt in av[1]:
                s = _starts(alt, n)
                if s is None or "" in s:
                    return _done(out)
                options |= s
            out = _join(out, options, n)
            if out is None:
                return None
            return _done(out)  # alternatives of different lengths: stop here
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT) and av[0] >= 1:
            s = _starts(av[2], n)
            if s is None:
                return _done(out)
            out = _join(out, s, n)
            return _done(out)
        else:
            return _done(out)
        out = _join(out, nxt, n)
        if out is None:
            return None
    return out


def _may_be_short(items) -> bool:
    return True


def _join(heads: set[str], tails: set[str], n: int) -> set[str] | None:
    out = {h if len(h) >= n else (h + t)[:n] for h in heads for t in tails}
    return out if len(out) <= _MAX_OPTIONS else None


def _done(out: set[str]) -> set[str] | None:
    return None if "" in out else out


def _boundary_first(items) -> bool:
    """Whether every match starts at a word boundary (``\\b`` or a look-behind first)."""
    for op, av in items:
        if op is _c.AT:
            return av is _c.AT_BOUNDARY
        if op in (_c.ASSERT_NOT, _c.ASSERT):
            return True
        if op is _c.SUBPATTERN:
            return _boundary_first(av[-1])
        if op is _c.BRANCH:
            return all(_boundary_first(alt) for alt in av[1])
        return False
    return False


def pattern_starts(pattern: re.Pattern) -> frozenset[str] | None:
    """The lower-case first letters (up to ``PREFIX``) every match of ``pattern`` begins a word with,
    or ``None`` when they cannot be read."""
    parsed = _p.parse(pattern.pattern, pattern.flags)
    items = list(parsed)
    if not _boundary_first(items):
        return None
    starts = _starts(items, PREFIX)
    return frozenset(starts) if starts else None


class WordGate:
    """For a list of patterns: where each may match in a span, and its matches there.

    ``words(text, start, end)`` reads a span's words once; ``first`` and
    ``finditer`` then try a pattern only at the words its first letters allow,
    anchored there (``Pattern.match``), which finds what ``search`` and
    ``finditer`` over the span find: every match starts a word with one of
    those letters.
    """

    def __init__(self, patterns: list[re.Pattern]):
        self.patterns = patterns
        self.starts = [pattern_starts(p) for p in patterns]
        self._always = [i for i, s in enumerate(self.starts) if s is None]
        self._by_head: dict[str, list[int]] = {}
        for i, starts in enumerate(self.starts):
            for head in starts or ():
                self._by_head.setdefault(head, []).append(i)

    def candidates(self, words: dict[str, list[int]]) -> list[int]:
        """The patterns that may match among ``words`` (from :meth:`words`), in order."""
        found = set(self._always)
        for head in words:
            found.update(self._by_head.get(head, ()))
        return sorted(found)

    @staticmethod
    def words(text: str, start: int, end: int) -> dict[str, list[int]]:
        """Where the words of ``text[start:end]`` start, by their first one, two and three letters."""
        low = text[start:end].lower()  # str.lower keeps the length of Cyrillic and Latin text
        if len(low) != end - start:
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text[start:end])
        index: dict[str, list[int]] = {}
        for m in _WORDS.finditer(low):
            w, pos = m.group(0), start + m.start()
            for head in {w[:1], w[:2], w[:3]}:
                index.setdefault(head, []).append(pos)
        return index

    def _positions(self, i: int, words: dict[str, list[int]]) -> list[int]:
        found = [pos for head in self.starts[i] if head in words for pos in words[head]]
        return sorted(set(found)) if len(found) > 1 else found

    def first(self, i: int, text: str, words, start: int, end: int) -> re.Match | None:
        """``patterns[i].search(text, start, end)``."""
        if self.starts[i] is None:
            return self.patterns[i].search(text, start, end)
        match = self.patterns[i].match
        for pos in self._positions(i, words):
            m = match(text, pos, end)
            if m:
                return m
        return None

    def finditer(self, i: int, text: str, words, start: int, end: int):
        """``patterns[i].finditer(text, start, end)``."""
        if self.starts[i] is None:
            yield from self.patterns[i].finditer(text, start, end)
            return
        match, after = self.patterns[i].match, start
        for pos in self._positions(i, words):
            if pos < after:
                continue
            m = match(text, pos, end)
            if m:
                yield m
                after = max(m.end(), pos + 1)
