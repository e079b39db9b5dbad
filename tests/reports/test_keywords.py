"""Each theme's keywords in the council report's themes section (DOCX and PDF), from the
topic's stored themes analysis (eraati/analysis/suggestions.py); none before there is one."""

from __future__ import annotations

import pytest

from eraati.analysis.models import AnalysisKind, TopicAnalysis
from eraati.core.time import utcnow
from tests.reports.support import docx_text, make, pdf_text, squeeze


def _store_keywords(db, topic, keywords: dict[int, list[str]]) -> None:
    db.session.add(
        TopicAnalysis(
            topic_id=topic.id,
            kind=AnalysisKind.THEMES,
            computed_at=utcnow(),
            inputs_at=utcnow(),
            result={"suggestions": [], "keywords": {str(k): v for k, v in keywords.items()}},
        )
    )
    db.session.commit()


@pytest.mark.parametrize(
    ("fmt", "lang", "label"), [("docx", "fi", "Avainsanat"), ("pdf", "sv", "Nyckelord")]
)
def test_the_themes_section_gives_each_themes_keywords(db, world, fmt, lang, label):
    themes = list(world.themes.values())
    _store_keywords(db, world.topic, {themes[0].id: ["aukiolo", "sunnuntai", "ilta"]})
    data = make(world.topic, fmt, lang)
    text = docx_text(data) if fmt == "docx" else pdf_text(data)
    line = f"{label}: aukiolo, sunnuntai, ilta"
    assert (line in text) if fmt == "docx" else (squeeze(line) in squeeze(text))
    assert text.count(f"{label}:") == 1  # the other themes have none stored


def test_no_keywords_before_the_analysis_has_run(world):
    assert "Avainsanat" not in docx_text(make(world.topic, "docx", "fi"))
