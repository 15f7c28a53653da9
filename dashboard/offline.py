"""Make folium maps load their browser assets from this server, not from CDNs.

folium links Leaflet, jQuery, Bootstrap, Font Awesome, the glyphicons and its
plugins' scripts from public CDNs. With no internet, ``st_folium`` then draws
nothing (its iframe stays 0 px high). ``scripts/vendor_assets.py`` (run by
``make setup``) copies the same files from node_modules to
``dashboard/static/vendor``; Streamlit serves that folder at
``/app/static/vendor`` because ``.streamlit/config.toml`` turns on
``server.enableStaticServing`` and the main script is ``dashboard/app.py``.

Typical use in the dashboard::

    from dashboard.offline import offline_map

    m = offline_map(location=[49.0, 31.0], zoom_start=6)
    folium.GeoJson(events).add_to(m)
    st_folium(m, returned_objects=[])

``offline_map`` calls :func:`use_offline_assets`, which rewires folium
process-wide (the Map class and the MarkerCluster, Timeline and TimelineSlider
plugins), so plugins added to the map later are covered as well. Use
:func:`remote_assets` to list whatever a map would still fetch from elsewhere,
:func:`standalone_html` to save a map as an HTML file that reads the
vendored files from disk, and :func:`offline_page` for one file with every
script, style and font inside it (the dashboard's map download).

No Streamlit in here: this module only rewires folium.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from urllib.parse import urlsplit

import branca.colormap
import folium
from branca.element import Element
from folium.elements import JSCSSMixin
from folium.plugins import MarkerCluster, Timeline, TimelineSlider

VENDOR_URL = "/app/static/vendor"
VENDOR_DIR = Path(__file__).resolve().parent / "static" / "vendor"

# folium's name for each asset -> its file under the vendor folder
VENDORED_FILES: dict[str, str] = {
    # folium.Map
    "leaflet": "leaflet/leaflet.js",
    "jquery": "jquery/jquery.min.js",
    "bootstrap": "bootstrap/js/bootstrap.bundle.min.js",
    "awesome_markers": "awesome-markers/leaflet.awesome-markers.js",
    "leaflet_css": "leaflet/leaflet.css",
    "bootstrap_css": "bootstrap/css/bootstrap.min.css",
    "glyphicons_css": "glyphicons/css/bootstrap-glyphicons.css",
    "awesome_markers_font_css": "fontawesome/css/all.min.css",
    "awesome_markers_css": "awesome-markers/leaflet.awesome-markers.css",
    "awesome_rotate_css": "awesome-markers/leaflet.awesome.rotate.css",
    # folium.plugins.MarkerCluster
    "markerclusterjs": "markercluster/leaflet.markercluster.js",
    "markerclustercss": "markercluster/MarkerCluster.css",
    "markerclusterdefaultcss": "markercluster/MarkerCluster.Default.css",
    # folium.plugins.Timeline and TimelineSlider
    "timeline": "timeline/leaflet.timeline.js",
    "moment": "moment/moment.min.js",
}


def missing_vendored_files(vendor_dir: Path = VENDOR_DIR) -> list[str]:
    """The vendored files (paths under ``vendor_dir``) that are not on disk: ``make setup`` puts them there."""
    return [rel for rel in VENDORED_FILES.values() if not (vendor_dir / rel).is_file()]


# the classes whose asset lists use the names above
OFFLINE_CLASSES: tuple[type[JSCSSMixin], ...] = (folium.Map, MarkerCluster, Timeline, TimelineSlider)

# streamlit-folium adds these itself whenever a branca colormap is on the map
_COLORMAP_SCRIPTS = (
    "https://d3js.org/d3.v4.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js",
)

# the default maximum zoom when there is no tile layer to give one
DEFAULT_MAX_ZOOM = 18

Assets = list[tuple[str, str]]


def _relink(assets: Sequence[tuple[str, str]], base_url: str) -> Assets:
    """Swap the URL of every asset that has a vendored copy; keep the others."""
    return [
        (name, f"{base_url}/{VENDORED_FILES[name]}" if name in VENDORED_FILES else url)
        for name, url in assets
    ]


def use_offline_assets(base_url: str = VENDOR_URL) -> None:
    """Point folium's Map and plugin asset links at the vendored copies.

    Rewires the class attributes ``default_js`` and ``default_css`` of every
    class in ``OFFLINE_CLASSES``, so it affects every map in the process, made
    before or after the call. Calling it again is harmless; a different
    ``base_url`` replaces the previous one.

    Parameters
    ----------
    base_url
        URL prefix of the vendor folder as the browser sees it. The default
        suits ``streamlit run dashboard/app.py`` with static serving on.
    """
    base = base_url.rstrip("/")
    for cls in OFFLINE_CLASSES:
        for attribute in ("default_js", "default_css"):
            if hasattr(cls, attribute):
                setattr(cls, attribute, _relink(getattr(cls, attribute), base))


def offline_map(
    location: Sequence[float] | None = None,
    zoom_start: int = 6,
    *,
    tiles: str | folium.TileLayer | None = None,
    max_zoom: int = DEFAULT_MAX_ZOOM,
    base_url: str = VENDOR_URL,
    **kwargs,
) -> folium.Map:
    """Make a folium Map that loads nothing from the internet.

    Parameters
    ----------
    location, zoom_start
        As for ``folium.Map``.
    tiles
        No base tiles by default: tile servers are on the internet. Pass a
        local tile layer, or a URL on this server, to have one.
    max_zoom
        The map's maximum zoom, set on the map itself because without a tile
        layer Leaflet has none and MarkerCluster refuses to start.
    base_url
        Passed to :func:`use_offline_assets`.
    **kwargs
        Any other ``folium.Map`` argument.
    """
    use_offline_assets(base_url)
    m = folium.Map(location=location, zoom_start=zoom_start, tiles=tiles, max_zoom=max_zoom, **kwargs)
    m.options.setdefault("max_zoom", max_zoom)
    return m


def keep_only_assets(m: folium.Map, names: Sequence[str]) -> folium.Map:
    """Have one map load only the named assets (``VENDORED_FILES`` keys), not all of folium's.

    folium links jQuery, Bootstrap, the glyphicons and awesome-markers for
    every map; a map of GeoJson layers needs none of them, and streamlit-folium
    loads scripts one after the other, so each one left out is waited for no
    more.  Sets instance attributes; other maps keep the class's full lists.
    """
    wanted = set(names)
    m.default_js = [(n, url) for n, url in m.default_js if n in wanted]
    m.default_css = [(n, url) for n, url in m.default_css if n in wanted]
    return m


def _walk(element: Element) -> Iterator[Element]:
    """The element and all its descendants, depth first."""
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _is_remote(url: str) -> bool:
    return bool(urlsplit(url).netloc)


def remote_assets(m: Element) -> list[str]:
    """The asset URLs a map would fetch from another host, in first-seen order.

    Walks the map the way streamlit-folium does, so it also lists the d3
    scripts that streamlit-folium adds for a branca colormap (a legend), which
    this module cannot redirect. An empty list means the map draws offline.
    """
    urls: list[str] = []
    for element in _walk(m):
        if isinstance(element, branca.colormap.ColorMap):
            urls.extend(_COLORMAP_SCRIPTS)
        for _, url in [*getattr(element, "default_js", []), *getattr(element, "default_css", [])]:
            if _is_remote(url):
                urls.append(url)
    return list(dict.fromkeys(urls))


def standalone_html(m: folium.Map, asset_root: str | None = None, base_url: str = VENDOR_URL) -> str:
    """Render a map as a whole HTML page that reads the vendored files directly.

    Parameters
    ----------
    m
        A map made after :func:`use_offline_assets` (for example by
        :func:`offline_map`).
    asset_root
        What replaces ``base_url`` in the links: by default the ``file://``
        URI of the vendor folder, so the page opens from disk on this
        machine. Pass a relative path such as ``"vendor"`` when you ship a
        copy of the folder next to the HTML file.
    base_url
        The prefix the links were made with.
    """
    root = (asset_root if asset_root is not None else VENDOR_DIR.as_uri()).rstrip("/")
    html = m.get_root().render()
    base = base_url.rstrip("/")
    return html.replace(f'"{base}/', f'"{root}/')


# -- one self-contained file ----------------------------------------------------

_SCRIPT_TAG = re.compile(r'<script\s+src="(?P<url>[^"]+)"\s*>\s*</script>')
_STYLE_TAG = re.compile(r'<link\s+rel="stylesheet"\s+href="(?P<url>[^"]+)"\s*/?>')
_CSS_URL = re.compile(r"""url\(\s*(?P<q>['"]?)(?P<ref>[^'")]+)(?P=q)\s*\)""")
_SOURCE_MAP = re.compile(r"/[*/]\s*[#@]\s*sourceMappingURL=[^\n*]*(?:\*/)?")
# the formats every current browser reads; the older font files only make the page bigger
_KEPT_FONTS = (".woff2",)
_DATA_TYPES = {".woff2": "font/woff2", ".png": "image/png", ".svg": "image/svg+xml", ".gif": "image/gif"}


def _vendored_path(url: str, base: str, vendor_dir: Path) -> Path | None:
    """The file behind a vendored URL, or ``None`` when it is not one of ours."""
    if not url.startswith(base + "/"):
        return None
    path = (vendor_dir / url[len(base) + 1:]).resolve()
    return path if path.is_file() and path.is_relative_to(vendor_dir.resolve()) else None


def _data_uri(path: Path) -> str:
    kind = _DATA_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_css(path: Path) -> str:
    """A stylesheet with its fonts and images turned into data: URIs."""

    def swap(m: re.Match) -> str:
        ref = m.group("ref")
        if ref.startswith(("data:", "#")) or _is_remote(ref):
            return m.group(0)
        target = (path.parent / ref.split("?")[0].split("#")[0]).resolve()
        suffix = target.suffix.lower()
        if suffix in (".eot", ".ttf", ".woff", ".svg") and suffix not in _KEPT_FONTS and "font" in str(target):
            return "url(data:,)"
        return f"url({_data_uri(target)})" if target.is_file() else m.group(0)

    return _SOURCE_MAP.sub("", _CSS_URL.sub(swap, path.read_text(encoding="utf-8")))


def inline_assets(html: str, base_url: str = VENDOR_URL, vendor_dir: Path = VENDOR_DIR) -> str:
    """Put the vendored scripts and stylesheets into the page itself.

    The result needs neither this server nor the vendor folder: scripts and
    styles are inlined, fonts and images become data: URIs.  Links that are
    not vendored are left as they are (:func:`remote_assets` lists them).
    """
    base = base_url.rstrip("/")

    def script(m: re.Match) -> str:
        path = _vendored_path(m.group("url"), base, vendor_dir)
        if path is None:
            return m.group(0)
        # "</script" inside the code would end the tag early
        code = _SOURCE_MAP.sub("", path.read_text(encoding="utf-8")).replace("</script", "<\\/script")
        return f"<script>{code}</script>"

    def style(m: re.Match) -> str:
        path = _vendored_path(m.group("url"), base, vendor_dir)
        return m.group(0) if path is None else f"<style>{_inline_css(path)}</style>"

    return _STYLE_TAG.sub(style, _SCRIPT_TAG.sub(script, html))


def offline_page(m: folium.Map, base_url: str = VENDOR_URL) -> str:
    """A map as one HTML file that opens anywhere, with no network and no server."""
    return inline_assets(m.get_root().render(), base_url)
