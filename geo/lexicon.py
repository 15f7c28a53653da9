"""Small hand-kept word lists: demonyms, organisations, leaders, titles.

These are the words that look like places but are actors or institutions.
The lists are short on purpose: the gazetteer does the heavy lifting.
"""

from __future__ import annotations

import functools
import re

from geo.names import word_char_at

DEMONYMS: dict[str, str] = {
    "ukrainian": "UA", "ukrainians": "UA", "russian": "RU", "russians": "RU",
    "belarusian": "BY", "belarusians": "BY", "belarussian": "BY", "byelorussian": "BY",
    "polish": "PL", "poles": "PL", "moldovan": "MD", "moldovans": "MD",
    "romanian": "RO", "hungarian": "HU", "slovak": "SK", "lithuanian": "LT",
    "latvian": "LV", "estonian": "EE", "finnish": "FI", "georgian": "GE",
    "turkish": "TR", "german": "DE", "germans": "DE", "french": "FR", "british": "GB",
    "american": "US", "americans": "US", "chinese": "CN", "iranian": "IR",
    "syrian": "SY", "israeli": "IL", "palestinian": "PS", "kazakh": "KZ",
    "crimean": "UA", "chechen": "RU", "soviet": "RU", "kremlin": "RU",
}
"""Adjectives and nouns of nationality, mapped to the country they name."""

COUNTRY_ACTORS: dict[str, str] = {
    "UA": "Ukraine", "RU": "Russia", "BY": "Belarus", "PL": "Poland", "MD": "Moldova",
    "US": "United States", "GB": "United Kingdom", "DE": "Germany", "FR": "France",
    "TR": "Turkey", "CN": "China", "RO": "Romania", "HU": "Hungary", "IR": "Iran",
}
"""Actor names for countries, by ISO code."""

LEADERS: dict[str, str] = {
    "putin": "RU", "lavrov": "RU", "shoigu": "RU", "peskov": "RU", "medvedev": "RU",
    "gerasimov": "RU", "kremlin": "RU", "wagner": "RU", "prigozhin": "RU",
    "zelensky": "UA", "zelenskyy": "UA", "zelenskiy": "UA", "kuleba": "UA", "reznikov": "UA",
    "zaluzhny": "UA", "klitschko": "UA", "podolyak": "UA", "arestovych": "UA",
    "lukashenko": "BY", "syrskyi": "UA", "umerov": "UA", "yermak": "UA", "sybiha": "UA", "budanov": "UA",
    "belousov": "RU", "medinsky": "RU", "ushakov": "RU",
    # the leaders the war's talks are held with
    "trump": "US", "biden": "US", "rubio": "US", "witkoff": "US", "erdogan": "TR", "macron": "FR",
    "scholz": "DE", "merz": "DE", "starmer": "GB", "tusk": "PL", "orban": "HU", "xi jinping": "CN",
    # what Ukrainian officials call the Russian army: "The occupiers struck Kramatorsk"
    "occupiers": "RU", "invaders": "RU", "ruscists": "RU", "rashists": "RU",
}
"""Leaders and institutions whose acts are their country's, and the names an army goes by."""

CAPITALS: dict[str, str] = {
    "kyiv": "UA", "kiev": "UA", "moscow": "RU", "minsk": "BY", "warsaw": "PL", "washington": "US",
    "london": "GB", "berlin": "DE", "paris": "FR", "ankara": "TR", "beijing": "CN", "tehran": "IR",
    "chisinau": "MD", "bucharest": "RO", "budapest": "HU",
}
"""Capitals that stand for their governments ("Kyiv did not comment", "Moscow announced")."""

OPPONENTS: dict[str, str] = {"Ukraine": "Russia", "Russia": "Ukraine"}
"""The other side of the war, for a capture the text names no actor of."""

ORGANISATIONS = (
    r"Treaty\s+on\s+(?:the\s+)?European\s+Union", r"Treaty\s+of\s+\w+",
    r"European\s+(?:Union|Commission|Council|Parliament)", r"NATO", r"Nato", r"EU",
    r"United\s+Nations", r"UN\s+Security\s+Council", r"Security\s+Council", r"Red\s+Cross",
    r"International\s+(?:Criminal\s+Court|Court\s+of\s+Justice|Atomic\s+Energy\s+Agency)",
    # each alternative starts with a letter, not a group: the scan below skips ahead to those
    *(rf"{head}\s+of\s+(?:Defen[cs]e|Foreign\s+Affairs|Health|the\s+Interior)"
      for head in ("Ministry", "Department", "Minister")),
    *(rf"{city}\s+(?:Independent|Post|Times)" for city in ("Kyiv", "Kiev", "Moscow")),
    r"New\s+York\s+Times",
    r"Washington\s+Post", r"Wall\s+Street\s+Journal", r"Al\s+Jazeera",
    r"Azov\s+(?:Battalion|Regiment)", r"Wagner(?:\s+Group)?",
    # phrases that name things, not places
    r"Molotov\s+cocktails?", r"Brussels\s+sprouts", r"Paris\s+(?:Agreement|Club)",
    r"Minsk\s+(?:agreements?|accords?|protocols?)", r"Normandy\s+format",
    # people whose name is a place's too
    r"Xi\s+Jinping",
)
"""Institutions that contain or look like place names; never places themselves."""

ORGANISATION_RE = re.compile(r"\b(?:" + "|".join(ORGANISATIONS) + r")\b")

_ORGANISATION_SCAN = re.compile(r"(?:" + "|".join(ORGANISATIONS) + r")\b")


