"""Random tokens for every reader, from few calls to the system's random source.

A first visit needs about a hundred random characters: a CSRF secret and its mask, a visitor
id, a request id. Django draws each character of a CSRF token with a call of its own to
os.urandom (get_random_string), 64 calls a page, and each call releases the GIL: under
gunicorn's threads that cost more than the rest of a cached guide page (bench/README.md).
Here each thread takes 4 KB at a time from os.urandom and hands them out once each; a
forked process starts with none of its parent's.
"""

import os
import threading

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_CHUNK = 4096
_local = threading.local()
# Bytes below this map onto the 62 characters evenly (4 × 62 = 248); the others are dropped.
_EVEN_LIMIT = 256 - 256 % len(CSRF_ALLOWED_CHARS)
_UNEVEN = bytes(range(_EVEN_LIMIT, 256))
_TO_CHAR = bytes(ord(CSRF_ALLOWED_CHARS[byte % len(CSRF_ALLOWED_CHARS)]) for byte in range(256))
# Each character of a masked token, by the characters of the secret and of the mask at its place.
_MASKED = {
    (secret, mask): CSRF_ALLOWED_CHARS[(s + m) % len(CSRF_ALLOWED_CHARS)]
    for s, secret in enumerate(CSRF_ALLOWED_CHARS)
    for m, mask in enumerate(CSRF_ALLOWED_CHARS)
}


def random_bytes(count):
    buffer = getattr(_local, "buffer", b"")
    start = getattr(_local, "start", 0)
    if len(buffer) - start < count:
        buffer, start = os.urandom(max(_CHUNK, count)), 0
        _local.buffer = buffer
    _local.start = start + count
    return buffer[start : start + count]


def random_chars(count):
    """`count` characters drawn evenly from letters and digits."""
    chars = b""
    while len(chars) < count:
        chars += random_bytes(2 * count).translate(_TO_CHAR, _UNEVEN)
    return chars[:count].decode()


def csrf_token(request):
    """What django.middleware.csrf.get_token(request) returns and does (the reader's secret,
    kept or new, masked with a new mask; the cookie set or renewed), with its randomness
    from random_chars()."""
    secret = request.META.get("CSRF_COOKIE")
    if secret is None:
        secret = random_chars(CSRF_SECRET_LENGTH)
        request.META["CSRF_COOKIE"] = secret
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    mask = random_chars(CSRF_SECRET_LENGTH)
    return mask + "".join(map(_MASKED.__getitem__, zip(secret, mask, strict=True)))


def _forget():
    global _local
    _local = threading.local()


os.register_at_fork(after_in_child=_forget)
