"""French text gets French spacing once, when it is imported or saved: a narrow no-break
space before ; : ! ? and inside « », never in code, links or English text."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command

from guides_site.contacts.models import ContactChannel
from guides_site.content.typography import french_html, french_text
from guides_site.guides.models import Company, Guide

from .factories import COMPANY_MD, GUIDE_MD, guide_md, make_guide, write_tree

pytestmark = pytest.mark.django_db

N = "\u202f"
FRENCH_BODY = """\
Attention : lisez ceci ! Voir « les conditions » ; ou https://acme.example/a?b=1:2.

1. Ouvrez `Réglages : Compte` puis cliquez sur [Aide ?](https://acme.example/aide?x=1).
2. Répondez « oui » à 10:30 ?
"""


def test_a_french_guide_is_stored_with_french_spacing_and_code_and_links_untouched(tmp_path):
    write_tree(
        tmp_path,
        {
            "acme/company.md": COMPANY_MD,
            "acme/refund.md": GUIDE_MD,
            "acme/refund.fr.md": guide_md("title: Se faire rembourser", FRENCH_BODY),
            "acme/company.fr.md": "Acme vend des choses : beaucoup !\n",
        },
    )
    call_command("import_content", str(tmp_path), stdout=StringIO())

    guide = Guide.objects.get(language="fr")
    assert guide.intro_html == (
        f"<p>Attention{N}: lisez ceci{N}! Voir «{N}les conditions{N}»{N}; ou "
        "https://acme.example/a?b=1:2.</p>"
    )
    first, second = guide.steps.all()
    assert "<code>Réglages : Compte</code>" in first.body_html
    assert f'href="https://acme.example/aide?x=1" rel="noopener noreferrer">Aide{N}?</a>' in (
        first.body_html
    )
    assert second.body_html == f"<p>Répondez «{N}oui{N}» à 10:30{N}?</p>"
    assert guide.steps.first().body_md.startswith("Ouvrez `Réglages : Compte`")  # the source stays
    assert (
        Company.objects.get().about_html_in("fr") == f"<p>Acme vend des choses{N}: beaucoup{N}!</p>"
    )


def test_english_text_keeps_its_own_spacing(tmp_path):
    guide = make_guide(language="en", intro_md="Note : this stays as written !")

    assert guide.intro_html == "<p>Note : this stays as written !</p>"


def test_an_edit_of_a_french_step_in_the_admin_gets_french_spacing():
    guide = make_guide(language="fr", steps=1)
    step = guide.steps.get()
    step.body_md = "Cliquez sur « Envoyer » !"
    step.save()

    assert step.body_html == f"<p>Cliquez sur «{N}Envoyer{N}»{N}!</p>"


def test_french_contact_texts_get_french_spacing_and_english_ones_do_not(tmp_path):
    company = """\
---
name: Acme
contacts:
  - kind: email
    value: help@acme.example
    note: {en: "Note: by e-mail only", fr: "Attention : par e-mail seulement !"}
---
"""
    write_tree(tmp_path, {"acme/company.md": company, "acme/refund.md": GUIDE_MD})
    call_command("import_content", str(tmp_path), stdout=StringIO())

    assert ContactChannel.objects.get().note == {
        "en": "Note: by e-mail only",
        "fr": f"Attention{N}: par e-mail seulement{N}!",
    }


def test_spacing_twice_changes_nothing():
    text = french_text("Coût : 3 € ; voir « ici » !")

    assert french_text(text) == text
    assert french_html(f"<p>{text}</p>") == f"<p>{text}</p>"


def test_french_dates_read_1er_for_the_first_of_a_month(client):
    french = make_guide(language="fr", slug="remboursement", updated=date(2026, 11, 1))
    make_guide(french.company, language="en", slug="refund", updated=date(2026, 11, 1))

    assert "Vérifié le 1er novembre 2026" in client.get("/fr/acme/remboursement/").content.decode()
    assert "Checked 1 November 2026" in client.get("/acme/refund/").content.decode()
