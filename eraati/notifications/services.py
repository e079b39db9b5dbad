"""Choosing (preferences, subscriptions) and recording who is to be told
(``record``): one ``INSERT ... SELECT`` for any number of people, each row once.
Flush, never commit: the caller commits and then asks a worker to send (``sending.kick``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from eraati.accounts.models import User
from eraati.core.db import UTCDateTime
from eraati.core.time import HELSINKI, utcnow
from eraati.extensions import db
from eraati.notifications.models import (
    RULES,
    Kind,
    Mode,
    Notification,
    NotificationPreference,
    OrganisationSubscription,
)
from eraati.organisations.models import Organisation, authority_members, organisation_members
from eraati.organisations.queries import is_home_of

# The weekly digest goes out on Monday mornings, Helsinki time.
DIGEST_WEEKDAY = 0
DIGEST_HOUR = 7


def next_digest(now: datetime) -> datetime:
    """The next weekly digest's time after ``now`` (UTC)."""
    here = now.astimezone(HELSINKI)
    day = here.date() + timedelta(days=(DIGEST_WEEKDAY - here.weekday()) % 7)
    at = datetime(day.year, day.month, day.day, DIGEST_HOUR, tzinfo=HELSINKI)
    if at <= here:
        at += timedelta(days=7)
    return at.astimezone(now.tzinfo)


# --- preferences ------------------------------------------------------------------------------


def modes(user_id: int) -> dict[Kind, Mode]:
    """Each kind's mode for the person: their choice or the default."""
    chosen = dict(
        db.session.execute(
            sa.select(NotificationPreference.kind, NotificationPreference.mode).where(
                NotificationPreference.user_id == user_id
            )
        ).all()
    )
    return {kind: chosen.get(kind, rule.default) for kind, rule in RULES.items()}


def set_mode(user_id: int, kind: Kind, mode: Mode, *, now: datetime | None = None) -> bool:
    """Store the person's choice for ``kind``; True when it changed. A kind that gathers
    no digest takes "at once" for "digest"."""
    if mode == Mode.DIGEST and not RULES[kind].digest:
        mode = Mode.INSTANT
    now = now or utcnow()
    row = db.session.scalar(
        sa.select(NotificationPreference).where(
            NotificationPreference.user_id == user_id, NotificationPreference.kind == kind
        )
    )
    if row is None:
        if mode == RULES[kind].default:
            return False
        db.session.add(
            NotificationPreference(user_id=user_id, kind=kind, mode=mode, updated_at=now)
        )
    elif row.mode == mode:
        return False
    else:
        row.mode, row.updated_at = mode, now
    if mode == Mode.OFF:
        _drop_unsent(user_id, kind)
    elif mode == Mode.INSTANT:
        # What waited for the digest goes now.
        db.session.execute(
            sa.update(Notification)
            .where(_unsent(), Notification.user_id == user_id, Notification.kind == kind)
            .values(digest=False, due_at=now)
        )
    db.session.flush()
    return True


def _unsent():
    return sa.and_(Notification.sent_at.is_(None), Notification.failed_at.is_(None))


def _drop_unsent(user_id: int, kind: Kind) -> None:
    """Turning a kind off also stops what was waiting to be sent of it."""
    db.session.execute(
        sa.delete(Notification).where(
            _unsent(), Notification.user_id == user_id, Notification.kind == kind
        )
    )


# --- subscriptions ----------------------------------------------------------------------------
# A resident hears of the new consultations (``NEW_TOPIC``) of their home municipality and
# of the joint authorities it is a member of, unless they chose otherwise; a row of
# ``OrganisationSubscription`` is such a choice (to hear of another organisation, or not of
# one of these). The default follows the person when their home municipality changes.


def default_subscriptions(home_municipality_code: str | None) -> set[int]:
    """The home organisation (the one whose municipality code is the person's home
    municipality) and the joint authorities the municipality is a member of, whether or
    not it has an organisation here (``authority_members``): one query."""
    if not home_municipality_code:
        return set()
    home = sa.select(Organisation.id).where(is_home_of(home_municipality_code))
    authorities = sa.select(organisation_members.c.authority_id).where(
        organisation_members.c.member_id.in_(home.scalar_subquery())
    )
    by_code = sa.select(authority_members.c.authority_id).where(
        authority_members.c.municipality_code == home_municipality_code
    )
    return set(db.session.scalars(sa.union(home, authorities, by_code)))


def _choices(user_id: int) -> dict[int, bool]:
    return dict(
        db.session.execute(
            sa.select(
                OrganisationSubscription.organisation_id, OrganisationSubscription.subscribed
            ).where(OrganisationSubscription.user_id == user_id)
        ).all()
    )


def subscriptions(user: User) -> set[int]:
    """The organisations whose new consultations the person hears of: their default and
    their own choices."""
    choices = _choices(user.id)
    default = {o for o in default_subscriptions(user.home_municipality_code) if o not in choices}
    return default | {o for o, subscribed in choices.items() if subscribed}


