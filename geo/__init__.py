"""Sitmap's library: report text to places, events, status and map layers.

Nothing in this package imports Streamlit; the dashboard is a thin frame on top.
"""

__version__ = "0.1.0"
