"""The command line: ``python -m geo parse|build|brief|export|import|ingest|control``.

Exit status 0 on success, 2 on bad input (with a one-line reason on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

from geo import io

EXIT_BAD_INPUT = 2


def _parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m geo", description="Sitmap: reports to map layers.")
    sub = ap.add_subparsers(dest="command", required=True)

    p = sub.add_parser("parse", help="parse one report (or a JSONL batch) to JSON",
                       description="Parse a report to one JSON result (docs/contract.md). A report, or "
                                   "a batch record's text, may hold at most SITMAP_MAX_REPORT_BYTES "
                                   "bytes (5 MiB unless set); a larger one is refused with exit 2.")
    p.add_argument("file", nargs="?", default="-", help="report file, or - for standard input")
    p.add_argument("--date", help="report date, YYYY-MM-DD")
    p.add_argument("--jsonl", help="batch input: one {id, text, date} object per line")
    p.add_argument("--out", help="batch output file (default: standard output)")

    b = sub.add_parser("build", help="parse report files and write GeoJSON layers and status")
    b.add_argument("paths", nargs="+")
    b.add_argument("--out", required=True)

    br = sub.add_parser("brief", help="render the briefing image (PNG, or PDF by extension)")
    br.add_argument("paths", nargs="+")
    br.add_argument("--out", required=True)
    br.add_argument("--types", help="comma-separated event types to show")
    br.add_argument("--title")
    br.add_argument("--bbox", help="minlon,minlat,maxlon,maxlat")
    br.add_argument("--scale", type=float, default=1.0, help="2 for a 3840x2160 image")

    ex = sub.add_parser("export", help="write events as .gpkg, .kml, .csv (ACLED layout) or .geojson")
    ex.add_argument("paths", nargs="*", help="report files or folders, events.geojson, or build folders")
    ex.add_argument("--store", nargs="?", const="", metavar="URL",
                    help="export the store's events, as corrected (default URL: SITMAP_STORE, "
                         "else the embedded store)")
    ex.add_argument("--out", required=True, help="target file; the extension picks the format")
    ex.add_argument("--corrections", help="a corrections log (.jsonl) to apply first")

    im = sub.add_parser("import", help="check an ACLED CSV, GeoJSON, GeoPackage or KML of events "
                                       "and add it as a layer (a name in use is kept: the new one "
                                       "gets <name>_2)")
    im.add_argument("file")
    im.add_argument("--out", help="folder to write imported/<name>.gpkg into (default: the store)")
    im.add_argument("--name", help="layer name (default: the file name)")

    ing = sub.add_parser("ingest", help="parse report files into the store in parallel (Dask)")
    ing.add_argument("paths", nargs="+", help="report files or folders of them")
    ing.add_argument("--store", help="store URL (default: SITMAP_STORE, else the embedded store)")
    where = ing.add_mutually_exclusive_group()
    where.add_argument("--workers", type=int, help="local worker processes (default: one per core)")
    where.add_argument("--scheduler", help="address of a running Dask scheduler, e.g. tcp://127.0.0.1:8786")
    ing.add_argument("--errors", help="JSON-lines file for bad reports (default: the store folder)")
    ing.add_argument("--batch", type=int, default=50, help="reports per write to the store")
    ing.add_argument("--quiet", action="store_true", help="no progress bar")

    co = sub.add_parser("control", add_help=False,
                        help="areas of control: import, diff, line, check (see python -m geo control -h)")
    co.add_argument("control_args", nargs=argparse.REMAINDER)
    return ap.parse_args(argv)


def _check_date(value: str | None) -> str | None:
    import datetime as dt

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise io.BadInput(f"bad date {value!r}: use YYYY-MM-DD") from None


def _cmd_parse(args: argparse.Namespace) -> int:
    from geo.exchange.layers import result_to_json
    from geo.parse.pipeline import parse_text

    if args.jsonl:
        return _cmd_parse_jsonl(args)
    date = _check_date(args.date)
    if args.file == "-":
        text = io.decode_report(_read_limited(sys.stdin.buffer, "standard input"), "standard input")
        name = "stdin"
    else:
        text = io.read_report_file(args.file)
        name = Path(args.file).name
    # the records go as soon as the JSON object is made, and that as soon as its text is:
    # a long report's places are the most memory it takes
    doc = result_to_json(parse_text(text, source=name, report_id=Path(name).stem, date=date))
    out = json.dumps(doc, ensure_ascii=False)
    del doc
    sys.stdout.write(out)
    sys.stdout.write("\n")
    return 0


def _read_limited(stream, name: str) -> bytes:
    """A stream's bytes, up to the report size limit (never more held in memory)."""
    from geo import settings

    data = stream.read(settings.MAX_REPORT_BYTES + 1)
    if len(data) > settings.MAX_REPORT_BYTES:
        raise io.BadInput(f"{name}: too large (over {settings.MAX_REPORT_BYTES:,} bytes, the limit)")
    return data


