"""What the browser tests share: the English and French texts they look for, and the few
steps several of them take (open a guide, find the vote buttons, tell an htmx swap from a
full page load, read the guide's votes back from the database).

A plain module, not a conftest: the test modules import what they use by name, so a reader
can follow every helper back to here. Its name does not start with test_, so pytest does
not collect it.
"""

import pytest
from playwright.sync_api import expect

from guides_site.guides.models import Vote

# Every browser test module sets `pytestmark = BROWSER_MARKS`: the tests drive Chromium
# against live_server, which runs in another thread, so the data must really be committed.
BROWSER_MARKS = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Match the 10 s action timeout conftest sets: a busy CI machine can be slow to swap.
# expect's options belong to the process, so setting them here, when a test module first
# imports this one (for BROWSER_MARKS at least), covers every browser test module.
expect.set_options(timeout=10_000)

# The tests find elements by accessible name, so each text must match the page to the
# letter: the English msgids and French msgstrs of locale/fr/LC_MESSAGES/django.po, plus
# the titles and addresses of content/linkedin/refund.md and refund.fr.md. The two tables
# have the same keys, so a test parametrized over LANGUAGES runs unchanged in both.
EN = {
    # The guide every test opens, and how to find it in the database.
    "lang": "en",
    "guide": "/linkedin/refund/",
    "slug": "refund",
    "title": "How to get a refund from LinkedIn",
    # "Was this page helpful?" and the "Needs work" follow-up.
    "question": "Was this page helpful?",
    "yes": "Yes",
    "needs_work": "Needs work",
    "thanks": "Thanks, and please share!",
    "what_went_wrong": "Sorry this guide didn't help. What went wrong?",
    "reasons": "Choose the closest reason (optional)",
    "did_not_work": "I followed it and it didn't work",
    "unclear": "It's hard to follow",
    "comment": "Tell us more (optional)",
    "send": "Send",
    "feedback_thanks": "Thank you. Our editors read every answer and fix what's wrong.",
    # The "More questions?" form.
    "ask_heading": "More questions? Ask a follow-up or related question",
    "ask_label": "Your question",
    "ask_send": "Send my question",
    "required": "Please write your question.",
    "sent": "Thank you. Your question was sent to our editors.",
    # Step-by-step mode.
    "walk": "Walk me through it, one step at a time",
    # The guide has two routes: steps 1 to 12 (Premium), then 13 to 25 (a support ticket).
    "step": "Step {} of {}",
    "routes": (
        (12, "If you pay for Premium: ask for an account review"),
        (25, "If you don't: open a support ticket"),
    ),
    "pager": "Steps",
    "next": "Next",
    "previous": "Previous",
    "did_it_work": "Did this step work?",
    "no": "No",
    "sorry": "Sorry. Check the step once more",
}
FR = {
    "lang": "fr",
    "guide": "/fr/linkedin/remboursement/",
    "slug": "remboursement",
    "title": "Comment obtenir un remboursement de LinkedIn",
    "question": "Cette page vous a-t-elle été utile\u202f?",
    "yes": "Oui",
    "needs_work": "A besoin de travail",
    "thanks": "Merci, et partagez\u202f!",
    "what_went_wrong": (
        "Désolé que ce guide ne vous ait pas aidé. Qu'est-ce qui n'a pas fonctionné\u202f?"
    ),
    "reasons": "Choisissez la raison la plus proche (facultatif)",
    "did_not_work": "Je l'ai suivi et ça n'a pas fonctionné",
    "unclear": "Il est difficile à suivre",
    "comment": "Dites-nous-en plus (facultatif)",
    "send": "Envoyer",
    "feedback_thanks": "Merci. Nos rédacteurs lisent chaque réponse et corrigent ce qui ne va pas.",
    "ask_heading": "D'autres questions\u202f? Posez une question complémentaire ou connexe",
    "ask_label": "Votre question",
    "ask_send": "Envoyer ma question",
    "required": "Veuillez écrire votre question.",
    "sent": "Merci. Votre question a été transmise à nos rédacteurs.",
    "walk": "Guidez-moi, une étape à la fois",
    "step": "Étape {} sur {}",
    "routes": (
        (12, "Si vous payez Premium\u202f: demandez un examen du compte"),
        (25, "Sinon\u202f: ouvrez un ticket d'assistance"),
    ),
    "pager": "Étapes",
    "next": "Suivante",
    "previous": "Précédente",
    "did_it_work": "Cette étape a-t-elle fonctionné\u202f?",
    "no": "Non",
    "sorry": "Dommage. Vérifiez l'étape encore une fois",
}
LANGUAGES = [pytest.param(EN, id="en"), pytest.param(FR, id="fr")]


def mark_window(page):
    """Set a mark on the window: a full page load wipes it, an htmx swap keeps it."""
    page.evaluate("window.__marker = 1")


def assert_no_page_load(page, url):
    """The mark set by mark_window is still there and the address has not changed."""
    assert page.evaluate("window.__marker") == 1, "the page was reloaded"
    assert page.url == url


def _open_guide_at(page, live_server, text, heading):
    """Open the guide, wait for the `heading` of the part under test, and mark the window
    so a later full page load is detectable."""
    page.goto(live_server.url + text["guide"])
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    mark_window(page)


def open_guide(page, live_server, text):
    """Open the guide with its "Was this page helpful?" widget, marked; return its address."""
    _open_guide_at(page, live_server, text, text["question"])
    return page.url


def open_question_form(page, live_server, text):
    """Open the guide with its "More questions?" form, marked; return the form."""
    _open_guide_at(page, live_server, text, text["ask_heading"])
    return question_form(page)


def vote_widget(page):
    return page.locator("#helpful")


def vote_button(page, name):
    """A button of the vote widget, by its exact name: "Yes" alone would also match the
    "Change my answer to “Yes”" button."""
    return vote_widget(page).get_by_role("button", name=name, exact=True)


def question_form(page):
    return page.locator("#ask")


def guide_votes(text):
    """The votes stored for the guide of `text` (its slug and language)."""
    return Vote.objects.filter(guide__slug=text["slug"], guide__language=text["lang"])


def assert_needs_work_feedback(text, reason, comment):
    """The guide has one vote, "Needs work", and its feedback was sent with this reason
    and comment."""
    vote = guide_votes(text).get()
    assert (vote.helpful, vote.reason, vote.comment, vote.feedback_sent) == (
        False,
        reason,
        comment,
        True,
    )


def step_url(live_server, text, number):
    return f"{live_server.url}{text['guide']}step/{number}/"


def step_heading(page, text, number):
    return page.get_by_role("heading", name=step_label(text, number), exact=True)


def step_label(text, number):
    """The walkthrough's heading for a step of the guide: "Step 3 of 12 · <its route>"."""
    last, title = next((last, title) for last, title in text["routes"] if number <= last)
    return f"{text['step'].format(number, last)} · {title}"


def pager_link(page, text, name):
    return page.get_by_role("navigation", name=text["pager"]).get_by_role("link", name=name)
