"""The performance-linked payment page's parts, one module for each thing the page shows.

* :mod:`.choice`: what the page is showing (the agreement, year and version chosen, and what was read);
* :mod:`.statuses`: a period's status (met, partly met, not met, no data, forecast) in words, shape, colour;
* :mod:`.words`: the money in sentences, and the labels of a scheme's periods;
* :mod:`.whatif`: the what-if model: inputs -> a scheme and figures to price, nothing saved;
* :mod:`.assurance`: each KPI's SPC assurance, and the forecast that rests on it;
* :mod:`.charts`: the budget split and the forecast as charts, each with its table and CSV;
* :mod:`.tables`: the KPI table, and the scheme's versions and audit log;
* :mod:`.forms`: the what-if inputs, the error summary, and the forms that change or agree a scheme;
* :mod:`.setup`: the forms that set up a year's first scheme or start it from an uplift, and the draft notice;
* :mod:`.whatif_panel`: the what-if notice and the money beside the what-if inputs;
* :mod:`.sections`: the page's sections, put together from the parts above.

Money is shown in whole pounds (:func:`metrics.money.format_pounds`); the downloads have the pence. Figures
are shown to one decimal place (:mod:`dashboard.formatting`). Every status is words, then a shape, then a
colour. Nothing here reads or writes the store: the page does that through :mod:`dashboard.data_access`.
"""
