"""Soak: a two-area batch run 20 times, most of them stopped by a signal at a random moment.

After every run the output folder must be consistent (no work folder once the next run has
started, no temporary file, whole pages and workbooks, an index listing only pages that exist)
and no process of the run may be left. Skip it locally with ``pytest -m "not slow"``.
"""

from __future__ import annotations

import os
import random
import signal
import time

import pytest

from .conftest import STOP_SECONDS, alive, descendants
from .test_batch_signals import assert_consistent, wait_gone

RUNS = 20


@pytest.mark.slow
def test_soak_random_interruptions(tmp_path, start_report):
    rng = random.Random(int(os.environ.get("KCCPERF_SOAK_SEED", "12")))
    dest = tmp_path / "2024-10"
    stops = []
    for n in range(RUNS):
        sig = rng.choice([signal.SIGINT, signal.SIGTERM, None])
        proc = start_report(tmp_path)
        seen = []
        # Interrupt the batch, not its start-up (tests/test_launcher.py covers a Ctrl-C during the imports): wait
        # until this run holds the folder's lock, where it writes its pid once kccperf is imported.
        started = time.monotonic() + 120
        lock = dest / ".kccperf.lock"
        while proc.poll() is None and time.monotonic() < started:
            if lock.exists() and lock.read_text(encoding="ascii").strip() == str(proc.pid):
                break
            time.sleep(0.05)
        deadline = time.monotonic() + (rng.uniform(0.5, 70) if sig else 600)
        while proc.poll() is None and time.monotonic() < deadline:
            seen += [p for p in descendants(proc) if p.pid not in {q.pid for q in seen}]
            time.sleep(0.2)
        sent = time.monotonic()
        if proc.poll() is None:
            os.kill(proc.pid, sig or signal.SIGKILL)
        _out, err = proc.communicate(timeout=STOP_SECONDS)
        assert proc.returncode in {0, 130, 143} or sig is None, (n, proc.returncode, err)
        assert "Traceback" not in err, (n, err)
        stops.append(wait_gone(seen) if alive(seen) else time.monotonic() - sent)
        assert_consistent(dest)
    print(f"kill-to-clean seconds: max {max(stops):.1f}, mean {sum(stops) / len(stops):.1f}")
