"""The report page: nbconvert with the project's own ``kccperf`` template.

The template lives in ``templates/nbconvert/kccperf`` beside this module; :func:`report_html` finds it there,
and ``jupyter nbconvert --to html --template kccperf executed.ipynb`` finds it once ``make setup`` has linked it
into the environment's Jupyter data folder, so both give the same page. Its ``conf.json`` removes the cells
tagged ``analyst-note`` and runs :class:`ReportPage`, which hands the template the page title, the generated-at
time, the section headings, a markdown renderer that gives headings ids but no anchor links, and the
abbreviations the page uses, which the template spells out at the end of the page.
``kccperf report`` writes every page with :func:`report_html`.
"""

from __future__ import annotations

import html
import re
import threading
from datetime import datetime
from pathlib import Path
from xml.etree import ElementTree

from mistune.renderers.html import HTMLRenderer
from nbconvert import HTMLExporter
from nbconvert.filters import add_anchor, html2text
from nbconvert.filters.markdown_mistune import IPythonRenderer, MarkdownWithMath
from nbconvert.preprocessors import Preprocessor

from .._format import generated_at
from ..schemas import Abbreviation as Ab
from ..scorecard.catalogue import load_abbreviations
from .glossary import abbreviations_used

TEMPLATE_NAME = "kccperf"
TEMPLATE_DIRS = Path(__file__).parent / "templates" / "nbconvert"


