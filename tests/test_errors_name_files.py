"""Every file kccperf reads, unreadable or not UTF-8, gives one error sentence naming it, never a bare traceback."""

from __future__ import annotations

import ctypes
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kccperf.budget.read import load_budget
from kccperf.cli import main
from kccperf.errors import BudgetFileError, InputError, ScorecardFileError
from kccperf.scorecard.catalogue import load_catalogue
from kccperf.scorecard.editions import load_edition_info, load_headline, load_quality_log
from kccperf.scorecard.reader import read_scorecard

ROOT = Path(__file__).resolve().parent.parent
EDITION = "raw/scorecard/2024-10"
# prctl(2) and capabilities(7): the option that drops a capability, and the two that let root read any file.
PR_CAPBSET_DROP = 24
CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH = 1, 2

# (file under data/, how it is read, the error it raises)
FILES = [
    (f"{EDITION}/kent__ics_monthly.tsv", lambda d: read_scorecard(d / EDITION / "kent__ics_monthly.tsv"), ScorecardFileError),
    (f"{EDITION}/dover__ics_monthly.tsv", lambda d: load_quality_log("2024-10", data_dir=d), ScorecardFileError),
    (f"{EDITION}/headline.tsv", lambda d: load_headline("2024-10", data_dir=d), ScorecardFileError),
    (f"{EDITION}/edition.csv", lambda d: load_edition_info("2024-10", data_dir=d), ScorecardFileError),
    ("reference/indicators.csv", lambda d: load_catalogue(d), InputError),
    ("reference/areas.csv", lambda d: load_catalogue(d), InputError),
    ("raw/budget/2025-26/MANIFEST.tsv", lambda d: load_budget("2025-26", data_dir=d), BudgetFileError),
    ("raw/budget/2025-26/appendix_e_cype_revenue.tsv", lambda d: load_budget("2025-26", data_dir=d), BudgetFileError),
    ("raw/budget/2025-26/claims.tsv", lambda d: load_budget("2025-26", data_dir=d), BudgetFileError),
    ("reference/budget/2025-26/relations.csv", lambda d: load_budget("2025-26", data_dir=d), BudgetFileError),
    ("reference/budget/2025-26/edition.csv", lambda d: load_budget("2025-26", data_dir=d), BudgetFileError),
]
IDS = [f for f, _, _ in FILES]


@pytest.fixture
def data(tmp_path) -> Path:
    """A private copy of the data folder, to plant bad files in."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    return tmp_path / "data"


def plant_latin1(path: Path) -> None:
    """Put a latin-1 'é' at the start of the file's second row."""
    raw = path.read_bytes()
    first = raw.index(b"\n") + 1
    path.write_bytes(raw[:first] + "é".encode("latin-1") + raw[first:])


def make_unreadable(path: Path, monkeypatch) -> None:
    """Take read permission away; as root, where chmod does not stop reading, make reading the file fail instead."""
    path.chmod(0)
    if os.access(path, os.R_OK):
        path.chmod(0o644)
        real = Path.read_bytes

        def read_bytes(self):
            if self == path:
                raise PermissionError(13, "Permission denied", str(self))
            return real(self)

        monkeypatch.setattr(Path, "read_bytes", read_bytes)


@pytest.mark.parametrize(("name", "read", "error"), FILES, ids=IDS)
def test_a_file_not_in_utf8_names_itself_and_its_row(data, name, read, error):
    plant_latin1(data / name)
    with pytest.raises(error) as err:
        read(data)
    assert str(err.value).startswith(f"{data / name} row 2: byte"), str(err.value)
    assert "expected" in str(err.value)


@pytest.mark.parametrize(("name", "read", "error"), FILES, ids=IDS)
def test_a_file_without_read_permission_names_itself(data, name, read, error, monkeypatch):
    make_unreadable(data / name, monkeypatch)
    with pytest.raises(error) as err:
        read(data)
    assert str(err.value).startswith(f"{data / name}: cannot be read (Permission denied); expected"), str(err.value)


