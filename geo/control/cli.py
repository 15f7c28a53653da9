"""``python -m geo control import|diff|line|check``: the control layers from the command line.

Exit status 0 on success, 2 on bad input (a bad date, a bad file, no layer
on or before a date) with one line on stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence

from geo import io
from geo.control.layers import KINDS, ControlInputError, check_date

EXIT_BAD_INPUT = 2


def build_parser(ap: argparse.ArgumentParser | None = None) -> argparse.ArgumentParser:
    """The ``control`` command's arguments (on ``ap``, when geo's main parser lends one)."""
    ap = ap or argparse.ArgumentParser(prog="python -m geo control",
                                       description="Areas of control and the front line.")
    sub = ap.add_subparsers(dest="control_command", required=True)
    im = sub.add_parser("import", help="add dated control polygons (GeoJSON, GeoPackage, KML, KMZ)")
    im.add_argument("files", nargs="+", metavar="FILE")
    im.add_argument("--date", help="the layers' date, YYYY-MM-DD (default: from each file name)")
    im.add_argument("--kind", choices=KINDS, help="kind of a one-layer file (default: occupied)")
    im.add_argument("--source", help="who drew it (default: the file name without its date, "
                                     "or its folder)")
    im.add_argument("--store", help="store URL (default: SITMAP_STORE, else the embedded store)")
    df = sub.add_parser("diff", help="area, gained and lost ground, front line and settlements "
                                     "between two dates, as JSON")
    df.add_argument("date_from", metavar="FROM")
    df.add_argument("date_to", metavar="TO")
    df.add_argument("--store")
    ck = sub.add_parser("check", help="parse reports and check their claims of capture against the "
                                      "map of control (one JSON line per claim)")
    ck.add_argument("paths", nargs="+", metavar="PATH", help="report files or folders")
    ck.add_argument("--store")
    ln = sub.add_parser("line", help="write the front line of a date as GeoJSON")
    ln.add_argument("date", metavar="DATE")
    ln.add_argument("--out", required=True)
    ln.add_argument("--store")
    return ap


def _open(url: str | None):
    from geo.control.storage import ControlStoreError, open_control_store

    try:
        return open_control_store(url)
    except ControlStoreError as exc:
        raise ControlInputError(str(exc)) from None


def cmd_import(args: argparse.Namespace) -> int:
    from geo.control.read import read_control_file

    layers = []
    for path in args.files:  # every file is checked before anything is written
        result = read_control_file(path, date=args.date, kind=args.kind, source=args.source)
        layers += result.layers
        if result.skipped:
            print(f"{path}: skipped layers naming no kind: {', '.join(result.skipped)}", file=sys.stderr)
    with _open(args.store) as store:
        outcome = store.put(layers)
        url = store.url
    counts = {k: outcome.count(k) for k in ("added", "replaced", "unchanged")}
    print(f"{len(layers)} control layers from {len(args.files)} files: {counts['added']} added, "
          f"{counts['replaced']} replaced, {counts['unchanged']} unchanged -> {url}", file=sys.stderr)
    return 0


def _layer_at(store, date: str):
    layer = store.layer_at(date)
    if layer is None:
        raise ControlInputError(f"no occupied-area layer on or before {date}")
    return layer


def cmd_diff(args: argparse.Namespace) -> int:
    from geo.control.change import diff_summary, gazetteer_settlements
    from geo.gazetteer.loader import load_gazetteer

    start, end = check_date(args.date_from), check_date(args.date_to)
    with _open(args.store) as store:
        before, after = _layer_at(store, start), _layer_at(store, end)
    gazetteer = load_gazetteer()
    summary = diff_summary(before, after, gazetteer.country_shape("UA"), gazetteer_settlements(gazetteer))
    sys.stdout.write(json.dumps(summary, ensure_ascii=False) + "\n")
    return 0


def front_line_collection(layer, country) -> dict:
    """The front line of a layer as an RFC 7946 FeatureCollection of one feature."""
    import shapely

    from geo.control.change import front_line, length_km

    line = front_line(layer.geometry, country)
    feature = {"type": "Feature", "geometry": json.loads(shapely.to_geojson(line)),
               "properties": {"date": layer.date, "source": layer.source, "kind": "front_line",
                              "length_km": round(length_km(line), 1)}}
    return {"type": "FeatureCollection", "features": [feature]}


def cmd_line(args: argparse.Namespace) -> int:
    from geo.gazetteer.loader import load_gazetteer

    date = check_date(args.date)
    with _open(args.store) as store:
        layer = _layer_at(store, date)
    fc = front_line_collection(layer, load_gazetteer().country_shape("UA"))
    try:
        io.atomic_write_json(args.out, fc)
    except OSError as exc:
        raise ControlInputError(f"{args.out}: cannot be written ({exc.strerror})") from None
    km = fc["features"][0]["properties"]["length_km"]
    print(f"front line of {layer.date} ({layer.source}): {km} km -> {args.out}", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from geo.control.check import control_check
    from geo.gazetteer.loader import load_gazetteer
    from geo.intake.files import parse_files

    with _open(args.store) as store:
        layers = store.layers()
    if not layers:
        raise ControlInputError("no occupied-area layer in the store: import some first")
    country = load_gazetteer().country_shape("UA")
    for result in parse_files(args.paths):
        events = [e.to_dict() for e in result.events]
        checks = control_check(events, layers, country)
        for e in events:
            if e["id"] in checks:
                line = {"source": e["source"], "date": e["date"], "event_type": e["event_type"],
                        "place": e["place"], "actors": e["actors"], **checks[e["id"]].to_dict(),
                        "quote": e["quote"]}
                sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
    return 0


def run(args: argparse.Namespace) -> int:
    """Run a parsed ``control`` command; bad input is reported in one line, exit 2."""
    handler = {"import": cmd_import, "diff": cmd_diff, "line": cmd_line, "check": cmd_check}[args.control_command]
    try:
        return handler(args)
    except io.BadInput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT


def main(argv: Sequence[str] | None = None) -> int:
    ap = build_parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as exc:  # argparse's own usage errors already exit 2
        return int(exc.code or 0)
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
