"""The analyses' part of ``flask eraati tick``: ``tick_analyses()`` asks for the analyses
of topics whose votes, comments or tags changed (``runs.ask_due``)."""

from __future__ import annotations

import click


def tick_analyses() -> None:
    from eraati.analysis.runs import ask_due

    for topic, kind in ask_due():
        click.echo(
            f"analysis {kind.value}: {topic.organisation.slug}/{topic.slug} (topic {topic.id})"
        )
