"""Events in and out of Sitmap.

``layers``   results as JSON lines and RFC 7946 GeoJSON features
``formats``  GeoJSON, CSV (ACLED layout), GeoPackage and KML, read and written
"""
