"""Real app servers for tests: gunicorn processes on loopback, sharing the test database."""

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


def database_env():
    """Environment variables that point a server process at the test database."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return {"SQLITE_PATH": db["NAME"], "DATABASE_URL": ""}
    password = f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else ""
    return {"DATABASE_URL": f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
                            f"{db['PORT'] or 5432}/{db['NAME']}"}


def production_env(**overrides):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_HTTPS": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_RATE_LIMITS": "off",
        **database_env(),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(overrides)
    return env


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, port, log_path):
        self.port = port
        self.log_path = log_path

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
        return self.log_path.read_text(errors="replace")


@contextmanager
def gunicorn(tmp_path, workers=2, threads=2, **env):
    """A gunicorn server with production settings; stopped on exit."""
    port = free_port()
    log_path = tmp_path / f"gunicorn-{port}.log"
    environment = production_env(GUNICORN_BIND=f"127.0.0.1:{port}",
                                 GUNICORN_WORKERS=str(workers),
                                 GUNICORN_THREADS=str(threads), **env)
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", "guides_site/gunicorn.conf.py",
             "guides_site.wsgi"], cwd=settings.BASE_DIR, env=environment,
            stdout=log, stderr=subprocess.STDOUT,
        )
    server = Server(port, log_path)
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
        process.wait(timeout=30)


def csrf_headers(server, path):
    """Headers for a POST as a browser that has loaded `path` would send them."""
    status, headers, body = server.get(path)
    cookie = next(v for k, v in headers if k.lower() == "set-cookie" and "csrftoken=" in v)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    return {"Cookie": cookie.split(";")[0], "X-CSRFToken": token,
            "Content-Type": "application/x-www-form-urlencoded"}
