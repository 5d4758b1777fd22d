"""Markdown to safe HTML. Runs when content is imported or saved, never on a page view."""

import threading

import markdown
import nh3

_EXTENSIONS = ["tables", "fenced_code", "sane_lists"]
# Column alignment as an attribute nh3 keeps, rather than a style attribute it drops.
_EXTENSION_CONFIGS = {"tables": {"use_align_attribute": True}}
# Building a Markdown converter costs more than converting a step, so each thread keeps one.
_local = threading.local()
# nh3's defaults, less `cite`: browsers never follow it, but nh3 leaves any URL in it,
# javascript: included, and nothing on a page needs it.
_ATTRIBUTES = {tag: names - {"cite"} for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}


def normalise_source(text):
    """One spelling of a Markdown source, whether it came from a file or the admin.

    Line endings become \\n, whitespace-only lines become empty and outer blank lines go,
    so that export followed by import compares equal.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = [line if line.strip() else "" for line in text.split("\n")]
    return "\n".join(lines).strip("\n")


def render_markdown(source):
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(
            extensions=_EXTENSIONS, extension_configs=_EXTENSION_CONFIGS, output_format="html"
        )
    html = converter.reset().convert(source)
    # nh3 drops <script>, event-handler attributes and javascript:/data: URLs,
    # whoever wrote the source.
    return nh3.clean(html, attributes=_ATTRIBUTES, link_rel="noopener noreferrer")
