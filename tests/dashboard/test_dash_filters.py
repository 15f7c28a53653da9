"""Filters: URL parameters to store filters and back, and the widget values between."""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard import filters as flt
from geo.store import EventFilter, Facets

FACETS = Facets(types=("strike", "capture", "diplomacy"), actors=("Russia", "Ukraine"),
                certainties=("confirmed", "claimed"), sources=("a.txt", "b, c.txt"),
                date_min="2022-02-24", date_max="2022-03-10", bbox=(30.0, 46.0, 37.0, 51.0))


@pytest.mark.parametrize("selection", [
    EventFilter(),
    EventFilter(types=("capture",)),
    EventFilter(types=()),
    EventFilter(date_from="2022-02-26", date_to="2022-03-01"),
    EventFilter(actors=("Russia",), certainty=("claimed",), sources=("b, c.txt",), text="surrounded"),
    EventFilter(bbox=(30.5, 46.25, 36.75, 50.5)),
])
def test_params_round_trip(selection):
    params = flt.params_from_filter(selection)
    assert flt.filter_from_params(params, FACETS) == selection


def test_defaults_leave_the_url_empty():
    assert flt.params_from_filter(EventFilter()) == {}
    whole = EventFilter(types=FACETS.types, date_from=FACETS.date_min, date_to=FACETS.date_max)
    assert flt.params_from_filter(flt.normalise(whole, FACETS)) == {}


def test_unknown_or_broken_values_are_dropped():
    params = {"types": ["capture", "bogus"], "from": ["yesterday"], "to": ["2022-03-01"],
              "actor": ["<script>"], "certainty": ["sure"], "bbox": ["1,2,3"], "q": ["  kyiv  "]}
    f = flt.filter_from_params(params, FACETS)
    assert f == EventFilter(types=("capture",), date_to="2022-03-01", text="kyiv")


def test_swapped_dates_are_put_in_order():
    f = flt.filter_from_params({"from": ["2022-03-05"], "to": ["2022-02-27"]}, FACETS)
    assert (f.date_from, f.date_to) == ("2022-02-27", "2022-03-05")


def test_widgets_show_and_give_back_the_selection():
    selection = EventFilter(types=("strike",), date_from="2022-03-01", actors=("Ukraine",), text="x")
    values = flt.widget_values(selection, FACETS)
    assert values["f_types"] == ["strike"]
    assert values["f_dates"] == (dt.date(2022, 3, 1), dt.date(2022, 3, 10))
    assert flt.filter_from_widgets(values, FACETS) == selection


def test_a_half_picked_date_range_sets_its_start_only():
    values = {**flt.widget_values(EventFilter(), FACETS), "f_dates": (dt.date(2022, 3, 2),)}
    f = flt.filter_from_widgets(values, FACETS)
    assert (f.date_from, f.date_to) == ("2022-03-02", None)


def test_every_type_selected_means_all_types():
    values = flt.widget_values(EventFilter(), FACETS)
    assert flt.filter_from_widgets(values, FACETS).types is None
    values["f_types"] = []
    assert flt.filter_from_widgets(values, FACETS).types == ()
