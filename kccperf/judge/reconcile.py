"""Reconciliation: every published figure and judgement against the one computed from the data.

Nothing is corrected. Each disagreement becomes one row with what was published, what was
computed, a category and the most likely cause in plain English; agreements are counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._paths import data_root
from ..schemas import Anomaly as L
from ..schemas import Area
from ..schemas import Assessed as A
from ..schemas import Block as B
from ..schemas import Finding as F
from ..schemas import FindingSummary as FS
from ..schemas import Fraction as FR
from ..schemas import Indicator as I
from ..schemas import InferredFloor as IF
from ..schemas import JudgedRag as J
from ..schemas import PolarityCheck as PC
from ..schemas import PolarityFit as PF
from ..schemas import Published as P
from ..schemas import RatingCheck as RC
from ..schemas import ReconcileWork as W
from ..schemas import Scorecard as S
from ..schemas import Target as T
from ..schemas import TargetCheck as TC
from ..schemas import TruePeriod as TP
from ..schemas import UnexplainedRag as UR
from ..scorecard.cache import read_derived, write_derived
from ..scorecard.catalogue import _read_reference, load_catalogue
from ..scorecard.editions import load_published, load_quality_log, load_scorecard, resolve_period, results_key
from ..scorecard.metadata import load_indicator_info
from .assess import assess
from .floors import infer_floors, judged_rows, polarity_check, unexplained_rags
from .more_checks import percent_vs_counts_findings, previous_year_findings
from .plain import finding_sentences
from .plausible import implausible_targets
from .ratings import check_ratings, meets_floor, meets_target, moved_reason
from .true_periods import SERIES, true_periods

FINDING_COLUMNS = list(F.to_schema().columns)
CATEGORIES = {
    "value_vs_fraction": "value disagrees with its numerator and denominator",
    "rag": "published RAG contradicted by its target or a stated floor",
    "dot": "published direction of travel differs from the computed one",
    "dot_unchecked": "published direction of travel that the printed series cannot confirm",
    "conflicting_figures": "one indicator printed with different figures",
    "impossible_value": "a value that cannot be right",
    "code_contradicts_title": "the printed code belongs to another indicator",
    "polarity": "published judgements fit the opposite polarity",
    "true_period": "a figure printed under a later period than it covers",
    "rag_unchecked": "published RAG that no published target can check",
    "previous_year": "last year's printed rating contradicted by last year's printed outturn and target",
    "percent_vs_counts": "a percentage that its own count rows, printed with it, do not give",
    "floor_interval": "AMBER or RED that no single floor, inferred from the published ratings themselves, explains (counted apart: not a check)",
    "implausible_target": "a target far from the neighbouring years' targets or on the easy side of every benchmark (a flag for checking, not an error)",
}
# Categories that ask for a second look rather than report a disagreement: counted and listed as flags.
FLAGS = frozenset({"implausible_target"})


@dataclass(frozen=True)
class Reconciliation:
    """Disagreements (one row each) and, per category, how many checks agreed."""

    findings: pd.DataFrame
    agreed: pd.DataFrame
    titles: pd.Series | None = None

    def in_words(self, area: str | None = None) -> pd.DataFrame:
        """The findings (about one area, or all) in one plain sentence each, for directors' pages.

        No category id, internal indicator id, file or row number: those stay in :attr:`findings`. Each case is
        said once: a figure printed under a later period (``true_period``) also makes its arrow disagree (``dot``),
        and its ``true_period`` sentence already gives the printed arrow and the one the figures show.
        """
        f = self.findings if area is None else self.for_area(area)
        key = [F.area, F.block, F.indicator]
        moved = f.loc[f[F.category] == "true_period", key].drop_duplicates()
        said = f[key].merge(moved, how="left", indicator=True)["_merge"].eq("both").to_numpy()
        f = f[~(said & (f[F.category] == "dot").to_numpy())]
        titles = self.titles if self.titles is not None else pd.Series(dtype=str)
        return finding_sentences(f, titles)

    def for_area(self, area: str) -> pd.DataFrame:
        """The findings about one area (indicator-wide findings, such as polarity, are included)."""
        f = self.findings
        return f[(f[F.area] == area) | (f[F.area] == "")].reset_index(drop=True)

    def summary(self) -> pd.DataFrame:
        """Per category: checks agreeing, disagreements, and what the category means."""
        dis = self.findings.groupby(F.category).size().rename(FS.disagree)
        # Every category is listed, also when nothing was checked or found (a clean month).
        out = self.agreed.set_index(FS.category).join(dis, how="outer").reindex(sorted(CATEGORIES)).fillna(0).astype(int)
        out.index.name = FS.category
        out[FS.meaning] = out.index.map(CATEGORIES)
        return out.reset_index()


NO_EXPLANATION = "no explanation found in the printed figures"
# Said beside a rating or arrow left unexplained when most, not all, of its indicator's judgements fit the opposite
# polarity: a reader sees the polarity finding too and should not take it as this one's cause.
PARTLY_REVERSED = (
    "most of this indicator's published ratings and arrows read as if the other direction were better, but not all, so "
    "that is not taken as the cause"
)


def _partly_reversed(findings: pd.DataFrame, flipped: pd.Series) -> pd.DataFrame:
    """``findings`` with :data:`PARTLY_REVERSED` added to each unexplained rating or arrow of a ``flipped`` indicator."""
    hit = (
        findings[F.category].isin(["rag", "dot"])
        & findings[F.indicator].isin(flipped)
        & findings[F.explanation].str.endswith(NO_EXPLANATION)
    )
    return findings.assign(
        **{F.explanation: findings[F.explanation].where(~hit, findings[F.explanation] + " (" + PARTLY_REVERSED + ")")}
    )


def _fmt(x) -> str:
    return "" if x is None or (isinstance(x, float) and np.isnan(x)) else f"{x:g}"


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=FINDING_COLUMNS)
    # An empty frame has no values to infer text columns from: give it the schema's types (a clean month).
    return frame if len(frame) else frame.astype({c: str for c in FINDING_COLUMNS if c != F.source_row})


def published_context(
    published: pd.DataFrame, scorecard: pd.DataFrame, catalogue, cases: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Assess each printed row on its own terms: its series up to the period the row reports, its year's targets.

    One row per published row (same order), so tables that print one indicator for different latest
    periods (the vulnerable-learner tables) are each judged against what they showed. Every figure
    is taken at its printed period unless ``cases`` (:func:`kccperf.judge.true_periods.true_periods`)
    are given: those figures are then taken at their true period.
    """
    rows = published[[P.area, P.block, P.indicator, P.latest_period]].reset_index(drop=True)
    rows[W.rowid] = rows.index.astype(str)
    moved: bool | pd.DataFrame = False
    if cases is not None:
        moved = cases.merge(rows[[*SERIES, W.rowid]], on=SERIES)
        moved = moved.assign(**{TP.area: moved[W.rowid], TP.block: ""}).drop(columns=W.rowid)
    series = scorecard.merge(rows, on=[S.area, S.block, S.indicator])
    series = series[series[S.period] <= series[P.latest_period]]
    counties = catalogue.areas.loc[catalogue.areas[Area.kind] == "county", Area.area]
    own = series[S.area].isin(counties)
    series = series.assign(**{S.area: series[W.rowid], S.block: ""}).drop(columns=[W.rowid, P.latest_period])
    # Each row is its own "area" here, so assess cannot tell the county's rows by name: the county's rows are
    # judged with every target, the districts' without the targets that apply to the county alone.
    county_targets = catalogue.targets.drop(columns=[T.applies_to], errors="ignore")
    parts = [(series[own], county_targets), (series[~own], catalogue.targets)]
    judged = pd.concat(
        [
            assess(part, targets=t, indicators=catalogue.indicators, county="", true_periods=moved)
            for part, t in parts
            if len(part)
        ],
        ignore_index=True,
    )
    return judged.set_index(A.area).reindex(rows[W.rowid]).reset_index(drop=True)


