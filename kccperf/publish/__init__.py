"""Publishing: small-number suppression, summaries, tables and charts, and the report batch with its index.

Holds ``suppress`` (withholding small numbers), ``summary`` (area views, counts, league tables),
``scorecard_views`` and ``budget_views`` (the HTML sections the notebooks display, sharing ``_html``), ``figures``
(charts), ``parameters`` (checking a notebook's parameters), ``page`` and ``index`` (the report page and the
index, from the Jinja2 templates in ``templates/``, including the ``kccperf`` nbconvert template) and ``batch``
(executing the report notebooks and writing the pages, downloads and index).

May import: ``kccperf.judge``, ``kccperf.budget``, ``kccperf.scorecard`` and everything at the top of the
package. Nothing imports ``publish`` except the command line, the public ``kccperf`` namespace and the notebooks.
"""
