"""Places of Ukraine a report spells in a way no table holds.

Reports write Russian-era forms (Snizhnoye, Trudovskiye, Belaya Kamenka), other
transliterations (Stanitsa Luganska) and slips (Dontesk, Adiivka).  After the names
are matched and the units around them read, a text about Ukraine is searched for
those spellings (``geo.gazetteer.ukraine.spelling_variants``) in three places only,
so the search runs on misses and never on a name already matched:

- a capitalised name no mention covers, where the text says it is a place: after
  "village of", "near", "in", before "village" or "district", in a list with other
  places, or leading the text as a dateline; common English words and given names
  are left alone;
- a longer name than the mentions inside it ("Velyka Novoselka" over "Novoselka",
  "Belaya Kamenka" over "Belaya"), which wins when the longer one is a settlement;
- a mention whose candidates hold no Ukrainian settlement, or none in the oblast or
  raion the text puts it in ("Granite, Volnovakha district": Hranitne, not Granite in
  the United States; "the village of Lugansk (Donetsk region)": Luhanske).

A settlement found this way keeps its name's spelling as the mention; its candidates
are the settlements it spells (in the text's oblast when it names one), and the
names it also matched before.
"""

from __future__ import annotations

import bisect
import functools
import re

from geo.gazetteer.loader import Gazetteer
from geo.gazetteer.regions import member_units
from geo.lexicon import DEMONYMS, GENERIC_WORDS
from geo.parse.cues import BEARING
from geo.parse.units import in_local_unit, unit_scopes
from geo.names import normalise
from geo.parse.spelling_share import alias_weight
from geo.records import Mention

_RUN = re.compile(r"(?<![\w'’-])[A-Z][a-z'’]+(?:(?:-| - | )[A-Z][a-z'’]+|-\d+)*")
"""Capitalised words, one name: "Velyka Novoselka", "Orlovo - Ivanivka", "Zolote-4"."""
_LEAD_WORDS = frozenset({
    "the", "near", "in", "at", "on", "around", "outside", "village", "town", "city", "settlement",
    "settlements", "areas", "area", "of", "and", "from", "between", "vicinity", "outskirts", "sec",
    "suburb", "district", "region", "direction", "to", "towards", "by", "after", "before", "while",
    "during", "hamlet", "urban", "within", "into", "khutir", "khutor",
})
_UNIT_WORDS = frozenset({
    "oblast", "obl", "region", "district", "raion", "rayon", "hromada", "community", "republic",
    "direction", "people's", "sector", "council",
})
_FACILITY_WORDS = frozenset({
    "street", "avenue", "square", "airport", "station", "plant", "highway", "checkpoint", "market",
    "hospital", "school", "bridge", "height", "hill", "mound", "river", "forestry", "memorial", "monument",
})
"""A name ending in one of these names a place that is no settlement: only its hyphened
parts are checked (Saur-Mogila Memorial)."""
_ALL_WORDS = _LEAD_WORDS | _UNIT_WORDS | _FACILITY_WORDS
_CUE_BEFORE = re.compile(
    r"(?:\b(?:village|villages|town|towns|settlement|settlements|city|hamlet|township|outskirts|vicinity|"
    r"near|in|at|around|outside|inside|of|from|between|into|towards?|through|entering|entered|leaving|"
    r"c|s|sec|smt|v)\.?[\s,]*|[,;(/]\s*|^\s*)$", re.I)
_CUE_AFTER = re.compile(
    r"\s*(?:[,;:()/]|$|\n|(?:village|town|settlement|city|district|raion|area|hromada|community|township|"
    r"and|or)\b)", re.I)
_WINDOW = 30
_BEARING_AFTER = re.compile(rf"\s*[(,]\s*(?:just\s+|some\s+)?{BEARING}(?:ern)?\s+of\s", re.I)
"""A bracket or a comma putting the name on a bearing from a town, as assessments place villages
("Dalne (south of Kurakhove)", "Pischane, northwest of Kupiansk")."""
_UNIT_AFTER = re.compile(r"\s+(?:district|raion|rayon|region)\b", re.I)
_FACILITY_AFTER = re.compile(
    r"\s+(?:stronghold|strongpoint|square|market|checkpoint|op|post|outpost|mine|station|street|microdistrict|"
    r"platoon|battalion|company|brigade|hq|headquarters|base|height|hill|mound|memorial|monument|plant|airport)\b",
    re.I)


