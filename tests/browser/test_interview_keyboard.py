"""A whole interview by keyboard alone, JavaScript on, counting every keystroke (issue 10).

The expert lands on step A, answers all 36 indicators with Tab, typing, Space and the arrow
keys, gives two reasons and a comment, and moves on with "Save and continue" (its shortcut,
Ctrl+Enter; step F by tabbing to the button itself). A save with a warning, followed by a
click on another step, must keep the input. At the end every value must come back exactly
as typed, on the steps, in the summary and in the database.

The driver is adaptive: it presses Tab until the field it wants has the focus, so the same
plan measures any layout of tab stops: before issue 10 it took 416 keystrokes (289 of them
Tab, 17 to reach each step's first field), 222 before issue 27 (a digit picks an option and
moves on, Alt+U / Alt+N give a reason and move on, the last share is filled in); the figure
now is printed and kept at 160 or less.
"""

import os
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from benchmarking.models import Answer
from tests import factories

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}
NBSP = "\u00a0"

# What the cluster manager says, step by step: (code, kind, answer).
PLAN = {
    "A": [
        ("A1", "number", "1997"),
        ("A2", "choice", "limited company"),
        ("A3", "multi", ["industry", "research and education", "regional government"]),
        ("A4", "number", "120"),
        ("A5", "parts", ["70", "10", "5", "5", "5", "5"]),  # 100, not A4's 120: a warning
        ("A6", "parts", ["70", "20.5", "9.5"]),
        ("A7", "parts", ["12", "3"]),
        ("A8", "reason", "unknown"),
    ],
    "B": [
        ("B1", "multi", ["board or steering committee", "general assembly"]),
        ("B2", "choice", "consulted"),
        ("B3", "number", "4"),
        ("B4", "number", "3.5", "two part-time posts"),
        ("B5", "number", "75"),
        ("B6", "number", "12.5"),
        ("B7", "number", "1"),
        ("B8", "choice", "yes"),
        ("B9", "choice", "action plan with indicators monitored at least yearly"),
        ("B10", "choice", "aligned"),
    ],
    "C": [
        ("C1", "number", "350000"),
        ("C2", "parts", ["40", "10", "20", "20", "10", "0"]),
        ("C3", "number", "0.5"),
        ("C4", "choice", "graded by size of participant"),
        ("C5", "number", "80"),
    ],
    "D": [
        ("D1", "multi", ["matchmaking and networking", "internationalisation", "start-up support"]),
        ("D2", "number", "24"),
        ("D3", "number", "1500"),
        ("D4", "number", "7"),
        ("D5", "number", "5"),
        ("D6", "number", "1"),
        ("D7", "number", "60"),
    ],
    "E": [
        ("E1", "number", "85"),
        ("E2", "number", "40"),
        ("E3", "multi", ["website", "newsletter", "social media"]),
    ],
    "F": [
        ("F1", "number", "18"),
        ("F2", "number", "3"),
        ("F3", "reason", "not applicable"),
    ],
}
REASON_KEYS = {"unknown": "u", "not applicable": "n"}  # a closed <select> jumps to the typed letter
REASON_CHORDS = {"unknown": "U", "not applicable": "N"}  # Alt+U, Alt+N where the page offers them


