import django.db.models.deletion
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    """Keep editors' permissions and the admin history: they point at the content type."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="questions", model="question").exists():
        ContentType.objects.using(db).filter(app_label="guides", model="question").update(
            app_label="questions"
        )


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="questions", model="question").update(
        app_label="guides"
    )


class Migration(migrations.Migration):
    """The question model, moved from the guides app with its table, guides_question."""

    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("guides", "0007_sections"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Question",
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
                        ("visitor", models.CharField(blank=True, max_length=64)),
                        ("text", models.TextField(max_length=1000, verbose_name="question")),
                        (
                            "email",
                            models.EmailField(
                                blank=True, max_length=254, verbose_name="e-mail for the answer"
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("pending", "Waiting for an answer"),
                                    ("published", "Answered and published"),
                                    ("rejected", "Rejected"),
                                ],
                                default="pending",
                                max_length=10,
                                verbose_name="status",
                            ),
                        ),
                        ("answer", models.TextField(blank=True, verbose_name="answer")),
                        (
                            "answered_at",
                            models.DateTimeField(blank=True, null=True, verbose_name="answered"),
                        ),
                        ("created", models.DateTimeField(auto_now_add=True, verbose_name="asked")),
                        (
                            "guide",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="questions",
                                to="guides.guide",
                                verbose_name="guide",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "question",
                        "verbose_name_plural": "questions",
                        "ordering": ["-created"],
                        "db_table": "guides_question",
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
