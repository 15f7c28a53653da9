"""The offline gazetteer: load once, look up by name, variant or id.

Built by :mod:`geo.gazetteer.build`; loading reads a few column files and
the prebuilt Aho-Corasick automaton over every normalised name.  Boundaries
(country and admin-1 polygons, borders between neighbours) load lazily, on
first use, because most parses need only points; the simplified display
geometry of each polygon is built once, at build time, and read as text.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import mmap
import pickle
import threading
from pathlib import Path
from typing import TYPE_CHECKING

import ahocorasick
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from geo import settings
from geo.lexicon import EAST_SLAVIC_GIVEN_NAMES
from geo.names import BOUNDARY, boundary_key, boundary_text

if TYPE_CHECKING:  # geopandas loads with the first shape asked for, not with the names
    import geopandas as gpd

log = logging.getLogger(__name__)

FORMAT_VERSION = 15
"""Bumped whenever the build's files change; an older build is rebuilt on first load."""

_REQUIRED = ("entries.parquet", "names.parquet", "postings.npy", "postings_alias.npy", "boundaries.gpkg",
             "abbreviations.json", "given_names.txt", "display.bin", "display_offsets.npy",
             "automaton.pkl", "FORMAT")


_ENTRY_COLUMNS = ["gid", "name", "kind", "cc", "lat", "lon", "population", "admin1", "capital", "approx",
                  "war_zone"]
"""What loading reads of ``entries.parquet``; the Ukrainian raion and hromada columns wait
for their first use."""


def is_current(directory: Path) -> bool:
    """Whether ``directory`` holds a complete build in the format this code reads."""
    directory = Path(directory)
    if not all((directory / f).exists() for f in _REQUIRED):
        return False
    return (directory / "FORMAT").read_text("utf-8").strip() == str(FORMAT_VERSION)


WHOLE_WORD_MAX = 4
"""Names of letters and digits up to this long are stored with a ``BOUNDARY`` after them too."""


def name_automaton(keys) -> tuple[ahocorasick.Automaton, list[dict[str, int]]]:
    """The Aho-Corasick automaton over normalised names, and the names that share a key in it.

    It holds each name's boundary key (:func:`geo.names.boundary_key`): a leading
    ``BOUNDARY`` and every character that is not a letter or digit made ``BOUNDARY``.
    Run over :func:`geo.names.boundary_text`, a name matches only where no letter or
    digit comes before it, so the hits inside longer words (most of them) never reach
    Python.  Short names of letters and digits (up to ``WHOLE_WORD_MAX``) also get a
    ``BOUNDARY`` after them, so they match only as whole words: as the first letters of
    longer words ("sai" in "said") they were most of the hits left.  A trailing
    ``BOUNDARY`` on every name would add about a node per name (330,000, slowing the cold
    load); on these it adds 7,600.

    A key's value says where the name ends and how a hit is checked against the folded
    text (n is ``len(keys)``; see :meth:`Gazetteer._name_at`):

    * ``i`` in [0, n): name ``i``, all letters and digits, ending where the key does;
      its match is exact, the end checked in Python;
    * ``n + i``: name ``i``, a short word, ending before the key's last ``BOUNDARY``; exact;
    * ``~i`` for ``i`` in [0, n): name ``i``, the only one with this key, holding other
      characters ("o'brien" also matches "o-brien"): compared with the text;
    * ``~(n + g)``: the names of ``shared[g]`` ({name: index}), which have the same
      key ("new york", "new-york"): the text is looked up there.

    A short word whose key would be another name's ("abc" + ``BOUNDARY`` is "abc'") is
    stored without the ``BOUNDARY`` after it.
    """
    by_key: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        by_key.setdefault(boundary_key(k), []).append(i)
    n = len(keys)
    shared: list[dict[str, int]] = []
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for bkey, ids in by_key.items():
        if len(ids) > 1:
            shared.append({keys[i]: i for i in ids})
            automaton.add_word(bkey, ~(n + len(shared) - 1))
        elif bkey.count(BOUNDARY) > 1:
            automaton.add_word(bkey, ~ids[0])
        elif len(bkey) <= WHOLE_WORD_MAX + 1 and bkey + BOUNDARY not in by_key:
            automaton.add_word(bkey + BOUNDARY, n + ids[0])
        else:
            automaton.add_word(bkey, ids[0])
    automaton.make_automaton()
    return automaton, shared