def add_variants(text: str, mentions: list[Mention], gaz: Gazetteer, units: dict[int, str],
                 areas: set[int], regions, home: bool = True) -> tuple[list[Mention], dict[int, str], set[int]]:
    """``mentions`` with the spellings above found, and ``units`` and ``areas`` (by mention
    index, as ``geo.parse.units.unit_scopes`` gives them) carried over to the new list.

    ``home``: the text is mostly about Ukraine.  A text that is not, and names no oblast,
    is searched only for names the text puts in a Ukrainian unit ("Granite, Volnovakha
    district"): a news story that mentions Kyiv once keeps its Dublin and Plato."""
    oblast = _text_oblast(regions)
    about = home or oblast is not None
    starts = [m.start for m in mentions]
    replace: dict[int, Mention] = {}  # mention index -> its replacement
    drop: set[int] = set()
    new: list[tuple[Mention, str | None, bool]] = []  # (mention, unit, an area placed at its seat)
    spans = {(m.start, m.end): i for i, m in enumerate(mentions)}
    for run in _RUN.finditer(text):
        rs, re_ = run.span()
        while re_ > rs and text[re_ - 1] in "'’":  # Kharkiv': no name ends in an apostrophe
            re_ -= 1
        if text.endswith(("'s", "’s"), rs, re_):  # Russia's: the name is Russia
            re_ -= 2
        i = spans.get((rs, re_))
        if i is not None and oblast is not None and mentions[i].kind_hint is None and i not in areas \
                and _FACILITY_AFTER.match(text, re_) and _elsewhere(gaz, mentions[i], units.get(i), oblast):
            drop.add(i)  # "the Stanislav OP", "the Valera stronghold" in Donetsk oblast: a post's name
            continue
        if i is not None and mentions[i].kind_hint is None and not _foreign(gaz, mentions[i], units.get(i), oblast) \
                and run.group(0).lower() not in _ALL_WORDS:
            continue  # the commonest case: a name matched whole, a settlement where the text puts it
        s, e, facility = _trim(text, rs, re_)
        if s is None:
            continue
        facility = facility or (oblast is not None and bool(_FACILITY_AFTER.match(text, e)))
        lo = bisect.bisect_left(starts, s)
        while lo and mentions[lo - 1].end > s:
            lo -= 1
        inside = []
        for i in range(lo, len(mentions)):
            if mentions[i].start >= e:
                break
            if mentions[i].end > s:
                inside.append(i)
        if any(mentions[i].start < s or mentions[i].end > e for i in inside):
            continue  # a longer mention holds it
        if not inside and about and _CHECKPOINT_AFTER.match(text, e) and _ADJECTIVE.search(text, s, e):
            town = _seat_row(gaz, text[s:e], oblast, anywhere=False)
            if town is not None:  # "the Dovzhansky checkpoint": the crossing at Dovzhansk
                new.append((Mention(text[s:e], s, e, (town,), lemma=text[s:e]), None, False))
                continue
        if facility:  # a hill, a square or a post: its parts are no towns abroad or in another oblast
            if about and inside and all(mentions[i].kind_hint is None and (
                    _foreign(gaz, mentions[i], None, oblast) or _elsewhere(gaz, mentions[i], units.get(i), oblast))
                    for i in inside):
                drop.update(inside)
            continue
        if not inside:
            if not about or not _plain_name(text[s:e], gaz):
                continue
            axis = _axis_town(gaz, text, s, e, oblast)
            if axis is not None:  # "Krasnolymansk direction": the axis is named after its town
                new.append((Mention(text[s:e], s, e, (axis,), lemma=text[s:e]), None, False))
                continue
            if _adjective(text, s, e) and _city_near(gaz, mentions, lo, s, e):
                continue  # "Petrovsky, Donetsk", "Voroshilovsky district": a city's district
            if _cued(text, s, e, mentions):
                raion = bool(_UNIT_AFTER.match(text, e))
                # "Shakhtarskyi district": a raion, placed at its seat (the town Shakhtarsk, not
                # the village Shakhtarske) as an approximation
                seat = _seat_row(gaz, text[s:e], oblast) if raion else None
                rows = (seat,) if seat is not None else _variant_rows(gaz, text[s:e], oblast)
                if rows:
                    new.append((Mention(text[s:e], s, e, rows, lemma=text[s:e]), None, raion))
        elif len(inside) == 1 and (mentions[inside[0]].start, mentions[inside[0]].end) == (s, e):
            i = inside[0]
            m, unit = mentions[i], units.get(i)
            if m.kind_hint is not None or i in areas or not _foreign(gaz, m, unit, oblast):
                continue
            local = _unit_oblast(unit) is not None or (unit or "").startswith(_LOCAL_UNITS)
            if not local and not (about and _small(gaz, m)):
                continue  # Rome, Europe, Houston: a place of its own, not a misspelt village
            # (but "Petropavlovsk, Shakhtersky district": a village of that raion, not Petropavl)
            within = _unit_oblast(unit) or oblast
            rows = _variant_rows(gaz, m.text, within)
            if rows:
                keep = () if local else m.candidates
                replace[i] = Mention(m.text, s, e, rows + tuple(r for r in keep if r not in rows), lemma=m.text)
            elif _FACILITY_AFTER.match(text, e) and not _unit_oblast(unit):
                drop.add(i)  # "the Valera stronghold", "Sokol market": a post's name, not a town abroad
        elif about and all(mentions[i].kind_hint is None and i not in areas for i in inside):
            rows = _variant_rows(gaz, text[s:e], oblast, exact_only=True)
            if rows:
                unit = next((units[i] for i in inside if i in units), None)
                drop.update(inside)
                new.append((Mention(text[s:e], s, e, rows, lemma=text[s:e]), unit, False))
            elif "-" in text[s:e] and all(_foreign(gaz, mentions[i], units.get(i), oblast) for i in inside):
                drop.update(inside)  # Saur-Mogila: a hill, not Mogila in Poland
    # (in any text naming a place in Ukraine: "Kirov, Donetsk" is about Donetsk, whatever
    # Kirov's namesakes say; the city after it must be a big Ukrainian one)
    drop.update(_city_parts(text, mentions, gaz, areas))
    if not (replace or new or drop):
        return mentions, units, areas
    entries = [(replace.get(i, m), units.get(i), i in areas) for i, m in enumerate(mentions) if i not in drop]
    entries += new
    entries.sort(key=lambda x: x[0].start)
    out = [m for m, _, _ in entries]
    found_units = {i: u for i, (_, u, _) in enumerate(entries) if u is not None}
    fresh = {id(m) for m, unit, _ in new if unit is None}
    if fresh:  # a village found so lies in the unit written after it too ("Mikolaevka (Volnovakha district)")
        scopes = unit_scopes(text, out, gaz)[0]
        found_units.update((i, scopes[i]) for i, m in enumerate(out) if id(m) in fresh and i in scopes)
    return out, found_units, {i for i, (_, _, a) in enumerate(entries) if a}


