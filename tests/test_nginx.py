"""deploy/nginx.conf in front of real gunicorn servers: Debian's nginx, on loopback.

Skipped where nginx is missing, a failure where REQUIRE_SERVERS is set (CI)."""

import gzip
import http.client
import os
import re
import socket
import ssl
import subprocess
import time
from contextlib import ExitStack, contextmanager
from http.cookies import SimpleCookie
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from .factories import acme_tree
from .servers import free_port, gunicorn

pytestmark = pytest.mark.django_db(transaction=True)

GUIDE = "/acme/refund/"
NGINX = "/usr/sbin/nginx"
SECRET = "nginx-test-secret-key-" + "x" * 40


def render(template, **values):
    """deploy/nginx.conf with each @NAME@ replaced, as the README's sed does."""
    for name, value in values.items():
        template = template.replace(f"@{name}@", value)
    assert "@" not in re.sub(r"#.*", "", template), "a placeholder was left"
    return template


@contextmanager
def nginx(tmp_path, app_ports):
    if not os.access(NGINX, os.X_OK):
        message = "This test needs nginx (apt-get install nginx)."
        if os.environ.get("REQUIRE_SERVERS"):
            pytest.fail(message + " REQUIRE_SERVERS is set, so this is a failure.")
        pytest.skip(message)
    prefix = tmp_path / "nginx"
    prefix.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=127.0.0.1", "-keyout", str(prefix / "key.pem")]
        + ["-out", str(prefix / "cert.pem")],
        check=True,
        capture_output=True,
    )
    port = free_port()
    site = render(
        (Path(settings.BASE_DIR) / "deploy/nginx.conf").read_text(),
        SERVER_NAME="127.0.0.1",
        APP_SERVERS=" ".join(f"server 127.0.0.1:{app};" for app in app_ports),
        STATIC_ROOT=str(settings.BASE_DIR / "staticfiles"),
        TLS_CERTIFICATE=str(prefix / "cert.pem"),
        TLS_CERTIFICATE_KEY=str(prefix / "key.pem"),
        HTTPS_LISTEN=f"127.0.0.1:{port}",
        HTTP_LISTEN=f"127.0.0.1:{free_port()}",
    )
    (prefix / "site.conf").write_text(site)
    # The main context Debian's /etc/nginx/nginx.conf would give, in a folder of the test's own.
    user = "user root;" if os.geteuid() == 0 else ""
    temp = (
        "".join(
            f"{kind}_temp_path {prefix}/{kind};" for kind in ("client_body", "proxy", "fastcgi")
        )
        + f"uwsgi_temp_path {prefix}/uwsgi; scgi_temp_path {prefix}/scgi;"
    )
    (prefix / "nginx.conf").write_text(
        f"{user} worker_processes 1; pid {prefix}/nginx.pid; error_log {prefix}/error.log;"
        f"events {{ worker_connections 1024; }}"
        f"http {{ include /etc/nginx/mime.types; access_log {prefix}/access.log; {temp}"
        f"include {prefix}/site.conf; }}"
    )
    log = open(prefix / "stderr.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "nginx did not start: " + (prefix / "stderr.log").read_text()
                    ) from None
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


TLS = ssl.create_default_context()
TLS.check_hostname = False
TLS.verify_mode = ssl.CERT_NONE


class Reader:
    """One reader's browser through nginx, from a loopback address of its own choosing."""

    def __init__(self, port, address="127.0.0.1"):
        self.port, self.address, self.cookies, self.token = port, address, {}, None

    def request(self, method, path, body=None, headers=None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["X-CSRFToken"] = self.token
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        conn = http.client.HTTPSConnection(
            "127.0.0.1", self.port, timeout=30, context=TLS, source_address=(self.address, 0)
        )
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', data)
        if found:
            self.token = found.group(1).decode()
        return response.status, response.msg, data

    def vote(self):
        self.request("GET", GUIDE)
        return self.request("POST", GUIDE + "vote/", "helpful=yes")[0]


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
    sock = TLS.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10))
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
        started = time.monotonic()
        status, headers, body = Reader(port).request(
            "GET", "/", headers={"Accept-Encoding": "gzip"}
        )
        assert time.monotonic() - started < 2
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert b"</html>" in gzip.decompress(body)


def test_static_files_are_served_by_nginx_with_immutable_caching(tmp_path):
    import_acme(tmp_path)
    with ExitStack() as stack:
        server = app(tmp_path, stack)
        port = stack.enter_context(nginx(tmp_path, [server.port]))
        html = Reader(port).request("GET", GUIDE)[2]
        css = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html).group(1).decode()

        status, headers, _ = Reader(port).request("GET", css, headers={"Accept-Encoding": "gzip"})

        assert status == 200
        assert "immutable" in headers["Cache-Control"]
        assert headers["Content-Encoding"] == "gzip"
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
            reader = Reader(port, "127.0.0.2")
            reader.request("GET", GUIDE)
            forged = {"X-Forwarded-For": f"203.0.113.{number}"}
            statuses.append(reader.request("POST", GUIDE + "vote/", "helpful=yes", forged)[0])

        assert statuses == [302, 302, 302, 429]
        assert Reader(port, "127.0.0.3").vote() == 302


def test_two_app_servers_behind_one_nginx_share_votes(tmp_path):
    import_acme(tmp_path)
    with ExitStack() as stack:
        first, second = app(tmp_path, stack), app(tmp_path, stack)
        port = stack.enter_context(nginx(tmp_path, [first.port, second.port]))

        assert Reader(port).vote() == 302
        pages = [Reader(port).request("GET", GUIDE)[2] for _ in range(4)]

        assert all(b"100% of 1 reader found this helpful" in page for page in pages)
        assert f'"GET {GUIDE}' in first.log() and f'"GET {GUIDE}' in second.log()
