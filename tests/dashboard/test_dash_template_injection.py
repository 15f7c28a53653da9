"""Report text must never run on the server: folium re-reads its scripts as Jinja templates.

branca wraps every rendered script in a new ``Template`` before the page is
rendered, so ``{{ ... }}`` in a popup would be evaluated in the dashboard's
process (``cycler.__init__.__globals__.os`` reaches ``os``).  A report that
says so must show its braces as written.
"""

from __future__ import annotations

import html
import json
import os
import re

import pytest

from dashboard import mapview
from dashboard.offline import offline_page
from geo.exchange.layers import events_collection
from geo.parse.pipeline import parse_text

INJECTIONS = [
    "{{ 7*7 }}",
    "{{ cycler.__init__.__globals__.os.getpid() }}",
    "{% for x in range(3) %}loop{% endfor %}",
    "{# hidden #}",
    "{{constructor.constructor('alert(128)')()}}",
    "{%raw%}{{ 6*7 }}{%endraw%}",
    "{{",
]


def rendered_map(text: str, gazetteer, source: str = "a.txt") -> str:
    result = parse_text(text, source=source, gazetteer=gazetteer)
    content = mapview.group_events(events_collection([result]))
    assert content.feature_count >= 1
    return offline_page(mapview.full_map(empty_facets(), content))


def empty_facets():
    """Facets of an empty store: the map falls back to its default view."""
    from geo.store import Facets

    return Facets(**{f: (None if f in ("date_min", "date_max", "bbox") else ())
                     for f in Facets.__dataclass_fields__})


def popup_texts(page_html: str) -> list[str]:
    """The popup bodies in the page's embedded GeoJSON, as the browser shows them (tags dropped)."""
    bodies = re.findall(r'"_popup": "((?:[^"\\]|\\.)*)"', page_html)
    return [html.unescape(re.sub(r"<[^>]+>", "", json.loads(f'"{b}"'))) for b in bodies]


@pytest.mark.parametrize("payload", INJECTIONS)
def test_template_syntax_in_a_quote_shows_as_written(gazetteer, payload):
    text = f"Explosions were heard in Kyiv {payload} overnight."
    page = rendered_map(text, gazetteer)
    shown = " ".join(popup_texts(page))
    assert f"Kyiv {payload} overnight" in shown
    assert str(os.getpid()) not in shown


@pytest.mark.parametrize("payload", INJECTIONS[:3])
def test_template_syntax_in_a_report_name_shows_as_written(gazetteer, payload):
    page = rendered_map("Explosions were heard in Kharkiv.", gazetteer, source=f"{payload}.txt")
    assert f"Source: {payload}.txt" in " ".join(popup_texts(page))
