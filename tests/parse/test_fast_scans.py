"""Scans rewritten for speed agree with the plain code they replaced, on hand-picked and
generated text: the war day a report states ("the 5th day", "day 5 of the war"), the
country and state abbreviations ("U.S.", "Paris, Ky."), organisations, and the folding of
text for name matching."""

from __future__ import annotations

import functools
import re

import pytest
from hypothesis import given, settings, strategies as st

from geo.parse.pipeline import war_day_in

PLAIN = re.compile(r"\b(?:(?P<n>\d{1,4})(?:st|nd|rd|th)\s+day\b|day\s+(?P<m>\d{1,4})\s+of\s+the\s+"
                   r"(?:war|invasion|conflict))", re.I)


def plain(text: str) -> int | None:
    m = PLAIN.search(text)
    return int(m.group("n") or m.group("m")) if m else None


@pytest.mark.parametrize(("text", "day"), [
    ("On the 5th day of the war, explosions were heard in Kyiv.", 5),
    ("Day 12 of the invasion: talks at the border.", 12),
    ("on the 3rd\nday", 3),
    ("the 2nd day, and day 9 of the war", 2),
    ("day 9 of the war and the 2nd day", 9),
    ("Sunday 5 of the war", None),  # "day" inside a word
    ("x5th day", None),
    ("12345th day", None),
    ("5th days", None),
    ("the 101st Airborne day", None),
])
def test_the_stated_day(text, day):
    assert war_day_in(text) == day == plain(text)


TOKENS = st.sampled_from(["day", "Day", "DAY", "days", "Sunday", "5th", "21st", "2nd", "3rd", "11th",
                          "12345th", "x5th", "5", "30", "of", "the", "war", "invasion", "conflict",
                          "warfare", "on", ",", ".", "_", "a", "dAy", "\u0130", "\u212a"])
GLUE = st.sampled_from([" ", "  ", "\n", "\t", "", " "])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(TOKENS, GLUE), max_size=14))
def test_the_scan_agrees_with_the_plain_pattern(parts):
    text = "".join(token + glue for token, glue in parts)
    assert war_day_in(text) == plain(text)


def test_a_character_that_grows_in_lower_case_keeps_the_offsets():
    # "\u0130" lower-cases to two characters: offsets in plainly lower-cased text would shift
    assert war_day_in("\u0130 on the 4th day of it") == 4 == plain("\u0130 on the 4th day of it")


# -- the speaker opening a clause -----------------------------------------------------------

SPEECH = st.sampled_from(["The", "the", "mayor", "Mayor", "of", "Kyiv", "said", "says", "told", "reporters",
                          "claimed", "they", "Ukraine's", ",", "\u201c", '"', "said,", "x", "O'Neil"])


@pytest.mark.parametrize(("clause", "who"), [
    ("The mayor said", "The mayor"),
    (' "The mayor said', "The mayor"),
    ('x, The mayor said', "The mayor"),       # starts at the comma, the second character
    ('xy, The mayor said', "The mayor"),      # the third
    ('xyz, The mayor said', None),            # too far in
    ("the troops said", None),
])
def test_the_speaker_at_a_clause_start(clause, who):
    from geo.parse.claims import said_at_start as _said_at_start

    m = _said_at_start(clause)
    assert (m.group("who") if m else None) == who


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(SPEECH, GLUE), max_size=10))
def test_the_speaker_at_a_clause_start_agrees_with_the_plain_search(parts):
    from geo.parse.claims import said_at_start as _said_at_start
    from geo.parse.cues import SAID as _SAID

    clause = "".join(token + glue for token, glue in parts)
    m = _SAID.search(clause)
    want = m if m and m.start() < 3 else None
    got = _said_at_start(clause)
    assert (got and (got.regs, got.group("who"))) == (want and (want.regs, want.group("who")))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="bBoOrRdDeE \u0130\u212a\u017fx-", max_size=30))
def test_a_border_is_looked_for_in_the_folded_text(text):
    from geo.names import fold_text

    assert ("border" in fold_text(text)) == bool(re.search("border", text, re.I))


# -- abbreviations ------------------------------------------------------------------------


