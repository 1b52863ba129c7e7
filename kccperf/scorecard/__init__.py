"""The published scorecard: reading its tables, the indicator catalogue, periods and editions on disk.

Holds: ``reader`` (one published table file in, tidy frames and a quality log out: a pipeline of small named
steps, one module each, from the file's cells to the anomaly log), ``catalogue``
(indicators, targets, areas and team blocks from ``data/reference/``), ``periods`` (period labels and their
order) and ``editions`` (loading a whole edition: values, published judgements, the quality log).

May import: ``kccperf.schemas``, ``kccperf.errors`` and the shared private helpers at the top of the package.
Never ``judge``, ``budget`` or ``publish``.
"""
