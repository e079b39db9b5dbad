"""The keyboard alone: Tab to an element, then Enter, Space, arrows or typing.

``tab_to(page, target)`` presses Tab until ``target`` has focus (at most ``limit``
presses) and returns, for every element focused on the way, whether its focus was
visible: an outline or a box shadow drawn by the focus styles.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page

FOCUS_STATE_JS = """([target]) => {
  const el = document.activeElement;
  if (!el || el === document.body || el === document.documentElement) {
    return {hit: false, none: true, visible: true, what: 'body'};
  }
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  const shadow = style.boxShadow && style.boxShadow !== 'none';
  return {
    hit: el === target, none: false, visible: Boolean(outline || shadow),
    what: el.outerHTML.replace(/\\s+/g, ' ').slice(0, 140),
  };
}"""

ACTIVE_JS = """() => {
  const el = document.activeElement;
  return el ? {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className,
               html: el.outerHTML.replace(/\\s+/g, ' ').slice(0, 200)} : null;
}"""


class FocusNotReached(AssertionError):
    pass


def tab_to(page: Page, target: Locator, limit: int = 200) -> list[str]:
    """Tab until ``target`` is focused; the elements on the way whose focus was not visible."""
    handle = target.element_handle()
    invisible: list[str] = []
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STATE_JS, [handle])
        if state["none"]:
            continue
        seen.append(state["what"])
        if not state["visible"]:
            invisible.append(state["what"])
        if state["hit"]:
            return invisible
    last = "\n  ".join(seen[-6:])
    raise FocusNotReached(
        f"{limit} presses of Tab did not reach {target}; the last focused:\n  {last}"
    )


def is_focused(target: Locator) -> bool:
    return bool(target.evaluate("el => el === document.activeElement"))


def active_element(page: Page) -> dict | None:
    return page.evaluate(ACTIVE_JS)


def choose_radio(page: Page, radio: Locator, limit: int = 20) -> list[str]:
    """Tab into the radio group, then arrow down to ``radio`` (arrows also check it)."""
    name = radio.get_attribute("name")
    group = page.locator(f'input[type=radio][name="{name}"]')
    # Tab stops once in a group: on its checked radio, else on the first.
    checked = page.locator(f'input[type=radio][name="{name}"]:checked')
    entry = checked if checked.count() else group.first
    invisible = tab_to(page, entry)
    for _ in range(limit):
        if is_focused(radio) and radio.is_checked():
            return invisible
        page.keyboard.press("ArrowDown")
    raise FocusNotReached(f"arrow keys did not reach {radio}")


def choose_option(page: Page, select: Locator, label: str, limit: int = 60) -> list[str]:
    """Tab to a closed <select>, type the start of ``label`` (as a keyboard user does in
    a long list, such as the 309 municipalities), then arrow through the options to it."""
    invisible = tab_to(page, select)

    def arrow_to() -> bool:
        for _ in range(limit):
            current = select.evaluate("el => el.options[el.selectedIndex]?.label ?? ''")
            if current.strip() == label:
                return True
            page.keyboard.press("ArrowDown")
        return False

    page.keyboard.press("Home")
    if select.evaluate("el => el.options.length") > limit:
        page.keyboard.type(label[:3])
    if arrow_to():
        return invisible
    raise FocusNotReached(f"arrow keys did not find {label!r} in {select}")