_LOCAL_UNITS = ("near:", "raion:", "hromada:")
_DIRECTION_AFTER = re.compile(r"\s*-?\s*(?:direction|axis|sector)\b", re.I)
_CHECKPOINT_AFTER = re.compile(r"\s+(?:checkpoint|check\s+point|(?:border\s+)?crossing(?:\s+point)?)\b", re.I)


def _axis_town(gaz: Gazetteer, text: str, s: int, e: int, oblast: str | None) -> int | None:
    """The town an axis no table spells is named after ("Krasnolymansk direction",
    "Krasnolimansky direction": Krasnyi Lyman), in the text's oblast if it is there."""
    return _seat_row(gaz, text[s:e], oblast) if _DIRECTION_AFTER.match(text, e) else None


def _seat_row(gaz: Gazetteer, name: str, oblast: str | None, anywhere: bool = True) -> int | None:
    """The town a raion's or an axis's name is made from, in the text's oblast if there is one
    (else anywhere, unless ``anywhere`` is false)."""
    from geo.gazetteer import ukraine

    in_oblast = (ukraine.seat_town(name, unit) for unit in member_units(oblast)) if oblast else ()
    gid = next(filter(None, in_oblast), None) or (anywhere and ukraine.seat_town(name))
    return _gid_row(gaz, gid) if gid else None


