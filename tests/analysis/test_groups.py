"""Opinion groups (eraati/analysis/groups.py) on votes with a planted structure
(eraati/analysis/planted.py): the planted groups are found, their representative,
consensus and divisive comments are the planted ones, nothing is invented where the votes
hold no groups, and the same votes always give the same result, in any process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from eraati.analysis.groups import (
    REASON_NO_STRUCTURE,
    REASON_TOO_FEW,
    Result,
    Votes,
    analyse,
    group_counts,
)
from eraati.analysis.planted import CONSENSUS, DIVISIVE, plant, planted_votes

ROOT = Path(__file__).resolve().parents[2]


def _ari(planted, result: Result) -> float:
    return adjusted_rand_score(planted.truth[result.participant_ids - 1], result.labels)


def _planted_group(planted, group) -> int:
    """The planted group most of a found group's members come from."""
    return int(np.bincount(planted.truth[np.array(group.members) - 1]).argmax())


@pytest.fixture(scope="module")
def three():
    planted = plant(600, 200, 3, seed=0, consensus=6, divisive=6)
    return planted, analyse(planted.votes, seed=0)


@pytest.mark.parametrize(
    ("participants", "comments", "groups", "sizes"),
    [
        (300, 200, 2, None),
        (600, 200, 3, None),
        (900, 250, 4, None),
        (1500, 200, 3, (0.65, 0.25, 0.10)),  # one group ten per cent of the people
    ],
)
def test_the_planted_groups_are_found(participants, comments, groups, sizes):
    planted = plant(participants, comments, groups, seed=1, sizes=sizes)
    result = analyse(planted.votes, seed=1)
    assert result.k == groups
    assert _ari(planted, result) >= 0.99
    assert [g.size for g in result.groups] == sorted((g.size for g in result.groups), reverse=True)
    assert sum(g.size for g in result.groups) == result.participants


def test_sparse_voters_are_not_pulled_to_the_centre():
    """Polis's stretch sqrt(comments / votes): with participation from 3 % to 57 % of the
    comments the groups are still found (without the stretch this set scores 0.91)."""
    planted = plant(600, 200, 3, seed=0, density_spread=0.9)
    result = analyse(planted.votes, seed=0)
    assert result.k == 3
    assert _ari(planted, result) >= 0.97


def test_group_ids_follow_size_and_labels_match_members(three):
    _, result = three
    for group in result.groups:
        members = result.participant_ids[result.labels == group.id]
        assert tuple(int(m) for m in members) == group.members
        assert result.group_of(group.members[0]) == group.id
    assert result.points.shape == (result.participants, 2)
    assert 0 < result.explained[1] <= result.explained[0] < 1


def test_representative_comments_are_those_the_group_was_planted_to_hold_apart(three):
    planted, result = three
    for group in result.groups:
        g = _planted_group(planted, group)
        others = [h for h in range(planted.stance.shape[0]) if h != g]
        assert 1 <= len(group.representative) <= 5
        for statement in group.representative:
            sign = 1 if statement.direction == "agree" else -1
            column = planted.stance[:, statement.comment_id - 1]
            assert column[g] == sign  # the group's own planted stance
            assert np.mean(column[others] == sign) < 0.5  # which sets it apart
            assert statement.share_in > statement.share_out
            assert statement.votes_in > 0


def test_planted_consensus_comments_are_found_with_their_direction(three):
    planted, result = three
    found = {s.comment_id: s.direction for s in result.consensus}
    for comment in planted.comment_ids(CONSENSUS):
        expected = "agree" if planted.stance[0, comment - 1] > 0 else "disagree"
        assert found.get(comment) == expected
    assert set(found) == planted.comment_ids(CONSENSUS)  # and nothing else


def test_planted_divisive_comments_are_the_most_divisive(three):
    planted, result = three
    found = [s.comment_id for s in result.divisive]
    planted_divisive = planted.comment_ids(DIVISIVE)
    assert set(found[: len(planted_divisive)]) == planted_divisive
    assert not set(found) & planted.comment_ids(CONSENSUS)


def test_participants_below_min_votes_are_left_out_and_counted():
    planted = plant(300, 200, 2, seed=3)
    rows = list(
        zip(planted.votes.participant, planted.votes.comment, planted.votes.value, strict=True)
    )
    rows += [(5001, c, 1) for c in range(1, 8)]  # exactly min_votes: in
    rows += [(5002, c, -1) for c in range(1, 7)]  # one short: out
    rows += [(5003, 1, 0)]  # a single pass: out, but a voter
    result = analyse(Votes.from_rows(rows), min_votes=7)
    assert result.voters == 303
    assert result.participants == 301
    assert result.votes == len(rows)
    assert 5001 in result.participant_ids
    assert 5002 not in result.participant_ids and 5003 not in result.participant_ids
    assert result.group_of(5002) is None
    assert sum(g.size for g in result.groups) == 301


def test_too_few_participants_give_no_groups():
    votes, _ = planted_votes(9, 40, 2, density=0.8, seed=0)
    result = analyse(votes)
    assert result.participants == 9
    assert result.k is None and result.groups == () and result.reason == REASON_TOO_FEW
    assert result.silhouette is None
    assert (result.labels == -1).all()
    assert result.points.shape == (9, 2)


