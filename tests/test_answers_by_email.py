import re
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from guides_site.questions.models import Question
from guides_site.questions.tasks import RETRY_DELAYS, send_answer

from .factories import make_guide
from .servers import database_env, free_port

ERASE_LINK = re.compile(r"http://testserver(/(?:fr/)?your-details/[^/\s]+/)")


@pytest.fixture(autouse=True)
def _worker_keeps_the_test_connection(monkeypatch):
    # The worker closes stale connections between tasks; here that would be the test's own.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def run_worker():
    """`manage.py db_worker --batch`: run every task that is due, then stop."""
    call_command(
        "db_worker", batch=True, startup_delay=False, reload=False, interval=0, stdout=StringIO()
    )


def ask(guide, text="How long does a refund take?", email="reader@example.org"):
    return Question.objects.create(guide=guide, text=text, email=email)


def answer_in_admin(editor, question, status="published", answer="About 14 days."):
    return editor.post(
        f"/admin/questions/question/{question.pk}/change/",
        {"text": question.text, "status": status, "answer": answer},
    )


class SmtpInbox:
    """A real SMTP server on loopback that keeps what it receives."""

    def __init__(self, port):
        self.messages = []
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode()))
        return "250 OK"

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


@pytest.fixture
def smtp_settings(settings):
    port = free_port()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", port, 5
    return port


@pytest.mark.parametrize(
    ("language", "subject", "greeting"),
    [
        ("en", "Your question on “How to get a refund” has an answer", "Our answer:"),
        (
            "fr",
            "Votre question sur «\u202fObtenir un remboursement\u202f» a une réponse",
            "Notre réponse",
        ),
    ],
)
def test_the_answer_is_emailed_once_in_the_questions_language_with_its_links(
    editor, django_capture_on_commit_callbacks, language, subject, greeting
):
    title = "How to get a refund" if language == "en" else "Obtenir un remboursement"
    guide = make_guide(language=language, title=title)
    question = ask(guide)

    with django_capture_on_commit_callbacks(execute=True):
        answer_in_admin(editor, question)
    run_worker()
    run_worker()  # nothing is sent twice

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["reader@example.org"] and message.subject == subject
    assert greeting in message.body
    assert "How long does a refund take?" in message.body and "About 14 days." in message.body
    prefix = "/fr" if language == "fr" else ""
    assert f"{settings.SITE_URL}{prefix}/acme/refund/" in message.body
    assert ERASE_LINK.search(message.body)
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver")
    question.refresh_from_db()
    assert question.email == "" and question.answer_sent_at is not None


def test_an_answer_by_email_only_is_sent_but_never_published(
    editor, django_capture_on_commit_callbacks
):
    question = ask(make_guide())

    with django_capture_on_commit_callbacks(execute=True):
        answer_in_admin(editor, question, status="private", answer="Only for you.")
    run_worker()

    assert "Only for you." in mail.outbox[0].body
    assert "Only for you." not in Client().get("/acme/refund/").content.decode()


def test_a_question_without_an_address_sends_nothing(editor, django_capture_on_commit_callbacks):
    question = ask(make_guide(), email="")
    with django_capture_on_commit_callbacks(execute=True):
        answer_in_admin(editor, question)
    run_worker()
    assert mail.outbox == [] and not DBTaskResult.objects.filter(task_path__endswith="send_answer")


def test_the_erase_link_is_signed_and_works_once(editor, django_capture_on_commit_callbacks):
    question = ask(make_guide(), text="My card 4111 1111 1111 1111 was charged twice")
    question.original_text = "My card 4111 1111 1111 1111 was charged twice"
    question.save()
    with django_capture_on_commit_callbacks(execute=True):
        answer_in_admin(editor, question)
    run_worker()
    link = ERASE_LINK.search(mail.outbox[0].body).group(1)
    reader = Client()

    tampered = reader.get(link[:-3] + "xx/")
    first = reader.get(link)
    second = reader.get(link)

    assert tampered.status_code == 400 and "This link does not work" in tampered.content.decode()
    assert first.status_code == 200 and "Your details are erased" in first.content.decode()
    assert "Nothing left to erase" in second.content.decode()
    assert first["X-Robots-Tag"] == "noindex" and "no-cache" in first["Cache-Control"]
    question.refresh_from_db()
    assert (question.email, question.original_text, question.visitor) == ("", "", "")
    assert question.erased_at is not None


