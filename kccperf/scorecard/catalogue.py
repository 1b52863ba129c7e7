"""The indicator catalogue, targets, floors, areas and team blocks from ``data/reference/``."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .. import schemas
from .._paths import data_root
from ..errors import InputError, ParameterError, read_utf8
from ..schemas import Abbreviation, Area, Block, Indicator, Table, Target


def normalise_title(title: str) -> str:
    """Casefold, unescape ``&amp;`` and collapse whitespace so printed titles compare reliably."""
    text = str(title).replace("&amp;", "&").replace("\u2013", "-").replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip().casefold()


def _read_reference(name: str, model, data_dir) -> pd.DataFrame:
    path = data_root(data_dir) / "reference" / name
    if not path.is_file():
        raise InputError(f"{path}: reference file is missing; expected it in data/reference/.")
    text = read_utf8(path, InputError, "a comma-separated file with a header row")
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise InputError(
            f"{path}: cannot be read as CSV ({str(exc).strip()}); expected a comma-separated file with a header row."
        ) from None
    if model is Indicator:
        # CSV booleans are text: only 'True' and 'False' are accepted, so a typo cannot turn into True.
        for col in (Indicator.seasonal, Indicator.qpr):
            bad = ~frame[col].isin(["True", "False"])
            if bad.any():
                raise InputError(
                    f"{path} row {int(frame.index[bad][0]) + 2}, column '{col}': expected True or False, "
                    f"found {frame.loc[bad, col].iloc[0]!r}."
                )
            frame[col] = frame[col] == "True"
    if model is None:
        return frame
    # Number the rows as the file's lines (the header is line 1), so a schema error names the line to fix.
    frame.index = pd.RangeIndex(2, len(frame) + 2)
    return schemas.validate(frame, model, str(path)).reset_index(drop=True)


@dataclass(frozen=True)
class Catalogue:
    """Reference facts used to read and judge the scorecard."""

    indicators: pd.DataFrame
    targets: pd.DataFrame
    areas: pd.DataFrame
    blocks: pd.DataFrame
    tables: pd.DataFrame

    @property
    def titles(self) -> dict[str, str]:
        """Normalised title or alias -> indicator id."""
        out: dict[str, str] = {}
        for ind, title, aliases in self.indicators[[Indicator.indicator, Indicator.title, Indicator.aliases]].itertuples(
            index=False
        ):
            for t in [title, *[a for a in aliases.split("|") if a]]:
                out[normalise_title(t)] = ind
        return out

    @property
    def codes(self) -> dict[str, str]:
        """Published code -> indicator id, for codes the catalogue recognises."""
        out: dict[str, str] = {}
        for ind, codes in self.indicators[[Indicator.indicator, Indicator.codes]].itertuples(index=False):
            for c in codes.split("|"):
                if c:
                    out[c] = ind
        return out

    def area_name(self, slug_or_name: str) -> str:
        """Canonical area name for a slug or a name (any case); raises ParameterError when unknown."""
        key = str(slug_or_name).strip().casefold()
        for name, slug in self.areas[[Area.area, Area.slug]].itertuples(index=False):
            if key in (name.casefold(), slug):
                return name
        known = ", ".join(self.areas[Area.area])
        raise ParameterError(f"area '{slug_or_name}' is not known; expected one of: {known}.")

    def area_slug(self, name: str) -> str:
        name = self.area_name(name)
        return self.areas.loc[self.areas[Area.area] == name, Area.slug].iloc[0]

    def blocks_for(self, slug: str, team_type: str) -> list[str]:
        """Team blocks of ``team_type`` (CSWT or EHU) that cover the area ``slug``."""
        b = self.blocks
        hit = b[(b[Block.team_type] == team_type) & b[Block.areas].str.split("|").apply(lambda a: slug in a)]
        return list(hit[Block.block])


@lru_cache(maxsize=8)
def _load(root: str, _signature: tuple) -> Catalogue:
    ind = _read_reference("indicators.csv", Indicator, root)
    tgt = _read_reference("targets.csv", None, root).replace("", None)
    tgt = schemas.validate(tgt, Target, str(Path(root) / "reference" / "targets.csv"))
    tgt[Target.provenance] = tgt[Target.provenance].fillna("")
    unknown = sorted(set(tgt[Target.indicator]) - set(ind[Indicator.indicator]))
    if unknown:
        raise InputError(
            f"{Path(root) / 'reference' / 'targets.csv'}: column 'indicator' names {unknown[0]!r}, "
            "which is not in indicators.csv."
        )
    return Catalogue(
        indicators=ind,
        targets=tgt,
        areas=_read_reference("areas.csv", Area, root),
        blocks=_read_reference("blocks.csv", Block, root),
        tables=_read_reference("tables.csv", Table, root),
    )


def _reference_signature(root: Path) -> tuple:
    folder = root / "reference"
    if not folder.is_dir():
        return ()
    return tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(folder.glob("*.csv")))


def load_catalogue(data_dir=None) -> Catalogue:
    """Load and validate the reference data.

    Parameters
    ----------
    data_dir : path, optional
        The data folder; defaults to the repository's ``data/``.

    Returns
    -------
    Catalogue
        Indicators, targets, areas and blocks as validated DataFrames.

    Examples
    --------
    >>> cat = load_catalogue()
    >>> cat.indicators.set_index("indicator").loc["cswt_re_referrals", "polarity"]
    'L'
    """
    root = data_root(data_dir).resolve()
    cat = _load(str(root), _reference_signature(root))
    # Copies, so that a caller's edits never leak into the cache (and so into later assessments).
    return Catalogue(*(getattr(cat, f).copy() for f in ("indicators", "targets", "areas", "blocks", "tables")))


def load_abbreviations(data_dir=None) -> pd.DataFrame:
    """The abbreviations the scorecard and the budget report print, with their meanings and where each comes from.

    Most come from the scorecard's own key to abbreviations; the rest, which the scorecard uses without
    explaining, say so in ``source``.

    Parameters
    ----------
    data_dir : path, optional
        The data folder; defaults to the repository's ``data/``.

    Returns
    -------
    DataFrame
        ``data/reference/abbreviations.csv`` validated against :class:`~kccperf.schemas.Abbreviation`.

    Examples
    --------
    >>> load_abbreviations().set_index("abbreviation").loc["CSWT", "meaning"]
    "Children's Social Work Teams"
    """
    return _read_reference("abbreviations.csv", Abbreviation, data_root(data_dir).resolve())
