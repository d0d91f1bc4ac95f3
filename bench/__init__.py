"""The national-scale benchmark: a generated store for all of England, and the measurements made on it.

Run with ``make bench`` (``python -m bench --help`` for the options). :mod:`bench.national` builds the store,
:mod:`bench.fingertips` writes the Fingertips export the import is timed on, :mod:`bench.measure` times the
pages and their references, and :mod:`bench.report` writes ``bench/results.json`` and ``bench/RESULTS.md``.
"""
