"""DataFrame schemas: the data contract and the one home of column names.

Every other module refers to columns through these models, for example
``Scorecard.value`` evaluates to ``"value"``.
"""

from __future__ import annotations

import sys

import pandas as pd

# pandera looks for dask.dataframe the first time it lists the frame types it knows, and importing it costs about
# 0.8 s of every `import kccperf` (every report's kernel too) where the optional cluster extra has installed dask.
# kccperf validates pandas frames only, so dask is hidden from that one lookup; afterwards it imports as usual.
_HIDE_DASK = "dask.dataframe" not in sys.modules
if _HIDE_DASK:
    sys.modules["dask.dataframe"] = None  # type: ignore[assignment]
try:
    import pandera.pandas as pa
    from pandera.typing import Series, get_dataframe_types

    get_dataframe_types()
finally:
    if _HIDE_DASK:
        del sys.modules["dask.dataframe"]

POLARITIES = ("H", "L", "T")
# The data-period codes the guidance notes define (MS, R12M, YTD, Q, A) and T, which the termly tables print.
PERIOD_TYPES = ("MS", "R12M", "YTD", "Q", "T", "A")
RAGS = ("RED", "AMBER", "GREEN")
# Every value a rating column holds, most severe first: the three ratings, then "N/A" (the scorecard printed
# that the rating does not apply) and "" (not rated). Sorting by a rating column lists REDs first and the
# unrated last; ``rating < "GREEN"`` picks the REDs and AMBERs.
RAG_LEVELS = (*RAGS, "N/A", "")
RAG = pd.CategoricalDtype(RAG_LEVELS, ordered=True)


def as_rag(values) -> pd.Categorical:
    """Ratings as the ordered categorical every rating column holds (:data:`RAG`); missing values become "".

    Raises
    ------
    ValidationError
        A value is not one of :data:`RAG_LEVELS` (it would otherwise be lost as "not rated").

    Examples
    --------
    >>> as_rag(["GREEN", "", "RED", "AMBER"]).sort_values().tolist()
    ['RED', 'AMBER', 'GREEN', '']
    """
    values = pd.Series(values, dtype=object) if not isinstance(values, pd.Series) else values.astype(object)
    missing = values.isna().to_numpy()
    unknown = ~missing & ~values.isin(RAG_LEVELS).to_numpy()
    if unknown.any():
        from .errors import ValidationError

        raise ValidationError(f"rating {values[unknown].iloc[0]!r} is not one of {', '.join(map(repr, RAG_LEVELS))}.")
    return pd.Categorical(values.where(~missing, "").to_numpy(object), dtype=RAG)


def _rag_field(*allowed: str, **kwargs):
    """A rating column: the ordered categorical :data:`RAG`, holding only ``allowed``."""
    return pa.Field(dtype_kwargs={"categories": RAG_LEVELS, "ordered": True}, isin=allowed, **kwargs)


class Scorecard(pa.DataFrameModel):
    """One row per area, block, indicator and period: the tidy scorecard."""

    area: Series[str]
    block: Series[str]
    indicator: Series[str]
    code_published: Series[str]
    title: Series[str] = pa.Field(title="Indicator", description="The indicator's full title as the scorecard prints it.")
    polarity: Series[str] = pa.Field(isin=POLARITIES)
    period_type: Series[str] = pa.Field(
        title="Period covered",
        description="How much time the figure covers, as the scorecard codes it: MS a snapshot at the end of the month, R12M the 12 months to it, YTD the year to date, Q a quarter, T a term, A a whole year.",
        isin=PERIOD_TYPES,
    )
    period: Series[str]
    period_label: Series[str]
    value: Series[float] = pa.Field(nullable=True)
    numerator: Series[float] = pa.Field(
        title="Numerator",
        description="How many children (or cases) the figure counts, as printed; blank where none is printed or it is withheld.",
        nullable=True,
    )
    denominator: Series[float] = pa.Field(
        title="Denominator",
        description="How many children (or cases) the numerator is out of, as printed; blank where none is printed or it is withheld.",
        nullable=True,
    )
    decimals: Series[float] = pa.Field(
        title="Decimal places", description="How many decimal places the scorecard printed the figure with.", nullable=True
    )
    england: Series[float] = pa.Field(
        title="England",
        description="England's figure for the indicator as the scorecard printed it, in the unit Unit gives; England: which figure says the period it covers.",
        nullable=True,
    )
    regional: Series[float] = pa.Field(
        title="Benchmark group",
        description="The comparison group's figure (statistical neighbours or the South East) as the scorecard printed it, in the unit Unit gives.",
        nullable=True,
    )
    england_label: Series[str] = pa.Field(
        title="England: which figure",
        description="Which England figure England holds and the period it covers, as printed (for example England 2023-24).",
    )
    regional_label: Series[str] = pa.Field(
        title="Benchmark group: which figure",
        description="Which group's figure Benchmark group holds and the period it covers, as printed (for example Benchmark Group 2023-24).",
    )
    is_latest: Series[bool]
    table: Series[str]
    source_file: Series[str]
    source_row: Series[int]

    class Config:
        strict = True
        coerce = True
        unique = ["area", "block", "indicator", "period"]


class History(Scorecard):
    """Every edition's figures: the tidy scorecard of each edition with the edition that printed it."""

    edition: Series[str] = pa.Field(str_matches=r"^\d{4}-\d{2}$")

    class Config:
        strict = True
        coerce = True
        unique = ["edition", "area", "block", "indicator", "period"]


class Revision(pa.DataFrameModel):
    """A figure printed differently by two editions: the earlier printing and the later one."""

    area: Series[str]
    block: Series[str]
    indicator: Series[str]
    title: Series[str]
    period: Series[str]
    period_label: Series[str]
    old: Series[float] = pa.Field(nullable=True)
    new: Series[float] = pa.Field(nullable=True)
    old_edition: Series[str]
    new_edition: Series[str]
    source_file: Series[str]
    source_row: Series[int]

    class Config:
        strict = True
        coerce = True
        unique = ["area", "block", "indicator", "period", "new_edition"]


class Published(pa.DataFrameModel):
    """What the scorecard printed as judgements and benchmarks, per area, block and indicator."""

    area: Series[str]
    block: Series[str]
    indicator: Series[str]
    code_published: Series[str]
    title: Series[str]
    table: Series[str]
    latest_period: Series[str]
    direction: Series[str]
    rag: Series[pd.CategoricalDtype] = _rag_field("", *RAGS, "N/A")
    rag_year: Series[str]
    target: Series[float] = pa.Field(nullable=True)
    target_year: Series[str]
    prev_outturn: Series[float] = pa.Field(nullable=True)
    prev_target: Series[float] = pa.Field(nullable=True)
    prev_rag: Series[pd.CategoricalDtype] = _rag_field("", *RAGS, "N/A")
    prev_year: Series[str]
    next_target: Series[float] = pa.Field(nullable=True)
    next_target_year: Series[str]
    benchmark_label: Series[str]
    benchmark: Series[float] = pa.Field(nullable=True)
    england_label: Series[str]
    england: Series[float] = pa.Field(nullable=True)
    source_file: Series[str]
    source_row: Series[int]

    class Config:
        strict = True
        coerce = True


class PublishedHistory(Published):
    """Every edition's printed judgements and targets, with the edition that printed them."""

    edition: Series[str] = pa.Field(str_matches=r"^\d{4}-\d{2}$")

    class Config:
        strict = True
        coerce = True


