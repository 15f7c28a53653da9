"""How much of the alias penalty a name pays when it only spells a row's own name."""

from __future__ import annotations

from geo.names import normalise


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of two strings, or ``limit + 1`` once it exceeds ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def alias_weight(key: str, name: str) -> float:
    """How much of the alias penalty a match by ``key`` on a row called ``name`` takes.

    A transliteration of the row's own name (Odessa for Odesa, Kharkov for
    Kharkiv: the same word, a letter or two apart) is how English text spells
    that very place, so it costs little; a different name (a former name, a
    translation) costs the full penalty.
    """
    own = normalise(name)
    if len(key) >= 5 and key[0] == own[:1] and _edit_distance(key, own, 2) <= 2:
        return _SPELLING_SHARE
    return 1.0


_SPELLING_SHARE = 0.5
