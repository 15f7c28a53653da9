"""A fast, exact pre-check for large regular expressions: words a match must contain.

A pattern such as an event trigger is slow to search: at each position the
engine tries every alternative, and a search that fails scans the whole
sentence.  Most sentences hold none of the trigger's words.  ``all_of_strings``
reads a pattern's parse tree once and finds, for each top-level alternative,
sets of literal strings a match must draw on ("civilians" and one of "killed",
"wounded", ...).  ``AllOfGates`` finds every such string in a text with one
Aho-Corasick pass; a pattern none of whose alternatives has all its sets inside
a span cannot match there, so its real search is skipped.

The check is exact, never a guess: it only says "cannot match" when the
pattern cannot match.  Patterns the analysis cannot bound (an alternative
made only of classes such as ``\\w+``) may always match.  Case-insensitive
patterns are handled: the text is folded the way ``re.I`` compares ASCII
letters (including dotless i, long s and the Kelvin sign).
"""

from __future__ import annotations

import bisect
import functools
import re
import re._constants as sre
import re._parser as sre_parse
import threading

import ahocorasick_rs

from geo.parse._regex import compile_quick, quick
from geo.io import without_lone_surrogates

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
    return _pick(_options(items, ignorecase, word_start), ignorecase)


def _options(items: list, ignorecase: bool, word_start: bool = False) -> list[dict[str, bool]]:
    """Every set ``_required`` chooses from: each holds a string every match contains."""
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
    return options


def _pick(options: list[dict[str, bool]], ignorecase: bool) -> dict[str, bool] | None:
    usable = _usable_options(options, ignorecase)
    if not usable:
        return None
    return min(usable, key=_commonness)


def _usable_options(options: list[dict[str, bool]], ignorecase: bool) -> list[dict[str, bool]]:
    return [_lower(o) if ignorecase else o for o in options if _usable(o, ignorecase)]


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


def _is_word(ch: str) -> bool:
    """What ``\\b`` counts as a word character (str patterns): a letter, digit or underscore."""
    return ch.isalnum() or ch == "_"


_COMMON_SECOND = 3e-3
"""A second set of strings is kept only if its words are rarer than this, together."""


def all_of_strings(pattern: re.Pattern, most: int = 2) -> list[list[dict[str, bool]]] | None:
    """For each top-level alternative of ``pattern``, up to ``most`` string sets (the rarest):
    a match by that alternative contains a string of every one of its sets.

    ``None`` when some alternative cannot be bounded.  Each string is marked with
    whether it must begin a word (it follows ``\\b`` in the pattern).  Where one
    set says little ("civilians" ... "killed": a sentence may well hold
    "killed"), needing both rules out far more.
    """
    if pattern.flags & re.VERBOSE or not isinstance(pattern.pattern, str):
        return None
    ignorecase = bool(pattern.flags & re.IGNORECASE)
    items = list(sre_parse.parse(pattern.pattern, pattern.flags))
    k = _top_branch(items)
    alternatives = [items] if k is None else [items[:k] + list(alt) + items[k + 1:] for alt in items[k][1][1]]
    out = []
    for alt in alternatives:
        sets = sorted(_usable_options(_options(alt, ignorecase), ignorecase), key=_commonness)
        if not sets:
            return None
        chosen: list[dict[str, bool]] = []
        for strings in sets:
            # a set read from the same place as one chosen ("injured" and "injured...children") adds nothing
            if chosen and _commonness(strings) > _COMMON_SECOND:
                break  # a second set of common words would be met everywhere
            if not any(a.startswith(b) or b.startswith(a) for c in chosen for a in strings for b in c):
                chosen.append(strings)
            if len(chosen) == most:
                break
        out.append([{t: bounded and _is_word(t[0]) for t, bounded in c.items()} for c in chosen])
    return out


