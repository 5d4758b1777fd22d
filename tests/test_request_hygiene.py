"""Bodies no page takes (too big, in another charset, with a file) are refused with a short
4xx and one log line, before they are read, and nothing is stored; the admin still takes its
big forms."""

import contextlib
import http.client
import socket

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from guides_site.guides.models import Step
from guides_site.questions.models import Question

from .factories import guide_form_data, make_guide, visit
from .servers import csrf_headers, gunicorn

pytestmark = pytest.mark.django_db

ASK = "/acme/refund/ask/"
QUESTION = "Does this work for annual plans?"
UTF16_FORM = "application/x-www-form-urlencoded; charset=utf-16"
REFUSED = "couldn't understand that request"


@pytest.fixture(scope="module")
def server(django_db_setup, tmp_path_factory):
    with gunicorn(tmp_path_factory.mktemp("hygiene")) as server:
        yield server


def post_and_read_the_answer(server, path, body, headers):
    """(status, page) of a POST, read even if the server answers before the body is sent and
    then stops reading it (gunicorn closes the connection), where http.client gives up."""
    head = [f"POST {path} HTTP/1.1", f"Host: 127.0.0.1:{server.port}"]
    head += [f"Content-Length: {len(body)}"]
    head += [f"{name}: {value}" for name, value in headers.items()]
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(body)
        response = http.client.HTTPResponse(sock)
        response.begin()
        return response.status, response.read().decode()


def test_a_form_in_utf16_gets_a_400_and_nothing_is_stored(client):
    make_guide()
    visit(client)
    response = client.generic("POST", ASK, f"text={QUESTION}".encode("utf-16"), UTF16_FORM)
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert not response.cookies
    assert Question.objects.count() == 0


def test_a_form_that_says_it_is_utf8_as_htmx_does_is_taken(client):
    make_guide()
    visit(client)
    response = client.generic(
        "POST",
        ASK,
        f"text={QUESTION}".encode(),
        "application/x-www-form-urlencoded; charset=UTF-8",
    )
    assert response.status_code == 302
    assert Question.objects.get().text == QUESTION


def test_a_file_sent_to_a_public_form_is_refused(client):
    make_guide()
    visit(client)
    receipt = SimpleUploadedFile("receipt.pdf", b"%PDF-1.4 a small receipt")
    response = client.post(ASK, {"text": QUESTION, "receipt": receipt})
    assert response.status_code == 400
    assert REFUSED in response.content.decode()
    assert Question.objects.count() == 0


def test_an_editor_still_saves_a_guide_of_a_hundred_long_steps(admin_client):
    guide = make_guide(steps=100)
    long_steps = [
        (s.pk, f"Step {s.position}. " + "Say this. " * 100, s.position) for s in guide.steps.all()
    ]
    data = guide_form_data(guide, steps=long_steps)
    response = admin_client.post(f"/admin/guides/guide/{guide.pk}/change/", data)
    assert response.status_code == 302
    assert Step.objects.get(guide=guide, position=100).body_md.startswith("Step 100. Say this.")


@pytest.mark.django_db(transaction=True)
def test_under_gunicorn_a_utf16_form_is_a_400_in_one_log_line(server):
    make_guide()
    headers = {**csrf_headers(server, "/acme/refund/"), "Content-Type": UTF16_FORM}
    before = len(server.log())
    status, _, body = server.request("POST", ASK, f"text={QUESTION}".encode("utf-16"), headers)
    lines = server.log_lines(before)

    assert status == 400
    assert REFUSED in body
    assert len(lines) == 1
    assert lines[0].endswith(f"Bad Request (charset utf-16): {ASK}")
    assert Question.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_under_gunicorn_a_20_mb_file_gets_a_413_unread_in_one_log_line(server):
    make_guide()
    headers = {**csrf_headers(server, "/acme/refund/"), "Content-Type": MULTIPART_CONTENT}
    receipt = SimpleUploadedFile("receipt.pdf", b"x" * (20 * 1024 * 1024))
    body = encode_multipart(BOUNDARY, {"text": QUESTION, "receipt": receipt})
    before = len(server.log())
    status, page = post_and_read_the_answer(server, ASK, body, headers)
    lines = server.log_lines(before)

    assert status == 413
    assert REFUSED in page
    assert len(lines) == 1
    assert "Request Entity Too Large (" in lines[0] and lines[0].endswith(ASK)
    assert Question.objects.count() == 0
