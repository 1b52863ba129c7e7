"""The assessment: every judgement the scorecard makes, computed from the data and explained."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..errors import ValidationError
from ..schemas import Assessed as A
from ..schemas import Direction as D
from ..schemas import Indicator as I
from ..schemas import Scorecard as S
from ..schemas import Target as T
from ..schemas import as_rag
from ..scorecard import periods as P
from ..scorecard.catalogue import load_catalogue
from .benchmark import benchmark
from .printed_targets import row_targets, with_printed_targets
from .rag import rag_arrays
from .ratings import with_published_ratings
from .travel import direction
from .true_periods import repeated_latest, with_true_periods

KEY = [S.area, S.block, S.indicator, S.period]
REQUIRED = (S.area, S.block, S.indicator, S.polarity, S.period_type, S.period, S.value)
TARGET_COLUMNS = (S.indicator, T.year, T.target, T.floor, T.range_low, T.range_high)


def _rows(mask, frame: pd.DataFrame, limit: int = 5) -> str:
    idx = frame.index[np.asarray(mask)][:limit]
    return ", ".join(map(str, idx))


def validate_input(df: pd.DataFrame, targets: pd.DataFrame) -> None:
    """Raise ValidationError naming the offending rows when ``df`` or ``targets`` cannot be assessed."""
    if not isinstance(df, pd.DataFrame):
        raise ValidationError(f"assess: expected a DataFrame such as kccperf.load_scorecard() returns, got {type(df).__name__}.")
    if df.empty:
        raise ValidationError("assess: the frame has no rows; expected at least one area, block, indicator and period.")
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise ValidationError(f"assess: column '{missing[0]}' is missing; expected columns {', '.join(REQUIRED)}.")
    missing_t = [c for c in TARGET_COLUMNS if c not in targets.columns]
    if missing_t:
        raise ValidationError(f"assess: the targets frame lacks column '{missing_t[0]}'; expected {', '.join(TARGET_COLUMNS)}.")
    bad = ~df[S.polarity].isin(["H", "L", "T"])
    if bad.any():
        raise ValidationError(
            f"assess: rows {_rows(bad, df)}, column 'polarity': expected H, L or T, found {df.loc[bad, S.polarity].iloc[0]!r}."
        )
    bad = ~df[S.period_type].isin(list(P.KIND_OF_PERIOD_TYPE))
    if bad.any():
        raise ValidationError(
            f"assess: rows {_rows(bad, df)}, column 'period_type': expected MS, R12M, Q, T or A, "
            f"found {df.loc[bad, S.period_type].iloc[0]!r}."
        )
    for col in (S.value, S.numerator, S.denominator):
        if col in df.columns and not pd.api.types.is_numeric_dtype(df[col]):
            coerced = pd.to_numeric(df[col], errors="coerce")
            bad = coerced.isna() & df[col].notna()
            if bad.any():
                raise ValidationError(
                    f"assess: rows {_rows(bad, df)}, column '{col}': expected a number, found {df.loc[bad, col].iloc[0]!r}."
                )


def _fmt_bound(x: np.ndarray) -> np.ndarray:
    return np.array([f"{v:g}" if np.isfinite(v) else "?" for v in x], dtype=object)


def _floor_words(
    reason: np.ndarray, rag: np.ndarray, inferred: np.ndarray, bounds, provisional: bool, polarity: np.ndarray
) -> np.ndarray:
    """Say what an inferred floor is: never a standard, at most a provisional rating. A closest-to-target
    indicator's floor is a distance from its target, not a level."""
    low, high = _fmt_bound(bounds[0]), _fmt_bound(bounds[1])
    interval = np.where(
        np.asarray(polarity, dtype=object) == "T",
        "the published ratings imply a floor of within " + low + " to " + high + " of the target",
        "the published ratings imply a floor between " + low + " and " + high,
    ).astype(object)
    reason = np.asarray(reason, dtype=object)
    if provisional:
        tail = np.where(np.isin(rag, ["AMBER", "RED"]), " (provisional: floor not published; " + interval + ")", "")
        return np.where(inferred, reason + tail, reason)
    unknown = np.char.endswith(reason.astype(str), "; floor not known")
    fixed = np.char.replace(reason.astype(str), "; floor not known", "; floor not published; ").astype(object) + interval
    return np.where(inferred & unknown, fixed, reason)


