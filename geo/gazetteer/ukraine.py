"""Every settlement of Ukraine: find one by any of its names, and the units it lies in.

The table ``data/ua_settlements.parquet`` (made by ``scripts/derive_ua_gazetteer.py``
from GeoNames and the KATOTTG codifier) holds a row per settlement: its point, oblast,
raion and hromada, and its names: the canonical English one, Ukrainian and Russian
Cyrillic ones, Latin spellings (national KMU 2010, BGN/PCGN, UNGEGN, Russian-derived,
GeoNames' own) and former names with the year of the rename.  Each row also carries
its names' lookup keys (:func:`geo.names.normalise`), so loading sorts them once and
looks names up by binary search, with no per-name Python work.

``data/ua_oblasts.csv`` (hand-made) names the oblasts in English, Ukrainian and Russian,
with their colloquial and older forms; the aliases of raions and hromadas are made
from their seats' names and their Ukrainian adjectives.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import re
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import pyarrow.parquet as pq

from geo import settings
from geo.io import cached_pickle
from geo.names import normalise

TABLE = settings.ROOT / "data" / "ua_settlements.parquet"
OBLASTS = settings.ROOT / "data" / "ua_oblasts.csv"
NEIGHBOURS = settings.ROOT / "data" / "neighbour_regions.csv"

FCODE_RANK = {"PPLC": 0, "PPLA": 1, "PPLA2": 2, "PPLA3": 3, "PPL": 4, "PPLX": 5, "PPLQ": 6, "PPLH": 7}
"""Which feature codes come first among namesakes: capitals and seats, villages, parts of
cities, abandoned and historical places."""

# the words that say what kind of unit a name is, in any order around it; dropped before lookup
OBLAST_WORDS = frozenset({
    "oblast", "oblasts", "oblast's", "region", "region's", "province", "province's", "oblasti",
    "область", "області", "обл", "обл.", "области", "областей",
})
RAION_WORDS = frozenset({
    "raion", "raion's", "rayon", "rayon's", "district", "district's", "район", "району", "районі",
    "района", "районе", "р-н", "р-ну", "р-н.",
})
HROMADA_WORDS = frozenset({
    "hromada", "hromada's", "community", "community's", "territorial", "municipality", "otg",
    "громада", "громади", "громаді", "громаду", "територіальна", "територіальної", "територіальній",
    "тг", "отг", "сільська", "селищна", "міська", "сільської", "селищної", "міської", "сільській",
    "селищній", "міській", "village", "settlement", "city", "urban", "rural",
})


@dataclass(frozen=True)
class Former:
    """A former name of a settlement, and the year it was renamed (``None``: not known)."""

    name: str
    year: int | None


class UaGazetteer:
    """The settlements of Ukraine, by row number of :attr:`table`.

    Parameters
    ----------
    path
        The settlements' table (``data/ua_settlements.parquet``).
    oblasts
        The oblasts' names (``data/ua_oblasts.csv``).
    """

    def __init__(self, path: Path = TABLE, oblasts: Path = OBLASTS):
        self.path = Path(path)
        arrow = pq.read_table(path)
        keys = arrow.column("keys")
        flat, owner = pc.list_flatten(keys), pc.list_parent_indices(keys)
        order = pc.sort_indices(flat)
        # the keys stay in Arrow, sorted (UTF-8 byte order is Python's code point order) and
        # searched by bisection: making 170,000 Python strings would take as long as the rest
        self._keys = _Sorted(flat.take(order).combine_chunks())
        self._key_rows = owner.take(order).to_numpy()
        self.table: pd.DataFrame = arrow.drop_columns(["keys"]).to_pandas()
        self.oblasts: pd.DataFrame = pd.read_csv(oblasts, dtype=str, keep_default_na=False).set_index("admin1")

    def __len__(self) -> int:
        return len(self.table)

    # settlements by name ---------------------------------------------------------
    def rows(self, name: str) -> np.ndarray:
        """Rows that ``name`` (any spelling, any case, current or former) names, unsorted."""
        return self._rows_for_key(normalise(name))

    def _rows_for_key(self, key: str) -> np.ndarray:
        lo = bisect.bisect_left(self._keys, key)
        hi = bisect.bisect_right(self._keys, key, lo)
        return np.unique(self._key_rows[lo:hi])

    def lookup(self, name: str, *, oblast: str | None = None, raion: str | None = None,
               hromada: str | None = None) -> pd.DataFrame:
        """The settlements ``name`` names, optionally only those in an oblast, raion or
        hromada (each given by any of its names, or the oblast by its admin1 code), seats
        and towns before villages, the most populous first.  Their ``former`` column says
        which former name matched, if one did, with the year of the rename."""
        rows = self.rows(name)
        for unit, rows_in in ((oblast, self.oblast_rows), (raion, self.raion_rows), (hromada, self.hromada_rows)):
            if unit is not None:
                rows = np.intersect1d(rows, rows_in(unit))
        found = self.table.iloc[rows]
        rank = found["fcode"].map(FCODE_RANK).fillna(9)
        found = found.assign(_rank=rank).sort_values(["_rank", "population"], ascending=[True, False],
                                                     kind="stable").drop(columns="_rank")
        matched = [self._matched_former(row, name) for row in found.index]
        return found.assign(matched_former=[m.name if m else "" for m in matched],
                            renamed=[m.year if m else None for m in matched])

    def former_names(self, row: int) -> list[Former]:
        """A settlement's former names (Cyrillic and Latin), with the year of the rename."""
        text = self.table.at[row, "former"]
        out = []
        for entry in text.split("|") if text else ():
            name, _, year = entry.rpartition("@")
            out.append(Former(name, int(year) if year else None))
        return out

    def _matched_former(self, row: int, name: str) -> Former | None:
        key = normalise(name)
        for former in self.former_names(row):
            k = normalise(former.name)
            if key in (k, k.replace("'", "")):
                return former
        return None

    def names(self, row: int) -> dict[str, list[str]]:
        """A settlement's names by kind: ``uk`` and ``ru`` (Cyrillic, the official Ukrainian
        one first), ``latin`` (the canonical one first) and ``former``."""
        r = self.table.loc[row]
        split = lambda text: text.split("|") if text else []  # noqa: E731
        return {
            "uk": ([r["name_uk"]] if r["name_uk"] else []) + split(r["names_uk"]),
            "ru": split(r["names_ru"]),
            "latin": [r["name"], *split(r["latin"])],
            "former": [f.name for f in self.former_names(row)],
        }

    # oblasts ---------------------------------------------------------------------
    def oblast(self, name: str) -> str | None:
        """The admin1 code (``UA.05``) of the oblast ``name`` names: English, Ukrainian or
        Russian, bare or with a unit word ("Donetsk", "Donetsk oblast", "Donetsk region's",
        "Донецька область", "Донецкой области"), or colloquial ("Донеччина", "Харківщині")."""
        if name in self.oblasts.index:
            return name
        return self._oblast_index.get(_unit_base(name, OBLAST_WORDS))

    @functools.cached_property
    def _oblast_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        # Kyiv City's names go first so that the oblast's plain "Kyiv" overrides them
        for admin1, o in sorted(self.oblasts.iterrows(), key=lambda item: item[0] != "UA.12"):
            for alias in _oblast_aliases(o):
                index[_unit_base(alias, OBLAST_WORDS)] = admin1
        return index

    def oblast_name(self, admin1: str) -> str:
        """An oblast's English name ("Donetsk")."""
        return self.oblasts.at[admin1, "name"]

    def oblast_rows(self, oblast: str) -> np.ndarray:
        """Rows of the settlements in an oblast (by admin1 code or any of its names)."""
        admin1 = self.oblast(oblast)
        if admin1 is None:
            return np.empty(0, dtype=np.int64)
        return np.flatnonzero(self.table["admin1"].to_numpy() == admin1)

    # raions and hromadas ---------------------------------------------------------
    def raions(self, name: str) -> list[tuple[str, str]]:
        """The raions ``name`` names ("Pokrovsk", "Pokrovsk raion", "Pokrovskyi district",
        "Покровський район"), as (admin1, Ukrainian name) pairs."""
        return raions(name, self.path)

    def raion_rows(self, name: str) -> np.ndarray:
        """Rows of the settlements in the raions ``name`` names."""
        return self._member_rows(self.raions(name), "raion_uk")

    def hromadas(self, name: str) -> list[tuple[str, str]]:
        """The hromadas ``name`` names ("Znob-Novhorodske", "Znob-Novhorodske hromada",
        "Znob-Novhorodska community", "Зноб-Новгородська громада"), as (KATOTTG code
        prefix, Ukrainian name) pairs."""
        return hromadas(name, self.path)

    def hromada_rows(self, name: str) -> np.ndarray:
        """Rows of the settlements in the hromadas ``name`` names."""
        units = self.hromadas(name)
        prefixes = self.table["katottg"].str[:9].to_numpy()
        return np.flatnonzero(np.isin(prefixes, [code for code, _ in units])) if units else np.empty(0, np.int64)

    def _member_rows(self, units: list[tuple[str, str]], column: str) -> np.ndarray:
        if not units:
            return np.empty(0, dtype=np.int64)
        pairs = pd.MultiIndex.from_arrays([self.table["admin1"], self.table[column]])
        return np.flatnonzero(pairs.isin(units))


