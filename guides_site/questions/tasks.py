"""Background work: sending answers, forgetting addresses.

Tasks run in `manage.py db_worker` (django-tasks with its database backend): a task waits in
the database, so it survives a restart of the web servers or of the worker itself.
"""

import logging
import smtplib
from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django_tasks import task
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .mail import answer_message
from .models import Question

log = logging.getLogger(__name__)

# After a failed attempt, wait this long before the next one; give up after the last.
RETRY_DELAYS = [
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
]
PURGE_EVERY = timedelta(days=1)


@task()
def send_answer(question_id, attempt=1):
    question = Question.objects.select_related("guide__company").filter(pk=question_id).first()
    if question is None or not question.awaits_mail:
        return "nothing to send"  # sent already, erased, or the answer was withdrawn
    try:
        answer_message(question).send()
    except (smtplib.SMTPException, OSError) as error:
        _after_failure(question, attempt, error)
        raise
    # The address is needed for nothing else: forget it with what the reader typed.
    Question.objects.filter(pk=question.pk).update(
        email="", original_text="", visitor="", answer_sent_at=timezone.now(), mail_error=""
    )
    return "sent"


def _after_failure(question, attempt, error):
    problem = f"{type(error).__name__}: {error}"[:250]
    if attempt <= len(RETRY_DELAYS):
        delay = RETRY_DELAYS[attempt - 1]
        send_answer.using(run_after=timezone.now() + delay).enqueue(question.pk, attempt + 1)
        note = f"attempt {attempt} failed, next in {delay} ({problem})"
    else:
        note = f"gave up after {attempt} attempts ({problem})"
    log.warning("answer to question %s not sent: %s", question.pk, note)
    Question.objects.filter(pk=question.pk).update(mail_error=note[:300])


def queue_answer(question):
    """Send the answer once the editor's change is committed (a rollback sends nothing)."""
    if question.awaits_mail:
        transaction.on_commit(lambda: send_answer.enqueue(question.pk))


@task()
def purge_personal_data():
    """Forget addresses and readers' own words once they are no longer needed; daily."""
    try:
        return forget_expired()
    finally:
        schedule_purge(after=PURGE_EVERY)


def forget_expired(now=None):
    return Question.objects.past_keeping(now).update(email="", original_text="", visitor="")


def schedule_purge(after=timedelta(0), using="default"):
    """Queue the daily purge unless one is waiting (called on migrate and by the purge)."""
    waiting = DBTaskResult.objects.using(using).filter(
        status=TaskResultStatus.READY, task_path=purge_personal_data.module_path
    )
    if not waiting.exists():
        purge_personal_data.using(run_after=timezone.now() + after).enqueue()
