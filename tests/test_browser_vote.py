"""'Was this page helpful?' with JavaScript: htmx swaps the widget in place, no page load."""

import re

import pytest
from playwright.sync_api import expect

from guides_site.guides.models import Vote

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# Match the 10 s action timeout conftest sets: a busy CI machine can be slow to swap.
expect.set_options(timeout=10_000)

EN = {
    "lang": "en",
    "guide": "/linkedin/refund/",
    "slug": "refund",
    "question": "Was this page helpful?",
    "yes": "Yes",
    "needs_work": "Needs work",
    "thanks": "Thanks, and please share!",
    "what_went_wrong": "Sorry this guide didn't help. What went wrong?",
    "reasons": "Choose the closest reason (optional)",
    "did_not_work": "I followed it and it didn't work",
    "comment": "Tell us more (optional)",
    "send": "Send",
    "feedback_thanks": "Thank you. Our editors read every answer and fix what's wrong.",
}
FR = {
    "lang": "fr",
    "guide": "/fr/linkedin/remboursement/",
    "slug": "remboursement",
    "question": "Cette page vous a-t-elle été utile ?",
    "yes": "Oui",
    "needs_work": "A besoin de travail",
    "thanks": "Merci, et partagez !",
    "what_went_wrong": (
        "Désolé que ce guide ne vous ait pas aidé. Qu'est-ce qui n'a pas fonctionné ?"
    ),
    "reasons": "Choisissez la raison la plus proche (facultatif)",
    "did_not_work": "Je l'ai suivi et ça n'a pas fonctionné",
    "comment": "Dites-nous-en plus (facultatif)",
    "send": "Envoyer",
    "feedback_thanks": "Merci. Nos rédacteurs lisent chaque réponse et corrigent ce qui ne va pas.",
}
LANGUAGES = [pytest.param(EN, id="en"), pytest.param(FR, id="fr")]


def open_guide(page, live_server, text):
    """Open the guide, check the vote widget is there, and mark the window so a later
    full page load (which would wipe the mark) is detectable."""
    page.goto(live_server.url + text["guide"])
    expect(page.get_by_role("heading", name=text["question"])).to_be_visible()
    page.evaluate("window.__marker = 1")
    return page.url


def assert_no_page_load(page, url):
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    assert page.url == url


def vote_widget(page):
    return page.locator("#helpful")


@pytest.mark.parametrize("text", LANGUAGES)
def test_voting_yes_shows_thanks_without_a_page_load(page, live_server, sample_content, text):
    url = open_guide(page, live_server, text)

    vote_widget(page).get_by_role("button", name=text["yes"], exact=True).click()

    thanks = page.get_by_role("heading", name=text["thanks"])
    expect(thanks).to_be_visible()
    assert_no_page_load(page, url)
    # Focus moved from the removed button to the new heading.
    expect(thanks).to_be_focused()
    assert page.evaluate("document.activeElement.matches('h2[data-swap-focus]')"), (
        "focus is not on the swapped-in heading"
    )
    vote = Vote.objects.get(guide__slug=text["slug"], guide__language=text["lang"])
    assert vote.helpful is True


@pytest.mark.parametrize("text", LANGUAGES)
def test_needs_work_asks_why_then_thanks_without_a_page_load(
    page, live_server, sample_content, text
):
    url = open_guide(page, live_server, text)

    vote_widget(page).get_by_role("button", name=text["needs_work"], exact=True).click()

    expect(page.get_by_role("heading", name=text["what_went_wrong"])).to_be_focused()
    reasons = page.get_by_role("group", name=text["reasons"])
    expect(reasons.get_by_role("radio")).to_have_count(len(Vote.Reason.choices))
    reasons.get_by_label(text["did_not_work"]).check()
    page.get_by_label(text["comment"]).fill("Step 4 has a different menu now.")
    vote_widget(page).get_by_role("button", name=text["send"], exact=True).click()

    expect(page.get_by_role("heading", name=text["feedback_thanks"])).to_be_focused()
    assert_no_page_load(page, url)
    vote = Vote.objects.get(guide__slug=text["slug"], guide__language=text["lang"])
    assert (vote.helpful, vote.reason, vote.comment, vote.feedback_sent) == (
        False,
        Vote.Reason.DID_NOT_WORK,
        "Step 4 has a different menu now.",
        True,
    )