class EditionChange(pa.DataFrameModel):
    """What changed since the last edition, one row per change: ratings, revised figures, indicators, targets."""

    area: Series[str]
    block: Series[str]
    indicator: Series[str]
    title: Series[str]
    change: Series[str] = pa.Field(isin=("rating", "revised", "added", "dropped", "target"))
    period_label: Series[str]
    before: Series[str]
    after: Series[str]
    description: Series[str]

    class Config:
        strict = True
        coerce = True


class Anomaly(pa.DataFrameModel):
    """The data-quality log: one row per thing in a table that is not as it should be."""

    source_file: Series[str]
    row: Series[int] = pa.Field(nullable=True)
    column: Series[str]
    area: Series[str]
    block: Series[str]
    indicator: Series[str]
    category: Series[str]
    found: Series[str]
    expected: Series[str]
    message: Series[str]

    class Config:
        strict = True
        coerce = True


class Assessed(pa.DataFrameModel):
    """The output of :func:`kccperf.assess`: one row per area, block and indicator at its latest period."""

    area: Series[str] = pa.Field(title="Area", description="The area the figure is for: Kent or one of its 12 districts.")
    block: Series[str] = pa.Field(
        title="Team",
        description="The social-work (CSWT) or early-help (EHU) team the figure is for; blank where it is for the whole area.",
    )
    indicator: Series[str] = pa.Field(
        title="Indicator id",
        description="kccperf's short name for the indicator, the same in every edition and download (for example ehcp_issued_20wk).",
    )
    polarity: Series[str] = pa.Field(
        title="Polarity",
        description="Which way is better: higher, lower, or closest to the target and inside its range (coded H, L and T in the CSV).",
        isin=POLARITIES,
    )
    period: Series[str] = pa.Field(
        title="Period (sortable)",
        description="The period as a code that sorts in time order: 2024-10 a month, 2023-24 a year, 2023-24 T3 a term, 2024-25 Q2 a quarter.",
    )
    period_label: Series[str] = pa.Field(
        title="Period",
        description="The period the scorecard prints the figure under, as it labels it (Oct-24, 2023-24, Q2 24-25).",
    )
    value: Series[float] = pa.Field(
        title="Value",
        description="The latest figure, in the unit Unit gives; blank where it is withheld (Withheld is TRUE) or none is printed.",
        nullable=True,
    )
    target_year: Series[str] = pa.Field(
        title="Target year", description="The reporting year whose target Target is, for example 2024-25."
    )
    target: Series[float] = pa.Field(
        title="Target",
        description="The target the figure is rated against, in the indicator's unit; blank where none is published.",
        nullable=True,
    )
    floor: Series[float] = pa.Field(
        title="Floor",
        description="The floor standard a published document states, in the indicator's unit (missing it rates RED); blank where no floor is published.",
        nullable=True,
    )
    floor_source: Series[str] = pa.Field(
        title="Floor source",
        description="Where the floor comes from: stated (a published document), inferred (from the printed ratings, so it rates nothing) or unknown.",
        isin=("", "stated", "inferred", "unknown"),
    )
    rag: Series[pd.CategoricalDtype] = _rag_field(
        "",
        *RAGS,
        title="RAG (computed)",
        description="The rating kccperf computes from the figure, its target and a stated floor: RED, AMBER or GREEN, blank where they decide none.",
    )
    rag_reason: Series[str] = pa.Field(
        title="RAG (computed): why", description="Why the computed rating is what it is, in words (for example below floor 75.0)."
    )
    previous_rag: Series[pd.CategoricalDtype] = _rag_field(
        "", *RAGS, title="RAG (computed) before", description="The rating computed the same way for the period compared with."
    )
    # The rating a report shows: the printed one where the scorecard printed one, else ``rag``.
    rating: Series[pd.CategoricalDtype] = _rag_field(
        "",
        *RAGS,
        title="RAG",
        description="The rating the report shows: the one the scorecard printed, or the computed one where it printed none.",
    )
    rating_basis: Series[str] = pa.Field(
        title="RAG: from",
        description="Whether RAG is the rating the scorecard printed (published) or the computed one (computed).",
        isin=("", "published", "computed"),
    )
    direction: Series[str] = pa.Field(
        title="Direction of travel",
        description="Whether the figure improved, worsened or stayed the same since the period compared with, judged by the indicator's polarity.",
        isin=("improved", "worsened", "same", "not comparable"),
    )
    dot_arrow: Series[str] = pa.Field(
        title="Direction arrow",
        description="The direction of travel as an arrow: ↑ better, ↓ worse, ↔ the same, whichever way the number moved.",
        isin=("↑", "↓", "↔", ""),
    )
    dot_compared_label: Series[str] = pa.Field(
        title="Compared with",
        description="The period the direction of travel compares with: the one before, or the same period a year earlier for a seasonal indicator.",
    )
    dot_reason: Series[str] = pa.Field(
        title="Direction: why", description="Why the direction of travel is what it is, in words (for example worse than Sep-24)."
    )
    vs_england: Series[str] = pa.Field(
        title="Against England",
        description="Whether the figure is better, worse or the same as England's, judged by the indicator's polarity.",
        isin=("", "better", "worse", "same"),
    )
    vs_county: Series[str] = pa.Field(
        title="Against Kent",
        description="Whether the figure is better, worse or the same as Kent's, judged by the indicator's polarity.",
        isin=("", "better", "worse", "same"),
    )
    rank: Series[float] = pa.Field(
        title="Rank",
        description="The area's or team's place for the indicator among those ranked, 1 the best (ties share the better place; Kent is not ranked).",
        nullable=True,
        ge=1,
    )
    quartile: Series[str] = pa.Field(
        title="Quartile",
        description="The quarter of the ranking the area or team falls in: A the best quarter, D the worst.",
        isin=("", "A", "B", "C", "D"),
    )
    ci_low: Series[float] = pa.Field(
        title="95% interval: from",
        description="The lower end of the 95% (Wilson) confidence interval of a percentage, in percent; blank where no counts are printed.",
        nullable=True,
        ge=0,
        le=100,
    )
    ci_high: Series[float] = pa.Field(
        title="95% interval: to",
        description="The upper end of the 95% (Wilson) confidence interval of a percentage, in percent; blank where no counts are printed.",
        nullable=True,
        ge=0,
        le=100,
    )
    sig_vs_county: Series[str] = pa.Field(
        title="Against Kent: significance",
        description="Whether the difference from Kent is larger than chance would explain (significantly better or worse) or not, by the 95% interval.",
        isin=("", "significantly better", "significantly worse", "not significantly different"),
    )
    sig_vs_england: Series[str] = pa.Field(
        title="Against England: significance",
        description="Whether the difference from England is larger than chance would explain (significantly better or worse) or not, by the 95% interval.",
        isin=("", "significantly better", "significantly worse", "not significantly different"),
    )
    dot_compared_period: Series[str] = pa.Field(
        title="Compared with (sortable)", description="The period compared with, as a code that sorts in time order (2024-09)."
    )
    dot_compared_value: Series[float] = pa.Field(
        title="Previous value", description="The figure of the period compared with, in the indicator's unit.", nullable=True
    )
    england_gap: Series[float] = pa.Field(
        title="Gap to England",
        description="Value minus England, in the indicator's unit (percentage points for a percentage).",
        nullable=True,
    )
    regional_gap: Series[float] = pa.Field(
        title="Gap to benchmark group",
        description="Value minus Benchmark group, in the indicator's unit (percentage points for a percentage).",
        nullable=True,
    )
    vs_regional: Series[str] = pa.Field(
        title="Against benchmark group",
        description="Whether the figure is better, worse or the same as the benchmark group's, judged by the indicator's polarity.",
        isin=("", "better", "worse", "same"),
    )
    county_value: Series[float] = pa.Field(
        title="Kent",
        description="Kent's figure for the same indicator and period, in its unit; blank on Kent's own rows.",
        nullable=True,
    )
    county_gap: Series[float] = pa.Field(
        title="Gap to Kent",
        description="Value minus Kent's figure, in the indicator's unit; blank for a count, whose share of Kent is given instead.",
        nullable=True,
    )
    county_share: Series[float] = pa.Field(
        title="Share of Kent (%)", description="For a count, the district's share of Kent's total, in percent.", nullable=True
    )
    rank_of: Series[float] = pa.Field(
        title="Ranked among", description="How many districts or teams were ranked for the indicator.", nullable=True
    )
    funnel_95_low: Series[float] = pa.Field(
        title="Funnel 95% limit: from",
        description="The lower 95% limit of the funnel plot around Kent's figure for a denominator this size, in percent.",
        nullable=True,
    )
    funnel_95_high: Series[float] = pa.Field(
        title="Funnel 95% limit: to",
        description="The upper 95% limit of the funnel plot around Kent's figure for a denominator this size, in percent.",
        nullable=True,
    )
    funnel_998_low: Series[float] = pa.Field(
        title="Funnel 99.8% limit: from",
        description="The lower 99.8% limit of the funnel plot around Kent's figure for a denominator this size, in percent.",
        nullable=True,
    )
    funnel_998_high: Series[float] = pa.Field(
        title="Funnel 99.8% limit: to",
        description="The upper 99.8% limit of the funnel plot around Kent's figure for a denominator this size, in percent.",
        nullable=True,
    )
    funnel: Series[str] = pa.Field(
        title="Funnel position",
        description="Where the figure sits on the funnel plot: within 95% limits, outside 95% limits or outside 99.8% limits.",
    )

    class Config:
        strict = False  # the input's own columns (title, unit, service, ...) follow these
        unique = ["area", "block", "indicator"]