class _Sorted:
    """A sorted Arrow string array as a sequence of Python strings, for :mod:`bisect`."""

    def __init__(self, array):
        self._array = array

    def __len__(self) -> int:
        return len(self._array)

    def __getitem__(self, i: int) -> str:
        return self._array[i].as_py()


def _unit_base(name: str, words: frozenset[str]) -> str:
    """A unit's name without its unit words or possessive: "the Pokrovsk raion's" -> "pokrovsk"."""
    tokens = normalise(name).removesuffix("'s").split()
    while tokens and tokens[0] in ("the", *words):
        tokens.pop(0)
    while tokens and tokens[-1] in words:
        tokens.pop()
    return " ".join(tokens).removesuffix("'s")


def _adjective_forms(adjective: str) -> list[str]:
    """A Ukrainian unit adjective in the cases reports use: Покровський, -ого, -ому, -ім;
    Бахмутська, -ої, -ій, -у."""
    low = adjective.casefold()
    if low.endswith("ий"):
        stem = low[:-2]
        return [low, stem + "ого", stem + "ому", stem + "ім"]
    if low.endswith("ій"):  # Крайній
        stem = low[:-2]
        return [low, stem + "ього", stem + "ьому"]
    if low.endswith("а"):
        stem = low[:-1]
        return [low, stem + "ої", stem + "ій", stem + "у", stem + "ою"]
    return [low]