def _trim(text: str, s: int, e: int) -> tuple[int | None, int, bool]:
    """The name in a capitalised run, without leading words such as "Near" or "The" and
    trailing numbers and a facility's word ("Saur-Mogila Memorial": then whether one was
    dropped); ``None`` when it ends in a unit's word."""
    if text[s:e].lower() not in _ALL_WORDS and not any(c in " -" for c in text[s:e]):
        return s, e, False  # one word, no leading or trailing word to drop: most runs
    words = [(w.start() + s, w.end() + s) for w in re.finditer(r"[\w'’]+", text[s:e])]
    while words and text[words[0][0]:words[0][1]].lower() in _LEAD_WORDS:
        words.pop(0)
    while words and text[words[-1][0]:words[-1][1]].isdigit():
        words.pop()
    if not words or text[words[-1][0]:words[-1][1]].lower() in _UNIT_WORDS:
        return None, e, False
    facility = False
    while len(words) > 1 and text[words[-1][0]:words[-1][1]].lower() in _FACILITY_WORDS:
        words.pop()
        facility = True
    return words[0][0], words[-1][1], facility


_CITY_DISTRICT = re.compile(
    r"\s+(?:micro)?district(?:\s+(?:of|in)\s+(?:the\s+\w+\s+of\s+)?|,\s*)[A-Z]"
    r"(?![\w'’-]*\s+(?:oblast|obl\b|region|province))", re.I)
"""'<name> district of <City>': a city's district, no settlement of its own."""


_ADJECTIVE = re.compile(r"s['’]?k(?:y|iy|yi|yy|ii|ij|oi|oy|ij)$", re.I)
_SETTLEMENT_WORD_BEFORE = re.compile(r"\b(?:village|town|settlement|smt|urban-type\s+settlement)\s+(?:of\s+)?$", re.I)
_SETTLEMENT_WORD_AFTER = re.compile(r"\s+(?:village|town|settlement)\b", re.I)


def _adjective(text: str, s: int, e: int) -> bool:
    """A name in a Russian or Ukrainian masculine adjective's form (Petrovsky, Kirovs'kyi),
    as districts of cities and raions are named, unless the text calls it a village or town."""
    if not _ADJECTIVE.search(text, s, e):
        return False
    return not (_SETTLEMENT_WORD_BEFORE.search(text[max(0, s - 30):s]) or _SETTLEMENT_WORD_AFTER.match(text, e))


_CITY = 100_000


def _city_near(gaz: Gazetteer, mentions: list[Mention], at: int, s: int, e: int) -> bool:
    """Whether a city (not its oblast) is named within a few words of text[s:e]."""
    for i in range(max(0, at - 2), min(len(mentions), at + 2)):
        m = mentions[i]
        if m.kind_hint is None and (s - 60 <= m.start <= e + 60) and any(
                gaz.kind[r] == "city" and int(gaz.population[r]) >= _CITY for r in m.candidates):
            return True
    return False


def _cued(text: str, s: int, e: int, mentions: list[Mention]) -> bool:
    """Whether the text says the name at text[s:e] is a place (see the module's docstring)."""
    if text[e:e + 2] in ("'s", "’s") or _CITY_DISTRICT.match(text, e):
        return False
    before = text[max(0, s - _WINDOW):s]
    return bool(_CUE_BEFORE.search(before)) and bool(_CUE_AFTER.match(text, e)) or bool(
        re.match(r"\s+(?:village|town|settlement|district|raion|hromada|township)\b", text[e:e + 16], re.I)) \
        or bool(_BEARING_AFTER.match(text, e))  # "seized Dalne (south of Kurakhove)"


