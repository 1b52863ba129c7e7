"""The newest edition on disk is the default everywhere, and an explicit period still wins."""

from __future__ import annotations

import pytest

import kccperf
from kccperf import ParameterError
from kccperf.scorecard.editions import latest_period, previous_period, resolve_period


def test_periods_are_listed_oldest_first_and_the_newest_is_the_default(history_data):
    assert kccperf.available_periods(history_data) == ["2024-10", "2024-11"]
    assert latest_period(history_data) == resolve_period("", history_data) == resolve_period(None, history_data) == "2024-11"
    assert previous_period(data_dir=history_data) == "2024-10" and previous_period("2024-10", history_data) is None


@pytest.mark.parametrize(
    "load",
    [kccperf.load_scorecard, kccperf.load_published, kccperf.load_quality_log],
    ids=lambda f: f.__name__,
)
def test_loaders_default_to_the_newest_edition(history_data, load):
    newest, explicit = load(data_dir=history_data), load("2024-11", data_dir=history_data)
    assert newest.equals(explicit)
    assert not newest.equals(load("2024-10", data_dir=history_data))


def test_edition_facts_and_parameters_default_to_the_newest(history_data):
    assert kccperf.load_edition_info(data_dir=history_data)["edition_label"] == "November 2024"
    assert kccperf.load_edition_info("2024-10", data_dir=history_data)["edition_label"] == "October 2024"
    params = kccperf.check_parameters(area="dover", period="", data_dir=history_data)
    assert params == {"area": "Dover", "slug": "dover", "period": "2024-11"}


def test_a_folder_without_editions_says_so(tmp_path):
    with pytest.raises(ParameterError, match="no scorecard edition is on disk"):
        kccperf.load_scorecard(data_dir=tmp_path)


def test_an_unknown_period_names_the_editions_on_disk(history_data):
    with pytest.raises(ParameterError, match="expected one of: 2024-10, 2024-11"):
        kccperf.load_scorecard("2024-12", data_dir=history_data)
