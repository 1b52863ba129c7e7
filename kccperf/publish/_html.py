"""The pieces of report HTML that the scorecard and the budget share: escaping, the stylesheet, the generic table.

Private to ``kccperf.publish``: :mod:`.scorecard_views` and :mod:`.budget_views` re-export what a notebook calls.
Everything returns text built from escaped values, so a title holding markup is shown, never run.

May import: the standard library, pandas and IPython; nothing else of kccperf.
"""

from __future__ import annotations

import html
import math

import pandas as pd
from IPython.display import HTML

STYLESHEET = """
<style>
.kcc-table{border-collapse:collapse;font-family:Arial,Helvetica,sans-serif;font-size:0.9rem;width:100%;color:#0b0c0c;table-layout:auto !important}
.kcc-table caption{text-align:left;font-weight:bold;padding:0.4rem 0;color:#0b0c0c}
.kcc-table th,.kcc-table td{border:1px solid #b1b4b6;padding:0.3rem 0.45rem;vertical-align:top;text-align:left !important}
.kcc-table tbody th{font-weight:normal;max-width:28rem}
.kcc-table thead th{background:#f3f2f1;text-align:left}
.kcc-table th.kcc-group{background:#dee0e2;text-align:left}
.kcc-table td.num{text-align:right !important;white-space:nowrap}
.kcc-table .kcc-block{display:block;color:#505a5f;font-size:0.8rem}
.kcc-table td.kcc-rag{font-weight:bold;text-align:center !important;white-space:nowrap}
.kcc-headline{display:flex;gap:0.6rem;flex-wrap:wrap;margin:0.4rem 0}
.kcc-headline div{padding:0.5rem 0.8rem;border:1px solid #b1b4b6;min-width:6rem;font-family:Arial,Helvetica,sans-serif}
.kcc-headline strong{display:block;font-size:1.5rem}
.kcc-footer{font-family:Arial,Helvetica,sans-serif;font-size:0.85rem;color:#0b0c0c;border-top:1px solid #b1b4b6;margin-top:1rem;padding-top:0.5rem}
@media print{.kcc-table{font-size:9pt}.kcc-table tr{page-break-inside:avoid}}
</style>
"""


def escape(text) -> str:
    """Text safe to place in HTML; ``None`` and NaN become empty."""
    return html.escape("" if text is None or (isinstance(text, float) and math.isnan(text)) else str(text))


def data_table(frame: pd.DataFrame, *, caption: str, columns: dict[str, str] | None = None, max_rows: int | None = None) -> HTML:
    """Any small frame as an accessible, escaped HTML table (``columns`` maps column -> header text)."""
    cols = columns or {c: c for c in frame.columns}
    shown = frame if max_rows is None else frame.head(max_rows)
    head = "".join(f'<th scope="col">{escape(h)}</th>' for h in cols.values())
    rows = []
    for rec in shown[list(cols)].itertuples(index=False):
        rows.append("<tr>" + "".join(f"<td>{escape(v)}</td>" for v in rec) + "</tr>")
    if not rows:
        rows.append(f'<tr><td colspan="{len(cols)}">None.</td></tr>')
    return HTML(
        STYLESHEET + f'<table class="kcc-table"><caption>{escape(caption)}</caption><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def provenance_footer(info: dict[str, str], parameters: dict[str, object], version: str) -> HTML:
    """The report footer: source edition and publication date, kccperf version and run parameters."""
    params = ", ".join(f"{escape(k)} = {escape(v)}" for k, v in parameters.items())
    return HTML(
        STYLESHEET + '<footer class="kcc-footer">'
        f"<p>Source: {escape(info.get('title', ''))}, {escape(info.get('edition_label', ''))}, published "
        f"{escape(info.get('publication_date', ''))} by {escape(info.get('producer', ''))}.</p>"
        f"<p>Produced with kccperf {escape(version)}; parameters: {params}.</p></footer>"
    )