class Finding(pa.DataFrameModel):
    """One disagreement found by :func:`kccperf.reconcile`."""

    area: Series[str]
    block: Series[str]
    indicator: Series[str]
    category: Series[str] = pa.Field(
        isin=(
            "value_vs_fraction",
            "rag",
            "dot",
            "dot_unchecked",
            "conflicting_figures",
            "impossible_value",
            "code_contradicts_title",
            "polarity",
            "true_period",
            "rag_unchecked",
            "floor_interval",
            "previous_year",
            "percent_vs_counts",
            "implausible_target",
        )
    )
    published: Series[str]
    computed: Series[str]
    explanation: Series[str] = pa.Field(str_length={"min_value": 1})
    source_file: Series[str]
    source_row: Series[int]

    class Config:
        strict = True


class Indicator(pa.DataFrameModel):
    """The indicator catalogue in ``data/reference/indicators.csv``."""

    indicator: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9_]+$")
    codes: Series[str]
    title: Series[str] = pa.Field(unique=True)
    aliases: Series[str]
    service: Series[str] = pa.Field(
        title="Service", description="The service the indicator belongs to, for example Children's social care or SEND."
    )
    polarity: Series[str] = pa.Field(isin=POLARITIES)
    period_type: Series[str] = pa.Field(isin=PERIOD_TYPES)
    unit: Series[str] = pa.Field(
        title="Unit",
        description="The unit of Value and Target: percent (%), pp (percentage points, a gap), count (children or cases), days, caseload (cases per worker), score (points) or rate (% of a cohort).",
        isin=("percent", "pp", "count", "days", "caseload", "score", "rate"),
    )
    seasonal: Series[bool]
    qpr: Series[bool]
    team_block: Series[str] = pa.Field(isin=("", "CSWT", "EHU"))
    description: Series[str]

    class Config:
        strict = True
        coerce = True


class Target(pa.DataFrameModel):
    """Targets and floors in ``data/reference/targets.csv``, per indicator and reporting year."""

    indicator: Series[str]
    year: Series[str] = pa.Field(str_matches=r"^\d{4}-\d{2}$")
    target: Series[float] = pa.Field(nullable=True)
    # For T indicators the floor is a distance: the furthest from the target that still meets the floor.
    floor: Series[float] = pa.Field(nullable=True)
    floor_source: Series[str] = pa.Field(isin=("stated", "inferred", "unknown"))
    floor_low: Series[float] = pa.Field(
        title="Floor implied: from",
        description="The lowest floor that fits every rating the scorecard printed for the indicator, in its unit: inferred, not published, so it rates nothing.",
        nullable=True,
    )
    floor_high: Series[float] = pa.Field(
        title="Floor implied: to",
        description="The highest floor that fits every rating the scorecard printed for the indicator, in its unit: inferred, not published, so it rates nothing.",
        nullable=True,
    )
    range_low: Series[float] = pa.Field(
        title="Target range: from",
        description="The lower end of the target range, in the indicator's unit, for an indicator whose target is a range (polarity T); blank otherwise.",
        nullable=True,
    )
    range_high: Series[float] = pa.Field(
        title="Target range: to",
        description="The upper end of the target range, in the indicator's unit, for an indicator whose target is a range (polarity T); blank otherwise.",
        nullable=True,
    )
    applies_to: Series[str] = pa.Field(isin=("all", "county"))
    provenance: Series[str]

    class Config:
        strict = True
        coerce = True
        unique = ["indicator", "year"]


class Table(pa.DataFrameModel):
    """Kinds of printed table in ``data/reference/tables.csv``; precedence settles figures printed twice.

    ``heading`` is the table's printed heading (without the `` - <district>`` a district page adds) and
    ``scope`` the areas that print it; tables sharing a heading are told apart by their order in this file.
    """

    table: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9_]+$")
    precedence: Series[int] = pa.Field(ge=1)
    description: Series[str]
    heading: Series[str]
    scope: Series[str] = pa.Field(isin=("all", "county"))

    class Config:
        strict = True
        coerce = True


class Headline(pa.DataFrameModel):
    """The scorecard's front-page headline figures."""

    section: Series[str]
    measure: Series[str]
    code: Series[str]
    value: Series[float]
    unit: Series[str] = pa.Field(isin=("count", "percent"))
    national_average: Series[float] = pa.Field(nullable=True)
    as_at: Series[str]

    class Config:
        strict = True
        coerce = True


class Area(pa.DataFrameModel):
    """The county and its districts in ``data/reference/areas.csv``."""

    area: Series[str] = pa.Field(unique=True)
    slug: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9-]+$")
    kind: Series[str] = pa.Field(isin=("county", "district"))
    # The page heading the agenda pack prints over the area's tables, e.g. "Directorate Scorecard - Ashford District".
    page_heading: Series[str] = pa.Field(unique=True)

    class Config:
        strict = True


class Block(pa.DataFrameModel):
    """Social-work and early-help team blocks in ``data/reference/blocks.csv``."""

    block: Series[str] = pa.Field(unique=True)
    team_type: Series[str] = pa.Field(isin=("CSWT", "EHU"))
    areas: Series[str]

    class Config:
        strict = True


class Abbreviation(pa.DataFrameModel):
    """Abbreviations the scorecard and the budget report print, in ``data/reference/abbreviations.csv``, and where each meaning comes from."""

    abbreviation: Series[str] = pa.Field(unique=True, str_matches=r"^[A-Za-z][A-Za-z0-9]*$")
    meaning: Series[str] = pa.Field(str_length={"min_value": 2})
    source: Series[str] = pa.Field(str_length={"min_value": 2})

    class Config:
        strict = True


