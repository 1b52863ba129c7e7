"""Findings in plain words for directors: one sentence each, with the indicator's title.

The analyst's view of a finding (:class:`kccperf.schemas.Finding`) names its category, the internal
indicator id, the file and the row. Directors get none of those: the sentence says what was printed,
what the printed figures show instead and, where the evidence supports one, why.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..schemas import Finding as F
from ..schemas import FindingSentence as FS
from .ratings import says_covered_year_unset

ARROW_WORDS = {"↑": "↑ (improved)", "↓": "↓ (worsened)", "↔": "↔ (no change)"}
BETTER = {"H": "higher", "L": "lower"}


def finding_sentences(findings: pd.DataFrame, titles: pd.Series) -> pd.DataFrame:
    """One plain sentence per finding.

    Parameters
    ----------
    findings : DataFrame
        Schema :class:`kccperf.schemas.Finding` (:func:`kccperf.reconcile`).
    titles : Series
        Indicator titles indexed by indicator id (the catalogue's ``title``).

    Returns
    -------
    DataFrame
        Schema :class:`kccperf.schemas.FindingSentence`, one row per finding in the same order.

    Examples
    --------
    >>> f = pd.DataFrame({"area": ["Kent"], "block": [""], "indicator": ["x"], "category": ["rag_unchecked"],
    ...                   "published": ["GREEN"], "computed": ["not rated: no target"], "explanation": ["..."],
    ...                   "source_file": ["raw/kent.tsv"], "source_row": [4]})
    >>> finding_sentences(f, pd.Series({"x": "Number of exclusions"}))["sentence"].item()
    'Number of exclusions: rated GREEN although no target is published, so the rating cannot be checked.'
    """
    cat = findings[F.category].to_numpy(object)
    pub = findings[F.published].astype(str).to_numpy(object)
    comp = findings[F.computed].astype(str).to_numpy(object)
    why = findings[F.explanation].astype(str).to_numpy(object)
    arrow = np.array([ARROW_WORDS.get(a, a) for a in pub], dtype=object)
    title = findings[F.indicator].map(titles).fillna("An indicator").astype(str).to_numpy(object)
    shared = np.char.find(why.astype(str), "shared block") >= 0
    # Only the part of the reason before the evidence, which names files and lines.
    plain_why = np.array([w.split(" raw/")[0].split("; raw/")[0] for w in why], dtype=object)
    texts = {
        "value_vs_fraction": "the published figure "
        + pub
        + " does not agree with its own numerator and denominator: "
        + plain_why,
        "rag": plain_why,
        "rag_unchecked": np.where(
            says_covered_year_unset(why),
            "rated " + pub + ", but " + plain_why,
            "rated " + pub + " although no target is published, so the rating cannot be checked",
        ),
        "floor_interval": "rated "
        + pub
        + ", which no single floor explains together with the other published ratings of this indicator",
        "dot": "the published arrow " + arrow + " does not match the printed figures, which show " + comp + "; " + plain_why,
        "dot_unchecked": "the published arrow " + arrow + " cannot be confirmed from the printed figures; " + plain_why,
        "true_period": "printed as " + pub + ", but " + comp,
        "conflicting_figures": np.where(
            shared,
            "a team shared by two districts is printed with different figures on their pages (" + pub + ")",
            "printed as " + pub + " in one table and " + comp,
        ),
        "impossible_value": pub + " is " + plain_why,
        "implausible_target": "the target " + pub + " is worth checking: " + plain_why,
        "code_contradicts_title": "the code printed beside it (" + pub + ") belongs to another indicator",
        "polarity": "most published ratings and arrows read as if "
        + np.array([BETTER.get(c, c) for c in comp], dtype=object)
        + " were better, although the scorecard says "
        + np.array([BETTER.get(p, p) for p in pub], dtype=object)
        + " is better",
    }
    sentence = np.full(len(findings), "", dtype=object)
    for name, text in texts.items():
        hit = cat == name
        sentence[hit] = np.broadcast_to(np.asarray(text, dtype=object), sentence.shape)[hit]
    sentence = np.where(sentence == "", plain_why, sentence)
    return pd.DataFrame(
        {
            FS.area: findings[F.area].to_numpy(),
            FS.block: findings[F.block].to_numpy(),
            FS.title: title,
            FS.sentence: title + ": " + sentence + ".",
        }
    )
