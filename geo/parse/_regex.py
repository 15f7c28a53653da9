"""Case-insensitive patterns in a form the regex engine runs faster, with the same matches.

Under ``re.IGNORECASE`` the engine compares a letter through its lower case.  An
alternation whose alternatives open with such letters ("will|would|could|...") is then
tried one alternative at a time, each with a saved state, at every position it is
reached.  An alternative that opens with a class of characters matched case-sensitively
is ruled out with one look at the next character instead.

``quick(pattern)`` rewrites a compiled pattern that way: the opening letter of each
alternative becomes the class of every character that letter matches under
``re.IGNORECASE`` (its two cases and, unless ``re.ASCII``, the dotted and dotless I for
i, the Kelvin sign for k and the long s for s), matched case-sensitively, and the
alternatives of a run that open with the same letter are put under one class, keeping
their order.  At any position at most one class fits the next character, so the
alternatives that can match there are tried in the order they were written: every
``search``, ``match`` and ``finditer`` gives the same spans and groups as the pattern
given.

The result is compiled from a parse tree: its ``.pattern`` is ``None``.  Code that
reads a pattern's source (``geo.parse._gates``) is given the original.
"""

from __future__ import annotations

import re
import re._compiler as sre_compile
import re._constants as sre
import re._parser as sre_parse

# the characters besides its two cases that re.IGNORECASE matches to an ASCII letter
# (Unicode patterns; none under re.ASCII), checked against the engine over every code
# point in tests/test_fast_regex.py
_MORE_FORMS = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}

_IGNORE = sre.SRE_FLAG_IGNORECASE


def letter_forms(code: int, flags: int) -> str | None:
    """Every character a literal ``chr(code)`` matches under ``flags`` (with re.IGNORECASE),
    or ``None`` if it is no ASCII letter (left as it is)."""
    ch = chr(code)
    if not (ch.isascii() and ch.isalpha()):
        return None
    low = ch.lower()
    more = "" if flags & sre.SRE_FLAG_ASCII else _MORE_FORMS.get(low, "")
    return low + low.upper() + more


WRITTEN: dict[re.Pattern, re.Pattern] = {}
"""Each pattern ``quick`` made, to the pattern it was given: what tests hold it against."""


def quick(pattern: re.Pattern) -> re.Pattern:
    """``pattern``, its alternatives led by case-sensitive classes (see the module)."""
    if not isinstance(pattern.pattern, str) or pattern.flags & (sre.SRE_FLAG_LOCALE | sre.SRE_FLAG_VERBOSE):
        return pattern
    made = compile_quick(sre_parse.parse(pattern.pattern, pattern.flags), pattern.flags)
    WRITTEN[made] = pattern
    return made


def compile_quick(parsed: sre_parse.SubPattern, flags: int) -> re.Pattern:
    """A parsed pattern (``re._parser.parse``, or items of one) compiled as ``quick`` does."""
    return sre_compile.compile(_sub(parsed.state, _rewrite(list(parsed), parsed.state, flags)), flags)


def _sub(state, items: list) -> sre_parse.SubPattern:
    return sre_parse.SubPattern(state, items)


def _rewrite(items: list, state, flags: int) -> list:
    out = []
    for op, av in items:
        if op is sre.BRANCH:
            alts = [_rewrite(list(alt), state, flags) for alt in av[1]]
            out.append((op, (av[0], [_sub(state, a) for a in _grouped(alts, state, flags)])))
        elif op is sre.SUBPATTERN:
            group, add, remove, p = av
            inner = (flags | add) & ~remove
            out.append((op, (group, add, remove, _sub(state, _rewrite(list(p), state, inner)))))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            lo, hi, p = av
            out.append((op, (lo, hi, _sub(state, _rewrite(list(p), state, flags)))))
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            direction, p = av
            out.append((op, (direction, _sub(state, _rewrite(list(p), state, flags)))))
        elif op is sre.ATOMIC_GROUP:
            out.append((op, _sub(state, _rewrite(list(av), state, flags))))
        else:  # literals, classes, anchors, back references, conditionals: as they are
            out.append((op, av))
    return out


def _opening_forms(alt: list, flags: int) -> str | None:
    """The forms of the letter an alternative opens with, if it opens with one under re.I."""
    if not alt or not flags & _IGNORE or alt[0][0] is not sre.LITERAL:
        return None
    return letter_forms(alt[0][1], flags)


def _grouped(alts: list[list], state, flags: int) -> list[list]:
    """The alternatives with their opening letters as classes, those of one letter grouped.

    Only alternatives next to each other are grouped (within a run that all open with a
    letter): one that opens otherwise may match where a letter would, so nothing is
    moved past it.
    """
    out: list[list] = []
    run: dict[str, list[list]] = {}  # forms -> the rests of the run's alternatives, in order

    def flush():
        for forms, rests in run.items():
            lead = (sre.SUBPATTERN, (None, 0, _IGNORE, _sub(state, [(sre.IN, [(sre.LITERAL, ord(c)) for c in forms])])))
            if len(rests) == 1:
                out.append([lead, *rests[0]])
            else:
                out.append([lead, (sre.BRANCH, (None, [_sub(state, r) for r in rests]))])
        run.clear()

    for alt in alts:
        forms = _opening_forms(alt, flags)
        if forms is None:
            flush()
            out.append(alt)
        else:
            run.setdefault(forms, []).append(alt[1:])
    flush()
    return out
