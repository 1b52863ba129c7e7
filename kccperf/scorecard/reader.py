"""The wide scorecard reader: one published table file in, tidy frames and a data-quality log out.

The published tables are converted from PDF, so their header rows cannot be
trusted: period labels drift onto the wrong row or column, header cells shift
by one, and merged "N/A" cells collapse. The reader therefore takes the column
geometry from the data rows (the direction-of-travel arrows anchor the tail
columns) and uses the header only for labels, logging every disagreement.
Figures are never altered: what cannot be reconciled is logged, not fixed.
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import ParameterError, ScorecardFileError
from ..schemas import Anomaly, Indicator, Published, Scorecard
from . import periods as P
from .catalogue import Catalogue, load_catalogue, normalise_title

ARROWS = {"↑": "improved", "↓": "worsened", "↔": "same"}
_KIND_RE = re.compile(r"^(Monthly|Quarterly|Termly|Annual) Trends$", re.I)
_LATEST_RE = re.compile(r"^Latest (Month|Quarter|Term|Year)$", re.I)
_THOUSANDS_RE = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_NUMBER_RE = re.compile(r"^-?\d+(\.\d+)?$")
_BLOCK_RE = re.compile(r"\b(CSWT|EHU)$")
_PAGE_RE = re.compile(r"^Page \d+$", re.I)
_FILE_RE = re.compile(r"^(?P<area>[a-z0-9-]+)__(?P<table>[a-z0-9_]+?)(?:__(?P<n>\d+))?$")
_SUBLABEL_RE = re.compile(r"^(SN or SE|SE Region|SN|SE)$")
# Values computed from numerator/denominator are multiplied by this per unit.
_SCALE = {"percent": 100.0, "rate": 100.0, "days": 1.0, "caseload": 1.0}
_FIXED = ["Code", "Indicator", "Polarity", "Data Period", "QPR"]
N_FIXED = len(_FIXED)


@dataclass(frozen=True)
class ScorecardTable:
    """One published table, read.

    Attributes
    ----------
    values : DataFrame
        Tidy values (schema :class:`kccperf.schemas.Scorecard`).
    published : DataFrame
        Printed judgements and benchmarks (schema :class:`kccperf.schemas.Published`).
    anomalies : DataFrame
        The data-quality log (schema :class:`kccperf.schemas.Anomaly`).
    """

    path: Path
    area: str
    table: str
    kind: str
    title: str
    values: pd.DataFrame
    published: pd.DataFrame
    anomalies: pd.DataFrame


@dataclass
class _Log:
    path: str
    area: str
    rows: list[dict] = field(default_factory=list)

    def add(self, category, message, *, row=None, column="", block="", indicator="", found="", expected=""):
        self.rows.append(
            {
                Anomaly.source_file: self.path,
                Anomaly.row: row,
                Anomaly.column: column,
                Anomaly.area: self.area,
                Anomaly.block: block,
                Anomaly.indicator: indicator,
                Anomaly.category: category,
                Anomaly.found: str(found),
                Anomaly.expected: str(expected),
                Anomaly.message: message,
            }
        )

    def frame(self) -> pd.DataFrame:
        cols = list(Anomaly.to_schema().columns)
        frame = pd.DataFrame(self.rows, columns=cols)
        frame[Anomaly.row] = frame[Anomaly.row].astype("Int64")
        return frame


def _read_cells(path: Path) -> tuple[list[list[str]], bool]:
    """The file's cells, and whether it ends with a line break (a file cut off mid-row does not)."""
    if not path.exists():
        raise ScorecardFileError(f"{path}: file not found; expected a scorecard table (.tsv, .csv or .xlsx).")
    if path.is_dir():
        raise ScorecardFileError(f"{path}: is a folder; expected a scorecard table file (.tsv, .csv or .xlsx).")
    suffix = path.suffix.lower()
    if suffix in (".tsv", ".txt", ".csv"):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            raise ScorecardFileError(
                f"{path} row {line}: byte {exc.start} is not UTF-8 text; expected a table saved as UTF-8 "
                "(in Excel: Save As 'CSV UTF-8')."
            ) from None
        complete = text == "" or text.endswith(("\n", "\r"))
        lines = text.splitlines()
        if suffix == ".csv":
            # Excel writes ';' in many European locales: take whichever delimiter the header uses.
            try:
                dialect = csv.Sniffer().sniff("\n".join(lines[:5]), delimiters=",;\t")
            except csv.Error:
                dialect = csv.excel
            return [list(r) for r in csv.reader(lines, dialect)], complete
        return [line.split("\t") for line in lines], complete
    if suffix == ".xlsx":
        import openpyxl

        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise ScorecardFileError(f"{path}: cannot be opened as an Excel workbook ({exc}); expected a .xlsx file.") from None
        sheet = book.worksheets[0]
        rows = []
        for r in sheet.iter_rows(values_only=True):
            rows.append(["" if v is None else (f"{v:g}" if isinstance(v, float) else str(v)) for v in r])
        book.close()
        return rows, True
    raise ScorecardFileError(f"{path}: unsupported file type '{suffix}'; expected .tsv, .csv or .xlsx.")


