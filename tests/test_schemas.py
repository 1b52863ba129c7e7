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


def _models():
    import pandera.pandas as pa

    from kccperf import schemas

    return [
        m
        for m in vars(schemas).values()
        if isinstance(m, type) and issubclass(m, pa.DataFrameModel) and m is not pa.DataFrameModel
    ]


def test_a_column_heading_comes_with_one_sentence_about_the_column():
    """The downloads' headings and their explanations are the fields' title and description (kccperf.publish.downloads)."""
    import re

    titled = [(m.__name__, name, col) for m in _models() for name, col in m.to_schema().columns.items() if col.title]
    assert len(titled) > 60
    for model, name, col in titled:
        where = f"{model}.{name}"
        assert col.title != name and "_" not in col.title and col.title == col.title.strip(), where
        sentence = col.description or ""
        assert sentence[:1].isupper() or sentence.startswith("kccperf"), where
        assert sentence.endswith(".") and not re.search(r"\.\s+[A-Z]", sentence), f"{where}: one sentence"
        assert len(sentence) <= 200, f"{where}: a sentence a reader takes in at once"


def test_no_two_columns_of_a_model_share_a_heading():
    for model in _models():
        titles = [c.title for c in model.to_schema().columns.values() if c.title]
        assert len(titles) == len(set(titles)), model.__name__
