"""The benchmark: one run, everything measured side by side, one table, a budget.

    make bench                   # or: .venv/bin/python bench/run.py [--guides N] [--seconds S]

It builds a fresh database (SQLite, or DATABASE_URL), imports the sample content plus a
generated corpus, starts gunicorn with production settings on loopback, drives it with wrk
(or a small Python client where wrk is missing) and prints throughput, latency, SQL queries
and page weight, then checks each line of the budget. See bench/README.md.
"""

import argparse
import gzip
import http.client
import json
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from urllib.parse import quote_plus

import brotli

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))
from corpus import (  # noqa: E402
    GUIDES_PER_COMPANY,
    HUNDRED_STEPS,
    TEN_STEPS,
    company_names,
    draw_words,
    write_corpus,
)

# nginx, Redis and the wait for a port come from the tests' code (the development group).
from tests.servers import (  # noqa: E402
    NGINX,
    RedisServer,
    free_port,
    nginx_server,
    wait_until_ready,
)

CEILING = "static file (ceiling)"
FIRST_VISITS = ("guide (10 steps)", "guide (100 steps)")
RETURNING = "10 steps, with cookies"
SEARCH = "search (600 queries)"
NEW_SEARCHES = "search, new queries"
BUDGET = {
    "guide_throughput_share": 0.50,
    # The embedded default is held higher: it has no server round trip to pay.
    "guide_throughput_share_sqlite": 0.60,
    "returning_share": 0.40,
    "guide_queries": 6,
    "guide_weight_bytes": 30 * 1024,
    "reimport_share": 0.05,
    "import_peak_mb": 150,
    "search_share_of_company": 0.50,
    "growth_ratio": 3.0,
    "home_bytes": 100 * 1024,
}


def production_env(workdir):
    env = dict(os.environ)
    # A deployed site runs from compiled bytecode; some machines' environments turn writing
    # it off, and each import process would then compile every module it loads.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(
        {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_HTTPS": "false",
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SITE_URL": "http://127.0.0.1:8000",
            "EMAIL_HOST": "127.0.0.1",
            "RUN_TASK_WORKER": "false",
            "DJANGO_RATE_LIMITS": "off",
            "DJANGO_SETTINGS_MODULE": "guides_site.settings",
        }
    )
    if not env.get("DATABASE_URL"):
        env["SQLITE_PATH"] = str(workdir / "bench.sqlite3")
    env["SEARCH_PAGES_DIR"] = str(workdir / "search-pages")
    return env


