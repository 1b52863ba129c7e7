"""The work a batch's reports share, done once per edition and read back: the same frames and pages as computing it."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pandas as pd
import papermill as pm
import pytest

import kccperf
from kccperf import ParameterError
from kccperf.publish.batch import kernel_name
from kccperf.publish.page import report_html
from kccperf.publish.prepared import load_assessed, load_series, prepare_edition
from kccperf.scorecard.cache import write_derived

from ..conftest import ROOT

PERIOD = "2024-10"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """An empty cache of its own (KCCPERF_CACHE), so each test sees what it computes and stores."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("KCCPERF_CACHE", str(folder))
    return folder


def _derived(cache: Path) -> dict[str, tuple[int, int]]:
    """Each stored file with its inode and modification time: a rewrite changes both."""
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted((cache / "derived").glob("*.parquet"))}


def _direct(threshold: int) -> pd.DataFrame:
    published = kccperf.load_published(PERIOD)
    return kccperf.suppress(kccperf.assess(kccperf.load_scorecard(PERIOD), published=published), threshold)


@pytest.mark.parametrize("threshold", [5, 0])
def test_assessed_edition_is_the_computed_one_cold_and_warm(cache, threshold):
    cold = load_assessed(PERIOD, threshold)
    stored = _derived(cache)
    warm = load_assessed(PERIOD, threshold)
    assert _derived(cache) == stored and len(stored) == 1, "the second call reads, it does not write"
    for frame in (cold, warm):
        pd.testing.assert_frame_equal(frame, _direct(threshold), check_exact=True)


@pytest.mark.parametrize("area", ["Kent", "dover", "Sevenoaks"])
def test_an_areas_series_is_the_computed_one(cache, area):
    direct = kccperf.suppress(kccperf.load_scorecard(PERIOD), 5, area=area)
    pd.testing.assert_frame_equal(load_series(PERIOD, area=area), direct, check_exact=True)
    # The first call stored every area apart: a report reads its own area only.
    assert len([n for n in _derived(cache) if "-series-5-" in n]) == len(kccperf.load_catalogue().areas)
    pd.testing.assert_frame_equal(load_series(PERIOD, area=area), direct, check_exact=True)


def test_a_misspelt_area_or_threshold_is_named(cache):
    with pytest.raises(ParameterError, match="Narnia"):
        load_series(PERIOD, area="Narnia")
    with pytest.raises(ParameterError, match="suppress_threshold"):
        load_assessed(PERIOD, -1)


def test_what_the_cache_holds_is_what_is_returned(cache):
    # A frame planted under the right key is returned as it is: the reports read the cache, hence its careful key.
    load_assessed(PERIOD)
    path = next((cache / "derived").glob(f"{PERIOD}-assessed-5-*-all.parquet"))
    name, key = path.name.removesuffix("-all.parquet").rsplit("-", 1)
    write_derived(name, key, {"all": _direct(5).head(3)})
    assert len(load_assessed(PERIOD)) == 3
    # A file another program wrote (no record of the frame's dtypes) is not trusted: computed again.
    _direct(5).head(3).to_parquet(path)
    assert len(load_assessed(PERIOD)) == len(_direct(5))


def test_a_damaged_cache_file_is_computed_again(cache):
    first = load_assessed(PERIOD)
    next((cache / "derived").glob("*-all.parquet")).write_bytes(b"not parquet")
    pd.testing.assert_frame_equal(load_assessed(PERIOD), first, check_exact=True)


