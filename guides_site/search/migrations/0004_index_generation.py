from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("search", "0003_bounded_candidates"),
    ]

    operations = [
        # No row until the index first changes: a generation of 0 (index.generation()).
        migrations.CreateModel(
            name="IndexGeneration",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveBigIntegerField(default=1)),
            ],
            options={
                "verbose_name": "search index generation",
            },
        ),
    ]