def _plain_abbreviations(text, gaz):
    """What the abbreviation mentions were with the plain patterns (the code before the rewrite)."""
    from geo.parse.mentions import COUNTRY_ABBREVIATIONS, _shouting

    def alternation(keys):
        return "|".join(re.escape(k) for k in sorted(keys, key=len, reverse=True))

    country = re.compile(rf"(?<![\w.])(?:{alternation(COUNTRY_ABBREVIATIONS)})(?![\w])")
    state = re.compile(rf"\b[A-Z][\w'’.-]*,\s*(?P<abbr>{alternation(gaz.abbreviations)})(?![\w])")
    out = []
    for m in country.finditer(text):
        row = gaz.country_row(COUNTRY_ABBREVIATIONS[m.group(0)])
        if row is not None and not _shouting(text, m.start(), m.end()):
            out.append((m.group(0), m.start(), m.end(), (row,), None))
    for m in state.finditer(text):
        row = gaz.admin1_row(gaz.abbreviations[m.group("abbr")])
        if row is not None:
            out.append((m.group("abbr"), m.start("abbr"), m.end("abbr"), (row,), "admin1"))
    return out


def _fast_abbreviations(text, gaz):
    from geo.parse.mentions import _abbreviation_mentions

    return [(m.text, m.start, m.end, m.candidates, m.kind_hint) for m in _abbreviation_mentions(text, gaz)]


@pytest.mark.parametrize("text", [
    "Troops from the U.S. and UK arrived.", "USAF jets and the USA.", "xUS and .US and U.S.A.",
    "He lives in Paris, Ky. and in Springfield, Ill., then Austin, Tex.", "paris, Ky. is small",
    "Paris, Ky., Ore.", "O'Fallon, Mo.", "St.Louis, Mo.", "D.C., Md.", "Hello,Ky.", "A-B, Ky.",
])
def test_the_abbreviations(text, gazetteer):
    assert _fast_abbreviations(text, gazetteer) == _plain_abbreviations(text, gazetteer)


ABBR_TOKENS = st.sampled_from(["U.S.", "US", "USA", "U.S.A.", "UK", "U.K.", "DPRK", "x", ".", "Paris",
                               "paris", "Ky.", "Ill.", "D.C.", "Tex.", "Mo.", "O'Fallon", "St.Louis",
                               ",", ", ", "-", "’", "_", "A", "the"])


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(ABBR_TOKENS, GLUE), max_size=14))
def test_the_abbreviation_scan_agrees_with_the_plain_patterns(gazetteer, parts):
    text = "".join(token + glue for token, glue in parts)
    assert _fast_abbreviations(text, gazetteer) == _plain_abbreviations(text, gazetteer)


# -- organisations ------------------------------------------------------------------------

ORG_TOKENS = st.sampled_from(["NATO", "Nato", "EU", "xEU", "EUx", "UN", "Security", "Council", "United",
                              "Nations", "European", "Union", "Treaty", "on", "the", "of", "Lisbon",
                              "Ministry", "Minister", "Defence", "Kyiv", "Independent", "Wagner",
                              "Group", "Paris", "Club", "Minsk", "accords", "_", "-", "Red", "Cross"])


@pytest.mark.parametrize("text", [
    "NATO and the EU met at the UN Security Council.", "xUN Security Council", "the EUROPEAN",
    "Ministry of Defence and the Kyiv Independent", "Wagner Group, Wagnerite, _NATO", "",
])
def test_the_organisations(text):
    from geo.lexicon import ORGANISATION_RE, organisation_spans

    assert organisation_spans(text) == [m.span() for m in ORGANISATION_RE.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(ORG_TOKENS, GLUE), max_size=16))
def test_the_organisation_scan_agrees_with_the_plain_pattern(parts):
    from geo.lexicon import ORGANISATION_RE, organisation_spans

    text = "".join(token + glue for token, glue in parts)
    assert organisation_spans(text) == [m.span() for m in ORGANISATION_RE.finditer(text)]


# -- folding -------------------------------------------------------------------------------

_FOLD_TABLE = {"\u2019": "'", "\u2018": "'", "`": "'", "\u02bc": "'", "\u00b4": "'", "\u2010": "-",
               "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u00a0": " ", "\t": " ",
               "\n": " ", "\r": " "}


