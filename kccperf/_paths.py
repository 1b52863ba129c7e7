"""Where the project's data lives, computed from the package location (never the working directory)."""

from __future__ import annotations

import os
from pathlib import Path

# The package is installed in editable mode from the repository, whose data/
# folder sits beside kccperf/. KCCPERF_DATA points elsewhere when needed.
_DEFAULT = Path(__file__).resolve().parent.parent / "data"


def data_root(data_dir: str | os.PathLike | None = None) -> Path:
    """The data folder: ``data_dir`` if given, else ``$KCCPERF_DATA``, else the repository's ``data/``."""
    if data_dir is not None:
        return Path(data_dir)
    env = os.environ.get("KCCPERF_DATA")
    return Path(env) if env else _DEFAULT


def project_root() -> Path:
    """The repository root (holds ``notebooks/`` and ``outputs/``)."""
    return Path(__file__).resolve().parent.parent


def cache_root(data_dir: str | os.PathLike | None = None) -> Path:
    """Where parsed editions are cached: ``$KCCPERF_CACHE`` if set, else ``interim/`` in the data folder.

    Never inside ``raw/``, which holds the published files unchanged; ``data/interim/`` is git-ignored.
    """
    env = os.environ.get("KCCPERF_CACHE")
    return Path(env) if env else data_root(data_dir) / "interim"
