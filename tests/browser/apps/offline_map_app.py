"""A one-map Streamlit page for the browser tests of ``dashboard/offline.py``.

It draws a GeoJson layer of three places as circle markers and a
MarkerCluster: three markers near Kyiv that cluster into one bubble, plus a
glyphicon marker at Lviv and a Font Awesome marker at Mariupol that stay
single, so the test can see that scripts, stylesheets and both icon fonts
came from the vendor folder.

``static`` beside this file links to ``dashboard/static``, so Streamlit serves
the vendored assets at the same ``/app/static/vendor`` URLs as for the
dashboard. With ``SITMAP_TEST_CDN_ASSETS=1`` the page keeps folium's CDN
links instead: the control case, which must not draw offline.
"""

import os

import folium
import streamlit as st
from folium.plugins import MarkerCluster
from streamlit_folium import st_folium

from dashboard.offline import DEFAULT_MAX_ZOOM, offline_map

CENTER = (48.7, 31.5)
ZOOM = 5


def _point(name: str, lat: float, lon: float) -> dict:
    return {
        "type": "Feature",
        "properties": {"name": name},
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
    }


PLACES = {
    "type": "FeatureCollection",
    "features": [
        _point("Kharkiv", 49.99, 36.23),
        _point("Dnipro", 48.46, 35.05),
        _point("Odesa", 46.48, 30.73),
    ],
}
NEAR_KYIV = [(50.45, 30.52), (50.50, 30.60), (50.40, 30.45)]
LVIV = (49.84, 24.03)
MARIUPOL = (47.10, 37.55)


def build_map() -> folium.Map:
    """The test map, with vendored assets unless the control case is asked for."""
    if os.environ.get("SITMAP_TEST_CDN_ASSETS") == "1":
        m = folium.Map(location=CENTER, zoom_start=ZOOM, tiles=None)
        m.options["max_zoom"] = DEFAULT_MAX_ZOOM
    else:
        m = offline_map(location=CENTER, zoom_start=ZOOM)
    folium.GeoJson(
        PLACES,
        name="places",
        marker=folium.CircleMarker(radius=9, color="#3b5573", weight=2, fill=True, fill_opacity=0.7),
        tooltip=folium.GeoJsonTooltip(fields=["name"]),
    ).add_to(m)
    cluster = MarkerCluster(name="reports").add_to(m)
    for lat, lon in NEAR_KYIV:
        folium.Marker([lat, lon], icon=folium.Icon(color="red", prefix="fa", icon="burst")).add_to(cluster)
    folium.Marker(LVIV, tooltip="Lviv", icon=folium.Icon(color="blue", icon="info-sign")).add_to(cluster)
    folium.Marker(
        MARIUPOL, tooltip="Mariupol", icon=folium.Icon(color="darkred", prefix="fa", icon="burst", angle=45)
    ).add_to(cluster)
    return m


st.set_page_config(page_title="Offline map check", layout="wide")
st.title("Offline map check")
st_folium(build_map(), returned_objects=[], height=520, width=900, key="offline_map")
