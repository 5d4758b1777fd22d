"""The admin's form for a contact channel: the fields of the content format, one text field
per language, checked by the same rules as the import (rules.py)."""

import yaml
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext_lazy as _

from . import rules
from .models import ContactChannel

TEXT_FIELDS = ("label", "cost", "note")
TEXT_NAMES = {"label": _("label"), "cost": _("cost"), "note": _("note")}


def _text_field_name(name, language):
    return f"{name}_{language}"


class ContactChannelForm(forms.ModelForm):
    menu_text = forms.CharField(
        label=_("phone menu"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_(
            'One step a line, as in content files: - {press: "1", for: {en: Tickets, fr: '
            "Billets}} or - {say: adviser, for: An adviser}"
        ),
    )

    languages_text = forms.CharField(
        label=_("languages spoken"),
        required=False,
        help_text=_("Language codes, separated by commas: fr, en"),
    )

    class Meta:
        model = ContactChannel
        fields = ["kind", "value", "hours", "timezone", "country", "checked", "position"]

        widgets = {"checked": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in TEXT_FIELDS:
            texts = getattr(self.instance, name) or {}
            for code, language in settings.LANGUAGES:
                field = forms.CharField(
                    label=f"{TEXT_NAMES[name]} ({language})",
                    required=False,
                    max_length=rules.MAX_TEXT[name],
                    initial=texts.get(code, ""),
                )
                self.fields[_text_field_name(name, code)] = field
        self.fields["languages_text"].initial = ", ".join(self.instance.languages or [])
        if self.instance.menu:
            self.fields["menu_text"].initial = yaml.safe_dump(
                self.instance.menu, allow_unicode=True, sort_keys=False, default_flow_style=None
            ).strip()

    def _company_default(self, name):
        """The company's country or time zone: as typed on the same page, else as saved."""
        typed = self.data.get(name) if self.data else None
        if typed is not None:
            return typed.strip()
        company = getattr(self.instance, "company", None) if self.instance.company_id else None
        return getattr(company, name, "") if company else ""

    def _rule(self, field, clean, *args):
        try:
            return clean(self.cleaned_data.get(field, ""), *args)
        except rules.ChannelError as exc:
            self.add_error(field, str(exc))
            return None

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        country = self._rule("country", rules.clean_country)
        timezone = self._rule("timezone", rules.clean_timezone)
        company_country = self._company_default("country").upper()
        company_timezone = self._company_default("timezone")
        value = (data.get("value") or "").strip()
        if kind == "phone" and value and country is not None:
            data["value"] = self._rule("value", rules.clean_phone, country or company_country)
        elif kind == "email" and value:
            try:
                validate_email(value)
            except ValidationError:
                self.add_error("value", _("Enter an e-mail address."))
        elif kind in ("help", "chat") and value.startswith(("http:", "https:")):
            try:
                URLValidator(schemes=["http", "https"])(value)
            except ValidationError:
                self.add_error("value", _("Enter a web address."))
        if country is not None and timezone is not None and data.get("hours"):
            data["hours"] = self._rule(
                "hours", rules.clean_hours, timezone or company_timezone, country or company_country
            )
        for name in TEXT_FIELDS:
            texts = {
                code: data.get(_text_field_name(name, code), "").strip()
                for code, _language in settings.LANGUAGES
            }
            try:
                data[name] = rules.clean_text(
                    {code: text for code, text in texts.items() if text} or None,
                    name,
                    max_length=rules.MAX_TEXT[name],
                )
            except rules.ChannelError as exc:
                self.add_error(_text_field_name(name, settings.LANGUAGE_CODE), str(exc))
        data["menu"] = self._menu(kind, data.get("menu_text", ""))
        codes = [code for code in data.get("languages_text", "").replace(",", " ").split() if code]
        try:
            data["languages"] = rules.clean_languages(codes)
        except rules.ChannelError as exc:
            self.add_error("languages_text", str(exc))
        return data

    def _menu(self, kind, text):
        if not text.strip():
            return []
        if kind != "phone":
            self.add_error("menu_text", _("Only a phone channel has a menu."))
            return []
        try:
            steps = yaml.safe_load(text)
            return rules.clean_menu(steps)
        except yaml.YAMLError:
            self.add_error("menu_text", _("Write the menu as a YAML list, as in content files."))
        except rules.ChannelError as exc:
            self.add_error("menu_text", str(exc))
        return []

    def save(self, commit=True):
        channel = super().save(commit=False)
        for name in TEXT_FIELDS:
            setattr(channel, name, self.cleaned_data.get(name) or {})
        channel.menu = self.cleaned_data.get("menu") or []
        channel.languages = self.cleaned_data.get("languages") or []
        channel.value = self.cleaned_data.get("value") or channel.value
        channel.hours = self.cleaned_data.get("hours") or ""
        channel.country = self.cleaned_data.get("country") or ""
        if commit:
            channel.save()
        return channel


class ReachForm(forms.Form):
    """'Did you reach a person?': Yes or No, and how long the reader waited."""

    reached = forms.TypedChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        error_messages={"required": _("Please choose Yes or No.")},
    )
    minutes = forms.IntegerField(
        label=_("Minutes waited (optional)"),
        required=False,
        min_value=0,
        max_value=600,
    )