def _source_row(frame, index) -> tuple[str, str] | None:
    """(file, "row N") of a failing row of a frame that records where each row was printed, else None."""
    if index is None or index not in frame.index or not {"source_file", "source_row"} <= set(frame.columns):
        return None
    row = frame.loc[index]
    row = row.iloc[0] if getattr(row, "ndim", 1) == 2 else row
    return str(row["source_file"]), f"row {row['source_row']}"


def validate(frame, model, source: str):
    """Validate ``frame`` against ``model``; raise one ValidationError naming the first failure."""
    from .errors import ValidationError

    try:
        return model.validate(frame, lazy=True)
    except (pa.errors.SchemaErrors, pa.errors.SchemaError) as exc:
        cases = getattr(exc, "failure_cases", None)
        if cases is not None and len(cases):
            first = cases.iloc[0]
            where = f"row {first['index']}" if first.get("index") is not None else "a row"
            named = _source_row(frame, first.get("index"))
            if named:
                source, where = named
            raise ValidationError(
                f"{source}: {where}, column '{first['column']}' failed check {first['check']} (found {first['failure_case']!r})."
            ) from None
        raise ValidationError(f"{source}: {exc}") from None


# --- Budget: the draft revenue budget 2025-26 report (data/raw/budget/<year>/) -------------------------

BUDGET_ROW_TYPES = ("heading", "item", "total", "aggregate")
BUDGET_UNITS = ("£m", "£000s")
BUDGET_CHECK_KINDS = ("row_total", "column_total", "cross_table", "claim")
BUDGET_CHECK_STATUSES = ("ok", "rounding", "mismatch")
EXPOSURE_BASES = ("annual", "lifetime", "none")
BUDGET_RELATION_KINDS = ("column_total", "cross_table")
BUDGET_EDITION_KEYS = (
    "title",
    "edition_label",
    "publication_date",
    "committee",
    "producer",
    "revenue_years",
    "capital_years",
    "members",
    "member_names",
)
# A printed cell ``table:row:column``; ``*`` for the row or column means "every one", matched on both sides.
BUDGET_CELL_PATTERN = r"[a-z0-9_]+:[^:\s]+:[^:\s]+"


class BudgetRows(pa.DataFrameModel):
    """Columns every raw budget table carries besides its printed cells.

    ``line`` is the source line, ``row`` a key unique in the file (the printed row
    reference where there is one), ``parts`` the rows a total sums, e.g. ``+1 +2 -3``.
    """

    line: Series[int]
    row: Series[str] = pa.Field(unique=True)
    label: Series[str]
    section: Series[str]
    row_type: Series[str] = pa.Field(isin=BUDGET_ROW_TYPES)
    parts: Series[str]


class Table1Raw(BudgetRows):
    """Table 1: CYPE spend, saving and net by Cabinet Member, November draft against latest (£m)."""

    education_spend: Series[str]
    education_saving: Series[str]
    education_net: Series[str]
    ics_spend: Series[str]
    ics_saving: Series[str]
    ics_net: Series[str]
    cype_spend: Series[str]
    cype_saving: Series[str]
    cype_net: Series[str]


class _CapitalYears(BudgetRows):
    y2025_26: Series[str]
    y2026_27: Series[str]
    y2027_28: Series[str]
    y2028_29: Series[str]
    y2029_30: Series[str]
    y2030_31: Series[str]
    y2031_32: Series[str]
    y2032_33: Series[str]
    y2033_34: Series[str]
    y2034_35: Series[str]


class CapitalSummaryRaw(_CapitalYears):
    """Appendix A: capital by directorate and by funding source (£000s)."""

    dir: Series[str]
    total_cost: Series[str]
    prior_years: Series[str]


class CypeCapitalRaw(_CapitalYears):
    """Appendix B: CYPE capital by project, with the printed footnote markers (£000s)."""

    footnotes: Series[str]
    description: Series[str]
    total_cost: Series[str]
    prior_years: Series[str]


class PotentialProjectsRaw(_CapitalYears):
    """Appendix C: potential capital projects (£000s)."""

    directorate: Series[str]
    description: Series[str]
    total_cost: Series[str]


class RevenuePlanRaw(BudgetRows):
    """Appendix D: the council's revenue plan, core, external and total per year (£000s)."""

    y2024_25_core: Series[str]
    y2024_25_external: Series[str]
    y2024_25_total: Series[str]
    y2025_26_core: Series[str]
    y2025_26_external: Series[str]
    y2025_26_total: Series[str]
    y2026_27_core: Series[str]
    y2026_27_external: Series[str]
    y2026_27_total: Series[str]
    y2027_28_core: Series[str]
    y2027_28_external: Series[str]
    y2027_28_total: Series[str]


class RevenueFundingRaw(BudgetRows):
    """Appendix D: funding per the settlement and local taxation, one total per year (£000s)."""

    y2024_25: Series[str]
    y2025_26: Series[str]
    y2026_27: Series[str]
    y2027_28: Series[str]


class CypeRevenueRaw(BudgetRows):
    """Appendix E: CYPE core budget changes 2025-26 by Cabinet Member (£000s)."""

    cype: Series[str]
    sue_chandler: Series[str]
    rory_love: Series[str]
    total: Series[str]


class RiskRegisterRaw(BudgetRows):
    """Appendix F: the budget risk register (£m)."""

    directorate: Series[str]
    likelihood: Series[str]
    annual_exposure_m: Series[str]
    lifetime_exposure_m: Series[str]
    summary: Series[str]


class BudgetManifest(pa.DataFrameModel):
    """``MANIFEST.tsv``: each table file, its title, unit and source lines."""

    file: Series[str] = pa.Field(unique=True)
    table: Series[str] = pa.Field(unique=True)
    title: Series[str]
    unit: Series[str] = pa.Field(isin=BUDGET_UNITS)
    source_lines: Series[str]

    class Config:
        strict = True


class CapitalFootnote(pa.DataFrameModel):
    """``appendix_b_footnotes.tsv``: what each printed marker means, and the flag it sets."""

    line: Series[int]
    marker: Series[str] = pa.Field(unique=True, str_matches=r"^\[\d+\]$")
    flag: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z_]+$")
    text: Series[str]

    class Config:
        strict = True
        coerce = True


class BudgetClaim(pa.DataFrameModel):
    """``claims.tsv``: an amount the report's text states about its own tables, and what it is computed from.

    ``terms`` are signed amounts printed in the text (``-0.9``) or cells
    (``+table1:net_total_change:education_net``), summed in the claim's unit.
    """

    claim: Series[str] = pa.Field(unique=True)
    line: Series[int]
    paragraph: Series[str]
    quote: Series[str]
    stated: Series[str]
    unit: Series[str] = pa.Field(isin=BUDGET_UNITS)
    terms: Series[str]

    class Config:
        strict = True
        coerce = True


class BudgetFigure(pa.DataFrameModel):
    """Every printed figure of the budget tables: one row per table, row and column."""

    table: Series[str]
    source_file: Series[str]
    line: Series[int]
    row: Series[str]
    label: Series[str]
    section: Series[str]
    row_type: Series[str] = pa.Field(isin=BUDGET_ROW_TYPES)
    parts: Series[str]
    column: Series[str]
    printed: Series[str]
    value: Series[float] = pa.Field(nullable=True)
    unit: Series[str] = pa.Field(isin=BUDGET_UNITS)
    year: Series[str] = pa.Field(str_matches=r"^(\d{4}-\d{2})?$")

    class Config:
        strict = True
        coerce = True
        unique = ["table", "row", "column"]