def organisation_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each match of ``ORGANISATION_RE`` in ``text``, found without trying every position.

    Without the leading ``\\b`` the pattern starts with its alternatives' first
    letters, which the regex engine skips ahead to; the word boundary before a
    match is checked here, and a match that fails it is retried one character on.
    """
    return list(_organisation_spans(text))


@functools.lru_cache(maxsize=4)  # the names and the unplaced-name scan both ask about one text
def _organisation_spans(text: str) -> tuple[tuple[int, int], ...]:
    out, pos = [], 0
    while (m := _ORGANISATION_SCAN.search(text, pos)) is not None:
        s = m.start()
        if word_char_at(text, s - 1):
            pos = s + 1
            continue
        out.append((s, m.end()))
        pos = m.end()
    return tuple(out)

TITLES_BEFORE_NAME = frozenset({
    "president", "mr", "mrs", "ms", "dr", "general", "gen", "minister", "mayor",
    "governor", "colonel", "sergeant", "lord", "sir", "sen", "senator", "rep",
    "representative", "gov", "sheriff", "officer", "judge", "justice", "chief", "coach", "det",
    "detective", "sgt", "lt", "lieutenant", "capt", "captain", "rev", "reverend", "prof",
    "professor", "deputy", "trooper", "pope", "king", "queen", "prince", "princess",
    "commissioner", "councilman", "councilwoman", "superintendent", "secretary", "chairman",
    "spokesman", "spokeswoman", "attorney", "agent", "pastor", "father", "sister", "brother",
    "uncle", "aunt", "cpl", "pvt", "adm", "admiral", "maj", "major", "col", "supt", "insp",
    "inspector", "constable", "dean", "principal", "mrs", "miss", "madam", "ambassador",
    "spokesperson", "commander", "adviser", "advisor", "ombudsman", "ombudsperson", "milblogger",
    "correspondent", "lawmaker", "head",
})
"""A capitalised word after one of these is a person, not a place ("Saint" is not one:
St. Louis and St. Petersburg are places)."""

GENERIC_WORDS = frozenset({
    "north", "south", "east", "west", "central", "centre", "center", "western", "eastern",
    "northern", "southern", "midwest", "middle", "upper", "lower", "gulf", "coast", "bay",
    "lake", "lakes", "river", "mount", "valley", "island", "islands", "highlands", "capital",
    "city", "town", "county", "state", "province", "region", "district", "downtown",
    "union", "man", "independence", "liberty", "progress", "victory", "hope", "unity",
    "mission", "university", "college", "hospital", "airport", "harbor", "harbour",
})
"""Words that are names of some place somewhere but, standing alone in English, mean
a direction, a kind of place or an idea."""

# Ukrainian, Russian and Belarusian given names in their common English spellings: the
# census list behind ``given_names.txt`` is American, and reports from the theatre name
# officials ("Taras Shevchenko University", "Vitali Klitschko said").  Names that are also
# well-known towns (Roman, Stepan) are left out.
EAST_SLAVIC_GIVEN_NAMES = frozenset("""
aleksandr aleksei alexander alexei alexey anatoliy anatoly andrei andrey andriy arseniy artem
bohdan borys dmitri dmitriy dmitry dmytro denys gennadiy gennady hennadiy ihor iryna kateryna
kirill kyrylo liudmyla lyudmila maksym mikhail mykhailo mykola natalia nikolai oksana oleh
oleksandr oleksiy olena oleg pavlo petro ruslan serhii serhiy sergei sergey svitlana taras
tetiana valeriy valery vasily vasyl viacheslav viktor vitali vitaliy vitaly vladimir volodymyr
vyacheslav yevgeny yevhen yevheniy yulia yuliia yuri yuriy zoryana
ilya illia ilia igor ivan anton denis konstantin kostiantyn kostyantyn maxim maksim vadim vadym
vladislav vladyslav yaroslav yegor yehor evgeny evgeniy gleb leonid fedir fyodor semen semyon
hryhorii grigory stanislav stepan ramzan olha olga tatiana tatyana nataliya natalya daria mariia
""".split())

COMPOUND_FIRST_WORDS = frozenset("""
nova novyi nove novi novaya novyy novoye novoe stara staryi stare stari staraya staryy staroye
velyka velykyi velyke velyki velikaya velikiy mala malyi male mali malaya malyy maloye
nyzhnia nyzhnii nyzhnie nyzhni nizhnyaya nizhniy nizhneye nizhnye verkhnia verkhnii verkhnie
verkhni verkhnyaya verkhniy verkhneye pershe pershyi persha druhe druhyi druha krasna krasnyi
krasne krasni krasnaya krasnyy krasnoye chervona chervonyi chervone chervoni zelena zelenyi
zelene bila bilyi bile chorna chornyi chorne kryva kryvyi sukha sukhyi sloboda
""".split())
"""Words that begin many two-word village names of Ukraine (Nyzhnii Naholchyk, Velyka
Novosilka) and are village names on their own too: followed by another capitalised word
they are the first half of a name the gazetteer may lack, not a place."""

PERSON_VERBS = ("said", "says", "told", "added", "wrote", "explained", "noted", "stated")
"""Verbs that follow a person's name; a small town followed by one is a surname."""

COUNTRY_ABBREVIATIONS: dict[str, str] = {
    "U.S.": "US", "U.S.A.": "US", "USA": "US", "US": "US", "UK": "GB", "U.K.": "GB",
    "UAE": "AE", "U.A.E.": "AE", "DRC": "CD", "PRC": "CN", "ROK": "KR", "DPRK": "KP",
}
"""Country abbreviations that news writes as names, to ISO codes (case-sensitive)."""