def set_subscriptions(user: User, organisation_ids: set[int], *, now: datetime | None = None):
    """The person hears of exactly ``organisation_ids``: a row for each that differs from
    their default, none for the rest."""
    now = now or utcnow()
    default = default_subscriptions(user.home_municipality_code)
    wanted = {o: True for o in organisation_ids - default} | {
        o: False for o in default - organisation_ids
    }
    have = _choices(user.id)
    if stale := {o for o, subscribed in have.items() if wanted.get(o) is not subscribed}:
        db.session.execute(
            sa.delete(OrganisationSubscription).where(
                OrganisationSubscription.user_id == user.id,
                OrganisationSubscription.organisation_id.in_(stale),
            )
        )
    for org_id in sorted(o for o in wanted if o not in have or o in stale):
        db.session.add(
            OrganisationSubscription(
                user_id=user.id, organisation_id=org_id, subscribed=wanted[org_id], created_at=now
            )
        )
    db.session.flush()


def subscribers(*organisation_ids: int) -> sa.Select:
    """The ids of the people who hear of the new consultations of any of the
    organisations (SQL for ``record``): for each, those who chose it, and those whose
    default it is and who did not refuse it."""
    sub = OrganisationSubscription
    chosen = sa.select(sub.user_id).where(
        sub.organisation_id.in_(organisation_ids), sub.subscribed.is_(True)
    )
    by_default = []
    for organisation_id in organisation_ids:
        members = sa.select(organisation_members.c.member_id).where(
            organisation_members.c.authority_id == organisation_id
        )
        refused = sa.exists().where(
            sub.user_id == User.id,
            sub.organisation_id == organisation_id,
            sub.subscribed.is_(False),
        )
        # The codes of the organisation and of its members (those with an organisation
        # here and those only on its list of member municipalities): their residents.
        codes = sa.union(
            sa.select(Organisation.municipality_code).where(
                sa.or_(Organisation.id == organisation_id, Organisation.id.in_(members)),
                Organisation.municipality_code.is_not(None),
            ),
            sa.select(authority_members.c.municipality_code).where(
                authority_members.c.authority_id == organisation_id
            ),
        )
        by_default.append(sa.and_(User.home_municipality_code.in_(codes), ~refused))
    return sa.select(User.id).where(sa.or_(User.id.in_(chosen), *by_default))


# --- recording who is to be told --------------------------------------------------------------


def _insert():
    dialect = db.session.get_bind().dialect.name
    return (postgresql if dialect == "postgresql" else sqlite).insert(Notification.__table__)


def record(
    kind: Kind,
    key: str,
    people: sa.Select | list[int],
    *,
    topic_id: int | None = None,
    comment_id: int | None = None,
    organisation_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Record that ``people`` (user ids: a list, or a select of one column) are to be told
    of ``key`` by ``kind``, each as their preference says: not at all, at once, or in
    the next weekly digest. Only confirmed, unsuspended addresses; a person already
    recorded for the same kind and key is left as they are. The number of rows added."""
    now = now or utcnow()
    rule = RULES[kind]
    pref = sa.orm.aliased(NotificationPreference)
    mode = sa.func.coalesce(pref.mode, rule.default.value)
    ids = people if isinstance(people, sa.Select) else sa.select(User.id).where(User.id.in_(people))
    is_digest = sa.and_(mode == Mode.DIGEST.value, sa.true() if rule.digest else sa.false())
    when = sa.case(
        (is_digest, sa.literal(next_digest(now), UTCDateTime())),
        else_=sa.literal(now, UTCDateTime()),
    )
    chosen = (
        sa.select(
            User.id,
            sa.literal(kind.value, sa.String),
            sa.literal(key, sa.String),
            sa.literal(topic_id, sa.Integer),
            sa.literal(comment_id, sa.Integer),
            sa.literal(organisation_id, sa.Integer),
            is_digest,
            sa.literal(now, UTCDateTime()),
            when,
            sa.literal(0, sa.Integer),
        )
        .select_from(User)
        .outerjoin(pref, sa.and_(pref.user_id == User.id, pref.kind == kind.value))
        .where(
            User.id.in_(ids.scalar_subquery() if isinstance(ids, sa.Select) else ids),
            User.email_verified_at.is_not(None),
            User.suspended_at.is_(None),
            mode != Mode.OFF.value,
        )
    )
    statement = (
        _insert()
        .from_select(
            [
                "user_id",
                "kind",
                "key",
                "topic_id",
                "comment_id",
                "organisation_id",
                "digest",
                "created_at",
                "due_at",
                "attempts",
            ],
            chosen,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "kind", "key"])
        .returning(Notification.__table__.c.id)
    )
    # Counted from RETURNING: the driver's rowcount of INSERT ... SELECT is not reliable.
    return len(db.session.connection().execute(statement).all())