def _parse_number(text: str) -> tuple[float, float, str]:
    """(value, decimals, status) for one cell; status is 'value', 'N/A' or 'blank'; raises ValueError."""
    t = text.strip().replace("\u00a0", "")
    if t == "":
        return np.nan, np.nan, "blank"
    if t.upper() in ("N/A", "NA", "N/ A"):
        return np.nan, np.nan, "N/A"
    if t.endswith("%"):
        t = t[:-1].strip()
    if _THOUSANDS_RE.match(t):
        t = t.replace(",", "")
    if not _NUMBER_RE.match(t):
        raise ValueError(text)
    decimals = len(t.split(".")[1]) if "." in t else 0
    return float(t), float(decimals), "value"


def _cell(cells: list[str], i: int) -> str:
    return cells[i].strip() if i < len(cells) else ""


def _column_name(col: int) -> str:
    """Spreadsheet-style column letter for a 0-based index, for messages."""
    name = ""
    col += 1
    while col:
        col, r = divmod(col - 1, 26)
        name = chr(65 + r) + name
    return name


def _tail_roles(labels: list[tuple[int, str]], kind: str) -> list[tuple[str, str]]:
    """Map the printed tail labels (after 'Latest ...') to roles, in order."""
    roles: list[tuple[str, str]] = []
    seen_outturn = False
    n_target = n_rag = 0
    for _, lab in labels:
        low = lab.casefold()
        if low == "dot":
            roles.append(("dot", lab))
        elif low.startswith("target"):
            if n_target == 0:
                roles.append(("target", lab))
            else:
                roles.append(("prev_target" if seen_outturn else "next_target", lab))
            n_target += 1
        elif low.startswith("rag"):
            roles.append(("rag" if n_rag == 0 else "prev_rag", lab))
            n_rag += 1
        elif "outturn" in low:
            roles.append(("prev_outturn", lab))
            seen_outturn = True
        elif low.startswith("england"):
            roles.append(("england", lab))
        elif low.startswith(("benchmark", "south east", "se ", "statistical", "regional")):
            roles.append(("benchmark", lab))
        else:
            roles.append(("unknown", lab))
    return roles


