"""The Parquet cache of parsed editions: outside data/raw, the same frames as a fresh parse, invalidated by a changed file."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pandas as pd
import pytest

import kccperf
from kccperf._paths import cache_root
from kccperf.scorecard import cache, editions
from kccperf.scorecard.cache import derived_key, edition_key, read_cached, read_derived, write_derived


@pytest.fixture
def data(tmp_path, history_data) -> Path:
    """A private copy of the two-edition data folder, without its cache, for tests that change files."""
    dest = tmp_path / "data"
    shutil.copytree(history_data / "raw", dest / "raw")
    shutil.copytree(history_data / "reference", dest / "reference")
    return dest


def _key(data: Path, period: str) -> str:
    return edition_key(data / "raw" / "scorecard" / period, data / "reference")


def test_cache_lives_outside_raw_and_equals_a_fresh_parse(history_data):
    kccperf.load_history(data_dir=history_data)
    folder = history_data / "interim" / "scorecard"
    assert {f.name[:7] for f in folder.glob("20??-??-*-values.parquet")} == {"2024-10", "2024-11"}
    assert list(folder.glob("history-*.parquet")), "a whole history is one file"
    assert not any(p.suffix == ".parquet" for p in (history_data / "raw").rglob("*"))
    cached = read_cached("2024-11", _key(history_data, "2024-11"), history_data)
    root = history_data.resolve()
    fresh = editions._load_edition(str(root / "raw" / "scorecard" / "2024-11"), str(root))
    for a, b in zip(cached, fresh):
        pd.testing.assert_frame_equal(a, b)


def test_a_changed_raw_file_is_read_again(data):
    before = kccperf.load_scorecard("2024-11", area="Kent", data_dir=data)
    old_key = _key(data, "2024-11")
    path = data / "raw" / "scorecard" / "2024-11" / "kent__ics_monthly.tsv"
    path.write_text(path.read_text(encoding="utf-8").replace("\t22.8\t5,451\t", "\t21.7\t5,451\t", 1), encoding="utf-8")
    assert _key(data, "2024-11") != old_key
    after = kccperf.load_scorecard("2024-11", area="Kent", data_dir=data)
    pick = lambda df: df.query("indicator == 'cswt_re_referrals' and is_latest")["value"].item()  # noqa: E731
    assert (pick(before), pick(after)) == (22.8, 21.7)
    names = [p.name for p in (data / "interim" / "scorecard").glob("2024-11-*-values.parquet")]
    assert names == [f"2024-11-{_key(data, '2024-11')}-values.parquet"], "the stale entry is removed"


def test_keys_of_settled_files_are_remembered_and_renewed_when_a_file_changes(data, monkeypatch):
    hashed = []
    real = cache._hash_files
    monkeypatch.setattr(cache, "_hash_files", lambda files: (hashed.append(len(files)), real(files))[1])
    later = time.time_ns() + 10 * 10**9  # as if the copied files had been left alone for ten seconds
    monkeypatch.setattr(cache.time, "time_ns", lambda: later)
    first = _key(data, "2024-11")
    assert _key(data, "2024-11") == first and len(hashed) == 1, "the second call hashes nothing"
    path = data / "raw" / "scorecard" / "2024-11" / "kent__ics_monthly.tsv"
    path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert _key(data, "2024-11") != first and len(hashed) == 2


def test_a_file_written_within_the_same_clock_tick_is_hashed_again(data, monkeypatch):
    # A second write within one tick of the file system's clock keeps size and times: recent files are not trusted.
    now = time.time_ns()
    monkeypatch.setattr(cache, "_stamp", lambda _path: (100, 1, now, now))
    first = _key(data, "2024-11")
    path = data / "raw" / "scorecard" / "2024-11" / "kent__ics_monthly.tsv"
    path.write_text(path.read_text(encoding="utf-8").replace("\t22.8\t", "\t21.7\t", 1), encoding="utf-8")
    assert _key(data, "2024-11") != first


def test_a_changed_reference_file_changes_every_key(data):
    keys = {p: _key(data, p) for p in ("2024-10", "2024-11")}
    catalogue = data / "reference" / "indicators.csv"
    catalogue.write_text(catalogue.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert all(_key(data, p) != k for p, k in keys.items())


def test_an_unwritable_cache_is_only_slower(data, monkeypatch, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("KCCPERF_CACHE", str(blocker))
    assert len(kccperf.load_scorecard("2024-10", data_dir=data)) > 0


def _frame() -> pd.DataFrame:
    rag = pd.Categorical(["RED", "GREEN", None], categories=["RED", "AMBER", "GREEN"], ordered=True)
    text = pd.Series(["a", "", "=b"], dtype=object)
    return pd.DataFrame({"text": text, "rag": rag, "value": [1.5, None, 3.0], "ok": [True, False, True]}, index=[4, 7, 9])


def test_a_derived_frame_reads_back_equal_with_its_dtypes_and_index(tmp_path):
    write_derived("2024-10-x", "k1", {"all": _frame()}, tmp_path)
    (back,) = read_derived("2024-10-x", "k1", ("all",), tmp_path)
    pd.testing.assert_frame_equal(back, _frame(), check_exact=True)
    assert back["text"].dtype == object and back["rag"].cat.ordered


def test_a_new_key_replaces_only_its_own_results_entries(tmp_path):
    write_derived("2024-10-assessed-5", "k1", {"all": _frame()}, tmp_path)
    write_derived("2024-10-assessed-50", "k1", {"all": _frame()}, tmp_path)
    write_derived("2024-10-assessed-5", "k2", {"all": _frame()}, tmp_path)
    names = sorted(p.name for p in (cache_root(tmp_path) / "derived").glob("*.parquet"))
    assert names == ["2024-10-assessed-5-k2-all.parquet", "2024-10-assessed-50-k1-all.parquet"]
    assert read_derived("2024-10-assessed-5", "k1", ("all",), tmp_path) is None


@pytest.mark.parametrize("extra", [(5,), (0,), (5, "Dover"), ()])
def test_derived_keys_differ_with_the_editions_and_the_settings(extra):
    keys = {derived_key(editions_, *extra) for editions_ in [("a:1",), ("a:2",), ("a:1", "b:1")]}
    assert len(keys) == 3
    assert derived_key(("a:1",), *extra) != derived_key(("a:1",), *extra, 1)
