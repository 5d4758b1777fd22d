"""Markdown that cannot take the site down: a size and a nesting limit, told as
`path:line: message` on import and beside the field in the admin, and a renderer that stays
linear on inputs Python-Markdown alone takes minutes over."""

from html import unescape
from io import StringIO

import markdown
import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils.html import strip_tags
from hypothesis import given, settings
from hypothesis import strategies as st

from guides_site.content import rendering
from guides_site.content.linear_markdown import LinearExtension
from guides_site.content.rendering import MAX_NESTING, MAX_STEP_CHARS, check_markdown
from guides_site.guides.models import Guide, Step

from .factories import acme_tree, form_errors, guide_form_data, guide_md, make_guide

NESTED_40 = "".join("    " * depth + "- item\n" for depth in range(40))
QUOTES_300 = ">" * 300 + " deep\n"
MARKERS_1000 = "- " * 1000 + "x\n"  # Python-Markdown alone: RecursionError


def failed_import(root):
    with pytest.raises(CommandError):
        call_command("import_content", str(root), stdout=StringIO(), stderr=(err := StringIO()))
    return err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("deep", [NESTED_40, QUOTES_300, MARKERS_1000])
def test_import_reports_markdown_nested_too_deep_with_its_path_and_line(tmp_path, deep):
    body = "Intro.\n\n1. First step.\n2. Second step, with a list:\n\n" + "".join(
        "    " + line + "\n" for line in deep.splitlines()
    )
    root = acme_tree(tmp_path, **{"acme/deep.md": guide_md("title: Deep", body)})

    errors = failed_import(root)

    assert "acme/deep.md:" in errors
    assert f"step 2: lists and quotes nest more than {MAX_NESTING} deep here" in errors
    assert "Traceback" not in errors and "RecursionError" not in errors
    assert Guide.objects.count() == 0  # all or nothing


@pytest.mark.django_db
def test_import_names_the_limit_of_an_oversized_step(tmp_path):
    body = "1. " + "word " * (MAX_STEP_CHARS // 5 + 10) + "\n"
    root = acme_tree(tmp_path, **{"acme/long.md": guide_md("title: Long", body)})
    errors = failed_import(root)
    assert "acme/long.md:4: step 1: the text is" in errors
    assert "the limit is 5,000" in errors
    assert Guide.objects.count() == 0


def test_nesting_within_the_limit_is_fine_and_code_is_not_nesting():
    ten = "".join("  " * depth + "- item\n" for depth in range(MAX_NESTING))
    assert check_markdown(ten, MAX_STEP_CHARS) == []
    fenced = "```\n" + "".join("  " * d + "> - x\n" for d in range(300)) + "```\n"
    assert check_markdown(fenced, 100_000) == []
    assert check_markdown("- - -\n" * 50, MAX_STEP_CHARS) == []  # rules, not lists


def test_thousands_of_unclosed_tags_are_refused_with_their_line():
    problems = check_markdown("Fine.\n\n" + "<a " * 3000, 10_000)
    assert problems and problems[0][0] == 3
    assert "HTML tags left open" in problems[0][1]


def test_a_source_that_would_still_recurse_too_deep_is_an_error_not_a_crash():
    # As a row saved before there was a check would reach the renderer.
    with pytest.raises(rendering.MarkdownTooComplex, match="nest too deeply"):
        rendering.render_markdown(MARKERS_1000)


# Inputs on which Python-Markdown alone is quadratic (20 KB of "[" took minutes): the
# linear processors must give the very same HTML.
MARKDOWN_PIECES = st.sampled_from(
    [
        "[",
        "]",
        "(",
        ")",
        "![",
        "](",
        "`",
        "``",
        "*",
        "_",
        "<",
        ">",
        "a",
        " ",
        "\n",
        "\n\n",
        "|",
        "-",
        "#",
        '"',
        "'",
        "x y",
        "http://a.example",
        "1. ",
        "    ",
        "~~~",
        "&",
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(MARKDOWN_PIECES, max_size=60).map("".join))
def test_the_linear_renderer_gives_what_python_markdown_gives(source):
    extensions = ["tables", "fenced_code", "sane_lists"]
    plain = markdown.Markdown(extensions=extensions, output_format="html")
    linear = markdown.Markdown(extensions=[*extensions, LinearExtension()], output_format="html")
    assert linear.convert(source) == plain.convert(source)


@pytest.mark.parametrize("source", ["[" * 10_000, "![" * 5_000, "[a](" * 2_500, "[`*_<a(" * 1_400])
def test_pathological_sources_at_the_limit_are_accepted_and_rendered(source):
    # Each took Python-Markdown alone from 3 to 34 seconds; the benchmark reports the time.
    assert check_markdown(source, 10_000) == []
    assert unescape(strip_tags(rendering.render_markdown(source))) == source


@pytest.mark.django_db
def test_the_admin_refuses_a_step_nested_too_deep_beside_the_field(editor):
    guide = make_guide()
    steps = [(s.pk, s.body_md, s.position) for s in guide.steps.all()]
    steps[1] = (steps[1][0], NESTED_40, steps[1][2])
    response = editor.post(
        f"/admin/guides/guide/{guide.pk}/change/", guide_form_data(guide, steps=steps)
    )
    assert response.status_code == 200
    assert any("nest more than 10 deep" in error for error in form_errors(response))
    assert Step.objects.get(guide=guide, position=2).body_md == "Do thing 2."


@pytest.mark.django_db
def test_the_admin_refuses_an_oversized_introduction_naming_the_limit(editor):
    guide = make_guide()
    data = guide_form_data(guide, intro_md="x" * 10_001)
    response = editor.post(f"/admin/guides/guide/{guide.pk}/change/", data)
    assert response.status_code == 200
    assert any("the limit is 10,000" in error for error in form_errors(response))
    guide.refresh_from_db()
    assert guide.intro_md == ""


def preview(client, name, source):
    return client.post(
        "/admin/guides/guide/markdown-preview/",
        {name: source},
        headers={"HX-Request": "true", "HX-Trigger-Name": name},
    )


@pytest.mark.django_db
def test_the_preview_renders_for_editors_and_says_why_it_cannot(editor):
    assert preview(editor, "intro_md", "**Bold**").content.decode() == (
        "<p><strong>Bold</strong></p>"
    )
    refused = preview(editor, "steps-0-body_md", NESTED_40).content.decode()
    assert "markdown-problem" in refused and "nest more than 10 deep" in refused
    too_long = preview(editor, "steps-0-body_md", "x" * 5_001).content.decode()
    assert "the limit is 5,000" in too_long


@pytest.mark.django_db
def test_the_preview_needs_the_permission_to_change_guides():
    staff = User.objects.create_user("sam", password="a-long-passphrase", is_staff=True)
    client = Client()
    client.force_login(staff)
    assert preview(client, "intro_md", "**Bold**").status_code == 403
