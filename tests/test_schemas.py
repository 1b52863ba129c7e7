"""The ratings' ordered categorical (kccperf.schemas.RAG): sorted and compared by severity, one dtype everywhere."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from kccperf import ValidationError
from kccperf.schemas import RAG, as_rag


@pytest.mark.parametrize(
    ("worse", "better"),
    [("RED", "AMBER"), ("AMBER", "GREEN"), ("RED", "GREEN"), ("GREEN", "N/A"), ("N/A", "")],
)
def test_ratings_compare_by_severity(worse, better):
    r = pd.Series(as_rag([worse, better]))
    assert (r < better).tolist() == [True, False]
    assert r.max() == better and r.min() == worse


def test_sorting_lists_the_most_severe_first_and_the_unrated_last():
    r = pd.Series(as_rag(["GREEN", "", "RED", "N/A", "AMBER", "RED"]))
    assert r.sort_values().tolist() == ["RED", "RED", "AMBER", "GREEN", "N/A", ""]
    assert r.dtype == RAG and r.dtype.ordered


@pytest.mark.parametrize("missing", [None, math.nan, pd.NA])
def test_a_missing_rating_is_not_rated(missing):
    assert as_rag(["RED", missing]).tolist() == ["RED", ""]


@pytest.mark.parametrize("bad", ["BLUE", "red", "Amber "])
def test_an_unknown_rating_is_refused_not_dropped(bad):
    with pytest.raises(ValidationError, match=repr(bad)):
        as_rag(["GREEN", bad])


def test_counts_keep_the_severity_order():
    counts = pd.Series(as_rag(["GREEN", "RED", "GREEN"])).value_counts(sort=False)
    assert counts.index.tolist()[:3] == ["RED", "AMBER", "GREEN"]
    assert counts.tolist()[:3] == [1, 0, 2]


def test_importing_kccperf_does_not_import_dask_and_leaves_it_importable():
    # pandera would import dask.dataframe (about 0.8 s) where the cluster extra installed it; kccperf hides it.
    import importlib.util
    import subprocess
    import sys

    code = "import sys, kccperf; print('dask.dataframe' in sys.modules)"
    if importlib.util.find_spec("dask") is not None:
        code += "; import dask.dataframe; print('dask.dataframe' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out[0] == "False"
    assert out[1:] in ([], ["True"])  # and, where dask is installed, it still imports after kccperf
