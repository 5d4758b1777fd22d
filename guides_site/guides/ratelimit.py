"""Per-client limits on the POSTs anyone can send: votes, step answers, questions, logins.

A fixed window counted in the cache: with Redis every app server shares the count; with the
local-memory cache each process counts alone, which still stops a flood.
"""

import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render


def client_address(request):
    address = request.META.get("REMOTE_ADDR", "")
    if address in settings.TRUSTED_PROXIES:
        # The nearest address our own proxies did not add is the client's.
        hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
        for hop in reversed(hops):
            if hop and hop not in settings.TRUSTED_PROXIES:
                return hop
    return address


def allow(scope, request):
    """Count this request; False once the client is over the scope's limit."""
    limit = settings.RATE_LIMITS.get(scope)
    if limit is None:
        return True
    count, seconds = limit
    window = int(time.time() // seconds)
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    if cache.add(key, 1, seconds + 1):
        return True
    try:
        return cache.incr(key) <= count
    except ValueError:  # the window expired between add and incr
        cache.set(key, 1, seconds + 1)
        return True


def rate_limited(scope):
    """Refuse POSTs over the limit: a friendly 429 page, or for htmx a message in place."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method == "POST" and not allow(scope, request):
                return too_many_requests(request, scope)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def too_many_requests(request, scope):
    seconds = settings.RATE_LIMITS[scope][1]
    context = {"minutes": max(1, seconds // 60)}
    if getattr(request, "htmx", False):
        # htmx does not swap a 4xx answer, so the message comes with a 200.
        return render(request, "includes/_too_many.html", context)
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response
