"""In real Chromium, hostile content runs nothing: no dialog opens, window.__xss stays unset.

The whole filter-evasion list of test_hostile_content, plus payloads that set window.__xss,
goes into a guide's intro, steps (one payload each) and closing section, into its company's
about text, and into a published reader's question and its answer. The `page` fixture also
fails the test on any console error, a Content-Security-Policy violation included: content
that is sanitised away never even tries to run.
"""

import re
import textwrap
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from guides_site.guides.models import Guide
from guides_site.questions.models import Question

from .factories import write_tree
from .test_hostile_content import VECTOR_TEXTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=10_000)

# Each would set window.__xss or open a dialog if it ran.
FLAG_PAYLOADS = [
    '<img src=x onerror="window.__xss=1">',
    '<img src="" onerror="window.__xss=1">',
    '<svg onload="window.__xss=1">',
    '<details open ontoggle="window.__xss=1"><summary>s</summary>d</details>',
    '<a href="javascript:window.__xss=1">flag link</a>',
    "[flag markdown link](javascript:window.__xss=1)",
    "[flag entity link](java&#x09;script:window.__xss=1)",
    "<JAVASCRIPT:window.__xss=1>",
    '<a href="#" onclick="window.__xss=1">flag onclick</a>',
    '<input autofocus onfocus="window.__xss=1">',
    '<iframe srcdoc="<script>parent.__xss=1</script>"></iframe>',
    '<iframe src="javascript:parent.__xss=1"></iframe>',
    '<object data="data:text/html,<script>parent.__xss=1</script>"></object>',
    '<div onmouseover="window.__xss=1" style="position:fixed;inset:0">cover</div>',
    '<form action="javascript:window.__xss=1"><button>flag submit</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1">',
    "<script>window.__xss = 1</script>",
    "<<script>script>window.__xss=1<</script>/script>",
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>"></noscript>',
]
PAYLOADS = VECTOR_TEXTS + FLAG_PAYLOADS
SAFE_LINK = re.compile(r"^(https?:|mailto:|tel:)", re.IGNORECASE)


def indented(text):
    return textwrap.indent(text, "    ", lambda line: True)


@pytest.fixture
def hostile_site(tmp_path):
    everything = "\n\n".join(PAYLOADS)
    steps = "\n\n".join(
        f"{n}. Step {n}\n\n{indented(payload)}" for n, payload in enumerate(PAYLOADS, start=1)
    )
    front_matter = yaml.safe_dump(
        {
            "title": "Refund </title><script>window.__xss=1</script>",
            "summary": '"><svg onload="window.__xss=1">',
            "author": "<img src=x onerror=alert(1)>",
            "tags": ["refund", "<script>alert(1)</script>"],
        },
        allow_unicode=True,
    )
    write_tree(
        tmp_path,
        {
            "acme/company.md": "---\nname: Acme <script>alert(1)</script>\n---\n"
            f"About Acme.\n\n{everything}\n",
            "acme/refund.md": f"---\n{front_matter}---\nIntro.\n\n{everything}\n\n{steps}\n\n"
            f"## After\n\n{everything}\n",
        },
    )
    call_command("import_content", str(tmp_path), stdout=StringIO())
    guide = Guide.objects.get(slug="refund")
    assert guide.steps.count() == len(PAYLOADS)
    Question.objects.create(
        guide=guide,
        text=" ".join(FLAG_PAYLOADS[:8])[:1000],
        answer="\n\n".join(FLAG_PAYLOADS),
        status=Question.Status.PUBLISHED,
        answered_at=timezone.now(),
    )
    return guide


def watch(page):
    """Record the dialogs the page opens (dismissing them), and the console errors of the
    content's broken images: the "x" of <img src=x onerror=…> is a 404, which the browser
    logs and which forgive_broken_images() takes off the errors the `page` fixture checks
    (on /acme/ it is /acme/x, redirected to /acme/x/ like any company page)."""
    dialogs = []
    page.broken_images = []

    def broken_image(message):
        if (
            message.type == "error"
            and "status of 404" in message.text
            and re.search(r"/x/?$", message.location.get("url", ""))
        ):
            page.broken_images.append(message.text)

    page.on("console", broken_image)

    def dismiss(dialog):
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", dismiss)
    return dialogs


