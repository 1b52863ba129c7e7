"""Reading the agenda pack: printings, area pages, table headings and ids, front page, notes."""

from __future__ import annotations

import pandas as pd
import pytest

from kccperf.schemas import HeadlineLayout
from kccperf.scorecard.catalogue import _read_reference, load_catalogue
from kccperf.scorecard.pack import PackError, caveat_lines, plain, printings, read_pack

from .conftest import ROOT, SEED

LINES = SEED.read_text(encoding="utf-8").split("\n")


@pytest.fixture(scope="module")
def edition():
    layout = _read_reference("headline.csv", HeadlineLayout, None)
    return read_pack(SEED.read_text(encoding="utf-8"), "seed", load_catalogue(), layout=layout, source_document="seed")


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("## Indicator Definitions", "Indicator Definitions"),
        ("<b>SEND Indicators</b>\t\t", "SEND Indicators"),
        ("  Directorate Scorecard - Kent KPIs  ", "Directorate Scorecard - Kent KPIs"),
        ("", ""),
    ],
)
def test_plain(line, expected):
    assert plain(line) == expected


def test_the_scorecard_is_printed_twice():
    assert [(p.first, p.last) for p in printings(LINES, "seed")] == [(269, 817), (818, len(LINES))]


def test_no_scorecard_is_named():
    with pytest.raises(PackError, match="^seed: holds no scorecard"):
        printings(LINES[:260], "seed")


def test_tables_sharing_a_heading_are_told_apart_by_order_and_scope(edition):
    kent = [(b.heading, b.table) for b in edition.tables if b.slug == "kent"]
    assert kent[0] == ("Education Monthly Indicators", "send_monthly")
    assert ("Education Monthly Indicators", "education_monthly") in kent
    dover = {b.table for b in edition.tables if b.slug == "dover"}
    assert "send_monthly" not in dover and "education_monthly" in dover


def test_a_second_table_of_a_kind_on_one_page_gets_a_number(edition):
    files = [b.file for b in edition.tables if b.slug == "sevenoaks" and b.table == "ics_monthly"]
    assert files == ["sevenoaks__ics_monthly.tsv", "sevenoaks__ics_monthly__2.tsv"]


def test_every_area_and_71_tables(edition):
    assert len(edition.tables) == 71
    assert {b.slug for b in edition.tables} == set(load_catalogue().areas["slug"])


def test_the_front_page_figures(edition):
    front = edition.headline.set_index("measure")
    assert front.loc["Pupils in primary schools", ["value", "as_at"]].tolist() == ["130,931", "May 2024"]
    assert front.loc["Special school pupils with free school meals", ["value", "national_average"]].tolist() == ["47.7", "47.4"]
    assert front.loc["EY providers good or outstanding", "as_at"] == "Aug 2024"
    assert front.loc["Number to EH Units", "value"] == "1,887"


def test_a_front_page_figure_missing_is_named():
    layout = _read_reference("headline.csv", HeadlineLayout, None)
    text = "\n".join(x.replace("Total contacts\t", "Contacts\t") for x in LINES)
    with pytest.raises(PackError, match="the front page's 'Total contacts' was not found"):
        read_pack(text, "seed", load_catalogue(), layout=layout, source_document="seed")


def test_the_edition_facts(edition):
    facts = dict(edition.edition.to_numpy().tolist())
    assert facts["edition_label"] == "October 2024" and facts["publication_date"] == "2024-12-09"
    assert facts["source_lines"].startswith(
        "269-2229 of the agenda-pack text; Kent tables from the first printing, lines 269-817"
    )


def test_notes_one_sentence_a_row_and_each_once():
    notes = caveat_lines(LINES, 269, 817)
    assert notes["text"].is_unique
    assert notes.loc[0].tolist() == [
        283,
        "Please note that there is no 2019-20 or 2020-21 Education attainment data due to the impact of Coronavirus (COVID-19).",
    ]
    assert not notes["text"].str.contains(r"\*|\\|^-", regex=True).any()


def test_quiet_case_a_range_without_notes():
    assert caveat_lines(LINES, 471, 481).empty


def test_metadata_pages_of_each_printing(edition):
    assert pd.to_numeric(edition.metadata["sources"]["line"]).between(624, 712).all()
    assert pd.to_numeric(edition.metadata["definitions"]["line"]).between(712, 816).all()
    assert (ROOT / "data/reference/metadata_sections.csv").exists()


def _guidance_codes(heading: str) -> set[str]:
    """The codes a guidance-notes section of the pack defines (first cell of each line under its heading)."""
    start = LINES.index(f"### {heading}") + 1
    end = next(i for i in range(start, len(LINES)) if LINES[i].startswith("###"))
    return {plain(x.split("\t")[0]) for x in LINES[start:end] if "\t" in x}


def test_reader_schemas_and_periods_agree_on_every_code_the_guidance_notes_define():
    from kccperf import schemas
    from kccperf.scorecard.periods import KIND_OF_PERIOD_TYPE
    from kccperf.scorecard.reader.roles import _PERIOD_TYPES

    data_periods = _guidance_codes("DATA PERIOD")
    assert data_periods == {"R12M", "MS", "YTD", "Q", "A"}
    # T (termly) is printed by the termly tables though the notes do not list it.
    assert data_periods | {"T"} == set(schemas.PERIOD_TYPES) == set(_PERIOD_TYPES) == set(KIND_OF_PERIOD_TYPE)
    assert _guidance_codes("POLARITY") == set(schemas.POLARITIES)
