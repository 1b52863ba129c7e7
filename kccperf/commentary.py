"""Commentary drafts: one sentence per indicator, in the scorecard's style, from the data alone.

Analysts edit these drafts. Every number in a sentence is a figure of the row it
describes (value, target, floor or range, the compared value, the benchmarks), so
a test can check each against the data.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ._format import format_value
from .errors import ValidationError


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
        ``area, block, indicator, rag, sentence``: a new frame in the input's order.

    Examples
    --------
    >>> import kccperf
    >>> c = commentary(kccperf.assess(kccperf.load_scorecard(area="Kent")))
    >>> c.loc[c.indicator == "cic_kcc_foster_care", "sentence"].item()  # doctest: +NORMALIZE_WHITESPACE
    'Percentage of CIC Foster Care in KCC Foster Care/Rel & Friends placements (exc UASC) was 73.1% in Oct-24:
    RED, below the floor standard of 75.0% (target 85.0%); it improved from 72.7% in Sep-24;
    England average not published, benchmark group not published.'
    """
    needed = ("area", "block", "indicator", "polarity", "value", "period_label", "target", "floor", "range_low", "range_high",
              "rag", "rag_reason", "dot", "dot_compared_label", "dot_compared_value", "dot_reason", "england", "regional")
    if not isinstance(assessed, pd.DataFrame) or any(c not in assessed.columns for c in needed):
        have = assessed.columns if isinstance(assessed, pd.DataFrame) else []
        missing = next(c for c in needed if c not in have) if isinstance(assessed, pd.DataFrame) else needed[0]
        raise ValidationError(
            f"commentary: column '{missing}' is missing; expected the frame kccperf.assess() returns (assess the scorecard first)."
        )
    a = assessed
    unit = a["unit"].fillna("") if "unit" in a else pd.Series("", index=a.index)
    f = {
        c: _fmt(a[c], unit)
        for c in (
            "value",
            "target",
            "floor",
            "range_low",
            "range_high",
            "dot_compared_value",
            "england",
            "regional",
            "county_value",
        )
    }
    title = a["title"].fillna(a["indicator"]) if "title" in a else a["indicator"]
    # Name the team where a district prints several.
    title = title + np.where(a["block"] != "", " (" + a["block"] + ")", "")
    pol, rag = a["polarity"].to_numpy(object), a["rag"].fillna("").to_numpy(object)
    has_range = (a["range_low"].notna() & a["range_high"].notna()).to_numpy()
    target_text = np.where(
        has_range, "the target range of " + f["range_low"] + " to " + f["range_high"], "the target of " + f["target"]
    )
    # For T indicators the floor is a distance from the target.
    inferred = (a["floor_source"] == "inferred").to_numpy() if "floor_source" in a else np.zeros(len(a), dtype=bool)
    floor_text = np.where(pol == "T", "the floor standard (within " + f["floor"] + " of the target", "the floor standard of " + f["floor"])
    floor_text = floor_text + np.where(
        inferred,
        np.where(pol == "T", "; inferred from the published ratings)", " (inferred from the published ratings)"),
        np.where(pol == "T", ")", ""),
    )
    red_word = np.where(pol == "L", "above", np.where(pol == "T", "outside", "below"))
    target_short = np.where(has_range, f["range_low"] + " to " + f["range_high"], f["target"])
    judgement = np.select(
        [rag == "GREEN", rag == "AMBER", rag == "RED"],
        [
            "GREEN, meeting " + target_text,
            "AMBER, missing " + target_text + " but meeting " + floor_text,
            "RED, " + red_word + " " + floor_text + " (target " + target_short + ")",
        ],
        default="not rated (" + a["rag_reason"].fillna("").to_numpy(object) + ")",
    )
    dot = a["dot"].fillna("").to_numpy(object)
    when = a["dot_compared_label"].fillna("").to_numpy(object)
    travel = np.select(
        [dot == "improved", dot == "worsened", dot == "same"],
        [
            "it improved from " + f["dot_compared_value"] + " in " + when,
            "it worsened from " + f["dot_compared_value"] + " in " + when,
            "it is unchanged from " + f["dot_compared_value"] + " in " + when,
        ],
        default="no comparison with an earlier period is possible (" + a["dot_reason"].fillna("").to_numpy(object) + ")",
    )
    vs = {"better": "better", "worse": "worse", "same": "no better"}
    eng_cmp = a["vs_england"].fillna("").map(vs).fillna("")
    reg_cmp = a["vs_regional"].fillna("").map(vs).fillna("")
    # Name the comparators as printed: "England & Wales" and "the South East" for youth justice, for example.
    elabel = a["england_label"].fillna("") if "england_label" in a else pd.Series("", index=a.index)
    rlabel = a["regional_label"].fillna("") if "regional_label" in a else pd.Series("", index=a.index)
    england_name = np.where(elabel.str.startswith("England & Wales"), "England & Wales", "England").astype(object)
    south_east = rlabel.str.startswith("South East").to_numpy()
    regional_name = np.where(south_east, "the South East", "benchmark group").astype(object)
    regional_short = np.where(south_east, "the South East", "the group").astype(object)
    england = np.where(
        a["england"].notna(),
        england_name + " " + f["england"] + np.where(eng_cmp != "", " (" + eng_cmp + " than " + england_name + ")", ""),
        "England average not published",
    )
    regional = np.where(
        a["regional"].notna(),
        regional_name + " " + f["regional"] + np.where(reg_cmp != "", " (" + reg_cmp + " than " + regional_short + ")", ""),
        "benchmark group not published",
    )
    county_clause = np.where(
        a["county_value"].notna() if "county_value" in a else False,
        ", " + county + " " + f["county_value"],
        "",
    )
    sentence = (
        title
        + " was "
        + f["value"]
        + " in "
        + a["period_label"].fillna("")
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
    sentence = np.where(a["value"].isna(), title + ": no value was published for " + a["period_label"].fillna("") + ".", sentence)
    if "suppressed" in a:
        # A withheld figure must not reappear in words.
        sentence = np.where(a["suppressed"].to_numpy(bool), title + ": the figure for " + a["period_label"].fillna("") + " is withheld because it is based on small numbers.", sentence)
    return pd.DataFrame(
        {"area": a["area"], "block": a["block"], "indicator": a["indicator"], "rag": rag, "sentence": sentence}
    ).reset_index(drop=True)
