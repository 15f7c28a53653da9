"""A fast, exact pre-check for large regular expressions: words a match must contain.

A pattern such as the union of every event trigger is slow to search: at each
position the engine tries every alternative.  Most sentences hold none of its
words, and a search that fails scans the whole sentence.  A ``Gate`` reads the
pattern's parse tree once and finds, for each alternative, a set of literal
strings one of which every match must contain ("killed", "dead", ... for
"people ... killed").  One Aho-Corasick pass over the text finds where those
strings occur; a span holding none of them cannot match, so the real search is
run only on the spans that might.

``GateSet`` does the same for several patterns (each event trigger) with one
pass over the text.

The check is exact, never a guess: it only says "cannot match" when the
pattern cannot match.  Patterns the analysis cannot bound (an alternative
made only of classes such as ``\\w+``) get a gate that always says "may match".
Case-insensitive patterns are handled: the text is folded the way ``re.I``
compares ASCII letters (including dotless i, long s and the Kelvin sign).
"""

from __future__ import annotations

import bisect
import functools
import re
import threading
import re._constants as sre
import re._parser as sre_parse

import ahocorasick

_MAX_STRINGS = 5000
"""Give up on a sub-pattern whose literal expansions exceed this many strings."""

# characters that re.I matches to an ASCII letter but str.lower() does not turn into it
_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})
_FOLD_CHARS = tuple(map(chr, _FOLD))


class _TooMany(Exception):
    pass


def fold(text: str) -> str:
    """Lower-case ``text`` for comparison with lower-cased ASCII literals, offsets kept."""
    if any(ch in text for ch in _FOLD_CHARS):  # rare: translating char by char is slow
        text = text.translate(_FOLD)
    low = text.lower()
    if len(low) == len(text):
        return low
    # a character grew when lower-cased: fold one at a time
    return "".join(ch if len(low := ch.lower()) != 1 else low for ch in text)


def _prefixes(items: list, ignorecase: bool) -> list[tuple[str, bool]]:
    """The literal strings a match of ``items`` starts with, each marked complete or not.

    ``(s, True)``: the whole of ``items`` matched exactly ``s``; ``(s, False)``:
    a match starts with ``s`` and may go on.
    """
    out = [("", True)]
    for op, av in items:
        grown: list[tuple[str, bool]] = []
        for p, complete in out:
            if not complete:
                grown.append((p, False))
            elif op is sre.AT or op is sre.ASSERT or op is sre.ASSERT_NOT:
                grown.append((p, True))  # zero width
            elif op is sre.LITERAL:
                grown.append((p + chr(av), True))
            elif op is sre.SUBPATTERN and not _changes_case(av):
                grown += [(p + q, c) for q, c in _prefixes(list(av[-1]), ignorecase)]
            elif op is sre.BRANCH:
                for alt in av[1]:
                    grown += [(p + q, c) for q, c in _prefixes(list(alt), ignorecase)]
            elif op is sre.MAX_REPEAT or op is sre.MIN_REPEAT:
                lo, hi, sub = av
                if lo == 0:
                    grown.append((p, True))  # taken no times
                # taken: once exactly (may go on only when it can be taken at most once)
                grown += [(p + q, c and hi == 1) for q, c in _prefixes(list(sub), ignorecase)]
            else:  # a class, any character, a back reference...: the literal part ends here
                grown.append((p, False))
        out = grown
        if len(out) > _MAX_STRINGS:
            raise _TooMany
    return out


def _required(items: list, ignorecase: bool, word_start: bool = False) -> dict[str, bool] | None:
    """Strings one of which every match of ``items`` contains, or ``None``.

    Each string maps to whether it always begins right after a ``\\b`` (so
    an occurrence after a letter or digit does not count).  ``word_start``:
    the items themselves begin after one.  Of the sets found (the literal
    prefixes from each required position, or the required sets of a required
    group), the one whose strings are rarest in English wins.
    """
    options: list[dict[str, bool]] = []
    for i, (op, av) in enumerate(items):
        if op is sre.AT or op is sre.ASSERT or op is sre.ASSERT_NOT:
            continue
        if (op is sre.MAX_REPEAT or op is sre.MIN_REPEAT) and av[0] == 0:
            continue
        if i and items[i - 1][0] is sre.LITERAL:
            continue  # the middle of a word ("ell" of "shell") says little about rarity
        bounded = items[i - 1] == (sre.AT, sre.AT_BOUNDARY) if i else word_start
        try:
            starts = {p: bounded for p, _ in _prefixes(items[i:], ignorecase)}
        except _TooMany:
            starts = {}
        if starts and "" not in starts:
            options.append(starts)
        inner = _required_item(op, av, ignorecase, bounded)
        if inner:
            options.append(inner)
    usable = [_lower(o) if ignorecase else o for o in options if _usable(o, ignorecase)]
    if not usable:
        return None
    return min(usable, key=_commonness)


