"""Breadcrumbs and structured data (JSON-LD) for search engines."""

from html import unescape

from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _


def absolute_url(path):
    """The address of a page on the site as readers reach it (settings.SITE_URL), whatever
    Host header the request came with."""
    return settings.SITE_URL + path


def breadcrumbs(*crumbs):
    """[(name, url)] from the home page down to the current page."""
    return [(_("Home"), reverse("home")), *crumbs]


def breadcrumb_list(crumbs):
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": str(name),
                "item": absolute_url(url),
            }
            for position, (name, url) in enumerate(crumbs, start=1)
        ],
    }


def how_to(guide, steps):
    data = {
        "@context": "https://schema.org",
        "@type": "HowTo",
        "name": guide.title,
        "inLanguage": guide.language,
        "url": absolute_url(guide.get_absolute_url()),
        "datePublished": guide.published.isoformat(),
        # Text only (url and position are optional; the list's order is the steps' order): a
        # 100-step guide would otherwise carry 200 more fields in the head of every view.
        "step": [{"@type": "HowToStep", "text": _plain_text(step.body_html)} for step in steps],
    }
    if guide.summary:
        data["description"] = guide.summary
    if guide.updated:
        data["dateModified"] = guide.updated.isoformat()
    if guide.author:
        data["author"] = {"@type": "Person", "name": guide.author}
    return data


def qa_page(questions):
    return {
        "@context": "https://schema.org",
        "@type": "QAPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": q.text[:110],
                "text": q.text,
                "dateCreated": q.created.isoformat(),
                "answerCount": 1,
                "acceptedAnswer": {
                    "@type": "Answer",
                    "text": q.answer,
                    "dateCreated": (q.answered_at or q.created).isoformat(),
                },
            }
            for q in questions
        ],
    }


def _plain_text(html):
    return " ".join(unescape(strip_tags(html)).split())
