"""Read-side look-ups for organisations, staff and invitations.

Every list here costs a fixed number of queries, whatever its length; the logo bytes
(a deferred column) are read only by ``logo_of``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import contains_eager, selectinload

from eraati.accounts.models import User
from eraati.accounts.queries import sort_key
from eraati.consultations.models import Topic, TopicStatus
from eraati.extensions import db
from eraati.organisations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    organisation_members,
)

ROLE_ORDER = (Role.ADMIN, Role.MODERATOR, Role.PREPARER)


def role_sorted(roles) -> list[Role]:
    return sorted(roles, key=ROLE_ORDER.index)


# --- organisations -----------------------------------------------------------------------


def organisation_by_slug(slug: str) -> Organisation | None:
    return db.session.scalar(sa.select(Organisation).where(Organisation.slug == slug))


def organisation_or_404(org_id: int) -> Organisation:
    org = db.session.scalar(
        sa.select(Organisation)
        .where(Organisation.id == org_id)
        .options(selectinload(Organisation.members))
    )
    if org is None:
        abort(404)
    return org


def is_home_of(code: sa.ColumnElement | str | None) -> sa.ColumnElement[bool]:
    """The condition that an organisation is the home organisation of a person whose home
    municipality is ``code`` (a column or a value): its ``municipality_code`` is that code.
    At most one organisation has a code (a unique index), so a join on it adds no rows."""
    return Organisation.municipality_code == code


def code_holder(code: str, *, except_id: int | None = None) -> Organisation | None:
    """The organisation that has this municipality code, other than ``except_id``."""
    stmt = sa.select(Organisation).where(is_home_of(code))
    if except_id is not None:
        stmt = stmt.where(Organisation.id != except_id)
    return db.session.scalar(stmt.limit(1))


def slug_in_use(slug: str, *, except_id: int | None = None) -> bool:
    stmt = sa.select(Organisation.id).where(Organisation.slug == slug)
    if except_id is not None:
        stmt = stmt.where(Organisation.id != except_id)
    return db.session.scalar(stmt.limit(1)) is not None


@dataclass
class OrganisationRow:
    organisation: Organisation
    admin_count: int
    member_count: int
    moderator_count: int = 0

    @property
    def unattended(self) -> bool:
        """Nobody may moderate: its reports and waiting comments reach nobody."""
        return not (self.admin_count or self.moderator_count)


def platform_list(page: int, per_page: int = 50):
    """Organisations for the platform page, with how many admins, moderators and member
    municipalities each has (aggregate subqueries: one query for the page, one for the
    count)."""

    def holding(role: Role) -> sa.ScalarSelect:
        return (
            sa.select(sa.func.count(Membership.id))
            .where(Membership.organisation_id == Organisation.id, Membership.role == role)
            .correlate(Organisation)
            .scalar_subquery()
        )

    admins, moderators = holding(Role.ADMIN), holding(Role.MODERATOR)
    members = (
        sa.select(sa.func.count())
        .select_from(organisation_members)
        .where(organisation_members.c.authority_id == Organisation.id)
        .correlate(Organisation)
        .scalar_subquery()
    )
    stmt = (
        sa.select(
            Organisation,
            admins.label("admins"),
            members.label("members"),
            moderators.label("moderators"),
        )
        .order_by(Organisation.name_fi, Organisation.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    total = db.session.scalar(sa.select(sa.func.count(Organisation.id)))
    rows = [OrganisationRow(*row) for row in db.session.execute(stmt)]
    return rows, total


def municipality_choices(locale: str, *, exclude_id: int | None = None) -> list[tuple[int, str]]:
    """Municipalities (possible members of a joint authority) in alphabetical order."""
    stmt = sa.select(Organisation).where(Organisation.kind == OrganisationKind.MUNICIPALITY)
    if exclude_id is not None:
        stmt = stmt.where(Organisation.id != exclude_id)
    named = [(o.id, o.name(locale)) for o in db.session.scalars(stmt)]
    return sorted(named, key=lambda pair: sort_key(pair[1]))


def logo_of(slug: str):
    """(bytes, content type, updated at) of an organisation's logo, or None."""
    row = db.session.execute(
        sa.select(Organisation.logo, Organisation.logo_type, Organisation.logo_updated_at).where(
            Organisation.slug == slug
        )
    ).first()
    if row is None or row.logo is None or not row.logo_type:
        return None
    return row


# --- dashboard ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    open_topics: int
    draft_topics: int