class Keyboard:
    """Presses keys on `page`, counting each key or chord once (Tab counted apart too)."""

    def __init__(self, page: Page):
        self.page = page
        self.keys = 0
        self.tabs = 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.keys += 1
        self.tabs += key == "Tab"

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)
        self.keys += len(text)

    def focused(self, expression: str):
        return self.page.evaluate(f"() => {{ const el = document.activeElement; return {expression}; }}")

    def tab_to(self, condition: str) -> None:
        for _ in range(80):
            if self.focused(condition):
                return
            self.press("Tab")
        raise AssertionError(f"Tab never reached the field where {condition}")

    # The kinds of answer -----------------------------------------------------------------

    def number(self, code: str, text: str) -> None:
        self.tab_to(f"el.id === 'id_{code}-value'")
        self.type(text)

    def parts(self, code: str, texts: list[str]) -> None:
        for index, text in enumerate(texts):
            self.tab_to(f"el.id === 'id_{code}-part_{index}'")
            if self.focused("el.value") != text:  # shares: the page fills in what is left of 100 %
                self.type(text)

    def digit(self, code: str, option: str) -> str | None:
        """The digit that picks `option` of `code`'s list, where the page offers one (issue 27)."""
        return self.page.evaluate(
            "([name, value]) => document.querySelector(`input[name='${name}'][value='${value}']`)"
            "?.getAttribute('aria-keyshortcuts')",
            [f"{code}-value", option],
        )

    def choice(self, code: str, option: str) -> None:
        self.tab_to(f"el.name === '{code}-value'")
        key = self.digit(code, option)
        if key:  # the digit picks the option and moves on to the next answer
            self.press(key)
            assert self.page.locator(f"[name='{code}-value'][value='{option}']").is_checked(), code
            return
        if self.focused("el.value") == option:
            self.press("Space")
        while not self.focused(f"el.checked && el.value === {option!r}"):
            self.press("ArrowDown")

    def multi(self, code: str, options: list[str]) -> None:
        self.tab_to(f"el.name === '{code}-value'")
        if self.digit(code, options[0]):  # a digit ticks its option
            for option in options:
                self.press(self.digit(code, option))
            return
        # One tab stop with arrow keys where the page offers it, else one stop per option.
        move = "ArrowRight" if self.focused("el.tabIndex === 0 && !!el.closest('.indicator').querySelector("
                                             "'input[type=checkbox][tabindex=\"-1\"]')") else "Tab"
        for option in options:
            while self.focused("el.value") != option:
                self.press(move)
            self.press("Space")

    def shortcuts(self) -> bool:
        return self.page.locator("#keys-hint").is_visible() if self.page.locator("#keys-hint").count() else False

    def extra(self, code: str, letter: str, field: str) -> None:
        """Go to the reason ("R") or comment ("C") of `code`: a shortcut, or Tab."""
        if self.shortcuts():
            self.tab_to(f"!!el.closest('#indicator-{code}')")
            self.press(f"Alt+{letter}")
        else:
            self.tab_to(f"el.name === '{code}-{field}'")

    def reason(self, code: str, reason: str) -> None:
        chord = re.compile(f"^{REASON_CHORDS[reason]}$")
        if self.shortcuts() and self.page.locator("#keys-hint kbd").filter(has_text=chord).count():
            # One chord sets the reason and moves on to the next answer (issue 27).
            self.tab_to(f"!!el.closest('#indicator-{code}')")
            self.press(f"Alt+{REASON_CHORDS[reason]}")
            return
        self.extra(code, "R", "missing_reason")
        self.type(REASON_KEYS[reason])

    def comment(self, code: str, text: str) -> None:
        self.extra(code, "C", "comment")
        self.type(text)

    def answer(self, code: str, kind: str, value, comment: str = "") -> None:
        getattr(self, kind)(code, value)
        if comment:
            self.comment(code, comment)

    def save_and_continue(self, *, by_button: bool) -> None:
        if by_button or not self.shortcuts():
            self.tab_to("el.name === 'continue'")
            self.press("Enter")
        else:
            self.press("Control+Enter")


def expected_texts(code: str, kind: str, value) -> dict[str, str]:
    """The input values the step page must show again: name -> text."""
    if kind == "number":
        return {f"{code}-value": value}
    if kind == "parts":
        return {f"{code}-part_{i}": text for i, text in enumerate(value)}
    return {}


def test_a_whole_interview_by_keyboard_alone(page: Page, live_server, log_in, transactional_db, reference_data,
                                             screenshot_dir):
    expert = factories.ExpertFactory()
    interview = factories.InterviewFactory(expert=expert)
    page.set_viewport_size(LAPTOP)
    log_in(page, expert.user)
    page.goto(f"{live_server.url}/interviews/{interview.pk}/step/A/")
    keyboard = Keyboard(page)
    steps = list(PLAN)
    for index, code in enumerate(steps):
        expect(page.get_by_role("heading", level=2).first).to_contain_text(f"{code}.")
        for item in PLAN[code]:
            keyboard.answer(*item)
        keyboard.save_and_continue(by_button=code == "F")
        if code == "A":
            warned_save_keeps_input(page, keyboard)
        following = f"step/{steps[index + 1]}/" if index + 1 < len(steps) else f"interviews/{interview.pk}/"
        page.wait_for_url(f"**/{following}")
    expect(page.get_by_role("heading", name="Summary")).to_be_visible()
    print(f"\nKEYSTROKES whole interview: {keyboard.keys} (of which Tab: {keyboard.tabs})")
    with open(os.path.join(screenshot_dir, "keystrokes.txt"), "w") as out:
        out.write(f"{keyboard.keys} keys, {keyboard.tabs} Tab\n")
    # The same plan took 416 keystrokes (289 Tab) before issue 10, 222 before issue 27 (digits
    # pick options and move on); 160 is the aim.
    assert keyboard.keys <= 160, f"{keyboard.keys} keystrokes for what took 222 before"

    everything_round_trips(page, live_server, interview)


