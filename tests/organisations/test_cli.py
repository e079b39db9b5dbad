"""``flask eraati create-admin``: the first platform admin, or an existing user promoted."""

from __future__ import annotations

import sqlalchemy as sa

from eraati.accounts import passwords
from eraati.accounts.models import User
from eraati.extensions import db as _db
from tests.organisations.support import audit_rows

GOOD = "Sininen-Kettu-Juoksee-Metsässä"


def _user(email: str) -> User | None:
    _db.session.expire_all()
    return _db.session.scalar(sa.select(User).where(User.email == email))


def test_creates_a_verified_platform_admin(runner):
    result = runner.invoke(
        args=[
            "eraati",
            "create-admin",
            "--email",
            "Ylla@Eraati.fi",
            "--name",
            "Ylläpitäjä",
            "--password",
            GOOD,
        ]
    )
    assert result.exit_code == 0, result.output
    user = _user("ylla@eraati.fi")
    assert user.is_platform_admin
    assert user.email_verified_at is not None
    assert user.display_name == "Ylläpitäjä"
    assert passwords.check_password(user.password_hash, GOOD)
    (event,) = audit_rows("platform.admin")
    assert event.organisation_id is None
    assert (event.target_id, event.actor_id, event.actor_name) == (user.id, None, "system")
    assert event.details == {"created": True}


def test_the_password_is_asked_twice_without_echo(runner):
    result = runner.invoke(
        args=["eraati", "create-admin", "--email", "ylla@eraati.fi", "--name", "Ylläpitäjä"],
        input=f"{GOOD}\n{GOOD}\n",
    )
    assert result.exit_code == 0, result.output
    assert GOOD not in result.output  # hidden input
    assert passwords.check_password(_user("ylla@eraati.fi").password_hash, GOOD)


def test_different_passwords_are_asked_again(runner):
    result = runner.invoke(
        args=["eraati", "create-admin", "--email", "ylla@eraati.fi", "--name", "Ylläpitäjä"],
        input=f"{GOOD}\nsomething else\n{GOOD}\n{GOOD}\n",
    )
    assert result.exit_code == 0, result.output
    assert result.output.count("Password again") == 2
    assert _user("ylla@eraati.fi") is not None


def test_passwords_follow_the_account_rules(runner):
    for weak in ("lyhyt", "salasana123", "ylla@eraati.fi"):
        result = runner.invoke(
            args=[
                "eraati",
                "create-admin",
                "--email",
                "ylla@eraati.fi",
                "--name",
                "Ylläpitäjä",
                "--password",
                weak,
            ]
        )
        assert result.exit_code != 0
        assert "password" in result.output.lower()
    assert _user("ylla@eraati.fi") is None
    assert audit_rows() == []


def test_an_existing_user_is_promoted_and_keeps_the_password(db, runner, resident):
    old_hash = resident.password_hash
    result = runner.invoke(
        args=["eraati", "create-admin", "--email", resident.email.upper(), "--name", "Muu nimi"]
    )
    assert result.exit_code == 0, result.output
    user = _user(resident.email)
    assert user.is_platform_admin
    assert user.password_hash == old_hash
    assert user.display_name == "Aino Asukas"
    (event,) = audit_rows("platform.admin")
    assert event.details == {"created": False}
    assert _db.session.scalar(sa.select(sa.func.count(User.id))) == 1


def test_a_bad_address_is_refused(runner):
    result = runner.invoke(
        args=["eraati", "create-admin", "--email", "ei-osoite", "--name", "X", "--password", GOOD]
    )
    assert result.exit_code != 0
    assert _db.session.scalar(sa.select(sa.func.count(User.id))) == 0