def _plain_fold(text: str) -> str:
    """The folding before the rewrite: a translation table, then lower case (one character at a
    time where a character would grow)."""
    plain = text.translate(str.maketrans(_FOLD_TABLE))
    low = plain.lower()
    if len(low) == len(plain):
        return low
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in plain)


@pytest.mark.parametrize(("text", "folded"), [
    ("Kyiv’s outskirts", "kyiv's outskirts"),
    ("Ukraine–Belarus\tborder\n", "ukraine-belarus border "),
    ("İstanbul", "İstanbul"),  # lower-casing would make two characters: kept as is
    ("ХАРКІВ", "харків"),
])
def test_folding(text, folded):
    from geo.names import fold_text

    assert fold_text(text) == folded == _plain_fold(text)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from([*_FOLD_TABLE, "A", "b", "İ", "Σ", "ß", " ", "Ё", "-", "'"])))
def test_folding_agrees_with_the_table(text):
    from geo.names import fold_text

    folded = fold_text(text)
    assert folded == _plain_fold(text)
    assert len(folded) == len(text)


# -- sentence boundaries -------------------------------------------------------------------

_PLAIN_BOUNDARY = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-Z0-9\u0400-\u042F])|\n\s*\n|\n(?=\s*\S)")
_PIECES = st.sampled_from(["Kyiv", "shelled", "Mr", "U.S", "5", "Харків", "a", ".", "..", "!", "?", "…", "\"",
                           "”", "’", "»", ")", "]", "(", "“", " ", "  ", "\n", "\n\n", " \n ", "\t", "-"])


@pytest.mark.parametrize("text", [
    "a\n\nb", "a\n \t\n\nb", "a\n  b", "End... Next", "End.. \"Next", "Mr. Smith. Then", "He said.” Then",
    "x!?\n\n\ny", "Wait…Then", "Wait… Харків", "done.)] (Next", "3.5 km. 5 dead", "...\n", ".\n\n",
])
def test_the_boundaries(text):
    from geo.parse.sentences import _BOUNDARY

    assert [m.span() for m in _BOUNDARY.finditer(text)] == [m.span() for m in _PLAIN_BOUNDARY.finditer(text)]


@settings(max_examples=600, deadline=None)
@given(st.lists(_PIECES, max_size=30), st.integers(0, 40), st.integers(0, 40))
def test_the_boundary_scan_agrees_with_the_plain_pattern(pieces, start, stop):
    from geo.parse.sentences import _BOUNDARY

    text = "".join(pieces)
    stop = max(start, len(text) - stop)
    assert [m.span() for m in _BOUNDARY.finditer(text, start, stop)] == \
        [m.span() for m in _PLAIN_BOUNDARY.finditer(text, start, stop)]


# -- clause breaks -------------------------------------------------------------------------

_PLAIN_CLAUSE = re.compile(
    r"(?:(?<!\s)|(?!\s))(?:\s*(?:[,;:–—]|\s-\s)\s*(?=(?:but|and|as|while|whereas|although|though|however|after|"
    r"before|because|since|due\s+to|according\s+to|which|who|with|a\s+move|meanwhile)\b)"
    r"|\s*[;:–—\[\]]\s*|\s+(?=(?:but|while|whereas|although|because|due\s+to)\b))", re.I)
_CLAUSE_PIECES = st.sampled_from(["but", "BUT", "and", "as", "while", "due", "to", "according", "a", "move",
                                  "butter", "Kyiv", "shelled", ",", ";", ":", "–", "—", "-", "[", "]", " ",
                                  "  ", "\n", " - ", "\t", "x"])


@pytest.mark.parametrize("text", [
    "Kyiv was shelled, but Lviv was quiet", "a ,  but b", "a - while b", "a  -  while b", "a -while b",
    "x; y: z – w — v [note] u", "it held while others fell", "a   due  to b", "a ,butter", "a,\tbut b",
    " but a", "a\n\nbut b", "a :- and b", "a — according to b",
])
def test_the_clause_breaks(text):
    from geo.parse.sentences import _CLAUSE

    assert [m.span() for m in _CLAUSE.finditer(text)] == [m.span() for m in _PLAIN_CLAUSE.finditer(text)]


