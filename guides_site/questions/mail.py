"""The e-mail that takes an editor's answer to the reader who asked."""

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from guides_site.guides.seo import absolute_url

_ERASE_SALT = "questions.erase"


def erase_token(question):
    return signing.dumps(question.pk, salt=_ERASE_SALT, compress=True)


def question_from_token(token):
    """The question's id in a signed erase link; signing.BadSignature if it was altered."""
    return signing.loads(token, salt=_ERASE_SALT)


def answer_message(question):
    """The e-mail in the guide's language: the question, the answer, links to the guide and
    to erase the reader's details."""
    guide = question.guide
    with translation.override(guide.language):
        erase_url = absolute_url(reverse("erase_details", args=[erase_token(question)]))
        context = {
            "question": question,
            "guide": guide,
            "guide_url": absolute_url(guide.get_absolute_url()),
            "erase_url": erase_url,
            "site_name": settings.SITE_NAME,
        }
        subject = render_to_string("questions/email/answer_subject.txt", context).strip()
        body = render_to_string("questions/email/answer.txt", context)
    return EmailMessage(
        subject=" ".join(subject.splitlines()),  # a header is one line
        body=body,
        to=[question.email],
        headers={
            # Mail clients offer their own "unsubscribe" button for this link (RFC 2369).
            "List-Unsubscribe": f"<{erase_url}>",
            "Auto-Submitted": "auto-generated",
        },
    )
