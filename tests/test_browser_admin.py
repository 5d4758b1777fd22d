import pytest
from playwright.sync_api import expect

from .factories import make_guide

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def drag(source, target):
    """Drag by the handle and drop on the upper edge of the target, as a person would."""
    source.drag_to(target, source_position={"x": 30, "y": 10}, target_position={"x": 30, "y": 2})


def test_an_editor_drags_the_third_step_to_the_top_and_readers_see_the_new_order(
    editor_page, live_server
):
    page = editor_page
    guide = make_guide(steps=4)
    # Tall enough for the first and the third step to be on screen at once, as when an
    # editor drags over a short distance (each step now has a section field too).
    page.set_viewport_size({"width": 1280, "height": 1200})
    page.goto(f"{live_server.url}/admin/guides/guide/{guide.pk}/change/")
    headers = page.locator("#steps-group .inline-related:not(.empty-form) > h3")
    headers.nth(0).scroll_into_view_if_needed()

    drag(headers.nth(2), headers.nth(0))
    # Save only once the dragged step has settled in first place.
    first_text = page.locator("#steps-group .inline-related:not(.empty-form) textarea").first
    expect(first_text).to_have_value("Do thing 3.")
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"{live_server.url}/admin/guides/guide/")

    new_order = ["Do thing 3.", "Do thing 1.", "Do thing 2.", "Do thing 4."]
    assert list(guide.steps.values_list("body_md", flat=True)) == new_order
    assert list(guide.steps.values_list("position", flat=True)) == [1, 2, 3, 4]
    page.goto(live_server.url + guide.get_absolute_url())
    assert page.locator("ol.steps > li").all_inner_texts() == new_order


def test_the_move_to_first_button_reorders_steps_without_dragging(editor_page, live_server):
    page = editor_page
    guide = make_guide(steps=3)
    page.goto(f"{live_server.url}/admin/guides/guide/{guide.pk}/change/")

    page.locator("#steps-group .inline-related:not(.empty-form)").nth(2).get_by_role(
        "button", name="Move to first position"
    ).click()
    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(f"{live_server.url}/admin/guides/guide/")

    assert list(guide.steps.values_list("body_md", flat=True)) == [
        "Do thing 3.",
        "Do thing 1.",
        "Do thing 2.",
    ]


def test_the_markdown_preview_updates_as_the_editor_types(editor_page, live_server):
    page = editor_page
    guide = make_guide(steps=1)
    page.goto(f"{live_server.url}/admin/guides/guide/{guide.pk}/change/")

    page.locator("#id_steps-0-body_md").fill("Press **Cancel** <script>alert(1)</script>")

    preview = page.locator("#id_steps-0-body_md + .markdown-preview")
    preview.locator("strong", has_text="Cancel").wait_for()
    assert "<script" not in preview.inner_html()


def test_admin_pages_run_without_console_errors_or_policy_violations(editor_page, live_server):
    page = editor_page
    guide = make_guide(steps=2)
    for path in (
        "/admin/",
        "/admin/guides/guide/",
        f"/admin/guides/guide/{guide.pk}/change/",
        "/admin/guides/guide/add/",
        "/admin/guides/company/",
        f"/admin/guides/company/{guide.company.pk}/change/",
        "/admin/questions/question/",
        "/admin/guides/vote/",
        "/admin/guides/stepfeedback/",
        "/admin/guides/tag/add/",
    ):
        page.goto(live_server.url + path)
        assert page.locator("#content").count() == 1, path
    # The `page` fixture fails the test on any console message of type error, which is how
    # Chromium reports a Content-Security-Policy violation.