class Risk(pa.DataFrameModel):
    """One risk of the register, with the exposure used to rank it."""

    source_file: Series[str] = pa.Field(
        title="Source file", description="The file of the budget report's risk register the risk was read from."
    )
    line: Series[int] = pa.Field(title="Source line", description="The line of that file the risk was read from.")
    risk: Series[str] = pa.Field(
        title="Risk ref", description="The risk's reference in the register, for example r01.", unique=True
    )
    section: Series[str] = pa.Field(
        title="Register section", description="The part of the register that lists the risk: significant or other."
    )
    directorate: Series[str] = pa.Field(
        title="Directorate",
        description="The directorate(s) the risk belongs to, as printed (ASCH / CYPE: shared); ALL in the CSV is Whole council in the workbook, and a blank is not printed (the cell held only a page number).",
    )
    title: Series[str] = pa.Field(title="Risk", description="The risk's title as the register prints it.")
    summary: Series[str] = pa.Field(title="Summary", description="The register's description of the risk.")
    likelihood: Series[int] = pa.Field(
        title="Likelihood",
        description="How likely the risk is, as the register scores it: 1 the least likely to 5 the most.",
        in_range={"min_value": 1, "max_value": 5},
    )
    annual_exposure_m: Series[float] = pa.Field(
        title="Annual exposure (£m)",
        description="The register's estimate of the cost a year if the risk happens, in £ millions; blank where it gives none.",
        nullable=True,
        ge=0,
    )
    lifetime_exposure_m: Series[float] = pa.Field(
        title="Lifetime exposure (£m)",
        description="The register's estimate of the cost over the risk's whole life, in £ millions; blank where it gives none.",
        nullable=True,
        ge=0,
    )
    exposure_m: Series[float] = pa.Field(
        title="Exposure (£m)",
        description="The exposure the risk is ranked by, in £ millions: the annual one where the register gives it, else the lifetime one.",
        nullable=True,
        ge=0,
    )
    exposure_basis: Series[str] = pa.Field(
        title="Exposure basis",
        description="Which estimate Exposure (£m) is: Annual, Lifetime, or No amount of its own where the register gives the risk none (annual, lifetime, none in the CSV).",
        isin=EXPOSURE_BASES,
    )

    class Config:
        strict = True
        coerce = True


class CapitalProject(pa.DataFrameModel):
    """One project of Appendix B with the flags its footnote markers set."""

    row: Series[str] = pa.Field(unique=True)
    project: Series[str]
    section: Series[str]
    footnotes: Series[str]
    unsecured_funding: Series[bool]
    estimated_allocation: Series[bool]
    rolling_programme: Series[bool]

    class Config:
        strict = True
        coerce = True


class BudgetCheck(pa.DataFrameModel):
    """One reconciliation: a stated total or claim against what its parts give."""

    check: Series[str]
    kind: Series[str] = pa.Field(isin=BUDGET_CHECK_KINDS)
    table: Series[str]
    row: Series[str]
    label: Series[str]
    column: Series[str]
    stated: Series[float]
    computed: Series[float]
    difference: Series[float]
    tolerance: Series[float] = pa.Field(ge=0)
    ok: Series[bool]
    status: Series[str] = pa.Field(isin=BUDGET_CHECK_STATUSES)
    likely_cause: Series[str]
    source_file: Series[str]
    line: Series[int]

    class Config:
        strict = True
        coerce = True


class BudgetCleaning(pa.DataFrameModel):
    """The log of page-number artefacts the budget reader removed from cells."""

    source_file: Series[str]
    line: Series[int]
    row: Series[str]
    column: Series[str]
    found: Series[str]
    cleaned: Series[str]
    message: Series[str]

    class Config:
        strict = True
        coerce = True


class BudgetRelation(pa.DataFrameModel):
    """``data/reference/budget/<year>/relations.csv``: which printed figures must add up to which.

    ``column_total``: in every row of one table, the ``stated`` column equals the signed
    sum of the ``parts`` columns (``table1:*:cype_net`` = ``+table1:*:cype_spend +table1:*:cype_saving``).
    ``cross_table``: a cell equals the signed sum of cells of other rows or tables; a ``*``
    column matches every column the two sides share. Relations are numbered in file order
    (column totals within their table), and the number is part of the check's name.
    """

    kind: Series[str] = pa.Field(isin=BUDGET_RELATION_KINDS)
    stated: Series[str] = pa.Field(str_matches=rf"^{BUDGET_CELL_PATTERN}$")
    parts: Series[str] = pa.Field(str_matches=rf"^[+-]{BUDGET_CELL_PATTERN}(\s+[+-]{BUDGET_CELL_PATTERN})*$")
    note: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        coerce = True


class BudgetEdition(pa.DataFrameModel):
    """``data/reference/budget/<year>/edition.csv``: facts about one edition of the budget report, as key and value.

    Lists (``revenue_years``, ``capital_years``, ``members``, ``member_names``) are separated by ``|``.
    """

    key: Series[str] = pa.Field(unique=True, isin=BUDGET_EDITION_KEYS)
    value: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True
        coerce = True


# --- Frames the calculators return, and the working frames between their steps -----------------------
# Not validated on every call: these models are the home of the columns' names and document their meaning.


class ScorecardEdition(pa.DataFrameModel):
    """``data/raw/scorecard/<period>/edition.csv``: facts about one edition (title, edition label, date...) as key and value."""

    key: Series[str]
    value: Series[str]


class Direction(pa.DataFrameModel):
    """The output of :func:`kccperf.judge.travel.direction`: one row per series at its latest period.

    ``row`` is the position of the latest row in the frame the direction was computed from.
    """

    area: Series[str]
    block: Series[str]
    indicator: Series[str]
    polarity: Series[str] = pa.Field(isin=POLARITIES)
    period_type: Series[str] = pa.Field(isin=PERIOD_TYPES)
    period: Series[str]
    value: Series[float] = pa.Field(nullable=True)
    row: Series[int]
    direction: Series[str] = pa.Field(isin=("improved", "worsened", "same", "not comparable"))
    dot_arrow: Series[str] = pa.Field(isin=("↑", "↓", "↔", ""))
    dot_compared_period: Series[str]
    dot_compared_label: Series[str]
    dot_compared_value: Series[float] = pa.Field(nullable=True)
    dot_reason: Series[str]

    class Config:
        strict = True


class Commentary(pa.DataFrameModel):
    """The output of :func:`kccperf.judge.commentary.commentary`: one drafted sentence per indicator."""

    area: Series[str]
    block: Series[str]
    indicator: Series[str]
    rag: Series[pd.CategoricalDtype] = _rag_field(*RAG_LEVELS)
    sentence: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True


class MainPoint(pa.DataFrameModel):
    """The output of :func:`kccperf.publish.main_points.main_points`: the sentences that open a report."""

    kind: Series[str] = pa.Field(isin=("reds", "changes", "improved", "worsened", "england"))
    sentence: Series[str] = pa.Field(str_length={"min_value": 1})
    figures: Series[object]

    class Config:
        strict = True