def read_scorecard(
    path,
    *,
    area: str | None = None,
    edition: str | None = None,
    catalogue: Catalogue | None = None,
) -> ScorecardTable:
    """Read one scorecard table in its published wide layout.

    Parameters
    ----------
    path : str or Path
        A ``.tsv``, ``.csv`` or ``.xlsx`` file holding one printed table. Files in
        ``data/raw/scorecard/<edition>/`` are named ``<area-slug>__<table>.tsv``,
        from which the area is taken.
    area : str, optional
        Area name or slug; overrides the file name.
    edition : str, optional
        The scorecard edition (``"2024-10"``); defaults to the name of the file's
        folder when it looks like one. Used to check the latest period and to
        infer period labels the header leaves out.
    catalogue : Catalogue, optional
        Reference data; defaults to :func:`kccperf.load_catalogue`.

    Returns
    -------
    ScorecardTable
        ``values`` (tidy, one row per indicator row and period), ``published``
        (printed judgements) and ``anomalies`` (the data-quality log).

    Raises
    ------
    ScorecardFileError
        The file is missing, empty, truncated or not a scorecard table; the
        message names the file, row and column.

    Examples
    --------
    >>> t = read_scorecard("data/raw/scorecard/2024-10/kent__ics_quarterly.tsv")
    >>> t.values[["indicator", "period", "value"]].tail(1).to_dict("records")
    [{'indicator': 'yj_reoffending', 'period': '2024-25 Q2', 'value': 33.2}]
    """
    path = Path(path)
    cat = catalogue or load_catalogue()
    m = _FILE_RE.match(path.stem)
    table_name = m["table"] if m else re.sub(r"[^a-z0-9]+", "_", path.stem.lower()).strip("_")
    if area is not None:
        area_name = cat.area_name(area)
    elif m:
        try:
            area_name = cat.area_name(m["area"])
        except Exception:
            area_name = ""
    else:
        area_name = ""
    area_slug = cat.area_slug(area_name) if area_name else ""
    if edition is None and re.match(r"^\d{4}-(0[1-9]|1[0-2])$", path.parent.name):
        edition = path.parent.name
    if edition is not None and not re.match(r"^\d{4}-(0[1-9]|1[0-2])$", str(edition)):
        raise ParameterError(
            f"parameter 'edition' is {edition!r}; expected a scorecard edition such as '2024-10' (year and month)."
        )
    src = str(path)
    log = _Log(src, area_name)

    rows, complete = _read_cells(path)
    if not any(c.strip() for r in rows for c in r):
        raise ScorecardFileError(
            f"{path}: the file is empty; expected a scorecard table with a header row naming 'Polarity' and 'Data Period'."
        )

    # Header row: the first naming both Polarity and Data Period.
    h = next(
        (i for i, r in enumerate(rows) if "Polarity" in [c.strip() for c in r] and "Data Period" in [c.strip() for c in r]), None
    )
    if h is None:
        raise ScorecardFileError(
            f"{path} row 1: no header row names 'Polarity' and 'Data Period'; expected the published header "
            "(title, Polarity, Data Period, QPR, trends, latest value, DOT, targets, RAG, benchmarks)."
        )
    header = [c.strip() for c in rows[h]]
    title = header[0]
    kind_cell = next(((j, c) for j, c in enumerate(header) if _KIND_RE.match(c)), None)
    if kind_cell is None:
        raise ScorecardFileError(
            f"{path} row {h + 1}: no '... Trends' column in the header; expected 'Monthly Trends', "
            "'Quarterly Trends', 'Termly Trends' or 'Annual Trends'."
        )
    kind = kind_cell[1].split()[0].lower()
    latest_idx = next((j for j, c in enumerate(header) if _LATEST_RE.match(c)), None)
    if latest_idx is None:
        raise ScorecardFileError(f"{path} row {h + 1}: no 'Latest ...' column in the header; expected e.g. 'Latest Month'.")
    named = title.rsplit(" - ", 1)[1].strip() if " - " in title else ""
    if (
        named
        and area_name
        and named.casefold() in set(cat.areas["area"].str.casefold())
        and named.casefold() != area_name.casefold()
    ):
        log.add(
            "area_mismatch",
            f"the table heading names '{title.rsplit(' - ', 1)[1]}' but the file is for {area_name}.",
            row=h + 1,
            column="A",
            found=title,
            expected=area_name,
        )
    tail_labels = [(j, c) for j, c in enumerate(header) if j > latest_idx and c]
    roles = _tail_roles(tail_labels, kind)
    for (j, lab), (role, _) in zip(tail_labels, roles):
        if role == "unknown":
            log.add(
                "unknown_header",
                f"header label '{lab}' is not one the reader knows; its column is ignored.",
                row=h + 1,
                column=_column_name(j),
                found=lab,
                expected="DOT, Target, RAG, Outturn, Benchmark or England",
            )

    data_idx = [i for i in range(h + 1, len(rows)) if _cell(rows[i], 1)]
    if not data_idx:
        raise ScorecardFileError(
            f"{path} row {len(rows)}: the table ends after its header; expected at least one indicator row "
            "(the file looks truncated)."
        )

    # Geometry from the data: the arrow column minus the DOT's place in the tail.
    role_names = [r for r, _ in roles]
    tail_start_header = latest_idx + 3
    tail_start = tail_start_header
    if "dot" in role_names:
        k = role_names.index("dot")
        starts = Counter(j - k for i in data_idx for j, c in enumerate(rows[i]) if c.strip() in ARROWS and j >= N_FIXED)
        if starts:
            tail_start = starts.most_common(1)[0][0]
    n = tail_start - 2 - N_FIXED
    if n < 1:
        raise ScorecardFileError(
            f"{path} row {h + 1}: cannot place the trend columns; expected at least one period column before 'Latest'."
        )
    if tail_start != tail_start_header:
        log.add(
            "misaligned_header",
            f"the header row is offset by {tail_start_header - tail_start:+d} column(s) from the data rows; "
            "columns were placed by the data.",
            row=h + 1,
            column=_column_name(latest_idx),
            found=f"'{header[latest_idx]}' in column {_column_name(latest_idx)}",
            expected=f"column {_column_name(tail_start - 3)}",
        )

    # Period labels from every non-data row (header continuation and block rows).
    found_labels: list[tuple[P.Period, int, int]] = []
    sublabel = ""
    blocks_at: dict[int, str] = {}
    known_blocks = set(cat.blocks["block"])
    for i in range(h, len(rows)):
        if i in data_idx:
            continue
        for j, c in enumerate(rows[i]):
            c = c.strip()
            if not c:
                continue
            p = P.parse(c, kind)
            if p is not None:
                found_labels.append((p, i, j))
            elif i > h and (c in known_blocks or _BLOCK_RE.search(c)):
                blocks_at[i] = c
            elif i > h and _SUBLABEL_RE.match(c):
                sublabel = c
    want_latest = P.edition_latest(edition, kind) if edition else None
    distinct = sorted({p for p, _, _ in found_labels})
    if distinct:
        start_seq = [distinct[0].shift(k) for k in range(n)]
        end_seq = [distinct[-1].shift(k - n + 1) for k in range(n)]
        seq = start_seq
        if want_latest is not None and start_seq[-1] != want_latest and end_seq[-1] == want_latest:
            seq = end_seq
        outside = [p for p in distinct if p not in seq]
        for p in outside:
            _, i, j = next(x for x in found_labels if x[0] == p)
            log.add(
                "garbled_period_label",
                f"period label '{p.label}' does not fit the {n} consecutive periods {seq[0].label} to {seq[-1].label}.",
                row=i + 1,
                column=_column_name(j),
                found=p.label,
                expected=f"{seq[0].label}..{seq[-1].label}",
            )
        if len(distinct) - len(outside) < n:
            missing = [p.label for p in seq if p not in distinct]
            log.add(
                "missing_period_labels",
                f"the header prints {len(distinct) - len(outside)} of {n} period labels; "
                f"{', '.join(missing)} inferred as consecutive periods.",
                row=h + 2,
                column=_column_name(N_FIXED),
                found=", ".join(p.label for p in distinct),
                expected=", ".join(p.label for p in seq),
            )
    else:
        latest = want_latest
        if latest is None:
            years = [P.year_label(lab) for role, lab in roles if role == "target"]
            latest = P.Period("annual", int(years[0][:4])) if kind == "annual" and years and years[0] else None
        if latest is None:
            raise ScorecardFileError(
                f"{path} rows {h + 1}-{data_idx[0]}: no period labels in the header; expected labels such as "
                "'Apr-24', 'Q2 24-25', 'Summer 23-24' or '2023-24'."
            )
        seq = [latest.shift(k - n + 1) for k in range(n)]
        log.add(
            "missing_period_labels",
            f"the header prints no period labels; {seq[0].label} to {seq[-1].label} inferred.",
            row=h + 2,
            column=_column_name(N_FIXED),
            expected=", ".join(p.label for p in seq),
        )
    # Labels placed in other columns than their values.
    misplaced = [(p, i, j) for p, i, j in found_labels if p in seq and j != N_FIXED + seq.index(p)]
    if misplaced:
        p, i, j = misplaced[0]
        log.add(
            "misaligned_header",
            f"period labels sit in the wrong columns (e.g. '{p.label}' in column "
            f"{_column_name(j)} but its values are in column {_column_name(N_FIXED + seq.index(p))}).",
            row=i + 1,
            column=_column_name(j),
            found=p.label,
            expected=f"column {_column_name(N_FIXED + seq.index(p))}",
        )
    if want_latest is not None and seq[-1] != want_latest:
        log.add(
            "unexpected_latest_period",
            f"the latest period is {seq[-1].label}, but a {edition} {kind} table should end at {want_latest.label}.",
            row=h + 1,
            column=_column_name(tail_start - 3),
            found=seq[-1].label,
            expected=want_latest.label,
        )

    # Stale year labels in the tail header.
    rep_year = seq[-1].reporting_year
    expected_years = {
        "target": rep_year,
        "rag": rep_year,
        "prev_outturn": P.previous_year(rep_year),
        "prev_target": P.previous_year(rep_year),
        "prev_rag": P.previous_year(rep_year),
    }
    for (j, lab), (role, _) in zip(tail_labels, roles):
        y = P.year_label(lab)
        if y and role in expected_years and y != expected_years[role]:
            log.add(
                "stale_header",
                f"header '{lab}' names {y}, but the latest period {seq[-1].label} reports for {expected_years[role]}.",
                row=h + 1,
                column=_column_name(j),
                found=lab,
                expected=expected_years[role],
            )

    # Indicator rows.
    titles = cat.titles
    code_owner = cat.codes
    ind = cat.indicators.set_index(Indicator.indicator)
    value_rows: list[dict] = []
    pub_rows: list[dict] = []
    block = ""
    for i in range(h + 1, len(rows)):
        if i in blocks_at and i not in data_idx:
            block = blocks_at[i]
            if block not in known_blocks:
                log.add(
                    "unknown_block",
                    f"team block '{block}' is not in data/reference/blocks.csv.",
                    row=i + 1,
                    column="A",
                    block=block,
                    found=block,
                    expected="a block listed in blocks.csv",
                )
            elif area_slug and area_slug not in cat.blocks.set_index("block").loc[block, "areas"].split("|"):
                log.add(
                    "unknown_block",
                    f"team block '{block}' does not cover {area_name}.",
                    row=i + 1,
                    column="A",
                    block=block,
                    found=block,
                    expected=f"a block covering {area_name}",
                )
            continue
        if i not in data_idx:
            continue
        cells = rows[i]
        rn = i + 1
        code = _cell(cells, 0)
        text_title = _cell(cells, 1)
        pol = _cell(cells, 2)
        ptype = _cell(cells, 3)
        if pol not in ("H", "L", "T"):
            raise ScorecardFileError(f"{path} row {rn}, column 'Polarity' (C): expected H, L or T, found '{pol}'.")
        if ptype not in ("MS", "R12M", "Q", "T", "A", "YTD"):
            raise ScorecardFileError(f"{path} row {rn}, column 'Data Period' (D): expected MS, R12M, Q, T or A, found '{ptype}'.")
        stripped = list(cells)
        while stripped and not stripped[-1].strip():
            stripped.pop()
        merged = (
            _cell(cells, N_FIXED) == "N/A" and n > 1 and all(not _cell(cells, j) for j in range(N_FIXED + 1, N_FIXED + n - 1))
        )
        width = tail_start + len(roles)
        # Spreadsheets drop empty cells at the end of a row; only a last row cut off mid-line is truncated.
        if not merged and len(cells) < width and (complete or i != len(rows) - 1):
            cells = cells + [""] * (width - len(cells))
        if not merged and len(cells) < width:
            names = [p.label for p in seq] + ["Numerator", "Denominator"] + [lab for _, lab in roles]
            missing = len(cells) - N_FIXED
            raise ScorecardFileError(
                f"{path} row {rn}, column '{names[missing] if 0 <= missing < len(names) else 'Polarity'}' "
                f"({_column_name(len(cells))}): the row ends after {len(cells)} cells; expected {width} "
                "(the file looks truncated)."
            )
        indicator = titles.get(normalise_title(text_title), "")
        if not indicator:
            log.add(
                "unknown_title",
                f"title '{text_title}' is not in the indicator catalogue (titles and aliases).",
                row=rn,
                column="B",
                block=block,
                found=text_title,
                expected="a title or alias in indicators.csv",
            )
        # Cells by role; a merged N/A block collapses cells, so its tail is right-aligned.
        if merged:
            rest = stripped[N_FIXED + n - 1 :]
            aligned = [""] * (width - (N_FIXED + n - 1) - len(rest)) + rest
            row_cells = list(cells[:N_FIXED]) + ["N/A"] + [""] * (n - 2) + aligned
            if len(stripped) != width:
                log.add(
                    "merged_na",
                    f"a merged N/A block leaves {len(stripped)} cells where the table has {width}; "
                    "the remaining cells were right-aligned to the last column.",
                    row=rn,
                    column=_column_name(N_FIXED),
                    block=block,
                    indicator=indicator,
                    found=f"{len(stripped)} cells",
                    expected=f"{width} cells",
                )
        else:
            row_cells = list(cells) + [""] * max(0, width - len(cells))
            # A row whose arrow sits off the table's DOT column has lost (or gained) trend cells;
            # align it on the arrow so the latest value, numerator and denominator stay right.
            arrows = [j for j, c in enumerate(cells) if c.strip() in ARROWS and j >= N_FIXED]
            if "dot" in role_names and arrows:
                shift = (tail_start + role_names.index("dot")) - arrows[0]
                if shift > 0:
                    row_cells = row_cells[:N_FIXED] + [""] * shift + row_cells[N_FIXED:]
                elif shift < 0 and not any(c.strip() for c in row_cells[N_FIXED : N_FIXED - shift]):
                    row_cells = row_cells[:N_FIXED] + row_cells[N_FIXED - shift :]
                elif shift < 0:
                    raise ScorecardFileError(
                        f"{path} row {rn}, column '{seq[0].label}' ({_column_name(N_FIXED)}): the row has {-shift} more "
                        f"cell(s) than the header before its DOT arrow; expected {n} period values, a numerator and a denominator."
                    )
                if shift:
                    log.add(
                        "misaligned_row",
                        f"the DOT arrow is in column {_column_name(arrows[0])}, not "
                        f"{_column_name(tail_start + role_names.index('dot'))}: the row has {abs(shift)} trend cell(s) "
                        f"{'too few' if shift > 0 else 'too many'}; values were aligned on the arrow, so "
                        f"{'the earliest period is blank' if shift > 0 else 'leading blanks were dropped'}.",
                        row=rn,
                        column=_column_name(arrows[0]),
                        block=block,
                        indicator=indicator,
                        found=f"arrow in {_column_name(arrows[0])}",
                        expected=f"arrow in {_column_name(tail_start + role_names.index('dot'))}",
                    )
        nums = []
        for k in range(n + 2):
            j = N_FIXED + k
            colname = seq[k].label if k < n else ("Numerator" if k == n else "Denominator")
            raw = "N/A" if merged else row_cells[j]
            try:
                nums.append(_parse_number(raw))
            except ValueError:
                hint = (
                    (
                        " (a '?' usually means the file was saved in a non-UTF-8 encoding and lost its arrows; save it as "
                        "CSV UTF-8)"
                    )
                    if raw.strip() == "?"
                    else ""
                )
                raise ScorecardFileError(
                    f"{path} row {rn}, column '{colname}' ({_column_name(j)}): expected a number, 'N/A' or a blank, found '{raw.strip()}'{hint}."
                ) from None
        tail = {}
        for t, (role, lab) in enumerate(roles):
            tail[role] = (row_cells[tail_start + t].strip() if tail_start + t < len(row_cells) else "", lab, tail_start + t)
        # Code checks: published codes are not reliable ids, so each is checked against the catalogue.
        if indicator:
            codes = [c for c in ind.at[indicator, Indicator.codes].split("|") if c]
            if not code and codes:
                log.add(
                    "missing_code",
                    f"no code printed; the catalogue code is {codes[0]}.",
                    row=rn,
                    column="A",
                    block=block,
                    indicator=indicator,
                    expected=codes[0],
                )
            elif code and _PAGE_RE.match(code):
                log.add(
                    "wrong_code",
                    f"a page-number artefact '{code}' stands in the code column.",
                    row=rn,
                    column="A",
                    block=block,
                    indicator=indicator,
                    found=code,
                    expected=codes[0] if codes else "",
                )
            elif code and code not in codes:
                other = code_owner.get(code)
                why = (
                    f"code {code} belongs to '{ind.at[other, Indicator.title]}'"
                    if other and other != indicator
                    else f"code {code} is not a code the catalogue knows for this indicator"
                )
                log.add(
                    "wrong_code",
                    f"{why}; expected {codes[0] if codes else 'no code'}.",
                    row=rn,
                    column="A",
                    block=block,
                    indicator=indicator,
                    found=code,
                    expected=codes[0] if codes else "",
                )
            if pol != ind.at[indicator, Indicator.polarity]:
                log.add(
                    "polarity_mismatch",
                    f"polarity printed {pol}; the catalogue says {ind.at[indicator, Indicator.polarity]}.",
                    row=rn,
                    column="C",
                    block=block,
                    indicator=indicator,
                    found=pol,
                    expected=ind.at[indicator, Indicator.polarity],
                )
            if ptype != ind.at[indicator, Indicator.period_type]:
                log.add(
                    "period_type_mismatch",
                    f"data period printed {ptype}; the catalogue says {ind.at[indicator, Indicator.period_type]}.",
                    row=rn,
                    column="D",
                    block=block,
                    indicator=indicator,
                    found=ptype,
                    expected=ind.at[indicator, Indicator.period_type],
                )
        pub = {
            Published.area: area_name,
            Published.block: block,
            Published.indicator: indicator,
            Published.code_published: code,
            Published.title: text_title,
            Published.table: table_name,
            Published.latest_period: seq[-1].key,
            Published.source_file: src,
            Published.source_row: rn,
            Published.rag_year: rep_year,
            Published.target_year: rep_year,
            Published.prev_year: P.previous_year(rep_year),
            Published.next_target_year: "",
            Published.benchmark_label: "",
            Published.england_label: "",
        }
        for role in ("dot", "rag", "prev_rag"):
            text, lab, j = tail.get(role, ("", "", 0))
            text = text.upper() if role != "dot" else text
            if role == "dot" and text and text not in ARROWS and text != "N/A":
                log.add(
                    "unexpected_text",
                    f"DOT cell holds '{text}'; expected an arrow.",
                    row=rn,
                    column=_column_name(j),
                    block=block,
                    indicator=indicator,
                    found=text,
                    expected="↑, ↓ or ↔",
                )
                text = ""
            if role != "dot" and text not in ("", "RED", "AMBER", "GREEN", "N/A"):
                log.add(
                    "unexpected_text",
                    f"{lab} cell holds '{text}'; expected RED, AMBER or GREEN.",
                    row=rn,
                    column=_column_name(j),
                    block=block,
                    indicator=indicator,
                    found=text,
                    expected="RED, AMBER or GREEN",
                )
                text = ""
            pub[role] = text
        for role in ("target", "prev_outturn", "prev_target", "next_target", "benchmark", "england"):
            text, lab, j = tail.get(role, ("", "", 0))
            try:
                pub[role] = _parse_number(text)[0]
            except ValueError:
                raise ScorecardFileError(
                    f"{path} row {rn}, column '{lab}' ({_column_name(j)}): expected a number, 'N/A' or a blank, found '{text}'."
                ) from None
        if "next_target" in tail:
            pub[Published.next_target_year] = P.year_label(tail["next_target"][1]) or ""
        if "benchmark" in tail:
            pub[Published.benchmark_label] = tail["benchmark"][1] + (f" ({sublabel})" if sublabel else "")
        if "england" in tail:
            pub[Published.england_label] = tail["england"][1]
        pub_rows.append(pub)
        for k, p in enumerate(seq):
            v, d, _ = nums[k]
            latest = k == n - 1
            value_rows.append(
                {
                    "_num_dec": nums[n][1] if latest else np.nan,
                    "_den_dec": nums[n + 1][1] if latest else np.nan,
                    Scorecard.area: area_name,
                    Scorecard.block: block,
                    Scorecard.indicator: indicator,
                    Scorecard.code_published: code,
                    Scorecard.title: text_title,
                    Scorecard.polarity: pol,
                    Scorecard.period_type: ptype,
                    Scorecard.period: p.key,
                    Scorecard.period_label: p.label,
                    Scorecard.value: v,
                    Scorecard.numerator: nums[n][0] if latest else np.nan,
                    Scorecard.denominator: nums[n + 1][0] if latest else np.nan,
                    Scorecard.decimals: d,
                    # The printed benchmarks apply to the latest period's value.
                    Scorecard.england: pub[Published.england] if latest else np.nan,
                    Scorecard.regional: pub[Published.benchmark] if latest else np.nan,
                    Scorecard.england_label: pub[Published.england_label] if latest else "",
                    Scorecard.regional_label: pub[Published.benchmark_label] if latest else "",
                    Scorecard.is_latest: latest,
                    Scorecard.table: table_name,
                    Scorecard.source_file: src,
                    Scorecard.source_row: rn,
                }
            )

    values = pd.DataFrame(value_rows, columns=[*Scorecard.to_schema().columns, "_num_dec", "_den_dec"])
    published = pd.DataFrame(pub_rows, columns=list(Published.to_schema().columns))

    # Rows printed before any team-block heading in a district table: assign the area's
    # only block of the matching team type, and say so.
    if area_slug and area_name != "Kent":
        team = values[Scorecard.indicator].map(ind[Indicator.team_block]).fillna("")
        orphan = (values[Scorecard.block] == "") & (team != "")
        for t in sorted(set(team[orphan])):
            rows_t = orphan & (team == t)
            candidates = cat.blocks_for(area_slug, t)
            first, last = values.loc[rows_t, Scorecard.source_row].min(), values.loc[rows_t, Scorecard.source_row].max()
            if len(candidates) == 1:
                values.loc[rows_t, Scorecard.block] = candidates[0]
                pub_rows_t = published[Published.source_row].between(first, last) & (published[Published.block] == "")
                published.loc[pub_rows_t, Published.block] = candidates[0]
                log.add(
                    "missing_block_heading",
                    f"rows {first}-{last} carry no team-block heading; assigned to "
                    f"{candidates[0]}, the only {t} block for {area_name}.",
                    row=int(first),
                    column="A",
                    block=candidates[0],
                    expected=candidates[0],
                )
            else:
                log.add(
                    "missing_block_heading",
                    f"rows {first}-{last} carry no team-block heading and {area_name} has "
                    f"{len(candidates)} {t} blocks; left without a block.",
                    row=int(first),
                    column="A",
                )

    # Reused codes: one code printed against different indicators in one table.
    coded = published[(published[Published.code_published] != "") & (published[Published.indicator] != "")]
    spread = coded.groupby(Published.code_published)[Published.indicator].nunique()
    for code in spread[spread > 1].index:
        hits = coded[coded[Published.code_published] == code]
        for r in hits.itertuples(index=False):
            log.add(
                "reused_code",
                f"code {code} is printed on {hits[Published.indicator].nunique()} different indicators in this table.",
                row=r.source_row,
                column="A",
                block=r.block,
                indicator=r.indicator,
                found=code,
            )

    _check_values(values, ind, log)
    values = values.drop(columns=["_num_dec", "_den_dec"])
    anomalies = log.frame()
    return ScorecardTable(
        path=path,
        area=area_name,
        table=table_name,
        kind=kind,
        title=title,
        values=values,
        published=published,
        anomalies=anomalies,
    )


