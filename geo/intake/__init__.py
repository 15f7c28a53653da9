"""Reports into Sitmap: files and folders, the store, batch ingest on Dask.

``files``  report files and folders to results and build outputs
``batch``  many reports into the store in parallel (``python -m geo ingest``)
"""
