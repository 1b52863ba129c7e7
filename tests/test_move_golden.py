"""Golden copies for the move into subpackages (issue 8): nothing a user sees may change.

Every report page, its downloads, the index and the output of every command on the real data are reduced to a
digest and compared with ``tests/golden/move.json``, recorded before the move. Pages are compared without their
generated-at line; Excel files by the content of each part of the zip except ``docProps/core.xml``, which holds
the time the file was written.

The test is for the move only: it may go once later issues change the pages on purpose. To record anew (only
when a change to the output is intended), run ``KCCPERF_RECORD_GOLDEN=1 .venv/bin/python -m pytest
tests/test_move_golden.py``.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from kccperf.cli import main

from .conftest import ROOT

GOLDEN = Path(__file__).parent / "golden" / "move.json"
RECORD = os.environ.get("KCCPERF_RECORD_GOLDEN") == "1"

# nbconvert passes every page through BeautifulSoup, which closes void tags and sorts attributes. Now that the
# kccperf nbconvert template makes the whole page, these three tags of the old hand-made wrapper come out in
# BeautifulSoup's spelling; the same tags, with the same attributes. Nothing else may differ.
SOUP = {
    b'<meta charset="utf-8"/>': b'<meta charset="utf-8">',
    b'<meta content="width=device-width, initial-scale=1" name="viewport"/>': b'<meta name="viewport" content="width=device-width, initial-scale=1">',
    b'<nav aria-label="Contents" class="kcc-toc">': b'<nav class="kcc-toc" aria-label="Contents">',
}
COMMANDS = {
    "periods": ["periods"],
    "quality": ["quality", "--period", "2024-10"],
    "quality-dover": ["quality", "--period", "2024-10", "--area", "Dover"],
    "qa": ["qa", "--period", "2024-10"],
    "floors": ["floors", "--period", "2024-10"],
    "budget-qa": ["budget-qa", "--year", "2025-26"],
    "bad-period": ["qa", "--period", "1999-01"],
    "bad-area": ["quality", "--area", "Atlantis"],
    "bad-file": ["validate", "data/raw/scorecard/2024-10/no_such_file.tsv"],
    "bad-year": ["budget-qa", "--year", "1999-00"],
}
EXPORTS = {
    "quality-out.csv": ["quality", "--period", "2024-10", "--out"],
    "quality-out.xlsx": ["quality", "--period", "2024-10", "--out"],
    "qa-out.csv": ["qa", "--period", "2024-10", "--out"],
    "budget-qa-out.csv": ["budget-qa", "--out"],
}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _digest(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".html":
        data = re.sub(rb"Generated at [^<]*", b"", data)
        for soup_made, before in SOUP.items():
            data = data.replace(soup_made, before)
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(path) as book:
            parts = sorted(n for n in book.namelist() if n != "docProps/core.xml")
            data = b"".join(n.encode() + b"\0" + book.read(n) for n in parts)
    return _sha(data)


def _run(argv: list[str], tmp: Path | None = None) -> str:
    out, err = io.StringIO(), io.StringIO()
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    finally:
        os.chdir(cwd)
    text = f"exit {code}\n--stdout\n{out.getvalue()}--stderr\n{err.getvalue()}"
    return text.replace(str(tmp), "<tmp>") if tmp else text


def _frames() -> dict[str, str]:
    import kccperf

    frames = {
        "scorecard": kccperf.load_scorecard("2024-10"),
        "published": kccperf.load_published("2024-10"),
        "quality": kccperf.load_quality_log("2024-10"),
        "headline": kccperf.load_headline("2024-10"),
        "assessed": kccperf.assess(kccperf.load_scorecard("2024-10")),
        "findings": kccperf.reconcile("2024-10").findings,
    }
    return {f"frame/{k}": _sha(v.to_csv(index=False).encode()) for k, v in frames.items()}


def _observed(full_run, tmp_path: Path) -> dict[str, str]:
    seen = {f"report/{p.name}": _digest(p) for p in sorted(full_run.out_dir.iterdir()) if p.is_file()}
    seen |= _frames()
    for table in sorted((ROOT / "data/raw/scorecard/2024-10").glob("*__*.tsv")):
        argv = ["validate", str(table.relative_to(ROOT)), "--edition", "2024-10"]
        seen[f"command/validate/{table.name}"] = _sha(_run(argv).encode())
    for name, argv in COMMANDS.items():
        seen[f"command/{name}"] = _sha(_run(argv).encode())
    for name, argv in EXPORTS.items():
        target = tmp_path / name
        seen[f"command/{name}"] = _sha(_run([*argv, str(target)], tmp_path).encode())
        seen[f"export/{name}"] = _digest(target)
    return seen


def test_outputs_unchanged_apart_from_three_soup_tags(full_run, tmp_path):
    seen = _observed(full_run, tmp_path)
    if RECORD:
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(seen, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip(f"recorded {len(seen)} digests in {GOLDEN}")
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert sorted(seen) == sorted(golden), "the set of outputs changed"
    changed = [name for name in golden if seen[name] != golden[name]]
    assert not changed, f"outputs changed by the move: {changed}"
