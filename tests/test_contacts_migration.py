"""Contact channels moved from the guides app to the contacts app without losing a row,
and their old free-text labels and hours became the new fields."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("guides", "0007_sections"), ("contacts", None)]
CONTENT_TYPES = ("contenttypes", "0002_remove_content_type_name")


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([*(t for t in targets if t[1]), CONTENT_TYPES]).apps


def test_existing_channels_keep_their_rows_texts_and_permissions():
    old = migrate(BEFORE)
    Company = old.get_model("guides", "Company")
    Channel = old.get_model("guides", "ContactChannel")
    ContentType = old.get_model("contenttypes", "ContentType")
    company = Company.objects.create(slug="sncf", name="SNCF")
    phone = Channel.objects.create(
        company=company, position=1, kind="phone", label="Ligne", value="+33 1 23 45 67 89"
    )
    short = Channel.objects.create(
        company=company, position=2, kind="phone", value="3635", hours="7h-22h tous les jours"
    )
    web = Channel.objects.create(
        company=company, position=3, kind="help", value="https://sncf.example", hours="24/7"
    )
    content_type, _created = ContentType.objects.get_or_create(
        app_label="guides", model="contactchannel"
    )

    executor = MigrationExecutor(connection)
    new = migrate(executor.loader.graph.leaf_nodes())
    Channel = new.get_model("contacts", "ContactChannel")

    channels = {c.pk: c for c in Channel.objects.all()}
    assert channels[phone.pk].value == "+33123456789"
    assert channels[phone.pk].label == {"en": "Ligne"}
    assert (channels[short.pk].value, channels[short.pk].hours) == ("3635", "")
    assert channels[short.pk].note == {"en": "7h-22h tous les jours"}
    assert (channels[web.pk].hours, channels[web.pk].note) == ("24/7", {})
    assert channels[web.pk].company_id == company.pk
    moved = new.get_model("contenttypes", "ContentType").objects.get(pk=content_type.pk)
    assert moved.app_label == "contacts"
