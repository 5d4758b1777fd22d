"""'Was this page helpful?' with JavaScript: htmx swaps the widget in place, no page load."""

import pytest
from playwright.sync_api import expect

from guides_site.guides.models import Vote

from .browser_texts import (
    BROWSER_MARKS,
    EN,
    LANGUAGES,
    assert_needs_work_feedback,
    assert_no_page_load,
    guide_votes,
    open_guide,
    vote_button,
    vote_widget,
)

pytestmark = BROWSER_MARKS


@pytest.mark.parametrize("text", LANGUAGES)
def test_voting_yes_shows_thanks_without_a_page_load(page, live_server, sample_content, text):
    url = open_guide(page, live_server, text)

    vote_button(page, text["yes"]).click()

    thanks = page.get_by_role("heading", name=text["thanks"])
    expect(thanks).to_be_visible()
    assert_no_page_load(page, url)
    # Focus moved from the removed button to the new heading.
    expect(thanks).to_be_focused()
    assert page.evaluate("document.activeElement.matches('h2[data-swap-focus]')"), (
        "focus is not on the swapped-in heading"
    )
    vote = guide_votes(text).get()
    assert vote.helpful is True


@pytest.mark.parametrize("text", LANGUAGES)
def test_needs_work_asks_why_then_thanks_without_a_page_load(
    page, live_server, sample_content, text
):
    url = open_guide(page, live_server, text)

    vote_button(page, text["needs_work"]).click()

    expect(page.get_by_role("heading", name=text["what_went_wrong"])).to_be_focused()
    reasons = page.get_by_role("group", name=text["reasons"])
    expect(reasons.get_by_role("radio")).to_have_count(len(Vote.Reason.choices))
    reasons.get_by_label(text["did_not_work"]).check()
    page.get_by_label(text["comment"]).fill("Step 4 has a different menu now.")
    vote_button(page, text["send"]).click()

    expect(page.get_by_role("heading", name=text["feedback_thanks"])).to_be_focused()
    assert_no_page_load(page, url)
    assert_needs_work_feedback(text, Vote.Reason.DID_NOT_WORK, "Step 4 has a different menu now.")


def test_changing_a_yes_vote_to_needs_work_keeps_one_vote(page, live_server, sample_content):
    url = open_guide(page, live_server, EN)
    widget = vote_widget(page)

    vote_button(page, "Yes").click()
    expect(widget.locator(".vote-stats")).to_have_text("1 reader answered")
    widget.get_by_role("button", name="Change my answer to “Needs work”").click()

    expect(page.get_by_role("heading", name=EN["what_went_wrong"])).to_be_visible()
    expect(widget.locator(".vote-stats")).to_have_text("1 reader answered")
    expect(widget.get_by_text("You said this page needs work.")).to_be_visible()
    assert_no_page_load(page, url)
    votes = guide_votes(EN)
    assert [vote.helpful for vote in votes] == [False]


def test_changing_needs_work_back_to_yes_shows_the_thanks(page, live_server, sample_content):
    open_guide(page, live_server, EN)
    widget = vote_widget(page)

    vote_button(page, "Needs work").click()
    widget.get_by_role("button", name="Change my answer to “Yes”").click()

    expect(page.get_by_role("heading", name=EN["thanks"])).to_be_focused()
    expect(widget.locator(".vote-stats")).to_have_text("1 reader answered")
    assert guide_votes(EN).get().helpful is True


def test_a_vote_is_remembered_when_the_reader_comes_back(page, live_server, sample_content):
    open_guide(page, live_server, EN)
    vote_button(page, "Yes").click()
    expect(page.get_by_role("heading", name=EN["thanks"])).to_be_visible()

    page.reload()

    expect(page.get_by_role("heading", name=EN["thanks"])).to_be_visible()
    expect(vote_button(page, "Yes")).to_have_count(0)
    expect(vote_widget(page).locator(".vote-stats")).to_have_text("1 reader answered")


def test_voting_again_from_a_second_tab_counts_the_reader_once(page, live_server, sample_content):
    second_tab = page.context.new_page()  # same browser, same visitor cookie
    open_guide(page, live_server, EN)
    open_guide(second_tab, live_server, EN)

    vote_button(page, "Yes").click()
    expect(vote_widget(page).locator(".vote-stats")).to_have_text("1 reader answered")
    vote_button(second_tab, "Yes").click()

    expect(vote_widget(second_tab).locator(".vote-stats")).to_have_text("1 reader answered")
    assert guide_votes(EN).count() == 1


def test_each_reader_counts_in_the_stats(page, browser, live_server, sample_content):
    open_guide(page, live_server, EN)
    vote_button(page, "Yes").click()
    expect(page.get_by_role("heading", name=EN["thanks"])).to_be_visible()

    other_reader = browser.new_context()  # another browser: no visitor cookie
    try:
        other_page = other_reader.new_page()
        open_guide(other_page, live_server, EN)
        expect(vote_widget(other_page).locator(".vote-stats")).to_have_text("1 reader answered")
        vote_button(other_page, "Needs work").click()
        expect(vote_widget(other_page).locator(".vote-stats")).to_have_text("2 readers answered")
    finally:
        other_reader.close()
    votes = guide_votes(EN)
    assert sorted(vote.helpful for vote in votes) == [False, True]


def test_the_copy_link_button_copies_the_guide_address(page, live_server, sample_content):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    open_guide(page, live_server, EN)
    vote_button(page, "Yes").click()

    # site.js reveals the button on content htmx swapped in, where the clipboard API exists.
    vote_widget(page).get_by_role("button", name="Copy link").click()

    expect(vote_widget(page).get_by_role("status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == live_server.url + EN["guide"]