def _check_size(text: str, where: str) -> str:
    from geo import settings

    limit = settings.MAX_REPORT_BYTES
    if len(text) > limit or (len(text) * 4 > limit and len(text.encode("utf-8", "replace")) > limit):
        raise io.BadInput(f"{where}: text too large (over {limit:,} bytes, the limit)")
    return text


def _jsonl_records(path: str) -> Iterator[tuple[str, str, str | None]]:
    # bytes, decoded line by line, so a non-UTF-8 line is bad input, not a traceback
    source = sys.stdin.buffer if path == "-" else open(path, "rb")
    with source:
        for n, raw in enumerate(source, 1):
            try:
                line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise io.BadInput(f"{path}:{n}: not UTF-8 text (byte {exc.start})") from None
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                rid, text = str(obj["id"]), _check_size(str(obj["text"]), f"{path}:{n}")
                if io.has_lone_surrogate(rid) or io.has_lone_surrogate(text):
                    # "\\ud800" escapes: valid JSON, but no characters, and no output could
                    # be written with them (see io.without_lone_surrogates)
                    print(f"{path}:{n}: lone surrogates read as U+FFFD", file=sys.stderr)
                    rid, text = io.without_lone_surrogates(rid), io.without_lone_surrogates(text)
                yield rid, text, _check_date(obj.get("date"))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise io.BadInput(f"{path}:{n}: not a {{id, text}} JSON object ({exc})") from None
            except io.BadInput as exc:
                raise io.BadInput(f"{path}:{n}: {exc}") from None


def _cmd_parse_jsonl(args: argparse.Namespace) -> int:
    from geo.gazetteer.loader import load_gazetteer
    from geo.exchange.layers import result_to_jsonl
    from geo.parse.pipeline import parse_text

    if args.jsonl != "-" and not Path(args.jsonl).is_file():
        raise io.BadInput(f"{args.jsonl}: no such file")
    gaz = load_gazetteer()
    # UTF-8 bytes whatever the locale; a text-only stdout (embedded use) takes text
    if args.out:
        out = open(args.out, "wb")
    else:
        sys.stdout.flush()
        out = getattr(sys.stdout, "buffer", None)
    try:
        for rid, text, date in _jsonl_records(args.jsonl):
            line = result_to_jsonl(parse_text(text, source=rid, report_id=rid, date=date, gazetteer=gaz))
            if out is None:
                sys.stdout.write(line)
                sys.stdout.write("\n")
            else:
                out.write(line.encode("utf-8"))
                out.write(b"\n")
    finally:
        if args.out:
            out.close()
        elif out is not None:
            out.flush()
    return 0


def _cmd_build(args: argparse.Namespace) -> int:
    from geo.intake.files import parse_files, write_outputs

    stats = write_outputs(parse_files(args.paths), args.out)
    print(f"{stats['reports']} reports: {stats['places']} places, {stats['events']} events, "
          f"{stats['layers']} layers -> {args.out}", file=sys.stderr)
    return 0


