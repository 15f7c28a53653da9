"""Speed only: which patterns can match in a span, from the first letters of its words.

Every Cyrillic trigger starts at a word boundary with one of a set of literal
stems ("обстр", "вибух", "захоп").  The first three letters of those stems are
read once from the pattern's source, by a small reader of our own over
``geo.parse._gates._tokens`` (groups, alternatives, classes, quantifiers; no
private module of ``re``); a clause is searched with a pattern only if one of
its words starts with one of them.  Forty case-insensitive searches
of every clause were three quarters of the Cyrillic parse; a set look-up per
word rules most of them out.  A pattern whose starts cannot be read (no word
boundary first, a class too wide) is always searched: the gate never changes
what is found.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.parse._gates import _tokens, _Unsupported

PREFIX = 3
_WORDS = re.compile(r"\w[\w']*")
_MAX_OPTIONS = 4096
_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")
_ZERO_ESCAPES = frozenset("bBAZ")
_CLASS_ESCAPES = frozenset("wWsSdD")
_QUANTIFIER = re.compile(r"\{(\d*)(,?)(\d*)\}")


# ---- a pattern's source read into a small tree (our own reading: no private ``re`` module) --
@dataclass(frozen=True, slots=True)
class _Char:
    chars: frozenset[str] | None  # lower-case; None: a character we do not list (".", "\w", "[^a]")


@dataclass(frozen=True, slots=True)
class _Zero:
    boundary: bool  # "\b", or a look-behind: a match starts a word there


@dataclass(frozen=True, slots=True)
class _Group:
    alternatives: tuple[tuple, ...]  # each a sequence of nodes


@dataclass(frozen=True, slots=True)
class _Repeat:
    node: object
    least: int


class _Reader:
    """Recursive descent over ``geo.parse._gates._tokens``: sequences, groups, alternatives,
    quantifiers; anything it does not know raises ``_Unsupported``."""

    def __init__(self, source: str):
        self.tokens = list(_tokens(source))
        self.i = 0

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def alternatives(self) -> tuple[tuple, ...]:
        out = [self.sequence()]
        while self.peek() == ("bar", "|"):
            self.i += 1
            out.append(self.sequence())
        return tuple(out)

    def sequence(self) -> tuple:
        items: list = []
        while (tok := self.peek()) is not None and tok[0] not in ("bar", "close"):
            node = self.atom()
            least = self.quantifier()
            items.append(node if least is None else _Repeat(node, least))
        return tuple(items)

    def atom(self):
        kind, tok = self.tokens[self.i]
        self.i += 1
        if kind == "open":
            inner = self.alternatives()
            if self.peek() != ("close", ")"):
                raise _Unsupported("unbalanced group")
            self.i += 1
            if tok in _LOOKAROUNDS:
                return _Zero(boundary=tok.startswith("(?<"))
            return _Group(inner)
        if kind == "escape":
            c = tok[1:]
            if c in _ZERO_ESCAPES:
                return _Zero(boundary=c == "b")
            if c in _CLASS_ESCAPES:
                return _Char(None)
            if not c or c.isdigit() or c in "xuUNgk":
                raise _Unsupported("escape " + tok)
            return _Char(frozenset({{"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}.get(c, c).lower()}))
        if kind == "class":
            return _Char(_class_chars(tok))
        if tok == ".":
            return _Char(None)
        if tok in "^$":
            return _Zero(boundary=False)
        if tok in "?*+":
            raise _Unsupported("a quantifier with nothing before it")
        return _Char(frozenset({tok.lower()}))

    def quantifier(self) -> int | None:
        """The least count of a quantifier after an atom, if one follows (and its lazy or
        possessive mark)."""
        tok = self.peek()
        if tok is None or tok[0] != "char":
            return None
        if tok[1] in "?*+":
            self.i += 1
            least = 1 if tok[1] == "+" else 0
        elif tok[1] == "{":
            rest = "".join(t for _, t in self.tokens[self.i:self.i + 12])
            m = _QUANTIFIER.match(rest)
            if m is None or not (m.group(1) or m.group(3)):
                return None  # a literal "{"
            self.i += len(m.group(0))
            least = int(m.group(1) or 0)
        else:
            return None
        if (mark := self.peek()) is not None and mark[0] == "char" and mark[1] in "?+":
            self.i += 1
        return least


def _class_chars(tok: str) -> frozenset[str] | None:
    """The lower-case members of a small, plain class ("[аеє]", "[а-д]"); ``None`` for a
    negated class, one holding a class escape, or a range of 64 characters or more."""
    body = tok[1:-1]
    if body.startswith("^"):
        return None
    members, i = [], 0
    while i < len(body):
        if body[i] == "\\":
            c = body[i + 1:i + 2]
            if c in _CLASS_ESCAPES or c.isdigit() or c in "xuUN":
                return None
            members.append(c)
            i += 2
        else:
            members.append(body[i])
            i += 1
    out: set[str] = set()
    k = 0
    while k < len(members):
        if k + 2 < len(members) and members[k + 1] == "-":
            lo, hi = ord(members[k]), ord(members[k + 2])
            if hi - lo >= 64:
                return None
            out |= {chr(c).lower() for c in range(lo, hi + 1)}
            k += 3
        else:
            out.add(members[k].lower())
            k += 1
    return frozenset(out)


# ---- the first letters of every match ---------------------------------------------------------
def _starts(items: tuple, n: int) -> set[str] | None:
    """The possible first ``n`` letters (lower-case) of what a sequence matches; shorter
    strings where the sequence may stop or grow unknown; ``None`` when nothing can be said."""
    out = {""}
    for node in items:
        if all(len(s) >= n for s in out):
            break
        if isinstance(node, _Zero):
            continue
        if isinstance(node, _Char):
            if node.chars is None:
                return _done(out)
            out = _join(out, node.chars, n)
        elif isinstance(node, _Group):
            options: set[str] = set()
            for alt in node.alternatives:
                s = _starts(alt, n)
                if s is None or "" in s:
                    return _done(out)
                options |= s
            out = _join(out, options, n)
            if out is None:
                return None
            if len(node.alternatives) > 1 or any(len(s) < n for s in out):
                return _done(out)  # alternatives of other lengths, or one that may stop early
        elif isinstance(node, _Repeat) and node.least >= 1:
            s = _starts((node.node,), n)
            if s is None:
                return _done(out)
            return _done(_join(out, s, n) or set())
        else:  # an optional part: what follows it may come first
            return _done(out)
        if out is None:
            return None
    return out


def _join(heads: set[str], tails, n: int) -> set[str] | None:
    out = {h if len(h) >= n else (h + t)[:n] for h in heads for t in tails}
    return out if len(out) <= _MAX_OPTIONS else None


def _done(out: set[str] | None) -> set[str] | None:
    return None if not out or "" in out else out


def _boundary_first(items: tuple) -> bool:
    """Whether every match starts at a word boundary (``\\b`` or a look-behind first)."""
    for node in items:
        if isinstance(node, _Zero):
            return node.boundary
        if isinstance(node, _Group):
            return all(_boundary_first(alt) for alt in node.alternatives)
        return False
    return False


def pattern_starts(pattern: re.Pattern) -> frozenset[str] | None:
    """The lower-case first letters (up to ``PREFIX``) every match of ``pattern`` begins a word with,
    or ``None`` when they cannot be read."""
    if pattern.flags & re.VERBOSE or not isinstance(pattern.pattern, str):
        return None
    try:
        reader = _Reader(pattern.pattern)
        alternatives = reader.alternatives()
        if reader.i != len(reader.tokens):
            return None
    except (_Unsupported, IndexError):
        return None
    items = (_Group(alternatives),)
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
