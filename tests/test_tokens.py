"""Readers' tokens come from few calls to the system's random source, and are as good as
Django's own: a CSRF token of its own per reader, accepted by Django's CSRF protection."""

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS, _unmask_cipher_token
from django.test import RequestFactory

from guides_site.guides import tokens


def test_random_chars_are_letters_and_digits_of_the_length_asked():
    drawn = [tokens.random_chars(32) for _ in range(500)]
    assert all(len(chars) == 32 and set(chars) <= set(CSRF_ALLOWED_CHARS) for chars in drawn)
    assert len(set(drawn)) == 500


def test_every_letter_and_digit_comes_about_as_often():
    text = tokens.random_chars(62 * 2000)
    counts = [text.count(char) for char in CSRF_ALLOWED_CHARS]
    assert min(counts) > 1600 and max(counts) < 2400  # 2000 each, ± 9 standard deviations


def test_random_bytes_are_never_handed_out_twice_across_refills():
    seen = [tokens.random_bytes(16) for _ in range(2000)]  # several 4 KB chunks
    assert len(set(seen)) == 2000


def test_a_csrf_token_masks_the_readers_secret_with_a_new_mask_each_time():
    request = RequestFactory().get("/")
    first, second = tokens.csrf_token(request), tokens.csrf_token(request)
    secret = request.META["CSRF_COOKIE"]

    assert first != second and len(first) == len(second) == 64
    assert _unmask_cipher_token(first) == _unmask_cipher_token(second) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"]


def test_a_reader_who_has_a_csrf_cookie_keeps_its_secret():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = "a" * 32
    assert _unmask_cipher_token(tokens.csrf_token(request)) == "a" * 32


def test_a_forked_process_never_hands_out_its_parents_bytes():
    tokens.random_bytes(1)  # the parent has a chunk in hand
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.write(write_end, tokens.random_bytes(64))
        os._exit(0)
    os.waitpid(pid, 0)
    child = os.read(read_end, 64)
    os.close(read_end)
    os.close(write_end)
    assert child != tokens.random_bytes(64)
