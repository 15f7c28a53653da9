"""The stored shape of an event, derived from :class:`geo.records.Event`.

Every field of the record except ``geometry`` is a column of the ``events``
table, named as the field, typed and nullable as its annotation says, with
the field's default.  A field added to the record becomes a column of new
stores, and is added to existing ones when they are opened
(:func:`missing_columns`), so no backend lists the fields by hand.

Beside the record's fields each backend keeps ``report_id``, the geometry
(SQLite: GeoJSON text plus a bounding box in an R*Tree; PostGIS: a
``geometry`` column), ``geom_type``, ``props`` (JSON: the correction marks
and any property the record does not have), ``version`` and
``false_positive``.  Reading a row back gives the contract's GeoJSON
Feature (:func:`feature`), and a Feature gives the record again
(:func:`feature_event`).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from typing import Any

from geo.records import Event, field_names

STORED_FIELDS: tuple[str, ...] = tuple(n for n in field_names(Event) if n != "geometry")
"""Event fields kept in a column of their own, in the record's order."""

LIST_FIELDS: tuple[str, ...] = ()  # set below, once column_kind is defined
PROPERTY_COLUMNS: tuple[str, ...] = (*STORED_FIELDS, "report_id")
"""What a query reads into a Feature's properties, before ``props`` is laid over them."""

_DEFAULTS = {f.name: f.default for f in dataclasses.fields(Event)
             if f.default is not dataclasses.MISSING}


def column_kind(name: str) -> str:
    """``text``, ``integer``, ``real`` or ``list``, from the field's annotation."""
    annotation = next(f.type for f in dataclasses.fields(Event) if f.name == name)
    text = str(annotation)
    for marker, kind in (("tuple", "list"), ("list", "list"), ("float", "real"), ("int", "integer"),
                         ("bool", "integer")):
        if marker in text:
            return kind
    return "text"


LIST_FIELDS = tuple(n for n in STORED_FIELDS if column_kind(n) == "list")


def nullable(name: str) -> bool:
    return "None" in str(next(f.type for f in dataclasses.fields(Event) if f.name == name))


def column_ddl(name: str, types: Mapping[str, str], *, added: bool = False) -> str:
    """``"name" TYPE [NOT NULL] [DEFAULT v]`` for one event field.

    ``types`` maps a kind (or a field's own name, for a backend's special
    column such as PostGIS's ``date``) to the SQL type.  A column ``added``
    to an existing table is nullable unless it has a default, since its old
    rows have no value.
    """
    sql = f'"{name}" {types.get(name) or types[column_kind(name)]}'
    default = _DEFAULTS.get(name)
    has_default = name in _DEFAULTS and default is not None
    if not nullable(name) and (has_default or not added):
        sql += " NOT NULL"
    if has_default:
        sql += f" DEFAULT {_literal(default, column_kind(name), array=types['list'].endswith('[]'))}"
    return sql


def _literal(value: Any, kind: str, *, array: bool = False) -> str:
    if kind == "list" and array:  # PostgreSQL's text[]: '{}' or '{"a","b"}'
        return "'{" + ",".join(json.dumps(str(v)) for v in value).replace("'", "''") + "}'"
    if kind == "list":
        return "'[]'" if not value else f"'{json.dumps(list(value))}'"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return str(int(value) if isinstance(value, bool) else value)


def event_columns_ddl(types: Mapping[str, str]) -> str:
    """The record's columns for a ``CREATE TABLE events``, one per line."""
    return ",\n    ".join(column_ddl(n, types) for n in STORED_FIELDS)


def missing_columns(existing: Sequence[str], types: Mapping[str, str]) -> list[str]:
    """``ALTER TABLE events ADD COLUMN`` statements for fields the table lacks."""
    have = {c.lower() for c in existing}
    return [f"ALTER TABLE events ADD COLUMN {column_ddl(n, types, added=True)}"
            for n in STORED_FIELDS if n.lower() not in have]


def quoted(names: Sequence[str], alias: str = "") -> str:
    prefix = f"{alias}." if alias else ""
    return ", ".join(f'{prefix}"{n}"' for n in names)


def event_values(ev: Event) -> list[Any]:
    """The values of :data:`STORED_FIELDS` for ``ev`` (lists as lists)."""
    return [list(v) if isinstance(v, tuple) else v for v in (getattr(ev, n) for n in STORED_FIELDS)]


def bounds(geometry: dict | None) -> tuple[float, float, float, float] | None:
    """The bounding box of a GeoJSON geometry (points without shapely, which is slower to load)."""
    if not geometry:
        return None
    if geometry["type"] == "Point":
        x, y = geometry["coordinates"][:2]
        return x, y, x, y
    import shapely
    from shapely.geometry import shape

    return tuple(shapely.bounds(shape(geometry)).tolist())


# -- rows back to records ---------------------------------------------------------------


def feature(props: dict[str, Any], geometry: dict | None, extra: dict | None, version: int) -> dict:
    """The contract's Feature from a row's columns, its ``props`` and ``version``."""
    props["actors"] = list(props.get("actors") or ())
    props.update(extra or {})
    props.setdefault("corrected", False)
    props["version"] = version
    return {"type": "Feature", "id": props["id"], "geometry": geometry, "properties": props}


def feature_event(feature: dict) -> tuple[Event, dict[str, Any]]:
    """A stored feature split into its :class:`Event` and the extra properties."""
    props = feature["properties"]
    fields = {k: props.get(k) for k in STORED_FIELDS}
    for key in STORED_FIELDS:
        if fields[key] is None and not nullable(key):
            fields[key] = _DEFAULTS.get(key, 0 if column_kind(key) in ("integer", "real") else "")
    for key in LIST_FIELDS:  # actors, unresolved names
        fields[key] = tuple(fields[key] or ())
    extra = {k: v for k, v in props.items()
             if k not in STORED_FIELDS and k not in ("version", "report_id", "geometry")}
    return Event(geometry=feature.get("geometry"), **fields), extra


def row_event(props: Mapping[str, Any]) -> Event:
    """An :class:`Event` without geometry from a row's property columns."""
    fields = {k: props[k] for k in STORED_FIELDS}
    fields["actors"] = tuple(fields["actors"] or ())
    return Event(geometry=None, **fields)


def json_value(value: Any) -> Any:
    """A JSON column's value: SQLite gives text, PostgreSQL the decoded value."""
    return json.loads(value) if isinstance(value, (str, bytes)) else value


def like_escape(text: str) -> str:
    """``text`` for a ``LIKE``/``ILIKE`` pattern with ``\\`` as the escape: wildcards are letters."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