def _noun_forms(noun: str) -> list[str]:
    """A Ukrainian colloquial oblast name in its cases: Донеччина, -и, -і, -у, -ою."""
    low = noun.casefold()
    if low.endswith("а"):
        stem = low[:-1]
        return [low, stem + "и", stem + "і", stem + "у", stem + "ою"]
    if low.endswith("я"):  # Закарпаття, Запоріжжя
        return [low, low[:-1] + "і", low[:-1] + "ю"]
    return [low]


def _russian_adjective_forms(adjective: str) -> list[str]:
    """A Russian oblast adjective: Донецкая, -ой, -ую."""
    low = adjective.casefold()
    if low.endswith("ая"):
        stem = low[:-2]
        return [low, stem + "ой", stem + "ую"]
    return [low]


def _oblast_aliases(o: pd.Series) -> list[str]:
    latin = [o["name"], *filter(None, o["aliases"].split("|"))]
    cyrillic = (_adjective_forms(o["name_uk"]) + _noun_forms(o["colloquial_uk"])
                + _russian_adjective_forms(o["name_ru"]))
    return latin + cyrillic


def oblast_names(path: Path = OBLASTS) -> dict[str, list[str]]:
    """Every name of each oblast by admin1 code, for the main gazetteer's build: English
    (Zaporizhzhia, Zaporizhia, Zaporozhye), Ukrainian and Russian adjectives in their
    cases, colloquial names (Донеччина, Харківщині)."""
    oblasts = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {o["admin1"]: _oblast_aliases(o) for _, o in oblasts.iterrows()}


