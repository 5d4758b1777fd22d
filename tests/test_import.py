from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guides_site.contacts.models import ContactChannel
from guides_site.guides.models import Company, Guide, Step, Tag

from .factories import COMPANY_MD, GUIDE_MD, acme_tree, guide_md, write_tree

pytestmark = pytest.mark.django_db


def run_import(root, *args):
    out, err = StringIO(), StringIO()
    call_command("import_content", str(root), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failed_import(root, *args):
    err = StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("import_content", str(root), *args, stdout=StringIO(), stderr=err)
    return err.getvalue(), str(excinfo.value)


def snapshot():
    return (
        list(Company.objects.values()),
        list(ContactChannel.objects.values()),
        list(Guide.objects.values()),
        list(Step.objects.values()),
        list(Tag.objects.values()),
        list(Guide.tags.through.objects.values()),
    )


def test_it_imports_the_sample_content():
    out, _ = run_import(settings.CONTENT_DIR)

    assert "0 updated, 0 unchanged" in out
    assert Company.objects.count() >= 4
    assert Guide.objects.published().count() >= 10
    assert set(Guide.objects.values_list("language", flat=True)) == {"en", "fr"}
    for language in ("en", "fr"):
        refund = Guide.objects.get(
            company__slug="linkedin", translation_key="linkedin/refund", language=language
        )
        positions = list(refund.steps.values_list("position", flat=True))
        assert positions == list(range(1, len(positions) + 1))
        assert len(positions) >= 20
    assert all(company.contacts.exists() for company in Company.objects.all())


def test_a_second_import_of_unchanged_files_writes_nothing(tmp_path):
    acme_tree(tmp_path)
    run_import(tmp_path)
    before = snapshot()

    with CaptureQueriesContext(connection) as queries:
        out, _ = run_import(tmp_path)

    assert "0 created, 0 updated, 2 unchanged" in out
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in ("INSERT", "UPDATE", "DELETE")]
    assert writes == []
    assert snapshot() == before


def test_it_imports_intro_steps_closing_and_front_matter(tmp_path):
    acme_tree(tmp_path)
    run_import(tmp_path)

    guide = Guide.objects.get(slug="refund")
    assert guide.title == "How to get a refund from Acme"
    assert guide.language == "en"
    assert guide.author == "Sam Writer"
    assert str(guide.published) == "2020-01-02"
    assert guide.is_published
    assert guide.intro_html == "<p>Acme rarely refunds, but it can.</p>"
    assert [s.body_md for s in guide.steps.all()] == [
        "Sign in at [acme](https://acme.example).",
        "Open **Billing**.",
        "Ask for a refund.",
    ]
    assert '<a href="https://acme.example" rel="noopener noreferrer">acme</a>' in (
        guide.steps.first().body_html
    )
    assert "<h2>If Acme says no</h2>" in guide.closing_html
    assert sorted(guide.tags.values_list("slug", flat=True)) == ["billing", "refund"]
    company = guide.company
    assert company.name == "Acme" and company.about_html == "<p>Acme sells things.</p>"
    phone, email = company.contacts.all()
    assert (phone.kind, phone.href, phone.hours) == (
        "phone",
        "tel:+33123456789",
        "Mo-Fr 09:00-18:00",
    )
    assert email.href == "mailto:help@acme.example"


def test_repeated_source_numbers_become_consecutive_steps(tmp_path):
    body = "Intro.\n\n1. One.\n\n2. Two.\n\n2. Two again.\n\n3. Three.\n"
    acme_tree(tmp_path, **{"acme/refund.md": guide_md(body=body)})
    run_import(tmp_path)

    steps = Guide.objects.get().steps.all()
    assert [(s.position, s.body_md) for s in steps] == [
        (1, "One."),
        (2, "Two."),
        (3, "Two again."),
        (4, "Three."),
    ]