def manage(env, *args):
    subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def probe_import(env, corpus):
    out = subprocess.run(
        [PYTHON, "bench/import_probe.py", str(corpus)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def reset_database(env):
    if env.get("DATABASE_URL"):
        manage(env, "flush", "--noinput")
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(env["SQLITE_PATH"] + suffix).unlink(missing_ok=True)
    manage(env, "migrate", "--noinput")


class Server:
    """gunicorn with production settings, on a free loopback port."""

    def __init__(self, env, log_path):
        self.port = free_port()
        self.env = dict(env, GUNICORN_BIND=f"127.0.0.1:{self.port}")
        # A file, not a pipe: a pipe nobody reads would stop the server once it is full.
        self.log_path = log_path
        self.process = None

    def __enter__(self):
        with open(self.log_path, "w") as log:
            self.process = subprocess.Popen(
                [
                    PYTHON,
                    "-m",
                    "gunicorn",
                    "-c",
                    "guides_site/gunicorn.conf.py",
                    "guides_site.wsgi",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        try:
            wait_until_ready(
                self.process,
                lambda: "gunicorn did not start: " + Path(self.log_path).read_text(),
                lambda: self.get("/")[0] == 200,
                timeout=30,
            )
        except RuntimeError:
            self.process.kill()
            raise
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=20)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def get(self, path, headers=None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        headers = dict(response.getheaders())
        # Every cookie the response set, not only the last header of that name.
        headers["Set-Cookie"] = ", ".join(response.msg.get_all("Set-Cookie") or [])
        return response.status, headers, body

    def post(self, path, body, headers):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.request("POST", path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        conn.close()
        return response.status, dict(response.getheaders()), data


def csrf_pair(server, path):
    """The cookies a page gives a new reader (CSRF and visitor), as one Cookie header, and
    the CSRF token that goes with them, as a browser would have them."""
    status, headers, body = server.get(path)
    found = {
        name: re.search(rf"{name}=([^;]+)", headers.get("Set-Cookie", ""))
        for name in ("csrftoken", "visitor")
    }
    if not all(found.values()):
        raise RuntimeError(f"{path} gave a new reader {status} without its cookies: {headers}")
    cookie = "; ".join(match.group(0) for match in found.values())
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    return cookie, token


def run_wrk(url, seconds, connections, script=None, headers=None):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    if script:
        command += ["-s", str(script)]
    output = subprocess.run(command + [url], check=True, capture_output=True, text=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": rps,
        "p50": latency.get("50", "?"),
        "p99": latency.get("99", "?"),
        "errors": int(errors.group(1)) if errors else 0,
    }


def run_python_client(server, path, seconds, connections, method="GET", body=None, headers=None):
    """A keep-alive client in threads, for machines without wrk. Slower than wrk: the
    ratios it reports are what matter."""
    latencies, errors, stop = [], [0], time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        while time.monotonic() < stop:
            started = time.perf_counter()
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            response.read()
            latencies.append(time.perf_counter() - started)
            if response.status >= 400:
                errors[0] += 1

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies.sort()

    def pct(p):
        return f"{latencies[int(len(latencies) * p) - 1] * 1000:.2f}ms" if latencies else "?"

    return {"rps": len(latencies) / seconds, "p50": pct(0.5), "p99": pct(0.99), "errors": errors[0]}


def measure_queries(env, paths):
    """SQL queries per page: cold (empty cache) and warm, in a process of its own."""
    code = """
import json, os, sys, django
django.setup()
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment
setup_test_environment()
client, result = Client(), {}
cache.clear()
for path in sys.argv[1:]:
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        counts.append(len(queries))
    result[path] = counts
print(json.dumps(result))
"""
    out = subprocess.run(
        [PYTHON, "-c", code, *paths], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def page_weight(server, path):
    """Bytes of the page with its CSS and JS: as sent uncompressed, gzip and brotli."""
    _, _, html = server.get(path)
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js))"', html)
    bodies = [html] + [server.get(asset.decode())[2] for asset in assets]
    return {
        "raw": sum(len(body) for body in bodies),
        "gzip": sum(len(gzip.compress(body)) for body in bodies),
        "brotli": sum(len(brotli.compress(body)) for body in bodies),
        "assets": [asset.decode() for asset in assets],
    }


def static_checks(server, guide_path):
    _, _, html = server.get(guide_path)
    css = re.search(rb'href="(/static/css/site\.[0-9a-f]{12}\.css)"', html)
    checks = {"hashed": bool(css)}
    if css:
        path = css.group(1).decode()
        _, headers, _ = server.get(path, {"Accept-Encoding": "br"})
        checks["brotli"] = headers.get("Content-Encoding") == "br"
        _, headers, _ = server.get(path, {"Accept-Encoding": "gzip"})
        checks["gzip"] = headers.get("Content-Encoding") == "gzip"
        checks["immutable"] = "immutable" in headers.get("Cache-Control", "")
    return checks


def conditional_check(server, path):
    """A browser that has the page asks again: 304 while nothing changed."""
    cookie, _token = csrf_pair(server, path)
    _, headers, _ = server.get(path, {"Cookie": cookie})
    status, _, _ = server.get(path, {"Cookie": cookie, "If-None-Match": headers.get("ETag", "")})
    return status


def freshness_check(server, env, path):
    """After a vote and after an edit, the next page view shows them."""

    def stats():
        _, _, body = server.get(path)
        # "3 readers answered" below 5 votes, "80% of 12 readers found this helpful" from 5.
        match = re.search(rb"(?:of )?([\d,]+) readers? (?:found|answered)", body)
        return int(match.group(1).replace(b",", b"")) if match else 0, body

    before, _ = stats()
    cookie, token = csrf_pair(server, path)
    server.post(
        path + "vote/",
        "helpful=yes",
        {
            "Cookie": cookie,
            "X-CSRFToken": token,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    after_vote, _ = stats()
    marker = f"Edited by the benchmark {secrets.token_hex(4)}."
    company, slug = path.strip("/").split("/")
    code = (
        "import django; django.setup();"
        "from guides_site.guides.models import Step;"
        f"s = Step.objects.get(guide__company__slug='{company}', guide__slug='{slug}',"
        f" guide__language='en', position=1); s.body_md = '{marker}'; s.save()"
    )
    subprocess.run([PYTHON, "-c", code], cwd=ROOT, env=env, check=True)
    _, body = stats()
    return after_vote == before + 1, marker.encode() in body


def summarise(runs, ceiling_runs):
    """A target's median run, and its median share of the ceiling measured in the same
    rounds."""
    shares = sorted(
        run["rps"] / ceiling["rps"] for run, ceiling in zip(runs, ceiling_runs, strict=True)
    )
    median = sorted(runs, key=lambda run: run["rps"])[len(runs) // 2]
    return {
        **median,
        "share": shares[len(shares) // 2],
        "errors": sum(run["errors"] for run in runs),
        "rounds": [run["rps"] for run in runs],
    }


def search_queries(guides, seed=14):
    """Varied searches a reader could type against the corpus: a company and a word, a
    misspelt company, two words, a word being typed, in both languages; 600 distinct ones.
    Words are drawn as often as the corpus has them (bench/corpus.py), so most searches
    match a few guides and some, of its most common words, thousands."""
    names = company_names(max(1, -(-guides // GUIDES_PER_COMPANY)))
    rng = random.Random(seed)
    paths = []
    for number in range(600):
        language = "fr" if number % 3 == 2 else "en"
        company = rng.choice(names)
        word, other = draw_words(rng, language, 2)
        brand = company.split()[0].lower()
        cut = rng.randrange(1, len(brand) - 1)
        query = [
            f"{company} {word}",
            brand[:cut] + brand[cut + 1 :],  # one letter missed out
            f"{word} {other}",
            f"{word} {other[:3]}",
        ][number % 4]
        paths.append(("/fr/search/?q=" if language == "fr" else "/search/?q=") + quote_plus(query))
    return paths


def write_search_script(workdir, paths):
    """Each request of wrk's threads takes the next search of the mix."""
    script = workdir / "search.lua"
    listed = ",\n".join(f'  "{path}"' for path in paths)
    script.write_text(
        f"local paths = {{\n{listed}\n}}\n"
        "local n = 0\n"
        "request = function()\n"
        "  n = n + 1\n"
        '  return wrk.format("GET", paths[(n % #paths) + 1])\n'
        "end\n"
    )
    return script


def write_vote_script(workdir, path, cookie, token, referer):
    # The Referer: through the proxy the request is HTTPS, where Django's CSRF check wants one.
    script = workdir / "vote.lua"
    script.write_text(
        'wrk.method = "POST"\n'
        'wrk.body = "helpful=yes"\n'
        'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"\n'
        f'wrk.headers["Cookie"] = "{cookie}"\n'
        f'wrk.headers["X-CSRFToken"] = "{token}"\n'
        f'wrk.headers["Referer"] = "{referer}"\n'
        f'wrk.path = "{path}"\n'
    )
    return script


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guides", type=int, default=2000)
    parser.add_argument("--seconds", type=int, default=5, help="per target and round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--json", help="also write the results to this file")
    parser.add_argument(
        "--proxy",
        action="store_true",
        help="load the pages through deploy/nginx.conf (needs nginx and wrk); the ceiling is "
        "nginx serving the static file",
    )
    parser.add_argument(
        "--databases",
        help="run the whole benchmark once per configuration, in turn: sqlite (local-memory "
        "cache) and/or postgres (BENCH_POSTGRES_URL, by default the machine's PostgreSQL, "
        "with a Redis of its own on a free port), e.g. --databases sqlite,postgres",
    )
    parser.add_argument(
        "--growth",
        help="instead of the load test: for each of these corpus sizes in turn (e.g. "
        "2000,20000,100000), a fresh database and import, then the median time of a search, "
        "of the admin guide list and of the home page, one request at a time",
    )
    args = parser.parse_args()
    if args.databases:
        return run_each_configuration(args)
    if args.growth:
        return run_growth([int(size) for size in args.growth.split(",")], args.json)
    use_wrk = shutil.which("wrk") is not None
    if args.proxy and not (use_wrk and shutil.which(NGINX)):
        parser.error("--proxy needs nginx and wrk (apt-get install nginx wrk)")
    workdir = Path(tempfile.mkdtemp(prefix="guides-bench-"))
    env = production_env(workdir)
    results = {
        "date": date.today().isoformat(),
        "guides": args.guides,
        "client": "wrk" if use_wrk else "python",
        "load": f"{args.rounds} rounds of {args.seconds} s per target, "
        f"{args.connections} connections",
        "cpus": os.cpu_count(),
        "proxy": "nginx (deploy/nginx.conf)" if args.proxy else "none",
        "database": "postgres" if env.get("DATABASE_URL", "").startswith("postgres") else "sqlite",
        "cache": "redis" if env.get("REDIS_URL") else "local memory",
    }
    try:
        print(f"Generating {args.guides} guides…", flush=True)
        corpus = workdir / "content"
        write_corpus(corpus, guides=args.guides, include=ROOT / "content")
        reset_database(env)
        manage(env, "collectstatic", "--noinput", "--clear")
        print("Importing…", flush=True)
        results["import"] = probe_import(env, corpus)
        results["reimport"] = probe_import(env, corpus)

        guide10 = f"/{TEN_STEPS[0]}/{TEN_STEPS[1]}/"
        guide100 = f"/{HUNDRED_STEPS[0]}/{HUNDRED_STEPS[1]}/"
        pages = {
            "home": "/",
            "company": "/linkedin/",
            "guide (10 steps)": guide10,
            "guide (100 steps)": guide100,
        }
        results["queries"] = measure_queries(env, list(pages.values()))

        with Server(env, workdir / "gunicorn.log") as server:
            # The ceiling: a static file as large as the 100-step page, same server.
            _, _, body = server.get(guide100)
            static_dir = ROOT / "staticfiles" / "bench"
            static_dir.mkdir(parents=True, exist_ok=True)
            (static_dir / "page.html").write_bytes(body)
        with ExitStack() as stack:
            server = stack.enter_context(Server(env, workdir / "gunicorn.log"))
            base = server.url
            if args.proxy:
                # deploy/nginx.conf in front of the server; the ceiling is then nginx serving
                # the static file. No access log: writing it would be measured too.
                proxy = nginx_server(workdir / "nginx", [server.port], access_log=False)
                base = f"https://127.0.0.1:{stack.enter_context(proxy)}"
            cookie, token = csrf_pair(server, guide10)
            # Without cookies, every request is a reader's first visit (the budget's case);
            # a reader with cookies (who has voted, asked, or is an editor) is shown apart.
            targets = {
                CEILING: ("/static/bench/page.html", {}),
                **{name: (path, {}) for name, path in pages.items()},
                RETURNING: (guide10, {"Cookie": cookie}),
            }
            search_mix = search_queries(args.guides)
            search_script = write_search_script(workdir, search_mix) if use_wrk else None
            targets[SEARCH] = (search_mix[0], {})
            # Like every page above, measured warm: each search of the mix made once before
            # (a search is kept whole once made, search/views.py). What a search nobody made
            # before costs is the "search, new queries" line, after the rounds.
            print(f"Making each of the {len(search_mix)} searches once…", flush=True)
            for path in search_mix:
                server.get(path)
            # A page is rendered once per version and kept in each process: before the
            # rounds, a second of load on each target lets every worker make its pages, so
            # that no round measures a worker's first requests.
            print("Warming up every worker…", flush=True)
            for name, (path, headers) in targets.items():
                if use_wrk:
                    script = search_script if name == SEARCH else None
                    run_wrk(base + path, 1, args.connections, script, headers)
                else:
                    run_python_client(server, path, 1, args.connections, headers=headers)
            runs = {name: [] for name in targets}
            # Rounds interleave the targets, so that a change in the machine's load hits
            # them all alike; each share of the ceiling compares runs of the same round.
            for round_number in range(1, args.rounds + 1):
                for name, (path, headers) in targets.items():
                    print(f"Round {round_number}: loading {name}…", flush=True)
                    if use_wrk:
                        url = base + path
                        script = search_script if name == SEARCH else None
                        run = run_wrk(url, args.seconds, args.connections, script, headers)
                    else:
                        run = run_python_client(
                            server, path, args.seconds, args.connections, headers=headers
                        )
                    runs[name].append(run)
            throughput = {name: summarise(runs[name], runs[CEILING]) for name in targets}
            headers = {
                "Cookie": cookie,
                "X-CSRFToken": token,
                "Content-Type": "application/x-www-form-urlencoded",
            }
            print("Loading vote POST…", flush=True)
            if use_wrk:
                script = write_vote_script(
                    workdir, guide10 + "vote/", cookie, token, base + guide10
                )
                vote_run = run_wrk(base + guide10 + "vote/", args.seconds, args.connections, script)
            else:
                vote_run = run_python_client(
                    server,
                    guide10 + "vote/",
                    args.seconds,
                    args.connections,
                    "POST",
                    "helpful=yes",
                    headers,
                )
            throughput["vote POST"] = summarise([vote_run], runs[CEILING][-1:])
            if use_wrk:
                # Searches are kept whole once made (search/views.py): the mix above is
                # served from kept pages once its rounds come round again. This run's searches
                # are all new, none of them made before: what a search costs when nobody has
                # asked it in the last few minutes.
                print("Loading new searches…", flush=True)
                new_mix = write_search_script(workdir, search_queries(args.guides, seed=15))
                new_run = run_wrk(base + search_mix[0], args.seconds, args.connections, new_mix)
                throughput[NEW_SEARCHES] = summarise([new_run], runs[CEILING][-1:])
            results["throughput"] = throughput
            results["weight"] = {name: page_weight(server, path) for name, path in pages.items()}
            results["static"] = static_checks(server, guide10)
            results["conditional_status"] = conditional_check(server, guide10)
            results["fresh_votes"], results["fresh_content"] = freshness_check(server, env, guide10)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        shutil.rmtree(ROOT / "staticfiles" / "bench", ignore_errors=True)
    report(results)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0 if all(ok for _, ok in budget_lines(results)) else 1


POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/guides_bench"


def run_each_configuration(args):
    """This benchmark once per configuration of args.databases, each in a process of its own;
    0 if every configuration meets the budget."""
    names = args.databases.split(",")
    unknown = set(names) - {"sqlite", "postgres"}
    if unknown:
        sys.exit(f"--databases: unknown {', '.join(sorted(unknown))}; use sqlite, postgres")
    statuses = {}
    for name in names:
        argv = [
            *("--guides", str(args.guides), "--seconds", str(args.seconds)),
            *("--rounds", str(args.rounds), "--connections", str(args.connections)),
            *(["--proxy"] if args.proxy else []),
            *(["--growth", args.growth] if args.growth else []),
            *(["--json", f"{Path(args.json).with_suffix('')}-{name}.json"] if args.json else []),
        ]
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
        with ExitStack() as stack:
            if name == "postgres":
                env["DATABASE_URL"] = os.environ.get("BENCH_POSTGRES_URL", POSTGRES_URL)
                create_postgres_database(env["DATABASE_URL"])
                # A Redis of the configuration's own, its log in a folder gone afterwards.
                folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
                env["REDIS_URL"] = stack.enter_context(RedisServer(folder)).url
            print(f"\n==== {name} ====", flush=True)
            statuses[name] = subprocess.run([PYTHON, __file__, *argv], env=env).returncode
    print()
    for name, status in statuses.items():
        print(f"{name}: {'budget met' if status == 0 else 'budget NOT met'}")
    return 0 if not any(statuses.values()) else 1


def create_postgres_database(url):
    import psycopg

    base, _, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def budget_lines(results):
    worst_guide = min(results["throughput"][name]["share"] for name in FIRST_VISITS)
    warm_guide_queries = max(v[1] for k, v in results["queries"].items() if k.count("/") == 3)
    heaviest = max(w["brotli"] for k, w in results["weight"].items() if k.startswith("guide"))
    heaviest_gzip = max(w["gzip"] for k, w in results["weight"].items() if k.startswith("guide"))
    first, again = results["import"], results["reimport"]
    static = results["static"]
    search_share = results["throughput"][SEARCH]["rps"] / results["throughput"]["company"]["rps"]
    floor = BUDGET[
        "guide_throughput_share_sqlite"
        if results["database"] == "sqlite"
        else "guide_throughput_share"
    ]
    returning = results["throughput"][RETURNING]["share"]
    return [
        (
            f"guide page throughput (first visit) ≥ {floor:.0%} of the static ceiling "
            f"({results['database']}): {worst_guide:.0%}",
            worst_guide >= floor,
        ),
        (
            f"guide page for a reader with cookies ≥ {BUDGET['returning_share']:.0%} of the "
            f"static ceiling: {returning:.0%}",
            returning >= BUDGET["returning_share"],
        ),
        (
            f"guide page SQL queries ≤ {BUDGET['guide_queries']} (warm): {warm_guide_queries}",
            warm_guide_queries <= BUDGET["guide_queries"],
        ),
        (
            f"guide page with CSS and JS ≤ 30 KB compressed: {heaviest_gzip / 1024:.1f} KB gzip, "
            f"{heaviest / 1024:.1f} KB brotli",
            heaviest_gzip <= BUDGET["guide_weight_bytes"],
        ),
        (
            f"first import of {results['guides']:,} guides: peak memory under "
            f"{BUDGET['import_peak_mb']} MB: {first['peak_rss_mb']:.0f} MB",
            first["peak_rss_mb"] < BUDGET["import_peak_mb"],
        ),
        (
            f"an unchanged re-import at most {BUDGET['reimport_share']:.0%} of the first "
            f"import's time and less memory than it: {again['seconds'] / first['seconds']:.1%}, "
            f"{again['peak_rss_mb']:.0f} MB against {first['peak_rss_mb']:.0f} MB",
            again["seconds"] / first["seconds"] <= BUDGET["reimport_share"]
            and again["peak_rss_mb"] < first["peak_rss_mb"],
        ),
        (
            f"unchanged page answers a conditional request with 304: "
            f"{results['conditional_status']}",
            results["conditional_status"] == 304,
        ),
        (
            "static files hashed, gzip and brotli, immutable: "
            + ", ".join(f"{k} {'yes' if v else 'NO'}" for k, v in static.items()),
            all(static.values()) and len(static) == 4,
        ),
        (
            f"search at {results['guides']:,} guides (each search made once before): throughput ≥ "
            f"{BUDGET['search_share_of_company']:.0%} of the company page's: {search_share:.0%}",
            search_share >= BUDGET["search_share_of_company"],
        ),
        (
            "no stale vote count or content after a change",
            results["fresh_votes"] and results["fresh_content"],
        ),
    ]


def report(results):
    throughput = results["throughput"]
    print()
    print(
        f"Benchmark of {results['date']}: {results['guides']} generated guides + sample "
        f"content, {results['cpus']} CPUs, load by {results['client']}: {results['load']}; "
        f"{results['database']} with {results['cache']} cache; "
        f"proxy: {results['proxy']}; medians of the rounds"
    )
    print()
    print(
        f"{'target':<24}{'req/s':>9}{'of ceiling':>12}{'p50':>10}{'p99':>10}"
        f"{'errors':>8}{'SQL cold/warm':>15}   req/s by round"
    )
    for name, row in throughput.items():
        path_queries = ""
        queries = next((v for k, v in results["queries"].items() if _page_name(k) == name), None)
        if queries:
            path_queries = f"{queries[0]}/{queries[1]}"
        rounds = " / ".join(f"{rps:.0f}" for rps in row["rounds"])
        print(
            f"{name:<24}{row['rps']:>9.0f}{row['share']:>12.0%}{row['p50']:>10}"
            f"{row['p99']:>10}{row['errors']:>8}{path_queries:>15}   {rounds}"
        )
    print()
    print(f"{'page weight (HTML+CSS+JS)':<28}{'raw':>10}{'gzip':>10}{'brotli':>10}")
    for name, weight in results["weight"].items():
        print(f"{name:<28}{weight['raw']:>10,}{weight['gzip']:>10,}{weight['brotli']:>10,}")
    print()
    first, again = results["import"], results["reimport"]
    print(
        f"import of {first['summary']}: {first['seconds']:.1f} s, "
        f"peak memory {first['peak_rss_mb']:.0f} MB"
    )
    print(
        f"re-import, nothing changed ({again['summary']}): {again['seconds']:.2f} s, "
        f"peak memory {again['peak_rss_mb']:.0f} MB"
    )
    print()
    print("Budget")
    for line, ok in budget_lines(results):
        print(f"  {'PASS' if ok else 'FAIL'}  {line}")


ADMIN_USER = "bench-admin"
GROWTH_REPEATS = 15


def create_superuser(env):
    password = secrets.token_urlsafe(16)
    code = (
        "import django, sys; django.setup();"
        "from django.contrib.auth import get_user_model;"
        f"get_user_model().objects.create_superuser({ADMIN_USER!r}, 'bench@example.com', "
        "sys.argv[1])"
    )
    subprocess.run([PYTHON, "-c", code, password], cwd=ROOT, env=env, check=True)
    return password


def admin_login(server, password):
    """The Cookie header of an editor logged in through the admin's login form."""
    status, headers, body = server.get("/admin/login/")
    cookies = dict(re.findall(r"(csrftoken|visitor)=([^;]+)", headers["Set-Cookie"]))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = f"username={ADMIN_USER}&password={quote_plus(password)}"
    form += f"&csrfmiddlewaretoken={token}&next=/admin/"
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request(
        "POST",
        "/admin/login/",
        body=form,
        headers={
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    response = conn.getresponse()
    response.read()
    conn.close()
    for header in response.msg.get_all("Set-Cookie") or []:
        name, _, value = header.split(";")[0].partition("=")
        cookies[name] = value
    if response.status != 302 or "sessionid" not in cookies:
        raise RuntimeError(f"admin login failed: {response.status}")
    return "; ".join(f"{k}={v}" for k, v in cookies.items())


def timed_get(server, path, headers=None):
    started = time.perf_counter()
    status, _, body = server.get(path, headers)
    return time.perf_counter() - started, status, body


def median(values):
    ordered = sorted(values)
    return ordered[len(ordered) // 2]


def measure_growth(server, guides, password):
    """One client, one request at a time: each of the 600 searches once (so none is served
    from the results kept a minute), the admin guide list and the home page a few times."""
    searches, found, errors = [], 0, 0
    for path in search_queries(guides):
        seconds, status, body = timed_get(server, path)
        searches.append(seconds)
        errors += status != 200
        found += b'class="search-result"' in body
    cookie = admin_login(server, password)
    admin = []
    for _ in range(GROWTH_REPEATS):
        seconds, status, _ = timed_get(server, "/admin/guides/guide/", {"Cookie": cookie})
        admin.append(seconds)
        errors += status != 200
    home = [timed_get(server, "/")[0] for _ in range(GROWTH_REPEATS)]
    return {
        "search_ms": median(searches) * 1000,
        "search_p90_ms": sorted(searches)[int(len(searches) * 0.9)] * 1000,
        "search_found_share": found / len(searches),
        "admin_list_ms": median(admin) * 1000,
        "home_ms": median(home) * 1000,
        "home_bytes": page_weight(server, "/")["raw"],
        "errors": errors,
    }


def run_growth(sizes, json_path=None):
    """Each size in turn: corpus, fresh database, import, then measure_growth."""
    rows = []
    for number, guides in enumerate(sizes):
        workdir = Path(tempfile.mkdtemp(prefix="guides-growth-"))
        env = production_env(workdir)
        try:
            print(f"{guides} guides: generating…", flush=True)
            corpus = workdir / "content"
            write_corpus(corpus, guides=guides, include=ROOT / "content")
            reset_database(env)
            if number == 0:
                manage(env, "collectstatic", "--noinput", "--clear")
            print(f"{guides} guides: importing…", flush=True)
            imported = probe_import(env, corpus)
            shutil.rmtree(corpus)
            password = create_superuser(env)
            print(f"{guides} guides: measuring…", flush=True)
            with Server(env, workdir / "gunicorn.log") as server:
                row = measure_growth(server, guides, password)
            row.update(
                guides=guides,
                import_seconds=imported["seconds"],
                import_ms_per_guide=imported["seconds"] / guides * 1000,
                import_peak_mb=imported["peak_rss_mb"],
            )
            rows.append(row)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    database = "postgres" if os.environ.get("DATABASE_URL", "").startswith("postgres") else "sqlite"
    results = {"date": date.today().isoformat(), "database": database, "growth": rows}
    report_growth(results)
    if json_path:
        Path(json_path).write_text(json.dumps(results, indent=2))
    return 0 if all(ok for _, ok in growth_lines(rows)) else 1


def growth_lines(rows):
    first, last = rows[0], rows[-1]
    size = f"from {first['guides']:,} to {last['guides']:,} guides"
    limit = BUDGET["growth_ratio"]
    lines = []
    for key, name in (("search_ms", "median search time"), ("admin_list_ms", "admin guide list")):
        ratio = last[key] / first[key]
        lines.append(
            (
                f"{size}: {name} grows at most {limit:.0f}×: {first[key]:.1f} → "
                f"{last[key]:.1f} ms, {ratio:.1f}×",
                ratio <= limit,
            )
        )
    heaviest = max(row["home_bytes"] for row in rows)
    lines.append(
        (
            f"{size}: home page (HTML, CSS, JS) under {BUDGET['home_bytes'] // 1024} KB: "
            f"{heaviest / 1024:.1f} KB at most",
            heaviest < BUDGET["home_bytes"],
        )
    )
    errors = sum(row["errors"] for row in rows)
    lines.append((f"no error answered while measuring: {errors}", errors == 0))
    return lines


def report_growth(results):
    rows = results["growth"]
    print()
    print(f"Growth, {results['date']}, {results['database']}; medians, one request at a time")
    print()
    print(
        f"{'guides':>8}{'search p50':>12}{'p90':>9}{'found':>7}{'admin list':>12}"
        f"{'home':>9}{'home KB':>9}{'import':>10}{'ms/guide':>10}{'peak MB':>9}"
    )
    for row in rows:
        print(
            f"{row['guides']:>8,}{row['search_ms']:>10.1f}ms{row['search_p90_ms']:>7.1f}ms"
            f"{row['search_found_share']:>7.0%}{row['admin_list_ms']:>10.1f}ms"
            f"{row['home_ms']:>7.1f}ms{row['home_bytes'] / 1024:>9.1f}"
            f"{row['import_seconds']:>9.0f}s{row['import_ms_per_guide']:>10.1f}"
            f"{row['import_peak_mb']:>9.0f}"
        )
    print()
    print("Budget")
    for line, ok in growth_lines(rows):
        print(f"  {'PASS' if ok else 'FAIL'}  {line}")


def _page_name(path):
    return {
        "/": "home",
        "/linkedin/": "company",
        f"/{TEN_STEPS[0]}/{TEN_STEPS[1]}/": "guide (10 steps)",
        f"/{HUNDRED_STEPS[0]}/{HUNDRED_STEPS[1]}/": "guide (100 steps)",
    }.get(path)


if __name__ == "__main__":
    sys.exit(main())
