"""The Polis export with opinion groups (exports/writers/polis.py): the five files with
Polis's columns, group-id and the per-group counts from the stored analysis."""

from __future__ import annotations

from collections import Counter

import pytest
import sqlalchemy as sa

from eraati.analysis import opinion, runs
from eraati.analysis.demo import add_planted_topic
from eraati.analysis.models import AnalysisKind
from eraati.consultations.models import CommentVote
from eraati.exports import services
from tests.exports.support import read_zip_csv


@pytest.fixture
def analysed(db, org):
    made = add_planted_topic(org, participants=90, comments=40, seed=3)
    db.session.commit()
    runs.ask(made.topic.id, AnalysisKind.GROUPS)
    return made


def test_the_polis_zip_has_polis_files_with_the_stored_groups(analysed, db):
    topic = analysed.topic
    result = opinion.stored_groups(topic.id).result
    k = len(result.groups)
    assert k >= 2
    data = b"".join(services.prepare(topic, "polis", "en").chunks)

    votes = read_zip_csv(data, "votes.csv")
    assert votes[0] == ["timestamp", "datetime", "comment-id", "voter-id", "vote"]
    assert len(votes) - 1 == result.votes  # every vote, all comments visible
    given = {int(t.timestamp()) for t in db.session.scalars(sa.select(CommentVote.updated_at))}
    assert {int(line[0]) for line in votes[1:]} == given
    assert votes[1][1].endswith("GMT+0000 (Coordinated Universal Time)")
    assert {line[4] for line in votes[1:]} == {"1", "-1", "0"}

    people = read_zip_csv(data, "participants-votes.csv")
    assert people[0][:2] == ["participant", "group-id"]
    groups_of_numbers = {line[0]: line[1] for line in people[1:]}
    # The groups' sizes in the file are the stored ones (each person's number carries
    # their stored group).
    sizes = Counter(g for g in groups_of_numbers.values() if g != "")
    assert sorted(sizes.items()) == [(str(g.id), g.size) for g in result.groups]

    groups = read_zip_csv(data, "comment-groups.csv")
    letters = "abcdefghij"[:k]
    assert groups[0] == [
        "comment-id",
        "comment",
        "total-votes",
        "total-agrees",
        "total-disagrees",
        "total-passes",
        *[f"group-{x}-{w}" for x in letters for w in ("votes", "agrees", "disagrees", "passes")],
    ]
    # The per-group counts add up to the file's own votes of people in groups.
    in_group = {n for n, g in groups_of_numbers.items() if g != ""}
    expected = Counter(line[2] for line in votes[1:] if line[3] in in_group)
    for line in groups[1:]:
        per_group = [int(x) for x in line[6:]]
        assert int(line[2]) == expected[line[0]] == sum(per_group[0::4])
        assert int(line[2]) == int(line[3]) + int(line[4]) + int(line[5])

    summary = dict((line[0], line[1]) for line in read_zip_csv(data, "summary.csv"))
    assert list(summary) == [
        "topic",
        "url",
        "voters",
        "voters-in-conv",
        "commenters",
        "comments",
        "groups",
        "conversation-description",
    ]
    assert summary["groups"] == str(k)
    assert summary["voters"] == str(result.voters)
    assert summary["voters-in-conv"] == str(result.participants)
    assert summary["comments"] == "40"


def test_the_council_report_has_the_groups_section_with_its_figures(analysed):
    import io

    from eraati.reports.build import build
    from tests.reports.support import docx_text

    topic = analysed.topic
    result = opinion.stored_groups(topic.id).result
    out = io.BytesIO()
    build(topic, "docx", "fi", out)
    text = docx_text(out.getvalue())
    assert "Mielipideryhmät" in text and "Miten ryhmät muodostettiin" in text
    for g in result.groups:
        assert f"Ryhmä {opinion.group_letter(g.id)}" in text
        assert f"{g.size} ihmistä" in text or f"{g.size} ihminen" in text
    assert f"Kommenteista äänesti {result.voters} ihmistä" in text
    # The groups' representative comments are quoted with their shares.
    first = result.groups[0].representative[0]
    assert "Tässä ryhmässä" in text
    assert opinion.quoted({first.comment_id})[first.comment_id].body in text