def neighbour_region_names(path: Path | None = None) -> dict[str, list[str]]:
    """The Ukrainian and Russian names of the Russian and Belarusian regions on Ukraine's border,
    by admin1 code, whole ("Курська область", "Курщина"; geo.parse.cyrillic_forms declines them)."""
    regions = pd.read_csv(path or NEIGHBOURS, dtype=str, keep_default_na=False)
    return {o["admin1"]: [f"{o['name_uk']} область", f"{o['name_ru']} область", o["colloquial_uk"]]
            for _, o in regions.iterrows()}


def _unit_index(units) -> dict[str, list]:
    """Index units by their English name, the KMU spelling of their Ukrainian adjective
    (Pokrovskyi, Znob-Novhorodska) and the adjective's cases."""
    index: dict[str, list] = {}
    for unit, english, kmu, adjective in units:
        names = {english, kmu, *_adjective_forms(adjective)}
        for n in names:
            bucket = index.setdefault(normalise(n), [])
            if unit not in bucket:
                bucket.append(unit)
    return index


def raions(name: str, path: Path = TABLE) -> list[tuple[str, str]]:
    """The raions ``name`` names, as (admin1, Ukrainian name) pairs: reads only the units'
    columns of the table, so parsing a report that names a raion needs no more."""
    return raion_index(Path(path)).get(_unit_base(name, RAION_WORDS), [])


def hromadas(name: str, path: Path = TABLE) -> list[tuple[str, str]]:
    """The hromadas ``name`` names, as (KATOTTG code prefix, Ukrainian name) pairs."""
    return hromada_index(Path(path)).get(_unit_base(name, HROMADA_WORDS), [])


@functools.lru_cache(maxsize=2)
def units_table(path: Path = TABLE) -> pd.DataFrame:
    """Each settlement's oblast, raion and hromada (English, Ukrainian and KMU names) and KATOTTG code."""
    columns = ["admin1", "raion", "raion_uk", "raion_kmu", "hromada", "hromada_uk", "hromada_kmu", "katottg"]
    return pq.read_table(path, columns=columns).to_pandas()


@functools.lru_cache(maxsize=2)
def raion_index(path: Path = TABLE) -> dict[str, list[tuple[str, str]]]:
    """Raions by every name (see :func:`_unit_index`)."""
    table = units_table(path)
    units = table.loc[table["raion_uk"] != "", ["admin1", "raion", "raion_kmu", "raion_uk"]].drop_duplicates()
    return _unit_index(((a, uk), en, kmu, uk) for a, en, kmu, uk in units.itertuples(index=False))


@functools.lru_cache(maxsize=2)
def hromada_index(path: Path = TABLE) -> dict[str, list[tuple[str, str]]]:
    """Hromadas by every name (see :func:`_unit_index`)."""
    table = units_table(path)
    members = table[table["hromada_uk"] != ""]
    units = members.assign(prefix=members["katottg"].str[:9])[["prefix", "hromada", "hromada_kmu", "hromada_uk"]]
    return _unit_index(((p, uk), en, kmu, uk) for p, en, kmu, uk in units.drop_duplicates().itertuples(index=False))


def raion_seat(name: str, admin1: str | None = None, path: Path = TABLE) -> tuple[float, float] | None:
    """The point of the town a raion is named after, for raions :func:`raions` does not
    know: those before the 2020 reform ("Starobeshivskyi", "Novoaydarsky", "Shakhtersky
    district") and Russian spellings of today's ("Slavyansky").  The name's folded
    spelling without its adjective ending must begin the town's (Novoaydar-sky:
    Novoaidar; Amvrosiev-sky: Amvrosiivka), or be the whole of it (Troitskiy:
    Troitske).  Only towns of the oblast ``admin1`` count, when it is given; the most
    populous wins."""
    seat = _raion_seat(_skeleton(_unit_base(name, RAION_WORDS)), admin1, Path(path))
    return (seat[0], seat[1]) if seat else None


def seat_town(name: str, admin1: str | None = None, path: Path = TABLE) -> str | None:
    """The gazetteer id of the town a name in a raion's or an axis's adjective form is made
    from ("Krasnolymansk direction", "Krasnolimansky": Krasnyi Lyman, now Lyman), found as
    :func:`raion_seat` finds it."""
    seat = _raion_seat(_skeleton(_unit_base(name, RAION_WORDS)), admin1, Path(path))
    return seat[3] if seat else None