def test_an_unwritable_cache_only_costs_time(tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the cache folder would be", encoding="utf-8")
    monkeypatch.setenv("KCCPERF_CACHE", str(blocked))
    pd.testing.assert_frame_equal(load_assessed(PERIOD), _direct(5), check_exact=True)


def test_a_changed_raw_file_is_never_served_stale(tmp_path, monkeypatch, history_data):
    data = tmp_path / "data"
    shutil.copytree(history_data / "raw", data / "raw")
    shutil.copytree(history_data / "reference", data / "reference")
    monkeypatch.setenv("KCCPERF_CACHE", str(tmp_path / "cache"))
    pick = lambda df: df.query("area == 'Kent' and indicator == 'cswt_re_referrals'")["value"].item()  # noqa: E731
    assert pick(load_assessed("2024-11", data_dir=data)) == 22.8
    kccperf.reconcile("2024-11", data_dir=data)
    before = set(_derived(tmp_path / "cache"))
    path = data / "raw" / "scorecard" / "2024-11" / "kent__ics_monthly.tsv"
    path.write_text(path.read_text(encoding="utf-8").replace("\t22.8\t5,451\t", "\t21.7\t5,451\t", 1), encoding="utf-8")
    assert pick(load_assessed("2024-11", data_dir=data)) == 21.7
    kccperf.reconcile("2024-11", data_dir=data)
    after = set(_derived(tmp_path / "cache"))
    assert not before & after, "every result has a new key and the stale entries are removed"
    # assessed, the reconciliation's three frames, and the indicator info and quality log it reads
    assert len(after) == len(before) == 6


def test_reconciliation_read_back_equals_the_computed_one(cache):
    from kccperf.judge.reconcile import _reconcile

    computed = _reconcile(PERIOD, None)
    kccperf.reconcile(PERIOD)
    stored = _derived(cache)
    read = kccperf.reconcile(PERIOD)
    assert _derived(cache) == stored and len(stored) == 5  # with the indicator info and quality log it read
    pd.testing.assert_frame_equal(read.findings, computed.findings, check_exact=True)
    pd.testing.assert_frame_equal(read.agreed, computed.agreed, check_exact=True)
    pd.testing.assert_series_equal(read.titles, computed.titles, check_exact=True)
    pd.testing.assert_frame_equal(read.in_words("Dover"), computed.in_words("Dover"))


def test_prepare_edition_stores_everything_a_report_reads(cache):
    prepare_edition(PERIOD)
    names = set(_derived(cache))
    assert any("-assessed-5-" in n for n in names) and any("-reconcile-" in n for n in names)
    assert any(n.startswith(f"{PERIOD}-series-5-") and "-dover." in n for n in names)
    assert any(n.startswith(f"{PERIOD}-indicator-info-") for n in names) and any("-quality-log-" in n for n in names)


def _page(tmp_path: Path, name: str) -> str:
    out = tmp_path / f"{name}.ipynb"
    pm.execute_notebook(
        str(ROOT / "notebooks" / "district_report.ipynb"),
        str(out),
        parameters={"area": "Sevenoaks", "period": PERIOD},
        kernel_name=kernel_name(),
        cwd=str(ROOT / "notebooks"),
        progress_bar=False,
    )
    nb = nbformat.read(out, as_version=4)
    nb.metadata["title"] = "Sevenoaks"
    return report_html(nb, generated="fixed")


def test_a_report_from_the_cache_is_byte_identical_to_one_that_computes(tmp_path, cache):
    # The kernel inherits KCCPERF_CACHE: the first run finds the cache empty and computes (as in JupyterLab alone),
    # the second reads what the first stored, as every report of a batch does.
    computed = _page(tmp_path, "computed")
    stored = _derived(cache)
    assert any("-assessed-5-" in n for n in stored) and any("-reconcile-" in n for n in stored)
    read = _page(tmp_path, "read")
    assert _derived(cache) == stored, "the second report read the cache and wrote nothing"
    assert read == computed


def test_changes_since_the_last_edition_read_back_equal_the_computed_ones(tmp_path, monkeypatch, history_data):
    from kccperf.judge.since import _changes

    cache = tmp_path / "cache"
    monkeypatch.setenv("KCCPERF_CACHE", str(cache))
    computed = _changes("2024-11", "2024-10", history_data)
    first = kccperf.since_last_edition("2024-11", data_dir=history_data)
    stored = _derived(cache)
    assert [n for n in stored if "-since-" in n], "the changes are kept with the other shared results"
    read = kccperf.since_last_edition("2024-11", data_dir=history_data)
    assert _derived(cache) == stored, "the second call reads, it does not write"
    assert (read.period, read.previous) == (first.period, first.previous) == ("2024-11", "2024-10")
    for frame in (first.changes, read.changes):
        pd.testing.assert_frame_equal(frame, computed, check_exact=True)
    assert read.for_area("Kent").changes.equals(first.for_area("Kent").changes)
