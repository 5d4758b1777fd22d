"""What a reader over a limit sees: how long to wait, and that nothing they sent was lost."""

from django.shortcuts import render


def minutes_to_wait(seconds):
    return max(1, -(-seconds // 60))


def too_many_requests(request, seconds, *, partial="includes/_too_many.html", context=None):
    """A friendly 429 page, or for htmx (which does not swap a 4xx) the message in place."""
    context = {"minutes": minutes_to_wait(seconds), **(context or {})}
    if getattr(request, "htmx", False):
        return render(request, partial, context)
    response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(seconds)
    return response


def login_locked_out(request, credentials, *args, **kwargs):
    """django-axes' answer once a username or an address has failed too many logins."""
    from django.conf import settings

    return too_many_requests(request, int(settings.AXES_COOLOFF_TIME.total_seconds()))