@functools.lru_cache(maxsize=4096)
def _raion_seat(spelt: str, admin1: str | None, path: Path) -> tuple[float, float, int, str] | None:
    core = re.sub(r"[sc]?k?a?$", "", spelt)
    best = None
    for skeleton, lat, lon, population, unit, gid in _seats(path).get(spelt[:3], ()):
        if admin1 is not None and unit != admin1:
            continue
        if skeleton == spelt or (len(core) >= 4 and skeleton.startswith(core) and len(skeleton) - len(core) <= 4):
            if best is None or population > best[2]:
                best = (lat, lon, population, gid)
    if best is None and core.endswith("n") and len(core) >= 6:
        # the Russian adjective of a town ending in -aya or -a: Popasn-yansky, Popasna
        return _raion_seat(re.sub(r"a?n$", "", core), admin1, path)
    return best


_SKELETON_STEPS = (("shch", "s"), ("sch", "s"), ("kh", "x"), ("zh", "j"), ("sh", "s"), ("ch", "c"),
                   ("ts", "c"), ("tz", "c"), ("w", "v"), ("g", "h"))


def _skeleton(name: str) -> str:
    """A Latin name folded so that its Ukrainian and Russian spellings agree (Kharkiv,
    Kharkov: ``xarkav``): g and h are one, every run of vowels is ``a``, doubled letters
    single (as ``scripts/derive_ua_gazetteer.py`` compares names)."""
    text = "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if "a" <= c <= "z")
    for a, b in _SKELETON_STEPS:
        text = text.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", re.sub(r"[aeiouy]+", "a", text))


@functools.lru_cache(maxsize=2)
def _seats(path: Path) -> dict[str, list[tuple[str, float, float, int, str, str]]]:
    """(folded name, lat, lon, population, admin1, gazetteer id) of every Latin name, current or former,
    of Ukraine's towns (a thousand people or more, or a city by KATOTTG), by the first
    three letters of the folded name."""
    columns = ["gid", "name", "latin", "former", "population", "category", "lat", "lon", "admin1"]
    towns = pq.read_table(path, columns=columns).to_pandas()
    towns = towns[(towns["population"] >= 1000) | (towns["category"] == "M")]
    out: dict[str, list] = {}
    for gid, name, latin, former, population, lat, lon, admin1 in zip(
            towns["gid"], towns["name"], towns["latin"], towns["former"], towns["population"], towns["lat"],
            towns["lon"], towns["admin1"]):
        names = {name, *latin.split("|"), *(f.rpartition("@")[0] for f in former.split("|"))}
        for n in names:
            if n and n.isascii():
                skeleton = _skeleton(n)
                out.setdefault(skeleton[:3], []).append(
                    (skeleton, float(lat), float(lon), int(population), admin1, str(gid)))
    return out


_LOCK = threading.Lock()


@functools.lru_cache(maxsize=2)
def _load(path: Path, oblasts: Path) -> UaGazetteer:
    return UaGazetteer(path, oblasts)


def load_ua_gazetteer(path: Path | None = None, oblasts: Path | None = None) -> UaGazetteer:
    """The shared Ukraine gazetteer, loaded once per process."""
    with _LOCK:
        return _load(Path(path or TABLE), Path(oblasts or OBLASTS))


# spellings no table holds ---------------------------------------------------------
VARIANT_SCORE = 85.0
"""How alike (rapidfuzz ratio, 0-100) a name and a settlement's spelling must be when the
report names the settlement's oblast; a name with no oblast around it needs more."""
VARIANT_SCORE_ANYWHERE = 90.0
_LEAST = 75.0
_WRITTEN_LEAST = 80.0
"""Both spellings, folded and as written, must be at least this alike (an invented name
such as Zorvania is not Zarvanka: alike when folded, not as written)."""


