"""Blocks: keep a person from taking part in this organisation's topics for a while."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from eraati.core.time import utcnow
from eraati.extensions import db
from eraati.moderation import mails, queries, services
from eraati.moderation.forms import BlockForm
from eraati.moderation.views import bp
from eraati.staff import org_comment_or_404, staff_org


def _page_arg() -> int:
    return max(request.args.get("page", type=int) or 1, 1)


def _target_comment(org):
    """The comment whose writer is to be blocked ("block the writer" in the queue)."""
    raw = request.values.get("comment_id") or request.args.get("comment") or ""
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 18:
        abort(404)
    return org_comment_or_404(org, int(raw))


@bp.route("/staff/<org_slug>/blocks", methods=["GET", "POST"])
def blocks(org_slug: str):
    org = staff_org(org_slug, "moderate")
    now = utcnow()
    comment = _target_comment(org)
    person = comment.author if comment is not None else None
    form = BlockForm(by_comment=comment is not None)
    if comment is not None and person is None:
        flash(_("This comment has no registered writer, so there is nobody to block."), "info")
        return redirect(url_for(".blocks", org_slug=org.slug), code=303)
    if request.method == "GET" and comment is not None:
        form.comment_id.data = str(comment.id)
    if form.validate_on_submit():
        done = _block(org, form, person, now)
        if done is not None:
            return done
    active = queries.active_blocks(org, now)
    past = queries.past_blocks(org, now, _page_arg())
    staff_ids = {b.created_by_id for b in [*active, *past.items]}
    staff_ids |= {b.lifted_by_id for b in past.items}
    return render_template(
        "moderation/blocks.html",
        org=org,
        form=form,
        comment=comment,
        person=person,
        active=active,
        past=past,
        names=queries.user_names(staff_ids),  # who made or lifted them: one query
        page_url=lambda n: url_for(".blocks", org_slug=org.slug, page=n),
        now=now,
    ), (422 if form.errors else 200)


def _block(org, form: BlockForm, person, now):
    """Block the comment's writer, or whoever has the address typed; a redirect when done,
    None with the form's errors set. The address form answers alike for every address."""
    try:
        if person is not None:
            block = services.block_user(
                org, person, form.days.data, form.reason.data, current_user, now=now
            )
        else:
            block = services.block_address(
                org, form.email.data, form.days.data, form.reason.data, current_user, now=now
            )
    except services.AlreadyBlockedError as exc:
        db.session.rollback()
        if person is not None:
            message = _(
                "%(name)s is already blocked until %(date)s. Lift that block first "
                "to set a new one.",
                name=person.display_name,
                date=_when(exc.block.ends_at),
            )
        else:
            message = _(
                "This address is already blocked until %(date)s. Lift that block first "
                "to set a new one.",
                date=_when(exc.block.ends_at),
            )
        form.form_errors.append(message)
        return None
    except services.CannotBlockStaffError:
        db.session.rollback()
        form.form_errors.append(
            _(
                "Staff of this organisation cannot be blocked. An administrator can "
                "remove their role instead."
            )
        )
        return None
    name = person.display_name if person is not None else None
    block_id = block.id
    db.session.commit()
    # The same for every address: the worker finds out whether anyone is to be told.
    mails.block_made(block_id)
    if name is not None:
        flash(_("%(name)s was blocked. They were told by e-mail.", name=name), "success")
    else:
        flash(
            _(
                "The block is recorded. If an account has this address, or one is made "
                "with it during the block, it cannot take part until the block ends. "
                "The account's owner is told by e-mail."
            ),
            "success",
        )
    return redirect(url_for(".blocks", org_slug=org.slug), code=303)


def _when(moment) -> str:
    """Date and time as the pages show them (the template filter ``datetime``)."""
    return current_app.jinja_env.filters["datetime"](moment)


@bp.post("/staff/<org_slug>/blocks/<int:block_id>/lift")
def lift_block(org_slug: str, block_id: int):
    org = staff_org(org_slug, "moderate")
    block = queries.org_block_or_none(org, block_id)
    if block is None:
        abort(404)
    name = block.person_label
    try:
        services.lift_block(block, current_user, now=utcnow())
    except services.BlockNotActiveError:
        db.session.rollback()
        flash(_("This block had already ended."), "info")
        return redirect(url_for(".blocks", org_slug=org.slug), code=303)
    db.session.commit()
    flash(_("The block of %(name)s was lifted.", name=name), "success")
    return redirect(url_for(".blocks", org_slug=org.slug), code=303)
