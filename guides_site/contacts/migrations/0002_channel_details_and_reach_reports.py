"""Channels get the content format's details; old free-text labels and hours are kept.

A label becomes {default language: label}. Hours that are not OpenStreetMap syntax ("Online,
any time") become the channel's note, so nothing an editor wrote is lost. Phone numbers
written in international form are stored in E.164 (+33123456789).
"""

import django.db.models.deletion
import opening_hours
import phonenumbers
from django.conf import settings
from django.db import migrations, models


def _e164(value):
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return value
    if not phonenumbers.is_valid_number(number):
        return value
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def keep_texts(apps, schema_editor):
    ContactChannel = apps.get_model("contacts", "ContactChannel")
    language = settings.LANGUAGE_CODE
    for channel in ContactChannel.objects.all():
        channel.label_texts = {language: channel.label} if channel.label else {}
        if channel.hours and not opening_hours.validate(channel.hours):
            channel.note = {language: channel.hours}
            channel.hours = ""
        if channel.kind == "phone":
            channel.value = _e164(channel.value)
        channel.save(update_fields=["label_texts", "note", "hours", "value"])


def texts_back(apps, schema_editor):
    ContactChannel = apps.get_model("contacts", "ContactChannel")
    language = settings.LANGUAGE_CODE
    for channel in ContactChannel.objects.all():
        channel.label = (channel.label_texts or {}).get(language, "")[:100]
        if not channel.hours and channel.note:
            channel.hours = channel.note.get(language, "")[:200]
        channel.save(update_fields=["label", "hours"])


class Migration(migrations.Migration):
    dependencies = [
        ("contacts", "0001_move_contact_channels"),
    ]

    operations = [
        migrations.AddField(
            model_name="contactchannel",
            name="checked",
            field=models.DateField(blank=True, null=True, verbose_name="last checked"),
        ),
        migrations.AddField(
            model_name="contactchannel",
            name="cost",
            field=models.JSONField(blank=True, default=dict, verbose_name="cost"),
        ),
        migrations.AddField(
            model_name="contactchannel",
            name="country",
            field=models.CharField(
                blank=True, help_text="Blank: the company's.", max_length=2, verbose_name="country"
            ),
        ),
        migrations.AddField(
            model_name="contactchannel",
            name="menu",
            field=models.JSONField(blank=True, default=list, verbose_name="phone menu"),
        ),
        migrations.AddField(
            model_name="contactchannel",
            name="languages",
            field=models.JSONField(blank=True, default=list, verbose_name="languages spoken"),
        ),
        migrations.AddField(
            model_name="contactchannel",
            name="note",
            field=models.JSONField(blank=True, default=dict, verbose_name="note"),
        ),
        migrations.AddField(
            model_name="contactchannel",
            name="timezone",
            field=models.CharField(
                blank=True,
                help_text="Blank: the company's.",
                max_length=64,
                verbose_name="time zone",
            ),
        ),
        migrations.AlterField(
            model_name="contactchannel",
            name="hours",
            field=models.CharField(
                blank=True,
                help_text="OpenStreetMap syntax, e.g. Mo-Fr 08:00-20:00; Sa 09:00-18:00; PH off",
                max_length=200,
                verbose_name="opening hours",
            ),
        ),
        migrations.AddField(
            model_name="contactchannel",
            name="label_texts",
            field=models.JSONField(blank=True, default=dict, verbose_name="label"),
        ),
        migrations.RunPython(keep_texts, texts_back),
        migrations.RemoveField(model_name="contactchannel", name="label"),
        migrations.RenameField(
            model_name="contactchannel", old_name="label_texts", new_name="label"
        ),
        migrations.AlterField(
            model_name="contactchannel",
            name="value",
            field=models.CharField(
                help_text="Phone numbers: international (+33…), or a short number (3635).",
                max_length=300,
                verbose_name="number, address or link",
            ),
        ),
        migrations.CreateModel(
            name="ReachReport",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("visitor", models.CharField(max_length=64)),
                ("day", models.DateField(verbose_name="day")),
                ("reached", models.BooleanField(verbose_name="reached a person")),
                (
                    "minutes_waited",
                    models.PositiveSmallIntegerField(
                        blank=True, null=True, verbose_name="minutes waited"
                    ),
                ),
                ("created", models.DateTimeField(auto_now_add=True, verbose_name="created")),
                ("changed", models.DateTimeField(auto_now=True, verbose_name="changed")),
                (
                    "channel",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reach_reports",
                        to="contacts.contactchannel",
                        verbose_name="contact channel",
                    ),
                ),
            ],
            options={
                "verbose_name": "reach report",
                "verbose_name_plural": "reach reports",
                "ordering": ["-changed"],
                "indexes": [
                    models.Index(fields=["channel", "changed"], name="reach_report_recent")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("channel", "visitor", "day"),
                        name="one_reach_report_per_reader_per_day",
                    )
                ],
            },
        ),
    ]
