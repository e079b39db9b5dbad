"""The analyses' part of ``flask eraati tick``: ``tick_analyses()`` asks for the analyses
of topics whose votes, comments or tags changed (``runs.ask_due``); ``flask eraati
analyse TOPIC`` computes a topic's opinion groups at once and prints them."""

from __future__ import annotations

import sys

import click

from eraati.cli import eraati_cli, topic_argument
from eraati.extensions import db


def tick_analyses() -> None:
    from eraati.analysis.runs import ask_due

    for topic, kind in ask_due():
        click.echo(
            f"analysis {kind.value}: {topic.organisation.slug}/{topic.slug} (topic {topic.id})"
        )


@eraati_cli.command("analyse")
@click.argument("topic_ref", metavar="TOPIC")
def analyse(topic_ref: str) -> None:
    """Compute the opinion groups of TOPIC now (its id, ORGANISATION/ADDRESS, or ADDRESS
    alone when one organisation uses it), store them for its pages, and print them."""
    from eraati.analysis import runs
    from eraati.analysis.models import AnalysisKind
    from eraati.analysis.opinion import stored_groups

    topic = topic_argument(topic_ref)
    if not runs.request(topic.id, AnalysisKind.GROUPS, force=True):
        raise click.ClickException(
            "A computation of this topic's groups is already queued or running; try again "
            "in a moment."
        )
    db.session.commit()
    with click.progressbar(length=100, label="Opinion groups", file=sys.stderr) as bar:
        done = [0]

        def progress(step: str, share: float) -> None:
            target = int(share * 100)
            if target > done[0]:
                bar.update(target - done[0])
                done[0] = target

        row = runs.run(topic.id, AnalysisKind.GROUPS.value, progress)
    if row is None or row.failed_at is not None:
        raise click.ClickException(
            f"The computation failed ({row.failure if row else 'taken by another worker'})."
        )
    _print_groups(topic, stored_groups(topic.id))


def _print_groups(topic, stored) -> None:
    from eraati.analysis.opinion import group_letter, quoted_comments

    result = stored.result
    click.echo(
        f"{topic.organisation.slug}/{topic.slug}: {result.voters} voted, {result.participants} "
        f"with at least {result.min_votes} votes in the analysis, {result.comments} comments, "
        f"{result.votes} votes."
    )
    if not result.groups:
        click.echo(f"No opinion groups ({result.reason}).")
        return
    texts = quoted_comments(stored.comment_ids(), topic.organisation.primary_language)
    click.echo(f"{len(result.groups)} opinion groups (silhouette {result.silhouette}):")
    for group in result.groups:
        share = 100 * group.size / max(result.participants, 1)
        click.echo(f"\nGroup {group_letter(group.id)}: {group.size} people ({share:.0f} %)")
        for s in group.representative:
            click.echo(
                f"  {s.direction} {100 * s.share_in:.0f} % (others {100 * s.share_out:.0f} %): "
                f"{_short(texts.get(s.comment_id, ''))} [#{s.comment_id}]"
            )
    for title, statements in (("Consensus", result.consensus), ("Divisive", result.divisive)):
        if statements:
            click.echo(f"\n{title}:")
            for s in statements:
                click.echo(f"  {_short(texts.get(s.comment_id, ''))} [#{s.comment_id}]")


def _short(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
