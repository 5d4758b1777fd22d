"""Real app servers for tests: gunicorn processes on loopback, sharing the test database."""

import functools
import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from urllib.parse import quote

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
                if server.get("/robots.txt")[0] == 200:
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
    """Headers for a POST as a browser that has loaded `path` would send them."""
    status, headers, body = server.get(path)
    cookie = next(v for k, v in headers if k.lower() == "set-cookie" and "csrftoken=" in v)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    return {
        "Cookie": cookie.split(";")[0],
        "X-CSRFToken": token,
        "Content-Type": "application/x-www-form-urlencoded",
    }
