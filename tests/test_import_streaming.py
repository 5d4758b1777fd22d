"""The import reads one file at a time and writes guides in batches: every problem is still
reported and nothing is written; what a batch writes is all a guide saved one by one gets
(steps, sections, tags, rendered HTML, the search index, fresh cached pages); a terminal gets
a progress bar, a log only the summary."""

import io
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guides_site.content import importer
from guides_site.guides.models import Company, Guide, Step
from guides_site.search import index
from guides_site.search.results import find

from .factories import COMPANY_MD, guide_md, write_tree

pytestmark = pytest.mark.django_db

MANY = importer.BATCH * 2 + 7  # more than two batches, and a last one part full


def guide_file(number):
    return guide_md(
        f"title: How to claim voucher {number}\ntags: [vouchers, Vouchers]",
        "Before you start, find your order.\n\n"
        "## If you paid by card\n\n1. Open **Orders**.\n2. Choose the order.\n\n"
        "## If you paid in cash\n\n3. Go to the desk.\n",
    )


def big_tree(root, count=MANY, company="acme"):
    files = {f"{company}/company.md": COMPANY_MD.replace("Acme", company.title())}
    files |= {f"{company}/g{number:04}.md": guide_file(number) for number in range(count)}
    return write_tree(root, files)


def run_import(root, *args, stdout=None):
    stdout = stdout or StringIO()
    call_command("import_content", str(root), *args, stdout=stdout, stderr=StringIO())
    return stdout.getvalue()


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_guides_written_in_batches_have_everything_a_saved_guide_has(tmp_path):
    run_import(big_tree(tmp_path))

    assert Guide.objects.count() == MANY
    guide = Guide.objects.get(slug="g0205")
    assert guide.title == "How to claim voucher 205"
    assert guide.intro_html == "<p>Before you start, find your order.</p>"
    assert [s.title for s in guide.sections.all()] == ["If you paid by card", "If you paid in cash"]
    steps = list(guide.steps.select_related("section"))
    assert [(s.position, s.body_html, s.section.title) for s in steps] == [
        (1, "<p>Open <strong>Orders</strong>.</p>", "If you paid by card"),
        (2, "<p>Choose the order.</p>", "If you paid by card"),
        (3, "<p>Go to the desk.</p>", "If you paid in cash"),
    ]
    # "vouchers" and "Vouchers" are one tag, linked once.
    assert [t.slug for t in guide.tags.all()] == ["vouchers"]
    assert Step.objects.count() == MANY * 3
    index.flush()
    assert find("voucher 205", "en").guides[0] == guide


def test_new_guides_cost_a_few_statements_per_batch_not_per_guide(tmp_path):
    big_tree(tmp_path)

    with CaptureQueriesContext(connection) as queries:
        run_import(tmp_path)

    assert len(queries) < MANY // 2  # one by one, it was more than three per guide


def test_new_guides_refresh_their_company_page(client, tmp_path):
    run_import(big_tree(tmp_path, count=1))
    version = Company.objects.get().cache_version
    assert "How to claim voucher 1" not in client.get("/acme/").content.decode()

    run_import(big_tree(tmp_path, count=2))

    assert Company.objects.get().cache_version > version
    assert "How to claim voucher 1" in client.get("/acme/").content.decode()


def test_problems_in_the_first_and_last_files_are_both_reported_and_nothing_is_written(tmp_path):
    run_import(big_tree(tmp_path, count=3))
    before = list(Guide.objects.values())
    big_tree(tmp_path)
    write_tree(tmp_path, {"acme/a-first.md": guide_md("titel: A"), "acme/z-last.md": "no front"})

    err = StringIO()
    with pytest.raises(CommandError, match="problems found"):
        call_command("import_content", str(tmp_path), stdout=StringIO(), stderr=err)

    reported = err.getvalue()
    assert "acme/a-first.md:1: missing required field 'title'" in reported
    assert "acme/z-last.md:1:" in reported
    assert list(Guide.objects.values()) == before