_REGIONS = frozenset({"donbas", "donbass", "novorossiya", "slobozhanshchyna", "polissia", "podillia"})
"""Regions that are no settlement's misspelling."""


@functools.lru_cache(maxsize=65536)
def _plain_name(name: str, gaz: Gazetteer) -> bool:
    """A name that is no common English word, demonym, given name or region."""
    from wordfreq import zipf_frequency

    words = name.replace("-", " ").split()
    if name.lower() in _REGIONS:
        return False
    if len(words) == 1:
        w = words[0].lower()
        if w in GENERIC_WORDS or w in DEMONYMS or w in gaz.given_names or zipf_frequency(w, "en") >= 3.0:
            return False
    return True


def _foreign(gaz: Gazetteer, m: Mention, unit: str | None, oblast: str | None) -> bool:
    """Whether none of a mention's candidates is a Ukrainian settlement where the text puts
    it: in its unit (an oblast, a raion, a hromada or near a seat), else in the oblast the
    text names (a village of this name elsewhere, none of them a town, does not count)."""
    return _foreign_rows(gaz, m.candidates, unit, oblast)


@functools.lru_cache(maxsize=65536)
def _foreign_rows(gaz: Gazetteer, candidates: tuple[int, ...], unit: str | None, oblast: str | None) -> bool:
    # a height ("Saur-Mogila hill") stands where the text puts it as a village does
    settlements = [r for r in candidates if gaz.cc[r] == "UA" and gaz.kind[r] in _LOCAL_KINDS]
    if not settlements:
        return not any(gaz.kind[r] in ("country", "admin1") for r in candidates)
    if unit and unit.startswith(("near:", "raion:", "hromada:")):
        return not any(in_local_unit(gaz, r, unit) for r in settlements)
    within = _unit_oblast(unit)
    if within is None and (oblast is None or max(int(gaz.population[r]) for r in candidates) >= _TOWN):
        return False
    return not any(str(gaz.admin1[r]) in member_units(within or oblast) for r in settlements)


_PART_OF_CITY = re.compile(r"(?:\s+[A-Z][\w'’]*\s+(?:district|microdistrict))?\s*,\s*")
"""What stands between a part of a city and the city: "Kurenevka, Kyiv", "Cheryomushki
Primorsky district, Mariupol"."""
_CITY_PART_KM = 50.0
_IN_LIST_BEFORE = re.compile(r"(?:,|\band|\bor)\s*$")
_IN_LIST_AFTER = re.compile(r"\s*(?:,|and\b|or\b|&)\s*[A-Z]")


def _city_parts(text: str, mentions: list[Mention], gaz: Gazetteer, areas: set[int]) -> set[int]:
    """Mentions that name a quarter, a street or a suburb of the big Ukrainian city written
    right after them ("Kurenevka, Kyiv", "Kirov, Donetsk", "Privokzalny, Donetsk City"): no
    place of that name lies in the city's oblast or near it, none is a big town itself, so
    the name is the city's part, and the city is the place."""
    out = set()
    for i in range(len(mentions) - 1):
        m, city = mentions[i], mentions[i + 1]
        if city.start - m.end > 40 or text.find(",", m.end, city.start) < 0 or m.kind_hint is not None \
                or city.kind_hint is not None or i in areas:
            continue
        gap = _PART_OF_CITY.match(text, m.end)
        if gap is None or gap.end() != city.start or _IN_LIST_BEFORE.search(text, max(0, m.start - 6), m.start) \
                or _IN_LIST_AFTER.match(text, city.end):
            continue  # "Moscow, Kyiv and Minsk": a list
        big = [r for r in city.candidates if gaz.kind[r] == "city" and gaz.cc[r] == "UA"
               and int(gaz.population[r]) >= _CITY]
        if not big or any(_a_town_itself(gaz, r) for r in m.candidates):
            continue
        c = max(big, key=lambda r: int(gaz.population[r]))
        units_of_city = {gaz.admin1[r] for r in city.candidates}  # Kyiv: the city's, and its oblast's
        near = [r for r in m.candidates if gaz.admin1[r] in units_of_city or in_local_unit(
            gaz, r, f"near:{float(gaz.lat[c])},{float(gaz.lon[c])}", _CITY_PART_KM)]
        if not near:
            out.add(i)
    return out