@settings(max_examples=600, deadline=None)
@given(st.lists(_CLAUSE_PIECES, max_size=30))
def test_the_clause_scan_agrees_with_the_plain_pattern(pieces):
    from geo.parse.sentences import _CLAUSE

    text = "".join(pieces)
    assert [m.span() for m in _CLAUSE.finditer(text)] == [m.span() for m in _PLAIN_CLAUSE.finditer(text)]


# -- names at word boundaries --------------------------------------------------------------

# the automaton's keys start with a boundary character, so a name matches only where no
# letter or digit comes before it; these hold it to the plain rule it replaced: every
# occurrence of a name, kept where no letter or digit (str.isalnum) is just before or after


@functools.cache
def _plain_automaton(gaz):
    """An automaton over the names as they are, finding them anywhere, inside words too."""
    import ahocorasick

    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for i, k in enumerate(gaz.keys):
        automaton.add_word(k, i)
    automaton.make_automaton()
    return automaton


def _plain_boundary_matches(folded: str, gaz) -> list[tuple[int, int, int]]:
    """The code before the rewrite: one pass of an automaton over the plain names, then the rule."""
    n, lengths = len(folded), gaz.key_lengths
    return [(last + 1 - lengths[kid], last + 1, kid) for last, kid in _plain_automaton(gaz).iter(folded)
            if (last + 1 - lengths[kid] == 0 or not folded[last - lengths[kid]].isalnum())
            and (last + 1 == n or not folded[last + 1].isalnum())]


@functools.cache
def _key_index(gaz) -> dict[str, int]:
    return {k: i for i, k in enumerate(gaz.keys)}


def _brute_boundary_matches(folded: str, gaz) -> list[tuple[int, int, int]]:
    """The rule by brute force: every slice between two boundaries that is a name, by end, longest first."""
    index, n = _key_index(gaz), len(folded)
    longest = max(len(k) for k in gaz.keys)
    starts = [s for s in range(n) if s == 0 or not folded[s - 1].isalnum()]
    ends = {e for e in range(1, n + 1) if e == n or not folded[e].isalnum()}
    out = [(s, e, index[folded[s:e]]) for s in starts for e in range(s + 1, min(n, s + longest) + 1)
           if e in ends and folded[s:e] in index]
    return sorted(out, key=lambda m: (m[1], m[0]))


@functools.cache
def _name_tokens(gaz) -> list[str]:
    """Real names of every kind the automaton treats apart, and near misses of them."""
    import random

    from geo.names import boundary_key

    rnd = random.Random(5)
    keys = list(gaz.keys)
    by_key: dict[str, list[str]] = {}
    for k in keys:
        if not k.isalnum():
            by_key.setdefault(boundary_key(k), []).append(k)
    shared = [names for names in by_key.values() if len(names) > 1]
    picks = [k for names in rnd.sample(shared, 15) for k in names]  # "new york", "new-york"
    for pool, count in (
        ([k for k in keys if not k.isalnum()], 40),                      # with spaces, dashes, quotes
        ([k for k in keys if k.isalnum() and len(k) <= 5], 40),          # short: prefixes of words
        ([k for k in keys if not k.isascii()], 30),                      # Cyrillic, accents
        ([k for k in keys if not k[0].isalnum() or not k[-1].isalnum()], 20),  # "'adan", "abbevil'"
    ):
        picks += rnd.sample(pool, count)
    # short words the automaton holds with the boundary after them, and where it cannot:
    # "amol" next to "amol'"; and "rifa" ending inside "ar rifa'", which comes first
    short = [k for k in keys if k.isalnum() and len(k) <= 5]
    clash = [k for k in short if boundary_key(k) + "\x02" in by_key]
    picks += [k for k in rnd.sample(clash, 10) for k in (k, *by_key[boundary_key(k) + "\x02"])]
    short_set = set(short)
    ending = [k for k in keys if not k[-1].isalnum() and k.rstrip("'.)").split()[-1:] and
              k.rstrip("'.)").split()[-1] in short_set]
    picks += [k for k in rnd.sample(ending, 10) for k in (k, k.rstrip("'.)").split()[-1])]
    picks += ["kyiv", "kharkiv", "new york", "york", "rostov-on-don", "rostov", "don", "kherson oblast",
              "ar rifa'", "rifa", "amol", "amol'", "barbari (amc area)", "area"]
    misses = [k.replace(" ", "-") for k in picks if " " in k] + [k.replace("-", " ") for k in picks if "-" in k]
    misses += [k[:2] for k in picks[:20]] + [k + "s" for k in picks[:20]] + [k + "'" for k in picks[:10]]
    return picks + misses


