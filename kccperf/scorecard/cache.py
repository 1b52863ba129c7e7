"""A cache of parsed editions: Parquet files keyed by a hash of the edition's raw files, never inside ``data/raw``.

Reading an edition's 70-odd printed tables takes about a second; a history of many editions would take
that per edition on every load. The frames an edition parses to are therefore stored as Parquet (pyarrow)
under :func:`kccperf._paths.cache_root` (``data/interim/scorecard/`` unless ``KCCPERF_CACHE`` says
otherwise; git-ignored), named by a key that hashes every file of the edition, the reference files that
steer the reader, and the reader's own source. Any change to one of them gives a new key, so a changed raw
file is read again; nothing is ever served stale. The cache is an optimisation only: when it cannot be
written (a read-only folder) editions are simply parsed each time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .._paths import cache_root

__all__ = [
    "derived_key",
    "edition_key",
    "history_key",
    "read_cached",
    "read_derived",
    "read_history",
    "write_cached",
    "write_derived",
    "write_history",
]

PARTS = ("values", "published", "anomalies")
# Whole histories kept on disk: every edition, and the editions before each recent one (load_scorecard).
HISTORIES_KEPT = 8
_SOURCES = ("schemas.py", "scorecard/editions.py", "scorecard/catalogue.py", "scorecard/periods.py", "scorecard/reader")


@lru_cache(maxsize=1)
def _code_digest() -> str:
    # The reader's own source is part of the key: a fix to the reader must not be hidden by old cache files.
    package = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for name in _SOURCES:
        path = package / name
        for f in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            h.update(f.name.encode())
            h.update(f.read_bytes())
    return h.hexdigest()


@lru_cache(maxsize=1)
def _package_digest() -> str:
    # Derived results (assessments, reconciliations) depend on any module of the library: all of it is in their key.
    package = Path(__file__).resolve().parent.parent
    h = hashlib.sha256()
    for f in sorted(package.rglob("*.py")):
        h.update(str(f.relative_to(package)).encode())
        h.update(f.read_bytes())
    return h.hexdigest()


def derived_key(edition_keys: tuple[str, ...], *extra: object) -> str:
    """A key for results computed from the editions on disk: their :func:`edition_key`, the library's source, ``extra``.

    A new or changed edition, reference file or module gives a new key, so no result is ever served stale.

    Examples
    --------
    >>> derived_key(("a", "b"), 5) == derived_key(("a", "b"), 5) != derived_key(("a", "b"), 0)
    True
    """
    # pandas' version too: frames written by one pandas are read back by the same one.
    parts = [_package_digest(), pd.__version__, *edition_keys, *map(repr, extra)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:24]


def edition_key(folder: Path, reference: Path) -> str:
    """A hash of every file in the edition ``folder``, the CSV files in ``reference`` and the reader's source.

    Examples
    --------
    >>> from kccperf._paths import data_root
    >>> len(edition_key(data_root() / "raw" / "scorecard" / "2024-10", data_root() / "reference"))
    24
    """
    files = sorted(p for p in folder.iterdir() if p.is_file()) + sorted(reference.glob("*.csv"))
    # Hashing every file again is slow with a long history (each report asks for several keys): a file whose
    # size, inode, modification and change times are all unchanged is taken to be unchanged within this process.
    # As git does for its index, files changed in the last two seconds are not trusted to their times: a second
    # write within one clock tick would keep them, so such a folder is hashed every time until it settles.
    hashed_at = time.time_ns()
    seen = tuple((str(p), *_stamp(p)) for p in files)
    if _KEYS.get((folder, reference), (None,))[0] == seen:
        return _KEYS[folder, reference][1]
    key = _hash_files(files)
    if all(hashed_at - stamp[-1] > 2_000_000_000 for stamp in seen):
        _KEYS[folder, reference] = (seen, key)
    return key


# (edition folder, reference folder) -> (the files' stamps, their key), for this process.
_KEYS: dict[tuple[Path, Path], tuple[tuple, str]] = {}


def _stamp(path: Path) -> tuple[int, ...]:
    """Size, inode, modification and change time (last, in ns); a file that cannot be looked at changes every time."""
    try:
        st = path.stat()
    except OSError:
        return (-1, time.time_ns())
    return (st.st_size, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)


def _hash_files(files: list[Path]) -> str:
    h = hashlib.sha256(_code_digest().encode())
    for path in files:
        h.update(f"{path.parent.name}/{path.name}\0".encode())
        try:
            h.update(hashlib.sha256(path.read_bytes()).digest())
        except OSError:
            # Unreadable: no cache entry can match, so the edition is parsed and the reader names the file.
            h.update(b"\0unreadable")
    return h.hexdigest()[:24]


def _folder(data_dir) -> Path:
    return cache_root(data_dir) / "scorecard"


def _replace(path: Path, write: Callable[[str], None]) -> None:
    """Write ``path`` whole or not at all: ``write`` fills a temporary file in the same folder, moved into place."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp")
    os.close(fd)
    try:
        write(tmp)
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)


