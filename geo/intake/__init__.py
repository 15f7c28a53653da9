"""Reports into Sitmap: files and folders, the store, batch ingest on Dask.

``service``  the one way in: a report's id, name and date, duplicates, bounds, seeding
``files``    report files and folders to results and build outputs
``batch``    many reports into the store in parallel (``python -m geo ingest``)
"""