def _lower(strings: dict[str, bool]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    for s, bounded in strings.items():
        out[s.lower()] = out.get(s.lower(), True) and bounded
    return out


def _merge(into: dict[str, bool], more: dict[str, bool]) -> None:
    """A union of string sets: a string keeps its word-start mark only if both sides have it."""
    for s, bounded in more.items():
        into[s] = into.get(s, True) and bounded


def _commonness(strings) -> float:
    """How often some string of the set turns up in English text, roughly (lower is rarer)."""
    return sum(_word_frequency(s) for s in strings)


@functools.lru_cache(maxsize=None)
def _word_frequency(s: str) -> float:
    try:
        from wordfreq import word_frequency
    except ImportError:  # no frequencies: shorter strings are taken as the more common
        return 26.0 ** -len(s)
    # a string is met at least as often as a word, and short ones hide inside longer words
    return word_frequency(s.strip(), "en", wordlist="small") + 26.0 ** -len(s)


def _required_item(op, av, ignorecase: bool, word_start: bool) -> dict[str, bool] | None:
    """Strings one of which every match of a single required item contains."""
    if op is sre.SUBPATTERN:
        return None if _changes_case(av) else _required(list(av[-1]), ignorecase, word_start)
    if op is sre.BRANCH:
        out: dict[str, bool] = {}
        for alt in av[1]:
            sub = _required(list(alt), ignorecase, word_start)
            if not sub:
                return None
            _merge(out, sub)
        return out
    if (op is sre.MAX_REPEAT or op is sre.MIN_REPEAT) and av[0] >= 1:
        # a later repetition need not start at a word boundary
        return _required(list(av[2]), ignorecase, False)
    return None


def _changes_case(group) -> bool:
    """Whether a group turns case-insensitive matching on or off inside it, as in ``(?i:...)``."""
    _, add_flags, del_flags, _ = group
    return bool((add_flags | del_flags) & sre.SRE_FLAG_IGNORECASE)


def _usable(strings, ignorecase: bool) -> bool:
    if not strings or min(map(len, strings)) < 2:
        return False
    # under re.I only ASCII literals are folded the way the text is
    return not ignorecase or all(s.isascii() for s in strings)


def required_strings(pattern: re.Pattern) -> set[str] | None:
    """Strings one of which every match of ``pattern`` contains (lower-cased under ``re.I``),
    or ``None`` when the pattern cannot be bounded so."""
    marked = _marked_strings(pattern)
    return None if marked is None else set(marked)


def _marked_strings(pattern: re.Pattern) -> dict[str, bool] | None:
    """``required_strings``, each marked with whether it must begin a word."""
    if pattern.flags & re.VERBOSE or not isinstance(pattern.pattern, str):
        return None
    tree = sre_parse.parse(pattern.pattern, pattern.flags)
    marked = _required(list(tree), bool(pattern.flags & re.IGNORECASE))
    if marked is None:
        return None
    # a mark is about the character before a word character only
    return {s: bounded and _is_word(s[0]) for s, bounded in marked.items()}


def _is_word(ch: str) -> bool:
    """What ``\\b`` counts as a word character (str patterns): a letter, digit or underscore."""
    return ch.isalnum() or ch == "_"


class GateSet:
    """Exact pre-checks for several compiled patterns, with one pass over a text.

    ``hits(text)`` gives one ``Hits`` per pattern; ``hits[i].any_within(start,
    end)`` is false only when ``patterns[i].search(text, start, end)`` cannot
    find anything.  A pattern that could not be bounded may match anywhere.

    Building the gates takes a few tenths of a second, which only pays off over
    many texts: with ``build_after``, ``hits`` says "may match anywhere" until
    that many characters have been asked about, so a process that parses one
    short report is not slowed down.
    """

    def __init__(self, patterns, build_after: int = 0):
        self.patterns = tuple(patterns)
        self._build_after = build_after
        self._seen = 0
        self._lock = threading.Lock()
        self._automata: dict[bool, ahocorasick.Automaton] | None = None
        self.required: list[set[str] | None] | None = None
        if build_after <= 0:
            self._build()

    def _build(self) -> None:
        with self._lock:
            if self._automata is not None:
                return
            marked = [_marked_strings(p) for p in self.patterns]
            required = [None if m is None else set(m) for m in marked]
            automata: dict[bool, ahocorasick.Automaton] = {}
            for folded in (True, False):
                owners: dict[str, list[tuple[int, bool]]] = {}
                for i, (p, req) in enumerate(zip(self.patterns, marked)):
                    if req and bool(p.flags & re.IGNORECASE) == folded:
                        for string, bounded in req.items():
                            owners.setdefault(string, []).append((i, bounded))
                if owners:
                    automaton = ahocorasick.Automaton(ahocorasick.STORE_ANY)
                    for string, who in owners.items():
                        automaton.add_word(string, (len(string), tuple(who)))
                    automaton.make_automaton()
                    automata[folded] = automaton
            self.required = required
            self._automata = automata

    def hits(self, text: str) -> list[Hits]:
        """Where each pattern's required strings occur in ``text``."""
        if self._automata is None:
            self._seen += len(text)
            if self._seen < self._build_after:
                return [Hits(None)] * len(self.patterns)
            self._build()
        spans: list[list[tuple[int, int]] | None] = [[] if req else None for req in self.required]
        for folded, automaton in self._automata.items():
            for last, (n, who) in automaton.iter(fold(text) if folded else text):
                start = last + 1 - n
                after_word = start > 0 and _is_word(text[start - 1])
                for i, bounded in who:
                    if not (bounded and after_word):  # a word-start "hit" is not the "hit" of "white"
                        spans[i].append((start, last + 1))
        return [Hits(None if sp is None else sorted(sp)) for sp in spans]

    @staticmethod
    def union(hits: list[Hits]) -> Hits:
        """Hits for the alternation of the patterns: it can match only where one of them can."""
        if any(h.spans is None for h in hits):
            return Hits(None)
        return Hits(sorted(span for h in hits for span in h.spans))


class Gate:
    """``GateSet`` for one pattern, with a gated ``search``."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self._set = GateSet([pattern])
        self.required = self._set.required[0]

    def spans_of(self, text: str) -> Hits:
        """Every occurrence of a required string in ``text``."""
        return self._set.hits(text)[0]

    def search(self, text: str, hits: Hits, start: int = 0, end: int | None = None) -> re.Match | None:
        """``pattern.search(text, start, end)``, skipped when ``hits`` show it cannot match."""
        end = len(text) if end is None else end
        if not hits.any_within(start, end):
            return None
        return self.pattern.search(text, start, end)


class Hits:
    """The (start, end) spans of required strings found in one text, by start."""

    __slots__ = ("spans", "_starts", "_min_end")

    def __init__(self, spans: list[tuple[int, int]] | None):
        self.spans = spans
        self._starts = None  # built on the first question: most patterns' hits are never asked about

    def _index(self) -> None:
        spans = self.spans
        self._starts = [s for s, _ in spans]
        # the smallest end among spans from i on, so one look answers a range
        min_end, low = [0] * len(spans), None
        for i in range(len(spans) - 1, -1, -1):
            e = spans[i][1]
            low = e if low is None or e < low else low
            min_end[i] = low
        self._min_end = min_end

    def any_within(self, start: int, end: int) -> bool:
        """Whether a required string lies wholly inside ``[start, end)`` (always, if unbounded)."""
        if self.spans is None:
            return True
        if self._starts is None:
            if not self.spans:
                return False
            self._index()
        i = bisect.bisect_left(self._starts, start)
        return i < len(self.spans) and self._min_end[i] <= end
