"""Stances, comment votes, poll answers and follows: state changes and the viewer's state.

(Stub: the participation work fills this in.)
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eraati.consultations.models import Stance, Topic, VoteValue


@dataclass
class ParticipationState:
    """What the topic page needs to know about one viewer and the topic's results."""

    stance: Stance | None = None
    votes: dict[int, VoteValue] = field(default_factory=dict)  # comment id -> vote
    answers: dict[int, set[int]] = field(default_factory=dict)  # question id -> option ids
    following: bool = False
    option_counts: dict[int, int] = field(default_factory=dict)  # option id -> answers
    respondents: dict[int, int] = field(default_factory=dict)  # question id -> people


def page_state(topic: Topic, user, comment_ids: list[int]) -> ParticipationState:
    return ParticipationState()
