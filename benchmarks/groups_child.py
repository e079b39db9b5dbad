"""One opinion-group analysis in a fresh process, for the A scenarios (groups_support).

    python -m benchmarks.groups_child --side eraati|reddwarf --votes set.npz --out labels.npz

Reads the votes (arrays ``participant``, ``comment``, ``value``) from the .npz both sides
read, imports everything the side needs, then times its analysis alone (``--repeat``
times in this process, the shortest time and the first result kept) and prints one JSON
line: seconds, the process's peak RSS (``VmHWM``, interpreter, libraries and the loaded
votes included, as a job worker would need), the RSS before the analysis, the number of
groups and, for eRaati, the SHA-256 of the result's JSON. The group of every analysed
participant goes to ``--out`` (arrays ``participant``, ``label``) for the adjusted Rand
index.

eRaati: ``eraati.analysis.groups.analyse``. red-dwarf: ``reddwarf.implementations.polis
.run_pipeline`` (the Python port of Polis's method, PCA + k-means with k by silhouette,
representative and consensus statements), given the votes as columns (no per-vote Python
dicts, which would cost it memory and time that are not the method's), with the same
minimum of 7 votes and the same seed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import time
from pathlib import Path

import numpy as np


def _status(field: str) -> float:
    """A line of /proc/self/status in MiB (VmRSS: now, VmHWM: the peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _eraati(arrays, seed: int, shuffle: bool):
    import scipy.linalg  # imported before the clock starts, as red-dwarf's are
    import scipy.sparse.linalg
    import scipy.spatial.distance  # noqa: F401

    from eraati.analysis.groups import Votes, analyse

    participant, comment, value = arrays
    if shuffle:  # the same votes in another order (A3)
        order = np.random.default_rng(seed + 99).permutation(len(value))
        participant, comment, value = participant[order], comment[order], value[order]
    votes = Votes.from_arrays(participant, comment, value)

    def run():
        return analyse(votes, min_votes=7, seed=seed)

    def read(result):
        digest = hashlib.sha256(json.dumps(result.to_json(), sort_keys=True).encode()).hexdigest()
        return result.participant_ids, result.labels, result.k, {"sha256": digest}

    return run, read


def _reddwarf(arrays, seed: int, shuffle: bool):
    from reddwarf.implementations.polis import run_pipeline

    participant, comment, value = arrays
    columns = {
        "participant_id": participant,
        "statement_id": comment,
        "vote": value.astype(np.int64),
    }

    def run():
        return run_pipeline(votes=columns, min_user_vote_threshold=7, random_state=seed)

    def read(result):
        frame = result.participants_df
        clustered = frame[frame["to_cluster"]]
        labels = clustered["cluster_id"].astype("int64").to_numpy()
        ids = clustered.index.to_numpy(dtype=np.int64)
        return ids, labels, len(np.unique(labels)), {}

    return run, read


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--side", choices=["eraati", "reddwarf"], required=True)
    parser.add_argument("--votes", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--shuffle", action="store_true")
    args = parser.parse_args()
    with np.load(args.votes) as data:
        arrays = (data["participant"], data["comment"], data["value"])
    make = _eraati if args.side == "eraati" else _reddwarf
    run, read = make(arrays, args.seed, args.shuffle)
    rss_before = _status("VmRSS")
    times, first = [], None
    for _ in range(max(1, args.repeat)):
        started = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - started)
        if first is None:
            first = result
        del result
    ids, labels, k, extra = read(first)
    np.savez(args.out, participant=np.asarray(ids), label=np.asarray(labels))
    print(
        json.dumps(
            {
                "side": args.side,
                "seconds": min(times),
                "all_seconds": times,
                "peak_rss_mib": _status("VmHWM"),
                "rss_before_mib": rss_before,
                "k": int(k) if k is not None else None,
                **extra,
            }
        )
    )


if __name__ == "__main__":
    main()
