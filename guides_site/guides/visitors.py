"""An anonymous, stable id per reader: one vote per reader per guide, no login.

It lives in a signed cookie, so reading it costs no database query and a forged value is
ignored. The guide and step pages give one to every reader who has none; a vote or a step
answer counts only from an id given that way, on an earlier page view, so that leaving the
cookie out cannot make a client a new reader at each vote.
"""

import contextlib
import functools

from django.conf import settings
from django.core import signing

from .tokens import random_bytes

COOKIE_NAME = "visitor"
_SALT = "guides.visitor"
_MAX_AGE = 60 * 60 * 24 * 365 * 2


def visitor_id(request):
    """The reader's id from their cookie, or None; checked once per request."""
    try:
        return request._visitor_id
    except AttributeError:
        pass
    value = request.COOKIES.get(COOKIE_NAME)
    found = None
    if value:
        with contextlib.suppress(signing.BadSignature):  # forged, or too old: a new reader
            found = _signer(settings.SECRET_KEY).unsign(value, max_age=_MAX_AGE)
    request._visitor_id = found
    return found


def ensure_visitor_id(request):
    """The reader's id, or a new one that remember_visitor() will give them."""
    existing = visitor_id(request)
    if existing:
        return existing
    request.new_visitor_id = random_bytes(16).hex()
    return request.new_visitor_id


@functools.lru_cache(maxsize=4)
def _signer(secret_key):
    # The signer set_signed_cookie and get_signed_cookie would make, made once per key
    # instead of on every page view, where it cost more than the rest of the cookie.
    return signing.get_cookie_signer(salt=COOKIE_NAME + _SALT)


def remember_visitor(request, response):
    new_id = getattr(request, "new_visitor_id", None)
    if new_id:
        # What set_signed_cookie(max_age=…) sets, but for Expires, which browsers ignore
        # when Max-Age is given, and whose date formatting cost as much as the signature.
        response.cookies[COOKIE_NAME] = _signer(settings.SECRET_KEY).sign(new_id)
        cookie = response.cookies[COOKIE_NAME]
        cookie["max-age"] = _MAX_AGE
        cookie["path"] = "/"
        cookie["httponly"] = True
        cookie["samesite"] = "Lax"
        if settings.SESSION_COOKIE_SECURE:
            cookie["secure"] = True
    return response


def give_visitor_id(request, response):
    """On a page view: give a reader without a valid visitor cookie their id."""
    if visitor_id(request) is None:
        ensure_visitor_id(request)
        remember_visitor(request, response)
    return response
