"""Organisation state changes: organisations, staff roles, invitations, logos, platform
admins. They flush, never commit: the view or command commits, and rolls back on an error.

Every staff act writes its audit row here, in the same transaction as the change.
"""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import lazyload

from eraati.accounts import passwords
from eraati.accounts.models import User, address_hint
from eraati.accounts.queries import user_by_email
from eraati.audit.services import record
from eraati.core.images import ImageCheckError, check_image
from eraati.core.sanitize import clean_text
from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.moderation.reasons import create_default_reasons
from eraati.organisations import municipalities, queries, tokens
from eraati.organisations.models import (
    Invitation,
    Membership,
    Organisation,
    OrganisationKind,
    Role,
    authority_members,
)

# Addresses of the site that an organisation's slug must not shadow (``/<slug>`` is the
# organisation's public page, ``/staff/<slug>/`` its staff pages).
RESERVED_SLUGS = frozenset(
    {
        "staff",
        "platform",
        "preview",
        "files",
        "invitation",
        "logo",
        "account",
        "language",
        "healthz",
        "metrics",  # Prometheus (eraati.core.metrics), for the operator's addresses only
        "static",
        "api",
        "saavutettavuus",
        "kayttoehdot",
        "tietosuoja",
        "_bench",
        "reauth",
        "feeds",  # Atom feeds (eraati.feeds)
        "embed",  # an organisation's consultation card for other sites (eraati.feeds)
    }
)

# Fields an organisation admin edits on the settings page; the platform admin also
# edits ``kind``, ``slug`` and the member municipalities.
SETTINGS_FIELDS = (
    "name_fi",
    "name_sv",
    "name_en",
    "languages",
    "contact_email",
    "contact_phone",
    "website_url",
    "flag_threshold",
    "names_in_exports",
    "opinion_groups_public",
    "municipality_results_public",
    "retention_months",
    "embed_origins",
    "map_tile_url",
    "map_attribution",
)
# Settings the platform admin does not edit: the organisation's own policies.
POLICY_FIELDS = (
    "flag_threshold",
    "names_in_exports",
    "opinion_groups_public",
    "municipality_results_public",
    "retention_months",
    "embed_origins",
    "map_tile_url",
    "map_attribution",
)
PLATFORM_FIELDS = ("kind", "slug", *(f for f in SETTINGS_FIELDS if f not in POLICY_FIELDS))

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
JPEG_MAGIC = b"\xff\xd8\xff"
MAX_LOGO_BYTES = 512 * 1024


class OrganisationError(Exception):
    """Base class of the rules a view turns into a translated message."""


class SlugTaken(OrganisationError):
    """Another organisation already has this address."""


class RoleAlreadyHeld(OrganisationError):
    """The user already holds this role in this organisation."""


class AlreadyInvited(OrganisationError):
    """An invitation to this address for this role is still waiting."""


class LastAdmin(OrganisationError):
    """Removing this role would leave the organisation without an admin."""


class InvitationClosed(OrganisationError):
    """The invitation was already accepted or revoked."""


