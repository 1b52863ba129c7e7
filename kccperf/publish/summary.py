"""Latest-period summaries of one area: what a report's indicator table shows."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ParameterError
from ..schemas import RAGS, Published, RagCount, SharedTeam, Suppression, as_rag
from ..schemas import Assessed as A
from ..schemas import Indicator as I
from ..schemas import IndicatorSummary as IS
from ..schemas import LeagueTable as LT
from ..schemas import RatingCheck as RC
from ..schemas import Scorecard as S
from ..schemas import Target as T
from ..scorecard.catalogue import load_catalogue
from ._areas import rows_of_area

_SERVICE_ORDER = [
    "Children's social care",
    "Early help",
    "Youth justice",
    "SEND",
    "Early years",
    "Education",
    "Vulnerable learners",
]


def indicator_summary(scorecard: pd.DataFrame, published: pd.DataFrame, *, catalogue=None) -> pd.DataFrame:
    """One row per block and indicator: the latest value, its trend and the published judgement.

    Parameters
    ----------
    scorecard : DataFrame
        Rows of :func:`kccperf.load_scorecard`, usually for one area.
    published : DataFrame
        Rows of :func:`kccperf.load_published` for the same area.
    catalogue : Catalogue, optional
        Reference data; defaults to :func:`kccperf.load_catalogue`.

    Returns
    -------
    DataFrame
        Columns ``area, service, block, indicator, title, polarity, period_type,
        unit, latest_period, value, numerator, denominator, trend, target,
        rag_published, dot_published``; ``trend`` holds the series' values in
        period order (missing periods as NaN). Rows are ordered by service,
        block and the order the scorecard prints them.

    Examples
    --------
    >>> from kccperf import load_scorecard, load_published
    >>> s = indicator_summary(load_scorecard(area="Kent"), load_published(area="Kent"))
    >>> s.loc[s.indicator == "cic_kcc_foster_care", ["value", "rag_published"]].to_dict("records")
    [{'value': 73.1, 'rag_published': 'RED'}]
    """
    cat = catalogue or load_catalogue()
    ind = cat.indicators.set_index(I.indicator)
    keys = [S.area, S.block, S.indicator]
    ordered = scorecard.sort_values([*keys, S.period], kind="stable")
    trend = ordered.groupby(keys, sort=False)[S.value].agg(list).rename(IS.trend)
    labels = ordered.groupby(keys, sort=False)[S.period_label].agg(list).rename(IS.trend_periods)
    latest = ordered[ordered[S.is_latest]].set_index(keys)
    # Pair each value with the judgement printed beside it: the row from the table whose figures were kept.
    source = latest[S.source_file].rename(IS.kept_file)
    pub = published.join(source, on=keys)
    pub = (
        pub.assign(_other=pub[Published.source_file] != pub[IS.kept_file])
        .sort_values(["_other", Published.source_row], kind="stable")
        .drop_duplicates([Published.area, Published.block, Published.indicator])
        .set_index(keys)[[Published.rag, Published.direction, Published.target]]
        .rename(columns={Published.rag: IS.rag_published, Published.direction: IS.dot_published})
    )
    out = (
        latest[
            [
                S.title,
                S.polarity,
                S.period_type,
                S.period_label,
                S.value,
                S.numerator,
                S.denominator,
                S.source_file,
                S.source_row,
            ]
        ]
        .join([trend, labels])
        .join(pub)
    )
    out = out.rename(columns={S.period_label: Published.latest_period}).reset_index()
    out[I.service] = out[S.indicator].map(ind[I.service])
    out[I.unit] = out[S.indicator].map(ind[I.unit])
    out[IS.short_title] = out[S.indicator].map(ind[I.description])
    rank = {s: i for i, s in enumerate(_SERVICE_ORDER)}
    out = out.assign(_s=out[I.service].map(rank).fillna(len(rank)))
    out = out.sort_values(["_s", S.block, S.source_file, S.source_row], kind="stable")
    out[IS.rag_published] = as_rag(out[IS.rag_published])
    out[IS.dot_published] = out[IS.dot_published].fillna("")
    cols = [
        S.area,
        I.service,
        S.block,
        S.indicator,
        S.title,
        S.polarity,
        S.period_type,
        I.unit,
        Published.latest_period,
        S.value,
        S.numerator,
        S.denominator,
        IS.trend,
        IS.trend_periods,
        T.target,
        IS.rag_published,
        IS.dot_published,
    ]
    return out[cols].reset_index(drop=True)


def shown_rating(frame: pd.DataFrame) -> str:
    """The rating column a report shows of ``frame``: the first it has of ``rag_published`` (:func:`indicator_summary`),
    ``rating`` (:func:`kccperf.assess`: as published where printed) and ``rag`` (computed)."""
    return next((c for c in (IS.rag_published, A.rating, A.rag) if c in frame), A.rag)


def rag_counts(summary: pd.DataFrame, column: str | None = None) -> pd.DataFrame:
    """How many indicators are RED, AMBER and GREEN (and without a rating).

    Parameters
    ----------
    summary : DataFrame
        An :func:`indicator_summary` (counts its published ratings) or an :func:`kccperf.assess` result
        (counts its ``rating``: as published where printed, else computed).
    column : str, optional
        The rating column to count; by default the first the frame has of ``rag_published``,
        ``rating`` (:func:`kccperf.assess`) and ``rag``.

    Examples
    --------
    >>> rag_counts(pd.DataFrame({"rag_published": ["RED", "GREEN", "GREEN", ""]})).to_dict("records")
    [{'rag': 'RED', 'count': 1}, {'rag': 'AMBER', 'count': 0}, {'rag': 'GREEN', 'count': 2}, {'rag': 'Not rated', 'count': 1}]
    >>> rag_counts(pd.DataFrame({"rag": ["AMBER"]}))["count"].tolist()
    [0, 1, 0, 0]
    """
    if column is None:
        column = shown_rating(summary)
    if column not in summary:
        raise ParameterError(
            f"parameter 'column' is '{column}', which the frame does not have; expected a rating column such as "
            f"'{IS.rag_published}' (indicator_summary) or '{A.rag}' (assess)."
        )
    rag = summary[column].astype(object).where(summary[column].isin(RAGS), "Not rated")
    counts = rag.value_counts().reindex([*RAGS, "Not rated"], fill_value=0)
    return counts.rename_axis(A.rag).reset_index(name=RagCount.count)


def area_view(assessed: pd.DataFrame, area: str) -> pd.DataFrame:
    """One area's assessed rows in report order: by service, then as the scorecard prints them.

    Examples
    --------
    >>> import kccperf
    >>> v = area_view(kccperf.assess(kccperf.load_scorecard(area="Dover")), "dover")
    >>> v["service"].iloc[0], v["area"].unique().tolist()
    ("Children's social care", ['Dover'])
    >>> area_view(v, "Dovr")
    Traceback (most recent call last):
    ...
    kccperf.errors.ParameterError: area 'Dovr' is not known; expected one of: ...
    """
    rank = {s: i for i, s in enumerate(_SERVICE_ORDER)}
    # Sharing is seen across the areas, so it is found before the frame is narrowed to one of them.
    view = rows_of_area(assessed.assign(**{SharedTeam.shared_with: shared_with(assessed)}), area)
    view = view.assign(_s=view[I.service].map(rank).fillna(len(rank)), _o=range(len(view)))
    return view.sort_values(["_s", S.block, "_o"], kind="stable").drop(columns=["_s", "_o"]).reset_index(drop=True)


def shared_with(assessed: pd.DataFrame) -> pd.Series:
    """For each row, the other areas that print the same team block, joined with "and" ("" where none).

    A team block (Sevenoaks North & Tonbridge and Malling CSWT) printed on two districts' pages is one team:
    each page shows it, and a count across the districts counts it once (:func:`league_table`).

    Examples
    --------
    >>> f = pd.DataFrame({"area": ["Sevenoaks", "Tonbridge and Malling", "Dover"], "block": ["SNTM", "SNTM", "Dover"]})
    >>> shared_with(f).tolist()
    ['Tonbridge and Malling', 'Sevenoaks', '']
    """
    pairs = assessed.loc[assessed[S.block] != "", [S.block, S.area]].drop_duplicates()
    both = pairs.merge(pairs, on=S.block, suffixes=("", "_other"))
    both = both[both[S.area] != both[f"{S.area}_other"]]
    others = both.groupby([S.block, S.area])[f"{S.area}_other"].agg(" and ".join)
    key = pd.MultiIndex.from_frame(assessed[[S.block, S.area]])
    return pd.Series(others.reindex(key).fillna("").to_numpy(object), index=assessed.index, name=SharedTeam.shared_with)


def _require(frame: pd.DataFrame, columns: list[str], function: str, source: str) -> None:
    """One sentence naming the first missing column, instead of a bare KeyError."""
    missing = [c for c in columns if c not in frame]
    if missing:
        raise ParameterError(
            f"{function} needs the column '{missing[0]}', which the frame does not have; pass the result of {source}."
        )


def league_table(assessed: pd.DataFrame, *, county: str = "Kent") -> pd.DataFrame:
    """Districts side by side: how many indicators each has RED, AMBER and GREEN, the share GREEN, and how often it
    ranks in the best and worst quarter of the districts. Ordered by the share GREEN, then fewest RED.

    A team two districts share counts in each district's row; the last row adds up all districts and counts
    each team once (:func:`shared_with`). Rows without a figure (a rating printed with no value) are not counted,
    as on the districts' pages.

    Examples
    --------
    >>> import kccperf
    >>> lt = league_table(kccperf.assess(kccperf.load_scorecard()))
    >>> len(lt), list(lt.columns[:4]), lt["area"].iloc[-1]
    (13, ['area', 'RED', 'AMBER', 'GREEN'], 'All districts (each team once)')
    """
    rating = shown_rating(assessed)
    _require(assessed, [S.area, rating, A.quartile, A.rank], "league_table", "kccperf.assess")
    d = assessed[assessed[S.area] != county]
    if Suppression.suppressed in d:
        d = d[~d[Suppression.suppressed]]
    # Counted as each district's page counts them: a rating printed without a figure is not among its figures.
    d = d[d[A.value].notna()]
    # The ratings as the reports show them: as published where the scorecard printed one.
    counts = pd.crosstab(d[S.area], d[rating]).reindex(columns=list(RAGS), fill_value=0)
    quart = pd.crosstab(d[S.area], d[A.quartile]).reindex(columns=["A", "D"], fill_value=0)
    out = counts.join(quart.rename(columns={"A": LT.best_quarter, "D": LT.worst_quarter}))
    out[LT.median_rank] = d.groupby(S.area)[A.rank].median()
    # Districts rate different numbers of rows (shared teams, missing figures): compare shares, not counts.
    out[LT.rated] = out[list(RAGS)].sum(axis=1)
    out[LT.green_share] = (out["GREEN"] / out[LT.rated] * 100).round(0)
    out = out.sort_values([LT.green_share, "RED"], ascending=[False, True])
    return pd.concat([out.reset_index(), _all_districts(d, rating)], ignore_index=True)


ALL_DISTRICTS = "All districts (each team once)"


def _all_districts(d: pd.DataFrame, rating: str) -> pd.DataFrame:
    """The league table's last row: every district's ratings added up, a team printed by two districts counted once."""
    once = d.drop_duplicates([S.block, S.indicator]) if len(d) else d
    once = once[once[S.block] != ""]
    own = d[d[S.block] == ""]
    rows = pd.concat([own, once])
    total = rows[rating].value_counts().reindex(list(RAGS), fill_value=0)
    rated = int(total.sum())
    return pd.DataFrame(
        {
            S.area: [ALL_DISTRICTS],
            **{rag: [int(total[rag])] for rag in RAGS},
            LT.best_quarter: [int((rows[A.quartile] == "A").sum())],
            LT.worst_quarter: [int((rows[A.quartile] == "D").sum())],
            LT.median_rank: [np.nan],
            LT.rated: [rated],
            LT.green_share: [round(total["GREEN"] / rated * 100) if rated else np.nan],
        }
    )


def vulnerable_gaps(assessed: pd.DataFrame, *, county: str = "Kent") -> pd.DataFrame:
    """The county's attainment gaps for vulnerable learners (FSM, children in care, SEN) and Progress 8 by group."""
    d = assessed[
        (assessed[S.area] == county) & (assessed[I.service] == "Vulnerable learners")
        | (assessed[S.area] == county) & assessed[S.indicator].str.endswith("_fsm_gap")
    ]
    # The rating the report shows everywhere: the published one where printed, with its check; else the computed one.
    rated = [A.rating, RC.rating_check, RC.rating_check_reason] if A.rating in d and RC.rating_check in d else [A.rag]
    cols = [S.title, S.period_label, S.value, A.dot_compared_value, A.direction, T.target, *rated, S.england, S.regional, I.unit]
    return d[cols].reset_index(drop=True)


def up_to_assessed_period(series: pd.DataFrame, assessed: pd.DataFrame) -> pd.DataFrame:
    """The points of ``series`` up to each series' assessed period (:func:`kccperf.assess`).

    The assessment moves a figure printed under a later period than it covers to its true period; the
    later, repeated point is then not a figure of its own and is left out of the trend.

    Examples
    --------
    >>> series = pd.DataFrame({"block": "", "indicator": "a8", "period": ["2022-23", "2023-24"], "value": [47.0, 47.0]})
    >>> up_to_assessed_period(series, pd.DataFrame({"block": [""], "indicator": ["a8"], "period": ["2022-23"]}))["period"].tolist()
    ['2022-23']
    """
    keys = [S.block, S.indicator]
    last = assessed.drop_duplicates(keys).set_index(keys)[A.period]
    until = last.reindex(pd.MultiIndex.from_frame(series[keys])).to_numpy(object)
    # A series the assessment does not know keeps every point.
    keep = pd.isna(until) | (series[S.period].to_numpy(object) <= np.where(pd.isna(until), "", until).astype(str))
    return series[keep]
