import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("guides", "0007_sections"),
        ("contacts", "0001_move_contact_channels"),
    ]

    operations = [
        # The contacts app owns the table now (contacts/0001); nothing changes in the database.
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ContactChannel")],
            database_operations=[],
        ),
        migrations.AddField(
            model_name="company",
            name="country",
            field=models.CharField(
                blank=True, help_text="ISO 3166 code, e.g. FR", max_length=2, verbose_name="country"
            ),
        ),
        migrations.AddField(
            model_name="company",
            name="timezone",
            field=models.CharField(
                blank=True,
                help_text="IANA name, e.g. Europe/Paris",
                max_length=64,
                verbose_name="time zone",
            ),
        ),
        migrations.CreateModel(
            name="CompanyTranslation",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "language",
                    models.CharField(
                        choices=[("en", "English"), ("fr", "French")],
                        max_length=8,
                        verbose_name="language",
                    ),
                ),
                (
                    "name",
                    models.CharField(
                        blank=True,
                        help_text="Blank: the company's usual name.",
                        max_length=100,
                        verbose_name="name",
                    ),
                ),
                ("about_md", models.TextField(blank=True, verbose_name="about (Markdown)")),
                ("about_html", models.TextField(blank=True, editable=False)),
                (
                    "company",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="translations",
                        to="guides.company",
                        verbose_name="company",
                    ),
                ),
            ],
            options={
                "verbose_name": "company translation",
                "verbose_name_plural": "company translations",
                "ordering": ["company", "language"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("company", "language"), name="one_company_translation_per_language"
                    )
                ],
            },
        ),
    ]
