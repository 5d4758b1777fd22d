"""Real servers for tests: gunicorn processes on loopback, sharing the test database, and
the nginx and Redis in front of and beside them. bench/run.py starts its nginx and Redis
with the same code, so nothing here needs Django's settings at import time."""

import functools
import gzip
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.test import override_settings

from guides_site.guides.visitors import COOKIE_NAME, visitor_id

# The repository: settings.BASE_DIR, known here without Django's settings (bench/run.py).
ROOT = Path(__file__).resolve().parent.parent
NGINX = "/usr/sbin/nginx"  # Debian's
# For a client of the servers here, which have self-signed certificates.
UNVERIFIED_TLS = ssl.create_default_context()
UNVERIFIED_TLS.check_hostname = False
UNVERIFIED_TLS.verify_mode = ssl.CERT_NONE


def database_env():
    """This process's environment, pointed at the database the running test uses."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "SQLITE_PATH", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        env["SQLITE_PATH"] = str(database["NAME"])
    elif connection.vendor == "postgresql":
        user = quote(database.get("USER") or "", safe="")
        if database.get("PASSWORD"):
            user += ":" + quote(database["PASSWORD"], safe="")
        host = quote(database.get("HOST") or "localhost", safe="")
        port = database.get("PORT") or 5432
        env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{quote(database['NAME'])}"
    else:
        raise RuntimeError(f"no way to share a {connection.vendor} database with a process")
    return env


# gunicorn's own lines about starting and stopping, e.g. "[2026-12-02 10:15:02 +0000] [42] [INFO]".
GUNICORN_NOTE = re.compile(r"\[[^]]+\] \[\d+\] \[INFO\] ")


def production_env(secret, **overrides):
    return {
        **database_env(),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secret,
        "DJANGO_HTTPS": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "EMAIL_HOST": "127.0.0.1",
        "RUN_TASK_WORKER": "false",
        "DJANGO_RATE_LIMITS": "off",
        **overrides,
    }


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_ready(process, describe, ready, timeout=10):
    """Return once ready() is true for the freshly started `process` (an OSError from it
    counts as not yet); RuntimeError(describe()) if the process ends first or `timeout`
    seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            if ready():
                return
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(describe())
        time.sleep(0.05)


def wait_until_listening(port, process, describe, timeout=10):
    """wait_until_ready() for a connection accepted on the loopback `port`."""

    def accepts():
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True

    wait_until_ready(process, describe, accepts, timeout)


def skip_unless_installed(program, package):
    """Skip the test where `program` (a name on PATH, or a path) is missing, or fail it
    where REQUIRE_SERVERS is set (CI)."""
    if shutil.which(program) is None:
        message = f"This test needs {program} (apt-get install {package})."
        if os.environ.get("REQUIRE_SERVERS"):
            pytest.fail(message + " REQUIRE_SERVERS is set, so this is a failure.")
        pytest.skip(message)


class Server:
    def __init__(self, port, log_path, secret):
        self.port = port
        self.log_path = log_path
        self.secret = secret

    def request(self, method, path, body=None, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return response.status, response.getheaders(), response.read().decode()
        finally:
            conn.close()

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def log(self):
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def log_lines(self, since=0):
        """The log's lines from offset `since` on, without gunicorn's notes on its workers."""
        return [line for line in self.log()[since:].splitlines() if not GUNICORN_NOTE.match(line)]

    def visitor(self, cookie_value):
        """The visitor id in a `visitor` cookie this server signed (None if not valid)."""
        request = HttpRequest()
        request.COOKIES[COOKIE_NAME] = cookie_value
        with override_settings(SECRET_KEY=self.secret):
            return visitor_id(request)


@functools.cache
def collect_static():
    """Production settings serve hashed static files, listed by collectstatic's manifest."""
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput"],
        cwd=settings.BASE_DIR,
        env=production_env(secrets.token_urlsafe(50)),
        check=True,
        capture_output=True,
    )


@contextmanager
def gunicorn(tmp_path, workers=2, threads=2, **env):
    """A gunicorn server with production settings on the test database; stopped on exit."""
    collect_static()
    port, secret = free_port(), secrets.token_urlsafe(50)
    log_path = tmp_path / f"gunicorn-{port}.log"
    environment = production_env(
        secret,
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS=str(workers),
        GUNICORN_THREADS=str(threads),
        **env,
    )
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "-c",
                "guides_site/gunicorn.conf.py",
                "guides_site.wsgi",
            ],
            cwd=settings.BASE_DIR,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = Server(port, log_path, secret)
    try:
        wait_until_ready(
            process,
            lambda: "gunicorn did not start:\n" + server.log(),
            lambda: server.get("/healthz")[0] == 200,
            timeout=30,
        )
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def csrf_headers(server, path):
    """Headers for a POST as a browser that has loaded `path` would send them: the cookies
    the page set (CSRF and visitor) and the page's CSRF token."""
    status, headers, body = server.get(path)
    cookies = [v.split(";")[0] for k, v in headers if k.lower() == "set-cookie"]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    return {
        "Cookie": "; ".join(cookies),
        "X-CSRFToken": token,
        "Content-Type": "application/x-www-form-urlencoded",
    }


