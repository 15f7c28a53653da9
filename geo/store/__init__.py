"""Where parsed reports, corrections and imported layers are kept.

``sqlite``       the embedded default store (one file, WAL)
``postgis``      the shared store for teams (PostgreSQL + PostGIS)
``corrections``  the analysts' edits: an append-only audit trail, re-applied on read

Nothing here parses text: intake hands the store finished results.
"""