def _check_values(values: pd.DataFrame, ind: pd.DataFrame, log: _Log) -> None:
    """Log percentages over 100 and latest values that disagree with their numerator and denominator."""
    unit = values[Scorecard.indicator].map(ind["unit"]).fillna("")
    over = values[(unit == "percent") & (values[Scorecard.value] > 100)]
    for r in over.itertuples(index=False):
        log.add(
            "percent_over_100",
            f"{r.value:g}% in {r.period_label} is over 100%.",
            row=r.source_row,
            column=r.period_label,
            block=r.block,
            indicator=r.indicator,
            found=f"{r.value:g}",
            expected="0-100",
        )
    scale = unit.map(_SCALE)
    has = (
        values[Scorecard.is_latest]
        & values[Scorecard.numerator].notna()
        & values[Scorecard.denominator].gt(0)
        & scale.notna()
        & values[Scorecard.value].notna()
    )
    sub = values[has]
    k = scale[has]
    computed = sub[Scorecard.numerator] / sub[Scorecard.denominator] * k
    # Every printed figure is rounded: the value to d decimals, and numerator and denominator
    # (FTEs, for example) to theirs. They disagree only when the intervals cannot meet.
    half = lambda d: 0.5 * 10.0 ** (-d.fillna(0))  # noqa: E731
    dn, dd = half(sub["_num_dec"]), half(sub["_den_dec"])
    low = (sub[Scorecard.numerator] - dn) / (sub[Scorecard.denominator] + dd) * k
    high = (sub[Scorecard.numerator] + dn) / (sub[Scorecard.denominator] - dd).clip(lower=1e-12) * k
    hv = half(sub[Scorecard.decimals]) + 1e-9
    bad = sub[(sub[Scorecard.value] + hv < low) | (sub[Scorecard.value] - hv > high)]
    for r, c in zip(bad.itertuples(index=False), computed[bad.index]):
        log.add(
            "value_mismatch",
            f"published {r.value:g} but {r.numerator:,g} / {r.denominator:,g} gives {c:.{int(r.decimals) if r.decimals == r.decimals else 1}f}.",
            row=r.source_row,
            column=r.period_label,
            block=r.block,
            indicator=r.indicator,
            found=f"{r.value:g}",
            expected=f"{c:.2f}",
        )
