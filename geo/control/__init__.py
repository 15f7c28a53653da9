"""Areas of control: dated polygons of who holds what, their changes and the front line.

- :mod:`geo.control.layers`  the :class:`ControlLayer` record and the kinds;
- :mod:`geo.control.read`    GeoJSON, GeoPackage, KML and KMZ files in, checked;
- :mod:`geo.control.change`  area, gained and lost ground, settlements, the front line;
- :mod:`geo.control.check`   claims of capture checked against the layers;
- :mod:`geo.control.storage` the layers in the SQLite or PostGIS store;
- :mod:`geo.control.cli`     ``python -m geo control import|diff|line``.

See ``docs/control.md``.
"""
