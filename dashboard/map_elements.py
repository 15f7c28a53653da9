"""The map's own Leaflet elements: linked GeoJSON, the refitting first view, the legend, label decluttering and in-page links."""

from __future__ import annotations

from collections.abc import Sequence

from branca.element import MacroElement
from folium.template import Template


LEGEND_CLEARANCE = (260, 20)
"""Pixels kept free on the right and at the bottom of the first view: the layer control and
the legend (about 235 px wide) sit there, and no event should start out under them."""


class LinkedGeoJson(MacroElement):
    """A GeoJSON layer the browser fetches from ``url`` and adds once it arrives.

    ``options`` are Leaflet's ``L.geoJSON`` options (``pane``, ``interactive``,
    ``smoothFactor``...); ``style`` is one style for every feature.  If the
    fetch fails the layer stays empty and the console says why; the events
    are drawn either way.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.geoJson(null, {{ this.options|tojson }});
        (function (layer, url, style) {
            layer.options.style = function () { return style; };
            fetch(url).then(function (r) {
                if (!r.ok) { throw new Error("HTTP " + r.status); }
                return r.json();
            }).then(function (data) { layer.addData(data); }).catch(function (err) {
                console.warn("Sitmap: " + url + " did not load", err);
            });
        })({{ this.get_name() }}, {{ this.url|tojson }}, {{ this.style|tojson }});
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, url: str, style: dict, **options):
        super().__init__()
        self._name = "LinkedGeoJson"
        self.url = url
        self.style = dict(style)
        self.options = options


class FitView(MacroElement):
    """Fit the view to ``bounds`` now, and again whenever the map's size changes, until the user moves it.

    The dashboard's map is often drawn before the page has its final layout
    (the sidebar takes its width a moment later); Leaflet then keeps the
    centre, not the bounds, and the events drift under the legend.  A move
    the user makes (drag, zoom, keys) or a view the app sets ends the
    refitting, so nobody's own view is ever taken away.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map, bounds, options, skip) {
            try {  // the page's link carries a view: the app sets it, fitting would undo it
                if (skip && new URLSearchParams(window.parent.location.search).has(skip)) { return; }
            } catch (e) {}
            var moved = false, fitting = false;
            function fit() {
                fitting = true;
                try { map.fitBounds(bounds, options); } finally { fitting = false; }
            }
            fit();
            map.on("movestart", function () { if (!fitting) { moved = true; } });
            map.on("resize", function () { if (!moved) { fit(); } });
        })({{ this._parent.get_name() }}, {{ this.bounds|tojson }}, {{ this.options|tojson }},
           {{ this.skip|tojson }});
        {% endmacro %}
    """)

    def __init__(self, bounds: Sequence[Sequence[float]], padding_top_left: tuple[int, int] = (20, 20),
                 padding_bottom_right: tuple[int, int] = LEGEND_CLEARANCE, skip_param: str | None = None):
        super().__init__()
        self._name = "FitView"
        self.skip = skip_param
        self.bounds = [list(map(float, corner)) for corner in bounds]
        self.options = {"paddingTopLeft": list(padding_top_left),
                        "paddingBottomRight": list(padding_bottom_right), "animate": False}


class Legend(MacroElement):
    """A categorical legend drawn as a Leaflet control (branca's would pull in d3)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "sm-legend-box");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self, html: str, position: str = "bottomright"):
        super().__init__()
        self._name = "Legend"
        self.html = html
        self.position = position


class Declutter(MacroElement):
    """Labels that do not collide, and a legend of the types on the map, kept so in the browser.

    After each zoom, move or layer change: labels are placed by rank (event
    places first, the most events first; then capitals, countries, cities),
    and one that would overlap a placed label is hidden.  The legend shows
    only the types whose layers are on the map (the filters' types).
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map) {
            var pending = false;
            function overlaps(r, k) {
                return r.left < k.right + 3 && r.right > k.left - 3 && r.top < k.bottom + 1 && r.bottom > k.top - 1;
            }
            function run() {
                pending = false;
                var c = map.getContainer();
                var items = Array.prototype.map.call(c.querySelectorAll(".sm-label-icon"), function (el) {
                    var s = el.querySelector(".sm-label");
                    el.style.visibility = "";
                    return {el: el, rank: s ? +(s.getAttribute("data-rank") || 0) : 0};
                });
                items.sort(function (a, b) { return b.rank - a.rank; });
                var kept = [];
                items.forEach(function (i) {
                    var r = i.el.getBoundingClientRect();
                    if (!r.width && !r.height) { return; }
                    if (kept.some(function (k) { return overlaps(r, k); })) { i.el.style.visibility = "hidden"; }
                    else { kept.push(r); }
                });
                var present = {};
                map.eachLayer(function (l) { if (l._smEntry) { present[l._smEntry.type] = true; } });
                Array.prototype.forEach.call(c.querySelectorAll(".sm-legend li[data-type]"), function (li) {
                    li.style.display = present[li.getAttribute("data-type")] ? "" : "none";
                });
            }
            function later() { if (!pending) { pending = true; setTimeout(run, 40); } }
            map.on("zoomend moveend layeradd layerremove resize", later);
            later();
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self):
        super().__init__()
        self._name = "Declutter"


class PageLinks(MacroElement):
    """The dashboard's map and its page: the view goes into the page's URL, popups open the editor.

    After the analyst moves the map (drag, wheel, keys, the zoom buttons), its
    centre and zoom are written to the page's ``?view=lat,lon,zoom`` (without
    a reload), so the link reopens there.  "Edit this event" in a popup loads
    the page with ``?edit=<event id>``: the editor opens on that event.
    The map's frame is served by the app itself, so it may reach the page.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function (map, param) {
            var c = map.getContainer(), page = null, touched = false;
            try { page = window.parent; void page.location.search; } catch (e) { page = null; }
            if (!page || page === window) { return; }
            c.classList.add("sm-editable");
            c.addEventListener("click", function (ev) {
                var a = ev.target.closest ? ev.target.closest(".sm-edit") : null;
                if (!a) { return; }
                ev.preventDefault();
                var q = new URLSearchParams(page.location.search);
                q.set("edit", a.getAttribute("data-event"));
                // the frame's sandbox may not navigate the page: the page's own timer does
                page.setTimeout(new page.Function("u", "window.location.assign(u)"), 0,
                                page.location.pathname + "?" + q.toString());
            }, true);  // capture: a popup stops its clicks from bubbling to the map
            ["mousedown", "wheel", "touchstart", "keydown", "dblclick"].forEach(function (name) {
                c.addEventListener(name, function () { touched = true; }, {capture: true, passive: true});
            });
            map.on("moveend", function () {
                if (!touched) { return; }
                var at = map.getCenter(), q = new URLSearchParams(page.location.search);
                q.set(param, at.lat.toFixed(4) + "," + at.lng.toFixed(4) + "," + (+map.getZoom().toFixed(2)));
                page.history.replaceState(page.history.state, "", page.location.pathname + "?" + q.toString());
            });
        })({{ this._parent.get_name() }}, {{ this.param|tojson }});
        {% endmacro %}
    """)

    def __init__(self, param: str = "view"):
        super().__init__()
        self._name = "PageLinks"
        self.param = param