def test_prune_unpublishes_the_guides_of_a_company_whose_folder_is_gone(tmp_path):
    big_tree(tmp_path, count=2)
    big_tree(tmp_path, count=2, company="globex")
    run_import(tmp_path)
    for path in (tmp_path / "globex").iterdir():
        path.unlink()
    (tmp_path / "globex").rmdir()

    out = run_import(tmp_path, "--prune")

    assert "2 unpublished" in out
    assert not Guide.objects.published().filter(company__slug="globex").exists()
    assert Guide.objects.published().filter(company__slug="acme").count() == 2


def test_a_terminal_gets_a_progress_bar_of_the_files_read(tmp_path):
    big_tree(tmp_path, count=3)

    out = run_import(tmp_path, stdout=Terminal())

    assert "Reading" in out
    assert "4/4" in out  # company.md and three guides
    assert out.rstrip().endswith("4 created, 0 updated, 0 unchanged")


def test_a_log_gets_only_the_summary(tmp_path):
    big_tree(tmp_path, count=3)

    out = run_import(tmp_path)

    assert out == f"Imported {tmp_path}: 4 created, 0 updated, 0 unchanged\n"


def test_an_unchanged_re_import_reads_two_rows_per_company_none_per_guide(tmp_path):
    big_tree(tmp_path)
    big_tree(tmp_path, count=3, company="globex")
    run_import(tmp_path)

    with CaptureQueriesContext(connection) as queries:
        out = run_import(tmp_path)

    assert out.endswith(f"0 created, 0 updated, {MANY + 3 + 2} unchanged\n")
    # Per folder, the company and its guides' hashes; then the transaction's own statements.
    assert len(queries) <= 2 * 2 + 4


def test_a_file_changed_among_unchanged_ones_is_read_and_written(tmp_path):
    run_import(big_tree(tmp_path, count=3))
    write_tree(tmp_path, {"acme/g0001.md": guide_md("title: Claim a voucher, again")})

    out = run_import(tmp_path)

    assert out.endswith("0 created, 1 updated, 3 unchanged\n")
    assert Guide.objects.get(slug="g0001").title == "Claim a voucher, again"


def test_a_new_file_cannot_take_the_slug_of_an_unchanged_one(tmp_path):
    run_import(big_tree(tmp_path, count=2))
    write_tree(tmp_path, {"acme/g0001-copy.md": guide_md("title: Copy\nslug: g0000")})

    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_content", str(tmp_path), stdout=StringIO(), stderr=err)

    assert (
        "acme/g0001-copy.md:1: duplicate guide: slug 'g0000' in language 'en' is already "
        f"used by {tmp_path}/acme/g0000.md" in err.getvalue()
    )
    assert not Guide.objects.filter(title="Copy").exists()


def test_a_large_import_leaves_the_planner_statistics_fresh(tmp_path, monkeypatch):
    monkeypatch.setattr(importer, "ANALYZE_AFTER", 5)
    big_tree(tmp_path, count=6)

    with CaptureQueriesContext(connection) as queries:
        run_import(tmp_path)
        analysed = [q["sql"] for q in queries if q["sql"] == "ANALYZE"]
        run_import(tmp_path)  # nothing written: nothing to refresh
        analysed_again = [q["sql"] for q in queries if q["sql"] == "ANALYZE"]

    expected = 1 if connection.vendor == "postgresql" else 0
    assert len(analysed) == expected
    assert len(analysed_again) == expected


def test_a_pruned_guide_leaves_its_company_page_at_once(client, tmp_path):
    run_import(big_tree(tmp_path, count=2))
    assert "How to claim voucher 1" in client.get("/acme/").content.decode()
    (tmp_path / "acme/g0001.md").unlink()

    run_import(tmp_path, "--prune")

    assert "How to claim voucher 1" not in client.get("/acme/").content.decode()
    assert "How to claim voucher 0" in client.get("/acme/").content.decode()
