"""More checks of the printed figures against each other.

- ``previous_year``: the previous year's printed outturn, target and rating: the target decides GREEN or
  not, a stated floor AMBER or RED (as for this year's ratings, :mod:`kccperf.judge.ratings`);
- ``percent_vs_counts``: a percentage row against the count rows printed with it (``data/reference/fractions.csv``),
  for every period printed. A figure agrees when the counts' percentage, rounded to the printed decimals, is it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schemas import Finding as F
from ..schemas import Fraction as FR
from ..schemas import Indicator as I
from ..schemas import Published as P
from ..schemas import RatingCheck as RC
from ..schemas import Scorecard as S
from ..schemas import Target as T
from .ratings import check_ratings, meets_target

FINDING_COLUMNS = list(F.to_schema().columns)


def _fmt(x: float) -> str:
    return f"{x:g}" if np.isfinite(x) else "N/A"


def _typed(rows: pd.DataFrame) -> pd.DataFrame:
    """The findings with the schema's types also when there are none: an empty column has no text to infer ``str`` from."""
    return rows if len(rows) else rows.astype({c: str for c in FINDING_COLUMNS if c != F.source_row})


def previous_year_findings(published: pd.DataFrame, indicators: pd.DataFrame, targets: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Each printed previous-year rating checked against the previous-year outturn and target printed beside it.

    Returns the disagreements (category ``previous_year``) and how many ratings the figures confirm.
    """
    pub = published[published[P.prev_rag].isin(["RED", "AMBER", "GREEN"])]
    pol = indicators.drop_duplicates(I.indicator).set_index(I.indicator)[I.polarity].reindex(pub[P.indicator])
    tg = targets.drop_duplicates([T.indicator, T.year]).set_index([T.indicator, T.year])
    key = pd.MultiIndex.from_frame(pub[[P.indicator, P.prev_year]])
    cols = {c: tg[c].reindex(key).to_numpy() for c in (T.range_low, T.range_high, T.floor, T.floor_source)}
    pol = pol.to_numpy(object)
    low, high = np.asarray(cols[T.range_low], dtype=float), np.asarray(cols[T.range_high], dtype=float)
    checks = check_ratings(
        pub[P.prev_rag].to_numpy(object),
        pub[P.prev_outturn].to_numpy(float),
        pol,
        pub[P.prev_target].to_numpy(float),
        low,
        high,
        np.asarray(cols[T.floor], dtype=float),
        pd.Series(cols[T.floor_source]).fillna("").to_numpy(object),
    )
    bad = (checks[RC.rating_check] == "disagrees").to_numpy()
    sub = pub[bad]
    rows = pd.DataFrame(
        {
            F.area: sub[P.area].to_numpy(),
            F.block: sub[P.block].to_numpy(),
            F.indicator: sub[P.indicator].to_numpy(),
            F.category: "previous_year",
            F.published: sub[P.prev_rag].to_numpy(object) + " for " + sub[P.prev_year].to_numpy(object),
            F.computed: np.where(
                meets_target(sub[P.prev_outturn], pol[bad], sub[P.prev_target], low[bad], high[bad]), "GREEN", "not GREEN"
            ),
            F.explanation: "last year's printed "
            + checks[RC.rating_check_reason].to_numpy(object)[bad]
            + " (outturn "
            + sub[P.prev_outturn].map(_fmt).to_numpy(object)
            + ", target "
            + sub[P.prev_target].map(_fmt).to_numpy(object)
            + ")",
            F.source_file: sub[P.source_file].to_numpy(),
            F.source_row: sub[P.source_row].to_numpy(int),
        }
    )[FINDING_COLUMNS]
    return _typed(rows), int(checks[RC.target_agrees].to_numpy()[~bad].sum())


def percent_vs_counts_findings(scorecard: pd.DataFrame, fractions: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Each printed percentage against the numerator and denominator rows printed with it, every period.

    The tolerance is the printed precision: the counts' percentage rounded to the percentage's printed
    decimals must be the printed figure (a 0.9-point gap on a one-decimal figure is not rounding).
    """
    keys = [S.area, S.block, S.period, S.source_file]
    pct = scorecard.merge(fractions[[FR.indicator, FR.numerator_indicator, FR.denominator_indicator]], on=S.indicator)
    values = scorecard.set_index([*keys, S.indicator])[S.value]
    num = values.reindex(pd.MultiIndex.from_frame(pct[[*keys, FR.numerator_indicator]])).to_numpy(float)
    den = values.reindex(pd.MultiIndex.from_frame(pct[[*keys, FR.denominator_indicator]])).to_numpy(float)
    v = pct[S.value].to_numpy(float)
    d = pct[S.decimals].fillna(1).to_numpy(float).astype(int)
    checked = np.isfinite(v) & np.isfinite(num) & np.isfinite(den) & (den > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = num / den * 100
    scale = 10.0**d
    agree = np.abs(np.round(share * scale) / scale - v) < 1e-9
    bad = checked & ~agree
    sub = pct[bad]
    rows = pd.DataFrame(
        {
            F.area: sub[S.area].to_numpy(),
            F.block: sub[S.block].to_numpy(),
            F.indicator: sub[S.indicator].to_numpy(),
            F.category: "percent_vs_counts",
            F.published: sub[S.value].map(_fmt).to_numpy(object) + "% (" + sub[S.period_label].to_numpy(object) + ")",
            F.computed: [f"{s:.{k}f}%" for s, k in zip(share[bad], d[bad], strict=True)],
            F.explanation: [
                f"the count rows printed with it give {n:,.0f} of {m:,.0f} = {s:.{k}f}%, "
                f"{abs(s - x):.{k}f} points from the printed {x:g}%"
                for n, m, s, x, k in zip(num[bad], den[bad], share[bad], v[bad], d[bad], strict=True)
            ],
            F.source_file: sub[S.source_file].to_numpy(),
            F.source_row: sub[S.source_row].to_numpy(int),
        }
    )[FINDING_COLUMNS]
    return _typed(rows), int((checked & agree).sum())
