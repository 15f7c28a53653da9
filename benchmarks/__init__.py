"""Benchmarks and long runs, apart from the tests; see each module's docstring for its command.

A package, so ``python -m benchmarks.NAME`` finds these modules before the
stray top-level ``benchmarks`` package that pysbd installs into site-packages.
"""