class Suppression(pa.DataFrameModel):
    """The column :func:`kccperf.publish.suppress.suppress` adds: True where a figure is withheld as a small number."""

    suppressed: Series[bool] = pa.Field(
        title="Withheld",
        description="TRUE where the row's figures are withheld because they would reveal a count of 1 to 5 children (the report prints c).",
    )


class SharedTeam(pa.DataFrameModel):
    """The column :func:`kccperf.area_view` adds: the other districts whose pages print the same team block.

    Empty for a row that is not a team's or whose team only one district prints.
    """

    shared_with: Series[str] = pa.Field(
        title="Team shared with", description="The other districts whose reports show the same team; blank where no other does."
    )


class JudgedRag(pa.DataFrameModel):
    """One published RAG with the value it judged, its target and target range (:func:`kccperf.judge.floors.judged_rows`).

    ``year`` is the reporting year the RAG was printed for.
    """

    area: Series[str]
    block: Series[str]
    indicator: Series[str]
    year: Series[str]
    polarity: Series[str] = pa.Field(nullable=True)
    value: Series[float] = pa.Field(nullable=True)
    target: Series[float] = pa.Field(nullable=True)
    range_low: Series[float] = pa.Field(nullable=True)
    range_high: Series[float] = pa.Field(nullable=True)
    rag: Series[pd.CategoricalDtype] = _rag_field(*RAGS)
    direction: Series[str]
    source_file: Series[str]
    source_row: Series[int]

    class Config:
        strict = True


class UnexplainedRag(JudgedRag):
    """A published RAG that neither its target nor the chosen floor explains (:func:`kccperf.judge.floors.unexplained_rags`)."""

    floor: Series[float] = pa.Field(nullable=True)
    reason: Series[str] = pa.Field(str_length={"min_value": 1})


class InferredFloor(pa.DataFrameModel):
    """The floors consistent with the published RAGs, per indicator and year (:func:`kccperf.judge.floors.infer_floors`).

    ``n_rags`` AMBERs and REDs that miss their target, ``n_explained`` of them explained by ``floor``;
    ``consistent`` when it explains them all.
    """

    indicator: Series[str]
    year: Series[str]
    polarity: Series[str] = pa.Field(isin=POLARITIES)
    n_rags: Series[int]
    n_amber: Series[int]
    n_red: Series[int]
    floor_low: Series[float] = pa.Field(nullable=True)
    floor_high: Series[float] = pa.Field(nullable=True)
    floor: Series[float] = pa.Field(nullable=True)
    floor_source: Series[str] = pa.Field(isin=("stated", "inferred", "unknown"))
    n_explained: Series[int]
    consistent: Series[bool]

    class Config:
        strict = True


class FloorCandidate(pa.DataFrameModel):
    """Working columns of :func:`kccperf.judge.floors.infer_floors`.

    ``x`` is a RAG's value on the scale where larger is better, ``is_amber`` whether it is AMBER,
    ``c`` a candidate floor on that scale and ``ok`` whether the candidate explains the RAG.
    """

    x: Series[float]
    is_amber: Series[bool]
    c: Series[float]
    ok: Series[bool]


class PolarityCheck(pa.DataFrameModel):
    """Indicators whose published judgements fit the opposite polarity better (:func:`kccperf.judge.floors.polarity_check`).

    ``n`` published rows, each with a RAG and an arrow; ``fits_printed`` and ``fits_reversed``
    count the judgements the printed and the reversed polarity explain.
    """

    indicator: Series[str]
    printed: Series[str] = pa.Field(isin=("H", "L"))
    better_polarity: Series[str] = pa.Field(isin=("H", "L"))
    n: Series[int]
    fits_printed: Series[int]
    fits_reversed: Series[int]

    class Config:
        strict = True


class PolarityFit(pa.DataFrameModel):
    """Working columns of :func:`kccperf.judge.floors.polarity_check`.

    ``previous_value`` is the value of the period before (the ``previous`` frame it is given);
    ``fit_H`` and ``fit_L`` count a row's judgements that fit polarity H and L.
    """

    previous_value: Series[float] = pa.Field(nullable=True)
    fit_H: Series[int]
    fit_L: Series[int]


class TruePeriod(pa.DataFrameModel):
    """A figure printed under a later period than it covers (:func:`kccperf.judge.true_periods.true_periods`).

    ``period``/``period_label``: where the figure is printed; ``true_period``/``true_label``: the period it
    covers; ``compared_label``/``compared_value``: the period before the true one, the honest comparison;
    ``sign``: ``repeat`` (the latest column repeats the previous one), ``other_table`` (another table prints
    the figure under the earlier label) or ``sources`` (the data-sources page names the earlier period),
    several joined by ``;``; ``evidence``: the signs in words, with the pages, lines and figures.
    """

    area: Series[str]
    block: Series[str]
    indicator: Series[str]
    period: Series[str]
    period_label: Series[str]
    value: Series[float]
    true_period: Series[str]
    true_label: Series[str]
    true_value: Series[float]
    compared_label: Series[str]
    compared_value: Series[float] = pa.Field(nullable=True)
    sign: Series[str]
    evidence: Series[str]
    source_file: Series[str]
    source_row: Series[int]

    class Config:
        strict = True
        coerce = True


class TruePeriodWork(pa.DataFrameModel):
    """Working columns of :mod:`kccperf.judge.true_periods`: the previous period's figure, its precision and
    whether the latest figure repeats it; per indicator, in how many series it does (``n_repeat`` of ``n_pairs``)."""

    prev_period: Series[str]
    prev_label: Series[str]
    prev_value: Series[float] = pa.Field(nullable=True)
    prev_decimals: Series[float] = pa.Field(nullable=True)
    repeats: Series[bool]
    n_repeat: Series[int]
    n_pairs: Series[int]


class RatingCheck(pa.DataFrameModel):
    """A published rating checked only where the printed figures can check it (:func:`kccperf.judge.ratings.check_ratings`).

    ``rating_check``: ``agrees``, ``disagrees`` or ``cannot be checked``; ``rating_check_reason`` says why in
    plain words; ``target_agrees`` is True where the target confirms GREEN or not-GREEN (also when the floor
    then decides nothing that can be checked). ``published_rag`` is the rating the scorecard printed for the
    figure (:func:`kccperf.judge.ratings.with_published_ratings`); where it printed none the check is empty.
    """

    rating_check: Series[str] = pa.Field(
        title="RAG check",
        description="What checking the printed rating against the printed figures found: agrees, disagrees or cannot be checked; blank where none was printed.",
        isin=("", "agrees", "disagrees", "cannot be checked"),
    )
    rating_check_reason: Series[str] = pa.Field(
        title="RAG check: why",
        description="Why the check found what it did, in words (for example the value 17.9 meets the target range 17.5-22.5).",
    )
    target_agrees: Series[bool]


class QualitySummary(pa.DataFrameModel):
    """The reader's findings for a director's page (:func:`kccperf.publish.scorecard_views.quality_table`): one row
    per kind, in plain words, with the titles of the indicators it touched and how many places it was found."""

    what: Series[str]
    where: Series[str]
    found: Series[int] = pa.Field(ge=1)


class RatingChange(pa.DataFrameModel):
    """A row of :func:`kccperf.assess` whose computed standing changed since the previous period
    (:func:`kccperf.judge.ratings.rating_changes`): a rating, or "target missed" (no published floor to decide AMBER or RED)."""

    standing_before: Series[str]
    standing_now: Series[str]

    class Config:
        strict = False  # the assessed row's own columns come with it


