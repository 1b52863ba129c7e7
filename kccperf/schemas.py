"""DataFrame schemas: the data contract and the one home of column names.

Every other module refers to columns through these models, for example
``Scorecard.value`` evaluates to ``"value"``.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

POLARITIES = ("H", "L", "T")
PERIOD_TYPES = ("MS", "R12M", "Q", "T", "A")
RAGS = ("RED", "AMBER", "GREEN")


class Scorecard(pa.DataFrameModel):
    """One row per area, block, indicator and period: the tidy scorecard."""

    area: Series[str]
    block: Series[str]
    indicator: Series[str]
    code_published: Series[str]
    title: Series[str]
    polarity: Series[str] = pa.Field(isin=POLARITIES)
    period_type: Series[str] = pa.Field(isin=PERIOD_TYPES)
    period: Series[str]
    period_label: Series[str]
    value: Series[float] = pa.Field(nullable=True)
    numerator: Series[float] = pa.Field(nullable=True)
    denominator: Series[float] = pa.Field(nullable=True)
    decimals: Series[float] = pa.Field(nullable=True)
    is_latest: Series[bool]
    table: Series[str]
    source_file: Series[str]
    source_row: Series[int]

    class Config:
        strict = True
        coerce = True
        unique = ["area", "block", "indicator", "period"]


class Published(pa.DataFrameModel):
    """What the scorecard printed as judgements and benchmarks, per area, block and indicator."""

    area: Series[str]
    block: Series[str]
    indicator: Series[str]
    code_published: Series[str]
    title: Series[str]
    table: Series[str]
    latest_period: Series[str]
    dot: Series[str]
    rag: Series[str] = pa.Field(isin=("", *RAGS, "N/A"))
    rag_year: Series[str]
    target: Series[float] = pa.Field(nullable=True)
    target_year: Series[str]
    prev_outturn: Series[float] = pa.Field(nullable=True)
    prev_target: Series[float] = pa.Field(nullable=True)
    prev_rag: Series[str] = pa.Field(isin=("", *RAGS, "N/A"))
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


class Indicator(pa.DataFrameModel):
    """The indicator catalogue in ``data/reference/indicators.csv``."""

    indicator: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9_]+$")
    codes: Series[str]
    title: Series[str] = pa.Field(unique=True)
    aliases: Series[str]
    service: Series[str]
    polarity: Series[str] = pa.Field(isin=POLARITIES)
    period_type: Series[str] = pa.Field(isin=PERIOD_TYPES)
    unit: Series[str] = pa.Field(isin=("percent", "count", "days", "caseload", "score", "rate"))
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
    floor: Series[float] = pa.Field(nullable=True)
    range_low: Series[float] = pa.Field(nullable=True)
    range_high: Series[float] = pa.Field(nullable=True)
    provenance: Series[str]

    class Config:
        strict = True
        coerce = True
        unique = ["indicator", "year"]


class Table(pa.DataFrameModel):
    """Kinds of printed table in ``data/reference/tables.csv``; precedence settles figures printed twice."""

    table: Series[str] = pa.Field(unique=True, str_matches=r"^[a-z0-9_]+$")
    precedence: Series[int] = pa.Field(ge=1)
    description: Series[str]

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

    class Config:
        strict = True


class Block(pa.DataFrameModel):
    """Social-work and early-help team blocks in ``data/reference/blocks.csv``."""

    block: Series[str] = pa.Field(unique=True)
    team_type: Series[str] = pa.Field(isin=("CSWT", "EHU"))
    areas: Series[str]

    class Config:
        strict = True


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
            raise ValidationError(
                f"{source}: {where}, column '{first['column']}' failed check {first['check']} (found {first['failure_case']!r})."
            ) from None
        raise ValidationError(f"{source}: {exc}") from None