# In one round trip: click each link of the content that is not http(s), mailto or tel
# (anchors whose address nh3 removed, links within the page, and any other, which there
# should not be), after focusing it and moving the mouse over it; then let queued events
# (image errors, toggles, focus) run for two frames and a timer, and report.
CLICK_CONTENT_LINKS = """async () => {
    const safe = /^(https?:|mailto:|tel:)/i;
    const others = [];
    for (const link of document.querySelectorAll(".prose a")) {
        const href = link.getAttribute("href");
        if (href !== null && safe.test(href.trim())) continue;
        if (href !== null && !href.startsWith("#")) others.push(href);
        link.focus();
        link.dispatchEvent(new MouseEvent("mouseover", {bubbles: true}));
        link.click();
    }
    await new Promise(done => requestAnimationFrame(
        () => requestAnimationFrame(() => setTimeout(done, 50))));
    return {
        others,
        xss: typeof window.__xss,
        heading: (document.querySelector("#step-heading") || document.querySelector("h1"))
            .textContent.trim(),
    };
}"""


def click_content_links(page):
    """The links that were neither safe nor within the page, whether window.__xss was set,
    and the page's heading."""
    result = page.evaluate(CLICK_CONTENT_LINKS)
    return result["others"], result["xss"], result["heading"]


def forgive_broken_images(page):
    for text in page.broken_images:
        page.console_errors.remove(text)


def test_hostile_content_runs_nothing_on_the_guide_page(page, live_server, hostile_site):
    dialogs = watch(page)

    response = page.goto(live_server.url + "/acme/refund/")

    assert response.status == 200
    expect(page.get_by_role("heading", level=1)).to_contain_text("Refund </title>")
    expect(page.locator("ol.steps > li")).to_have_count(len(PAYLOADS))
    expect(page.locator(".qa-question")).to_contain_text("<img src=x onerror=")
    page.mouse.move(5, 5)
    page.mouse.move(400, 300)
    assert click_content_links(page)[:2] == ([], "undefined")
    assert dialogs == []
    assert (
        page.evaluate(
            "document.querySelectorAll('.prose script, .prose iframe, "
            ".prose object, .prose embed, .prose form, .prose svg, .prose input, "
            ".prose [style], .prose [onerror], .prose [onclick]').length"
        )
        == 0
    )
    forgive_broken_images(page)


def test_hostile_content_runs_nothing_on_any_step_page(page, live_server, hostile_site):
    dialogs = watch(page)

    for position in range(1, len(PAYLOADS) + 1):
        response = page.goto(f"{live_server.url}/acme/refund/step/{position}/")
        assert response.status == 200, position
        others, xss, heading = click_content_links(page)
        assert heading.startswith(f"Step {position} of")
        assert (others, xss, dialogs) == ([], "undefined", []), position
    forgive_broken_images(page)


def test_hostile_content_runs_nothing_when_stepping_through_with_htmx(
    page, live_server, hostile_site
):
    dialogs = watch(page)
    page.goto(f"{live_server.url}/acme/refund/step/1/")

    # htmx swaps each step in: it must not run what a swapped fragment holds either.
    for position in range(2, 12):
        page.get_by_role("link", name="Next").click()
        expect(page.locator("#step-heading")).to_contain_text(f"Step {position} of")
        others, xss, _heading = click_content_links(page)
        assert (others, xss, dialogs) == ([], "undefined", []), position
    forgive_broken_images(page)


def test_hostile_content_runs_nothing_on_the_company_and_tag_pages(page, live_server, hostile_site):
    dialogs = watch(page)

    for path in ["/acme/", "/", *[tag.get_absolute_url() for tag in hostile_site.tags.all()]]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        others, xss, heading = click_content_links(page)
        assert heading, path
        assert (others, xss, dialogs) == ([], "undefined", []), path
    forgive_broken_images(page)
