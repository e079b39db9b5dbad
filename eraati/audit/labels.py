"""What the audit log's action codes mean, for people (the organisation's log and the
platform's)."""

from __future__ import annotations

from eraati.core.i18n import gettext as _
from eraati.core.i18n import lazy_gettext as _l

# What each action code means, for people; an unknown code is shown as it is.
ACTION_LABELS = {
    "comment.hide": _l("Comment hidden"),
    "comment.restore": _l("Comment restored"),
    "comment.approve": _l("Comment approved"),
    "comment.auto_hide": _l("Comment hidden automatically after reports"),
    "comment.tag": _l("Comment themes changed"),
    "comment.key": _l("Marked as a key comment"),
    "comment.unkey": _l("Key comment mark removed"),
    "comment.official_reply": _l("Official reply written"),
    "paper.add": _l("Paper or event feedback entered"),
    "answer.hide": _l("Open survey answer hidden"),
    "answer.restore": _l("Open survey answer restored"),
    "answer.check": _l("Open survey answer checked"),
    "theme.create": _l("Theme created"),
    "theme.edit": _l("Theme renamed"),
    "theme.delete": _l("Theme deleted"),
    "theme.suggestion_reject": _l("Suggested themes rejected"),
    "reason.create": _l("Reason template added"),
    "reason.edit": _l("Reason template changed"),
    "user.block": _l("User blocked"),
    "user.unblock": _l("Block lifted"),
    "role.grant": _l("Role given"),
    "role.revoke": _l("Role removed"),
    "invitation.send": _l("Invitation sent"),
    "invitation.revoke": _l("Invitation withdrawn"),
    "invitation.accept": _l("Invitation accepted"),
    "organisation.create": _l("Organisation created"),
    "staff.appoint": _l("Staff member appointed by the platform"),
    "platform.admin": _l("Platform admin appointed"),
    "user.suspend": _l("Account suspended"),
    "user.unsuspend": _l("Suspension lifted"),
    "organisation.edit": _l("Organisation details changed"),
    "organisation.logo": _l("Logo changed"),
    "topic.create": _l("Topic created"),
    "topic.edit": _l("Topic edited"),
    "topic.open": _l("Topic published"),
    "topic.close": _l("Topic closed"),
    "topic.publish_results": _l("Results published"),
    "topic.results_edit": _l("Results edited"),
    "topic.summary": _l("Summary written"),
    "topic.preview": _l("Preview link changed"),
    "topic.anonymise": _l("Personal data removed"),
    "file.add": _l("File added"),
    "file.delete": _l("File removed"),
    "part.add": _l("Part of a topic added"),
    "part.edit": _l("Part of a topic edited"),
    "part.move": _l("Part of a topic moved"),
    "part.delete": _l("Part of a topic deleted"),
    "event.add": _l("Event added"),
    "event.edit": _l("Event changed"),
    "event.delete": _l("Event removed"),
    "export.download": _l("Data downloaded"),
    "export.start": _l("Export started"),
}

# The files of a download or an export job (``details["format"]``), named as on the
# exports page. Kept here, not imported from eraati.exports: exports records into the
# audit log, so the log cannot depend on it.
EXPORT_ACTIONS = ("export.download", "export.start")
EXPORT_FORMAT_LABELS = {
    "csv": _l("CSV (standard)"),
    "csv-excel": _l("CSV for Excel"),
    "csv-answers-excel": _l("Poll answers as CSV for Excel"),
    "json": _l("JSON"),
    "polis": _l("Polis (ZIP)"),
    "xlsx": _l("Excel workbook (XLSX)"),
    "docx": _l("Council report (DOCX)"),
    "pdf": _l("Council report (PDF)"),
}
REPORT_FORMATS = ("docx", "pdf")  # never hold hidden texts: no choice to show


def export_facts(event) -> list[str]:
    """What an auditor must see of a download or an export without opening the row: the
    file's format and, for the raw data, whether the texts of hidden comments were in it
    (the preparer's choice; left out unless chosen). Nothing for other acts."""
    if event.action not in EXPORT_ACTIONS:
        return []
    details = event.details or {}
    code = details.get("format")
    if not code:
        return []
    facts = [_("Format: %(format)s", format=str(EXPORT_FORMAT_LABELS.get(code, code)))]
    if code not in REPORT_FORMATS:
        if details.get("hidden_texts"):
            facts.append(_("Texts of hidden comments: included"))
        else:
            facts.append(_("Texts of hidden comments: left out"))
    return facts