NAME_GLUE = [" ", "  ", "-", "'", "’", ".", ", ", "(", ")", "/", "_", "\x02", "", "", "\n", "—", "1", "x",
             "é", "ж", "İ", "😀", "𝔸", "\ud800", "'s ", " (", ") "]
CASES = [str, str.upper, str.title, str.capitalize]


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_names_at_boundaries_agree_with_the_plain_rule(gazetteer, data):
    from unittest import mock

    from geo.parse import mentions
    from geo.names import fold_text

    tokens, glue = _name_tokens(gazetteer), NAME_GLUE
    if data.draw(st.booleans()):  # ASCII text takes a path of its own
        tokens, glue = [t for t in tokens if t.isascii()], [g for g in glue if g.isascii()]
    parts = data.draw(st.lists(st.tuples(st.sampled_from(tokens), st.sampled_from(CASES),
                                         st.sampled_from(glue)), max_size=12))
    text = "".join(case(token) + glue for token, case, glue in parts)
    folded = fold_text(text)
    fast = gazetteer.boundary_matches(folded)
    assert fast == _plain_boundary_matches(folded, gazetteer) == _brute_boundary_matches(folded, gazetteer)
    # and the mentions that come of them
    with mock.patch.object(gazetteer, "boundary_matches", lambda f: _plain_boundary_matches(f, gazetteer)):
        plain = mentions.find_mentions(text, gazetteer)
    assert mentions.find_mentions(text, gazetteer) == plain


@pytest.mark.parametrize("text", [
    "", "Kyiv", "kyiv.", "Kyivska", "xKyiv", "New York and New-York, new  york", "Rostov-on-Don",
    "'Adan and 'adan'", "Abbevil' is Abbevil'", "Kharkiv😀Kherson 𝔸Kyiv \ud800Kyiv_Kherson",
    "Kyiv_Kherson", "Kyiv\x02Kherson", "Київ, Харків-Kyiv",
    "Ar Rifa' and Ar-Rifa', Rifa", "Amol' or Amol, Amol-", "Barbari (AMC Area) Area",
])
def test_names_at_boundaries_in_hand_picked_text(gazetteer, text):
    from geo.names import fold_text

    folded = fold_text(text)
    assert gazetteer.boundary_matches(folded) == _plain_boundary_matches(folded, gazetteer) \
        == _brute_boundary_matches(folded, gazetteer)


def test_every_name_is_found_by_its_key(gazetteer):
    """``key_id`` reads the boundary keys too: each name is its own index, and a name's
    near miss (another dash, a trailing space) is no name unless the gazetteer has it."""
    index = _key_index(gazetteer)
    assert all(gazetteer.key_id(k) == i for i, k in enumerate(gazetteer.keys))
    for token in _name_tokens(gazetteer):
        for probe in (token, token + " ", " " + token, token.replace(" ", "-"), token.upper(), "\x02" + token):
            assert gazetteer.key_id(probe) == index.get(probe), probe


def test_the_prebuilt_automaton_is_what_the_code_makes_of_the_names(gazetteer):
    from geo.gazetteer.loader import name_automaton

    automaton, shared = name_automaton(gazetteer.keys)
    assert shared == gazetteer._shared
    assert sorted(automaton.items()) == sorted(gazetteer.automaton.items())


# -- the word before a name ----------------------------------------------------------------

_PREV_WORD = re.compile(r"([A-Za-z]+)\.?\s+$")