class PublishedRating(pa.DataFrameModel):
    """The rating the scorecard printed for an assessed row (:func:`kccperf.judge.ratings.with_published_ratings`)."""

    published_rag: Series[pd.CategoricalDtype] = _rag_field(
        *RAG_LEVELS,
        title="RAG (printed)",
        description="The rating the scorecard printed for the figure: RED, AMBER, GREEN or N/A, blank where it printed none.",
    )


class FindingSentence(pa.DataFrameModel):
    """A finding said in one plain sentence for directors (:func:`kccperf.judge.plain.finding_sentences`):
    the indicator's title, never an internal id, a category id, a file or a row number."""

    area: Series[str]
    block: Series[str]
    title: Series[str]
    sentence: Series[str] = pa.Field(str_length={"min_value": 1})

    class Config:
        strict = True


class Fraction(pa.DataFrameModel):
    """``data/reference/fractions.csv``: a percentage indicator and the count indicators printed with it that
    are its numerator and denominator (the same table, area and periods)."""

    indicator: Series[str]
    numerator_indicator: Series[str]
    denominator_indicator: Series[str]
    note: Series[str]

    class Config:
        strict = True


class TargetCheck(pa.DataFrameModel):
    """``data/reference/target_checks.csv``: thresholds above which a printed target is flagged for checking."""

    check: Series[str] = pa.Field(isin=("year_change", "outside_range"), unique=True)
    threshold: Series[float] = pa.Field(ge=0)
    meaning: Series[str]

    class Config:
        strict = True
        coerce = True


class FindingSummary(pa.DataFrameModel):
    """Per category of :class:`Finding`: checks that agreed, disagreements and what the category means."""

    category: Series[str]
    agree: Series[int]
    disagree: Series[int]
    meaning: Series[str]


class ReconcileWork(pa.DataFrameModel):
    """Working columns of :mod:`kccperf.judge.reconcile`.

    ``rowid`` numbers the published rows so that each is assessed on its own terms;
    ``shown`` is a shared block's figure as one district's page prints it.
    """

    rowid: Series[str]
    shown: Series[str]


class RiskScore(Risk):
    """A risk with its exposure band (1-5, by the £m edges) and score = likelihood x band (:func:`kccperf.budget.risk_scores`)."""

    band: Series[int] = pa.Field(
        title="Exposure band",
        description="The exposure band from 1 (under £10m, or no amount of its own) to 5 (£100m or more).",
        in_range={"min_value": 1, "max_value": 5},
    )
    band_label: Series[str] = pa.Field(
        title="Exposure band: amounts", description="The exposure band's amounts in words, for example £20m to £50m."
    )
    score: Series[int] = pa.Field(
        title="Score", description="Likelihood times exposure band, from 1 to 25: the risk's place on the heat map."
    )


class DirectorateExposure(pa.DataFrameModel):
    """Itemised exposure per directorate as printed (:func:`kccperf.budget.exposure_by_directorate`); ``risks`` counts them.

    An exposure is missing where none of the directorate's risks has an amount of that kind (each is under £10m).
    """

    directorate: Series[str]
    risks: Series[int]
    annual_exposure_m: Series[float] = pa.Field(nullable=True)
    lifetime_exposure_m: Series[float] = pa.Field(nullable=True)


class ExposureShare(pa.DataFrameModel):
    """A directorate's share of the register's exposure, per basis (:func:`kccperf.budget.cype_exposure_share`).

    ``sole_m`` risks naming only the directorate, ``joint_m`` with those it shares, ``itemised_m``
    every itemised risk, ``stated_total_m`` the register's printed total.
    """

    basis: Series[str] = pa.Field(isin=("annual", "lifetime"))
    sole_m: Series[float]
    joint_m: Series[float]
    itemised_m: Series[float]
    stated_total_m: Series[float] = pa.Field(nullable=True)
    share_of_itemised: Series[float] = pa.Field(nullable=True)
    share_of_stated_total: Series[float] = pa.Field(nullable=True)


class BridgeStep(pa.DataFrameModel):
    """One step of a revenue bridge (:func:`kccperf.budget.revenue_bridge`), in the table's ``unit``.

    ``step`` is the row key, ``before`` and ``after`` the running total; ``column`` the printed column bridged.
    """

    step: Series[str] = pa.Field(title="Step id", description="kccperf's short name for the step (the budget table's row).")
    label: Series[str] = pa.Field(
        title="Step",
        description="The step as the budget report prints it, a label it prints in capitals in sentence case: for example Pay or Proposed net budget.",
    )
    kind: Series[str] = pa.Field(
        title="Kind of step",
        description="Whether the step is the start (the base budget), a change (it adds to the budget or takes away) or the end (the net budget).",
        isin=("start", "change", "end"),
    )
    amount: Series[float] = pa.Field(
        title="Amount",
        description="The step's amount as printed, in the unit Unit gives: positive adds to the budget, negative takes away.",
    )
    before: Series[float] = pa.Field(
        title="Running total before", description="The budget before the step, in the unit Unit gives."
    )
    after: Series[float] = pa.Field(title="Running total after", description="The budget after the step, in the unit Unit gives.")
    column: Series[str] = pa.Field(
        title="Column bridged",
        description="The budget table's column the bridge follows: cype (CYPE, Appendix E) or y2025_26_total (the whole council, Appendix D).",
    )
    unit: Series[str] = pa.Field(
        title="Unit", description="The unit of the amounts: £000s (thousands of pounds) or £m (millions).", isin=BUDGET_UNITS
    )


class NovemberBridgeStep(pa.DataFrameModel):
    """Table 1 as a bridge per portfolio (:func:`kccperf.budget.november_bridge`), £m.

    ``check`` is the steps' sum minus the latest net: not zero where the printed figures are rounded.
    """

    portfolio: Series[str]
    step: Series[str]
    amount: Series[float]
    kind: Series[str] = pa.Field(isin=("start", "change", "end"))
    check: Series[float]


class UnresolvedBalance(pa.DataFrameModel):
    """An unresolved balance of an indicative year and its share of that year's net budget (:func:`kccperf.budget.unresolved_balances`)."""

    year: Series[str]
    row: Series[str]
    label: Series[str]
    total: Series[float]
    net_budget: Series[float] = pa.Field(nullable=True)
    share_of_net_budget: Series[float] = pa.Field(nullable=True)


class CapitalProfile(pa.DataFrameModel):
    """Capital spend per year of the programme and group, £000s (:func:`kccperf.budget.capital_profile`)."""

    year: Series[str] = pa.Field(title="Year", description="The financial year of the capital programme, for example 2025-26.")
    group: Series[str] = pa.Field(
        title="Group",
        description="For the whole council, the source of the funding (Appendix A); for CYPE, whether the projects rely on unsecured funding (Appendix B, footnote [1]).",
    )
    amount: Series[float] = pa.Field(
        title="Amount (£000s)", description="The capital spend planned for the year and group, in thousands of pounds."
    )


class UnsecuredShare(pa.DataFrameModel):
    """How much of the CYPE capital programme relies on unsecured funding, per basis (:func:`kccperf.budget.unsecured_capital_share`)."""

    basis: Series[str]
    unsecured: Series[float]
    total: Series[float]
    share: Series[float] = pa.Field(nullable=True)
    unit: Series[str] = pa.Field(isin=BUDGET_UNITS)


class BudgetTerm(pa.DataFrameModel):
    """A sum of signed terms (``+a -b``) exploded to one row per term: the term without its sign, and the sign (+1 or -1)."""

    term: Series[str]
    sign: Series[float]