def test_a_step_continues_over_its_indented_lines(tmp_path):
    body = (
        "1) First, see\nthe lazy line.\n\n"
        "    A second paragraph with a [link](https://example.com).\n\n"
        "    - a bullet\n    - another\n"
        "2) Second.\n\n"
        # A list straight under a heading would be a section of steps (test_sections.py):
        # after a line of text, it stays in the closing section.
        "## Afterwards\n\nThen:\n\n1. A list in the closing section.\n"
    )
    acme_tree(tmp_path, **{"acme/refund.md": guide_md(body=body)})
    run_import(tmp_path)

    guide = Guide.objects.get()
    first, second = guide.steps.all()
    assert first.body_md == (
        "First, see\nthe lazy line.\n\nA second paragraph with a [link](https://example.com)."
        "\n\n- a bullet\n- another"
    )
    assert "<li>a bullet</li>" in first.body_html
    assert second.body_md == "Second."
    assert guide.closing_md == "## Afterwards\n\nThen:\n\n1. A list in the closing section."


def test_it_accepts_a_byte_order_mark_and_windows_line_endings(tmp_path):
    text = "\ufeff" + GUIDE_MD.replace("\n", "\r\n")
    acme_tree(tmp_path, **{"acme/refund.md": text.encode("utf-8")})
    run_import(tmp_path)

    guide = Guide.objects.get()
    assert guide.title == "How to get a refund from Acme"
    assert guide.steps.count() == 3
    assert "\r" not in guide.closing_md


def test_translations_share_a_key_and_may_have_their_own_slug(tmp_path):
    french = guide_md(
        "title: Obtenir un remboursement\nslug: remboursement", "1. Connectez-vous.\n"
    )
    acme_tree(tmp_path, **{"acme/refund.fr.md": french})
    run_import(tmp_path)

    english = Guide.objects.get(language="en")
    french = Guide.objects.get(language="fr")
    assert french.slug == "remboursement"
    assert english.translation_key == french.translation_key == "acme/refund"


HOSTILE_BODY = """\
<script>alert(1)</script>
<img src=x onerror="alert(2)">

1. Click [here](javascript:alert(3)) or <a href="JaVaScRiPt:alert(4)">there</a>.
2. <svg onload=alert(5)><circle/></svg> and <iframe src="https://evil.example"></iframe>
3. ![img](data:text/html;base64,PHNjcmlwdD4=) <a href="https://ok.example" onclick="x()">ok</a>
"""


def test_it_removes_scripts_handlers_and_javascript_urls_from_markdown(tmp_path):
    acme_tree(tmp_path, **{"acme/refund.md": guide_md(body=HOSTILE_BODY)})
    run_import(tmp_path)

    guide = Guide.objects.get()
    html = guide.intro_html + "".join(s.body_html for s in guide.steps.all()).lower()
    for forbidden in (
        "<script",
        "onerror",
        "onload",
        "onclick",
        "javascript:",
        "<svg",
        "<iframe",
        "data:text",
    ):
        assert forbidden not in html.lower()
    assert '<a href="https://ok.example" rel="noopener noreferrer">ok</a>' in html


