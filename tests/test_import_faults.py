"""The content import under fault: an error midway, or the process killed midway.

import_content promises "all of it, or nothing": whatever stops it before the end, the
database must be exactly as before, and the next import must apply every change.
Works on SQLite and PostgreSQL (the test database is shared with a subprocess).
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from bench.corpus import write_corpus
from guides_site.contacts.models import ContactChannel
from guides_site.content import importer
from guides_site.content.importer import import_content
from guides_site.guides.models import (
    Company,
    Guide,
    Step,
    StepFeedback,
    Tag,
    Vote,
)
from guides_site.questions.models import Question

from .factories import COMPANY_MD, GUIDE_MD, guide_md, write_tree
from .servers import database_env

pytestmark = pytest.mark.django_db(transaction=True)

ROOT = Path(__file__).resolve().parent.parent
# Large enough that the import spends seconds in its transaction (about 4 ms a guide on
# SQLite on 2 CPUs, since imports write in batches: 2.4 s), so that it is killed midway
# even on a machine several times as fast.
CORPUS_GUIDES = 600
# How long the import runs inside its transaction before it is killed.
KILL_AFTER_SECONDS = 0.5


def snapshot():
    """Every row the import may touch, and the readers' rows it must never touch."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (
            Company,
            ContactChannel,
            Guide,
            Step,
            Tag,
            Guide.tags.through,
            Vote,
            StepFeedback,
            Question,
        )
    }


# -- content before and after an edit -----------------------------------------------------

BETA_MD = """\
---
name: Beta Bank
website: https://beta.example
contacts:
  - kind: phone
    value: "+33 9 87 65 43 21"
---
Beta keeps money.
"""

V1 = {
    "acme/company.md": COMPANY_MD,
    "acme/refund.md": GUIDE_MD,
    "acme/refund.fr.md": guide_md(
        "title: Obtenir un remboursement\ntags: [refund]",
        "1. Connectez-vous.\n2. Ouvrez Facturation.\n",
    ),
    "acme/cancel.md": guide_md(
        "title: Cancel an order\ntags: [orders]", "1. Open Orders.\n2. Cancel.\n"
    ),
    "acme/delivery.md": guide_md(
        "title: Track a delivery\ntags: [orders, delivery]", "1. Open Orders.\n2. Track.\n"
    ),
    "beta/company.md": BETA_MD,
    "beta/login.md": guide_md("title: Log in\ntags: [account]", "1. Open the app.\n2. Log in.\n"),
    "beta/password.md": guide_md(
        "title: Reset a password\ntags: [account]", "1. Tap Forgot.\n2. Check e-mail.\n"
    ),
    "beta/close-account.md": guide_md(
        "title: Close an account\ntags: [account]", "1. Call us.\n2. Confirm.\n3. Wait.\n"
    ),
}

# Each file changed, added or removed; an unchanged file too (acme/delivery.md).
V2 = {
    "acme/company.md": COMPANY_MD.replace("+33 1 23 45 67 89", "+33 1 11 11 11 11").replace(
        "Acme sells things.", "Acme sells many things."
    ),
    "acme/refund.md": GUIDE_MD.replace(
        "How to get a refund from Acme", "Get a refund from Acme"
    ).replace("3. Ask for a refund.", "3. Ask for a refund.\n4. Wait two weeks."),
    "acme/refund.fr.md": guide_md(
        "title: Obtenir un remboursement\ntags: [refund, argent]", "1. Connectez-vous.\n"
    ),
    "acme/cancel.md": guide_md(
        "title: Cancel an order\ntags: [orders, cancellation]", "1. Open My orders.\n2. Cancel.\n"
    ),
    "beta/login.md": guide_md(
        "title: Sign in\ntags: [account, security]",
        "1. Open the app.\n2. Sign in with your code.\n",
    ),
    "beta/close-account.md": guide_md(
        "title: Close an account\ntags: [account]\ndraft: true",
        "1. Call us.\n2. Confirm.\n3. Wait.\n",
    ),
    "beta/two-factor.md": guide_md(
        "title: Turn on two-factor sign-in\ntags: [security]", "1. Open Settings.\n2. Turn it on.\n"
    ),
    "gamma/company.md": "---\nname: Gamma Telecom\n---\nGamma connects.\n",
    "gamma/sim.md": guide_md("title: Replace a SIM card\ntags: [sim]", "1. Order.\n2. Insert.\n"),
}
V2_REMOVED = ["beta/password.md"]


