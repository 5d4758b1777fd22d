"""The rules a contact channel obeys, shared by the content import and the admin.

Each check returns the cleaned value or raises ChannelError with a message for an author or
an editor; the parser adds the path and line, the admin puts it beside the field.
"""

import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import opening_hours
import phonenumbers
from django.conf import settings
from django.conf.locale import LANG_INFO

from guides_site.content.typography import french_text

KINDS = ("phone", "email", "chat", "help", "post")
MENU_KEYS = frozenset("0123456789*#")
MAX_TEXT = {"label": 100, "cost": 200, "note": 300, "for": 100, "say": 60}
MAX_HOURS = 200
MAX_MENU_STEPS = 10
# A public holiday rule: "PH off", "PH 10:00-12:00", "Mo-Fr 08:00-20:00; PH closed".
_PH_RE = re.compile(r"(?:^|[;,|]\s*)PH\b")


class ChannelError(ValueError):
    def __init__(self, message, *, step=None):
        super().__init__(message)
        self.step = step  # the menu step (from 1) it is about, if any


def language_codes():
    return [code for code, _name in settings.LANGUAGES]


def clean_text(value, what, *, max_length):
    """A text readers see: a string (in the default language) or {language: string}.
    Returns {language: text}."""
    if value is None:
        return {}
    languages = language_codes()
    if isinstance(value, str):
        if not value.strip():
            return {}
        value = {settings.LANGUAGE_CODE: value}
    if not isinstance(value, dict) or not value:
        raise ChannelError(
            f"{what!r} must be text, or one text per language such as "
            f"{{en: Customer service, fr: Service client}}"
        )
    cleaned = {}
    for language, text in value.items():
        if language not in languages:
            raise ChannelError(
                f"unknown language {language!r} in {what!r}: use {', '.join(languages)}"
            )
        if not isinstance(text, str) or not text.strip():
            raise ChannelError(f"{what!r} in {language!r} must be text and not empty")
        text = " ".join(text.split())
        if "\x00" in text:
            raise ChannelError(f"{what!r} contains a NUL character (U+0000); remove it")
        if len(text) > max_length:
            raise ChannelError(
                f"{what!r} in {language!r} is {len(text)} characters long; "
                f"the limit is {max_length}"
            )
        # French spacing once, here, for the import and the admin alike.
        cleaned[language] = french_text(text) if language == "fr" else text
    return cleaned


def clean_languages(value):
    """The languages a channel answers in, as ISO 639-1 codes: ["fr"], ["en", "es"]."""
    if value is None:
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ChannelError("'languages' must be a list of language codes, e.g. [fr] or [en, es]")
    codes = []
    for code in value:
        code = code.strip().lower()
        if code not in LANG_INFO or "-" in code or "name" not in LANG_INFO[code]:
            raise ChannelError(f"unknown language code {code!r} in 'languages': use e.g. en, fr")
        if code not in codes:
            codes.append(code)
    return codes


def clean_country(value):
    """An ISO 3166 alpha-2 code (FR, US), upper case, or ""."""
    if not value:
        return ""
    code = str(value).strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS or code == "001":
        raise ChannelError(f"unknown country {value!r}: use a two-letter ISO 3166 code, e.g. FR")
    return code


def clean_timezone(value):
    """An IANA time zone name (Europe/Paris), or ""."""
    if not value:
        return ""
    name = str(value).strip()
    if name not in _time_zones():
        raise ChannelError(f"unknown time zone {value!r}: use an IANA name, e.g. Europe/Paris")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ChannelError(f"unknown time zone {value!r}") from exc
    return name


_zones = None


def _time_zones():
    global _zones  # noqa: PLW0603 (read once: the system's list does not change while we run)
    if _zones is None:
        _zones = frozenset(available_timezones())
    return _zones


def clean_phone(value, country):
    """The number in E.164 (+33123456789), or a national short number (3635) as itself."""
    text = str(value).strip()
    try:
        number = phonenumbers.parse(text, country or None)
    except phonenumbers.NumberParseException as exc:
        hint = (
            ""
            if country or text.startswith("+")
            else (" (start it with + and the country code, or set 'country')")
        )
        raise ChannelError(f"{text!r} is not a phone number{hint}") from exc
    if phonenumbers.is_valid_number(number):
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    if country and not text.startswith("+") and phonenumbers.is_valid_short_number(number):
        return phonenumbers.national_significant_number(number)
    where = f" in {country}" if country else ""
    raise ChannelError(f"{text!r} is not a valid phone number{where}")


