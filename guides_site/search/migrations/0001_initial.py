from django.db import migrations, models

SQLITE = [
    # Stemmed text (search/text.py), so FTS5's own tokenizer only splits words.
    "CREATE VIRTUAL TABLE search_guide USING fts5(title, company, summary, tags, body, "
    "tokenize = 'unicode61 remove_diacritics 2', detail = column, prefix = '2 3')",
    "CREATE VIRTUAL TABLE search_company_name USING fts5(name, tokenize = 'trigram')",
]
SQLITE_REVERSE = ["DROP TABLE search_company_name", "DROP TABLE search_guide"]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TEXT SEARCH CONFIGURATION search_en (COPY = english)",
    "ALTER TEXT SEARCH CONFIGURATION search_en ALTER MAPPING FOR hword, hword_part, word "
    "WITH unaccent, english_stem",
    "CREATE TEXT SEARCH CONFIGURATION search_fr (COPY = french)",
    "ALTER TEXT SEARCH CONFIGURATION search_fr ALTER MAPPING FOR hword, hword_part, word "
    "WITH unaccent, french_stem",
    "CREATE TABLE search_guide (guide_id integer PRIMARY KEY REFERENCES guides_guide (id) "
    "ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, document tsvector NOT NULL)",
    "CREATE INDEX search_guide_document ON search_guide USING gin (document)",
    "CREATE TABLE search_company_name (company_id integer PRIMARY KEY REFERENCES "
    "guides_company (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED, name text NOT NULL)",
    "CREATE INDEX search_company_name_trigrams ON search_company_name "
    "USING gin (name gin_trgm_ops)",
]
POSTGRES_REVERSE = [
    "DROP TABLE search_company_name",
    "DROP TABLE search_guide",
    "DROP TEXT SEARCH CONFIGURATION search_fr",
    "DROP TEXT SEARCH CONFIGURATION search_en",
]


def _run(statements):
    def run(apps, schema_editor):
        chosen = statements.get(schema_editor.connection.vendor, [])
        for sql in chosen:
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [("guides", "0008_contact_channels_moved_company_translations")]

    operations = [
        migrations.CreateModel(
            name="MissedSearch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.CharField(max_length=200, verbose_name="search")),
                ("language", models.CharField(max_length=8, verbose_name="language")),
                ("day", models.DateField(verbose_name="day")),
                ("count", models.PositiveIntegerField(default=0, verbose_name="searches")),
            ],
            options={
                "verbose_name": "search that found nothing",
                "verbose_name_plural": "searches that found nothing",
                "ordering": ["-day", "-count"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("text", "language", "day"), name="one_missed_search_per_text_and_day"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="DismissedSearch",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("text", models.CharField(max_length=200, verbose_name="search")),
                ("language", models.CharField(max_length=8, verbose_name="language")),
                ("dismissed", models.DateTimeField(auto_now_add=True, verbose_name="dismissed")),
            ],
            options={
                "verbose_name": "dismissed search",
                "verbose_name_plural": "dismissed searches",
                "constraints": [
                    models.UniqueConstraint(fields=("text", "language"), name="one_dismissal_per_text")
                ],
            },
        ),
        # The index tables differ by engine, so they are made here, not by models.
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        ),
    ]
