"""The committee pack: a PDF and a slide deck built from the same data and methods as the pages.

:mod:`~dashboard.pack.content` reads what the pack says; :mod:`~dashboard.pack.pdf` and
:mod:`~dashboard.pack.slides` lay it out; :mod:`~dashboard.pack.build` does both for the ``kpi report``
command and the dashboard's "Build the committee pack" button.
"""