def clean_hours(value, timezone, country):
    """OpenStreetMap opening_hours (Mo-Fr 08:00-20:00; PH off), checked by opening-hours-py."""
    if not value:
        return ""
    text = " ".join(str(value).split())
    if len(text) > MAX_HOURS:
        raise ChannelError(f"'hours' is {len(text)} characters long; the limit is {MAX_HOURS}")
    _parse_hours(text)
    if not timezone:
        raise ChannelError(
            "'hours' need a time zone: set 'timezone' (e.g. Europe/Paris) on the company "
            "or on this contact"
        )
    if _PH_RE.search(text) and not country:
        raise ChannelError(
            "'hours' mention public holidays (PH): set 'country' on the company or on this "
            "contact, so we know which holidays"
        )
    _parse_hours(text, timezone, country)
    return text


def _parse_hours(text, timezone=None, country=None):
    try:
        return opening_hours.OpeningHours(
            text, timezone=ZoneInfo(timezone) if timezone else None, country=country or None
        )
    except (opening_hours.ParserError, SyntaxError, ValueError) as exc:
        problem = str(exc).strip().splitlines()[-1].strip(" =")
        column = re.search(r"--> \d+:(\d+)", str(exc))
        at = f" at character {column.group(1)}" if column else ""
        raise ChannelError(
            f"'hours' {text!r} are not in OpenStreetMap opening_hours syntax{at} ({problem}): "
            "e.g. 'Mo-Fr 08:00-20:00; Sa 09:00-18:00; PH off' or '24/7'; free text such as "
            "'Online, any time' belongs in 'note'"
        ) from exc
    except opening_hours.UnknownCountryError as exc:
        raise ChannelError(f"no public holidays are known for country {country!r}") from exc


def clean_menu(value):
    """[{"press": "1" or "say": "adviser", "for": {language: text}}, ...]"""
    if value is None:
        return []
    if not isinstance(value, list) or not value:
        raise ChannelError("'menu' must be a list of steps, each 'press: \"1\"' or 'say: …'")
    if len(value) > MAX_MENU_STEPS:
        raise ChannelError(f"'menu' has {len(value)} steps; the limit is {MAX_MENU_STEPS}")
    steps = []
    for number, item in enumerate(value, start=1):
        try:
            steps.append(_clean_menu_step(number, item))
        except ChannelError as exc:
            message = str(exc)
            if not message.startswith("menu step"):
                message = f"menu step {number}: {message}"
            raise ChannelError(message, step=number) from None
    return steps


def _clean_menu_step(number, item):
    if not isinstance(item, dict):
        raise ChannelError(f"menu step {number} must have 'press' or 'say', and 'for'")
    unknown = set(item) - {"press", "say", "for"}
    if unknown:
        raise ChannelError(
            f"unknown field {sorted(map(str, unknown))[0]!r} in menu step {number}: "
            "allowed fields are press, say, for"
        )
    if ("press" in item) == ("say" in item):
        raise ChannelError(f"menu step {number} needs either 'press' or 'say' (one of them)")
    step = {}
    if "press" in item:
        key = item["press"]
        key = str(key) if isinstance(key, int) and not isinstance(key, bool) else key
        if not isinstance(key, str) or key.strip() not in MENU_KEYS:
            raise ChannelError(
                f"menu step {number}: press {item['press']!r} is not a key: use one of "
                '0-9, * or # (quote it: press: "1")'
            )
        step["press"] = key.strip()
    else:
        say = item["say"]
        if not isinstance(say, str) or not say.strip():
            raise ChannelError(f"menu step {number}: 'say' must be the words to say")
        say = " ".join(say.split())
        if len(say) > MAX_TEXT["say"]:
            raise ChannelError(
                f"menu step {number}: 'say' is {len(say)} characters long; "
                f"the limit is {MAX_TEXT['say']}"
            )
        step["say"] = say
    if "for" not in item:
        raise ChannelError(f"menu step {number} needs 'for': what that choice is for")
    step["for"] = clean_text(item["for"], "for", max_length=MAX_TEXT["for"])
    return step
