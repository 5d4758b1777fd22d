"""The release step, once per deploy, and `make serve`, which only runs gunicorn."""

import http.client
import os
import re
import signal
import subprocess
import time
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from guides_site.guides.models import Guide

from .factories import acme_tree
from .servers import collect_static, free_port, production_env

pytestmark = pytest.mark.django_db(transaction=True)


def test_release_migrates_collects_static_files_and_imports_the_content(tmp_path, settings):
    settings.CONTENT_DIR = acme_tree(tmp_path / "content")
    settings.STATIC_ROOT = tmp_path / "static"

    out = StringIO()
    call_command("release", stdout=out)

    assert [line for line in out.getvalue().splitlines() if line.startswith("== ")] == [
        "== migrate",
        "== collectstatic",
        "== import_content",
        "== rebuild_search_index",
    ]
    assert (tmp_path / "static/css/site.css").is_file()
    assert Guide.objects.filter(company__slug="acme", slug="refund").exists()


def answers(port):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/healthz")
        return conn.getresponse().status == 200
    except OSError:
        return False
    finally:
        conn.close()


def task_worker_pid(log_path):
    deadline = time.monotonic() + 20
    while not (found := re.search(r"Started the task worker \(pid (\d+)\)", log_path.read_text())):
        assert time.monotonic() < deadline, log_path.read_text()
        time.sleep(0.2)
    return int(found.group(1))


def process_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie has exited; it only waits for its parent to read its status.
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


def test_a_term_to_make_serve_stops_gunicorn_and_its_task_worker(tmp_path):
    collect_static()
    port = free_port()
    env = production_env("serve-test-" + "k" * 40, GUNICORN_BIND=f"127.0.0.1:{port}")
    env.update(GUNICORN_WORKERS="1", GUNICORN_ACCESS_LOG="", RUN_TASK_WORKER="true")
    with open(tmp_path / "serve.log", "w") as log:
        make = subprocess.Popen(
            ["make", "--no-print-directory", "serve"],
            cwd=settings.BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # so that the TERM below reaches make alone
        )
    try:
        deadline = time.monotonic() + 30
        while not answers(port):
            assert make.poll() is None and time.monotonic() < deadline, (
                tmp_path / "serve.log"
            ).read_text()
            time.sleep(0.2)

        worker = task_worker_pid(tmp_path / "serve.log")
        assert process_alive(worker)

        make.send_signal(signal.SIGTERM)

        deadline = time.monotonic() + 30
        while answers(port) or process_alive(worker):
            assert time.monotonic() < deadline, "still running after make got a TERM"
            time.sleep(0.2)
        make.wait(timeout=30)
    finally:
        if make.poll() is None:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait(timeout=10)
