"""What counts as a way to run script in HTML, shared by the hostile-content and fuzz tests."""

# URL schemes that run code, or can, when a browser follows them.
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:", "mocha:")
# Attributes a browser reads as a URL (to follow, load or submit to).
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "cite", "poster",
    "background", "lowsrc", "dynsrc", "ping", "codebase", "longdesc", "manifest", "icon",
    "srcset", "imagesrcset", "usemap", "archive", "classid",
}  # fmt: skip