def spelling_variants(name: str, admin1: str | None = None, path: Path = TABLE) -> list[str]:
    """The gazetteer ids of the settlements ``name`` is a spelling of, when no table holds it
    as written: a Russian-era form (Snizhnoye for Snizhne, Trudovskiye for Trudivske,
    Georgiyevka for Heorhiivka), a transliteration (Stanitsa Luganska) or a slip of the
    keyboard (Dontesk, Adiivka, Iloviaks).  Their folded spellings (:func:`_skeleton`) must
    agree, or agree with two neighbouring letters swapped back, or be alike at
    ``VARIANT_SCORE`` on the folded spelling or the plain lower-cased one
    (``VARIANT_SCORE_ANYWHERE`` when no oblast is given).  With ``admin1``, only that
    oblast's settlements count.  The best-scoring spellings win, seats and towns first."""
    return list(_spelling_variants(_skeleton(name), normalise(name), admin1,
                                   path if isinstance(path, Path) else Path(path)))


# a log naming tens of thousands of villages asks about each many times
@functools.lru_cache(maxsize=65536)
def _spelling_variants(spelt: str, plain: str, admin1: str | None, path: Path) -> tuple[str, ...]:
    from rapidfuzz import fuzz, process

    if not 4 <= len(spelt) <= _LONGEST:
        return ()  # no settlement's name is this long: a run of words, not a spelling
    index = _variant_index(path)
    rows = [r for r in index.exact.get(spelt, ()) if admin1 is None or index.admin1[r] == admin1]
    if len({index.name[r] for r in rows}) > 1:
        # one folded spelling, several names: the names written as alike as the likest, but
        # for a letter's worth ("Moschun" is Moshchun, not Masany), with all their namesakes
        alike: dict[str, float] = {}
        for r, score in _written_alike(index, rows, spelt, plain, admin1).items():
            alike[index.name[r]] = max(alike.get(index.name[r], 0.0), score)
        top = max(alike.values(), default=0.0)
        rows = [r for r in rows if alike.get(index.name[r], top) >= top - _ALIKE_MARGIN]
    if not rows and len(spelt) >= _SWAP_LEAST:
        rows = _swapped(index, spelt, plain, admin1)
    if not rows:
        bucket = _bucket_key(spelt, admin1)
        choices = index.by_letter.get(bucket, ())
        if not choices:
            return ()
        cutoff = VARIANT_SCORE if admin1 is not None else VARIANT_SCORE_ANYWHERE
        scored: dict[int, float] = {}
        if len(spelt) < 5:
            return ()  # too short to tell a slip from another name
        found = process.extract(spelt, _bucket_spellings(path, bucket), scorer=fuzz.ratio, score_cutoff=_LEAST,
                                limit=200)
        for _, _, i in found:
            skeleton, lower, row = choices[i]
            folded, written = fuzz.ratio(spelt, skeleton), fuzz.ratio(plain, lower)
            if folded >= _LEAST and written >= _WRITTEN_LEAST and max(folded, written) >= cutoff:
                scored[row] = max(scored.get(row, 0.0), folded, written)
        top = max(scored.values(), default=0.0)
        # as good as the best but for a letter's worth: the seats and towns among them first
        rows = [r for r, score in scored.items() if score >= top - 3]
    rows = sorted(set(rows), key=lambda r: (index.rank[r], -index.population[r], r))
    return tuple(index.gid[r] for r in rows)


def _written_alike(index: "_VariantIndex", rows: list[int], spelt: str, plain: str,
                   admin1: str | None) -> dict[int, float]:
    """How alike ``plain`` is to each row's spellings filed under ``spelt`` (0-100)."""
    from rapidfuzz import fuzz

    wanted, out = set(rows), {}
    for skeleton, lower, row in index.by_letter.get(_bucket_key(spelt, admin1), ()):
        if row in wanted and skeleton == spelt:
            out[row] = max(out.get(row, 0.0), fuzz.ratio(plain, lower))
    return out


_LONGEST = 64
"""The longest folded spelling looked up; the longest settlement's is 36 letters."""

_ALIKE_MARGIN = 8
"""Of settlements whose names fold alike, those written this much less like the text than the
likest are not what it names."""

_SWAP_LEAST = 6
"""A folded spelling shorter than this is not read as a slip of two letters."""


