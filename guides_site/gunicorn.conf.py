"""gunicorn settings for production: `gunicorn -c guides_site/gunicorn.conf.py guides_site.wsgi`.

Each value can be overridden from the environment.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Pages spend part of their time waiting on the database: two workers per core, each with a
# few threads, keep the CPUs busy without running out of memory.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"
keepalive = 5
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20
# Restart workers now and then, so that a slow leak can never take a server down; rarely, as a
# restarted worker starts with none of the pages it kept (page_cache.LocalCopies, and on
# SQLite the whole cache), and its readers' connections wait for it. At 20,000 requests, a
# busy server restarted one of its workers every few seconds (bench/README.md).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 1_000_000))
max_requests_jitter = max_requests // 10
preload_app = True
# No access log unless GUNICORN_ACCESS_LOG names one ("-" for stdout, as `make serve` does).
# Each line: client, request line, status, bytes, duration and the request id that the
# application's own log lines carry.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%(t)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms req=%({x-request-id}o)s'
errorlog = "-"
# The TLS-terminating proxy in front sets X-Forwarded-Proto; trust it from these addresses.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# The task worker (answers by e-mail, the daily purge) runs beside the web server unless the
# operator runs `manage.py db_worker` elsewhere (RUN_TASK_WORKER=false). gunicorn starts and
# stops it, so one TERM to gunicorn stops both, after the worker finishes its current task.
run_task_worker = os.environ.get("RUN_TASK_WORKER", "true").lower() not in ("false", "0", "no")
_task_worker = None


def when_ready(server):
    global _task_worker
    if run_task_worker:
        import subprocess
        import sys
        from pathlib import Path

        manage = Path(__file__).resolve().parent.parent / "manage.py"
        command = [sys.executable, str(manage), "db_worker", "--no-reload", "--interval", "2"]
        _task_worker = subprocess.Popen(command)  # noqa: S603 (our own manage.py, no shell)
        server.log.info("Started the task worker (pid %s)", _task_worker.pid)


def on_exit(server):
    import subprocess

    if _task_worker is not None and _task_worker.poll() is None:
        _task_worker.terminate()
        try:
            _task_worker.wait(timeout=graceful_timeout)
        except subprocess.TimeoutExpired:
            _task_worker.kill()
