from __future__ import annotations

import shutil

import pandas as pd
import pytest

import kccperf
from kccperf import ParameterError, ScorecardFileError
from kccperf.schemas import RAG

from ..conftest import RAW, ROOT


def test_scorecard_has_the_contract_columns(scorecard):
    for col in [
        "area",
        "block",
        "indicator",
        "code_published",
        "title",
        "polarity",
        "period_type",
        "period",
        "value",
        "numerator",
        "denominator",
    ]:
        assert col in scorecard.columns


def test_periods_sort_in_time_order(scorecard):
    ash = scorecard[(scorecard.area == "Ashford") & (scorecard.indicator == "cswt_re_referrals")]
    assert ash.sort_values("period")["period_label"].tolist() == [
        "Apr-24",
        "May-24",
        "Jun-24",
        "Jul-24",
        "Aug-24",
        "Sep-24",
        "Oct-24",
    ]


def test_numerator_and_denominator_only_on_the_latest_period(scorecard):
    assert scorecard.loc[~scorecard.is_latest, "numerator"].isna().all()
    assert scorecard.loc[scorecard.is_latest, "numerator"].notna().any()


def test_load_returns_a_new_frame_each_time():
    a = kccperf.load_scorecard("2024-10")
    a.loc[:, "value"] = 0
    assert kccperf.load_scorecard("2024-10")["value"].max() > 0


def test_area_filter_accepts_slugs():
    df = kccperf.load_scorecard("2024-10", area="folkestone-and-hythe")
    assert set(df.area) == {"Folkestone and Hythe"}


def test_published_judgements_and_benchmark_labels(published):
    kent = published[(published.area == "Kent") & (published.indicator == "cswt_re_referrals")].iloc[0]
    assert (kent.rag, kent["direction"], kent.target, kent.prev_outturn, kent.prev_rag) == ("GREEN", "↑", 25.0, 23.5, "GREEN")
    assert (kent.benchmark, kent.benchmark_label, kent.england, kent.england_label) == (
        19.2,
        "Benchmark Group 2023-24",
        22.4,
        "England 2023-24",
    )
    q = published[(published.area == "Kent") & (published.indicator == "yj_reoffending")].iloc[0]
    assert q.benchmark_label == "South East as at Jan 2024" and q.england_label == "England & Wales as at Jan 2024"


def test_printed_ratings_are_the_ordered_categorical(published):
    assert published.rag.dtype == RAG and published.prev_rag.dtype == RAG
    assert set(published.rag) <= {"RED", "AMBER", "GREEN", "N/A", ""}


def test_headline_figures():
    h = kccperf.load_headline("2024-10").set_index("measure")
    assert h.at["Pupils in primary schools", "value"] == 130931
    assert h.at["Secondary pupils with free school meals", "national_average"] == 24.1
    assert h.at["Total contacts", "value"] == 8009


def test_edition_info():
    assert kccperf.load_edition_info("2024-10")["publication_date"] == "2024-12-09"


def test_unknown_period_names_what_exists():
    with pytest.raises(ParameterError, match=r"period '2024-13' is not available; expected one of: 2024-10"):
        kccperf.load_scorecard("2024-13")


def test_periods_are_discovered_from_folders(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    shutil.copytree(RAW, data / "raw" / "scorecard" / "2024-10")
    nov = data / "raw" / "scorecard" / "2024-11"
    nov.mkdir()
    shutil.copy(RAW / "kent__ics_quarterly.tsv", nov)
    assert kccperf.available_periods(data) == ["2024-10", "2024-11"]
    df = kccperf.load_scorecard("2024-11", data_dir=data)
    assert set(df.area) == {"Kent"} and df["indicator"].unique().tolist() == ["yj_reoffending"]


def test_unknown_title_stops_the_load_naming_file_row_and_column(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    folder = data / "raw" / "scorecard" / "2024-10"
    folder.mkdir(parents=True)
    text = (
        (RAW / "kent__ics_quarterly.tsv")
        .read_text(encoding="utf-8")
        .replace("Rate of proven re-offending by CYP", "Rate of mystery")
    )
    (folder / "kent__ics_quarterly.tsv").write_text(text, encoding="utf-8")
    with pytest.raises(ScorecardFileError) as err:
        kccperf.load_scorecard("2024-10", data_dir=data)
    assert (
        "kent__ics_quarterly.tsv row 4, column 'Indicator' (B): title 'Rate of mystery' is not in the indicator catalogue"
        in str(err.value)
    )


def test_file_for_an_unknown_area_is_named(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data" / "reference", data / "reference")
    folder = data / "raw" / "scorecard" / "2024-10"
    folder.mkdir(parents=True)
    shutil.copy(RAW / "kent__ics_quarterly.tsv", folder / "medway__ics_quarterly.tsv")
    with pytest.raises(ScorecardFileError, match="medway__ics_quarterly.tsv: the file name names area 'medway'"):
        kccperf.load_scorecard("2024-10", data_dir=data)


def test_check_parameters_rejects_bad_values():
    with pytest.raises(ParameterError, match="parameter 'period'"):
        kccperf.check_parameters(area="Kent", period=202410)
    with pytest.raises(ParameterError, match="area 'Atlantis'"):
        kccperf.check_parameters(area="Atlantis", period="2024-10")


def test_quality_log_read_back_from_the_cache_is_the_computed_one(tmp_path, monkeypatch):
    from kccperf.scorecard.editions import _quality_log

    monkeypatch.setenv("KCCPERF_CACHE", str(tmp_path))
    computed = _quality_log("2024-10", None)
    cold = kccperf.load_quality_log("2024-10")
    assert len(list((tmp_path / "derived").glob("2024-10-quality-log-*.parquet"))) == 1
    for frame in (cold, kccperf.load_quality_log("2024-10")):
        pd.testing.assert_frame_equal(frame, computed, check_exact=True)
    dover = kccperf.load_quality_log("2024-10", area="dover")
    pd.testing.assert_frame_equal(dover, computed[computed["area"] == "Dover"].reset_index(drop=True), check_exact=True)
