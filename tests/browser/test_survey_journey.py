"""The survey's journey (issue 20): a resident answers the Ylä-Savon SOTE laboratory survey
in Finnish and Swedish, on a desktop, without JavaScript and on a phone at 200 % text.
She answers every kind of question it has (one choice, the 1-5 scale, the ranking and an
open answer), first sends it with a required question left empty and sees the translated
error next to that question with her other answers kept, then sends it properly, sees the
thank-you and her answers, and changes one answer. Every page is checked (axe, lang,
overflow, focus).

Each question is found by its own text, never by its place in the form: more fieldsets
(background questions) may follow the survey's questions."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from eraati.accounts.models import User
from eraati.consultations.models import Answer, Question, Topic
from tests.browser.checks import KEYBOARD, MODES, broken_words
from tests.browser.site import PEOPLE, SHY, TOPICS, option_text

ORG, SLUG = "ylasavon-sote", "laboratorion-naytteenotto-kysely"
PATH = f"/{ORG}/{SLUG}"
SINGLE, SCALE, RANKING, OPEN = 0, 1, 2, 3  # the survey's questions in demo_content
# The questions are the headings of the form and of its results, the labels say what each
# choice means and the button is the last step: on a phone at 200 % text their long words
# must break with a hyphen or not at all, as the page headings' do (checks.UNBROKEN).
QUESTION_TEXTS = "#poll legend, #poll label, #poll .result-question, #poll button"


def _forget_answers(app_side, who: str) -> None:
    """The resident starts without answers (an earlier test of this server may have saved
    hers; the survey's answers have no counters to keep in step)."""
    with app_side.session() as session:
        user_id = session.scalar(sa.select(User.id).where(User.email == PEOPLE[who].email))
        questions = (
            sa.select(Question.id).join(Topic, Question.topic_id == Topic.id)
            .where(Topic.slug == SLUG)
        )  # fmt: skip
        session.execute(
            sa.delete(Answer).where(Answer.user_id == user_id, Answer.question_id.in_(questions))
        )
        session.commit()


class Survey:
    """The survey form on the topic page, its questions found by their text."""

    def __init__(self, site):
        self.site = site
        self.form = site.page.locator("#poll form")
        self.check_questions()

    def check_questions(self) -> None:
        if self.site.mode.phone:
            self.site.problems += [
                f"{self.site.page.url} ({self.site.lang}): {problem}"
                for problem in broken_words(self.site.page, QUESTION_TEXTS)
            ]

    def question(self, index: int):
        text = TOPICS[(ORG, SLUG)].questions[index].texts[self.site.lang]
        return self.form.locator("fieldset.question").filter(
            has=self.site.page.locator("legend", has_text=text)
        )

    def option(self, question: int, option: int):
        text = option_text(ORG, SLUG, question, option, self.site.lang)
        return self.question(question).get_by_label(text, exact=True)

    def scale(self, value: int):
        return self.question(SCALE).locator(f'input[type=radio][value="{value}"]')

    def rank(self, option: int):
        return self.option(RANKING, option)

    def open_answer(self):
        return self.question(OPEN).get_by_role("textbox")

    def send(self, name: str) -> None:
        self.site.press(self.site.button("Save my answers", within=self.form), name)
        self.form = self.site.page.locator("#poll form")
        self.check_questions()

    def your_answers(self) -> str:
        return self.site.page.locator("#poll .poll-results").inner_text().replace(SHY, "")


@pytest.mark.parametrize("mode", (*MODES, KEYBOARD), ids=str)
@pytest.mark.parametrize("lang", ("fi", "sv"))
def test_a_resident_answers_the_survey_and_changes_an_answer(site, lang, app_side):
    _forget_answers(app_side, "asukas")
    site.open(PATH, name="survey-topic")
    if lang != "fi":
        site.switch_language(lang, name="survey-topic-lang")
    site.log_in("asukas", name=None)
    site.open(PATH, name="survey-form")
    survey = Survey(site)
    order = (2, 4, 1, 3)  # "close to home" 2nd, "opens at 7" 4th, "online" 1st, "queue" 3rd
    open_text = (
        "Näytteenottoauto kylälle kerran viikossa." if lang == "fi"
        else "En provtagningsbil till byn en gång i veckan."
    )  # fmt: skip

    # The scale (required) is left empty.
    site.choose(survey.option(SINGLE, 1))  # Vieremä
    for option, place in enumerate(order):
        site.select(survey.rank(option), site.t("%(num)d.", num=place))
    site.type_into(survey.open_answer(), open_text)
    survey.send("survey-missing")

    scale = survey.question(SCALE)
    summary = site.page.locator("#error-summary").inner_text().replace(SHY, "")
    assert site.t("Please correct the following") in summary
    error = site.t("Choose a number from %(low)d to %(high)d.", low=1, high=5)
    assert error in scale.locator(".error-message").inner_text()
    assert scale.get_attribute("aria-describedby").split()[-1] == (
        scale.locator(".error-message").get_attribute("id")
    )
    assert survey.form.locator(".error-message").count() == 1  # only next to that question
    # What she gave is kept.
    assert survey.option(SINGLE, 1).is_checked()
    for option, place in enumerate(order):
        assert survey.rank(option).input_value() == str(place)
    assert survey.open_answer().input_value() == open_text
    # The error summary's link leads to the question's first choice.
    summary_link = site.page.locator("#error-summary a").first
    assert error in summary_link.inner_text()
    assert summary_link.get_attribute("href") == "#" + survey.scale(1).get_attribute("id")

    site.choose(survey.scale(4))
    survey.send("survey-saved")
    assert site.t("Thank you, your answers were saved.") in site.flash()
    mine = survey.your_answers()
    vieremä = option_text(ORG, SLUG, SINGLE, 1, lang)
    ranked = sorted(range(len(order)), key=lambda option: order[option])
    ranking = ", ".join(f"{order[o]}. {option_text(ORG, SLUG, RANKING, o, lang)}" for o in ranked)
    assert site.t("You answered: %(answer)s", answer=vieremä) in mine
    assert site.t("You answered: %(answer)s", answer=4) in mine
    assert site.t("You answered: %(answer)s", answer=ranking) in mine
    assert site.t("You answered: %(answer)s", answer=open_text) in mine
    assert site.t(
        "You have answered the poll. You can change your answers until the consultation closes."
    ) in site.main().inner_text().replace(SHY, "")

    # She changes where she goes: Iisalmi instead of Vieremä; the rest stays.
    assert survey.scale(4).is_checked() and survey.option(SINGLE, 1).is_checked()
    site.choose(survey.option(SINGLE, 0))
    survey.send("survey-changed")
    assert site.t("Your answers were updated.") in site.flash()
    mine = survey.your_answers()
    iisalmi = option_text(ORG, SLUG, SINGLE, 0, lang)
    assert site.t("You answered: %(answer)s", answer=iisalmi) in mine
    assert site.t("You answered: %(answer)s", answer=4) in mine
    assert survey.open_answer().input_value() == open_text
    site.done()
