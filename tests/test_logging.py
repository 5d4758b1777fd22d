"""Logs a person can read: one line per event with its time, level, logger and request id, the
same id in the response and in gunicorn's access line, refusals without a traceback, and
nothing printed twice."""

import http.client
import io
import logging
import re
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from .factories import make_guide
from .servers import database_env, free_port, gunicorn

LINE = re.compile(
    r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (?P<level>[A-Z]+) (?P<logger>[\w.]+) "
    r"\[req=(?P<id>[^\]]+)\] (?P<message>.*)"
)
ACCESS_LINE = re.compile(r" \d+ms req=\w+$")
MISSING = "/no/such/page/"


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory):
    """A production server with its access log on, as `make serve` runs it."""
    with gunicorn(tmp_path_factory.mktemp("logging"), GUNICORN_ACCESS_LOG="-") as server:
        yield server


@pytest.fixture
def console():
    """What the console handler of settings.LOGGING prints during the test."""
    handler = next(h for h in logging.getLogger().handlers if h.name == "console")
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def request_id(headers):
    return next(value for key, value in headers if key.lower() == "x-request-id")


def lines_of(server, since, request_id):
    """The log's lines since offset `since`, once gunicorn has written the request's access
    line (it does so after sending the response), but for other requests' access lines: the
    server's last readiness check may have its line written after the fixture saw the answer."""
    deadline = time.monotonic() + 10
    while True:
        lines = server.log_lines(since)
        if any(line.endswith(f"ms req={request_id}") for line in lines):
            return [
                line
                for line in lines
                if not ACCESS_LINE.search(line) or line.endswith(f"ms req={request_id}")
            ]
        if time.monotonic() > deadline:
            raise AssertionError(f"no access line for {request_id}:\n" + "\n".join(lines))
        time.sleep(0.05)


def test_a_log_line_has_time_level_logger_and_the_request_id_sent_back(server):
    before = len(server.log())
    status, headers, _ = server.get(MISSING)
    sent_back = request_id(headers)
    lines = lines_of(server, before, sent_back)

    assert status == 404
    assert re.fullmatch(r"[0-9a-f]{32}", sent_back)
    assert len(lines) == 2
    line = LINE.fullmatch(lines[0])
    assert line["level"] == "WARNING"
    assert line["logger"] == "django.request"
    assert line["id"] == sent_back
    assert line["message"] == f"Not Found: {MISSING}"
    # gunicorn's access line: when, who, what, status, bytes, how long, which request.
    assert re.fullmatch(
        rf'\[[^]]+\] 127\.0\.0\.1 "GET {MISSING} HTTP/1\.1" 404 \d+ \d+ms req={sent_back}',
        lines[1],
    )


@pytest.mark.parametrize("cookie", [None, "seen=1"])
def test_a_wrong_host_is_one_line_without_a_traceback_and_sets_no_cookie(server, cookie):
    before = len(server.log())
    status, headers, body = server.get(
        "/", {"Host": "evil.example", **({"Cookie": cookie} if cookie else {})}
    )
    lines = lines_of(server, before, request_id(headers))

    assert status == 400
    assert "couldn't understand that request" in body
    assert not [value for key, value in headers if key.lower() == "set-cookie"]
    # The refusal, then its access line.
    assert len(lines) == 2
    line = LINE.fullmatch(lines[0])
    assert (line["level"], line["logger"]) == ("ERROR", "django.security.DisallowedHost")
    assert line["message"].startswith("Invalid HTTP_HOST header: 'evil.example'.")
    assert " 400 " in lines[1]


@pytest.mark.parametrize(
    "incoming, kept",
    [
        ("lb-7f3a.9e1c", True),
        ("Root=1-67891233-abcdef012345678912345678", True),
        ("x" * 65, False),
        ("forged\n2026-12-02 10:15:02,123 INFO django.request [req=1] All is well", False),
        ('"quoted" id', False),
    ],
)
def test_a_request_id_from_the_proxy_is_kept_only_if_short_and_plain(client, incoming, kept):
    response = client.get("/healthz", headers={"X-Request-ID": incoming})
    if kept:
        assert response["X-Request-ID"] == incoming
    else:
        assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_django_log_level_sets_the_level_of_every_logger():
    code = (
        "import django, logging; django.setup(); "
        "print(*(logging.getLogger(name).getEffectiveLevel() "
        "for name in ('', 'django', 'django.request', 'django.security.DisallowedHost')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={
            **database_env(),
            "DJANGO_SETTINGS_MODULE": "guides_site.settings",
            "DJANGO_LOG_LEVEL": "ERROR",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["40"] * 4, result.stderr


def test_in_development_each_line_is_printed_once(django_db_setup, tmp_path):
    port, log_path = free_port(), tmp_path / "runserver.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=settings.BASE_DIR,
            env={**database_env(), "DJANGO_DEBUG": "true"},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while True:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                conn.request("GET", MISSING)
                assert conn.getresponse().status == 404
                break
            except OSError:
                assert process.poll() is None and time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.2)
            finally:
                conn.close()
    finally:
        process.terminate()
        process.wait(timeout=30)
    lines = log_path.read_text().splitlines()

    # Django's request warning, and runserver's line for the request.
    for text in (f"Not Found: {MISSING}", f'"GET {MISSING} HTTP/1.1" 404'):
        printed = [line for line in lines if text in line]
        assert len(printed) == 1, lines
        assert LINE.fullmatch(printed[0]), printed


def forged_admin_lookup(admin_client):
    return admin_client.get("/admin/auth/user/?password__startswith=p")


def oversized_admin_form(admin_client):
    # Within the admin's body limit, beyond what Django reads into memory.
    return admin_client.post("/admin/guides/guide/add/", {"title": "x" * 3_000_000})


def file_sent_to_a_public_form(admin_client):
    make_guide()
    receipt = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4")
    return Client().post("/acme/refund/ask/", {"text": "Where is my refund?", "receipt": receipt})


def missing_csrf_token(admin_client):
    return Client(enforce_csrf_checks=True).post("/acme/refund/vote/", {"helpful": "yes"})


@pytest.mark.django_db
@pytest.mark.parametrize(
    "send, status, logger",
    [
        (forged_admin_lookup, 400, "django.security.DisallowedModelAdminLookup"),
        (oversized_admin_form, 400, "django.security.RequestDataTooBig"),
        (file_sent_to_a_public_form, 400, "django.security.TooManyFilesSent"),
        (missing_csrf_token, 403, "django.security.csrf"),
    ],
)
def test_expected_refusals_are_one_line_without_a_traceback(
    admin_client, console, send, status, logger
):
    response = send(admin_client)
    lines = console.getvalue().splitlines()

    assert response.status_code == status
    assert len(lines) == 1, lines
    assert LINE.fullmatch(lines[0])["logger"] == logger