class InvalidInvitation(OrganisationError):
    """An invitation link that cannot be used; ``reason`` says why (for the page):
    "invalid" (tampered or unknown), "expired", "revoked", "used" or "wrong_user"."""

    def __init__(self, reason: str, invitation: Invitation | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.invitation = invitation


class LogoError(OrganisationError):
    """An upload that is not a usable logo; ``reason``: "empty", "too_large", "type",
    "damaged" or "too_many_pixels"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- organisations -------------------------------------------------------------------------


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = clean_text(value).strip()
        return value or None
    return value


def _stored(org: Organisation, name: str) -> Any:
    value = getattr(org, name)
    return str(value) if isinstance(value, OrganisationKind) else value


def fingerprint(org: Organisation, fields: tuple[str, ...], *, members: bool = False) -> str:
    """A short digest of the values a form edits: a form carrying another one was filled
    in before somebody else saved (a stale edit)."""
    values: dict[str, Any] = {name: _stored(org, name) for name in fields}
    if members:
        values["members"] = sorted(m.id for m in org.members)
    raw = json.dumps(values, sort_keys=True, default=str).encode()
    return hashlib.sha256(raw).hexdigest()[:20]


def _check_slug(slug: str, except_id: int | None = None) -> None:
    if queries.slug_in_use(slug, except_id=except_id):
        raise SlugTaken(slug)


def _flush_org() -> None:
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:  # a concurrent create took the slug first
        raise SlugTaken(str(exc.params)) from exc


def _member_orgs(org_id: int | None, member_ids: list[int]) -> list[Organisation]:
    if not member_ids:
        return []
    stmt = sa.select(Organisation).where(
        Organisation.id.in_(member_ids), Organisation.kind == OrganisationKind.MUNICIPALITY
    )
    if org_id is not None:
        stmt = stmt.where(Organisation.id != org_id)
    return list(db.session.scalars(stmt))


def create_organisation(
    *,
    kind: OrganisationKind,
    slug: str,
    name_fi: str,
    name_sv: str | None = None,
    name_en: str | None = None,
    languages: list[str] | tuple[str, ...] = ("fi",),
    contact_email: str | None = None,
    contact_phone: str | None = None,
    website_url: str | None = None,
    member_ids: list[int] | None = None,
    now: datetime | None = None,
) -> Organisation:
    """A new organisation with the default moderation reasons; ``SlugTaken`` if the
    address is in use."""
    now = now or utcnow()
    slug = slug.strip().lower()
    _check_slug(slug)
    org = Organisation(
        kind=OrganisationKind(kind),
        slug=slug,
        name_fi=_clean(name_fi),
        name_sv=_clean(name_sv),
        name_en=_clean(name_en),
        languages=",".join(languages),
        contact_email=_clean(contact_email),
        contact_phone=_clean(contact_phone),
        website_url=_clean(website_url),
        created_at=now,
    )
    db.session.add(org)
    _flush_org()
    if org.kind == OrganisationKind.JOINT_AUTHORITY:
        org.members = _member_orgs(org.id, member_ids or [])
    create_default_reasons(org)
    record(
        "organisation.create",
        organisation=None,
        target=org,
        target_label=org.name_fi,
        details={"slug": org.slug, "kind": str(org.kind), "languages": org.languages},
        now=now,
    )
    db.session.flush()
    return org


def update_organisation(
    org: Organisation,
    changes: dict[str, Any],
    *,
    member_ids: list[int] | None = None,
    now: datetime | None = None,
) -> list[str]:
    """Apply ``changes`` (settings or platform fields) and audit what changed; the names of
    the changed fields are returned (an empty list: nothing to save, nothing recorded)."""
    allowed = set(SETTINGS_FIELDS) | set(PLATFORM_FIELDS)
    details: dict[str, list[Any]] = {}
    for name, value in changes.items():
        if name not in allowed:
            raise KeyError(name)
        if name == "languages":
            value = ",".join(value)
        elif name == "kind":
            value = OrganisationKind(value)
        elif name == "slug":
            value = value.strip().lower()
        elif name in ("names_in_exports", "opinion_groups_public", "municipality_results_public"):
            value = bool(value)
        elif name == "embed_origins":  # a list of origins, checked by the form
            value = json.dumps(list(value)) if value else None
        elif name not in ("flag_threshold", "retention_months"):
            value = _clean(value)
        old = _stored(org, name)
        if old != (str(value) if isinstance(value, OrganisationKind) else value):
            details[name] = [old, str(value) if isinstance(value, OrganisationKind) else value]
    if "slug" in details:
        _check_slug(details["slug"][1], except_id=org.id)
    for name, (_old, new) in details.items():
        setattr(org, name, OrganisationKind(new) if name == "kind" else new)
    if member_ids is not None:
        kind = OrganisationKind(changes.get("kind", org.kind))
        wanted = (
            _member_orgs(org.id, member_ids) if kind == OrganisationKind.JOINT_AUTHORITY else []
        )
        before = sorted(m.slug for m in org.members)
        after = sorted(m.slug for m in wanted)
        if before != after:
            org.members = wanted
            details["members"] = [before, after]
    if org.kind == OrganisationKind.JOINT_AUTHORITY and org.municipality_code is not None:
        # A joint authority has member municipalities, not a code of its own: its former
        # residents no longer have it as their home organisation.
        details["municipality_code"] = [org.municipality_code, None]
        org.municipality_code = None
    if not details:
        return []
    _flush_org()
    record(
        "organisation.edit",
        organisation=org,
        target=org,
        target_label=org.name_fi,
        details=details,
        now=now,
    )
    db.session.flush()
    return list(details)


# --- member municipalities -----------------------------------------------------------------


class UnknownMunicipality(ValueError):
    """A code that is not in the reference list (eraati/organisations/municipalities.py)."""


class MunicipalityCodeTaken(OrganisationError):
    """Another organisation has this municipality code (``holder``; None: a concurrent
    save took it first)."""

    def __init__(self, code: str, holder: Organisation | None = None) -> None:
        super().__init__(code)
        self.holder = holder


def set_municipality_code(
    org: Organisation, code: str | None, *, now: datetime | None = None
) -> bool:
    """Make ``code`` (or None) the municipality's own code; audited. A code that is not in
    the reference list, or any code for a joint authority, raises ``UnknownMunicipality``;
    one another organisation has raises ``MunicipalityCodeTaken``. True if it changed."""
    code = code or None
    if code is not None:
        if not municipalities.is_code(code):
            raise UnknownMunicipality(code)
        if org.kind != OrganisationKind.MUNICIPALITY:
            raise UnknownMunicipality("not a municipality")
    before = org.municipality_code
    if code == before:
        return False
    if code is not None and (holder := queries.code_holder(code, except_id=org.id)):
        raise MunicipalityCodeTaken(code, holder)
    org.municipality_code = code
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError as exc:  # a concurrent save gave the code to another organisation
        raise MunicipalityCodeTaken(code or "") from exc
    record(
        "organisation.edit",
        organisation=org,
        target=org,
        target_label=org.name_fi,
        details={"municipality_code": [before, code]},
        now=now,
    )
    db.session.flush()
    return True


def member_codes(org: Organisation) -> list[str]:
    """The joint authority's member municipalities (codes), in code order."""
    return list(
        db.session.scalars(
            sa.select(authority_members.c.municipality_code)
            .where(authority_members.c.authority_id == org.id)
            .order_by(authority_members.c.municipality_code)
        )
    )


def set_member_codes(org: Organisation, codes: list[str], *, now: datetime | None = None) -> bool:
    """Make ``codes`` the joint authority's member municipalities; audited. Unknown codes
    raise ``UnknownMunicipality`` before anything is written; True if anything changed."""
    wanted = sorted(set(codes))
    bad = [c for c in wanted if not municipalities.is_code(c)]
    if bad:
        raise UnknownMunicipality(", ".join(bad))
    if wanted and org.kind != OrganisationKind.JOINT_AUTHORITY:
        raise UnknownMunicipality("not a joint authority")
    before = member_codes(org)
    if before == wanted:
        return False
    db.session.execute(
        sa.delete(authority_members).where(authority_members.c.authority_id == org.id)
    )
    if wanted:
        db.session.execute(
            sa.insert(authority_members),
            [{"authority_id": org.id, "municipality_code": c} for c in wanted],
        )
    record(
        "organisation.edit",
        organisation=org,
        target=org,
        target_label=org.name_fi,
        details={"member_municipalities": [before, wanted]},
        now=now,
    )
    db.session.flush()
    return True


# --- logo ----------------------------------------------------------------------------------


def logo_type_of(data: bytes) -> str | None:
    """The content type the file really has, read from its first bytes (PNG or JPEG)."""
    if data.startswith(PNG_MAGIC):
        return "image/png"
    if data.startswith(JPEG_MAGIC):
        return "image/jpeg"
    return None


def set_logo(org: Organisation, data: bytes, *, now: datetime | None = None) -> None:
    if not data:
        raise LogoError("empty")
    if len(data) > MAX_LOGO_BYTES:
        raise LogoError("too_large")
    content_type = logo_type_of(data)
    if content_type is None:
        raise LogoError("type")
    try:
        check_image(data)
    except ImageCheckError as exc:
        raise LogoError("type" if exc.code == "not_image" else exc.code) from exc
    now = now or utcnow()
    org.logo = data
    org.logo_type = content_type
    org.logo_updated_at = now
    record(
        "organisation.logo",
        organisation=org,
        target=org,
        target_label=org.name_fi,
        details={"change": "upload", "type": content_type, "bytes": len(data)},
        now=now,
    )
    db.session.flush()


def remove_logo(org: Organisation, *, now: datetime | None = None) -> bool:
    """Remove the logo; False when there was none (nothing recorded)."""
    if not org.logo_type:
        return False
    now = now or utcnow()
    org.logo = None
    org.logo_type = None
    org.logo_updated_at = now
    record(
        "organisation.logo",
        organisation=org,
        target=org,
        target_label=org.name_fi,
        details={"change": "remove"},
        now=now,
    )
    db.session.flush()
    return True


# --- staff roles ---------------------------------------------------------------------------


def _lock(org: Organisation) -> None:
    """Serialise role changes of one organisation (PostgreSQL row lock; SQLite writes one
    transaction at a time anyway), so two admins cannot remove each other at once."""
    db.session.execute(
        sa.select(Organisation.id).where(Organisation.id == org.id).with_for_update()
    )


def _holds(org: Organisation, user: User, role: Role) -> bool:
    return (
        db.session.scalar(
            sa.select(Membership.id).where(
                Membership.organisation_id == org.id,
                Membership.user_id == user.id,
                Membership.role == role,
            )
        )
        is not None
    )


def _add_membership(org: Organisation, user: User, role: Role, now: datetime) -> Membership:
    membership = Membership(user_id=user.id, organisation_id=org.id, role=role, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(membership)
            db.session.flush()
    except IntegrityError as exc:  # granted at the same moment by someone else
        raise RoleAlreadyHeld(role) from exc
    return membership


def grant_role(
    org: Organisation, user: User, role: Role, *, now: datetime | None = None
) -> Membership:
    now = now or utcnow()
    _lock(org)
    if _holds(org, user, role):
        raise RoleAlreadyHeld(role)
    membership = _add_membership(org, user, role, now)
    record(
        "role.grant",
        organisation=org,
        target=user,
        target_label=f"{user.display_name} <{user.email}>",
        details={"role": str(role)},
        now=now,
    )
    db.session.flush()
    return membership


def revoke_role(org: Organisation, membership: Membership, *, now: datetime | None = None) -> None:
    """Remove one role; ``LastAdmin`` if it is the organisation's only admin role."""
    if membership.organisation_id != org.id:
        raise KeyError(membership.id)
    _lock(org)
    if membership.role == Role.ADMIN and queries.admin_count(org) <= 1:
        raise LastAdmin(org.id)
    user = membership.user
    role = membership.role
    db.session.delete(membership)
    record(
        "role.revoke",
        organisation=org,
        target=user,
        target_label=f"{user.display_name} <{user.email}>",
        details={"role": str(role)},
        now=now,
    )
    db.session.flush()


# --- invitations ---------------------------------------------------------------------------
# The audit log names an invitee by the hint of the address ("k…@example.org") and the
# role, never the address: the log is kept for ever, and the invitation row itself goes
# with the account of the address or after it expired unanswered (eraati.retention).


def invite(
    org: Organisation,
    email: str,
    role: Role,
    *,
    inviter: User | None = None,
    now: datetime | None = None,
) -> Invitation:
    """A new invitation (the view mails the link after the commit)."""
    now = now or utcnow()
    email = email.strip().lower()
    existing = user_by_email(email)
    if existing is not None and _holds(org, existing, role):
        raise RoleAlreadyHeld(role)
    if queries.pending_invitation_for(org, email, role, now) is not None:
        raise AlreadyInvited(email)
    invitation = Invitation(
        organisation_id=org.id,
        email=email,
        role=role,
        invited_by_id=inviter.id if inviter is not None else None,
        created_at=now,
        expires_at=now + tokens.lifetime(),
    )
    db.session.add(invitation)
    db.session.flush()
    record(
        "invitation.send",
        organisation=org,
        target=invitation,
        target_label=address_hint(email),
        details={"role": str(role), "expires_at": invitation.expires_at.isoformat()},
        now=now,
    )
    db.session.flush()
    return invitation


def revoke_invitation(
    org: Organisation, invitation: Invitation, *, now: datetime | None = None
) -> None:
    now = now or utcnow()
    if invitation.accepted_at is not None or invitation.revoked_at is not None:
        raise InvitationClosed(invitation.id)
    invitation.revoked_at = now
    record(
        "invitation.revoke",
        organisation=org,
        target=invitation,
        target_label=address_hint(invitation.email),
        details={"role": str(invitation.role)},
        now=now,
    )
    db.session.flush()


def invitation_for_token(token: str, *, now: datetime | None = None) -> Invitation:
    """The invitation of a genuine, unexpired link (its state is checked by
    ``check_invitation``); else ``InvalidInvitation``."""
    try:
        invitation_id = tokens.read_invitation_token(token, now=now)
    except tokens.InvitationTokenExpired as exc:
        raise InvalidInvitation("expired") from exc
    except tokens.InvitationTokenError as exc:
        raise InvalidInvitation("invalid") from exc
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        raise InvalidInvitation("invalid")
    return invitation


def check_invitation(
    invitation: Invitation, user: User | None, *, now: datetime | None = None
) -> None:
    """``InvalidInvitation`` unless ``user`` may accept ``invitation`` now (with ``user``
    None: unless the invitation itself can still be accepted by the invited person)."""
    now = now or utcnow()
    if invitation.accepted_at is not None:
        raise InvalidInvitation("used", invitation)
    if invitation.revoked_at is not None:
        raise InvalidInvitation("revoked", invitation)
    if invitation.expires_at <= now:
        raise InvalidInvitation("expired", invitation)
    if user is not None and user.email.strip().lower() != invitation.email.strip().lower():
        raise InvalidInvitation("wrong_user", invitation)


def accept_invitation(
    invitation: Invitation, user: User, *, now: datetime | None = None
) -> Membership | None:
    """Give ``user`` the invited role; None when they already held it (no second row)."""
    now = now or utcnow()
    # Lock and re-read the row: two clicks at once must not both pass the checks.
    invitation = db.session.scalars(
        sa.select(Invitation)
        .where(Invitation.id == invitation.id)
        .options(lazyload(Invitation.organisation))  # no outer join under FOR UPDATE
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    check_invitation(invitation, user, now=now)
    org = invitation.organisation
    _lock(org)
    membership = None
    if not _holds(org, user, invitation.role):
        try:
            membership = _add_membership(org, user, invitation.role, now)
        except RoleAlreadyHeld:
            membership = None
    invitation.accepted_at = now
    invitation.accepted_by_id = user.id
    record(
        "invitation.accept",
        organisation=org,
        target=invitation,
        target_label=address_hint(invitation.email),
        details={"role": str(invitation.role), "user_id": user.id},
        actor=user,
        now=now,
    )
    db.session.flush()
    return membership


def appoint_staff(
    org: Organisation,
    email: str,
    role: Role,
    *,
    inviter: User | None = None,
    now: datetime | None = None,
) -> Membership | Invitation:
    """A platform admin appoints a member of an organisation's staff (its first admin, or
    a moderator for an organisation whose reports reach nobody): an existing verified
    account gets the role at once; anyone else is invited (the view mails the link). Both
    are in the organisation's audit log."""
    now = now or utcnow()
    user = user_by_email(email)
    result: Membership | Invitation
    if user is not None and user.is_verified:
        result = grant_role(org, user, role, now=now)
        target, label = user, user.display_name
    else:
        result = invite(org, email, role, inviter=inviter, now=now)
        target, label = result, address_hint(email)
    # The platform's own log too (/platform/audit): who appointed whom where. The person
    # by name or the hint of the address, as the organisation's log names an invitee.
    record(
        "staff.appoint",
        organisation=None,
        target=target,
        target_label=label,
        details={
            "organisation_id": org.id,
            "organisation": org.name_fi,
            "role": str(role),
            "invited": isinstance(result, Invitation),
        },
        actor=inviter,
        now=now,
    )
    return result


# --- platform admins -----------------------------------------------------------------------


class PasswordRejected(OrganisationError):
    """The password breaks the account password rules; the message says which."""


def check_password_rules(password: str, user_inputs: list[str]) -> None:
    """The rules of ``eraati.accounts`` (length and guessability), for the command line."""
    if len(password) < passwords.MIN_LENGTH:
        raise PasswordRejected(
            f"The password must be at least {passwords.MIN_LENGTH} characters long."
        )
    if len(password) > passwords.MAX_LENGTH:
        raise PasswordRejected(
            f"The password can be at most {passwords.MAX_LENGTH} characters long."
        )
    words = [w for text in user_inputs if text for w in (text, *text.replace("@", " ").split())]
    if passwords.is_common(password, words):
        raise PasswordRejected(
            "This password is too easy to guess. Use a longer one, for example three or "
            "four words that have nothing to do with each other or with you."
        )


def make_platform_admin(
    email: str,
    name: str,
    password: str | None,
    *,
    now: datetime | None = None,
) -> tuple[User, bool]:
    """Create a verified platform admin, or promote the existing account of ``email``
    (whose password then stays as it is). Returns (user, created)."""
    now = now or utcnow()
    email = email.strip().lower()
    user = user_by_email(email)
    created = user is None
    if created:
        if not password:
            raise PasswordRejected("A new account needs a password.")
        user = User(
            email=email,
            display_name=clean_text(name).strip()[:80],
            password_hash=passwords.hash_password(password),
            locale="fi",
            email_verified_at=now,
            is_platform_admin=True,
            created_at=now,
            session_version=1,
        )
        db.session.add(user)
    else:
        user.is_platform_admin = True
        if user.email_verified_at is None:
            user.email_verified_at = now  # the operator vouches for the address
    db.session.flush()
    record(
        "platform.admin",
        organisation=None,
        target=user,
        target_label=f"{user.display_name} <{user.email}>",
        details={"created": created},
        now=now,
    )
    db.session.flush()
    return user, created