def dashboard_figures(org: Organisation, now: datetime) -> Figures:
    """The overview's topic figures in a single query. Its comment figures are the
    moderation queue's own counts (``moderation.queries.tab_counts``), so that the
    overview and the queue never disagree on what is waiting or reported."""

    def topics(*where) -> sa.ScalarSelect:
        return (
            sa.select(sa.func.count(Topic.id))
            .where(Topic.organisation_id == org.id, *where)
            .scalar_subquery()
        )

    row = db.session.execute(
        sa.select(
            topics(Topic.status == TopicStatus.OPEN, Topic.opens_at <= now, Topic.closes_at > now),
            topics(Topic.status == TopicStatus.DRAFT),
        )
    ).one()
    return Figures(*(int(v or 0) for v in row))


# --- staff ---------------------------------------------------------------------------------


@dataclass
class StaffRow:
    user: User
    memberships: list[Membership] = field(default_factory=list)

    @property
    def roles(self) -> list[Role]:
        return role_sorted(m.role for m in self.memberships)

    def membership(self, role: Role) -> Membership | None:
        return next((m for m in self.memberships if m.role == role), None)

    @property
    def missing_roles(self) -> list[Role]:
        held = set(self.roles)
        return [r for r in ROLE_ORDER if r not in held]


def staff_of(org: Organisation) -> list[StaffRow]:
    """The organisation's staff, one row per person with all their roles (one query)."""
    memberships = db.session.scalars(
        sa.select(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == org.id)
        .options(contains_eager(Membership.user))
        .order_by(User.display_name, User.id, Membership.id)
    ).all()
    rows: dict[int, StaffRow] = {}
    for m in memberships:
        rows.setdefault(m.user_id, StaffRow(m.user)).memberships.append(m)
    for row in rows.values():
        row.memberships.sort(key=lambda m: ROLE_ORDER.index(m.role))
    return list(rows.values())


def membership_in(org: Organisation, membership_id: int) -> Membership | None:
    return db.session.scalar(
        sa.select(Membership).where(
            Membership.id == membership_id, Membership.organisation_id == org.id
        )
    )


def staff_member_in(org: Organisation, user_id: int) -> User | None:
    """A user holding some role in ``org`` (roles are given only to existing staff here)."""
    return db.session.scalar(
        sa.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(User.id == user_id, Membership.organisation_id == org.id)
        .limit(1)
    )


def admin_count(org: Organisation) -> int:
    return db.session.scalar(
        sa.select(sa.func.count(Membership.id)).where(
            Membership.organisation_id == org.id, Membership.role == Role.ADMIN
        )
    )


# --- invitations ---------------------------------------------------------------------------


def pending_invitations(org: Organisation, now: datetime) -> list[Invitation]:
    return list(
        db.session.scalars(
            sa.select(Invitation)
            .where(
                Invitation.organisation_id == org.id,
                Invitation.accepted_at.is_(None),
                Invitation.revoked_at.is_(None),
                Invitation.expires_at > now,
            )
            .order_by(Invitation.created_at, Invitation.id)
        )
    )


def pending_invitation_for(
    org: Organisation, email: str, role: Role, now: datetime
) -> Invitation | None:
    return db.session.scalar(
        sa.select(Invitation)
        .where(
            Invitation.organisation_id == org.id,
            Invitation.email == email.strip().lower(),
            Invitation.role == role,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .limit(1)
    )


def invitation_in(org: Organisation, invitation_id: int) -> Invitation | None:
    return db.session.scalar(
        sa.select(Invitation).where(
            Invitation.id == invitation_id, Invitation.organisation_id == org.id
        )
    )


# --- accounts (the platform admin's suspension page) -----------------------------------------

SUSPENDED_SHOWN = 100


def account_by_email(email: str) -> User | None:
    return db.session.scalar(sa.select(User).where(User.email == email.strip().lower()))


def account_or_none(user_id: int) -> User | None:
    return db.session.get(User, user_id)


def suspended_accounts() -> list[User]:
    """The most recently suspended accounts (one query; the list is short in practice)."""
    return list(
        db.session.scalars(
            sa.select(User)
            .where(User.suspended_at.is_not(None))
            .order_by(User.suspended_at.desc(), User.id.desc())
            .limit(SUSPENDED_SHOWN)
        )
    )


def controllers(locale: str) -> list[Organisation]:
    """Every organisation, by name in ``locale``: the privacy notice names each as the
    controller of its consultations, with its contact details (one query)."""
    rows = db.session.scalars(sa.select(Organisation)).all()
    return sorted(rows, key=lambda o: sort_key(o.name(locale)))
