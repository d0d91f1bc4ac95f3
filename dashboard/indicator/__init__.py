"""The indicator page's parts, beside its page module (:mod:`dashboard.pages.indicator`, the only one that
registers a page): the view a link asks for, everything the page reads, and each section of the page.

Nothing here computes a status of its own: the summary card and the SPC chart show the scorecard's record
for the area (:func:`dashboard.data_access.scorecard_row`), so the page and the scorecard always agree.
"""
