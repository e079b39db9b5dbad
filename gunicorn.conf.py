"""gunicorn's settings for eRaati: gunicorn reads this file by itself when started from the
project folder (``gunicorn --workers 2 --bind 127.0.0.1:8000 wsgi:app``); the command
line's options win over it.

Only what the metrics need (eraati/core/metrics.py, docs/operating.md): each worker is a
process of its own, so each writes its counts into ``PROMETHEUS_MULTIPROC_DIR`` and
``/metrics`` adds them up. Unset, it is ``instance/prometheus`` in the project folder.
Two gunicorn services started from one folder need a folder each.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path

os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", str(Path(__file__).resolve().parent / "instance" / "prometheus")
)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def on_starting(server) -> None:
    """Before the workers start: the folder exists, and the files of processes that have
    ended (earlier runs of this service) are removed. A running ``flask eraati worker``
    sharing the folder keeps its own."""
    path = os.environ["PROMETHEUS_MULTIPROC_DIR"]
    os.makedirs(path, exist_ok=True)
    for name in glob.glob(os.path.join(path, "*.db")):
        pid = Path(name).stem.rpartition("_")[2]
        if not pid.isdigit() or not _running(int(pid)):
            os.remove(name)


def child_exit(server, worker) -> None:
    """A worker ended: its live gauges go (its counts stay, as Prometheus expects)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