def _cmd_brief(args: argparse.Namespace) -> int:
    """Parse the reports, render the briefing page, write it atomically."""
    from geo.briefing.frame import check_types, parse_bbox
    from geo.briefing.render import check_scale, format_for, render_briefing
    from geo.taxonomy import TYPE_KEYS
    from geo.exchange.layers import events_collection
    from geo.intake.files import parse_files
    from geo.parse.status import build_status

    fmt = format_for(args.out)
    bbox = parse_bbox(args.bbox)
    types = check_types(args.types.split(",")) if args.types is not None else None
    if types == ():
        raise io.BadInput(f"--types is empty; choose from {', '.join(TYPE_KEYS)}")
    scale = check_scale(args.scale)
    results = parse_files(args.paths)
    status = build_status(results)
    day = status.get("war_day")
    title = args.title or (f"Situation map, day {day} of the war" if day else "Situation map")
    data = render_briefing(events_collection(results), types=types, bbox=bbox, title=title,
                           sources=status["reports"], date_range=status["date_range"],
                           scale=scale, fmt=fmt)
    io.atomic_write_bytes(args.out, data)
    print(f"briefing ({fmt}, {len(data):,} bytes) -> {args.out}", file=sys.stderr)
    return 0


def _cmd_export(args: argparse.Namespace) -> int:
    from geo.store.corrections import CorrectionError, CorrectionLog
    from geo.exchange.formats import export_events
    from geo.intake.files import gather_events

    if not args.paths and args.store is None:
        raise io.BadInput("export needs report files or folders, or --store")
    try:
        corrections = CorrectionLog(args.corrections).read() if args.corrections else []
    except CorrectionError as exc:
        raise io.BadInput(str(exc)) from None
    events = gather_events(args.paths) if args.paths else {"type": "FeatureCollection", "features": []}
    if args.store is not None:
        events = _store_events(args.store or None, events)
    count = export_events(events, args.out, corrections)
    print(f"{count} events -> {args.out}", file=sys.stderr)
    return 0


def _store_events(url: str | None, events: dict) -> dict:
    """The store's events (already corrected, false ones left out) after ``events``, each id once."""
    from geo.store import StoreError, default_store_url, open_store

    url = url or default_store_url()
    local = Path(url[len("sqlite:///"):] if url.startswith("sqlite:///") else url)
    if (url.startswith("sqlite:") or "://" not in url) and not local.is_file():  # never create an empty store just to export it
        raise io.BadInput(f"{url}: no store there")
    try:
        store = open_store(url)
        try:
            stored = store.query_events()
        finally:
            store.close()
    except StoreError as exc:
        raise io.BadInput(f"{url}: {exc}") from None
    seen = {f["properties"]["id"] for f in events["features"]}
    extra = [f for f in stored["features"] if f["properties"]["id"] not in seen]
    return {"type": "FeatureCollection", "features": events["features"] + extra}


def _cmd_import(args: argparse.Namespace) -> int:
    from geo import settings
    from geo.intake.service import import_layer

    done = import_layer(args.file, args.out or settings.STORE_DIR, args.name)
    print(" ".join(done.warnings), file=sys.stderr)
    return 0


def _cmd_ingest(args: argparse.Namespace) -> int:
    from geo.intake.batch import ingest_command

    return ingest_command(args)


def _cmd_control(args: argparse.Namespace) -> int:
    from geo.control.cli import main as control_main

    return control_main(args.control_args)


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["control"]:  # its own parser, -h included (geo.control.cli)
        return _cmd_control(argparse.Namespace(control_args=argv[1:]))
    args = _parse_args(argv)
    handler = {"parse": _cmd_parse, "build": _cmd_build, "brief": _cmd_brief,
               "export": _cmd_export, "import": _cmd_import, "ingest": _cmd_ingest,
               "control": _cmd_control}[args.command]
    try:
        return handler(args)
    except io.BadInput as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