def display_shape_of(shape: BaseGeometry) -> BaseGeometry:
    """A polygon made for drawing, detailed to about 1/400 of its size.

    Russia needs no 1 km detail: the tolerance runs from 0.005 degrees (a small
    country) to 0.1 (Russia, Canada).  Islands smaller than that detail are
    dropped (the largest part always stays) and coordinates are kept to 0.001
    degrees; a country mentioned in a report is a few kilobytes, not hundreds.
    """
    tolerance = min(0.1, max(0.005, math.sqrt(shape.area) / 400))
    parts = shapely.get_parts(shape)
    if len(parts) > 1:
        areas = shapely.area(parts)
        keep = parts[(areas >= (2 * tolerance) ** 2) | (areas == areas.max())]
        shape = shapely.multipolygons(keep) if len(keep) > 1 else keep[0]
    simple = shapely.simplify(shape, tolerance, preserve_topology=True)
    return shapely.set_precision(simple, 0.001)


def display_text(shape: BaseGeometry) -> str:
    """The display geometry of a polygon as GeoJSON text, exteriors counter-clockwise (RFC 7946)."""
    simple = display_shape_of(shape)
    if simple.geom_type in ("Polygon", "MultiPolygon"):
        simple = shapely.orient_polygons(simple, exterior_cw=False)
    return json.dumps(mapping(simple), ensure_ascii=False)


def _shared_strings(column: pd.Series) -> np.ndarray:
    """A column of strings as an object array in which equal strings are one object: kinds,
    country codes, admin-1 codes and raions repeat over 190,000 rows."""
    seen: dict = {}
    return np.array([seen.setdefault(v, v) for v in column.tolist()], dtype=object)


def _return_arrow_memory() -> None:
    """Give the pages Arrow's allocator kept after a Parquet read back to the system: freed
    tables stay in its pool otherwise (some 70 MB of a load's resident memory)."""
    import pyarrow

    pyarrow.default_memory_pool().release_unused()


class GazetteerMissing(RuntimeError):
    """The prebuilt gazetteer files are absent and could not be built."""


