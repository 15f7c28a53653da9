"""Events in Ukrainian and Russian sentences: triggers, negation, sources, actors, places.

The same records as the English extractor (:mod:`geo.parse.events`), from the
vocabulary of :mod:`geo.lexicon_cyr`.  Per clause: the first trigger
of each type; a trigger after a negation ("не вдалося захопити") or a
modal ("намагалися", "якщо") becomes a ``Finding``, not an event; a denial
anywhere in the sentence ("інформація не відповідає дійсності") keeps the
event, flagged ``denied_by``.  A source ("за словами мера Києва", "...,
— заявив X") makes it ``claimed``; a hedge ("нібито", "ймовірно") makes it
``reported``.  Where: a place after a locative preposition, else a place
named bare in the clause, else the actor's country (state acts) or the
country the report is about.  Case helps: a country named in the nominative
with no preposition is the subject, so it acts ("Росія зазнала втрат").
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Callable, Sequence

from geo.lexicon import COUNTRY_ACTORS
from geo.names import fold_text
from geo import lexicon_cyr as lx
from geo.parse._word_gate import WordGate
from geo.parse.binding import without_qualifiers
from geo.parse.cues import DIRECTION_AFTER_CYRILLIC, KIT_REACH
from geo.parse.events import CARRIED_TYPES, Context, Extraction, Finding, event_id
from geo.parse.horizon import quote_window
from geo.records import Event, Place

_I = re.I
TRIGGERS = tuple((etype, sub, re.compile(rx, _I), loc) for etype, sub, rx, loc in lx.TRIGGERS)
_TYPES = tuple(dict.fromkeys(t[0] for t in TRIGGERS))
_NEGATION = re.compile(lx.NEGATION, _I)
_DENIAL = re.compile(lx.DENIAL, _I)
_MODAL = re.compile(lx.MODAL, _I)
_NEGATED_AFTER = re.compile(lx.NEGATED_AFTER, _I)
_HEDGE = re.compile(lx.HEDGES, _I)
_SOURCE_BEFORE = re.compile(lx.SOURCE_BEFORE, _I)
_SOURCE_AFTER = re.compile(lx.SOURCE_AFTER, _I)
_SOURCE_SUBJECT = re.compile(lx.SOURCE_SUBJECT)
_ACTORS = tuple((cc, re.compile(rx, _I)) for cc, rx in lx.ACTORS)
_LOCATIVE = re.compile(lx.LOCATIVE, _I)
_ORIGIN = re.compile(lx.ORIGIN, _I)
_REFERENCE = re.compile(lx.REFERENCE, _I)
_CLAUSE_BREAK = re.compile(lx.CLAUSE_BREAK, _I)
_UNDER = re.compile(r"\s+(?:під|под|біля|поблизу|возле|около|вблизи)\s+", _I)
_LIST_GAP = re.compile(r"\s*(?:,\s*(?:(?:та|і|й|и|а\s+також)\s+)?|(?:та|і|й|и|а\s+також)\s+)", _I)
_SCOPE_BREAK = re.compile(lx.SCOPE_BREAK, _I)
_PRONOUN_START = re.compile(lx.PRONOUN_START, _I)

_TRIGGER_GATE = WordGate([t[2] for t in TRIGGERS])
_ACTOR_GATE = WordGate([rx for _, rx in _ACTORS])

COUNTRY_LEVEL_TYPES = frozenset({"mobilization", "strategic"})
ACTOR_DRIVEN_TYPES = frozenset({"mobilization", "strategic", "diplomacy", "capture",
                                "encirclement", "troop_movement", "losses", "battle"})
_CO_OCCUR = frozenset({("civilian_harm", "strike")})


_NAME_LIST = re.compile(
    r"\s*[А-ЯІЇЄҐ][\w'’ʼ-]*(?:(?:\s*,\s*|\s+(?:та|і|й|и)\s+)[А-ЯІЇЄҐ][\w'’ʼ-]*)*"
    r"(?:\s+(?:громад\w*|район\w*|област\w*))?\s*[.!]?\s*")
"""Names and nothing else: what a colon introduces when it lists where ("обстріляли
Нікопольський район: Нікополь, Марганецька та Червоногригорівська громади")."""


def split_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A Cyrillic sentence's clauses: cut at ; : — and before "але", "а", "тоді як", "но"...;
    not at a colon that only lists places."""
    spans, cur = [], start
    for m in _CLAUSE_BREAK.finditer(text, start, end):
        if m.group(0).strip() == ":" and _NAME_LIST.fullmatch(text, m.end(), end):
            continue
        if m.start() > cur:
            spans.append((cur, m.start()))
        cur = m.end()
    if cur < end:
        spans.append((cur, end))
    return spans or [(start, end)]


def _triggers(text: str, cs: int, ce: int, words: dict[str, list[int]]) -> list[tuple[tuple, re.Match]]:
    """The first hit of each type in a clause, in text order; a hit inside a longer hit of
    another type is part of it; ``other`` only when nothing else fires."""
    hits: dict[str, tuple[tuple, re.Match]] = {}
    # speed only: the patterns the clause's words allow, tried at those words (geo.parse._word_gate)
    for k in _TRIGGER_GATE.candidates(words):
        trig = TRIGGERS[k]
        if trig[0] in hits:
            continue
        m = _TRIGGER_GATE.first(k, text, words, cs, ce)
        if m:
            hits[trig[0]] = (trig, m)
    if len(hits) > 1 and hits.get("troop_movement", ((None, None),))[0][1] == "presence":
        del hits["troop_movement"]  # a caption's presence counts when the clause reports nothing else
    for etype, (trig, m) in list(hits.items()):
        if any(t != etype and om.start() <= m.start() and m.end() <= om.end()
               and om.end() - om.start() > m.end() - m.start() and (t, etype) not in _CO_OCCUR
               for t, (_, om) in hits.items()):
            del hits[etype]
    if len(hits) > 1:
        hits.pop("other", None)
    return sorted(hits.values(), key=lambda h: h[1].start())


_ATTEMPT_BEFORE = re.compile(r"\b(?:спроб\w*|попытк\w*|намага\w*|намагал\w*|пыта\w*|пытал\w*)\s+(?:\w+\s+)?$", _I)
_FAILED = re.compile(r"\b(?:безуспішн\w*|безуспешн\w*|невдал\w*|неудачн\w*|без\s+успіху|без\s+успеха|"
                     r"успіху\s+не\s+ма\w*|не\s+ма\w*\s+успіху|успеха\s+не\s+име\w*|не\s+име\w*\s+успеха|"
                     r"не\s+вдалося|не\s+удалось)", _I)
"""An attempt to assault, and the words that say it failed."""


def _reason(text: str, cs: int, ts: int, te: int, ce: int) -> str | None:
    """Why a trigger is not an event: ``negated`` or ``modal``, or ``None``."""
    before = text[cs:ts]
    breaks = list(_SCOPE_BREAK.finditer(before))
    if breaks:
        before = before[breaks[-1].end():]
    if _NEGATION.search(before):
        return "negated"
    if _MODAL.search(before):
        return "modal"
    if _NEGATED_AFTER.search(text, te, ce):
        return "negated"
    return None


def _sources(text: str, s: int, e: int, clauses: list[tuple[int, int]]) -> tuple[dict[int, str], int]:
    """Clause index to its source, and where the sentence's trailing source starts (``e`` if none)."""
    out: dict[int, str] = {}
    tail = e
    m = _SOURCE_AFTER.search(text, s, e)
    if m:
        tail = m.start()
        out.update({i: m.group("who").strip() for i in range(len(clauses))})
    m = _SOURCE_SUBJECT.match(text, s, e)
    if m and not any(p.search(m.group("who")) for _, _, p, _ in TRIGGERS):
        out.update({i: m.group("who").strip() for i in range(len(clauses))})
    for m in _SOURCE_BEFORE.finditer(text, s, e):
        who = m.group("who").strip()
        if m.start() - s < 3:  # "За словами X, ..." covers the whole sentence
            out.update({i: who for i in range(len(clauses))})
            continue
        for i, (cs, ce) in enumerate(clauses):
            if cs <= m.start() < ce:
                out[i] = who
                if not text[cs:m.start()].strip(" ,") and i > 0:
                    out[i - 1] = who  # a clause of its own: it attributes the one before
                elif i > 0:
                    out.setdefault(i - 1, who)
        tail = min(tail, m.start())
    return out, tail


def _actors(text: str, cs: int, ce: int, places: list[Place], words: dict[str, list[int]]) -> list[str]:
    """Who acts in a clause: armies and leaders by name, and countries named as subjects."""
    found: list[tuple[int, str]] = []
    for k in _ACTOR_GATE.candidates(words):
        cc = _ACTORS[k][0]
        for m in _ACTOR_GATE.finditer(k, text, words, cs, ce):
            found.append((m.start(), COUNTRY_ACTORS.get(cc, cc)))
    for p in places:
        if p.kind == "country" and cs <= p.start < ce and _role(text, cs, p) == "bare" \
                and lx.COUNTRY_NOMINATIVES.get(fold_text(p.mention)):
            found.append((p.start, COUNTRY_ACTORS.get(p.country_code, p.country_code)))
    out: list[str] = []
    for _, a in sorted(found):
        if a not in out:
            out.append(a)
    return out


def _side_of_kit(text: str, start: int, end: int) -> str | None:
    """The one side an army, its kit or its adjective in ``text[start:end]`` names, if one."""
    sides = {COUNTRY_ACTORS.get(cc, cc) for cc, rx in _ACTORS if rx.search(text, start, end)}
    return sides.pop() if len(sides) == 1 else None


def _weak_actors(text: str, cs: int, ce: int, places: list[Place]) -> list[str]:
    """Countries named bare in another case ("Росії не вдалося"): the subject when no other is."""
    out: list[str] = []
    for p in places:
        if p.kind == "country" and cs <= p.start < ce and _role(text, cs, p) == "bare":
            a = COUNTRY_ACTORS.get(p.country_code, p.country_code)
            if a not in out:
                out.append(a)
    return out


_PUSHED_FROM = re.compile(r"\b(?:відтісн|відкину|відкида|відігна|оттесн|отброс|отбрас|отогна)\w*\s+(?:\w+\s+){0,2}?"
                          r"(?:від|от)\s+(?:\w+\s+)?$", _I)


def _role(text: str, cs: int, p: Place) -> str:
    window = text[max(cs, p.start - 40):p.start]
    if _REFERENCE.search(window):
        return "ref"
    if _ORIGIN.search(window):
        # "відтіснили ворога від Часового Яру": where the fighting was, not where anyone came from
        return "loc" if _PUSHED_FROM.search(window) else "origin"
    if _LOCATIVE.search(window):
        return "loc"
    return "bare"


def _is_actor_place(p: Place, actors: list[str], text: str, cs: int) -> bool:
    return p.kind == "country" and _role(text, cs, p) == "bare" and \
        COUNTRY_ACTORS.get(p.country_code, p.country_code) in actors


def _where(text: str, cs: int, ce: int, ts: int, trig: tuple, places: list[Place], actors: list[str]
           ) -> list[Place]:
    """Where a trigger's event happened, among its clause's places."""
    # an oblast named to say where a village is ("Новоселівку Харківської області", "на Сумщині")
    inside = without_qualifiers([p for p in places if cs <= p.start < ce])
    roles: dict[int, str] = {}
    for prev, p in zip([None, *inside], inside):  # "поблизу Синьківки, Петропавлівки та Кругляківки"
        listed = prev is not None and _LIST_GAP.fullmatch(text, prev.end, p.start)
        roles[p.start] = roles[prev.start] if listed else _role(text, cs, p)
        if prev is not None and roles[prev.start] == "bare" and _UNDER.fullmatch(text, prev.end, p.start):
            roles[p.start] = "ref"  # "заняли Опытное и Ласточкино под Авдеевкой": near Avdiivka, not in it
    axis = [p for p in inside if DIRECTION_AFTER_CYRILLIC.match(text, p.end)]  # "на Купянском направлении"
    for p in axis:
        roles[p.start] = "axis"  # a line of advance: where its events are only when nothing else is
    if trig[3] == "subject":
        subj = [p for p in inside if p.start < ts and roles[p.start] not in ("ref", "axis")]
        if subj:
            return subj[-1:]
    located = ("loc", "origin") if trig[0] == "humanitarian" else ("loc",)
    loc = [p for p in inside if roles[p.start] in located]
    local = [p for p in loc if p.kind != "country"]
    if local or trig[0] in COUNTRY_LEVEL_TYPES:
        return local
    bare = [p for p in inside if roles[p.start] == "bare" and p.kind != "country"]
    if bare:
        return bare
    countries = [p for p in loc if p.kind == "country"]
    if countries:
        return countries[:1]
    return [p for p in inside if roles[p.start] == "bare" and not _is_actor_place(p, actors, text, cs)][:1] \
        or axis[:1]


def _fallback(etype: str, actors: list[str], ctx: Context, sentence_places: list[Place]) -> Place | None:
    if etype in COUNTRY_LEVEL_TYPES and actors:
        cc = _ACTOR_CC.get(actors[0])
        place = ctx.country_place(cc) if cc else None
        if place is not None:
            return place
    local = [p for p in sentence_places if p.kind != "country"]
    if local and etype not in COUNTRY_LEVEL_TYPES:
        return local[0]
    return ctx.theatre


_ACTOR_CC = {v: k for k, v in COUNTRY_ACTORS.items()}


def _make(trig: tuple, tm: re.Match, place: Place | None, actors: list[str], certainty: str,
          who: str | None, denied_by: str | None, sent: tuple[int, int], text: str, ctx: Context,
          lang: str, outcome: str | None = None) -> Event:
    s, e = sent
    geometry = place.geometry if place else None
    if place is not None and trig[0] == "encirclement" and place.kind == "city":
        geometry = ctx.area_for(place)
    return Event(
        id=event_id(ctx.source, s, e, trig[0], place.name if place else None),
        event_type=trig[0], subtype=trig[1], place=place.name if place else None, geometry=geometry,
        actors=tuple(actors), date=ctx.date, certainty=certainty, attributed_to=who,
        quote=quote_window(text, s, e, tm.start()), start=s, end=e, trigger=tm.group(0), denied_by=denied_by, source=ctx.source,
        place_kind=place.kind if place else None, lat=place.lat if place else None,
        lon=place.lon if place else None, date_source="report" if ctx.date else None, lang=lang,
        precision=place.precision if place else None, outcome=outcome,
    )


class _Sentence:
    """One sentence's extraction, with what the report so far tells it."""

    def __init__(self, text: str, sent: tuple[int, int], lang: str, places: list[Place], ctx: Context,
                 last_actors: list[str], known: set, carried: Place | None = None):
        self.text, self.sent, self.lang, self.ctx = text, sent, lang, ctx
        self.last_actors, self.known = last_actors, known
        self.carried = carried  # where the sentence before put its events
        s, e = sent
        self.clauses = split_clauses(text, s, e)
        self.words = [WordGate.words(text, cs, ce) for cs, ce in self.clauses]  # speed only
        self.hits = [_triggers(text, cs, ce, w) for (cs, ce), w in zip(self.clauses, self.words)]
        if any(self.hits):  # sources, hedges and denials matter only where something happened
            self.who, tail = _sources(text, s, e, self.clauses)
            self.reported = bool(_HEDGE.search(text, s, e))
            self.denied = _DENIAL.search(text, s, e)
        else:
            self.who, tail, self.reported, self.denied = {}, e, False, None
        self.places = [p for p in places if s <= p.start < tail]  # the source's words are no place
        self.events: list[Event] = []
        self.findings: list[Finding] = []
        self.actors: list[str] = []

    def run(self) -> None:
        text, (s, e) = self.text, self.sent
        local = [p for p in self.places if _role(text, s, p) in ("loc", "bare")]
        prev: list[str] = []
        seen: set = set()
        weak: list[str] = []
        for i, (cs, ce) in enumerate(self.clauses):
            actors = _actors(text, cs, ce, self.places, self.words[i])
            if not actors and _PRONOUN_START.match(text, cs, ce):
                actors = list(prev or weak or self.last_actors)
            for trig, tm in self.hits[i]:
                self._event(i, cs, ce, trig, tm, actors, local, seen)
            prev = actors or prev
            weak += [a for a in _weak_actors(text, cs, ce, self.places) if a not in weak]
            self.actors += [a for a in actors if a not in self.actors]
        fallback = tuple(self.actors or weak)
        self.events = [ev if ev.actors or ev.event_type not in ACTOR_DRIVEN_TYPES or ev.subtype == "staging"
                       else dataclasses.replace(ev, actors=fallback) for ev in self.events]

    def _event(self, i, cs, ce, trig, tm, actors, local, seen) -> None:
        text, (s, e) = self.text, self.sent
        reason = _reason(text, cs, tm.start(), tm.end(), ce)
        outcome = None
        if reason == "modal" and trig[0] == "battle" and _ATTEMPT_BEFORE.search(text, max(cs, tm.start() - 30), tm.start()):
            # "здійснив спробу штурму ..., успіху не мав": the assault was made, and failed
            reason, outcome = None, ("failed" if _FAILED.search(text, cs, ce) else None)
        if reason:
            self.findings.append(Finding(trig[0], trig[1], reason, text[cs:ce], text[s:e], s, e))
            return
        denied_by = (actors[0] if actors else "unknown") if self.denied else None
        who = self.who.get(i)
        certainty = "claimed" if who or denied_by else ("reported" if self.reported else "confirmed")
        located = _where(text, cs, ce, tm.start(), trig, self.places, actors)
        if not located and (trig[0], trig[1]) in self.known:
            return  # "напередодні переговорів": the talks already reported
        if not located and not self.places and self.carried is not None and trig[0] in CARRIED_TYPES:
            located = [self.carried]  # "Обстріляли Херсон. Поранено двох цивільних.": in Kherson
        if not located:
            located = [_fallback(trig[0], actors, self.ctx, local)]
        # a loss is the side's whose kit it names: "спалили ворожу БМП", "Уничтожен украинский HIMARS"
        side = _side_of_kit(text, tm.start(), min(ce, tm.end() + KIT_REACH)) if trig[0] == "losses" else None
        acting = [side] if side else actors
        for place in located:
            key = (trig[0], place.name, place.precision) if place else (trig[0], None, None)
            if key in seen:  # a raion shares its seat's name: "Нікопольський район: Нікополь, ..."
                continue
            seen.add(key)
            if trig[3] == "subject" and place is not None:
                acting = [a for a in actors if a != COUNTRY_ACTORS.get(place.country_code or "")]
            self.events.append(_make(trig, tm, place, acting, certainty, who, denied_by, self.sent,
                                     text, self.ctx, self.lang, outcome))


def extract_events_cyr(text: str, places: Sequence[Place], ctx: Context,
                       sentences: Sequence[tuple[int, int, str]]) -> Extraction:
    """Events and suppressed triggers of the Ukrainian and Russian ``(start, end, lang)`` sentences."""
    ordered = sorted(places, key=lambda p: p.start)
    starts = [p.start for p in ordered]
    events: list[Event] = []
    findings: list[Finding] = []
    last_actors: list[str] = []
    known: set = set()
    carried: Place | None = None
    for s, e, lang in sentences:
        inside = ordered[bisect.bisect_left(starts, s):bisect.bisect_left(starts, e)]
        one = _Sentence(text, (s, e), lang, inside, ctx, last_actors, known, carried)
        one.run()
        made = {ev.place for ev in one.events}
        carried = next((p for p in one.places if p.kind not in ("country", "border") and p.name in made), None)
        if ctx.max_events is not None and len(events) + len(one.events) > ctx.max_events:
            return Extraction(tuple(events), tuple(findings), s)
        events += one.events
        findings += one.findings
        known.update((ev.event_type, ev.subtype) for ev in one.events)
        if one.actors:
            last_actors = one.actors
    return Extraction(tuple(events), tuple(findings))


def with_cyrillic_events(text: str, places: Sequence[Place], ctx: Context,
                         english_events: Callable[[], Extraction]) -> Extraction:
    """The English extractor's result (``english_events()``, asked only when some sentence is
    not Ukrainian or Russian) with the events of the Ukrainian and Russian sentences made by
    this module, and each event's ``lang`` set."""
    from geo.parse.language import sentences_with_languages

    tagged = sentences_with_languages(text)
    sentences = [(s, e) for s, e, _ in tagged]
    langs = [lang for _, _, lang in tagged]
    cyrillic = [(s, e, lang) for (s, e), lang in zip(sentences, langs) if lang in ("uk", "ru")]
    english = english_events() if len(cyrillic) < len(sentences) else Extraction((), ())
    if not cyrillic:
        return english
    lang_at = dict(((s, e), lang) for (s, e), lang in zip(sentences, langs))
    inside = {(s, e) for s, e, _ in cyrillic}
    kept = [ev if lang_at.get((ev.start, ev.end), "en") == "en"
            else dataclasses.replace(ev, lang=lang_at[(ev.start, ev.end)])
            for ev in english.events if (ev.start, ev.end) not in inside]
    found = [f for f in english.findings if (f.start, f.end) not in inside]
    own = extract_events_cyr(text, places, ctx, cyrillic)
    events = sorted([*kept, *own.events], key=lambda ev: ev.start)
    findings = sorted([*found, *own.findings], key=lambda f: f.start)
    stops = [at for at in (english.stopped_at, own.stopped_at) if at is not None]
    if stops or (ctx.max_events is not None and len(events) > ctx.max_events):
        # each side stopped at the bound on its own: keep the sentences both read, up to the bound
        at = min([*stops, *([events[ctx.max_events].start] if len(events) > ctx.max_events else [])])
        events = [ev for ev in events if ev.start < at]
        findings = [f for f in findings if f.start < at]
        return Extraction(tuple(events), tuple(findings), at)
    return Extraction(tuple(events), tuple(findings))


# dates -------------------------------------------------------------------------------------
_WAR_DAY = re.compile(lx.WAR_DAY, _I)
_DAY_WORD = re.compile(r"(?<![^\W\d_])(?:день|дня|дні|добу|доба|сутки|суток)(?![^\W\d_])", _I)
_DATE = re.compile(rf"(?<!\d)(\d{{1,2}})\s+({'|'.join(lx.MONTHS)})(?:\s+(\d{{4}}))?", _I)


def war_day(text: str) -> int | None:
    """The day of the war a Ukrainian or Russian report names: "п'ятий день війни",
    "5-й день вторгнення", "на 5 добу війни"; the first in the text."""
    for k in _DAY_WORD.finditer(text):  # the pattern around each "день", "доба": not at every position
        m = _WAR_DAY.search(text, max(0, k.start() - 40), k.end() + 120)
        if m is None or m.start("unit") != k.start():
            continue
        if m.group("num"):
            return int(m.group("num"))
        word = fold_text(m.group("word"))
        for ordinal, day in lx.ORDINALS.items():
            # "п'ятий", "п'ятого", "на п'ятий": the ordinal's stem, less its ending
            if word[:max(4, len(ordinal) - 2)] == ordinal[:max(4, len(ordinal) - 2)]:
                return day
    return None


def dated(text: str) -> str | None:
    """The first full date a Ukrainian or Russian report writes ("28 лютого 2022 року"), ISO."""
    import datetime as dt

    for m in _DATE.finditer(text):
        if m.group(3):
            try:
                return dt.date(int(m.group(3)), lx.MONTHS[m.group(2).lower()], int(m.group(1))).isoformat()
            except ValueError:
                continue
    return None
