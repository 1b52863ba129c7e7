"""Commentary drafts: one sentence per indicator, in the scorecard's style, from the data alone.

Analysts edit these drafts. Every number in a sentence is a figure of the row it
describes (value, target, floor or range, the compared value, the benchmarks), so
a test can check each against the data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._format import format_value
from ..errors import ValidationError
from ..schemas import Assessed as A
from ..schemas import Commentary as C
from ..schemas import Indicator as I
from ..schemas import PublishedRating as PR
from ..schemas import RatingCheck as RC
from ..schemas import Scorecard as S
from ..schemas import Suppression, as_rag
from ..schemas import Target as T


def _fmt(values: pd.Series, units: pd.Series) -> pd.Series:
    # Formatting text, element by element, is inherent to writing sentences.
    return pd.Series([format_value(v, u) for v, u in zip(values.to_numpy(float), units)], index=values.index)


def commentary(assessed: pd.DataFrame, *, county: str = "Kent") -> pd.DataFrame:
    """Draft one sentence per indicator from an assessed frame.

    Parameters
    ----------
    assessed : DataFrame
        The output of :func:`kccperf.assess` (needs ``title`` and ``unit``, as assess returns them
        for frames from :func:`kccperf.load_scorecard`).
    county : str
        The county's name, used when a district is compared with it.

    Returns
    -------
    DataFrame
        ``area, block, indicator, rag, sentence``: a new frame in the input's order; ``rag`` is the rating the
        report shows (``rating`` of :func:`kccperf.assess`: as printed where the scorecard printed one).

    Examples
    --------
    >>> import kccperf
    >>> c = commentary(kccperf.assess(kccperf.load_scorecard(area="Kent")))
    >>> c.loc[c.indicator == "cic_kcc_foster_care", "sentence"].item()  # doctest: +NORMALIZE_WHITESPACE
    'Percentage of CIC Foster Care in KCC Foster Care/Rel & Friends placements (exc UASC) was 73.1% in Oct-24:
    RED, below the floor standard of 75.0% (target 85.0%); it improved from 72.7% in Sep-24;
    no England figure for this period, no benchmark-group figure for this period.'
    """
    needed = (
        S.area,
        S.block,
        S.indicator,
        S.polarity,
        S.value,
        S.period_label,
        T.target,
        T.floor,
        T.range_low,
        T.range_high,
        A.rag,
        A.rag_reason,
        A.direction,
        A.dot_compared_label,
        A.dot_compared_value,
        A.dot_reason,
        S.england,
        S.regional,
    )
    if not isinstance(assessed, pd.DataFrame) or any(c not in assessed.columns for c in needed):
        have = assessed.columns if isinstance(assessed, pd.DataFrame) else []
        missing = next(c for c in needed if c not in have) if isinstance(assessed, pd.DataFrame) else needed[0]
        raise ValidationError(
            f"commentary: column '{missing}' is missing; expected the frame kccperf.assess() returns (assess the scorecard first)."
        )
    a = assessed
    unit = a[I.unit].fillna("") if I.unit in a else pd.Series("", index=a.index)
    f = {
        c: _fmt(a[c], unit)
        for c in (
            S.value,
            T.target,
            T.floor,
            T.range_low,
            T.range_high,
            A.dot_compared_value,
            S.england,
            S.regional,
            A.county_value,
        )
    }
    nan = pd.Series(np.nan, index=a.index)
    for c in (T.floor_low, T.floor_high):
        f[c] = _fmt(a[c] if c in a else nan, unit)
    title = a[S.title].fillna(a[S.indicator]) if S.title in a else a[S.indicator]
    # Name the team where a district prints several.
    title = title + np.where(a[S.block] != "", " (" + a[S.block] + ")", "")
    pol, rag = a[S.polarity].to_numpy(object), a[A.rag].fillna("").to_numpy(object)
    # The rating a report shows (as printed, where the scorecard printed one) heads each draft.
    shown = a[A.rating].fillna("").to_numpy(object) if A.rating in a else rag
    printed = a[PR.published_rag].fillna("").to_numpy(object) if PR.published_rag in a else np.full(len(a), "", dtype=object)
    has_range = (a[T.range_low].notna() & a[T.range_high].notna()).to_numpy()
    target_text = np.where(
        has_range, "the target range of " + f[T.range_low] + " to " + f[T.range_high], "the target of " + f[T.target]
    )
    # For T indicators the floor is a distance from the target.
    inferred = (a[T.floor_source] == "inferred").to_numpy() if T.floor_source in a else np.zeros(len(a), dtype=bool)
    floor_text = np.where(
        pol == "T", "the floor standard (within " + f[T.floor] + " of the target", "the floor standard of " + f[T.floor]
    )
    floor_text = floor_text + np.where(
        inferred,
        np.where(pol == "T", "; inferred from the published ratings)", " (inferred from the published ratings)"),
        np.where(pol == "T", ")", ""),
    )
    red_word = np.where(pol == "L", "above", np.where(pol == "T", "outside", "below"))
    target_short = np.where(has_range, f[T.range_low] + " to " + f[T.range_high], f[T.target])
    judgement = np.select(
        [rag == "GREEN", rag == "AMBER", rag == "RED"],
        [
            "GREEN, meeting " + target_text,
            "AMBER, missing " + target_text + " but meeting " + floor_text,
            "RED, " + red_word + " " + floor_text + " (target " + target_short + ")",
        ],
        default="not rated (" + a[A.rag_reason].fillna("").to_numpy(object) + ")",
    )
    # Missing the target with no published floor: not AMBER or RED until a floor is published.
    bounds = (a[T.floor_low] if T.floor_low in a else nan).notna() & (a[T.floor_high] if T.floor_high in a else nan).notna()
    no_floor = (rag == "") & a[S.value].notna().to_numpy() & (a[T.target].notna().to_numpy() | has_range)
    no_floor &= a[A.rag_reason].fillna("").str.contains("floor not", regex=False).to_numpy()
    judgement = np.where(
        no_floor,
        "missing "
        + target_text
        + "; the floor standard is not published, so "
        + np.where(
            np.isin(printed, ["AMBER", "RED"]), "the printed " + printed + " cannot be checked", "AMBER or RED cannot be decided"
        )
        + np.where(
            bounds.to_numpy(),
            " (the published ratings imply a floor between " + f[T.floor_low] + " and " + f[T.floor_high] + ")",
            "",
        ),
        judgement,
    )
    # A printed rating the figures contradict or cannot check is said so beside the computed one.
    check = a[RC.rating_check].fillna("").to_numpy(object) if RC.rating_check in a else np.full(len(a), "", dtype=object)
    judgement = np.where(check == "disagrees", judgement + " (the scorecard printed " + printed + ")", judgement)
    unchecked = (check == "cannot be checked") & ~no_floor
    judgement = np.where(
        unchecked, judgement + " (the scorecard printed " + printed + ", which the published figures cannot check)", judgement
    )
    dot = a[A.direction].fillna("").to_numpy(object)
    when = a[A.dot_compared_label].fillna("").to_numpy(object)
    travel = np.select(
        [dot == "improved", dot == "worsened", dot == "same"],
        [
            "it improved from " + f[A.dot_compared_value] + " in " + when,
            "it worsened from " + f[A.dot_compared_value] + " in " + when,
            "it is unchanged from " + f[A.dot_compared_value] + " in " + when,
        ],
        default="no comparison with an earlier period is possible (" + a[A.dot_reason].fillna("").to_numpy(object) + ")",
    )
    vs = {"better": "better", "worse": "worse", "same": "no better"}
    eng_cmp = a[A.vs_england].fillna("").map(vs).fillna("")
    reg_cmp = a[A.vs_regional].fillna("").map(vs).fillna("")
    # Name the comparators as printed: "England & Wales" and "the South East" for youth justice, for example.
    elabel = a[S.england_label].fillna("") if S.england_label in a else pd.Series("", index=a.index)
    rlabel = a[S.regional_label].fillna("") if S.regional_label in a else pd.Series("", index=a.index)
    england_name = np.where(elabel.str.startswith("England & Wales"), "England & Wales", "England").astype(object)
    south_east = rlabel.str.startswith("South East").to_numpy()
    regional_name = np.where(south_east, "the South East", "benchmark group").astype(object)
    regional_short = np.where(south_east, "the South East", "the group").astype(object)
    england = np.where(
        a[S.england].notna(),
        england_name + " " + f[S.england] + np.where(eng_cmp != "", " (" + eng_cmp + " than " + england_name + ")", ""),
        "no England figure for this period",
    )
    regional = np.where(
        a[S.regional].notna(),
        regional_name + " " + f[S.regional] + np.where(reg_cmp != "", " (" + reg_cmp + " than " + regional_short + ")", ""),
        "no benchmark-group figure for this period",
    )
    county_clause = np.where(
        a[A.county_value].notna() if A.county_value in a else False,
        ", " + county + " " + f[A.county_value],
        "",
    )
    sentence = (
        title
        + " was "
        + f[S.value]
        + " in "
        + a[S.period_label].fillna("")
        + ": "
        + judgement
        + "; "
        + travel
        + "; "
        + england
        + ", "
        + regional
        + county_clause
        + "."
    )
    no_value = title + ": no value was published for " + a[S.period_label].fillna("")
    no_value = no_value + np.where(printed != "", ", although the scorecard printed " + printed, "")
    sentence = np.where(a[S.value].isna(), no_value + ".", sentence)
    if Suppression.suppressed in a:
        # A withheld figure must not reappear in words.
        sentence = np.where(
            a[Suppression.suppressed].to_numpy(bool),
            title + ": the figure for " + a[S.period_label].fillna("") + " is withheld because it is based on small numbers.",
            sentence,
        )
    return pd.DataFrame(
        {C.area: a[S.area], C.block: a[S.block], C.indicator: a[S.indicator], C.rag: as_rag(shown), C.sentence: sentence}
    ).reset_index(drop=True)