def assess(
    df: pd.DataFrame,
    *,
    targets: pd.DataFrame | None = None,
    indicators: pd.DataFrame | None = None,
    county: str = "Kent",
    true_periods: bool | pd.DataFrame = True,
    provisional: bool = False,
    published: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Compute RAG, direction of travel and benchmark comparisons for each series at its latest period.

    Parameters
    ----------
    df : DataFrame
        The long scorecard from :func:`kccperf.load_scorecard` (or any frame with ``area, block,
        indicator, polarity, period_type, period, value``; optional ``numerator, denominator,
        decimals, england, regional``).
    targets : DataFrame, optional
        Targets, floors and ranges per indicator and reporting year; defaults to
        ``data/reference/targets.csv``.
    indicators : DataFrame, optional
        The catalogue (``indicator, seasonal, unit``); defaults to ``data/reference/indicators.csv``.
    county : str
        The county area: comparator for the districts and excluded from their ranks.
    true_periods : bool or DataFrame
        Give a figure printed under a later period than it covers its true period: it is compared with the
        period before that and rated against that period's target. ``True`` finds them in ``df`` itself
        (:func:`kccperf.judge.true_periods.repeated_latest`: the repeat is judged across the areas in ``df``, so
        assess the whole scorecard, not one area); a frame of :func:`kccperf.judge.true_periods.true_periods`
        uses those cases; ``False`` takes every figure at its printed period.
    provisional : bool
        Rate AMBER or RED against floors inferred from the published ratings (provenance ``inferred`` in
        ``targets.csv``), for analysts' own use. Off by default and in circulated reports: an inferred floor
        is not a standard, so a value that misses its target without a stated floor is not rated AMBER or RED
        and its reason says "floor not published; the published ratings imply a floor between X and Y".
    published : DataFrame, optional
        The printed judgements (:func:`kccperf.load_published`): the targets this edition printed take the place of
        ``targets``' (:func:`kccperf.judge.printed_targets.with_printed_targets`), and it adds the rating the scorecard printed for each
        row and its check (``published_rag``, ``rating_check``, ``rating_check_reason``; see
        :func:`kccperf.judge.ratings.with_published_ratings`). Circulated reports show these.
        Either way ``rating`` is the rating a report shows: the printed one where the scorecard printed
        one, else the computed ``rag``; ``rating_basis`` says which.

    Returns
    -------
    DataFrame
        A new frame, one row per area, block and indicator at its latest period, with the targets used,
        ``rag``, ``rag_reason``, ``dot``, ``dot_arrow``, ``dot_compared_label``, ``dot_reason`` and the
        benchmark columns of :func:`kccperf.benchmark.benchmark`.

    Raises
    ------
    ValidationError
        A required column is missing, a polarity or period type is unknown, a value is not numeric
        or one area, block, indicator and period appears twice; nothing is computed.

    Examples
    --------
    >>> import kccperf
    >>> a = assess(kccperf.load_scorecard(area="Kent"))
    >>> a.loc[a.indicator == "cic_kcc_foster_care", ["value", "rag", "rag_reason", "direction"]].values.tolist()
    [[73.1, 'RED', 'below floor 75.0', 'improved']]
    """
    cat = None
    if targets is None or indicators is None:
        cat = load_catalogue()
    targets = cat.targets if targets is None else targets
    indicators = cat.indicators if indicators is None else indicators
    if published is not None:
        # A figure is rated against the target its own edition printed, which may differ from the reference file's.
        targets = with_printed_targets(targets, published, county)
    validate_input(df, targets)
    df = df.assign(**{S.value: pd.to_numeric(df[S.value])})
    if isinstance(true_periods, pd.DataFrame):
        df = with_true_periods(df, true_periods)
    elif true_periods and {S.is_latest, S.period_label, S.decimals, S.source_file, S.source_row} <= set(df.columns):
        df = with_true_periods(df, repeated_latest(df))
    for col in (S.numerator, S.denominator, S.decimals, S.england, S.regional):
        df = df.assign(**{col: pd.to_numeric(df[col]) if col in df.columns else np.nan})
    ind = indicators.drop_duplicates(S.indicator).set_index(S.indicator)
    # Catalogue facts per row, looked up once per distinct indicator.
    codes, uniq = pd.factorize(df[S.indicator])
    seasonal = ind[I.seasonal].reindex(uniq).fillna(False).astype(bool).to_numpy()[codes] if I.seasonal in ind else False
    df = df.assign(**{I.seasonal: seasonal})

    dot = direction(df, targets=targets)
    latest = df.iloc[dot[D.row].to_numpy()].reset_index(drop=True)
    latest[I.unit] = ind[I.unit].reindex(latest[S.indicator]).fillna("").to_numpy() if I.unit in ind else ""
    latest[I.service] = ind[I.service].reindex(latest[S.indicator]).fillna("").to_numpy() if I.service in ind else ""
    years = P.reporting_years(latest[S.period].to_numpy(), latest[S.period_type].to_numpy())
    tgt = targets.drop_duplicates([S.indicator, T.year]).set_index([S.indicator, T.year])
    tkey = pd.MultiIndex.from_arrays([latest[S.indicator].to_numpy(), years])
    for col in (T.target, T.floor, T.range_low, T.range_high):
        latest[col] = tgt[col].reindex(tkey).to_numpy(dtype=float)
    if published is not None:
        # A row printed with a target of its own (a district's) is rated against that one.
        own = row_targets(published).reindex(
            pd.MultiIndex.from_arrays(
                [latest[S.area].to_numpy(), latest[S.block].to_numpy(), latest[S.indicator].to_numpy(), years]
            )
        )
        latest[T.target] = np.where(np.isfinite(own.to_numpy(float)), own.to_numpy(float), latest[T.target].to_numpy(float))
    if T.applies_to in tgt:
        # Some targets are the county's alone (the district tables print N/A): districts are not rated on them.
        county_only = (tgt[T.applies_to].reindex(tkey).to_numpy(object) == "county") & (latest[S.area] != county).to_numpy()
        latest.loc[county_only, [T.target, T.floor, T.range_low, T.range_high]] = np.nan
    latest[T.floor_source] = tgt[T.floor_source].reindex(tkey).fillna("").to_numpy() if T.floor_source in tgt else ""
    inferred = (latest[T.floor_source] == "inferred").to_numpy()
    bounds = [
        tgt[c].reindex(tkey).to_numpy(dtype=float) if c in tgt else np.full(len(latest), np.nan)
        for c in (T.floor_low, T.floor_high)
    ]
    if not provisional:
        latest.loc[inferred, T.floor] = np.nan
    # The interval the published ratings imply, where a floor was inferred: shown as that, never as a standard.
    latest[T.floor_low] = np.where(inferred, bounds[0], np.nan)
    latest[T.floor_high] = np.where(inferred, bounds[1], np.nan)
    latest[A.target_year] = years
    latest[S.period_label] = P.labels(latest[S.period].to_numpy(), latest[S.period_type].to_numpy())

    r, why = rag_arrays(
        latest[S.value], latest[S.polarity], latest[T.target], latest[T.floor], latest[T.range_low], latest[T.range_high]
    )
    why = _floor_words(why, r, inferred, bounds, provisional, latest[S.polarity].to_numpy(object))
    dcols = [A.direction, A.dot_arrow, A.dot_compared_period, A.dot_compared_label, A.dot_compared_value, A.dot_reason]
    # The previous period's value judged against the same thresholds: what changed since then.
    prev_rag, _ = rag_arrays(
        dot[A.dot_compared_value],
        latest[S.polarity],
        latest[T.target],
        latest[T.floor],
        latest[T.range_low],
        latest[T.range_high],
    )
    out = latest.assign(
        **{A.rag: as_rag(r), A.rag_reason: why, A.previous_rag: as_rag(prev_rag)}, **{c: dot[c].to_numpy() for c in dcols}
    )
    out = benchmark(out, county=county)
    front = [
        S.area,
        S.block,
        S.indicator,
        S.title,
        S.polarity,
        S.period_type,
        S.period,
        S.period_label,
        S.value,
        S.numerator,
        S.denominator,
        A.target_year,
        T.target,
        T.floor,
        T.floor_source,
        T.floor_low,
        T.floor_high,
        T.range_low,
        T.range_high,
        A.rag,
        A.rag_reason,
        A.previous_rag,
        *dcols,
    ]
    front = [c for c in front if c in out.columns]
    drop = {S.is_latest, S.source_file, S.source_row, S.table, S.code_published, I.seasonal}
    rest = [c for c in out.columns if c not in front and c not in drop]
    out = out[front + rest].reset_index(drop=True)
    return with_published_ratings(out, published)