def _a_town_itself(gaz: Gazetteer, row: int) -> bool:
    """Whether a place written before a city is a town of its own (a list: "Pokrovsk,
    Zaporizhzhia", "Moscow, Kyiv"), not a quarter of the city: a Ukrainian town, or a
    capital or a city of a million abroad (Kirov of "Kirov, Donetsk" is neither)."""
    pop = int(gaz.population[row])
    if gaz.cc[row] == "UA":
        return pop >= _TOWN
    return pop >= _METROPOLIS or bool(gaz.capital[row])


_METROPOLIS = 1_000_000


def _elsewhere(gaz: Gazetteer, m: Mention, unit: str | None, oblast: str | None) -> bool:
    """Whether a name the text gives a post, a square or a unit ("the Valera stronghold",
    "Baku Komissarov Square") is no place in the oblast the text puts it in: a facility
    is named after a far town, or a person, more often than it stands in one.  A big
    Ukrainian town called so (not by a former name: Stanislav) is itself ("the Donetsk
    airport" in a report about Luhansk oblast)."""
    within = _unit_oblast(unit) or oblast
    if within is None:
        return False
    key = normalise(m.text)
    return not any(str(gaz.admin1[r]) in member_units(within) or (
        gaz.cc[r] == "UA" and int(gaz.population[r]) >= _TOWN
        and (normalise(str(gaz.name[r])) == key or alias_weight(key, str(gaz.name[r])) < 1))
        for r in m.candidates if gaz.kind[r] in _LOCAL_KINDS)


_LOCAL_KINDS = ("city", "other")
"""Settlements, and heights (kind ``other``: Saur-Mogila)."""


def _small(gaz: Gazetteer, m: Mention) -> bool:
    """Whether every place a mention may name is a village or a small town."""
    return all(gaz.kind[r] == "city" and int(gaz.population[r]) < _TOWN for r in m.candidates)


_TOWN = 50_000
"""A name any place this big has is that place, wherever the text's oblast is."""


def _unit_oblast(unit: str | None) -> str | None:
    """The Ukrainian oblast (``UA.05``) a unit string lies in, if it names one, or the region
    of several (Donbas, ``UA.DB``: see ``geo.gazetteer.regions``)."""
    if not unit:
        return None
    if unit.startswith("UA."):
        return unit
    if unit.startswith("raion:UA."):
        codes = {part.split("|")[0] for part in unit[6:].split(";")}
        return codes.pop() if len(codes) == 1 else None
    return None


def _text_oblast(regions) -> str | None:
    """The Ukrainian oblast (or region of oblasts) the text names most, if any."""
    ua = {k: v for k, v in (regions or {}).items() if str(k).startswith("UA.")}
    return max(ua, key=ua.__getitem__) if ua else None


_MOST_VARIANTS = 32
"""Settlements a spelling stands for at most: a common name ("Myrolubivka") has some 20, and
the one a line of advance or a neighbour points to must be among them."""


@functools.lru_cache(maxsize=65536)
def _variant_rows(gaz: Gazetteer, name: str, oblast: str | None, exact_only: bool = False) -> tuple[int, ...]:
    from geo.gazetteer import ukraine

    # in the oblast the text names (either of a region's), else anywhere (more alike): never another oblast
    gids = [g for unit in member_units(oblast) for g in ukraine.spelling_variants(name, unit)]
    if exact_only:
        gids = [g for g in gids if ukraine.same_spelling(name, g)]
    return tuple(r for r in (_gid_row(gaz, g) for g in gids[:_MOST_VARIANTS]) if r is not None)


@functools.lru_cache(maxsize=65536)
def _gid_row(gaz: Gazetteer, gid: str) -> int | None:
    return gaz.row_for_gid(gid)