def test_erasing_before_the_answer_is_sent_cancels_the_e_mail(
    editor, django_capture_on_commit_callbacks
):
    from guides_site.questions.mail import erase_token

    question = ask(make_guide())
    Client().get(f"/your-details/{erase_token(question)}/")
    with django_capture_on_commit_callbacks(execute=True):
        answer_in_admin(editor, question)
    run_worker()
    assert mail.outbox == []


def test_rejecting_a_question_forgets_the_address_at_once(editor):
    question = ask(make_guide())
    editor.post(
        "/admin/questions/question/", {"action": "reject", "_selected_action": [question.pk]}
    )
    question.refresh_from_db()
    assert question.status == "rejected" and question.email == ""


def test_the_daily_purge_forgets_addresses_left_unanswered_for_90_days(db):
    guide = make_guide()
    old, recent = ask(guide), ask(guide, text="A newer question about refunds")
    Question.objects.filter(pk=old.pk).update(
        created=timezone.now() - timedelta(days=91), original_text="typed 06 12 34 56 78"
    )
    out = StringIO()

    call_command("purge_personal_data", stdout=out)

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.email, old.original_text) == ("", "") and old.text == recent.text[:0] + old.text
    assert recent.email == "reader@example.org"
    assert "Questions cleared of personal data: 1." in out.getvalue()


def test_the_purge_task_runs_daily_from_the_queue(db):
    from guides_site.questions.tasks import purge_personal_data, schedule_purge

    waiting = DBTaskResult.objects.filter(task_path=purge_personal_data.module_path)
    schedule_purge()
    schedule_purge()  # once only, however often a deploy migrates
    assert waiting.filter(status="READY").count() == 1

    DBTaskResult.objects.update(run_after=timezone.now())
    run_worker()

    after = waiting.get(status="READY")
    assert after.run_after > timezone.now() + timedelta(hours=23)
    assert waiting.filter(status="SUCCESSFUL").count() == 1


def test_an_smtp_failure_is_retried_later_and_then_delivered(
    editor, django_capture_on_commit_callbacks, smtp_settings
):
    question = ask(make_guide())
    with django_capture_on_commit_callbacks(execute=True):
        answer_in_admin(editor, question)

    run_worker()  # nothing listens on the port yet

    question.refresh_from_db()
    assert question.email == "reader@example.org" and "attempt 1 failed" in question.mail_error
    retry = DBTaskResult.objects.get(status="READY", task_path=send_answer.module_path)
    assert retry.args_kwargs["args"] == [question.pk, 2]
    expected = timezone.now() + RETRY_DELAYS[0]
    assert abs((retry.run_after - expected).total_seconds()) < 30
    page = editor.get(f"/admin/questions/question/{question.pk}/change/").content.decode()
    assert "Not sent yet" in page and "reader@example.org" not in page

    with SmtpInbox(smtp_settings) as inbox:
        DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now())
        run_worker()

    assert [to for to, _ in inbox.messages] == [["reader@example.org"]]
    assert "About 14 days." in inbox.messages[0][1]
    question.refresh_from_db()
    assert question.email == "" and question.mail_error == ""


@pytest.mark.django_db(transaction=True)
def test_a_send_waiting_in_the_database_survives_a_worker_restart(tmp_path, settings):
    """The worker is stopped when the answer is saved; the next worker, a new process,
    delivers it to a real SMTP server."""
    port = free_port()
    question = ask(make_guide())
    question.answer, question.status = "About 14 days.", "published"
    question.save()
    env = {
        **database_env(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "DJANGO_DEBUG": "true",
    }
    command = [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.2"]
    log = tmp_path / "worker.log"
    with open(log, "w") as output:
        first = subprocess.Popen(
            command, cwd=settings.BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + 60
    while "Starting worker" not in log.read_text():  # its signal handlers are set up
        assert first.poll() is None and time.monotonic() < deadline, log.read_text()
        time.sleep(0.1)
    first.terminate()
    assert first.wait(timeout=20) == 0, log.read_text()

    send_answer.enqueue(question.pk)  # as the admin does, while no worker runs

    with SmtpInbox(port) as inbox:
        second = subprocess.Popen(
            [*command[:3], "--batch", "--no-startup-delay"],
            cwd=settings.BASE_DIR,
            env=env,
            stderr=subprocess.DEVNULL,
        )
        assert second.wait(timeout=60) == 0
    assert len(inbox.messages) == 1 and "About 14 days." in inbox.messages[0][1]
    question.refresh_from_db()
    assert question.email == "" and question.answer_sent_at is not None