class Gazetteer:
    """Places, their names and their shapes.

    Entries are addressed by row number (``int``); the public identifier of a
    row is ``gid[row]`` (``geonames:<id>`` or ``ne:<ISO3>``).
    """

    def __init__(self, directory: Path):
        self.directory = Path(directory)
        e = pd.read_parquet(self.directory / "entries.parquet", columns=_ENTRY_COLUMNS)
        self.gid = e["gid"].to_numpy(dtype=object)
        self.name = e["name"].to_numpy(dtype=object)
        self.kind = _shared_strings(e["kind"])
        self.cc = _shared_strings(e["cc"])
        self.lat = e["lat"].to_numpy(dtype="float64")
        self.lon = e["lon"].to_numpy(dtype="float64")
        self.population = e["population"].to_numpy(dtype="int64")
        self.admin1 = _shared_strings(e["admin1"])
        self.capital = e["capital"].to_numpy(dtype=bool)
        self.approx = e["approx"].to_numpy(dtype=bool)
        self.war_zone = e["war_zone"].to_numpy(dtype=bool)
        n = pd.read_parquet(self.directory / "names.parquet")
        self.keys = n["key"].to_numpy(dtype=object)
        self._starts = n["start"].to_numpy()
        self._counts = n["count"].to_numpy()
        self.zipf = n["zipf"].to_numpy()
        self._postings = np.load(self.directory / "postings.npy")
        self._alias = np.load(self.directory / "postings_alias.npy")
        # the name automaton over boundary keys, and the names sharing a key (see name_automaton)
        self.automaton, self._shared = _load_automaton(self.directory, self.keys)
        self._shared_lengths = [len(next(iter(names))) for names in self._shared]
        countries = np.flatnonzero(self.kind == "country")
        self._country_row = {c: int(i) for c, i in zip(self.cc[countries], countries)}
        self._lock = threading.Lock()
        self.abbreviations: dict[str, str] = json.loads(
            (self.directory / "abbreviations.json").read_text("utf-8"))
        # the East Slavic names from the code too, so a build made before a name was added knows it
        self.given_names = frozenset((self.directory / "given_names.txt").read_text("utf-8").split()) \
            | EAST_SLAVIC_GIVEN_NAMES
        units = np.flatnonzero(self.kind == "admin1")
        self._admin1_row = {a: int(i) for a, i in zip(self.admin1[units], units)}
        self._capital_rows: dict[str, int | None] = {}
        self._country_shapes: dict[str, BaseGeometry | None] = {}
        del e, n
        _return_arrow_memory()

    def __len__(self) -> int:
        return len(self.gid)

    @functools.cached_property
    def _ukraine_units(self) -> tuple[np.ndarray, np.ndarray]:
        # read on first use: only reports naming a raion or a hromada need them
        e = pd.read_parquet(self.directory / "entries.parquet", columns=["raion", "hromada"])
        units = _shared_strings(e["raion"]), _shared_strings(e["hromada"])
        del e
        _return_arrow_memory()
        return units

    def raion_of(self, row: int) -> str:
        """A Ukrainian settlement's raion as ``"UA.05|Покровський"`` (admin1 code and
        KATOTTG name), ``""`` elsewhere."""
        return self._ukraine_units[0][row]

    def hromada_of(self, row: int) -> str:
        """A Ukrainian settlement's hromada as the first nine characters of its KATOTTG
        code (``UA5910009``), ``""`` elsewhere."""
        return self._ukraine_units[1][row]

    # names ---------------------------------------------------------------
    def key_id(self, key: str) -> int | None:
        """Index of a normalised name, or ``None``."""
        bkey = boundary_key(key)
        value = self.automaton.get(bkey, None)  # an exact lookup in the name trie
        if value is None and key.isalnum():  # a short word is stored with a BOUNDARY after it
            value = self.automaton.get(bkey + BOUNDARY, None)
        if value is None or 0 <= value < len(self.keys):  # a key of letters and digits is its name
            return value
        return self._name_at(value, key)

    def _name_at(self, value: int, text: str) -> int | None:
        """The name a key's ``value`` stands for if that name is ``text``, else ``None``."""
        n = len(self.keys)
        kid = value - n if value >= 0 else ~value
        if kid < n:
            return kid if self.keys[kid] == text else None
        return self._shared[kid - n].get(text)

    @functools.cached_property
    def key_lengths(self) -> list[int]:
        """The length of each normalised name, by key id."""
        return [len(k) for k in self.keys]

    def entries_for_key(self, key_id: int) -> tuple[np.ndarray, np.ndarray]:
        """Rows named by a key, and whether each matched only an alternate name."""
        s, c = self._starts[key_id], self._counts[key_id]
        return self._postings[s:s + c], self._alias[s:s + c]

    def lookup(self, name: str) -> list[int]:
        """Rows whose name or alternate name is ``name`` (any case), most populous first."""
        from geo.names import normalise

        kid = self.key_id(normalise(name))
        if kid is None:
            return []
        rows, _ = self.entries_for_key(kid)
        return sorted(rows.tolist(), key=lambda r: -self.population[r])

    def boundary_matches(self, folded: str) -> list[tuple[int, int, int]]:
        """Every (start, end, key_id) where a name occurs in folded text with no letter or
        digit (``str.isalnum``) just before or just after it, in the order of their ends
        (longer first at one end), as one pass of an automaton over the plain names would
        find them."""
        text, alnum = boundary_text(folded)
        lengths = self.key_lengths
        n = len(lengths)
        out = []
        disordered = False
        # text[j] is folded[j - 1]: a hit ending there ends at j in folded, and the
        # automaton has seen that no letter or digit comes before it (see name_automaton)
        for j, value in self.automaton.iter(text):
            if value >= n:  # a short word, its end seen too: it ends before that BOUNDARY
                kid, e = value - n, j - 1
                # a longer name ending in the character after the word ("ar rifa'" after
                # "rifa") is found at that BOUNDARY too, and first: sorted back at the end
                if out and out[-1][1] > e:
                    disordered = True
                out.append((e - lengths[kid], e, kid))
            elif value >= 0:
                if not alnum[j]:  # else a letter or digit follows: a prefix of a longer word
                    out.append((j - lengths[value], j, value))
            elif not alnum[j]:  # a name with other characters than letters and digits: check it
                code = ~value
                s = j - (lengths[code] if code < n else self._shared_lengths[code - n])
                kid = self._name_at(value, folded[s:j])
                if kid is not None:
                    out.append((s, j, kid))
        if disordered:
            out.sort(key=lambda m: (m[1], m[0]))
        return out

    # ids -----------------------------------------------------------------
    @functools.cached_property
    def _gid_row(self) -> dict[str, int]:
        return {g: i for i, g in enumerate(self.gid)}

    def row_for_gid(self, gid: str) -> int | None:
        return self._gid_row.get(gid)

    @functools.cached_property
    def country_codes(self) -> tuple[str, ...]:
        """Every country's ISO 3166-1 alpha-2 code, sorted: from the names' table, so no shape
        is read (the polygons' table has the same countries)."""
        return tuple(sorted(self._country_row))

    def country_row(self, cc: str) -> int | None:
        """The row of a country, by ISO 3166-1 alpha-2 code."""
        return self._country_row.get(cc)

    def admin1_row(self, code: str) -> int | None:
        """The row of an admin-1 unit, by GeoNames code (``US.KY``)."""
        return self._admin1_row.get(code)

    def capital_row(self, cc: str) -> int | None:
        """The row of a country's capital city."""
        if cc not in self._capital_rows:
            rows = np.flatnonzero(self.capital & (self.cc == cc))
            self._capital_rows[cc] = int(rows[0]) if len(rows) else None
        return self._capital_rows[cc]

    # shapes --------------------------------------------------------------
    @functools.cached_property
    def countries(self) -> gpd.GeoDataFrame:
        """Natural Earth 10m country polygons, indexed by ISO alpha-2 code."""
        import geopandas as gpd

        gdf = gpd.read_file(self.directory / "boundaries.gpkg", layer="countries")
        return gdf.set_index("cc")

    @functools.cached_property
    def admin1_shapes(self) -> gpd.GeoSeries:
        """Derived admin-1 polygons, indexed by GeoNames admin-1 code (``UA.07``)."""
        import geopandas as gpd

        gdf = gpd.read_file(self.directory / "boundaries.gpkg", layer="admin1")
        return gdf.set_index("admin1").geometry

    def country_shape(self, cc: str) -> BaseGeometry | None:
        """One country's polygon.  A parse asks for two or three (a border's countries):
        those are read alone, not the world's 60 MB of 10m outlines."""
        if "countries" in self.__dict__:
            return self.countries.geometry.get(cc)
        if cc not in self._country_shapes:
            shape = None
            if cc in self._country_row:  # a known code, two capitals: safe in the query
                import pyogrio

                found = pyogrio.read_dataframe(self.directory / "boundaries.gpkg", layer="countries",
                                               where=f"cc = '{cc}'", columns=["cc"])
                shape = found.geometry.iloc[0] if len(found) else None
            self._country_shapes[cc] = shape
        return self._country_shapes[cc]

    @functools.cached_property
    def _display_offsets(self) -> list[int]:
        return np.load(self.directory / "display_offsets.npy").tolist()

    @functools.cached_property
    def _display_blob(self) -> mmap.mmap:
        with open(self.directory / "display.bin", "rb") as f:
            return mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)

    def display_shape(self, row: int) -> BaseGeometry:
        """The geometry to draw for a row: a point, or a simplified polygon."""
        return shapely.geometry.shape(self.display_geojson(row))

    def display_geojson(self, row: int) -> dict:
        """The geometry to draw for a row as GeoJSON: a point, or a simplified polygon
        with counter-clockwise exteriors (RFC 7946), read as prebuilt text.

        Polygons are cached and shared between places: treat them as read-only.
        """
        offsets = self._display_offsets
        start, end = offsets[row], offsets[row + 1]
        if start == end:
            return {"type": "Point", "coordinates": (float(self.lon[row]), float(self.lat[row]))}
        return self._polygon_geojson(start, end)

    @functools.lru_cache(maxsize=512)  # noqa: B019 (one gazetteer per process)
    def _polygon_geojson(self, start: int, end: int) -> dict:
        return json.loads(self._display_blob[start:end])

    @functools.lru_cache(maxsize=128)
    def border_geojson(self, cc_a: str, cc_b: str) -> dict | None:
        """``border`` as a GeoJSON geometry, shared: treat it as read-only."""
        line = self.border(cc_a, cc_b)
        return None if line is None else mapping(line)

    @functools.lru_cache(maxsize=128)
    def border(self, cc_a: str, cc_b: str) -> BaseGeometry | None:
        """The land border shared by two countries, as (Multi)LineString."""
        a, b = self.country_shape(cc_a), self.country_shape(cc_b)
        if a is None or b is None:
            return None
        # NE neighbours share vertices only approximately: take a's outline
        # where it runs within ~1 km of b
        shared = shapely.intersection(a.boundary, b.buffer(0.01))
        shared = shapely.line_merge(shapely.unary_union(
            [g for g in shapely.get_parts(shared) if g.geom_type in ("LineString", "MultiLineString")]
        )) if not shared.is_empty else shared
        if shared.is_empty or shared.length < 0.05:
            return None
        return shapely.simplify(shared, 0.002)


