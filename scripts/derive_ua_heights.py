"""Derive ``data/ua_heights.csv``: the hills, mounds and mountains of Ukraine, with their names.

Reports place fighting on heights as often as in villages ("the battle for Saur-Mogila
height", "near the Savur-Mohyla monument"), and a height is no settlement, so
``data/ua_settlements.parquet`` holds none.  This takes them from the same GeoNames
extract for Ukraine (``UA.txt`` inside ``geonames-UA.zip``, CC BY 4.0): every feature
of class T with code ``HLL`` (hill), ``MND`` (mound, a kurgan) or ``MT`` (mountain),
with its point, oblast and names (Latin and Cyrillic).  Ranges and hill lands (``MTS``,
``HLLS``) are areas, not points, and are left out.

Names are kept as GeoNames writes them ("Hora Savur-Mohyla", "Gora Saur Mogila");
the build (``geo.gazetteer.build.load_heights``) adds each without its leading
"Hora", "Gora" or "Kurgan" where what is left is distinctive.  Rerun from the
repository root::

    python scripts/derive_ua_heights.py [--geonames ../shared/gazetteer/geonames-UA.zip]
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_GEONAMES = ROOT.parent / "shared" / "gazetteer" / "geonames-UA.zip"
DEFAULT_OUT = ROOT / "data" / "ua_heights.csv"
CODES = frozenset({"HLL", "MND", "MT"})
_SCRIPT = re.compile(r"^[A-Za-z\u00C0-\u024F\u0400-\u04FF' .\-’]+$")
"""Latin or Cyrillic names only (GeoNames also lists codes and other scripts)."""


def heights(zip_path: Path) -> list[dict]:
    with zipfile.ZipFile(zip_path) as z, z.open("UA.txt") as f:
        rows = []
        for line in io.TextIOWrapper(f, encoding="utf-8"):
            c = line.rstrip("\n").split("\t")
            if len(c) < 19 or c[6] != "T" or c[7] not in CODES or not c[10].isdigit():
                continue
            names = []
            for n in [c[1], c[2], *c[3].split(",")]:
                n = " ".join(n.replace("_", " ").split())
                if len(n) >= 4 and _SCRIPT.match(n) and n not in names:
                    names.append(n)
            rows.append({"gid": f"geonames:{c[0]}", "name": c[1], "code": c[7],
                         "lat": round(float(c[4]), 5), "lon": round(float(c[5]), 5),
                         "admin1": f"UA.{c[10]}", "names": "|".join(names[1:])})
    return sorted(rows, key=lambda r: (r["admin1"], r["name"], r["gid"]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--geonames", type=Path, default=DEFAULT_GEONAMES, help="geonames-UA.zip")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    rows = heights(args.geonames)
    with open(args.out, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=["gid", "name", "code", "lat", "lon", "admin1", "names"])
        w.writeheader()
        w.writerows(rows)
    print(f"{len(rows)} heights to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
