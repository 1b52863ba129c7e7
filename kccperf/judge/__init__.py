"""Judgements on the scorecard: RAG ratings, direction of travel, benchmarks, floors, reconciliation, commentary.

Holds the calculators (``rag``, ``travel``, ``benchmark``, ``floors``, ``assess``, ``commentary``), which take a
DataFrame and return a new one, and ``reconcile``, which sets the published judgements beside the computed ones.

May import: ``kccperf.scorecard``, ``kccperf.schemas``, ``kccperf.errors`` and the shared private helpers.
Never ``budget`` or ``publish``.
"""
