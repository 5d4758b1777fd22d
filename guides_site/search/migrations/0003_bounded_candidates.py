from django.db import migrations

# A search ranks a bounded set of candidates (search/index.py, CANDIDATES). SQLite: the guide's
# language becomes a column of the FTS5 table, so MATCH itself keeps to one language and its
# LIMIT is not spent on the other's guides (FTS5 tables cannot gain a column: made anew, the
# indexed text copied). PostgreSQL: the title, company, summary and tags part of each
# document (weights A and B) in a small tsvector of its own with its own GIN index, so the
# guides those words are in are found and ranked without reading their steps.
SQLITE = [
    "CREATE VIRTUAL TABLE search_guide_new USING fts5(title, company, summary, tags, body, "
    "language, tokenize = 'unicode61 remove_diacritics 2', detail = column, prefix = '2 3')",
    "INSERT INTO search_guide_new (rowid, title, company, summary, tags, body, language) "
    "SELECT f.rowid, f.title, f.company, f.summary, f.tags, f.body, g.language "
    "FROM search_guide f JOIN guides_guide g ON g.id = f.rowid",
    "DROP TABLE search_guide",
    "ALTER TABLE search_guide_new RENAME TO search_guide",
]
SQLITE_REVERSE = [
    "CREATE VIRTUAL TABLE search_guide_old USING fts5(title, company, summary, tags, body, "
    "tokenize = 'unicode61 remove_diacritics 2', detail = column, prefix = '2 3')",
    "INSERT INTO search_guide_old (rowid, title, company, summary, tags, body) "
    "SELECT rowid, title, company, summary, tags, body FROM search_guide",
    "DROP TABLE search_guide",
    "ALTER TABLE search_guide_old RENAME TO search_guide",
]
POSTGRES = [
    "ALTER TABLE search_guide ADD COLUMN head tsvector",
    "UPDATE search_guide SET head = ts_filter(document, '{a,b}')",
    "ALTER TABLE search_guide ALTER COLUMN head SET NOT NULL",
    "CREATE INDEX search_guide_head ON search_guide USING gin (head)",
]
POSTGRES_REVERSE = ["ALTER TABLE search_guide DROP COLUMN head"]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0002_index_tables_without_foreign_keys")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRES}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRES_REVERSE}),
        )
    ]
