import re
from pathlib import Path

from django.conf import settings
from django.utils import translation

PO_FILE = Path(settings.BASE_DIR) / "locale/fr/LC_MESSAGES/django.po"


def po_entries():
    """(flags, msgid, msgstrs) for each entry of the catalogue, header excluded."""
    entries = []
    for block in PO_FILE.read_text(encoding="utf-8").split("\n\n"):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        text = "\n".join(line for line in lines if not line.startswith("#"))
        msgid = "".join(re.findall(r'"(.*)"', text.split("msgstr")[0])) if text else ""
        msgstrs = [
            "".join(re.findall(r'"(.*)"', part))
            for part in re.split(r"msgstr(?:\[\d\])? ", text)[1:]
        ]
        if msgid:
            entries.append((flags, msgid, msgstrs))
    return entries


def test_every_interface_string_has_a_french_translation():
    entries = po_entries()
    assert len(entries) > 150
    assert [msgid for flags, msgid, _ in entries if "fuzzy" in flags] == []
    assert [msgid for _, msgid, msgstrs in entries if not all(msgstrs)] == []


def test_the_compiled_catalogue_is_used():
    with translation.override("fr"):
        assert translation.gettext("Was this page helpful?") == (
            "Cette page vous a-t-elle été utile\u202f?"
        )
        assert translation.gettext("Needs work") == "A besoin de travail"


def test_the_compiled_catalogue_matches_the_po_file():
    import gettext

    with open(PO_FILE.with_suffix(".mo"), "rb") as mo_file:
        compiled = gettext.GNUTranslations(mo_file)
    singular = [
        (msgid, msgstrs[0])
        for flags, msgid, msgstrs in po_entries()
        if len(msgstrs) == 1 and "\\" not in msgid
    ]
    stale = [msgid for msgid, msgstr in singular if compiled.gettext(msgid) != msgstr]
    assert stale == [], "run `make messages` (compilemessages) after editing django.po"
