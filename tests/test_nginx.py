"""deploy/nginx.conf in front of real gunicorn servers: Debian's nginx, on loopback.

Skipped where nginx is missing, a failure where REQUIRE_SERVERS is set (CI)."""

import re
import socket
from contextlib import ExitStack, contextmanager
from io import StringIO

import pytest
from django.core.management import call_command

from .factories import acme_tree
from .servers import (
    NGINX,
    UNVERIFIED_TLS,
    Browser,
    gunicorn,
    nginx_server,
    skip_unless_installed,
)

pytestmark = pytest.mark.django_db(transaction=True)

GUIDE = "/acme/refund/"
SECRET = "nginx-test-secret-key-" + "x" * 40


@contextmanager
def nginx(tmp_path, app_ports):
    """nginx_server() in front of `app_ports`: its HTTPS port."""
    skip_unless_installed(NGINX, "nginx")
    with nginx_server(tmp_path / "nginx", app_ports) as port:
        yield port


def reader(port, address="127.0.0.1"):
    """One reader's browser through nginx, from a loopback address of its own choosing."""
    return Browser(port=port, tls=True, address=address)


def vote(browser):
    browser.get(GUIDE)
    return browser.post(GUIDE + "vote/", {"helpful": "yes"})[0]


def app(tmp_path, stack, **env):
    return stack.enter_context(
        gunicorn(
            tmp_path,
            DJANGO_SECRET_KEY=SECRET,
            DJANGO_HTTPS="true",
            SITE_URL="https://127.0.0.1",
            DJANGO_TRUSTED_PROXIES="127.0.0.1",
            GUNICORN_ACCESS_LOG="-",
            **env,
        )
    )


def import_acme(tmp_path):
    call_command("import_content", str(acme_tree(tmp_path / "content")), stdout=StringIO())


def slow_client(port, request):
    """A TLS connection that sends the start of a request, then nothing."""
    sock = UNVERIFIED_TLS.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10))
    sock.sendall(request)
    return sock


def test_slow_clients_do_not_delay_a_normal_reader_compressed_html(tmp_path):
    import_acme(tmp_path)
    with ExitStack() as stack:
        server = app(tmp_path, stack, workers=1)
        port = stack.enter_context(nginx(tmp_path, [server.port]))
        slow = []
        for number in range(64):
            start = (
                b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Ag"
                if number % 2
                else b"POST /acme/refund/vote/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Length: 4000\r\n\r\nhelpful=y"
            )
            slow.append(stack.enter_context(slow_client(port, start)))
        status, headers, html, seconds = reader(port).get("/", {"Accept-Encoding": "gzip"})
        assert seconds < 2
        assert status == 200
        assert dict(headers)["Content-Encoding"] == "gzip"
        assert "</html>" in html  # decompressed by the browser


def test_static_files_are_served_by_nginx_with_immutable_caching(tmp_path):
    import_acme(tmp_path)
    with ExitStack() as stack:
        server = app(tmp_path, stack)
        port = stack.enter_context(nginx(tmp_path, [server.port]))
        html = reader(port).get(GUIDE)[2]
        css = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html).group(1)

        status, headers, _css, _s = reader(port).get(css, {"Accept-Encoding": "gzip"})

        assert status == 200
        assert "immutable" in dict(headers)["Cache-Control"]
        assert dict(headers)["Content-Encoding"] == "gzip"
        assert GUIDE in server.log() and css not in server.log()


def test_the_address_nginx_saw_reaches_the_rate_limits_whatever_a_client_claims(tmp_path):
    import_acme(tmp_path)
    with ExitStack() as stack:
        server = app(
            tmp_path,
            stack,
            DJANGO_RATE_LIMITS="vote=30/60",
            DJANGO_ADDRESS_RATE_LIMITS="vote=3/60",
            VOTES_PER_NETWORK_PER_GUIDE_PER_DAY="1000",
        )
        port = stack.enter_context(nginx(tmp_path, [server.port]))
        statuses = []
        for number in range(4):
            browser = reader(port, "127.0.0.2")
            browser.get(GUIDE)
            forged = {"X-Forwarded-For": f"203.0.113.{number}"}
            statuses.append(browser.post(GUIDE + "vote/", {"helpful": "yes"}, forged)[0])

        assert statuses == [302, 302, 302, 429]
        assert vote(reader(port, "127.0.0.3")) == 302


def test_two_app_servers_behind_one_nginx_share_votes(tmp_path):
    import_acme(tmp_path)
    with ExitStack() as stack:
        first, second = app(tmp_path, stack), app(tmp_path, stack)
        port = stack.enter_context(nginx(tmp_path, [first.port, second.port]))

        assert vote(reader(port)) == 302
        pages = [reader(port).get(GUIDE)[2] for _ in range(4)]

        assert all("1 reader answered" in page for page in pages)
        assert f'"GET {GUIDE}' in first.log() and f'"GET {GUIDE}' in second.log()
