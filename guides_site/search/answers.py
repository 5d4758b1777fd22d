"""Instant answers: while a reader types a follow-up question, and after they send it, the
guides and the published answers that may already answer it."""

from django.contrib import messages

from . import text
from .results import find

GUIDES = 3
QUESTIONS = 3
# Published answers read per guide to look for words in common: the newest, enough to find
# the useful ones without reading a long history at every keystroke.
QUESTIONS_READ = 50


def instant_answers(question_text, guide):
    """(guides, questions) that may answer a question asked on this guide's page."""
    query = " ".join(text.words(question_text)[: text.MAX_QUERY_TERMS])
    if len(query) < 3:
        return [], []
    guides = [g for g in find(query, guide.language, limit=GUIDES + 1).guides if g.pk != guide.pk]
    wanted = set(text.stems(query, guide.language))
    candidates = []
    for source in [guide, *guides]:
        published = source.questions.published().select_related("guide__company")
        candidates += published.order_by("-answered_at")[:QUESTIONS_READ]
    scored = []
    for question in candidates:
        shared = len(wanted & set(text.stems(question.text, guide.language)))
        if shared >= min(2, len(wanted)):
            scored.append((shared, question.answered_at, question))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    return guides[:GUIDES], [question for *_, question in scored[:QUESTIONS]]


def instant_answers_context(question_text, guide):
    guides, questions = instant_answers(question_text, guide)
    return {"answer_guides": guides, "answer_questions": questions}


MESSAGE_TAG = "instant-answers"


def remember_instant_answers(request, question_text, guide):
    """For the page the reader is sent back to without JavaScript: the answers' ids, in a
    message (never the question's text, which may hold personal details)."""
    guides, questions = instant_answers(question_text, guide)
    if guides or questions:
        ids = f"{','.join(str(g.pk) for g in guides)};{','.join(str(q.pk) for q in questions)}"
        messages.info(request, ids, extra_tags=MESSAGE_TAG)


def answers_from_messages(messages_list):
    """The guides and questions a remembered message names, still published."""
    from guides_site.guides.models import Guide
    from guides_site.questions.models import Question

    for message in messages_list:
        if MESSAGE_TAG not in message.tags:
            continue
        guide_ids, _, question_ids = str(message.message).partition(";")
        guides = Guide.objects.published().filter(pk__in=_ids(guide_ids))
        questions = Question.objects.published().filter(pk__in=_ids(question_ids))
        return {
            "answer_guides": list(guides.select_related("company")),
            "answer_questions": list(questions.select_related("guide__company")),
        }
    return {}


def _ids(text):
    return [int(part) for part in text.split(",") if part.isdigit()][: GUIDES + QUESTIONS]
