"""The indicator page's charts: trend, statistical process control (SPC), compare areas, map, inequalities.

Each chart is built in two steps. A ``*_data`` function makes the table of exactly what will be plotted
(one row per point or bar, with reader-facing column names); a ``*_chart`` function draws the figure from
that table alone and returns a :class:`~dashboard.components.charts.chart.Chart`, which carries the table
too. So the table view and the CSV download are the plotted figures, not a separate query.

:mod:`.panel` lays every chart out the one way the UK Analysis Function guidance asks: a headline that
states the message, a subtitle saying what is measured and where, the figure (with a text summary for
screen readers), the source, a table view and a CSV download.

Styling comes from the one Plotly template (:mod:`dashboard.theme`); the charts set only what is theirs:
series colours, the Making Data Count colours for SPC and the Fingertips benchmark colours for the map.
"""