class RedisServer:
    """A redis-server of its own, on a free port: it can be stopped, hung and resumed
    without touching any other Redis on the machine. Started by start() or `with`; gone at
    the end of the `with`."""

    def __init__(self, folder):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_path = folder / f"redis-{self.port}.log"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--logfile",
                str(self.log_path),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_ready(self.process, lambda: "redis-server did not start", self.answers)
        except RuntimeError:
            self.stop()
            raise
        return self

    def answers(self):
        with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")

    def stop(self):
        self.process.kill()
        self.process.wait(timeout=10)

    def hang(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.resume()
        if self.process.poll() is None:
            self.stop()


@contextmanager
def redis_server(tmp_path):
    """A started RedisServer, gone on exit. Without redis-server, the test is skipped, or
    fails where REQUIRE_SERVERS is set (CI)."""
    skip_unless_installed("redis-server", "redis-server")
    with RedisServer(tmp_path) as server:
        yield server


def render_nginx_conf(template, **values):
    """deploy/nginx.conf with each @NAME@ replaced, as the README's sed does."""
    for name, value in values.items():
        template = template.replace(f"@{name}@", value)
    assert "@" not in re.sub(r"#.*", "", template), "a placeholder was left"
    return template


@contextmanager
def nginx_server(prefix, app_ports, access_log=True):
    """Debian's nginx with deploy/nginx.conf in front of the app servers on loopback
    `app_ports`, with a self-signed certificate, in the folder `prefix` (made here, and
    holding its logs): its HTTPS port. Stopped on exit."""
    prefix.mkdir()
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=127.0.0.1", "-keyout", str(prefix / "key.pem")]
        + ["-out", str(prefix / "cert.pem")],
        check=True,
        capture_output=True,
    )
    port = free_port()
    site = render_nginx_conf(
        (ROOT / "deploy/nginx.conf").read_text(),
        SERVER_NAME="127.0.0.1",
        APP_SERVERS=" ".join(f"server 127.0.0.1:{app};" for app in app_ports),
        STATIC_ROOT=str(ROOT / "staticfiles"),
        TLS_CERTIFICATE=str(prefix / "cert.pem"),
        TLS_CERTIFICATE_KEY=str(prefix / "key.pem"),
        HTTPS_LISTEN=f"127.0.0.1:{port}",
        HTTP_LISTEN=f"127.0.0.1:{free_port()}",
    )
    (prefix / "site.conf").write_text(site)
    # The main context Debian's /etc/nginx/nginx.conf would give, in a folder of its own.
    user = "user root;" if os.geteuid() == 0 else ""
    temp = " ".join(
        f"{kind}_temp_path {prefix}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    access = f"access_log {prefix}/access.log;" if access_log else "access_log off;"
    (prefix / "nginx.conf").write_text(
        f"{user} worker_processes 1; pid {prefix}/nginx.pid; error_log {prefix}/error.log;"
        f" events {{ worker_connections 1024; }} http {{ include /etc/nginx/mime.types;"
        f" {access} {temp} include {prefix}/site.conf; }}"
    )
    log = open(prefix / "stderr.log", "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [NGINX, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-g", "daemon off;"],
        stdin=subprocess.DEVNULL,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_listening(
            port, process, lambda: "nginx did not start: " + (prefix / "stderr.log").read_text()
        )
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


class Browser:
    """One reader's browser against a test server (or any loopback `port`): its own cookies,
    and the CSRF token of the last page it opened, sent as htmx sends it. With `tls`, over
    HTTPS (through nginx_server()), its POSTs carrying the Referer that Django's CSRF check
    wants over HTTPS; `address` is the loopback address it connects from. A gzip body is
    decompressed, as a browser does."""

    def __init__(self, server=None, timeout=30, *, port=None, tls=False, address="127.0.0.1"):
        self.port = server.port if server is not None else port
        self.timeout = timeout
        self.tls = tls
        self.address = address
        self.cookies = {}
        self.token = None

    def request(self, method, path, form=None, headers=None):
        """(status, headers, body, seconds taken)."""
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            if self.token:
                headers["X-CSRFToken"] = self.token
            if self.tls:
                headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        connection, tls = (
            (http.client.HTTPSConnection, {"context": UNVERIFIED_TLS})
            if self.tls
            else (http.client.HTTPConnection, {})
        )
        conn = connection(
            "127.0.0.1", self.port, timeout=self.timeout, source_address=(self.address, 0), **tls
        )
        started = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        seconds = time.monotonic() - started
        if response.getheader("Content-Encoding") == "gzip":
            data = gzip.decompress(data)
        text = data.decode("utf-8", errors="replace")
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if found:
            self.token = found.group(1)
        return response.status, response.getheaders(), text, seconds

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, form, headers=None):
        return self.request("POST", path, form, headers=headers)