def _write(frame: pd.DataFrame, path: Path) -> None:
    _replace(path, lambda tmp: frame.to_parquet(tmp, index=False))


def _read(path: Path) -> pd.DataFrame | None:
    try:
        return pd.read_parquet(path) if path.is_file() else None
    except (OSError, ValueError):
        return None  # a damaged cache file: parse again and overwrite it


def read_cached(period: str, key: str, data_dir=None, parts: tuple[str, ...] = PARTS) -> tuple[pd.DataFrame, ...] | None:
    """The cached frames ``parts`` (of values, published, anomalies) of ``period`` under ``key``, or ``None``."""
    frames = tuple(_read(_folder(data_dir) / f"{period}-{key}-{part}.parquet") for part in parts)
    return None if any(f is None for f in frames) else frames


def write_cached(period: str, key: str, frames: tuple[pd.DataFrame, ...], data_dir=None) -> None:
    """Store the frames (values, published, anomalies) of ``period`` under ``key``, removing its older entries."""
    folder = _folder(data_dir)
    keep = {folder / f"{period}-{key}-{part}.parquet" for part in PARTS}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{period}-*.parquet"):
            if old not in keep:
                old.unlink(missing_ok=True)
        for part, frame in zip(PARTS, frames):
            _write(frame, folder / f"{period}-{key}-{part}.parquet")
    except OSError:
        return  # read-only or full: the cache is only a speed-up


def history_key(periods: tuple[str, ...], keys: tuple[str, ...]) -> str:
    """One key for a history: the editions and each one's :func:`edition_key`."""
    return hashlib.sha256("\0".join(p + ":" + k for p, k in zip(periods, keys)).encode()).hexdigest()[:24]


def read_history(key: str, data_dir=None) -> pd.DataFrame | None:
    """The cached figures of a whole history (see :func:`history_key`), or ``None``."""
    return _read(_folder(data_dir) / f"history-{key}.parquet")


def write_history(key: str, frame: pd.DataFrame, data_dir=None) -> None:
    """Store a whole history's figures in one file (one read when warm), keeping the newest few histories."""
    folder = _folder(data_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        _write(frame, folder / f"history-{key}.parquet")
        older = sorted(folder.glob("history-*.parquet"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in older[HISTORIES_KEPT:]:
            old.unlink(missing_ok=True)
    except OSError:
        return


def _dtypes(frame: pd.DataFrame) -> bytes:
    return json.dumps({str(c): str(t) for c, t in frame.dtypes.items()}).encode()


def _write_typed(frame: pd.DataFrame, path: Path) -> None:
    """Write ``frame`` whole or not at all, recording its dtypes (Parquet reads text columns back as ``str``)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.Table.from_pandas(frame)  # the index too: a frame read back equals the one written
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), b"kccperf.dtypes": _dtypes(frame)})
    _replace(path, lambda tmp: pq.write_table(table, tmp))


def _read_typed(path: Path) -> pd.DataFrame | None:
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
        wanted = json.loads(table.schema.metadata[b"kccperf.dtypes"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # missing, damaged or written otherwise: compute again and overwrite it
    frame = table.to_pandas()
    # Text columns built as ``object`` come back as ``str`` under pandas 3: give them back their own dtype.
    for col in [c for c, t in wanted.items() if t == "object" and str(frame[c].dtype) != "object"]:
        frame[col] = frame[col].astype(object)
    return frame


def read_derived(name: str, key: str, parts: tuple[str, ...], data_dir=None) -> tuple[pd.DataFrame, ...] | None:
    """The frames ``parts`` of the result ``name`` stored under ``key`` (see :func:`derived_key`), or ``None``."""
    folder = cache_root(data_dir) / "derived"
    frames = tuple(_read_typed(folder / f"{name}-{key}-{part}.parquet") for part in parts)
    return None if any(f is None for f in frames) else frames


def write_derived(name: str, key: str, frames: dict[str, pd.DataFrame], data_dir=None) -> None:
    """Store the frames of the result ``name`` under ``key``, removing that result's entries under older keys."""
    folder = cache_root(data_dir) / "derived"
    keep = {folder / f"{name}-{key}-{part}.parquet" for part in frames}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for old in folder.glob(f"{name}-*.parquet"):
            if old not in keep and old.name[len(name) + 1 :].count("-") == 1:  # this name's, not a longer name's
                old.unlink(missing_ok=True)
        for part, frame in frames.items():
            _write_typed(frame, folder / f"{name}-{key}-{part}.parquet")
    except OSError:
        return  # read-only or full: the cache is only a speed-up