# Each bad file: (files to write over the valid tree, expected "path:line: message" fragment)
BAD_CONTENT = {
    "no front matter": (
        {"acme/refund.md": "Just text.\n\n1. Step.\n"},
        "acme/refund.md:1: no front matter",
    ),
    "unclosed front matter": (
        {"acme/refund.md": "---\ntitle: X\n\n1. Step.\n"},
        "acme/refund.md:1: front matter is not closed",
    ),
    "invalid yaml": (
        {"acme/refund.md": "---\ntitle: X\ntags: [a, b\n---\n1. Step.\n"},
        "acme/refund.md:4: invalid YAML",
    ),
    "front matter not a mapping": (
        {"acme/refund.md": "---\n- a\n- b\n---\n1. Step.\n"},
        "acme/refund.md:2: front matter must be YAML fields",
    ),
    "missing title": (
        {"acme/refund.md": guide_md("summary: no title")},
        "acme/refund.md:1: missing required field 'title'",
    ),
    "title not text": (
        {"acme/refund.md": guide_md("summary: s\ntitle: [a, b]")},
        "acme/refund.md:3: 'title' must be text",
    ),
    "empty title": ({"acme/refund.md": guide_md("title: ''")}, "acme/refund.md:2: 'title' must be"),
    "unknown field": (
        {"acme/refund.md": guide_md("titel: Typo")},
        "acme/refund.md:2: unknown guide field 'titel': did you mean 'title'?",
    ),
    "no steps": (
        {"acme/refund.md": guide_md(body="Only an intro.\n\n- a bullet\n")},
        "acme/refund.md:4: no steps",
    ),
    "empty step": (
        {"acme/refund.md": guide_md(body="1. One.\n2.\n")},
        "acme/refund.md:5: step 2 is empty",
    ),
    "unknown language suffix": (
        {"acme/refund.de.md": guide_md()},
        "acme/refund.de.md: unknown language 'de'",
    ),
    "unknown lang field": (
        {"acme/refund.md": guide_md("title: T\nlang: es")},
        "acme/refund.md:3: unknown language 'es'",
    ),
    "lang disagrees with suffix": (
        {"acme/other.fr.md": guide_md("title: T\nlang: en")},
        "acme/other.fr.md:3: 'lang: en' disagrees with the file name",
    ),
    "invalid date": (
        {"acme/refund.md": guide_md("title: T\npublished: 2019-13-45")},
        "acme/refund.md:3: 'published' must be a date written YYYY-MM-DD",
    ),
    "updated before published": (
        {"acme/refund.md": guide_md("title: T\npublished: 2020-01-02\nupdated: 2019-01-01")},
        "acme/refund.md:4: 'updated' is before 'published'",
    ),
    "tags not a list": (
        {"acme/refund.md": guide_md("title: T\ntags: refund")},
        "acme/refund.md:3: 'tags' must be a list",
    ),
    "draft not a boolean": (
        {"acme/refund.md": guide_md("title: T\ndraft: maybe")},
        "acme/refund.md:3: 'draft' must be true or false",
    ),
    "duplicate slug": (
        {"acme/zz-other.md": guide_md("title: T\nslug: refund")},
        "acme/zz-other.md:1: duplicate guide: slug 'refund' in language 'en'",
    ),
    "same guide twice": (
        {"acme/refund.en.md": guide_md("title: T\nslug: other")},
        "two files give the same guide in language 'en'",
    ),
    "not utf-8": (
        {"acme/refund.md": b"---\ntitle: Caf\xe9\n---\n1. Step.\n"},
        "acme/refund.md:2: not UTF-8 text",
    ),
    "empty file": ({"acme/refund.md": ""}, "acme/refund.md: file is empty"),
    "folder without company.md": ({"orphan/guide.md": guide_md()}, "orphan: no company.md"),
    "slug with dots": (
        {"acme/refund.md": guide_md("title: T\nslug: ../x")},
        "acme/refund.md:3: slug '../x' is not URL-safe",
    ),
    "slug with a space": (
        {"acme/refund.md": guide_md("title: T\nslug: my guide")},
        "acme/refund.md:3: slug 'my guide' is not URL-safe",
    ),
    "slug with a slash": (
        {"acme/refund.md": guide_md("title: T\nslug: a/b")},
        "acme/refund.md:3: slug 'a/b' is not URL-safe",
    ),
    "file name not a slug": (
        {"acme/My Guide.md": guide_md()},
        "slug 'My Guide' is not URL-safe (taken from the file name",
    ),
    "file over 1 MiB": (
        {"acme/refund.md": guide_md(body="1. " + "x" * (1024 * 1024) + "\n")},
        "acme/refund.md: file is 1,048,",
    ),
    "company without name": (
        {"acme/company.md": "---\nwebsite: https://a.example\n---\n"},
        "acme/company.md:1: missing required field 'name'",
    ),
    "company bad contact kind": (
        {"acme/company.md": "---\nname: A\ncontacts:\n  - kind: fax\n    value: '1'\n---\n"},
        "acme/company.md:4: unknown contact kind 'fax'",
    ),
    "company bad website": (
        {"acme/company.md": "---\nname: A\nwebsite: ftp://x\n---\n"},
        "acme/company.md:3: 'website' must be an http(s) address",
    ),
    "company reserved slug": (
        {"about/company.md": COMPANY_MD},
        "about/company.md: folder name 'about' is reserved",
    ),
    "title too long": (
        {"acme/refund.md": guide_md("title: " + "T" * 201)},
        "acme/refund.md:2: 'title' is 201 characters long; the limit is 200",
    ),
}