@pytest.mark.parametrize(("text", "word"), [
    ("said Mr. Kyiv", "mr"), ("Gen  Kyiv", "gen"), ("Mr.Kyiv", ""), ("Mr..  Kyiv", ""), ("abcdefghijklmnopqrs Kyiv", "abcdefghijklmnopqrs"),
    ("abcdefghijklmnopqrst Kyiv", "bcdefghijklmnopqrst"), ("x" * 25 + ". Kyiv", "x" * 18), ("é Kyiv", ""), ("dé Kyiv", ""),
    ("Mr, Kyiv", ""), ("Dr\u00a0Kyiv", "dr"), (" " * 30 + "Kyiv", ""),
])
def test_the_word_before(text, word):
    from geo.parse.mentions import _previous_word

    start = text.index("Kyiv")
    m = _PREV_WORD.search(text, max(0, start - 20), start)
    assert _previous_word(text, start) == word == (m.group(1).lower() if m else "")


@settings(max_examples=600, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(["Mr", "mr", "Gen", ".", "..", ",", " ", "  ", "\n", "\t", "\u00a0", "é", "5",
                                           "_", "-"]), st.text("xY", min_size=15, max_size=24)), max_size=12),
       st.integers(0, 3))
def test_the_word_before_agrees_with_the_plain_pattern(pieces, cut):
    from geo.parse.mentions import _previous_word

    text = "".join(pieces) + "Kyiv"
    start = len(text) - 4 - cut
    m = _PREV_WORD.search(text, max(0, start - 20), start)
    assert _previous_word(text, start) == (m.group(1).lower() if m else "")


# -- abbreviations before a full stop ------------------------------------------------------

_WORD_BEFORE = re.compile(r"([A-Za-z.]+)$")


def _plain_is_abbreviation(text: str, dot: int) -> bool:
    from geo.parse.sentences import _ABBREVIATIONS

    if text[dot] != ".":
        return False
    m = _WORD_BEFORE.search(text, max(0, dot - 12), dot)
    if not m:
        return False
    word = m.group(1).lower().rstrip(".")
    return word in _ABBREVIATIONS or (len(word) == 1 and word.isalpha())


@pytest.mark.parametrize("text", ["Mr.", "said Mr. Smith", "Mr\n.", "U.S.", "the U.S. army", "J.", " e.g.", "x" * 14 + "mr.",
                                  "Gen\n\n.", "etc.", "3.", "Kyiv.", ".", "mr .", "St.Petersburg.", "a" + "." * 13])
def test_abbreviations_before_a_stop(text):
    from geo.parse.sentences import _is_abbreviation

    for dot in range(len(text)):
        assert _is_abbreviation(text, dot) == _plain_is_abbreviation(text, dot), (text, dot)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["Mr", "mr", "U", "S", "e", "g", "x", "etc", "Gen", "St", ".", "..", "\n", " ", "5", "é",
                                 "Kyiv", "xxxxxxxxxx"]), max_size=12))
def test_the_abbreviation_check_agrees_with_the_plain_pattern(pieces):
    from geo.parse.sentences import _is_abbreviation

    text = "".join(pieces) + "."
    for dot in range(len(text)):
        assert _is_abbreviation(text, dot) == _plain_is_abbreviation(text, dot)


# -- borders, looked for only around the word "border" ---------------------------------------

def _plain_borders(text, gaz):
    """The border mentions as found before: every pattern over the whole text."""
    from geo.parse.mentions import _border_res, _country_names
    from geo.names import fold_text

    names, out = _country_names(gaz), []
    if re.search("border", text, re.I):
        for rx in _border_res(gaz):
            for m in rx.finditer(text):
                a = names.get(fold_text(m.group("a"))) if "a" in rx.groupindex else None
                b = names.get(fold_text(m.group("b")))
                if b and a != b:
                    out.append((m.group(0), m.start(), m.end(), (a or "", b)))
    return out


def _borders(text, gaz):
    from geo.parse.mentions import _special_mentions
    from geo.names import fold_text

    return [(m.text, m.start, m.end, m.extra) for m in _special_mentions(text, gaz, fold_text(text))
            if m.kind_hint == "border"]


