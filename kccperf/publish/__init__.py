"""Publishing: small-number suppression, summaries, tables and charts, and the report batch with its index.

Holds ``suppress`` (withholding small numbers), ``summary`` (area views, counts, league tables), ``views`` (the
HTML sections the notebooks display), ``figures`` (charts), ``parameters`` (checking a notebook's parameters)
and ``batch`` (executing the report notebooks and writing the pages, downloads and index).

May import: ``kccperf.judge``, ``kccperf.budget``, ``kccperf.scorecard`` and everything at the top of the
package. Nothing imports ``publish`` except the command line, the public ``kccperf`` namespace and the notebooks.
"""
