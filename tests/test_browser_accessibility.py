"""axe-core finds no WCAG violation on the main pages and on every state htmx swaps in;
and the guide page works from the keyboard."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from .browser_texts import BROWSER_MARKS, EN, guide_votes, question_form, vote_button

pytestmark = BROWSER_MARKS

GUIDE = EN["guide"]


def describe(violations):
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"  at {' '.join(map(str, node['target']))}  {node['html'][:120]}")
            lines.extend("      " + line for line in node["failureSummary"].splitlines())
    return "\n".join(lines)


def assert_no_axe_violations(page):
    violations = Axe().run(page).response["violations"]
    assert not violations, f"axe violations on {page.url}:\n{describe(violations)}"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/linkedin/",
        GUIDE,
        "/fr/linkedin/remboursement/",
        GUIDE + "step/2/",
        GUIDE + "step/12/",  # the end of a route: the vote and the next route
        "/fr/linkedin/remboursement/step/13/",
        "/fr/linkedin/remboursement/step/25/",
    ],
)
def test_page_has_no_axe_violations(page, live_server, sample_content, path):
    response = page.goto(live_server.url + path)
    assert response.status == 200

    assert_no_axe_violations(page)


@pytest.mark.parametrize("path", [GUIDE, GUIDE + "step/2/"])
def test_page_in_dark_mode_has_no_axe_violations(page, live_server, sample_content, path):
    page.emulate_media(color_scheme="dark")
    page.goto(live_server.url + path)

    assert_no_axe_violations(page)


def test_guide_after_a_yes_vote_has_no_axe_violations(page, live_server, sample_content):
    page.goto(live_server.url + GUIDE)
    vote_button(page, "Yes").click()
    expect(page.get_by_role("heading", name="Thanks, and please share!")).to_be_focused()

    assert_no_axe_violations(page)


def test_guide_with_the_needs_work_reasons_form_has_no_axe_violations(
    page, live_server, sample_content
):
    page.goto(live_server.url + GUIDE)
    vote_button(page, "Needs work").click()
    expect(page.get_by_role("group", name="Choose the closest reason (optional)")).to_be_visible()

    assert_no_axe_violations(page)


def test_guide_with_a_question_error_has_no_axe_violations(page, live_server, sample_content):
    page.goto(live_server.url + GUIDE)
    question_form(page).get_by_role("button", name="Send my question").click()
    expect(page.locator("#id_text_error")).to_be_visible()

    assert_no_axe_violations(page)


def test_the_first_tab_reaches_the_skip_link_which_jumps_to_the_content(
    page, live_server, sample_content
):
    page.goto(live_server.url + GUIDE)

    page.keyboard.press("Tab")

    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()  # visible when focused, not left off-screen
    page.keyboard.press("Enter")
    expect(page.locator("main#main")).to_be_focused()


def test_voting_yes_with_the_keyboard_moves_focus_to_the_thanks(page, live_server, sample_content):
    page.goto(live_server.url + GUIDE)
    yes = vote_button(page, "Yes")

    yes.focus()
    expect(yes).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Thanks, and please share!")).to_be_focused()
    assert guide_votes(EN).get().helpful is True
