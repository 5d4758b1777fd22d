"""Real app servers for tests: gunicorn processes on loopback, sharing the test database."""

import functools
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from http.cookies import SimpleCookie
from urllib.parse import quote, urlencode

import pytest
from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.test import override_settings

from guides_site.guides.visitors import COOKIE_NAME, visitor_id


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
        "DJANGO_RATE_LIMITS": "off",
        **overrides,
    }


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
        deadline = time.monotonic() + 30
        while True:
            try:
                if server.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not start:\n" + server.log())
            time.sleep(0.2)
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
    """A redis-server of the test's own, on a free port: it can be stopped, hung and resumed
    without touching any other Redis on the machine."""

    def __init__(self, tmp_path):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.log_path = tmp_path / f"redis-{self.port}.log"
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
        deadline = time.monotonic() + 10
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1) as sock:
                    sock.sendall(b"PING\r\n")
                    if sock.recv(16).startswith(b"+PONG"):
                        return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("redis-server did not start")
            time.sleep(0.05)

    def stop(self):
        self.process.kill()
        self.process.wait(timeout=10)

    def hang(self):
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)


@contextmanager
def redis_server(tmp_path):
    """A started RedisServer, gone on exit. Without redis-server, the test is skipped, or
    fails where REQUIRE_SERVERS is set (CI)."""
    if shutil.which("redis-server") is None:
        message = "This test needs redis-server (apt-get install redis-server)."
        if os.environ.get("REQUIRE_SERVERS"):
            pytest.fail(message + " REQUIRE_SERVERS is set, so this is a failure.")
        pytest.skip(message)
    server = RedisServer(tmp_path).start()
    try:
        yield server
    finally:
        server.resume()
        if server.process.poll() is None:
            server.stop()


class Browser:
    """One reader's browser against a test server: its own cookies, and the CSRF token of
    the last page it opened, sent as htmx sends it."""

    def __init__(self, server, timeout=30):
        self.server = server
        self.timeout = timeout
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
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=self.timeout)
        started = time.monotonic()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            conn.close()
        for header in response.msg.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
        if found:
            self.token = found.group(1)
        return response.status, response.getheaders(), text, time.monotonic() - started

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, form, headers=None):
        return self.request("POST", path, form, headers=headers)