def test_votes_without_groups_give_no_groups():
    """Everyone votes at random: the map is one cloud, and no groups are made up."""
    rng = np.random.default_rng(0)
    people, comments = np.nonzero(rng.random((500, 100)) < 0.3)
    votes = Votes.from_arrays(people + 1, comments + 1, rng.integers(-1, 2, len(people)))
    result = analyse(votes)
    assert result.k is None and result.groups == ()
    assert result.reason == REASON_NO_STRUCTURE
    assert result.silhouette is not None and result.silhouette_reference is not None
    assert (result.labels == -1).all()


def test_the_last_vote_on_a_comment_counts():
    """One vote per person and comment, as in the database: a repeated pair keeps the last."""
    rows = [(p, c, 1) for p in range(1, 12) for c in range(1, 9)]
    rows += [(1, 1, -1)]  # participant 1 changed their mind on comment 1
    result = analyse(Votes.from_rows(rows))
    assert result.votes == 88
    first = next(s for s in result.consensus if s.comment_id == 1)
    assert first.direction == "agree" and first.share_in == round(10 / 11, 4)
    assert first.votes_in == 11


def test_the_order_of_the_votes_does_not_matter(three):
    planted, result = three
    order = np.random.default_rng(5).permutation(len(planted.votes))
    votes = planted.votes
    shuffled = Votes(votes.participant[order], votes.comment[order], votes.value[order])
    assert analyse(shuffled, seed=0).to_json() == result.to_json()


def test_same_votes_and_seed_give_the_same_result_in_another_process(three):
    """A3: identical groups in any process (another PYTHONHASHSEED, a fresh interpreter)."""
    _, result = three
    script = (
        "import json\n"
        "from eraati.analysis.groups import analyse\n"
        "from eraati.analysis.planted import plant\n"
        "planted = plant(600, 200, 3, seed=0, consensus=6, divisive=6)\n"
        "print(json.dumps(analyse(planted.votes, seed=0).to_json()))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(  # noqa: S603 (this interpreter, a fixed script)
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=True,
    )
    assert json.loads(done.stdout) == json.loads(json.dumps(result.to_json()))


def test_the_result_round_trips_through_json(three):
    _, result = three
    data = json.loads(json.dumps(result.to_json()))  # plain JSON types only
    back = Result.from_json(data)
    assert back.to_json() == result.to_json()
    assert back == result and back != analyse(plant(200, 100, 2, seed=0).votes)
    assert back.groups == result.groups
    assert back.consensus == result.consensus and back.divisive == result.divisive
    np.testing.assert_array_equal(back.points, result.points)
    np.testing.assert_array_equal(back.labels, result.labels)
    empty = analyse(Votes.from_rows([]))
    assert Result.from_json(json.loads(json.dumps(empty.to_json()))).to_json() == empty.to_json()


def test_progress_is_reported_from_start_to_end():
    seen = []
    analyse(plant(200, 100, 2, seed=0).votes, progress=lambda stage, f: seen.append((stage, f)))
    assert seen[0][1] == 0.0 and seen[-1] == ("done", 1.0)
    assert [f for _, f in seen] == sorted(f for _, f in seen)


def test_planted_votes_are_reproducible_and_keyed_from_one():
    votes, truth = planted_votes(120, 60, 3, seed=4)
    again, truth_again = planted_votes(120, 60, 3, seed=4)
    np.testing.assert_array_equal(votes.value, again.value)
    np.testing.assert_array_equal(truth, truth_again)
    assert votes.participant.min() >= 1 and votes.participant.max() <= 120
    assert len(truth) == 120 and len(set(np.bincount(truth))) == 3  # unequal sizes


@pytest.mark.parametrize(
    "rows",
    [
        [(p, c, 1) for p in range(1, 21) for c in range(1, 31)],  # everyone agrees on all
        [(p, c, (p % 2) * 2 - 1) for p in range(1, 21) for c in (1, 2)],  # two comments
        [(p, 1, 1) for p in range(1, 40)],  # one comment
    ],
    ids=["unanimous", "two-comments", "one-comment"],
)
def test_degenerate_votes_give_an_honest_result_and_no_error(rows):
    result = analyse(Votes.from_rows(rows), min_votes=1)
    assert result.participants == len({r[0] for r in rows})
    assert result.points.shape == (result.participants, 2)
    assert np.isfinite(result.points).all()
    if result.k is None:
        assert result.reason in (REASON_TOO_FEW, REASON_NO_STRUCTURE) and result.groups == ()
    json.dumps(result.to_json())


def test_representative_comments_come_best_first(three):
    _, result = three
    for group in result.groups:
        scores = [s.score for s in group.representative]
        assert scores == sorted(scores, reverse=True)


def test_group_counts_are_the_members_votes(three):
    """The per-group table (for the Polis export) counts exactly the members' votes."""
    planted, result = three
    table = group_counts(planted.votes, result)
    votes = planted.votes
    label = np.full(votes.participant.max() + 1, -1)
    label[result.participant_ids] = result.labels
    for g in range(result.k):
        for comment in (int(table.comment_ids[0]), int(table.comment_ids[-1])):
            mine = (label[votes.participant] == g) & (votes.comment == comment)
            j = int(np.searchsorted(table.comment_ids, comment))
            assert table.agree[g, j] == np.sum(mine & (votes.value == 1))
            assert table.disagree[g, j] == np.sum(mine & (votes.value == -1))
            assert table.passed[g, j] == np.sum(mine & (votes.value == 0))
    total = (table.agree + table.disagree + table.passed).sum(axis=1)
    assert list(total) == [np.sum(label[votes.participant] == g) for g in range(result.k)]
