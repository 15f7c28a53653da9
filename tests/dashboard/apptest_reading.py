"""Reading an AppTest run as the analyst would see it: plain text and the drawn shapes."""

from __future__ import annotations

import json
import re

_LAYER_DATA = re.compile(r"_add\((\{\"(?:bbox|features|type)\".*?\})\);", re.S)


def plain(markdown: str) -> str:
    """Markdown source as the reader sees it: escapes and bold marks gone."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("**", "")


def features(args: dict) -> list[dict]:
    """Every GeoJSON feature the event layers hand to the browser."""
    script = args.get("feature_group") or ""
    out = []
    for m in _LAYER_DATA.finditer(script):
        out.extend(json.loads(m.group(1))["features"])
    return out


def tips(args: dict) -> list[str]:
    """The tooltips of the drawn event shapes ("Battle · Zorvania"): where each is drawn."""
    return [f["properties"]["_tip"] for f in features(args)]


def headlines(at) -> list[str]:
    """The sidebar's headline titles, as the folded blocks show them."""
    import html

    body = " ".join(h.proto.body for h in at.sidebar.get("html"))
    return [html.unescape(t) for t in re.findall(r"<summary>(.*?)</summary>", body, re.S)]