@pytest.mark.parametrize("files, expected", BAD_CONTENT.values(), ids=BAD_CONTENT.keys())
def test_it_rejects_bad_content_naming_the_file_and_changes_nothing(tmp_path, files, expected):
    acme_tree(tmp_path)
    run_import(tmp_path)
    before = snapshot()
    write_tree(tmp_path, files)

    err, message = failed_import(tmp_path)

    assert expected in err.replace(str(tmp_path) + "/", "")
    assert "nothing was imported" in message
    assert snapshot() == before


def test_it_lists_every_problem_in_one_run(tmp_path):
    acme_tree(
        tmp_path,
        **{
            "acme/a.md": guide_md("titel: A"),
            "acme/b.md": guide_md(body="No steps here.\n"),
            "other/c.md": guide_md(),
        },
    )

    err, message = failed_import(tmp_path)

    lines = [line.replace(str(tmp_path) + "/", "") for line in err.strip().splitlines()]
    assert lines == [
        "acme/a.md:1: missing required field 'title'",
        "acme/a.md:2: unknown guide field 'titel': did you mean 'title'? allowed fields are "
        "title, slug, lang, summary, published, updated, author, tags, draft, numbering",
        "acme/b.md:4: no steps: write the steps as a numbered list, one '1. …' line per step",
        "other: no company.md: every company folder needs one (name, website, contacts)",
    ]
    assert "4 problems found" in message
    assert Company.objects.count() == 0


def test_a_bad_file_leaves_a_fresh_database_empty(tmp_path):
    acme_tree(tmp_path, **{"acme/zz.md": guide_md(body="no steps")})
    failed_import(tmp_path)
    assert snapshot() == ([], [], [], [], [], [])


def test_a_changed_file_updates_the_guide_in_place(tmp_path):
    acme_tree(tmp_path)
    run_import(tmp_path)
    guide = Guide.objects.get()
    first_step = guide.steps.get(position=1)
    Guide.objects.filter(pk=guide.pk).update(view_count=1234)

    changed = GUIDE_MD.replace("2. Open **Billing**.", "2. Open **Payments**.\n4. A new step.")
    write_tree(tmp_path, {"acme/refund.md": changed})
    out, _ = run_import(tmp_path)

    assert "0 created, 1 updated, 1 unchanged" in out
    guide.refresh_from_db()
    assert guide.view_count == 1234
    assert [s.body_md for s in guide.steps.all()] == [
        "Sign in at [acme](https://acme.example).",
        "Open **Payments**.",
        "A new step.",
        "Ask for a refund.",
    ]
    assert guide.steps.get(position=1).pk == first_step.pk
    assert guide.updated is not None


def test_removed_steps_are_deleted(tmp_path):
    acme_tree(tmp_path)
    run_import(tmp_path)
    write_tree(tmp_path, {"acme/refund.md": guide_md("title: T", "1. Only one.\n")})
    run_import(tmp_path)
    assert list(Step.objects.values_list("position", "body_md")) == [(1, "Only one.")]