@pytest.mark.parametrize("text", [
    "Shelling near the Ukraine-Belarus border and the border between Poland and Ukraine.",
    "the   \n\n   Ukraine " + " " * 300 + "-  Belarus" + "\n" * 200 + "state   border",
    "along its " + "x" * 400 + " border with Russia, and the South Georgia and the South Sandwich "
    "Islands - United States Minor Outlying Islands border",
    "the border between Saint Vincent and the Grenadines and French Southern and Antarctic Lands",
    "UKRA\u0130NE\u2019S BORDER with Russia; Russia's border_x; Moldova's border",
    "border", "Ukraine border", "the border with Belarus" + "!" * 50,
])
def test_border_mentions(gazetteer, text):
    assert _borders(text, gazetteer) == _plain_borders(text, gazetteer)


BORDER_WORDS = st.sampled_from([
    "Ukraine", "Belarus", "Russia", "Poland", "Moldova", "Ukrainian", "Russian", "United States of America",
    "South Georgia and the South Sandwich Islands", "border", "Border", "BORDER", "borders", "the", "The",
    "its", "their", "a", "state", "between", "and", "with", "eastern", "'s", "\u2019s", "-", "\u2013", "/",
    "x" * 120, "Kyiv", ".", "_"])
BORDER_GLUE = st.sampled_from([" ", "", "  \n  ", " " * 70, "-", "\n"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(BORDER_WORDS, BORDER_GLUE), max_size=25))
def test_border_mentions_agree_with_the_whole_text_scan(gazetteer, parts):
    text = "".join(word + glue for word, glue in parts)
    assert _borders(text, gazetteer) == _plain_borders(text, gazetteer)


# -- the locative phrases that put an unplaced name on the map ---------------------------
_GOVERNOR_WORDS = ["in ", "In ", "into ", "near ", "Near ", "at ", "At ", "the ", "town", "village", " of ",
                   "outskirts", "\u00a0", "\u2028", "é", "É", "İ", "ß", "Kyiv", "x", " ", "\t", "Into", "5", "_"]


def _governors_plain(text: str) -> list[tuple[int, int]]:
    from geo.gazetteer.candidates import _GOVERNOR

    return [m.span() for m in _GOVERNOR.finditer(text)]


def _governors_fast(text: str) -> list[tuple[int, int]]:
    from geo.gazetteer.candidates import _governed

    return [m.span() for m in _governed(text)]


@pytest.mark.parametrize("text", [
    "Shelling near Kyiv and in the village of Zzyxivka.",
    "éin Kyiv",  # a letter before "in": no word "in"
    "in Near East",  # a governor right after a governor
    "the town\u00a0of Kyiv", "district\u2028of Lviv",  # spaces RE2's \s does not hold
    "in the Ünsal area", "in\ud800 Kyiv",  # a capital outside ASCII; a lone surrogate
    "",
])
def test_locative_phrases_found_as_the_plain_scan_finds_them(text):
    assert _governors_fast(text) == _governors_plain(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_GOVERNOR_WORDS), max_size=40).map("".join))
def test_locative_phrases_in_generated_text(text):
    assert _governors_fast(text) == _governors_plain(text)


_UNIT_LEAD_WORDS = ["Zzyxivka", "\n", "Nova Zzyx", ",", ", ", "(", " (", "( ", "in ", "in", "the ", "the", " ", "\t",
                    "within", "bathe", "x", "\n", "Kyiv's", "-", "’"]


def _before_unit(text: str) -> tuple[int, int] | None:
    from geo.gazetteer.candidates import _BEFORE_UNIT, _may_lead_to_unit

    lo = max(0, len(text) - 60)
    plain = _BEFORE_UNIT.search(text, lo, len(text))
    if plain is not None:  # the quick check must never rule out a match
        assert _may_lead_to_unit(text, lo, len(text)), text
    return plain.span(1) if plain else None


@pytest.mark.parametrize(("text", "name"), [
    ("Zzyxivka, ", "Zzyxivka"), ("shelled Nova Zzyx (in the ", "shelled Nova Zzyx"), ("Zzyxivka ", None),
    ("bathe", None), ("Zzyxivka, within ", None), ("Zzyxivka, \n", "Zzyxivka"),
])
def test_a_name_before_its_unit(text, name):
    span = _before_unit(text)
    assert (text[span[0]:span[1]] if span else None) == name


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_UNIT_LEAD_WORDS), max_size=12).map("".join))
def test_the_quick_check_before_a_unit_never_misses(text):
    _before_unit(text)