class BudgetCellRef(pa.DataFrameModel):
    """A cell reference ``table:row:column`` split into its parts (``*`` matches every row or column).

    ``pos`` is the position of the relation it was read from, ``ref`` the reference as written.
    """

    pos: Series[int]
    ref: Series[str]
    table: Series[str]
    row: Series[str]
    column: Series[str]


class BudgetPart(pa.DataFrameModel):
    """One part of a budget check: its signed value, and ``part_check``, the row total the part itself is (if any).

    A mismatch that follows from a misprinted part is traced through ``part_check``.
    """

    check: Series[str]
    value: Series[float]
    sign: Series[float]
    part_check: Series[str]


class BudgetCheckWork(pa.DataFrameModel):
    """Working columns of :mod:`kccperf.budget.reconcile`, between the relations and the checks.

    ``rel`` numbers a relation within its kind (and table); ``parts_cols`` are a column total's
    parts as signed column names; ``ref_table``, ``ref_row``, ``ref_column`` a referenced cell and
    ``part_unit`` its unit; ``half`` is half a printed unit of a figure, ``signed`` sign x value,
    ``tol`` the parts' half units summed; ``total_diff``, ``part_diff`` and ``absval`` compare a
    mismatch with its parts.
    """

    rel: Series[int]
    parts_cols: Series[str]
    ref_table: Series[str]
    ref_row: Series[str]
    ref_column: Series[str]
    part_unit: Series[str] = pa.Field(isin=BUDGET_UNITS)
    half: Series[float]
    signed: Series[float]
    tol: Series[float]
    total_diff: Series[float] = pa.Field(nullable=True)
    part_diff: Series[float] = pa.Field(nullable=True)
    absval: Series[float]


class IndicatorSummary(pa.DataFrameModel):
    """Columns :func:`kccperf.indicator_summary` adds to the scorecard's: the trend, the published judgements.

    ``trend`` and ``trend_periods`` hold each series' values and period labels as lists; ``kept_file`` is a
    working column naming the table whose figures were kept, to pair each value with its own judgement.
    """

    trend: Series[object]
    trend_periods: Series[object]
    rag_published: Series[pd.CategoricalDtype] = _rag_field(*RAG_LEVELS)
    dot_published: Series[str]
    short_title: Series[str] = pa.Field(nullable=True)
    kept_file: Series[str]


class LeagueTable(pa.DataFrameModel):
    """Columns of :func:`kccperf.league_table` beside the RED, AMBER and GREEN counts (named as printed)."""

    best_quarter: Series[int] = pa.Field(alias="best quarter")
    worst_quarter: Series[int] = pa.Field(alias="worst quarter")
    median_rank: Series[float] = pa.Field(alias="median rank", nullable=True)
    rated: Series[int]
    green_share: Series[float] = pa.Field(alias="green share", nullable=True)


class RagCount(pa.DataFrameModel):
    """:func:`kccperf.rag_counts`: how many indicators carry each rating."""

    count: Series[int]


# --- The scorecard's metadata pages: data sources, indicator definitions, caveats (edition folder) -------


class SourceRaw(pa.DataFrameModel):
    """``sources.tsv``: the "Data Sources for Current Report" page, one row per printed row.

    ``line`` is the line of the agenda-pack text, ``section`` the bold sub-heading above the row.
    """

    line: Series[int]
    section: Series[str]
    code: Series[str]
    title: Series[str]
    source: Series[str]
    latest_data: Series[str]
    release_date: Series[str]

    class Config:
        strict = True
        coerce = True


class DefinitionRaw(pa.DataFrameModel):
    """``definitions.tsv``: the "Indicator Definitions" pages, one row per printed row."""

    line: Series[int]
    section: Series[str]
    code: Series[str]
    title: Series[str]
    definition: Series[str]

    class Config:
        strict = True
        coerce = True


class CaveatRaw(pa.DataFrameModel):
    """``caveats.tsv``: the guidance notes' and tables' printed notes, one sentence or note per row."""

    line: Series[int]
    text: Series[str]

    class Config:
        strict = True
        coerce = True


class CaveatRule(pa.DataFrameModel):
    """``data/reference/caveats.csv``: which printed note concerns which indicators (ids or ``*`` patterns)."""

    caveat: Series[str] = pa.Field(unique=True)
    phrase: Series[str]
    indicators: Series[str]

    class Config:
        strict = True


class Coverage(pa.DataFrameModel):
    """``data/reference/coverage.csv``: how a printed "latest data description" reads in plain words.

    ``pattern`` is a regular expression with named groups (``month``, ``year``, ``quarter``,
    ``district_year``, ``from_year``); ``covers`` a template filled from them.
    """

    pattern: Series[str]
    covers: Series[str]

    class Config:
        strict = True


class MetadataSection(pa.DataFrameModel):
    """``data/reference/metadata_sections.csv``: the metadata pages' sub-headings and whether their rows
    describe catalogue indicators (``joins``) or the front page's activity measures."""

    section: Series[str] = pa.Field(unique=True)
    joins: Series[bool]

    class Config:
        strict = True
        coerce = True


class IndicatorInfo(pa.DataFrameModel):
    """:func:`kccperf.load_indicator_info`: one row per catalogue indicator, from the edition's metadata pages.

    ``covers`` says in plain words what the latest figure covers ("snapshot as at Oct 2024",
    "rolling 12 months to Oct 2024", "2022-23 DfE published"); ``period_covered`` is the same as a
    period label in the indicator's own style (``Oct-24``, ``Q2 24-25``, ``Summer 23-24``, ``2022-23``;
    empty when the page gives none) and ``period_covered_districts`` the districts' where the page
    names another; ``latest_data`` is the description as printed. ``caveats`` holds the printed notes
    that concern the indicator, one per line. ``sources_line`` and ``definitions_line`` are the lines of
    the agenda-pack text the rows were printed on.
    """

    indicator: Series[str] = pa.Field(unique=True)
    title: Series[str]
    code_printed: Series[str]
    source: Series[str]
    latest_data: Series[str]
    covers: Series[str] = pa.Field(
        title="Period covered",
        description="What the latest figure covers, in the sources page's words as the report prints them, for example rolling 12 months to Oct 2024.",
    )
    period_covered: Series[str]
    period_covered_districts: Series[str]
    release_date: Series[pa.DateTime] = pa.Field(nullable=True)
    definition: Series[str]
    caveats: Series[str]
    sources_line: Series[pd.Int64Dtype] = pa.Field(nullable=True)
    definitions_line: Series[pd.Int64Dtype] = pa.Field(nullable=True)

    class Config:
        strict = True
        coerce = True


class HeadlineLayout(pa.DataFrameModel):
    """``data/reference/headline.csv``: where the front page prints each headline figure.

    ``pattern`` is a regular expression with a ``value`` group (and ``national`` for a national average in
    brackets) matched against the page's lines; ``occurrence`` picks the n-th line it matches.
    """

    section: Series[str]
    measure: Series[str]
    code: Series[str]
    unit: Series[str] = pa.Field(isin=("count", "percent"))
    pattern: Series[str]
    occurrence: Series[int] = pa.Field(ge=1)

    class Config:
        strict = True
        coerce = True


class Manifest(pa.DataFrameModel):
    """``MANIFEST.tsv`` of an edition: each table file, its area slug and table, its source lines and printed heading."""

    file: Series[str] = pa.Field(unique=True)
    area: Series[str]
    table: Series[str]
    source_first_line: Series[int]
    source_last_line: Series[int]
    printed_heading: Series[str]

    class Config:
        strict = True
        coerce = True
