"""How much one reader, one client address and one network may send.

Each scope (vote, step_answer, question) has a limit per reader, counted by their signed
visitor cookie, and a looser one per client address (an IPv4 address or an IPv6 /64), so
that readers sharing an address are not one reader. Only accepted submissions count: a
view asks `refusal()` before it stores anything and calls `record()` once it has, so an
empty or invalid form is never a strike. Failed admin logins are django-axes' (settings).
"""

from django.conf import settings

from . import counters
from .addresses import address_group, client_address, network


def _limited_keys(scope, request, visitor):
    """[(key, (count, seconds))] that this submission counts against."""
    keys = []
    reader_limit = settings.RATE_LIMITS.get(scope)
    if reader_limit and visitor:
        keys.append((f"rl:{scope}:reader:{visitor}", reader_limit))
    address_limit = settings.ADDRESS_RATE_LIMITS.get(scope)
    if address_limit and settings.RATE_LIMITS:
        keys.append((f"rl:{scope}:address:{address_group(client_address(request))}", address_limit))
    return keys


def _windowed(keys):
    windowed = []
    for key, (count, seconds) in keys:
        number, remaining = counters.window(seconds)
        windowed.append((f"{key}:{seconds}:{number}", count, seconds, remaining))
    return windowed


def refusal(scope, request, visitor):
    """Seconds until this reader may send again in this scope, or None if they may now."""
    windowed = _windowed(_limited_keys(scope, request, visitor))
    found = counters.counts([key for key, *_ in windowed])
    waits = [remaining for key, count, _s, remaining in windowed if found[key] >= count]
    return max(waits) if waits else None


def record(scope, request, visitor):
    """Count an accepted submission."""
    windowed = _windowed(_limited_keys(scope, request, visitor))
    counters.hit([(key, seconds) for key, _count, seconds, _remaining in windowed])


def _network_vote_key(request, guide_id):
    day, _remaining = counters.window(24 * 60 * 60)
    return f"rl:new-vote:{guide_id}:{network(client_address(request))}:{day}"


def network_may_vote(request, guide_id):
    """Whether one more reader of this client's network may give this guide a first vote
    today."""
    if not settings.RATE_LIMITS:
        return True
    key = _network_vote_key(request, guide_id)
    return counters.counts([key])[key] < settings.VOTES_PER_NETWORK_PER_GUIDE_PER_DAY


def record_network_vote(request, guide_id):
    if settings.RATE_LIMITS:
        counters.hit([(_network_vote_key(request, guide_id), 24 * 60 * 60)])
