from django.db import migrations

# The index tables are Django's blind spot: a flush (tests, `manage.py flush`) truncates the
# tables of models only, and PostgreSQL refuses to truncate guides_guide or guides_company
# while an unknown table references them. The index follows deletes itself (search/signals.py)
# and every search joins the guides it finds, so the references add nothing.
POSTGRES = [
    "ALTER TABLE search_guide DROP CONSTRAINT IF EXISTS search_guide_guide_id_fkey",
    "ALTER TABLE search_company_name DROP CONSTRAINT IF EXISTS search_company_name_company_id_fkey",
]


def drop_references(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in POSTGRES:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(drop_references, migrations.RunPython.noop)]
