"""Who sent a request: the client's address, and the network it belongs to."""

import ipaddress

from django.conf import settings


def client_address(request):
    address = request.META.get("REMOTE_ADDR", "")
    if address in settings.TRUSTED_PROXIES:
        # The nearest address our own proxies did not add is the client's.
        hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
        for hop in reversed(hops):
            if hop and hop not in settings.TRUSTED_PROXIES:
                return hop
    return address


def client_address_of(request, credentials=None):
    """client_address as django-axes calls it."""
    return client_address(request)


def address_group(address):
    """What counts as one client address: an IPv4 address, or an IPv6 /64, since one
    household or small office is given a whole /64 and may use any address in it."""
    return _prefix(address, ipv4=32, ipv6=64)


def network(address):
    """The network a client address belongs to: its IPv4 /24 or IPv6 /64."""
    return _prefix(address, ipv4=24, ipv6=64)


def _prefix(address, *, ipv4, ipv6):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    prefix = ipv4 if ip.version == 4 else ipv6
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))