def obey_file_modes() -> None:
    """Run in a child before exec: take away root's power to read any file, so chmod 000 stops it as it stops a user.

    Root reads past file modes through two capabilities; dropped from the bounding set, they are gone after exec.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    for cap in (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH):
        if libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), f"cannot drop capability {cap}")


def run_as_a_user(args: list[str], data: Path) -> subprocess.CompletedProcess:
    """The command on ``data``, in a process that obeys file modes even when the tests run as root."""
    as_root = os.geteuid() == 0
    env = {**os.environ, "KCCPERF_DATA": str(data)}
    argv = [sys.executable, "-m", "kccperf.cli", *args]
    return subprocess.run(
        argv, capture_output=True, text=True, env=env, timeout=300, preexec_fn=obey_file_modes if as_root else None
    )


@pytest.mark.skipif(
    os.geteuid() == 0 and not sys.platform.startswith("linux"), reason="as root, drops its capabilities the Linux way"
)
@pytest.mark.parametrize(
    ("name", "args"),
    [
        (f"{EDITION}/kent__ics_monthly.tsv", ["validate", "{path}"]),
        (f"{EDITION}/ashford__ics_monthly.tsv", ["quality", "--period", "2024-10"]),
        ("reference/blocks.csv", ["qa", "--period", "2024-10"]),
        ("raw/budget/2025-26/claims.tsv", ["budget-qa"]),
    ],
)
def test_chmod_000_gives_one_sentence_naming_the_file(data, name, args):
    path = data / name
    path.chmod(0)
    run = run_as_a_user([a.format(path=path) for a in args], data)
    lines = run.stderr.splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    assert lines[0].startswith(f"kccperf: error: {path}: cannot be read (Permission denied); expected"), lines[0]
    assert run.returncode == 2


def test_a_csv_that_does_not_parse_names_itself(data):
    path = data / EDITION / "edition.csv"
    path.write_text('key,value\ntitle,"unclosed\n', encoding="utf-8")
    with pytest.raises(ScorecardFileError) as err:
        load_edition_info("2024-10", data_dir=data)
    assert str(err.value).startswith(f"{path}: cannot be read (")


def run_cli(argv: list[str], capsys) -> tuple[int, list[str]]:
    code = main(argv)
    return code, capsys.readouterr().err.splitlines()


@pytest.mark.parametrize("bad", ["latin-1", "unreadable"])
def test_validate_says_which_file_in_one_line(data, bad, capsys, monkeypatch):
    path = data / EDITION / "kent__ics_monthly.tsv"
    plant_latin1(path) if bad == "latin-1" else make_unreadable(path, monkeypatch)
    code, err = run_cli(["validate", str(path)], capsys)
    assert code == 2
    assert len(err) == 1 and str(path) in err[0]


@pytest.mark.parametrize("name", [f"{EDITION}/ashford__ics_monthly.tsv", "reference/blocks.csv"])
@pytest.mark.parametrize("bad", ["latin-1", "unreadable"])
def test_quality_says_which_file_in_one_line(data, name, bad, capsys, monkeypatch):
    monkeypatch.setenv("KCCPERF_DATA", str(data))
    plant_latin1(data / name) if bad == "latin-1" else make_unreadable(data / name, monkeypatch)
    code, err = run_cli(["quality", "--period", "2024-10"], capsys)
    assert code == 2
    assert len(err) == 1 and str(data / name) in err[0]


def test_the_installed_command_prints_no_traceback(data):
    plant_latin1(data / EDITION / "headline.tsv")
    plant_latin1(data / EDITION / "canterbury__ics_quarterly.tsv")
    env = {**os.environ, "KCCPERF_DATA": str(data)}
    run = subprocess.run(
        [sys.executable, "-m", "kccperf.cli", "quality", "--period", "2024-10"], capture_output=True, text=True, env=env
    )
    assert run.returncode == 2
    assert run.stderr.splitlines() == [run.stderr.strip()]
    assert "Traceback" not in run.stderr and "canterbury__ics_quarterly.tsv row 2" in run.stderr
