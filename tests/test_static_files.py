"""Static files as production writes them: hashed, compressed, stylesheets and scripts
minified."""

import gzip
import json
from io import StringIO

import brotli
from django.core.management import call_command

PRODUCTION_STORAGE = "guides_site.operations.static_storage.MinifiedManifestStaticFilesStorage"


def collect(tmp_path, settings, name="css/site.css"):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": PRODUCTION_STORAGE}}
    call_command("collectstatic", "--noinput", stdout=StringIO())
    manifest = json.loads((tmp_path / "staticfiles.json").read_text())["paths"]
    return tmp_path / manifest[name]


def test_production_serves_the_stylesheet_without_its_comments(tmp_path, settings):
    source = (settings.BASE_DIR / "static/css/site.css").read_text()
    assert "/* " in source

    served = collect(tmp_path, settings).read_text()

    assert "/*" not in served
    assert len(served) < len(source) * 0.9
    # Minified, not broken: the rules and custom properties are still there.
    assert ".skip-link{" in served
    assert "--accent:#0b5d50" in served
    assert "@media (prefers-color-scheme:dark)" in served


def test_the_compressed_copies_hold_the_minified_stylesheet(tmp_path, settings):
    hashed = collect(tmp_path, settings)

    minified = hashed.read_bytes()
    assert gzip.decompress(hashed.with_name(hashed.name + ".gz").read_bytes()) == minified
    assert brotli.decompress(hashed.with_name(hashed.name + ".br").read_bytes()) == minified


def test_the_hashed_name_stays_the_same_for_the_same_source(tmp_path, settings):
    first = collect(tmp_path / "one", settings).name
    second = collect(tmp_path / "two", settings).name

    assert first == second
    assert first.startswith("site.") and first != "site.css"


def test_production_serves_our_scripts_without_their_comments(tmp_path, settings):
    source = (settings.BASE_DIR / "static/js/site.js").read_text()
    assert "// " in source

    served = collect(tmp_path, settings, "js/site.js").read_text()

    assert "//" not in served.replace("://", "")
    assert len(served) < len(source) * 0.7
    assert 'document.addEventListener("focusin",function loadInstantAnswers(event)' in served


def test_a_script_shipped_minified_is_served_as_it_came(tmp_path, settings):
    shipped = "/* a vendor's build, minified its own way */\nvar a = 1;  // keep\n"
    vendor = tmp_path / "vendor"
    (vendor / "js").mkdir(parents=True)
    (vendor / "js/vendor.min.js").write_text(shipped)
    (vendor / "js/licensed.js").write_text("/*! Licence: MIT */\nvar b = 2; // note\n")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, vendor]

    served = collect(tmp_path / "root", settings, "js/vendor.min.js").read_text()
    licensed = collect(tmp_path / "root2", settings, "js/licensed.js").read_text()

    assert served == shipped
    assert licensed == "/*! Licence: MIT */var b=2;"