def _value_findings(scorecard: pd.DataFrame, log: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    mism = log[log[L.category] == "value_mismatch"][[L.source_file, L.row, L.expected]].rename(columns={L.row: S.source_row})
    lat = scorecard[scorecard[S.is_latest]]
    s = (
        mism.astype({S.source_row: int})
        .merge(lat, on=[S.source_file, S.source_row])
        .drop_duplicates([S.source_file, S.source_row])
    )
    v, num, den = s[S.value].to_numpy(float), s[S.numerator].to_numpy(float), s[S.denominator].to_numpy(float)
    implied = v / 100 * den
    share = s[L.expected].astype(float).to_numpy()
    d = s[S.decimals].fillna(1).to_numpy(float).astype(int)
    # The reader logs a figure only when no rounding of the printed counts gives it: the gap is not rounding.
    gap = [
        f"the counts give {c:.{k + 1}f}, {abs(c - x):.{k + 1}f} from the printed {x:g}: more than rounding to "
        f"{k} decimal place{'s' if k != 1 else ''} allows (at most {0.5 * 10.0**-k:g}); no explanation found in the printed figures"
        for c, x, k in zip(share, v, d, strict=True)
    ]
    why = np.select(
        [np.abs(implied - num * 10) <= 10, np.abs(implied * 10 - num) <= 10],
        [
            "the numerator appears to have lost a digit: "
            + s[S.value].map(_fmt).astype(object)
            + "% of "
            + s[S.denominator].map("{:,g}".format).astype(object)
            + " is about "
            + pd.Series(implied).map("{:,.0f}".format).to_numpy(object),
            "the numerator appears to have gained a digit",
        ],
        default=np.asarray(gap, dtype=object),
    )
    rows = pd.DataFrame(
        {
            F.area: s[S.area],
            F.block: s[S.block],
            F.indicator: s[S.indicator],
            F.category: "value_vs_fraction",
            F.published: s[S.value].map(_fmt).astype(object)
            + " ("
            + s[S.numerator].map("{:,g}".format).astype(object)
            + " / "
            + s[S.denominator].map("{:,g}".format).astype(object)
            + ")",
            F.computed: s[L.expected],
            F.explanation: why,
            F.source_file: s[S.source_file],
            F.source_row: s[S.source_row],
        }
    )
    checked = int((scorecard[S.is_latest] & scorecard[S.numerator].notna() & scorecard[S.denominator].gt(0)).sum())
    return rows[FINDING_COLUMNS].reset_index(drop=True), checked - len(rows)


def _reversed_everywhere(context: pd.DataFrame, published: pd.DataFrame) -> set[str]:
    """Indicators whose every published rating and arrow, in every area, the opposite polarity explains.

    Only then is "opposite polarity" a cause; where it explains some rows and not others it explains nothing.
    """
    pol = context[A.polarity].fillna("").to_numpy(object)
    rev = np.where(pol == "H", "L", np.where(pol == "L", "H", ""))
    v, pv = context[A.value].to_numpy(float), context[A.dot_compared_value].to_numpy(float)
    t = context[A.target].to_numpy(float)
    nan = np.full(len(v), np.nan)
    pr, pa_ = published[P.rag].to_numpy(object), published[P.direction].to_numpy(object)
    rated, arrowed = np.isin(pr, ["RED", "AMBER", "GREEN"]), np.isin(pa_, ["↑", "↓", "↔"])

    def fits(polarity) -> np.ndarray:
        rag_ok = ((pr == "GREEN") == meets_target(v, polarity, t, nan, nan)) & np.isfinite(v) & np.isfinite(t)
        return np.where(rated, rag_ok, True) & np.where(arrowed, _arrow(v, pv, polarity) == pa_, True)

    as_printed, as_reversed = fits(pol), fits(rev)
    frame = pd.DataFrame(
        {
            F.indicator: published[P.indicator].to_numpy(),
            F.published: as_reversed & (rev != ""),
            F.computed: ~as_printed,
        }
    )[rated | arrowed]
    agg = frame.groupby(F.indicator).agg({F.published: "all", F.computed: "any"})
    return set(agg.index[agg[F.published] & agg[F.computed]])


def _arrow(now, before, polarity) -> np.ndarray:
    gain = np.where(polarity == "H", now - before, np.where(polarity == "L", before - now, np.nan))
    return np.select([~np.isfinite(gain), np.abs(gain) < 1e-9, gain > 0], ["", "↔", "↑"], default="↓")


def _rag_findings(
    context: pd.DataFrame, published: pd.DataFrame, reversed_ok: set[str], printed: pd.DataFrame
) -> tuple[pd.DataFrame, int]:
    """Published ratings checked only where the target or a stated floor decides them (:mod:`kccperf.judge.ratings`).

    ``context`` holds each figure at the period it covers, with that year's target (as the reports check it);
    ``printed`` is the same figures at the period they were printed under, with the target the scorecard rated
    them against.
    """
    mask = published[P.rag].isin(["RED", "AMBER", "GREEN"]).to_numpy()
    pub = published[mask]
    got = context[mask]
    printed_t = printed[A.target][mask].to_numpy(float)
    printed_year = printed[A.target_year][mask].fillna("").to_numpy(object)
    v, pol = got[A.value].to_numpy(float), got[A.polarity].to_numpy(object)
    t = got[A.target].to_numpy(float)
    lo, hi = got[T.range_low].to_numpy(float), got[T.range_high].to_numpy(float)
    pr = pub[P.rag].to_numpy(object)
    checks = check_ratings(pr, v, pol, t, lo, hi, got[A.floor].to_numpy(float), got[A.floor_source].fillna("").to_numpy(object))
    status = checks[RC.rating_check].to_numpy(object)
    green = pr == "GREEN"
    # A cause is named only when its comparison gives the published GREEN / not-GREEN and the ordinary one does not.
    prev_t, pv = pub[P.prev_target].to_numpy(float), got[A.dot_compared_value].to_numpy(float)
    rev = np.where(pol == "H", "L", np.where(pol == "L", "H", "T"))
    nan = np.full(len(v), np.nan)
    # A figure printed under a later period was rated against that period's target, not its own year's.
    moved = np.isfinite(printed_t) & ~(np.abs(printed_t - t) <= 1e-9)
    target_decides = np.isfinite(v) & (np.isfinite(t) | (np.isfinite(lo) & np.isfinite(hi)))
    # Where the year the figure covers has no target, the reason says which target the scorecard used instead.
    unset = moved & ~target_decides & np.isfinite(v)
    said = moved_reason(printed_t, printed_year, got[A.target_year].fillna("").to_numpy(object), unset)
    hyps = [
        (said, np.where(moved, meets_target(v, pol, printed_t, lo, hi), ~green)),
        (
            "the rating matches last year's target " + pd.Series(prev_t).map(_fmt).to_numpy(object),
            meets_target(v, pol, prev_t, lo, hi) & np.isfinite(prev_t),
        ),
        (
            "the rating fits the opposite polarity, which explains this indicator's ratings and arrows in every area",
            np.where(pub[P.indicator].isin(reversed_ok), meets_target(v, rev, t, nan, nan), ~green),
        ),
        (
            "the rating matches the previous period's figure " + pd.Series(pv).map(_fmt).to_numpy(object),
            meets_target(pv, pol, t, lo, hi) & np.isfinite(pv),
        ),
    ]
    cause = np.full(len(pub), "", dtype=object)
    for text, alt in hyps:
        fill = (cause == "") & (alt == green)
        cause[fill] = np.broadcast_to(np.asarray(text, dtype=object), cause.shape)[fill]
    reason = checks[RC.rating_check_reason].to_numpy(object)
    explanation = np.where(cause == "", reason + "; " + NO_EXPLANATION, reason + "; " + cause)
    explanation = np.where(unset, said, np.where(target_decides, explanation, reason))
    bad = status == "disagrees"
    no_target = status == "cannot be checked"
    no_target &= ~target_decides
    meets = meets_target(v, pol, t, lo, hi)
    stated = got[A.floor_source].fillna("").to_numpy(object) == "stated"
    floor_rag = np.where(meets_floor(v, pol, t, got[A.floor].to_numpy(float)), "AMBER", "RED")
    computed = np.select([~np.isfinite(v), meets, stated], ["not rated: no figure", "GREEN", floor_rag], default="not GREEN")
    keep = bad | no_target
    sub = pub[keep]
    category = np.where(bad[keep], "rag", "rag_unchecked")
    rows = _row_findings(
        sub, category, sub[P.rag].to_numpy(), np.where(no_target[keep], "not rated: no target", computed[keep]), explanation[keep]
    )
    # Agreements: the target confirms GREEN / not-GREEN and no stated floor contradicts AMBER / RED.
    return rows, int((checks[RC.target_agrees].to_numpy() & ~bad).sum())


def _floor_interval_findings(published: pd.DataFrame, scorecard: pd.DataFrame, targets: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Whether the AMBERs and REDs of each indicator and year fit one floor, inferred afresh from those same ratings.

    Counted apart from the checks: a floor fitted to the ratings cannot check them, only show that no
    single floor explains them all. Nothing here reads an inferred floor from ``targets.csv``.
    """
    judged = judged_rows(published, scorecard, targets)
    stated = targets[targets[T.floor_source] == "stated"]
    floors = infer_floors(judged, stated)
    unexplained = unexplained_rags(judged, floors)
    bad = unexplained[unexplained[UR.reason].str.contains("floor", regex=False)]
    fl = floors.set_index([IF.indicator, IF.year])
    key = pd.MultiIndex.from_frame(bad[[J.indicator, J.year]])
    low, high = fl[IF.floor_low].reindex(key).to_numpy(float), fl[IF.floor_high].reindex(key).to_numpy(float)
    n_ok, n_all = fl[IF.n_explained].reindex(key).to_numpy(float), fl[IF.n_rags].reindex(key).to_numpy(float)
    explanation = (
        "no single floor explains every AMBER and RED of this indicator in "
        + bad[J.year].astype(object)
        + ": the floor explaining most of them ("
        + pd.Series(n_ok).map(_fmt).to_numpy(object)
        + " of "
        + pd.Series(n_all).map(_fmt).to_numpy(object)
        + ") lies between "
        + pd.Series(low).map(_fmt).to_numpy(object)
        + " and "
        + pd.Series(high).map(_fmt).to_numpy(object)
        + ", and this "
        + bad[J.rag].astype(object)
        + " at "
        + bad[J.value].map(_fmt).astype(object)
        + " falls on the other side"
    )
    rows = pd.DataFrame(
        {
            F.area: bad[J.area],
            F.block: bad[J.block],
            F.indicator: bad[J.indicator],
            F.category: "floor_interval",
            F.published: bad[J.rag].astype(str),  # text, as every finding's (the rating is a categorical)
            F.computed: np.where(bad[J.rag] == "RED", "AMBER", "RED"),
            F.explanation: explanation,
            F.source_file: bad[J.source_file],
            F.source_row: bad[J.source_row].astype(int),
        }
    )[FINDING_COLUMNS]
    checked = int(floors[IF.n_rags].sum()) if len(floors) else 0
    return rows.reset_index(drop=True), checked - len(rows)


def _case_of_row(published: pd.DataFrame, cases: pd.DataFrame) -> pd.DataFrame:
    """For each published row (same order), the true-period case of the figure it reports (NaN where none)."""
    key = pd.MultiIndex.from_frame(published[[*SERIES, P.latest_period]])
    return cases.drop_duplicates([*SERIES, TP.period]).set_index([*SERIES, TP.period]).reindex(key).reset_index(drop=True)


def _true_period_findings(
    cases: pd.DataFrame, published: pd.DataFrame, context: pd.DataFrame, scorecard: pd.DataFrame
) -> tuple[pd.DataFrame, int]:
    """Each figure printed under a later period than it covers, with its evidence and the honest comparison."""
    row_case = _case_of_row(published, cases)
    has = row_case[TP.true_period].notna().to_numpy()
    arrows = pd.DataFrame(
        {
            **{c: published[c].to_numpy()[has] for c in SERIES},
            TP.period: published[P.latest_period].to_numpy()[has],
            F.published: published[P.direction].to_numpy()[has],
            A.dot_arrow: context[A.dot_arrow].fillna("").to_numpy()[has],
            A.direction: context[A.direction].fillna("").to_numpy()[has],
        }
    ).drop_duplicates([*SERIES, TP.period])
    c = cases.merge(arrows, on=[*SERIES, TP.period], how="left")
    printed = c[F.published].fillna("").to_numpy(object)
    true = c[A.dot_arrow].fillna("").to_numpy(object)
    comparison = np.where(
        c[TP.compared_value].notna(),
        "; against "
        + c[TP.compared_label].astype(object)
        + " ("
        + c[TP.compared_value].map(_fmt).astype(object)
        + ") "
        + np.where(true == "", "it cannot be compared", true + " " + c[A.direction].fillna("").astype(object)),
        "; no earlier figure to compare it with",
    )
    verdict = np.select(
        [printed == "", printed == true],
        ["", "; the published arrow " + printed + " matches that comparison"],
        default="; the published arrow " + printed + " does not match that comparison",
    )
    rows = pd.DataFrame(
        {
            F.area: c[TP.area],
            F.block: c[TP.block],
            F.indicator: c[TP.indicator],
            F.category: "true_period",
            F.published: c[TP.value].map(_fmt).astype(object)
            + " for "
            + c[TP.period_label].astype(object)
            + np.where(printed == "", "", " with the arrow " + printed),
            F.computed: c[TP.value].map(_fmt).astype(object)
            + " is the "
            + c[TP.true_label].astype(object)
            + " figure"
            + comparison,
            F.explanation: c[TP.evidence].astype(object) + verdict,
            F.source_file: c[TP.source_file],
            F.source_row: c[TP.source_row].astype(int),
        }
    )[FINDING_COLUMNS]
    latest = scorecard[scorecard[S.is_latest] & scorecard[S.value].notna()]
    return rows, max(len(latest) - len(rows), 0)


def _dot_findings(
    context: pd.DataFrame, published: pd.DataFrame, cases: pd.DataFrame, reversed_ok: set[str]
) -> tuple[pd.DataFrame, int]:
    mask = published[P.direction].isin(["↑", "↓", "↔"]).to_numpy()
    pub = published[mask]
    got = context[mask]
    row_case = _case_of_row(published, cases)[mask]
    comp = got[A.dot_arrow].fillna("").to_numpy(object)
    pd_ = pub[P.direction].to_numpy(object)
    agree = comp == pd_
    v, pv = got[A.value].to_numpy(float), got[A.dot_compared_value].to_numpy(float)
    pol = got[A.polarity].to_numpy(object)
    outturn = pub[P.prev_outturn].to_numpy(float)
    rev = np.where(pol == "H", "L", np.where(pol == "L", "H", "T"))
    everywhere = pub[P.indicator].isin(reversed_ok).to_numpy()
    # A cause is named only when its comparison gives the published arrow (the ordinary one does not: these disagree).
    hyps = [
        (
            "the published arrow compares with last year's outturn " + pd.Series(outturn).map(_fmt).to_numpy(object),
            _arrow(v, outturn, pol),
        ),
        (
            "the published arrow fits the opposite polarity, which explains this indicator's ratings and arrows in every area",
            np.where(everywhere, _arrow(v, pv, rev), ""),
        ),
    ]
    explanation = np.full(len(pub), "", dtype=object)
    moved = row_case[TP.true_period].notna().to_numpy()
    explanation = np.where(
        moved & (pd_ == "↔"),
        "the "
        + row_case[TP.period_label].fillna("").astype(object).to_numpy()
        + " column repeats the "
        + row_case[TP.true_label].fillna("").astype(object).to_numpy()
        + " figure, so the published arrow compares the figure with itself",
        explanation,
    )
    for text, alt in hyps:
        fill = (explanation == "") & (alt == pd_) & (alt != "")
        explanation[fill] = np.broadcast_to(np.asarray(text, dtype=object), explanation.shape)[fill]
    reason = got[A.dot_reason].fillna("").to_numpy(object)
    seasonal = np.char.find(reason.astype(str), "seasonal") >= 0
    explanation = np.where(
        (explanation == "") & (comp == "") & seasonal,
        "the indicator is seasonally affected, so it should be compared with the same period a year earlier, which the table does not print",
        explanation,
    )
    explanation = np.where(explanation == "", NO_EXPLANATION, explanation)
    bad = ~agree
    sub = pub[bad]
    computed_text = np.where(
        comp[bad] == "", "not comparable: " + reason[bad], comp[bad] + " " + got[A.direction].to_numpy(object)[bad]
    )
    # An arrow the printed series cannot confirm is not a contradiction: keep it apart.
    category = np.where(comp[bad] == "", "dot_unchecked", "dot")
    rows = _row_findings(sub, category, sub[P.direction].to_numpy(), computed_text, explanation[bad])
    return rows, int(agree.sum())


def _row_findings(rows: pd.DataFrame, category, published, computed, explanation) -> pd.DataFrame:
    """Findings about printed rows (``area, block, indicator, source_file, source_row``)."""
    return pd.DataFrame(
        {
            F.area: rows[P.area].to_numpy(),
            F.block: rows[P.block].to_numpy(),
            F.indicator: rows[P.indicator].to_numpy(),
            F.category: category,
            F.published: published,
            F.computed: computed,
            F.explanation: explanation,
            F.source_file: rows[P.source_file].to_numpy(),
            F.source_row: rows[P.source_row].to_numpy(),
        }
    )[FINDING_COLUMNS]


def _log_findings(log: pd.DataFrame, category: str, published: pd.Series, computed: pd.Series) -> pd.DataFrame:
    """Findings taken over from the reader's quality log, one per logged row."""
    return pd.DataFrame(
        {
            F.area: log[L.area],
            F.block: log[L.block],
            F.indicator: log[L.indicator],
            F.category: category,
            F.published: published,
            F.computed: computed,
            F.explanation: log[L.message],
            F.source_file: log[L.source_file],
            F.source_row: log[L.row].astype(int),
        }
    )[FINDING_COLUMNS]


def _conflict_findings(scorecard: pd.DataFrame, log: pd.DataFrame, blocks: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    conflicts = log[log[L.category] == "conflicting_figures"]
    printed = _log_findings(
        conflicts,
        "conflicting_figures",
        conflicts[L.found] + " (" + conflicts[L.column] + ")",
        conflicts[L.expected] + " in the other table",
    )
    # Shared team blocks are printed on two districts' pages: their figures must match.
    shared = set(blocks.loc[blocks[B.areas].str.contains("|", regex=False), B.block])
    sb = scorecard[scorecard[S.block].isin(shared)]
    keys = [S.block, S.indicator, S.period]
    spread = sb.groupby(keys)[S.value].transform(lambda v: v.nunique(dropna=False))
    differ = sb[spread > 1].assign(**{W.shown: lambda d: d[S.area] + ": " + d[S.value].map(_fmt).astype(object)})
    grouped = differ.groupby(keys, sort=False)
    first = grouped.first().reset_index()
    shared_rows = pd.DataFrame(
        {
            F.area: first[S.area],
            F.block: first[S.block],
            F.indicator: first[S.indicator],
            F.category: "conflicting_figures",
            F.published: grouped[W.shown].agg("; ".join).to_numpy(),
            F.computed: "one figure for a shared block",
            F.explanation: "the shared block is printed with different figures on two districts' pages ("
            + first[S.period_label]
            + ")",
            F.source_file: first[S.source_file],
            F.source_row: first[S.source_row].astype(int),
        }
    )[FINDING_COLUMNS]
    agree = int(sb.groupby(keys)[S.value].nunique(dropna=False).le(1).sum())
    return pd.concat([printed, shared_rows], ignore_index=True), agree


def _impossible_findings(scorecard: pd.DataFrame, log: pd.DataFrame, units: pd.Series) -> tuple[pd.DataFrame, int]:
    unit = scorecard[S.indicator].map(units).fillna("")
    neg = scorecard[S.value].lt(0) & unit.isin(["percent", "count", "days", "caseload", "rate"])
    over = scorecard[S.value].gt(100) & unit.eq("percent")
    frac = scorecard[S.numerator].gt(scorecard[S.denominator]) & unit.eq("percent")
    bad = scorecard[neg | over | frac]
    kind = [over[bad.index], neg[bad.index]]
    why = np.select(
        kind,
        ["a percentage over 100", "a negative figure for a quantity that cannot be negative"],
        default="a numerator larger than its denominator",
    )
    allowed = np.select(kind, ["0-100", "0 or more"], default="numerator no larger than denominator")
    rows = pd.DataFrame(
        {
            F.area: bad[S.area],
            F.block: bad[S.block],
            F.indicator: bad[S.indicator],
            F.category: "impossible_value",
            F.published: bad[S.value].map(_fmt).astype(object) + " (" + bad[S.period_label] + ")",
            F.computed: allowed,
            F.explanation: why,
            F.source_file: bad[S.source_file],
            F.source_row: bad[S.source_row],
        }
    )
    return rows[FINDING_COLUMNS].reset_index(drop=True), int(scorecard[S.value].notna().sum() - len(bad))


def _code_findings(log: pd.DataFrame, published: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    wrong = log[(log[L.category] == "wrong_code") & log[L.message].str.contains("belongs to")]
    rows = _log_findings(wrong, "code_contradicts_title", wrong[L.found], wrong[L.expected])
    return rows, int((published[P.code_published] != "").sum() - len(rows))


def _no_fractions() -> pd.DataFrame:
    return pd.DataFrame(columns=list(FR.to_schema().columns), dtype=str)


def load_fractions(data_dir=None) -> pd.DataFrame:
    """``data/reference/fractions.csv``: percentages and the count rows that are their numerator and denominator."""
    path = data_root(data_dir) / "reference" / "fractions.csv"
    return _read_reference("fractions.csv", FR, data_dir) if path.is_file() else _no_fractions()


def _no_target_checks() -> pd.DataFrame:
    return pd.DataFrame({TC.check: pd.Series(dtype=str), TC.threshold: pd.Series(dtype=float), TC.meaning: pd.Series(dtype=str)})


def load_target_checks(data_dir=None) -> pd.DataFrame:
    """``data/reference/target_checks.csv``: thresholds that flag a printed target for checking (none if absent)."""
    path = data_root(data_dir) / "reference" / "target_checks.csv"
    return _read_reference("target_checks.csv", TC, data_dir) if path.is_file() else _no_target_checks()


def reconcile_frames(
    scorecard, published, log, assessed, catalogue, fractions=None, info=None, target_checks=None
) -> Reconciliation:
    """Reconcile already-loaded frames (the pure core of :func:`reconcile`)."""
    parts, agreed = [], []
    units = catalogue.indicators.set_index(I.indicator)[I.unit]
    polarity = catalogue.indicators.drop_duplicates(I.indicator).set_index(I.indicator)[I.polarity]
    counties = catalogue.areas.loc[catalogue.areas[Area.kind] == "county", Area.area]
    context = published_context(published, scorecard, catalogue)
    cases = true_periods(scorecard, published, info=info)
    true_context = published_context(published, scorecard, catalogue, cases)
    reversed_ok = _reversed_everywhere(true_context, published)
    for cat_name, (frame, ok) in {
        "value_vs_fraction": _value_findings(scorecard, log),
        "rag": _rag_findings(true_context, published, reversed_ok, context),
        "floor_interval": _floor_interval_findings(published, scorecard, catalogue.targets),
        "dot": _dot_findings(true_context, published, cases, reversed_ok),
        "true_period": _true_period_findings(cases, published, true_context, scorecard),
        "conflicting_figures": _conflict_findings(scorecard, log, catalogue.blocks),
        "impossible_value": _impossible_findings(scorecard, log, units),
        "code_contradicts_title": _code_findings(log, published),
        "previous_year": previous_year_findings(published, catalogue.indicators, catalogue.targets),
        "percent_vs_counts": percent_vs_counts_findings(scorecard, fractions if fractions is not None else _no_fractions()),
        "implausible_target": implausible_targets(
            published,
            context[A.value],
            polarity,
            target_checks if target_checks is not None else _no_target_checks(),
            counties,
        ),
    }.items():
        parts.append(frame)
        agreed.append({FS.category: cat_name, FS.agree: ok})
    latest = scorecard[scorecard[S.is_latest]]
    judged = judged_rows(published, latest, catalogue.targets)
    prev = assessed[[A.area, A.block, A.indicator, A.dot_compared_value]].rename(
        columns={A.dot_compared_value: PF.previous_value}
    )
    flips = polarity_check(judged, prev)
    pol_rows = pd.DataFrame(
        {
            F.area: "",
            F.block: "",
            F.indicator: flips[PC.indicator],
            F.category: "polarity",
            F.published: flips[PC.printed],
            F.computed: flips[PC.better_polarity],
            F.explanation: (
                flips[PC.fits_reversed].astype(str)
                + " of "
                + (2 * flips[PC.n]).astype(str)
                + " published RAGs and arrows fit polarity "
                + flips[PC.better_polarity]
                + ", only "
                + flips[PC.fits_printed].astype(str)
                + " fit the printed "
                + flips[PC.printed]
            ),
            F.source_file: "",
            F.source_row: 0,
        }
    )[FINDING_COLUMNS]
    parts.append(pol_rows)
    agreed.append({FS.category: "polarity", FS.agree: int(judged[J.indicator].nunique() - len(flips))})
    findings = pd.concat([p for p in parts if len(p)], ignore_index=True) if any(len(p) for p in parts) else _frame([])
    findings[F.source_row] = findings[F.source_row].astype(int)
    findings = _partly_reversed(findings, flips[PC.indicator])
    titles = catalogue.indicators.drop_duplicates(I.indicator).set_index(I.indicator)[I.title]
    return Reconciliation(findings=findings[FINDING_COLUMNS], agreed=pd.DataFrame(agreed), titles=titles)


def reconcile(period: str | None = None, *, data_dir=None) -> Reconciliation:
    """Compare every published figure and judgement of an edition with the computed one.

    ``period`` defaults to the newest edition on disk. The result is kept in the cache of derived results
    (Parquet, keyed by the raw files, the reference files and the library's source), so a batch reconciles an
    edition once and every report reads it back.

    Returns
    -------
    Reconciliation
        ``findings``: one row per disagreement (``area, block, indicator, category, published,
        computed, explanation, source_file, source_row``); ``agreed``: checks that agreed per category.

    Examples
    --------
    >>> rec = reconcile("2024-10")
    >>> "rag" in set(rec.findings["category"])
    True
    """
    period = resolve_period(period, data_dir)
    name, key = f"{period}-reconcile", results_key(period, data_dir=data_dir)
    cached = read_derived(name, key, ("findings", "agreed", "titles"), data_dir)
    if cached is not None:
        findings, agreed, titles = cached
        return Reconciliation(findings, agreed, titles.set_index(I.indicator)[I.title])
    rec = _reconcile(period, data_dir)
    write_derived(name, key, {"findings": rec.findings, "agreed": rec.agreed, "titles": rec.titles.reset_index()}, data_dir)
    return rec


def _reconcile(period: str, data_dir) -> Reconciliation:
    cat = load_catalogue(data_dir)
    scorecard = load_scorecard(period, data_dir=data_dir)
    published = load_published(period, data_dir=data_dir)
    log = load_quality_log(period, data_dir=data_dir)
    assessed = assess(scorecard, targets=cat.targets, indicators=cat.indicators)
    info = load_indicator_info(period, data_dir=data_dir)
    return reconcile_frames(
        scorecard, published, log, assessed, cat, load_fractions(data_dir), info, load_target_checks(data_dir)
    )


def floor_inference(period: str | None = None, *, data_dir=None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Infer floors from an edition's published RAGs: (floors per indicator and year, RAGs no floor explains)."""
    cat = load_catalogue(data_dir)
    scorecard = load_scorecard(period, data_dir=data_dir)
    judged = judged_rows(load_published(period, data_dir=data_dir), scorecard, cat.targets)
    floors = infer_floors(judged, cat.targets[cat.targets[T.floor_source] == "stated"])
    return floors, unexplained_rags(judged, floors)