def _swapped(index: "_VariantIndex", spelt: str, plain: str, admin1: str | None) -> list[int]:
    """The settlements a spelling names with two neighbouring letters swapped back, the
    commonest slip of the keyboard (Iloviaks for Ilovaisk): only an exact folded match,
    as alike as written as ``_LEAST``."""
    from rapidfuzz import fuzz

    rows = []
    for i in range(1, len(spelt) - 1):  # the first letter stays: spellings are filed by it
        swapped = spelt[:i] + spelt[i + 1] + spelt[i] + spelt[i + 2:]
        if swapped == spelt or swapped not in index.exact:
            continue
        bucket = index.by_letter.get(_bucket_key(swapped, admin1), ())
        rows += [row for skeleton, lower, row in bucket
                 if skeleton == swapped and fuzz.ratio(plain, lower) >= _LEAST]
    return list(dict.fromkeys(rows))


@functools.lru_cache(maxsize=1024)
def _bucket_spellings(path: Path, bucket: tuple[str, str]) -> list[str]:
    """The folded spellings filed under ``bucket``, in the index's order."""
    return [c[0] for c in _variant_index(path).by_letter.get(bucket, ())]


def _bucket_key(skeleton: str, admin1: str | None) -> tuple[str, str]:
    """Where the spellings like ``skeleton`` are filed: in one oblast, or anywhere ("")."""
    return _bucket(skeleton), admin1 if admin1 is not None else ""


def _bucket(skeleton: str) -> str:
    """The first letter a spelling is filed under: Х is written H as often as Kh (Hrystoforivka)."""
    return "h" if skeleton[0] == "x" else skeleton[0]


@dataclass
class _VariantIndex:
    gid: list
    name: list
    admin1: list
    population: list
    rank: list
    exact: dict
    by_letter: dict  # (first letter of the skeleton, admin1 or "") -> [(skeleton, lower-cased, row)]


@functools.lru_cache(maxsize=2)
def _variant_index(path: Path) -> _VariantIndex:
    """The spelling index of the table at ``path``, from the on-disk cache when it holds it:
    making it takes seconds, which the first report of every process would wait for."""
    stat = path.stat()
    key = hashlib.sha1(Path(__file__).read_bytes())
    key.update(f"{path.resolve()}|{stat.st_size}|{stat.st_mtime_ns}".encode())
    cache = settings.CACHE_DIR / f"spelling_variants-{key.hexdigest()[:16]}.pkl"
    return cached_pickle(cache, lambda: _build_variant_index(path), "settlement spellings")


def _build_variant_index(path: Path) -> _VariantIndex:
    columns = ["gid", "name", "latin", "former", "population", "fcode", "admin1"]
    t = pq.read_table(path, columns=columns).to_pandas()
    exact: dict[str, list[int]] = {}
    by_letter: dict[tuple[str, str], list] = {}
    for row, (name, latin, former, admin1, fcode) in enumerate(
            zip(t["name"], t["latin"], t["former"], t["admin1"], t["fcode"])):
        if fcode == "PPLX":
            continue  # a part of a city: its names are the city's districts' and streets'
        names = {name, *latin.split("|"), *(f.rpartition("@")[0] for f in former.split("|"))}
        seen: set = set()
        for n in sorted(names):  # in one order whatever the hash seed: the index is the same each run
            if not n or not n.isascii():
                continue
            skeleton, lower = _skeleton(n), normalise(n)
            if len(skeleton) < 3 or (skeleton, lower) in seen:
                continue
            if skeleton not in {k for k, _ in seen}:
                exact.setdefault(skeleton, []).append(row)
            seen.add((skeleton, lower))
            entry = (skeleton, lower, row)
            by_letter.setdefault((_bucket(skeleton), admin1), []).append(entry)
            by_letter.setdefault((_bucket(skeleton), ""), []).append(entry)
    return _VariantIndex(t["gid"].tolist(), t["name"].tolist(), t["admin1"].tolist(), t["population"].tolist(),
                         t["fcode"].map(FCODE_RANK).fillna(9).tolist(), exact, by_letter)


def same_spelling(name: str, gid: str, path: Path = TABLE) -> bool:
    """Whether ``name`` folds (:func:`_skeleton`) to one of the spellings of settlement ``gid``."""
    index = _variant_index(Path(path))
    return any(index.gid[r] == gid for r in index.exact.get(_skeleton(name), ()))
