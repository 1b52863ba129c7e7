"""True periods: figures printed under a later period than they cover.

The scorecard sometimes carries a figure forward into a column it does not belong to: Kent's
Attainment 8 is printed as "2023-24: 47.0" although 47.0 is the 2022-23 result (the 2023-24
results were postponed). The printed tables give it away in two ways:

- ``repeat``: the latest column repeats the previous column's figure (at the previous figure's printed
  precision, so 32.83 repeats 32.8), and does so for at least ``min_share`` of the areas and teams
  printing the indicator, or with more decimals than the previous figure. One district's figure that
  happens to equal last period's is not a sign on its own, nor is a whole number printed again (small
  counts repeat by chance);
- ``other_table``: another table prints the same figure for the same area under the earlier label;
- ``sources``: the data-sources page dates the latest figure to an earlier period than its column.

Such a figure gets its true period; the honest comparison is with the period before that, never
with the repeated figure itself.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schemas import IndicatorInfo as II
from ..schemas import Published as P
from ..schemas import Scorecard as S
from ..schemas import TruePeriod as TP
from ..schemas import TruePeriodWork as W
from ..scorecard import periods as PER

SERIES = [S.area, S.block, S.indicator]
COLUMNS = list(TP.to_schema().columns)
# A share of the series of one indicator: above it a repeated latest figure is the column's habit, not chance.
MIN_SHARE = 0.5


def _fmt(x: float) -> str:
    return f"{x:g}" if np.isfinite(x) else "N/A"


def _text(values: pd.Series) -> np.ndarray:
    """Any column as an object array of text (an empty frame's columns have no text type to add to)."""
    return values.astype(str).to_numpy(dtype=object)


def _figures(values: pd.Series) -> np.ndarray:
    return np.array([_fmt(x) for x in values.to_numpy(float)], dtype=object)


def with_previous(scorecard: pd.DataFrame) -> pd.DataFrame:
    """The scorecard with, on every row, the series' previous printed period, its figure and precision."""
    ordinal = PER.ordinals(scorecard[S.period].to_numpy(), scorecard[S.period_type].to_numpy())
    df = scorecard.assign(**{W.prev_period: ordinal}).sort_values([*SERIES, W.prev_period], kind="stable")
    g = df.groupby(SERIES, sort=False)
    decimals = df[S.decimals] if S.decimals in df else pd.Series(np.nan, index=df.index)
    return df.assign(
        **{
            W.prev_period: g[S.period].shift(1).fillna("").astype(str),
            W.prev_label: g[S.period_label].shift(1).fillna("").astype(str),
            W.prev_value: g[S.value].shift(1).astype(float),
            W.prev_decimals: decimals.groupby([df[c] for c in SERIES], sort=False).shift(1).astype(float),
        }
    )


def _equal_at_precision(value: np.ndarray, previous: np.ndarray, decimals: np.ndarray) -> np.ndarray:
    d = np.where(np.isfinite(decimals), decimals, 6).astype(int)
    scale = 10.0**d
    return np.isfinite(value) & np.isfinite(previous) & (np.abs(np.round(value * scale) / scale - previous) < 1e-9)


def _cases(rows: pd.DataFrame, lookup: pd.DataFrame, true_period: pd.Series, sign: str, evidence: pd.Series) -> pd.DataFrame:
    """Case rows: ``rows`` are the printed latest rows; the true period's own figure and its predecessor come from ``lookup``."""
    key = pd.MultiIndex.from_frame(rows[SERIES].assign(**{S.period: true_period.to_numpy()}))
    truth = lookup.set_index([*SERIES, S.period]).reindex(key)
    return pd.DataFrame(
        {
            TP.area: rows[S.area].to_numpy(),
            TP.block: rows[S.block].to_numpy(),
            TP.indicator: rows[S.indicator].to_numpy(),
            TP.period: rows[S.period].to_numpy(),
            TP.period_label: rows[S.period_label].to_numpy(),
            TP.value: rows[S.value].to_numpy(float),
            TP.true_period: true_period.to_numpy(),
            TP.true_label: truth[S.period_label].to_numpy(object),
            TP.true_value: truth[S.value].to_numpy(float),
            TP.compared_label: truth[W.prev_label].fillna("").to_numpy(object),
            TP.compared_value: truth[W.prev_value].to_numpy(float),
            TP.sign: sign,
            TP.evidence: evidence.to_numpy(object),
            TP.source_file: rows[S.source_file].to_numpy(),
            TP.source_row: rows[S.source_row].to_numpy(int),
        }
    )[COLUMNS]


def repeated_latest(scorecard: pd.DataFrame, *, min_share: float = MIN_SHARE) -> pd.DataFrame:
    """Latest figures that repeat the previous column's figure as a habit of the column (see the module docstring).

    Parameters
    ----------
    scorecard : DataFrame
        The long scorecard (:func:`kccperf.load_scorecard`), every period.
    min_share : float
        The share of an indicator's series (areas and team blocks with both figures) whose latest figure
        repeats the previous one, from which a repeat counts as a sign.

    Returns
    -------
    DataFrame
        Schema :class:`kccperf.schemas.TruePeriod`, sign ``repeat``.

    Examples
    --------
    >>> import kccperf
    >>> cases = repeated_latest(kccperf.load_scorecard("2024-10"))
    >>> cases.loc[(cases.area == "Kent") & (cases.indicator == "ks4_attainment8"),
    ...           ["period_label", "true_label", "value", "compared_label", "compared_value"]].values.tolist()
    [['2023-24', '2022-23', 47.0, '2021-22', 49.3]]
    """
    df = with_previous(scorecard)
    latest = df[df[S.is_latest]]
    v, pv = latest[S.value].to_numpy(float), latest[W.prev_value].to_numpy(float)
    dec = latest[S.decimals].to_numpy(float) if S.decimals in latest else np.full(len(latest), np.nan)
    pdec = latest[W.prev_decimals].to_numpy(float)
    # Whole numbers (small counts) repeat by chance far too often to be a sign.
    repeats = _equal_at_precision(v, pv, pdec) & ~((dec == 0) & (pdec == 0))
    more = repeats & np.isfinite(dec) & np.isfinite(pdec) & (dec > pdec)
    latest = latest.assign(**{W.repeats: repeats})
    pairs = np.isfinite(v) & np.isfinite(pv)
    by = [latest[S.indicator], latest[S.period]]
    n_repeat = pd.Series(repeats, index=latest.index).groupby(by).transform("sum").to_numpy(int)
    n_pairs = pd.Series(pairs, index=latest.index).groupby(by).transform("sum").to_numpy(int)
    habit = (n_repeat >= 2) & (n_repeat >= min_share * n_pairs)
    sign = repeats & (habit | more)
    rows = latest[sign]
    n_r, n_p, more_s = n_repeat[sign], n_pairs[sign], more[sign]
    evidence = (
        _text(rows[S.source_file])
        + " line "
        + _text(rows[S.source_row])
        + ": the "
        + _text(rows[S.period_label])
        + " column prints "
        + _figures(rows[S.value])
        + ", the "
        + _text(rows[W.prev_label])
        + " figure "
        + _figures(rows[W.prev_value])
        + np.where(more_s, " with more decimals", " again").astype(object)
        + " (as do "
        + n_r.astype(str).astype(object)
        + " of the "
        + n_p.astype(str).astype(object)
        + " areas and teams printing it)"
    )
    evidence = pd.Series(evidence, index=rows.index, dtype=object)
    return _cases(rows, df, rows[W.prev_period], "repeat", evidence)


def relabelled_latest(scorecard: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Figures another table prints for the same area under an earlier period label.

    ``published`` (:func:`kccperf.load_published`) gives each table's latest period for a series; where two
    tables disagree and the later column's figure equals the earlier column's, the earlier label is the true one.
    Returns schema :class:`kccperf.schemas.TruePeriod`, sign ``other_table``.
    """
    df = with_previous(scorecard)
    pub = published[[*SERIES, P.latest_period, P.source_file, P.source_row, P.table]]
    pub = pub[pub[P.latest_period] != ""].drop_duplicates([*SERIES, P.latest_period])
    pairs = pub.merge(pub, on=SERIES, suffixes=("", "_other"))
    other_period = P.latest_period + "_other"
    pairs = pairs[pairs[other_period] < pairs[P.latest_period]]
    values = df.set_index([*SERIES, S.period])
    late = values.reindex(pd.MultiIndex.from_frame(pairs[[*SERIES, P.latest_period]]))
    early = values.reindex(pd.MultiIndex.from_frame(pairs[[*SERIES, other_period]]))
    same = _equal_at_precision(late[S.value].to_numpy(float), early[S.value].to_numpy(float), early[S.decimals].to_numpy(float))
    hit, rows = pairs[same], late[same].reset_index().rename(columns={P.latest_period: S.period})
    rows = rows.assign(**{S.source_file: hit[P.source_file].to_numpy(), S.source_row: hit[P.source_row].to_numpy()})
    early_label = early[S.period_label][same].to_numpy(object)
    evidence = (
        hit[P.source_file + "_other"].to_numpy(object)
        + " line "
        + _text(hit[P.source_row + "_other"])
        + " prints "
        + _figures(rows[S.value])
        + " as "
        + early_label
        + ", where "
        + hit[P.source_file].to_numpy(object)
        + " line "
        + _text(hit[P.source_row])
        + " prints it as "
        + _text(rows[S.period_label])
    )
    return _cases(rows, df, hit[other_period].reset_index(drop=True), "other_table", pd.Series(evidence))


def sourced_latest(scorecard: pd.DataFrame, info: pd.DataFrame) -> pd.DataFrame:
    """Latest figures the data-sources page dates to an earlier period than the column they are printed in.

    ``info`` is :func:`kccperf.load_indicator_info` (``period_covered``, for districts
    ``period_covered_districts`` where the page names another). A figure is moved only where the earlier
    period's own figure is the same (at its printed precision): otherwise the page and the table disagree
    about more than the label. Returns schema :class:`kccperf.schemas.TruePeriod`, sign ``sources``.
    """
    df = with_previous(scorecard)
    latest = df[df[S.is_latest]]
    facts = info.set_index(II.indicator).reindex(latest[S.indicator])
    county = latest[S.area].eq("Kent").to_numpy()
    districts = facts[II.period_covered_districts].fillna("").to_numpy(object)
    label = np.where(county | (districts == ""), facts[II.period_covered].fillna("").to_numpy(object), districts)
    kinds = latest[S.period_type].map(PER.KIND_OF_PERIOD_TYPE).fillna("").to_numpy(object)
    pairs = pd.Series(list(zip(label, kinds, strict=True)), dtype=object)
    parsed = {p: PER.parse(p[0], p[1]) if p[0] and p[1] else None for p in set(pairs)}
    key = pairs.map(lambda p: parsed[p].key if parsed[p] else "").to_numpy(object)
    earlier = (key != "") & (key < latest[S.period].to_numpy(object))
    values = df.set_index([*SERIES, S.period])
    at = values.reindex(pd.MultiIndex.from_arrays([*(latest[c].to_numpy() for c in SERIES), key]))
    same = _equal_at_precision(latest[S.value].to_numpy(float), at[S.value].to_numpy(float), at[S.decimals].to_numpy(float))
    hit = earlier & same
    rows = latest[hit]
    line = facts[II.sources_line].astype("Int64").astype(str).to_numpy(object)[hit]
    evidence = (
        "the data-sources page (agenda pack line "
        + line
        + ") says the latest figure is '"
        + facts[II.latest_data].fillna("").to_numpy(object)[hit]
        + "', that is "
        + at[S.period_label].to_numpy(object)[hit]
        + ", not "
        + rows[S.period_label].to_numpy(object)
    )
    return _cases(rows, df, pd.Series(key[hit]), "sources", pd.Series(evidence))


def true_periods(
    scorecard: pd.DataFrame,
    published: pd.DataFrame | None = None,
    *,
    info: pd.DataFrame | None = None,
    min_share: float = MIN_SHARE,
) -> pd.DataFrame:
    """Every figure printed under a later period than it covers, one row per series with all its signs.

    Parameters
    ----------
    scorecard : DataFrame
        The long scorecard, every period.
    published : DataFrame, optional
        The printed judgements (:func:`kccperf.load_published`); without them only the ``repeat`` sign is read.
    info : DataFrame, optional
        The metadata pages (:func:`kccperf.load_indicator_info`): adds the ``sources`` sign.
    min_share : float
        See :func:`repeated_latest`.

    Returns
    -------
    DataFrame
        Schema :class:`kccperf.schemas.TruePeriod`; ``sign`` and ``evidence`` join the signs found
        (``repeat; other_table``). Where the signs name different true periods, the earliest is kept.
    """
    parts = [repeated_latest(scorecard, min_share=min_share)]
    if published is not None:
        parts.append(relabelled_latest(scorecard, published))
    if info is not None:
        parts.append(sourced_latest(scorecard, info))
    cases = pd.concat([p for p in parts if len(p)] or parts[:1], ignore_index=True)
    if cases.empty:
        return cases.astype({c: str for c in COLUMNS if c not in (TP.value, TP.true_value, TP.compared_value, TP.source_row)})
    key = [*SERIES, TP.period]
    cases = cases.sort_values([*key, TP.true_period], kind="stable")
    joined = cases.groupby(key, sort=False).agg({TP.sign: "; ".join, TP.evidence: "; ".join})
    first = cases.drop_duplicates(key).set_index(key)
    first[TP.sign] = joined[TP.sign]
    first[TP.evidence] = joined[TP.evidence]
    out = first.reset_index()[COLUMNS]
    return out if info is None else _note_sources_disagree(out, info)


def _note_sources_disagree(cases: pd.DataFrame, info: pd.DataFrame) -> pd.DataFrame:
    """Say so where the repeat is the only sign and the data-sources page dates the figure to its own column.

    The repeat is kept as a sign (a rolling twelve-month rate that every team prints unchanged was not
    refreshed), but the reader is told the page says otherwise, so the claim rests on the repeat alone.
    """
    facts = info.set_index(II.indicator).reindex(cases[TP.indicator])
    districts = facts[II.period_covered_districts].fillna("").to_numpy(object)
    county = cases[TP.area].eq("Kent").to_numpy()
    covered = np.where(county | (districts == ""), facts[II.period_covered].fillna("").to_numpy(object), districts)
    alone = (cases[TP.sign] == "repeat").to_numpy() & (covered == cases[TP.period_label].to_numpy(object))
    note = (
        "; the data-sources page gives '"
        + facts[II.latest_data].fillna("").to_numpy(object)
        + "', the column's own period, so this rests on the repeat alone: the "
        + cases[TP.period_label].to_numpy(object)
        + " figure appears not to have been refreshed"
    )
    return cases.assign(**{TP.evidence: np.where(alone, cases[TP.evidence].to_numpy(object) + note, cases[TP.evidence])})


def with_true_periods(scorecard: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """The scorecard with each case's misplaced figure removed, so that its series ends at the true period.

    The true period's row becomes the latest (``is_latest``); assessing the result compares the figure
    with the period before it and rates it against that period's target.
    """
    if cases.empty:
        return scorecard
    printed = pd.MultiIndex.from_frame(cases[[*SERIES, TP.period]])
    true = pd.MultiIndex.from_frame(cases[[*SERIES, TP.true_period]])
    key = pd.MultiIndex.from_frame(scorecard[[*SERIES, S.period]])
    out = scorecard[~key.isin(printed)]
    if S.is_latest in out:
        key = pd.MultiIndex.from_frame(out[[*SERIES, S.period]])
        out = out.assign(**{S.is_latest: out[S.is_latest].to_numpy() | key.isin(true)})
    return out.reset_index(drop=True)