class _SectionRenderer(IPythonRenderer):
    """nbconvert's markdown renderer, with heading ids but no anchor links (nbconvert gives both or neither)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(escape=False, **kwargs)
        self.sections: list[dict[str, str]] = []

    def heading(self, text: str, level: int, **attrs) -> str:
        html = HTMLRenderer.heading(self, text, level, **attrs)
        try:
            element = ElementTree.fromstring(add_anchor(html))
        except ElementTree.ParseError:
            return html
        link = element[-1]
        element.remove(link)
        if level == 2:
            self.sections.append({"id": element.get("id"), "text": html2text(element).strip()})
        return ElementTree.tostring(element).decode("utf-8")


def render_markdown(source: str, attachments: dict | None = None, path: str = "") -> tuple[str, list[dict[str, str]]]:
    """Markdown as HTML, with the page's section (level-2) headings as ``{"id", "text"}``.

    Examples
    --------
    >>> html, sections = render_markdown("## Data quality\\n\\nAs published.")
    >>> html
    '<h2 id="Data-quality">Data quality</h2><p>As published.</p>\\n'
    >>> sections
    [{'id': 'Data-quality', 'text': 'Data quality'}]
    """
    renderer = _SectionRenderer(attachments=attachments or {}, path=path)
    return MarkdownWithMath(renderer=renderer).render(source), renderer.sections


ONLY_TAG = "only-"


def applies(cell, parameters: dict) -> bool:
    """False for a cell tagged ``only-<parameter>-<value>`` when the run's ``<parameter>`` has another value.

    A section that concerns one value of a parameter (the CYPE-only tables of the budget view, for example)
    is tagged so, and the page of any other value leaves it out. A notebook run without papermill keeps it.

    Examples
    --------
    >>> cell = {"metadata": {"tags": ["only-directorate-CYPE"]}}
    >>> applies(cell, {"directorate": "ALL"}), applies(cell, {"directorate": "CYPE"}), applies(cell, {})
    (False, True, True)
    """
    for tag in cell.get("metadata", {}).get("tags", []):
        if tag.startswith(ONLY_TAG) and "-" in tag[len(ONLY_TAG) :]:
            name, value = tag[len(ONLY_TAG) :].split("-", 1)
            if name in parameters and str(parameters[name]) != value:
                return False
    return True


class ReportPage(Preprocessor):
    """Leave out the cells that do not apply to the run (:func:`applies`), then put what the ``kccperf``
    template needs into ``resources["kccperf"]``.

    - ``title``: the notebook's ``title`` metadata (``kccperf report`` records each report's title there), else
      its file name, as nbconvert's own templates do.
    - ``generated_at``: given by the caller (``kccperf report`` gives its run's start, the same for every page
      and the index); otherwise the time papermill finished executing the notebook (``metadata.papermill
      .end_time``); otherwise now. Printed as ``YYYY-MM-DD HH:MM UTC``.
    - ``markdown``: renders markdown as :func:`render_markdown` does, for the template's markdown cells.
    - ``sections``: the level-2 headings of the markdown cells, for the contents list.
    - ``contents_cell``: the markdown cell holding the first of them, which the contents list precedes.
    - ``abbreviations``: the abbreviations the page shows (:func:`page_texts`, :func:`kccperf.abbreviations_used`)
      as ``{"abbreviation", "meaning"}``; the contents list ends with their section when there are any.
    """

    def preprocess(self, nb, resources):
        nb.cells = [cell for cell in nb.cells if applies(cell, nb.metadata.get("papermill", {}).get("parameters", {}))]
        page = resources.setdefault("kccperf", {})
        metadata = resources.get("metadata", {})
        path = metadata.get("path", "")
        page.setdefault("title", nb.metadata.get("title") or metadata.get("name", ""))
        page.setdefault("generated_at", _executed_at(nb))
        page["markdown"] = lambda source, attachments=None: render_markdown(source, attachments, path)[0]
        page["sections"], page["contents_cell"] = [], None
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                sections = render_markdown(cell.source, cell.get("attachments"), path)[1]
                if sections and page["contents_cell"] is None:
                    page["contents_cell"] = cell
                page["sections"].extend(sections)
        used = abbreviations_used(page_texts(nb), load_abbreviations())
        page["abbreviations"] = used[[Ab.abbreviation, Ab.meaning]].to_dict("records")
        if page["abbreviations"]:
            page["sections"].append({"id": ABBREVIATIONS_ID, "text": "Abbreviations"})
        page["abbreviations_id"] = ABBREVIATIONS_ID
        return nb, resources


ABBREVIATIONS_ID = "Abbreviations"
_HIDDEN = re.compile(r"(?s)<(style|script)\b.*?</\1>")
_TAG = re.compile(r"<[^>]+>")


def page_texts(nb) -> list[str]:
    """The text a reader sees on the page: each markdown cell's source and each output's text (HTML without its
    tags, styles or scripts; plain text only where the output has nothing else, which the page would show instead).

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("## EH"),
    ...     nbformat.v4.new_code_cell(outputs=[nbformat.v4.new_output("display_data",
    ...         {"text/html": "<style>.CIC{}</style><p>SEN &amp; CSWT</p>", "text/plain": "<HTML>"})])])
    >>> page_texts(nb)
    ['## EH', ' SEN & CSWT ']
    """
    texts = []
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            texts.append(cell.source)
        for out in cell.get("outputs", []) if cell.cell_type == "code" else []:
            data = out.get("data", {})
            if "text/html" in data:
                texts.append(html.unescape(_TAG.sub(" ", _HIDDEN.sub(" ", _joined(data["text/html"])))))
            elif "text/markdown" in data:
                texts.append(_joined(data["text/markdown"]))
            elif set(data) == {"text/plain"}:
                texts.append(_joined(data["text/plain"]))
            elif out.get("output_type") == "stream":
                texts.append(_joined(out.get("text", "")))
    return texts


def _joined(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def _executed_at(nb) -> str:
    end = nb.metadata.get("papermill", {}).get("end_time")
    return generated_at(datetime.fromisoformat(end).timestamp() if end else None)


def report_exporter() -> HTMLExporter:
    """An nbconvert exporter with the ``kccperf`` template, found beside this module (no installation needed)."""
    return HTMLExporter(template_name=TEMPLATE_NAME, extra_template_basedirs=[str(TEMPLATE_DIRS)])


def report_html(nb, *, generated: str | None = None) -> str:
    """The report page for an executed notebook (a ``NotebookNode``).

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook; its ``title`` metadata is the page title.
    generated : str, optional
        The generated-at line's time; by default, when papermill finished executing the notebook.
    """
    resources = {"kccperf": {"generated_at": generated}} if generated is not None else {}
    body, _ = _thread_exporter().from_notebook_node(nb, resources=resources)
    return body


_EXPORTERS = threading.local()


def _thread_exporter() -> HTMLExporter:
    # A batch worker makes page after page: one exporter each (per thread: a Dask worker runs reports in threads)
    # keeps its compiled templates instead of compiling them for every page.
    if getattr(_EXPORTERS, "exporter", None) is None:
        _EXPORTERS.exporter = report_exporter()
    return _EXPORTERS.exporter