def _top_branch(items: list) -> int | None:
    """Where the one top-level alternation of a parsed pattern is, if it is split by alternative.

    "\\b(?:a...|b...)" too: the parser hoists a shared "\\b" out of the branch.
    Past 12 alternatives, checking each costs more than it saves: ``None``.
    """
    branches = [k for k, (op, _) in enumerate(items) if op is sre.BRANCH]
    if len(branches) != 1 or len(items[branches[0]][1][1]) > 12:
        return None
    return branches[0]


def alternative(pattern: re.Pattern, j: int) -> re.Pattern:
    """``pattern`` with only its top-level alternative ``j`` (see ``_top_branch``), and what
    comes before and after the alternation."""
    parsed = sre_parse.parse(pattern.pattern, pattern.flags)
    items = list(parsed)
    k = _top_branch(items)
    middle = list(items[k][1][1][j])
    # compiled in the form the engine runs faster, the same matches (geo.parse._regex)
    return compile_quick(sre_parse.SubPattern(parsed.state, items[:k] + middle + items[k + 1:]), pattern.flags)


def _occurrences(automaton, text: str) -> list[tuple[int, int, int]]:
    """``automaton``'s matches in ``text``, overlapping ones too.

    The automaton reads UTF-8, which has no lone surrogates (JSON input may carry
    them, as ``\\ud800``): each is read as U+FFFD, one character for one, which no
    string of a pattern holds, so the offsets and the occurrences stay the same.
    """
    try:
        return automaton.find_matches_as_indexes(text, overlapping=True)
    except UnicodeEncodeError:
        return automaton.find_matches_as_indexes(without_lone_surrogates(text), overlapping=True)


