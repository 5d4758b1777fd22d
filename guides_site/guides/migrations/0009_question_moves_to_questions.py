from django.db import migrations


class Migration(migrations.Migration):
    """Questions now belong to the questions app (its 0001); the table and its rows stay."""

    dependencies = [
        ("guides", "0008_contact_channels_moved_company_translations"),
        ("questions", "0001_question_from_guides"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Question")],
            database_operations=[],
        )
    ]
