"""Lighthouse on the home, company and guide pages: `make lighthouse`.

Serves the sample content with production settings under gunicorn on loopback, runs the
Lighthouse CLI (bench/node_modules, Debian's Chromium through CHROME_PATH) three times per
page with its default mobile settings, and prints the median score of each category
against the target: 100, and never below 95.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import ROOT, Server, manage, production_env, reset_database  # noqa: E402

PAGES = {
    "home": "/",
    "company": "/linkedin/",
    "guide": "/linkedin/refund/",
    "guide (French)": "/fr/linkedin/remboursement/",
}
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
RUNS = 3
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking "
    "--disable-component-update --no-first-run --disable-sync"
)


def lighthouse(url, output):
    binary = ROOT / "bench/node_modules/.bin/lighthouse"
    env = dict(os.environ, CHROME_PATH=os.environ.get("CHROME_PATH", "/usr/bin/chromium"))
    command = [
        str(binary),
        url,
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--output=json",
        f"--output-path={output}",
    ]
    # Lighthouse now and then fails to record the trace of a load (NO_NAVSTART) and asks to
    # be run again: one more try, then give up.
    if subprocess.run(command, env=env).returncode != 0:
        subprocess.run(command, env=env, check=True)
    report = json.loads(Path(output).read_text())
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    failing = [
        audit["title"]
        for audit in report["audits"].values()
        if audit.get("score") is not None
        and audit["score"] < 0.9
        and audit.get("scoreDisplayMode") in ("binary", "numeric")
    ]
    return scores, failing


def main():
    workdir = Path(tempfile.mkdtemp(prefix="guides-lighthouse-"))
    env = production_env(workdir)
    try:
        reset_database(env)
        manage(env, "collectstatic", "--noinput")
        manage(env, "import_content")
        results, ok = {}, True
        with Server(env, workdir / "gunicorn.log") as server:
            for name, path in PAGES.items():
                runs = [
                    lighthouse(server.url + path, workdir / f"report-{i}.json") for i in range(RUNS)
                ]
                results[name] = {c: median(scores[c] for scores, _ in runs) for c in CATEGORIES}
                results[name]["to improve"] = sorted({t for _, failing in runs for t in failing})
        print(f"\n{'page':<16}" + "".join(f"{c:>16}" for c in CATEGORIES))
        for name, scores in results.items():
            print(f"{name:<16}" + "".join(f"{scores[c]:>16.0f}" for c in CATEGORIES))
            if scores["to improve"]:
                print(f"{'':<16}audits below 90: {'; '.join(scores['to improve'])}")
            ok = ok and all(scores[c] >= 95 for c in CATEGORIES)
        perfect = all(scores[c] == 100 for scores in results.values() for c in CATEGORIES)
        print(
            f"\nTarget 100 everywhere: {'PASS' if perfect else 'not reached'}; "
            f"nothing below 95: {'PASS' if ok else 'FAIL'}"
        )
        return 0 if ok else 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