def warned_save_keeps_input(page: Page, keyboard: Keyboard) -> None:
    """A5's total differs from A4: the step stays, with the warning, and keeps every value
    when the expert clicks another step and stays; then the warning is confirmed by keyboard."""
    warning = page.locator("#indicator-A5 .indicator-warning")
    expect(warning).to_contain_text("differs from A4")
    confirm = page.locator("[name='A5-confirm']")
    expect(confirm).to_be_focused()  # the keyboard goes on where the attention is needed
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="C. Financing of the cluster management").click()
    for _ in range(150):  # the leave prompt, however busy the machine
        if asked:
            break
        page.wait_for_timeout(100)
    assert asked == ["beforeunload"]
    expect(page.get_by_role("heading", name="A. Structure of the cluster")).to_be_visible()
    for code, kind, value, *_ in PLAN["A"]:
        for name, text in expected_texts(code, kind, value).items():
            expect(page.locator(f"[name='{name}']")).to_have_value(text)
    expect(page.locator("#id_A8-missing_reason")).to_have_value("unknown")
    confirm.focus()  # where the mouse click (not counted) took the focus from
    keyboard.press("Space")
    keyboard.save_and_continue(by_button=False)


def everything_round_trips(page: Page, live_server, interview) -> None:
    answers = {a.indicator.code: a for a in Answer.objects.filter(interview=interview).select_related("indicator")}
    assert len(answers) == 36
    summary = page.locator("main").inner_text()
    for code in PLAN:
        page.goto(f"{live_server.url}/interviews/{interview.pk}/step/{code}/")
        for item in PLAN[code]:
            indicator_code, kind, value, *comment = item
            answer = answers[indicator_code]
            for name, text in expected_texts(indicator_code, kind, value).items():
                expect(page.locator(f"[name='{name}']")).to_have_value(text)
            if kind == "number":
                assert answer.number == Decimal(value), indicator_code
                assert f"{value}" in summary or f"{Decimal(value):,}" in summary  # grouped: 350,000
            elif kind == "parts":
                assert [Decimal(str(answer.parts[o])) for o in answer.indicator.options] == [Decimal(v) for v in value]
            elif kind == "choice" and value in ("yes", "no"):
                assert answer.boolean is (value == "yes")
            elif kind == "choice":
                assert answer.choice == value
                expect(page.locator(f"[name='{indicator_code}-value'][value='{value}']")).to_be_checked()
            elif kind == "multi":
                assert answer.selected == [o for o in answer.indicator.options if o in value]
            elif kind == "reason":
                assert answer.missing_reason == {"unknown": "unknown", "not applicable": "not_applicable"}[value]
            assert answer.comment == (comment[0] if comment else ""), indicator_code
    assert f"350,000{NBSP}EUR" in summary and f"0.5{NBSP}years" in summary and "1997" in summary


def test_starting_an_interview_by_keyboard(page: Page, live_server, log_in, transactional_db, reference_data):
    """The cursor starts in the cluster search; the chosen cluster takes the keyboard on to the
    interviewee's name (the date is today's, the mode has its default); Enter starts it."""
    expert = factories.ExpertFactory()
    factories.ClusterFactory(name="Cluster of Wood and Furniture Makers")
    page.set_viewport_size(LAPTOP)
    log_in(page, expert.user)
    page.goto(f"{live_server.url}/interviews/new/")
    page.wait_for_load_state("load")
    expect(page.locator("#cluster-search")).to_be_focused()
    keyboard = Keyboard(page)
    keyboard.type("wood")
    expect(page.get_by_role("option", name="Cluster of Wood and Furniture Makers")).to_be_visible()
    keyboard.press("ArrowDown")
    keyboard.press("Enter")
    expect(page.locator("#cluster-chosen-name")).to_contain_text("Cluster of Wood")
    expect(page.locator("[name=interviewee_name]")).to_be_focused()
    keyboard.type("Ana Ruiz")
    keyboard.press("Tab")
    keyboard.type("CEO")
    keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2).first).to_contain_text("A.")
    print(f"\nKEYSTROKES starting an interview: {keyboard.keys} (of which Tab: {keyboard.tabs})")
    assert keyboard.tabs == 1 and keyboard.keys == 4 + 2 + 8 + 1 + 3 + 1
