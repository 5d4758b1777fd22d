"""The whole loop in Chromium: a reader asks with an e-mail address, an editor answers and
publishes in the admin, the worker mails the answer through a real SMTP server on loopback,
and the public page shows the question, masked, with its answer."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from playwright.sync_api import expect

from guides_site.questions.models import Question

from .factories import make_guide
from .servers import free_port
from .test_answers_by_email import SmtpInbox

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_readers_question_is_answered_by_email_and_published_masked(
    page, browser, live_server, settings
):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    make_guide(title="How to get a refund")
    call_command("setup_editors", stdout=StringIO())
    edith = User.objects.create_user("edith", password="a-long-passphrase", is_staff=True)
    edith.groups.add(Group.objects.get(name="Editors"))

    page.goto(live_server.url + "/acme/refund/")
    page.get_by_label("Your question").fill(
        "I was charged twice on card 4111 1111 1111 1111. How do I get one back?"
    )
    page.get_by_label("Your e-mail, if you would like the answer (optional)").fill(
        "reader@example.org"
    )
    page.get_by_role("button", name="Send my question").click()
    expect(page.get_by_text("Your question was sent to our editors.")).to_be_visible()

    editor = browser.new_context().new_page()
    editor.goto(live_server.url + "/admin/login/")
    editor.get_by_label("Username").fill("edith")
    editor.get_by_label("Password").fill("a-long-passphrase")
    editor.get_by_role("button", name="Log in").click()
    editor.get_by_role("link", name="Questions waiting for an answer: 1").click()
    editor.get_by_role("link", name="I was charged twice").click()
    expect(editor.get_by_text("4111 1111 1111 1111")).to_be_visible()  # the reader's own words
    editor.get_by_label("Answer:").fill("Open Orders, pick the second charge, then Refund.")
    editor.get_by_label("Status:").select_option(label="Answered and published")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.get_by_text("The answer will be e-mailed to the reader")).to_be_visible()
    editor.context.close()

    with SmtpInbox(port) as inbox:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, stdout=StringIO())
    [(recipients, message)] = inbox.messages
    assert recipients == ["reader@example.org"]
    assert "Open Orders, pick the second charge, then Refund." in message
    assert f"{live_server.url}/acme/refund/" in message

    page.goto(live_server.url + "/acme/refund/")
    answers = page.get_by_role("region", name="Readers' questions, answered")
    expect(answers).to_contain_text("card •••• 1111")
    expect(answers).to_contain_text("Open Orders, pick the second charge, then Refund.")
    expect(answers).not_to_contain_text("4111 1111")
    assert Question.objects.get().email == ""
