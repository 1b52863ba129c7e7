from __future__ import annotations

import math

import pandas as pd
import pytest

from kccperf.publish import views as present


@pytest.mark.parametrize(
    ("value", "unit", "text"),
    [
        (73.1, "percent", "73.1%"),
        (1674, "count", "1,674"),
        (368.6, "days", "368.6 days"),
        (-0.12, "score", "-0.12"),
        (47.0, "score", "47.0"),
        (16.4, "caseload", "16.4"),
        (math.nan, "percent", "–"),
        (None, "count", "–"),
    ],
)
def test_format_value(value, unit, text):
    assert present.format_value(value, unit) == text


def _summary(title: str) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "service": "Early help",
                "block": "<b>X</b>",
                "title": title,
                "latest_period": "Oct-24",
                "value": 12.5,
                "unit": "percent",
                "trend": [10.0, 12.5],
                "trend_periods": ["Sep-24", "Oct-24"],
                "target": 15.0,
                "rag_published": "RED",
                "dot_published": "↓",
            }
        ]
    )


def test_markup_in_titles_is_shown_not_run():
    html = present.indicator_table(_summary('<script>alert("x")</script> Title')).data
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Title" in html
    assert "&lt;b&gt;X&lt;/b&gt;" in html


def test_rag_is_never_colour_alone():
    html = present.indicator_table(_summary("T")).data
    assert ">RED</td>" in html and "worsened" in html
    assert 'role="img"' in html and 'aria-label="Trend of T: 10.0% in Sep-24 to 12.5% in Oct-24"' in html


def test_tables_have_header_cells_and_captions():
    html = present.data_table(pd.DataFrame({"a": [1]}), caption="Cap", columns={"a": "Alpha"}).data
    assert "<caption>Cap</caption>" in html and '<th scope="col">Alpha</th>' in html


def test_sparkline_without_data():
    assert "no trend data" in present.sparkline([math.nan, math.nan], ["a", "b"])
