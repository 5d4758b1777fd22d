"""What a reader over a limit sees: how long to wait, and that nothing they sent was lost."""

from django.conf import settings
from django.shortcuts import render


def minutes_to_wait(seconds):
    return max(1, -(-seconds // 60))


def login_locked_out(request, credentials, *args, **kwargs):
    """django-axes' answer once a username or an address has failed too many logins: the
    friendly 429 page."""
    seconds = int(settings.AXES_COOLOFF_TIME.total_seconds())
    response = render(request, "429.html", {"minutes": minutes_to_wait(seconds)}, status=429)
    response["Retry-After"] = str(seconds)
    return response
