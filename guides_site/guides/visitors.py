"""An anonymous, stable id per reader: one vote per reader per guide, no login.

It lives in a signed cookie, so reading it costs no database query and a forged value is
ignored. The guide and step pages give one to every reader who has none; a vote or a step
answer counts only from an id given that way, on an earlier page view, so that leaving the
cookie out cannot make a client a new reader at each vote.
"""

import uuid

from django.conf import settings

COOKIE_NAME = "visitor"
_SALT = "guides.visitor"
_MAX_AGE = 60 * 60 * 24 * 365 * 2


def visitor_id(request):
    return request.get_signed_cookie(COOKIE_NAME, default=None, salt=_SALT, max_age=_MAX_AGE)


def ensure_visitor_id(request):
    """The reader's id, or a new one that remember_visitor() will give them."""
    existing = visitor_id(request)
    if existing:
        return existing
    request.new_visitor_id = uuid.uuid4().hex
    return request.new_visitor_id


def remember_visitor(request, response):
    new_id = getattr(request, "new_visitor_id", None)
    if new_id:
        response.set_signed_cookie(
            COOKIE_NAME,
            new_id,
            salt=_SALT,
            max_age=_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


def give_visitor_id(request, response):
    """On a page view: give a reader without a valid visitor cookie their id."""
    if not request.COOKIES.get(COOKIE_NAME) or visitor_id(request) is None:
        ensure_visitor_id(request)
        remember_visitor(request, response)
    return response