def test_changing_a_yes_vote_to_needs_work_keeps_one_vote(page, live_server, sample_content):
    url = open_guide(page, live_server, EN)
    widget = vote_widget(page)

    widget.get_by_role("button", name="Yes", exact=True).click()
    expect(widget.locator(".vote-stats")).to_have_text("100% of 1 reader found this helpful")
    widget.get_by_role("button", name="Change my answer to “Needs work”").click()

    expect(page.get_by_role("heading", name=EN["what_went_wrong"])).to_be_visible()
    expect(widget.locator(".vote-stats")).to_have_text("0% of 1 reader found this helpful")
    expect(widget.get_by_text("You said this page needs work.")).to_be_visible()
    assert_no_page_load(page, url)
    votes = Vote.objects.filter(guide__slug="refund", guide__language="en")
    assert [vote.helpful for vote in votes] == [False]


def test_changing_needs_work_back_to_yes_shows_the_thanks(page, live_server, sample_content):
    open_guide(page, live_server, EN)
    widget = vote_widget(page)

    widget.get_by_role("button", name="Needs work", exact=True).click()
    widget.get_by_role("button", name="Change my answer to “Yes”").click()

    expect(page.get_by_role("heading", name=EN["thanks"])).to_be_focused()
    expect(widget.locator(".vote-stats")).to_have_text(re.compile(r"^100% of 1 reader\b"))
    assert Vote.objects.get(guide__slug="refund", guide__language="en").helpful is True


def test_a_vote_is_remembered_when_the_reader_comes_back(page, live_server, sample_content):
    open_guide(page, live_server, EN)
    vote_widget(page).get_by_role("button", name="Yes", exact=True).click()
    expect(page.get_by_role("heading", name=EN["thanks"])).to_be_visible()

    page.reload()

    expect(page.get_by_role("heading", name=EN["thanks"])).to_be_visible()
    expect(vote_widget(page).get_by_role("button", name="Yes", exact=True)).to_have_count(0)
    expect(vote_widget(page).locator(".vote-stats")).to_have_text(
        "100% of 1 reader found this helpful"
    )


def test_voting_again_from_a_second_tab_counts_the_reader_once(page, live_server, sample_content):
    second_tab = page.context.new_page()  # same browser, same visitor cookie
    open_guide(page, live_server, EN)
    open_guide(second_tab, live_server, EN)

    vote_widget(page).get_by_role("button", name="Yes", exact=True).click()
    expect(vote_widget(page).locator(".vote-stats")).to_have_text(
        "100% of 1 reader found this helpful"
    )
    vote_widget(second_tab).get_by_role("button", name="Yes", exact=True).click()

    expect(vote_widget(second_tab).locator(".vote-stats")).to_have_text(
        "100% of 1 reader found this helpful"
    )
    assert Vote.objects.filter(guide__slug="refund", guide__language="en").count() == 1


def test_each_reader_counts_in_the_stats(page, browser, live_server, sample_content):
    open_guide(page, live_server, EN)
    vote_widget(page).get_by_role("button", name="Yes", exact=True).click()
    expect(page.get_by_role("heading", name=EN["thanks"])).to_be_visible()

    other_reader = browser.new_context()  # another browser: no visitor cookie
    try:
        other_page = other_reader.new_page()
        open_guide(other_page, live_server, EN)
        expect(vote_widget(other_page).locator(".vote-stats")).to_have_text(
            "100% of 1 reader found this helpful"
        )
        vote_widget(other_page).get_by_role("button", name="Needs work", exact=True).click()
        expect(vote_widget(other_page).locator(".vote-stats")).to_have_text(
            "50% of 2 readers found this helpful"
        )
    finally:
        other_reader.close()
    votes = Vote.objects.filter(guide__slug="refund", guide__language="en")
    assert sorted(vote.helpful for vote in votes) == [False, True]


def test_the_copy_link_button_copies_the_guide_address(page, live_server, sample_content):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    open_guide(page, live_server, EN)
    vote_widget(page).get_by_role("button", name="Yes", exact=True).click()

    # site.js reveals the button on content htmx swapped in, where the clipboard API exists.
    vote_widget(page).get_by_role("button", name="Copy link").click()

    expect(vote_widget(page).get_by_role("status")).to_have_text("Link copied.")
    assert page.evaluate("navigator.clipboard.readText()") == live_server.url + EN["guide"]
