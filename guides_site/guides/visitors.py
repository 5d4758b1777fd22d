"""An anonymous, stable id per reader: one vote per reader per guide, no login.

It lives in a signed cookie, so reading it costs no database query and a forged value is
ignored. It is only set when a reader first votes, answers or asks.
"""

import uuid

COOKIE_NAME = "visitor"
_SALT = "guides.visitor"
_MAX_AGE = 60 * 60 * 24 * 365 * 2


def visitor_id(request):
    return request.get_signed_cookie(COOKIE_NAME, default=None, salt=_SALT, max_age=_MAX_AGE)


def ensure_visitor_id(request):
    existing = visitor_id(request)
    if existing:
        return existing
    request.new_visitor_id = uuid.uuid4().hex
    return request.new_visitor_id


def remember_visitor(request, response):
    new_id = getattr(request, "new_visitor_id", None)
    if new_id:
        from django.conf import settings

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