_LOCK = threading.Lock()


def _load_automaton(directory: Path, keys) -> tuple[ahocorasick.Automaton, list[dict[str, int]]]:
    """The prebuilt name automaton and its shared keys (a pickle made by our own build), or
    fresh ones if they will not load."""
    try:
        with open(directory / "automaton.pkl", "rb") as f:
            automaton, shared = pickle.load(f)
        # every name is one key, or one of a shared key's names
        if len(automaton) + sum(len(names) - 1 for names in shared) == len(keys):
            return automaton, shared
    except Exception as exc:  # e.g. written by another pyahocorasick version
        log.warning("prebuilt name automaton unreadable (%s); building it in memory", exc)
    return name_automaton(keys)


@functools.lru_cache(maxsize=4)
def _load(directory: Path) -> Gazetteer:
    if not is_current(directory):
        if directory != settings.GAZETTEER_DIR:
            raise GazetteerMissing(f"no gazetteer (format {FORMAT_VERSION}) in {directory}")
        log.warning("gazetteer not built yet, or built by an older version; building it now "
                    "(about 30 s, once)")
        from geo.gazetteer import build as gazetteer_build

        try:
            gazetteer_build.build(directory)
        except ImportError as exc:
            raise GazetteerMissing(
                f"the gazetteer is not built and its sources are not installed ({exc}); "
                "run `make setup`") from exc
    return Gazetteer(directory)


def load_gazetteer(directory: Path | None = None) -> Gazetteer:
    """The shared gazetteer, built on first use if needed, loaded once per process."""
    with _LOCK:
        return _load(Path(directory or settings.GAZETTEER_DIR))