class AllOfGates:
    """Exact pre-checks for several patterns that may ask for more than one word.

    For each top-level alternative of each pattern it keeps up to two sets of
    strings, all of which a match must draw on (``all_of_strings``).
    ``scan(text)`` finds every occurrence once; ``candidates(scan, start, end)``
    gives, in order, the indices of the patterns that may match in
    ``text[start:end]``.  With ``build_after`` the gates are built only once
    that many characters were scanned (building takes a few tenths of a second,
    which a process parsing one short report should not pay); until then every
    pattern may match.
    """

    def __init__(self, patterns, build_after: int = 0):
        self.patterns = tuple(patterns)
        self._build_after = build_after
        self._seen = 0
        self._lock = threading.Lock()
        self._automata: dict[bool, tuple[ahocorasick_rs.AhoCorasick, list]] | None = None
        self._all = tuple(range(len(self.patterns)))
        self._alternative_patterns: dict[tuple[int, int | None], re.Pattern] = {}  # None: the whole pattern
        self._passing_memo: dict[frozenset[int], dict[int, tuple[int, ...] | None]] = {}
        if build_after <= 0:
            self._build()

    def _build(self) -> None:
        with self._lock:
            if self._automata is not None:
                return
            alternatives: list[list[frozenset[int]] | None] = []
            owner: list[int] = []  # set id -> pattern index
            owners: dict[bool, dict[str, list[tuple[int, bool]]]] = {True: {}, False: {}}
            for i, p in enumerate(self.patterns):
                alts = all_of_strings(p)
                if alts is None:
                    alternatives.append(None)
                    continue
                folded = bool(p.flags & re.IGNORECASE)
                ids, known = [], {}
                for sets in alts:
                    alt_ids = set()
                    for strings in sets:
                        key = frozenset(strings.items())
                        if key not in known:  # alternatives sharing a set share its id
                            known[key] = len(owner)
                            owner.append(i)
                            for string, bounded in strings.items():
                                owners[folded].setdefault(string, []).append((known[key], bounded))
                        alt_ids.add(known[key])
                    ids.append(frozenset(alt_ids))
                alternatives.append(ids)
            automata: dict[bool, tuple[ahocorasick_rs.AhoCorasick, list]] = {}
            for folded, table in owners.items():
                if table:
                    # a DFA over a thousand strings: a scan is half as long as pyahocorasick's
                    strings = list(table)
                    automaton = ahocorasick_rs.AhoCorasick(
                        strings, matchkind=ahocorasick_rs.MatchKind.Standard,
                        implementation=ahocorasick_rs.Implementation.DFA)
                    automata[folded] = automaton, [tuple(table[string]) for string in strings]
            self._alternatives, self._owner = alternatives, owner
            self._unbounded = tuple(i for i, a in enumerate(alternatives) if a is None)
            self._automata = automata

    def scan(self, text: str):
        """Every occurrence in ``text`` as sorted (start, end, set id), with their starts;
        ``None`` while the gates are not built (every pattern may match anywhere)."""
        if self._automata is None:
            self._seen += len(text)
            if self._seen < self._build_after:
                return None
            self._build()
        occ = []
        for folded, (automaton, owners) in self._automata.items():
            # every occurrence, overlapping ones too, as (string index, start, end) in characters
            for k, start, end in _occurrences(automaton, fold(text) if folded else text):
                after_word = start > 0 and _is_word(text[start - 1])
                for sid, bounded in owners[k]:
                    if not (bounded and after_word):
                        occ.append((start, end, sid))
        occ.sort()
        return occ, [o[0] for o in occ]

    def candidates(self, scan, start: int, end: int) -> tuple[int, ...]:
        """The patterns that may match in ``text[start:end]``, by index, given ``scan(text)``."""
        return tuple(self.passing(scan, start, end))

    def passing(self, scan, start: int, end: int) -> dict[int, tuple[int, ...] | None]:
        """``candidates``, each with the indices of its top-level alternatives that may match
        (``None``: all of them, or a pattern not split by alternative), in order.  The answer
        is shared: do not change it."""
        if scan is None:
            return dict.fromkeys(self._all)
        occ, starts = scan
        found = set()
        for j in range(bisect.bisect_left(starts, start), len(occ)):
            s, e, sid = occ[j]
            if s >= end:  # strings are never empty: nothing later fits
                break
            if e <= end:
                found.add(sid)
        # spans holding the same strings get the same answer: sentences share a few sets
        # of common words ("said", "people"), and working out the answer was most of the cost
        key = frozenset(found)
        hit = self._passing_memo.get(key)
        if hit is None:
            if len(self._passing_memo) >= 65536:
                self._passing_memo.clear()
            hit = self._passing_memo[key] = self._passing_for(found)
        return hit

    def _passing_for(self, found: set[int]) -> dict[int, tuple[int, ...] | None]:
        owner, alternatives = self._owner, self._alternatives
        out: dict[int, tuple[int, ...] | None] = dict.fromkeys(self._unbounded)
        for i in {owner[sid] for sid in found}:
            alts = alternatives[i]
            keep = tuple(j for j, alt in enumerate(alts) if alt <= found)
            if keep:
                out[i] = None if len(keep) == len(alts) else keep
        return dict(sorted(out.items()))

    def search(self, i: int, keep: tuple[int, ...] | None, text: str, start: int, end: int) -> re.Match | None:
        """``patterns[i].search(text, start, end)``, with ``keep`` as ``passing`` gives it for
        that span: only those alternatives can match there, so each is searched on its own
        and the leftmost match wins, the first in order on a tie, as in the whole pattern.

        Each alternative is compiled once, when first needed (compiling each set of
        alternatives met instead cost 0.24 s over the corpora: 180 sets).
        """
        if keep is None:
            return self._whole(i).search(text, start, end)
        best = None
        for j in keep:
            m = self._alternative(i, j).search(text, start, end)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        return best

    def _whole(self, i: int) -> re.Pattern:
        try:
            return self._alternative_patterns[i, None]
        except KeyError:
            p = self._alternative_patterns[i, None] = quick(self.patterns[i])
            return p

    def _alternative(self, i: int, j: int) -> re.Pattern:
        try:
            return self._alternative_patterns[i, j]
        except KeyError:
            p = self._alternative_patterns[i, j] = alternative(self.patterns[i], j)
            return p
