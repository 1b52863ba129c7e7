"""The pieces of report HTML that the scorecard and the budget share: escaping, the stylesheet, the table templates.

Private to ``kccperf.publish``: :mod:`.scorecard_views` and :mod:`.budget_views` re-export what a notebook calls.
Everything returns text built from escaped values, so a title holding markup is shown, never run. The larger
tables come from the Jinja2 templates in ``templates/tables/``, rendered by :func:`render_table`.

May import: the standard library, pandas, Jinja2 and IPython; nothing else of kccperf.
"""

from __future__ import annotations

import html
import math
from functools import cache

import jinja2
import pandas as pd
from IPython.display import HTML
from markupsafe import Markup

from .._format import long_dates

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
.kcc-table td.kcc-rag .kcc-check{display:block;font-weight:normal;font-size:0.85em;white-space:normal}
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


def _escaped(value) -> Markup:
    # Escaped as html.escape does (&quot;, &#x27;), as the pages always were; markupsafe would write &#34; and &#39;.
    return value if hasattr(value, "__html__") else Markup(escape(value))


@cache
def _templates() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("kccperf.publish", "templates/tables"),
        autoescape=True,
        finalize=_escaped,
        undefined=jinja2.StrictUndefined,
    )


def render_table(name: str, **context) -> str:
    """Render ``templates/tables/<name>`` with ``context``; every value is escaped unless it is already ``Markup``.

    Examples
    --------
    >>> render_table("data_table.html.j2", caption="<i>", headers=["A"], rows=[(1,)])
    '<table class="kcc-table"><caption>&lt;i&gt;</caption><thead><tr><th scope="col">A</th></tr></thead><tbody><tr><td data-label="A">1</td></tr></tbody></table>'
    """
    return _templates().get_template(name).render(**context)


def data_table(frame: pd.DataFrame, *, caption: str, columns: dict[str, str] | None = None, max_rows: int | None = None) -> HTML:
    """Any small frame as an accessible, escaped HTML table (``columns`` maps column -> header text)."""
    # Not pandas Styler: it writes a random id on the table and every cell, gives header cells no scope and
    # escapes nothing unless asked; this template keeps the caption, scope="col" and a "None." row when empty.
    cols = columns or {c: c for c in frame.columns}
    shown = frame if max_rows is None else frame.head(max_rows)
    rows = shown[list(cols)].itertuples(index=False, name=None)
    return HTML(STYLESHEET + render_table("data_table.html.j2", caption=caption, headers=list(cols.values()), rows=rows))


def provenance_footer(info: dict[str, str], parameters: dict[str, object], version: str) -> HTML:
    """The report footer: source edition and publication date, kccperf version and run parameters."""
    params = ", ".join(f"{escape(k)} = {escape(v)}" for k, v in parameters.items())
    return HTML(
        STYLESHEET + '<footer class="kcc-footer">'
        f"<p>Source: {escape(info.get('title', ''))}, {escape(info.get('edition_label', ''))}, published "
        f"{escape(long_dates(info.get('publication_date', '')))} by {escape(info.get('producer', ''))}.</p>"
        # The parameters are for an analyst re-running the page; the page's own notes say what they mean.
        f"<p>Produced with kccperf {escape(version)} (run parameters, for analysts: {params}).</p></footer>"
    )
