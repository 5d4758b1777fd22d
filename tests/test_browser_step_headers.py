import re

import pytest
from playwright.sync_api import expect

from .factories import make_guide
from .test_browser_admin import drag

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_step_headers_show_the_position_each_step_will_be_saved_at(
    editor_page,  # noqa: F811
    live_server,
):
    page = editor_page
    guide = make_guide(steps=3)
    page.set_viewport_size({"width": 1280, "height": 1200})
    page.goto(f"{live_server.url}/admin/guides/guide/{guide.pk}/change/")
    headers = page.locator("#steps-group .inline-related:not(.empty-form) > h3")
    labels = headers.locator(".inline_label")
    expect(labels).to_have_text([re.compile(r"^1\b"), re.compile(r"^2\b"), re.compile(r"^3\b")])

    drag(headers.nth(2), headers.nth(0))

    texts = page.locator("#steps-group .inline-related:not(.empty-form) textarea")
    expect(texts.first).to_have_value("Do thing 3.")
    expect(labels.nth(0)).to_have_text(re.compile(r"^1\b"))
    expect(labels.nth(2)).to_have_text(re.compile(r"^3\b"))
    expect(headers.nth(0)).to_contain_text("Step: 1")
