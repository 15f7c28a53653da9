"""Scorers for the geoparsing corpora and the Ukraine event sets; not part of the library."""