def write_v1(root):
    write_tree(root, V1)
    return root


def edit_to_v2(root):
    write_tree(root, V2)
    for relative in V2_REMOVED:
        (root / relative).unlink()
    return root


def add_reader_rows():
    """Votes, step answers and a question on imported guides, which imports must keep."""
    refund = Guide.objects.get(company__slug="acme", slug="refund", language="en")
    Vote.objects.create(guide=refund, visitor="reader-1", helpful=True)
    Vote.objects.create(guide=refund, visitor="reader-2", helpful=False, reason="unclear")
    Guide.refresh_vote_counts(refund.pk)
    StepFeedback.objects.create(step=refund.steps.get(position=1), visitor="reader-1", worked=True)
    Question.objects.create(guide=refund, visitor="reader-3", text="Can I get cash back?")


def assert_v2_applied(pruned=True):
    acme = Company.objects.get(slug="acme")
    assert acme.about_md == "Acme sells many things."
    assert list(acme.contacts.values_list("kind", "value")) == [
        ("phone", "+33111111111"),  # stored in E.164
        ("email", "help@acme.example"),
    ]
    refund = Guide.objects.get(company=acme, slug="refund", language="en")
    assert refund.title == "Get a refund from Acme"
    assert list(refund.steps.values_list("body_md", flat=True))[-1] == "Wait two weeks."
    assert refund.steps.count() == 4
    french = Guide.objects.get(company=acme, slug="refund", language="fr")
    assert list(french.steps.values_list("body_md", flat=True)) == ["Connectez-vous."]
    assert sorted(french.tags.values_list("slug", flat=True)) == ["argent", "refund"]
    cancel = Guide.objects.get(company=acme, slug="cancel")
    assert sorted(cancel.tags.values_list("slug", flat=True)) == ["cancellation", "orders"]
    assert cancel.steps.get(position=1).body_md == "Open My orders."
    login = Guide.objects.get(company__slug="beta", slug="login")
    assert login.title == "Sign in"
    assert not Guide.objects.get(company__slug="beta", slug="close-account").is_published
    password = Guide.objects.get(company__slug="beta", slug="password")  # its file is gone
    assert password.is_published != pruned
    assert Guide.objects.get(company__slug="beta", slug="two-factor").is_published
    assert Guide.objects.get(company__slug="gamma", slug="sim").steps.count() == 2
    # The readers' rows stayed with their guide and step.
    assert sorted(refund.votes.values_list("visitor", "helpful")) == [
        ("reader-1", True),
        ("reader-2", False),
    ]
    assert (refund.votes_yes, refund.votes_total) == (1, 2)
    assert refund.steps.get(position=1).feedback.get().visitor == "reader-1"
    assert refund.questions.get().text == "Can I get cash back?"


class InjectedFault(Exception):
    pass


