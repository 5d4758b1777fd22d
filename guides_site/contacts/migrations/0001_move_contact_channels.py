"""ContactChannel moves from the guides app to this one. Its table and rows stay as they
are (guides_contactchannel); only Django's idea of which app owns it changes, and the
content type follows, so editors' permissions and admin history stay attached to it."""

import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="guides", model="contactchannel").update(
        app_label="contacts"
    )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="contacts", model="contactchannel").update(
        app_label="guides"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("guides", "0007_sections"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ContactChannel",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "position",
                            models.PositiveIntegerField(default=0, verbose_name="position"),
                        ),
                        (
                            "kind",
                            models.CharField(
                                choices=[
                                    ("phone", "Phone"),
                                    ("email", "E-mail"),
                                    ("chat", "Chat"),
                                    ("help", "Help page"),
                                    ("post", "Postal address"),
                                ],
                                max_length=10,
                                verbose_name="kind",
                            ),
                        ),
                        (
                            "label",
                            models.CharField(blank=True, max_length=100, verbose_name="label"),
                        ),
                        (
                            "value",
                            models.CharField(
                                help_text="Phone number, e-mail, URL…",
                                max_length=300,
                                verbose_name="number, address or link",
                            ),
                        ),
                        (
                            "hours",
                            models.CharField(
                                blank=True, max_length=200, verbose_name="opening hours"
                            ),
                        ),
                        (
                            "company",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="contacts",
                                to="guides.company",
                                verbose_name="company",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "contact channel",
                        "verbose_name_plural": "contact channels",
                        "ordering": ["company", "position", "id"],
                        "db_table": "guides_contactchannel",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
