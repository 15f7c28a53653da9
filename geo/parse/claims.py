"""Who acted, who said so, and how sure the text is: actors, attribution, certainty,
negation, denials and failed attempts.

The cue phrases are in ``geo.parse.cues``; this module reads them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.lexicon import CAPITALS, COUNTRY_ACTORS, DEMONYMS, LEADERS
from geo.names import word_char_at
from geo.parse import cues
from geo.parse._folded import folded_search
from geo.parse._gates import fold
from geo.parse._scan import DEMONYM_AT, LEADER_AT, text_gates
from geo.parse.triggers import ANY_TRIGGER
from geo.records import Place

_QUICK_DEMONYM_AGENT, _QUICK_LEADER = cues.DEMONYM_AGENT, cues.LEADER

# speed only: words every match of a cue holds, searched in lower case in the folded text
# (``TextGates.folded``), where the engine skips ahead to their first letters; a span
# without one is not searched with the cue (the denial checks keep the gate they had,
# cues.DENIAL_WORD)
_DENIAL_WORDS = re.compile(r"den(?:y|ies|ied)|refut|dismiss|reject")  # cues.DENIAL_WORD; cues.DENIAL's
_NEGATED_AFTER_WORDS = re.compile(r"declined|rejected|cancel|called|postponed|denied|refuted|averted|unlikely|did")
# case-sensitive, as cues.SAID_AFTER is; and what cues.DASH_SOURCE needs
_SAID_AFTER_WORDS = re.compile(r"said|says|claim|stated|reported|announced|added|told")
_DASH_OR_COLON = re.compile(r"[-–—:]")


def _holds(words: re.Pattern, text: str, start: int, end: int) -> bool:
    """Whether the folded ``text[start:end]`` holds one of ``words``."""
    return words.search(text_gates(text).folded, start, end) is not None


def country_actor(cc: str | None) -> str:
    return COUNTRY_ACTORS.get(cc or "", cc or "")


def capital_country(place: Place) -> str | None:
    """The country a capital stands for, when ``place`` is one."""
    if place.kind not in ("city", "admin1"):  # "Kyiv" may resolve to its oblast
        return None
    return CAPITALS.get(place.mention.lower()) or CAPITALS.get(place.name.lower())


def speaks_for_state(text: str, place: Place, end: int) -> bool:
    """A capital used for its government: "Kyiv did not comment", "Moscow announced"."""
    return capital_country(place) is not None and cues.SPEAKS_AFTER.match(
        text, place.end, min(end, place.end + 60)) is not None


def clause_actors(text: str, cs: int, ce: int, places: list[Place], speakers: bool = True) -> list[str]:
    """Who acts in a clause: states named as subjects or agents, demonym agents, leaders,
    and (with ``speakers``) capitals speaking for their state."""
    out: list[str] = []
    for _, a in actor_spans(text, cs, ce, places, speakers):
        if a not in out:
            out.append(a)
    return out


def actor_spans(text: str, cs: int, ce: int, places: list[Place], speakers: bool = True) -> list[tuple[int, str]]:
    """Each actor of :func:`clause_actors` with where it is named, in text order.

    A capital that only speaks ("a claim Kyiv rejected") is a source, not an agent:
    without ``speakers`` it is left out.
    """
    clause = text[cs:ce]
    found: list[tuple[int, str]] = []
    gates = text_gates(text)
    folded = gates.folded[cs:ce]  # the cues are searched in lower case there
    for p in places:
        if not cs <= p.start < ce:
            continue
        if p.kind == "country":
            at = max(cs, p.start - 25)
            if _agent_after(text[at:p.start], gates.folded[at:p.start]):
                found.append((p.start, country_actor(p.country_code)))
        elif (speakers and speaks_for_state(text, p, ce)) or (capital_country(p) and cues.METONYM_AFTER.match(
                text, p.end, min(ce, p.end + 20))):
            found.append((p.start, country_actor(capital_country(p))))
    # speed only: a clause holding no demonym (no leader) is not searched for one; the gates
    # drop a name that follows a letter, which in the clause cut from the text starts a word
    cands = gates.candidates(cs, ce)
    cut_word = word_char_at(text, cs - 1)  # as \b sees it
    if cut_word or DEMONYM_AT in cands:
        pos = 0
        while (m := _DEMONYM_AGENT_IN(clause, folded, pos, len(clause))) is not None:  # as finditer
            pos = m.end()
            at = max(0, m.start() - 25)
            if _agent_after(clause[at:m.start()], folded[at:m.start()]):
                found.append((cs + m.start(), country_actor(DEMONYMS[fold(m.group("d"))])))
    if cut_word or LEADER_AT in cands:
        for m in _QUICK_LEADER.finditer(clause):
            # folded as re.I compares: "ſhoigu" (a long s) is Shoigu
            found.append((cs + m.start(), country_actor(LEADERS[fold(m.group(0))])))
    return sorted(found)


def _agent_after(before: str, folded: str) -> bool:
    """Whether a state or demonym after ``before`` (``folded``: it folded) is an agent: not
    after a preposition that makes it an object, unless after "by", "fell to"."""
    return not _OBJECT_PREP(before, folded, 0, len(before)) or bool(_AGENT_PREP(before, folded, 0, len(before)))


_OBJECT_PREP, _AGENT_PREP, _DEMONYM_AGENT_IN = map(folded_search, (cues.OBJECT_PREP, cues.AGENT_PREP,
                                                                   _QUICK_DEMONYM_AGENT))


def hit_actors(spans: list[tuple[int, str]], lo: int, start: int, end: int) -> list[str]:
    """The actors of one trigger among its clause's: those named in its own stretch before
    it (its subject), else before that (a shared subject), else after it ("captured by
    Russian forces")."""
    for pick in ([a for pos, a in spans if lo <= pos < start], [a for pos, a in spans if pos < lo],
                 [a for pos, a in spans if pos >= end]):
        out: list[str] = []
        for a in pick:
            if a not in out:
                out.append(a)
        if out:
            return out
    return []


def speaker(who: str) -> str:
    """A source's name without the time phrase that led the sentence."""
    for _ in range(2):
        who = cues.TIME_LEAD.sub("", who, count=1)
    return who.strip()


def said_at_start(clause: str) -> re.Match | None:
    """``SAID.search(clause)`` if that match starts in the first three characters, else ``None``."""
    if not cues.SPEECH_VERB.search(clause):  # every match holds one of its verbs
        return None
    for i in range(min(3, len(clause) + 1)):
        m = cues.SAID.match(clause, i)
        if m:
            return m
    return None


def attribution(text: str, clauses: list[tuple[int, int]]) -> dict[int, str]:
    """Map clause index to the source it is attributed to."""
    out: dict[int, str] = {}
    for i, (cs, ce) in enumerate(clauses):
        clause = text[cs:ce]
        m = cues.ACCORDING.search(clause)
        if m:
            who = m.group("who").strip()
            if m.start() < 3:  # "According to X, ..." covers what follows
                out.update({j: who for j in range(i, len(clauses))})
            else:
                out[i] = who
                if clause[:m.start()].strip(" ,") == "" and i > 0:
                    out[i - 1] = who
            continue
        s = said_at_start(clause)
        if s:
            who = speaker(s.group("who"))
            if who:
                for j in range(i + 1, len(clauses)):  # up to a semicolon: a new statement
                    if ";" in text[clauses[j - 1][1]:clauses[j][0]]:
                        break
                    out[j] = who
                out.setdefault(i, who)
    # a trailing "according to X" clause attaches to the clause before it
    for i, (cs, ce) in enumerate(clauses):
        # "according to" with no source after it (cut off) attributes nothing
        if i > 0 and i in out and cues.ACCORDING_START.match(text, cs, ce):
            out[i - 1] = out[i]
    return {k: re.sub(r"^the\s+", "", v, flags=re.I) for k, v in out.items()}


def trailing_source(text: str, s: int, e: int) -> tuple[str, int] | None:
    """The source a sentence names at its end ("..., the mayor said."; "... - JFO HQ"),
    and where that source's words start."""
    m = cues.SAID_AFTER.search(text, s, e) if _SAID_AFTER_WORDS.search(text, s, e) else None
    if m:
        key = "who" if m.group("who") is not None else "who2"
        who = speaker(m.group(key))
        if who and not ANY_TRIGGER.search(who) and len(who.split()) <= 8:
            return re.sub(r"^(?:the|a)\s+", "", who, flags=re.I), m.start()
    m = cues.DASH_SOURCE.search(text, s, e) if _DASH_OR_COLON.search(text, s, e) else None
    if m and not ANY_TRIGGER.search(m.group("who")) and not re.search(r"\d", m.group("who")):
        return m.group("who").strip(), m.start()
    return None


def negation_reason(text: str, cs: int, ts: int, te: int, ce: int) -> str | None:
    """Why a trigger is not plain fact: "denied", "negated", "modal", or ``None``."""
    # each cue searched in lower case in the folded copy (geo.parse._folded)
    folded_text = text_gates(text).folded
    before, folded = text[cs:ts], folded_text[cs:ts]
    cut = pos = 0
    while (m := _SCOPE_BREAK(before, folded, pos, len(before))) is not None:  # the last break
        cut = pos = m.end()
    if cut:
        before, folded = before[cut:], folded[cut:]
    if _holds(_DENIAL_WORDS, text, cs, ts) and _DENIAL(before, folded, 0, len(before)):
        return "denied"
    if _NEGATION(before, folded, 0, len(before)) or _NEGATED_INSIDE.search(text, ts, te):  # "forces have not made advances"
        return "negated"
    if _MODAL(before, folded, 0, len(before)):
        return "modal"
    if (_holds(_NEGATED_AFTER_WORDS, text, te, ce) and _NEGATED_AFTER(text, folded_text, te, ce)) \
            or cues.UNKNOWN_AFTER.match(text, te, ce):
        return "negated"
    return None


_NEGATED_INSIDE = re.compile(r"\b(?:not|never|\w+n['’]t)\b", re.I)
"""A negation inside a trigger's own words, which span subject to verb ("forces have not made
confirmed advances")."""

_SCOPE_BREAK, _DENIAL, _NEGATION, _MODAL, _NEGATED_AFTER = map(folded_search, (
    cues.SCOPE_BREAK, cues.DENIAL, cues.NEGATION, cues.MODAL, cues.NEGATED_AFTER))


def attempt_outcome(text: str, cs: int, ts: int, ce: int, reason: str | None) -> str | None:
    """For a negated or hedged capture: "failed" ("failed to take", "did not capture",
    an attempt repelled), "attempted" (an attempt with no outcome said), else ``None``."""
    before = text[cs:ts]
    if reason == "negated" and cues.FAILED.search(before) and not cues.ATTEMPTED.search(before):
        return "failed"
    if reason in ("modal", "negated") and cues.ATTEMPTED.search(before):
        return "failed" if cues.REPELLED.search(text, cs, ce) or cues.FAILED.search(before) else "attempted"
    return None


def denial_split(text: str, cs: int, ts: int) -> int | None:
    """Where the denial word before a trigger ends ("Ukraine denied that ..."), if any."""
    found = None
    for m in cues.DENIAL.finditer(text, cs, ts):
        found = m.end()
    return found


@dataclass(frozen=True, slots=True)
class Denial:
    """A clause that denies what came before it, and who denied it."""

    who: str


def denial_after(text: str, s: int, e: int, places: list[Place]) -> tuple[int, Denial] | None:
    """A denial tacked on after a claim in its sentence ("..., a claim Kyiv rejected"), and
    where it starts."""
    if not _holds(_DENIAL_WORDS, text, s, e):  # speed only: cues.DENIAL_WORD finds nothing
        return None
    m = cues.CLAIM_DENIED_AFTER.search(text, s, e)
    if not m:
        return None
    capitals = [capital_country(p) for p in places if m.start("who") <= p.start < m.end("who") and capital_country(p)]
    actors = [country_actor(capitals[0])] if capitals else clause_actors(text, m.start("who"), m.end("who"), places)
    return m.start(), Denial(actors[0] if actors else re.sub(r"^(?:the|a)\s+", "", m.group("who"), flags=re.I))


def denial_of_before(text: str, cs: int, ce: int, places: list[Place]) -> Denial | None:
    """A clause such as "but Ukraine denied it" or "Kyiv denied the claims."."""
    if not _holds(_DENIAL_WORDS, text, cs, ce):  # speed only: cues.DENIAL_WORD finds nothing
        return None
    m = cues.DENIAL_OF_BEFORE.match(text[cs:ce].strip())
    if not m:
        return None
    actors = clause_actors(text, cs, ce, places)
    if actors:
        return Denial(actors[0])
    who = re.sub(r"^(?:the|a)\s+", "", (m.group("who") or "").strip(), flags=re.I)
    return Denial(who or "unknown")


def source_apart(text: str, clauses: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """``clauses``, one opening with "According to X," split after that comma: the source's
    words place nothing, and what it reports is a clause of its own ("According to Russian
    sources, 1 civilian was killed")."""
    out = []
    for cs, ce in clauses:
        m = cues.ACCORDING.search(text, cs, ce) if cues.ACCORDING_START.match(text, cs, ce) else None
        if m is not None and m.end() < ce - 1 and text[m.end()] == "," and text[m.end() + 1:ce].strip():
            out += [(cs, m.end()), (m.end() + 1, ce)]
        else:
            out.append((cs, ce))
    return out


def denier(text: str, cs: int, ts: int, places: list[Place]) -> tuple[str, int]:
    """Who denied, from the words before the denial, and where the denied content starts."""
    split = denial_split(text, cs, ts) or cs
    who = clause_actors(text, cs, split, places)
    if who:
        return who[0], split
    m = re.search(r"([A-Z][\w'’.-]*(?:\s+[A-Z\w'’.-]+){0,4})\s+(?:has\s+|have\s+|had\s+)?\w+\s*$",
                  text[cs:split])
    return (m.group(1) if m else "unknown"), split