def count_calls(monkeypatch, name):
    """Count the calls of importer.<name> during an import (a dry run writes nothing)."""
    calls = []
    original = getattr(importer, name)

    def counting(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(importer, name, counting)
    return calls


@pytest.mark.parametrize("failing", ["_apply_guide", "_sync_steps", "_tag"])
def test_an_error_halfway_through_an_import_leaves_the_database_exactly_as_before(
    tmp_path, monkeypatch, failing
):
    root = write_v1(tmp_path / "content")
    import_content(root)
    add_reader_rows()
    edit_to_v2(root)
    before = snapshot()

    with monkeypatch.context() as patch:
        calls = count_calls(patch, failing)
        dry = import_content(root, dry_run=True, prune=True)
    assert dry.created + dry.updated >= 8
    assert snapshot() == before
    fail_at = len(calls) // 2 + 1
    assert len(calls) >= 4, f"{failing} is called {len(calls)} times: too few to fail midway"

    original = getattr(importer, failing)
    seen = []
    written_before_fault = []

    def faulty(*args, **kwargs):
        seen.append(args)
        if len(seen) == fail_at:
            # The import has already written part of the new content in its transaction.
            written_before_fault.append(snapshot() != before)
            raise InjectedFault(f"{failing} failed on call {fail_at} of {len(calls)}")
        return original(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(importer, failing, faulty)
        with pytest.raises(InjectedFault):
            import_content(root, prune=True)

    assert written_before_fault == [True]
    assert snapshot() == before

    report = import_content(root, prune=True)

    assert (report.created, report.updated, report.unpublished) == (
        dry.created,
        dry.updated,
        dry.unpublished,
    )
    assert report.conflicts == []
    assert_v2_applied()
    again = import_content(root, prune=True)
    assert (again.created, again.updated, again.unpublished) == (0, 0, 0)


# -- a killed import process --------------------------------------------------------------


def import_is_writing():
    """True once another process holds an open write transaction on the test database."""
    if connection.vendor == "sqlite":
        probe = sqlite3.connect(connection.settings_dict["NAME"], timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                return True
            raise
        else:
            probe.execute("ROLLBACK")
            return False
        finally:
            probe.close()
    with connection.cursor() as cursor:
        # A transaction gets an id when it first writes.
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_xid IS NOT NULL"
        )
        return cursor.fetchone()[0] > 0


def other_sessions():
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def start_import(root, log_dir, name):
    stdout = open(log_dir / f"{name}.out", "wb")  # noqa: SIM115 (closed by the caller)
    stderr = open(log_dir / f"{name}.err", "wb")  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_content", str(root)],
        cwd=ROOT,
        env=database_env(),
        stdin=subprocess.DEVNULL,
        stdout=stdout,
        stderr=stderr,
    )
    stdout.close()
    stderr.close()
    return process


def test_an_import_process_killed_midway_leaves_the_database_as_before_and_can_run_again(
    tmp_path,
):
    # A previous import, with readers' rows on it.
    acme = write_v1(tmp_path / "acme-v1")
    import_content(acme)
    add_reader_rows()
    before = snapshot()
    guides_before = Guide.objects.count()
    # The new content changes the rows imported before (acme sorts first, so those
    # changes are written early), then adds a few hundred guides.
    edited = edit_to_v2(write_v1(tmp_path / "acme-v2"))
    corpus = tmp_path / "corpus"
    written = write_corpus(corpus, guides=CORPUS_GUIDES, include=edited)
    assert written == CORPUS_GUIDES
    logs = tmp_path / "logs"
    logs.mkdir()

    process = start_import(corpus, logs, "killed")
    try:
        deadline = time.monotonic() + 60
        while not import_is_writing():
            assert process.poll() is None, "the import ended before it was seen writing: " + (
                logs / "killed.err"
            ).read_text(errors="replace")
            assert time.monotonic() < deadline, "the import never started writing"
            time.sleep(0.05)
        time.sleep(KILL_AFTER_SECONDS)
        assert process.poll() is None, (
            f"the import finished within {KILL_AFTER_SECONDS} s of writing: make "
            "CORPUS_GUIDES larger so it can be killed midway"
        )
        os.kill(process.pid, signal.SIGKILL)
    finally:
        if process.poll() is None:
            process.kill()
        returncode = process.wait(timeout=30)
    assert returncode == -signal.SIGKILL  # killed, not finished by itself
    assert "Imported" not in (logs / "killed.out").read_text()

    # PostgreSQL rolls back the dead client's transaction when it notices the lost client.
    deadline = time.monotonic() + 15
    while other_sessions() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Company.objects.filter(slug__startswith="bench-co-").exists()
    assert not Guide.objects.filter(company__slug__startswith="bench-co-").exists()
    assert snapshot() == before

    process = start_import(corpus, logs, "again")
    try:
        returncode = process.wait(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    assert returncode == 0, (logs / "again.err").read_text(errors="replace")
    output = (logs / "again.out").read_text()
    assert f"Imported {corpus}: " in output
    new_guides = CORPUS_GUIDES + 2  # the corpus, and gamma/sim and beta/two-factor
    new_companies = len(list(corpus.glob("bench-co-*"))) + 1  # and gamma
    assert f"{new_guides + new_companies} created" in output
    assert Guide.objects.count() == guides_before + new_guides
    assert Guide.objects.filter(company__slug__startswith="bench-co-").count() == CORPUS_GUIDES
    assert_v2_applied(pruned=False)  # without --prune, beta/password stays published
