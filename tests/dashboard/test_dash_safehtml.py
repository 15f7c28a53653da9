"""Report text is hostile: every popup, label and legend escapes it."""

from __future__ import annotations

import re

import pytest

from dashboard.safehtml import (cell_popup_html, esc, file_name_text, highlight, legend_html, md,
                                popup_html, tooltip_html)
from geo import taxonomy

HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)">'


def _event(**kw) -> dict:
    base = {"event_type": "strike", "place": "Kyiv", "date": "2022-02-28", "actors": ["Russia"],
            "certainty": "claimed", "attributed_to": "Mayor of Kyiv", "denied_by": None,
            "quote": "Explosions continue in Kyiv.", "trigger": "explosions", "source": "a.txt",
            "subtype": "explosions"}
    return {**base, **kw}


@pytest.mark.parametrize("field", ["place", "quote", "source", "attributed_to", "denied_by", "subtype", "date"])
def test_popups_escape_every_field(field):
    html = popup_html([_event(**{field: HOSTILE})])
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_popups_escape_actors_and_triggers():
    html = popup_html([_event(actors=[HOSTILE], trigger="<script>", quote="a <script> b")])
    assert "<script" not in html and "<img" not in html
    assert "<mark>&lt;script&gt;</mark>" in html


def test_the_trigger_is_highlighted_in_the_quote():
    assert highlight("Russia has the capital completely surrounded.", "surrounded") == \
        "Russia has the capital completely <mark>surrounded</mark>."
    # curly quotes in the text, straight ones in the trigger
    assert "<mark>forces on “high alert</mark>" in highlight('put forces on “high alert”', 'forces on "high alert')
    # no exact match: the trigger's longest word
    assert "<mark>captured</mark>" in highlight("Berdiansk was captured", "captured town")
    assert highlight("a & b", "nothing here") == "a &amp; b"


def test_a_popup_lists_its_events_and_counts_the_rest():
    html = popup_html([_event(quote=f"Quote {i}.") for i in range(8)])
    assert html.count('class="sm-event"') == 5 and "and 3 more" in html and "8 events" in html
    assert "according to Mayor of Kyiv" in html


def test_tooltips_cells_and_labels_escape():
    assert tooltip_html("strike", HOSTILE, 3) == f"Strike · {esc(HOSTILE)} (3)"
    cell = cell_popup_html("capture", 12, [HOSTILE, "Kyiv"], "2022-03-01", "2022-03-02", HOSTILE)
    assert "<script" not in cell and "12 events" in cell


def test_the_legend_shows_each_type_in_its_taxonomy_colour():
    html = legend_html(["strike", "capture"])
    for key in ("strike", "capture"):
        t = taxonomy.get(key)
        assert f"background:{t.colour}" in html and t.label in html and f"fa-{t.icon}" in html
    assert "Diplomacy" not in html


def test_markdown_cannot_link_fetch_or_colour():
    text = md("[click](http://evil.example/) ![x](http://evil.example/p.png) $x^2$ :red[alarm] "
              "<b>bold</b> \\[still]")
    # every markup character comes escaped: with the escaped pairs taken out, none is left
    bare = re.sub(r"\\.", "", text)
    assert re.search(r"[\[\]$:<>!*_`\\]", bare) is None, text
    assert md("line\nbreak") == "line break"


def test_file_names_are_printable_and_short():
    assert file_name_text("a\x00b\x1b[31mc.txt") == "ab[31mc.txt"
    assert len(file_name_text("x" * 500)) == 80
    assert file_name_text("\x07") == "unnamed file"


def test_headlines_are_folded_blocks_of_escaped_text():
    from dashboard.sidebar import headlines_html

    hostile = {"text": "Berdiansk <img src=x onerror=alert(1)> captured", "date": "2022-02-28",
               "quote": 'He said "<script>alert(2)</script>" & left.', "source": "day5 <b>.txt"}
    out = headlines_html([hostile, {"text": "Talks ended", "quote": "No outcome."}])
    assert out.count('<details class="sm-headline">') == 2
    assert "<img" not in out and "<script>" not in out and "<b>" not in out
    assert "Berdiansk &lt;img src=x onerror=alert(1)&gt; captured" in out
    assert "&lt;script&gt;alert(2)&lt;/script&gt;" in out and "&amp; left." in out
    assert '<div class="sm-src">day5 &lt;b&gt;.txt 2022-02-28</div>' in out
    assert out.count('class="sm-src"') == 1  # no empty source line for a headline without one
