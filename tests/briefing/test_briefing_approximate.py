"""The briefing image draws an event known only to its oblast or raion as a dashed area, with its own key."""

from __future__ import annotations

import io

from PIL import Image

from geo.briefing import render as briefing
from geo.exchange.layers import events_collection
from geo.parse.pipeline import parse_text

TEXT = ("Russian shelling hit the Pokrovsk raion on 5 March 2022. "
        "Explosions were heard in Kharkiv on 5 March 2022.")


def _figure(gazetteer):
    fc = events_collection([parse_text(TEXT, source="vague.txt", gazetteer=gazetteer)])
    return briefing.build_figure(fc, gazetteer=gazetteer)


def _key_labels(fig) -> list[str]:
    panel = fig.axes[1]
    return [t.get_text() for a in panel.artists if hasattr(a, "get_texts") for t in a.get_texts()]


def test_a_raion_event_is_a_dashed_area_with_its_own_key_and_a_city_stays_a_symbol(gazetteer, tmp_path):
    fig = _figure(gazetteer)
    ax = fig.axes[0]
    approx = [a for a in ax.findobj() if (a.get_gid() or "").startswith("approx:")]
    assert [a.get_gid() for a in approx] == ["approx:strike"]
    assert approx[0].get_linestyle()[0][1]  # a dash pattern, not a solid edge
    # the area covers the raion's seat, well beyond a symbol's size
    (path,) = approx[0].get_paths()
    extent = path.get_extents()
    assert extent.width > 40_000 and extent.height > 40_000  # metres in the map's projection: 60 km across
    assert "Only the oblast or raion known" in _key_labels(fig)
    points = [a for a in ax.findobj() if (a.get_gid() or "") == "event:strike"]
    assert points  # Kharkiv's strike is still a symbol
    png = io.BytesIO()
    fig.savefig(png, format="png")
    (tmp_path / "approx.png").write_bytes(png.getvalue())
    assert Image.open(io.BytesIO(png.getvalue())).size[0] > 0


def test_no_such_key_when_every_place_is_known(gazetteer):
    fc = events_collection([parse_text("Explosions were heard in Kharkiv on 5 March 2022.",
                                       source="plain.txt", gazetteer=gazetteer)])
    fig = briefing.build_figure(fc, gazetteer=gazetteer)
    assert "Only the oblast or raion known" not in _key_labels(fig)
    assert not [a for a in fig.axes[0].findobj() if (a.get_gid() or "").startswith("approx:")]