def test_dry_run_reports_changes_and_writes_nothing(tmp_path):
    acme_tree(tmp_path)

    out, _ = run_import(tmp_path, "--dry-run")

    assert "Dry run" in out and "2 created" in out
    assert snapshot() == ([], [], [], [], [], [])


def edit_in_admin(guide, **fields):
    for name, value in fields.items():
        setattr(guide, name, value)
    guide.edited_since_import = True
    guide.save()


def test_a_guide_changed_in_file_and_admin_is_a_conflict_left_alone(tmp_path):
    acme_tree(tmp_path)
    run_import(tmp_path)
    edit_in_admin(Guide.objects.get(), title="Edited by an editor")
    write_tree(tmp_path, {"acme/refund.md": GUIDE_MD.replace("Acme rarely", "Acme seldom")})

    out, err = run_import(tmp_path)

    assert "1 conflicts" in out
    assert "acme/refund.md: changed in the file and in the admin" in err
    guide = Guide.objects.get()
    assert guide.title == "Edited by an editor"
    assert guide.intro_md == "Acme rarely refunds, but it can."


def test_force_overwrites_admin_edits_with_the_file(tmp_path):
    acme_tree(tmp_path)
    run_import(tmp_path)
    edit_in_admin(Guide.objects.get(), title="Edited by an editor")
    write_tree(tmp_path, {"acme/refund.md": GUIDE_MD.replace("Acme rarely", "Acme seldom")})

    out, _ = run_import(tmp_path, "--force")

    assert "1 updated" in out
    guide = Guide.objects.get()
    assert guide.title == "How to get a refund from Acme"
    assert guide.intro_md == "Acme seldom refunds, but it can."
    assert not guide.edited_since_import


def test_admin_edits_survive_an_import_of_an_unchanged_file(tmp_path):
    acme_tree(tmp_path)
    run_import(tmp_path)
    edit_in_admin(Guide.objects.get(), title="Edited by an editor")

    out, err = run_import(tmp_path)

    assert "2 unchanged" in out and err == ""
    assert Guide.objects.get().title == "Edited by an editor"


def test_prune_unpublishes_guides_whose_file_was_removed(tmp_path):
    acme_tree(tmp_path, **{"acme/cancel.md": guide_md("title: Cancel")})
    run_import(tmp_path)
    admin_made = Guide.objects.create(
        company=Company.objects.get(),
        slug="admin-made",
        title="Made in the admin",
        published="2020-01-01",
        status=Guide.Status.PUBLISHED,
    )
    (tmp_path / "acme/cancel.md").unlink()

    out, _ = run_import(tmp_path)
    assert Guide.objects.get(slug="cancel").is_published  # no --prune, no change

    out, _ = run_import(tmp_path, "--prune")

    assert "1 unpublished" in out
    cancel = Guide.objects.get(slug="cancel")
    assert not cancel.is_published
    assert Guide.objects.get(slug="refund").is_published
    admin_made.refresh_from_db()
    assert admin_made.is_published


def test_export_then_import_reports_everything_unchanged(tmp_path):
    run_import(settings.CONTENT_DIR)
    edit_in_admin(
        Guide.objects.get(translation_key="linkedin/refund", language="en"),
        intro_md="An editor's intro\r\nwith two lines.",
        title="Edited title",
    )
    step = Step.objects.filter(guide__translation_key="linkedin/refund").first()
    step.body_md = "An edited step.\n\n- with\n- a list\n\n```\n1. code\n```"
    step.save()
    before = snapshot()

    out = StringIO()
    call_command("export_content", str(tmp_path / "export"), stdout=out)
    assert "Exported" in out.getvalue()
    result, _ = run_import(tmp_path / "export")

    counts = Company.objects.count() + Guide.objects.count()
    assert f"0 created, 0 updated, {counts} unchanged" in result
    assert snapshot() == before


def test_the_command_reports_a_missing_folder(tmp_path):
    err, message = failed_import(tmp_path / "nope")
    assert "content folder not found" in err
